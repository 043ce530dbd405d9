import time

import pytest
from django.core.cache import cache

from appeals import services as appeal_services
from ratings.models import RatingRun
from ratings.triggers import PENDING_KEY
from tests.appeals.helpers import as_scope, file_appeal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_pending():
    cache.delete(PENDING_KEY)
    yield
    cache.delete(PENDING_KEY)


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


def test_an_answer_succeeds_quickly_when_the_broker_is_down(
    citizen, deputy, settings, django_capture_on_commit_callbacks
):
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app._after_fork()  # drop pooled connections to the real broker
    try:
        appeal = file_appeal(citizen)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            answer(deputy, appeal)
        elapsed = time.monotonic() - started
    finally:
        app.conf.broker_url, app.conf.task_always_eager = old
        app._after_fork()  # and the ones to the dead address
    appeal.refresh_from_db()
    assert appeal.status == "answered"
    assert elapsed < 5
    assert not RatingRun.objects.exists()  # the nightly run will include it
