"""With a real Celery worker and Redis: an answered appeal's region is recomputed by
the worker, and several answers within the debounce window cause one run."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from appeals import services as appeal_services
from ratings.models import RatingRun
from tests.appeals.helpers import as_scope, file_appeal
from tests.factories import CitizenFactory, DeputyFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
DEBOUNCE = 3


@pytest.fixture
def worker(postgres, redis_client, settings):
    settings.RATING_DEBOUNCE_SECONDS = DEBOUNCE
    redis_client.flushdb()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": django_settings.REDIS_URL,
        "RATING_DEBOUNCE_SECONDS": str(DEBOUNCE),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=django_settings.BASE_DIR,
        env=env,
    )  # fmt: skip
    time.sleep(3)
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_the_worker_recomputes_once_after_several_answers(worker, reference_data):
    deputy = DeputyFactory(region_code="77")
    citizen = CitizenFactory()
    appeals = [file_appeal(citizen) for _ in range(3)]

    for appeal in appeals:
        appeal_services.appeal_reply(
            scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
        )

    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if RatingRun.objects.filter(trigger="event", status="complete").exists():
            break
        time.sleep(0.5)
    time.sleep(DEBOUNCE + 1)  # would a second run follow? it must not
    runs = RatingRun.objects.filter(trigger="event")
    assert runs.count() == 1
    assert runs.get().status == "complete"
    assert runs.get().snapshots.filter(deputy=deputy, appeals_count=3).exists()
