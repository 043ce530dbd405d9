"""Drill: the Celery worker is killed in the middle of a recompute.

Readers keep seeing the previous table the whole time; the run the dead worker left
`running` does not block the next one, which completes."""

import signal

import pytest
from django.urls import reverse

from ratings import services
from ratings.models import RatingRun
from ratings.tasks import recompute_nightly
from tests.factories import AppealFactory, CommitteeUserFactory, DeputyFactory
from tests.helpers import raw_connection, wait_until
from tests.processes import app_broker, celery

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_killed_mid_recompute_leaves_the_previous_table_and_the_next_run_completes(
    private_redis, reference_data, settings, client
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    deputy = DeputyFactory(region_code="77")
    for _ in range(12):
        AppealFactory(deputy=deputy, region=deputy.region)
    before = services.ratings_recompute(trigger="manual")
    client.force_login(CommitteeUserFactory(region_code="77"))

    # The recompute reads the feedback table; holding it makes the run stop midway.
    blocker = raw_connection()
    blocker.cursor().execute("LOCK TABLE feedback_feedback IN ACCESS EXCLUSIVE MODE")
    try:
        with app_broker(private_redis.url), celery(private_redis.url) as worker:
            recompute_nightly.delay()
            wait_until(
                lambda: RatingRun.objects.filter(status="running").exists(), 30, "the run to start"
            )
            table = client.get(reverse("ratings:region_table"))
            assert table.status_code == 200
            assert table.context["run"] == before  # the half-done run is invisible

            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            blocker.rollback()

            # The killed worker's database session ends; the next run may then start.
            again = wait_until(
                lambda: services.ratings_recompute(trigger="manual"),
                30,
                "a run once the killed worker's session ended",
            )
    finally:
        blocker.close()

    assert again is not None and again.status == "complete"
    abandoned = RatingRun.objects.get(trigger="schedule")
    assert abandoned.status == "failed"
    assert "abandoned" in abandoned.error
    assert RatingRun.objects.current() == again
    assert client.get(reverse("ratings:region_table")).context["run"] == again
