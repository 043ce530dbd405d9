"""The API's rate limits kept in Redis (core.api.throttling): DRF's sliding window,
decided in one round trip. The budget shared by the page and the API, the general
limits' rates, and Redis away are tested with the pages, the API and in the Redis
drill, on Redis in the services run."""

import pytest
from django.urls import reverse
from rest_framework import throttling
from rest_framework.test import APIClient

from appeals.throttling import FilingThrottle
from tests.helpers import API_FILING

pytestmark = pytest.mark.services


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(throttling.SimpleRateThrottle, "timer", lambda self: now[0])
    return now


@pytest.fixture
def redis_commands(redis_client, monkeypatch):
    """The commands this process sends through the cache's Redis client, counted on the
    client: the server's own statistics count every other user of the same Redis too."""
    from django_redis import get_redis_connection

    from core.api.throttling import _SLIDING_WINDOW

    client = get_redis_connection("default")
    client.script_load(_SLIDING_WINDOW)  # a fresh server would first answer NOSCRIPT
    sent = []
    send = client.execute_command

    def counting(*args, **options):
        sent.append(str(args[0]).upper())
        return send(*args, **options)

    monkeypatch.setattr(client, "execute_command", counting)
    return sent


def test_the_budget_slides_with_time_in_one_redis_command_a_filing(
    api, deputy, redis_commands, clock, monkeypatch
):
    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "3/min"})
    url = reverse("api:appeal-list")
    statuses = []
    for _ in range(3):
        statuses.append(api.post(url, API_FILING, format="json").status_code)
        clock[0] += 10
    assert redis_commands == ["EVALSHA"] * 3  # no GET and SET as DRF's takes
    refused = api.post(url, API_FILING, format="json")
    assert [*statuses, refused.status_code] == [201, 201, 201, 429]
    assert int(refused["Retry-After"]) == 30  # the first filing leaves the window then
    clock[0] += 31
    assert api.post(url, API_FILING, format="json").status_code == 201
    assert api.post(url, API_FILING, format="json").status_code == 429  # 2 still in the window


def test_the_general_limits_take_one_redis_command_a_limit(db, redis_commands, clock, monkeypatch):
    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    client = APIClient()
    codes = [client.get(reverse("api:region-list")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # One a limit: the anonymous one and the per-user one, which DRF keys by address too.
    assert redis_commands == ["EVALSHA"] * 2 * 3
    clock[0] += 61
    assert client.get(reverse("api:region-list")).status_code == 200


def _fields(response):
    return [int(response[f"RateLimit-{name}"]) for name in ("Limit", "Remaining", "Reset")]


def test_the_ratelimit_fields_come_from_the_same_redis_command(
    api, deputy, redis_commands, clock, monkeypatch
):
    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "3/min"})
    url = reverse("api:appeal-list")
    seen = []
    for _ in range(3):
        seen.append(api.post(url, API_FILING, format="json"))
        clock[0] += 10
    assert redis_commands == ["EVALSHA"] * 3
    assert [_fields(r) for r in seen] == [[3, 2, 60], [3, 1, 50], [3, 0, 40]]
    refused = api.post(url, API_FILING, format="json")
    assert refused.status_code == 429
    assert _fields(refused) == [3, 0, 30] and refused["Retry-After"] == "30"


def test_a_replay_gives_its_place_back_in_redis(api, deputy, redis_client, clock, monkeypatch):
    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "2/min"})
    url = reverse("api:appeal-list")
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    assert api.post(url, API_FILING, format="json", **headers).status_code == 201
    replay = api.post(url, API_FILING, format="json", **headers)
    assert replay["Idempotent-Replayed"] == "true"
    assert _fields(replay)[:2] == [2, 1]  # the place it took is given back
    assert api.post(url, API_FILING, format="json").status_code == 201
    assert api.post(url, API_FILING, format="json").status_code == 429
    throttled_replay = api.post(url, API_FILING, format="json", **headers)
    assert (throttled_replay.status_code, throttled_replay["Idempotent-Replayed"]) == (201, "true")


def test_an_answer_before_the_throttles_peeks_without_spending(db, redis_commands, monkeypatch):
    monkeypatch.setattr(
        throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "9/min"}
    )
    client = APIClient()
    for _ in range(3):
        unauthorised = client.get(reverse("api:appeal-list"))
        assert unauthorised.status_code == 401
        assert _fields(unauthorised)[:2] == [2, 2]
    assert client.get(reverse("api:region-list")).status_code == 200
