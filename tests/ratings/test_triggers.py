"""An answer or a feedback asks for a recompute through the outbox (ratings.triggers):
a row in the same transaction, run by the relay, never by the request itself."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from appeals import services as appeal_services
from ratings import services
from ratings.models import RatingRun, RecomputeRequest
from tests.appeals.helpers import as_scope, file_appeal
from tests.helpers import recompute_lock_held_elsewhere
from tests.processes import app_broker

pytestmark = pytest.mark.django_db


def answer(deputy, appeal):
    appeal_services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
    )


def test_without_a_broker_several_answers_lead_to_one_inline_recompute(
    citizen, deputy, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded default; the worker test covers Redis
    appeals = [file_appeal(citizen) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for item in appeals:
            answer(deputy, item)
    runs = RatingRun.objects.filter(trigger="event")
    assert runs.count() == 1
    assert runs.get().status == "complete"
    assert RecomputeRequest.objects.get().run == runs.get()


def test_with_a_broker_the_answer_only_writes_the_request_and_the_relay_runs_it_when_due(
    citizen, deputy, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.RATING_DEBOUNCE_SECONDS = 60
    first, second = file_appeal(citizen), file_appeal(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        answer(deputy, first)
        answer(deputy, second)
    request = RecomputeRequest.objects.get()  # the second answer rode along
    assert request.region_id == deputy.region_id
    assert not RatingRun.objects.exists()

    assert services.ratings_recompute_due() is None  # not due yet: the debounce
    run = services.ratings_recompute_due(now=timezone.now() + timedelta(seconds=61))
    assert run is not None and run.status == "complete"
    assert services.ratings_recompute_due(now=timezone.now() + timedelta(seconds=62)) is None
    request.refresh_from_db()
    assert (request.run, request.done_at is not None) == (run, True)


def test_a_change_during_a_run_waits_for_the_next_run(citizen, deputy, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.RATING_DEBOUNCE_SECONDS = 0
    answer(deputy, file_appeal(citizen))
    RecomputeRequest.objects.update(taken_at=timezone.now())  # as if a relay is running it
    answer(deputy, file_appeal(citizen))
    assert RecomputeRequest.objects.filter(taken_at__isnull=True).count() == 1


def test_a_run_refused_by_the_lock_releases_the_requests_for_the_next_tick(
    citizen, deputy, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.RATING_DEBOUNCE_SECONDS = 0
    answer(deputy, file_appeal(citizen))
    RatingRun.objects.create(
        formula=services.current_formula(), started_at=timezone.now(), status="running"
    )
    with recompute_lock_held_elsewhere():
        assert services.ratings_recompute_due() is None
    RatingRun.objects.filter(status="running").update(status="failed")
    assert services.ratings_recompute_due() is not None
    assert not RecomputeRequest.objects.filter(done_at__isnull=True).exists()


def test_an_answer_succeeds_quickly_when_the_broker_is_down(
    citizen, deputy, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with app_broker("redis://127.0.0.1:1/0"):  # nothing listens there
        appeal = file_appeal(citizen)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            answer(deputy, appeal)
        elapsed = time.monotonic() - started
    appeal.refresh_from_db()
    assert appeal.status == "answered"
    assert elapsed < 1
    assert RecomputeRequest.objects.filter(done_at__isnull=True).count() == 1  # kept for later


def test_the_nightly_job_prunes_requests_done_over_a_week_ago(deputy):
    now = timezone.now()
    old, recent = (
        RecomputeRequest.objects.create(
            region=deputy.region, requested_at=when, due_at=when, taken_at=when, done_at=when
        )
        for when in (now - timedelta(days=8), now - timedelta(days=6))
    )
    services.ratings_recompute_nightly(now=now)
    assert list(RecomputeRequest.objects.all()) == [recent]
    assert not RecomputeRequest.objects.filter(pk=old.pk).exists()
