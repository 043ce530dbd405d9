"""The filing budget kept in Redis (appeals.throttling): DRF's sliding window, decided
in one round trip. The budget shared by the page and the API, and Redis away, are
tested with the pages and in the Redis drill, on Redis in the services run."""

import pytest
from django.urls import reverse

from appeals.throttling import FilingThrottle
from tests.helpers import API_FILING

pytestmark = pytest.mark.services
BODY = API_FILING


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(FilingThrottle, "timer", lambda self: now[0])
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
        statuses.append(api.post(url, BODY, format="json").status_code)
        clock[0] += 10
    assert _evalsha_calls(redis_client) - before == 3  # no GET and SET as DRF's takes
    refused = api.post(url, BODY, format="json")
    assert [*statuses, refused.status_code] == [201, 201, 201, 429]
    assert int(refused["Retry-After"]) == 30  # the first filing leaves the window then
    clock[0] += 31
    assert api.post(url, BODY, format="json").status_code == 201
    assert api.post(url, BODY, format="json").status_code == 429  # 2 still in the window
