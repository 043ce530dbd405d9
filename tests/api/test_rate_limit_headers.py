"""The RateLimit fields (draft-ietf-httpapi-ratelimit-headers-06) on the API's answers,
from the throttles that decided them (core.api.throttling). These run on the cache's
throttles (SQLite runs); tests/api/test_throttling.py runs the Redis ones."""

import pytest
from django.urls import reverse
from rest_framework import throttling
from rest_framework.test import APIClient

from tests.helpers import API_FILING

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(throttling.SimpleRateThrottle, "timer", lambda self: now[0])
    return now


def fields(response):
    return [
        int(response[name])
        for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
    ]


def test_each_answer_tells_the_limit_what_remains_and_when_a_place_frees(api, clock, monkeypatch):
    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", {"user": "3/min"})
    url = reverse("api:appeal-list")
    seen = []
    for _ in range(3):
        seen.append(api.get(url))
        clock[0] += 10
    assert [response.status_code for response in seen] == [200, 200, 200]
    # The oldest request leaves the window 60 s after it was made.
    assert [fields(r) for r in seen] == [[3, 2, 60], [3, 1, 50], [3, 0, 40]]
    assert seen[0]["RateLimit-Policy"] == "3;w=60"
    refused = api.get(url)
    assert refused.status_code == 429
    assert fields(refused) == [3, 0, 30]
    assert int(refused["Retry-After"]) == 30
    clock[0] += 30
    # The first request left the window and this one took its place; the next to leave
    # is the one made at 10 s.
    assert fields(api.get(url)) == [3, 0, 10]


def test_a_filing_reports_the_filing_budget_and_a_read_the_general_one(api, deputy, monkeypatch):
    rates = {"filing": "2/min", "user": "50/min", "anon": "5/min"}
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", rates)
    filed = api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert filed.status_code == 201
    assert fields(filed)[:2] == [2, 1]
    assert filed["RateLimit-Policy"] == "2;w=60"
    api.post(reverse("api:appeal-list"), API_FILING, format="json")
    refused = api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert refused.status_code == 429
    assert fields(refused)[:2] == [2, 0]
    assert int(refused["Retry-After"]) == fields(refused)[2] > 0
    assert fields(api.get(reverse("api:appeal-list")))[:2] == [50, 49]


def test_an_anonymous_caller_sees_the_tighter_of_its_two_limits(monkeypatch):
    rates = {"anon": "5/min", "user": "100/min"}
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", rates)
    response = APIClient().get(reverse("api:region-list"))
    assert response.status_code == 200
    assert fields(response)[:2] == [5, 4]
    assert response["RateLimit-Policy"] == "5;w=60, 100;w=60"


def test_answers_refused_before_the_throttles_report_the_limit_without_spending_it(
    monkeypatch, citizen
):
    rates = {"anon": "5/min", "user": "100/min"}
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", rates)
    client = APIClient()
    for url in (reverse("api:appeal-list"), "/api/v1/no-such-thing/"):
        response = client.get(url)
        assert response.status_code in (401, 404)
        assert fields(response)[:2] == [5, 5]  # looked at, not counted
    assert fields(client.get(reverse("api:region-list")))[:2] == [5, 4]


def test_pages_have_no_ratelimit_fields(client, db):
    assert "RateLimit-Limit" not in client.get("/")
