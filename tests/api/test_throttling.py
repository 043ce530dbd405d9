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


def _evalsha_calls(redis_client) -> int:
    return redis_client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)


def test_the_budget_slides_with_time_in_one_redis_command_a_filing(
    api, deputy, redis_client, clock, monkeypatch
):
    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "3/min"})
    url = reverse("api:appeal-list")
    before = _evalsha_calls(redis_client)
    statuses = []
    for _ in range(3):
        statuses.append(api.post(url, API_FILING, format="json").status_code)
        clock[0] += 10
    assert _evalsha_calls(redis_client) - before == 3  # no GET and SET as DRF's takes
    refused = api.post(url, API_FILING, format="json")
    assert [*statuses, refused.status_code] == [201, 201, 201, 429]
    assert int(refused["Retry-After"]) == 30  # the first filing leaves the window then
    clock[0] += 31
    assert api.post(url, API_FILING, format="json").status_code == 201
    assert api.post(url, API_FILING, format="json").status_code == 429  # 2 still in the window


def test_the_general_limits_take_one_redis_command_a_limit(db, redis_client, clock, monkeypatch):
    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    client = APIClient()
    before = _evalsha_calls(redis_client)
    codes = [client.get(reverse("api:region-list")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # One a limit: the anonymous one and the per-user one, which DRF keys by address too.
    assert _evalsha_calls(redis_client) - before == 2 * 3
    clock[0] += 61
    assert client.get(reverse("api:region-list")).status_code == 200
