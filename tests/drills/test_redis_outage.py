"""Drill: Redis stops while citizens file and deputies answer.

Filing keeps its speed (no request waits on Redis: the cache misses fast, throttles
open, sessions come from the database, recompute requests go to the database outbox).
When Redis is back, beat and the worker find the waiting requests and recompute once:
none lost, none run twice."""

import statistics
import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from appeals.models import Appeal
from ratings.models import RatingRun, RecomputeRequest
from tests.factories import CitizenFactory, DeputyFactory
from tests.helpers import token_for, wait_until
from tests.processes import celery, relay_every_second

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DEBOUNCE = 1


def _file(api, n):
    body = {"region": "77", "topic": "roads", "subject": f"Яма {n}", "text": "Прошу починить",
            "consent": True}  # fmt: skip
    started = time.monotonic()
    response = api.post(reverse("api:appeal-list"), body, format="json")
    assert response.status_code == 201, response.content
    return time.monotonic() - started


def test_filing_keeps_its_speed_without_redis_and_the_recompute_runs_once_it_is_back(
    private_redis, reference_data, settings, client
):
    settings.REDIS_URL = private_redis.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.RATING_DEBOUNCE_SECONDS = DEBOUNCE
    # One citizen files 30 appeals to one deputy here; the daily caps are tested elsewhere.
    settings.FILING_DAILY_LIMIT = settings.FILING_DEPUTY_DAILY_LIMIT = 100
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": private_redis.url}
    }  # the settings fixture resets the cache handlers for this
    relay_every_second()
    deputy = DeputyFactory(region_code="77")
    citizen = CitizenFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(citizen)}")
    deputy_api = APIClient()
    deputy_api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(deputy.user)}")
    client.force_login(citizen)  # a page session, kept in the cache and the database

    with celery(private_redis.url, beat=True, env={"RATING_DEBOUNCE_SECONDS": str(DEBOUNCE)}):
        baseline = [_file(api, n) for n in range(15)]

        private_redis.stop()
        during = [_file(api, 100 + n) for n in range(15)]
        assert client.get(reverse("appeals:appeal_list")).status_code == 200  # still signed in
        numbers = list(Appeal.objects.values_list("number", flat=True)[:3])
        for number in numbers:
            answer = deputy_api.post(
                reverse("api:appeal-answer", args=[number]),
                {"text": "Отремонтируем", "final": True},
                format="json",
            )
            assert answer.status_code == 200, answer.content
        # Proving that nothing runs: the shortest wait is the debounce, one relay tick and
        # a second for the worker to take the task, by when a run would have started had
        # Redis been up.
        time.sleep(DEBOUNCE + 2)
        assert not RatingRun.objects.exists()  # nothing could run: the requests wait
        assert RecomputeRequest.objects.filter(done_at__isnull=True).count() == 1

        private_redis.start()
        # Would a second run follow? A run starts only from a waiting request, so once
        # every request is done none can: no fixed sleep is needed to prove it.
        wait_until(
            lambda: (
                RatingRun.objects.filter(trigger="event", status="complete").exists()
                and not RecomputeRequest.objects.filter(done_at__isnull=True).exists()
            ),
            60,
            "the recompute after Redis came back, and every waiting request done",
        )

    print(
        f"filing with Redis: median {statistics.median(baseline) * 1000:.1f} ms; "
        f"without: median {statistics.median(during) * 1000:.1f} ms, "
        f"max {max(during) * 1000:.1f} ms"
    )
    assert Appeal.objects.count() == 30  # every filing that got a 201 is there, once
    assert RatingRun.objects.filter(trigger="event").count() == 1
    assert not RecomputeRequest.objects.filter(done_at__isnull=True).exists()
    assert statistics.median(during) < 2 * statistics.median(baseline) + 0.05
    assert max(during) < 1.0, during
