"""Drill: the same beat job fired twice — one after the other (a task delivered again),
and, on PostgreSQL, both at once (two beats, or a redelivery while the first runs).
Every job has one effect."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from appeals import tasks as appeal_tasks
from appeals.models import Appeal, AppealEvent, Notification
from ratings import tasks as rating_tasks
from ratings.models import RatingRun, RecomputeRequest
from tests.factories import AppealFactory, CitizenFactory, DeputyFactory


def fire_twice(task, *, at_once):
    """Run a Celery task twice through Celery's own call path, in turn or in two threads."""
    if not at_once:
        return [task.apply().get(), task.apply().get()]
    results, start = [], threading.Barrier(2)

    def fire():
        try:
            start.wait(timeout=10)
            results.append(task.apply().get())
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _world():
    deputy = DeputyFactory(region_code="77")
    now, today = timezone.now(), timezone.localdate()
    appeals = {
        "due_soon": AppealFactory(deputy=deputy, deadline=today + timedelta(days=5)),
        "answered_long_ago": AppealFactory(
            deputy=deputy, status="answered", answered_at=now - timedelta(days=15)
        ),
    }
    for _ in range(3):
        Notification.objects.create(
            user=CitizenFactory(), appeal=appeals["due_soon"], kind="assigned", created_at=now
        )
    RecomputeRequest.objects.create(region=deputy.region, requested_at=now, due_at=now)
    return appeals


def _check_one_effect(appeals):
    assert Notification.objects.filter(kind="due_soon").count() == 1
    closed = Appeal.objects.get(pk=appeals["answered_long_ago"].pk)
    assert closed.status == "closed"
    assert AppealEvent.objects.filter(appeal=closed, type="closed").count() == 1
    assert RatingRun.objects.filter(trigger="schedule").count() == 1
    assert RatingRun.objects.filter(trigger="event").count() == 1
    assert len(mail.outbox) == Notification.objects.count()  # every letter sent, once
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


JOBS = [
    appeal_tasks.send_reminders,
    appeal_tasks.close_answered,
    rating_tasks.recompute_nightly,
    rating_tasks.recompute_due,
    appeal_tasks.send_notification_emails,
]


@pytest.mark.django_db
def test_every_beat_job_fired_twice_in_turn_has_one_effect(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the letters wait for the sender job
    appeals = _world()
    for job in JOBS:
        fire_twice(job, at_once=False)
    _check_one_effect(appeals)


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_beat_job_fired_twice_at_once_has_one_effect(postgres, reference_data, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    appeals = _world()
    for job in JOBS:
        fire_twice(job, at_once=True)
    _check_one_effect(appeals)
