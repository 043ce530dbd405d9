"""With a real Celery worker, its beat and Redis: an answered appeal's region is
recomputed through the outbox, and several answers within the debounce window cause
one run, of that region."""

import pytest

from appeals import services as appeal_services
from ratings.models import RatingRun, RecomputeRequest
from ratings.services import ratings_recompute
from tests.appeals.helpers import as_scope, file_appeal
from tests.factories import CitizenFactory, DeputyFactory
from tests.helpers import wait_until
from tests.processes import celery, relay_every_second

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DEBOUNCE = 3


def test_the_worker_recomputes_the_region_once_after_several_answers(
    postgres, redis_client, reference_data, settings
):
    settings.RATING_DEBOUNCE_SECONDS = DEBOUNCE
    settings.CELERY_TASK_ALWAYS_EAGER = False
    redis_client.flushdb()
    relay_every_second()
    deputy = DeputyFactory(region_code="77")
    citizen = CitizenFactory()
    ratings_recompute()  # the national table the region's run is measured against
    appeals = [file_appeal(citizen) for _ in range(3)]

    with celery(settings.REDIS_URL, beat=True, env={"RATING_DEBOUNCE_SECONDS": str(DEBOUNCE)}):
        for appeal in appeals:
            appeal_services.appeal_reply(
                scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
            )
        # Would a second run follow? A run starts only from a waiting request, so once
        # every request is done none can: no fixed sleep is needed to prove it.
        wait_until(
            lambda: (
                RatingRun.objects.filter(trigger="event", status="complete").exists()
                and not RecomputeRequest.objects.filter(done_at__isnull=True).exists()
            ),
            40,
            "the recompute after the answers, and every request it covered done",
        )

    run = RatingRun.objects.get(trigger="event")
    assert run.status == "complete"
    assert run.region == deputy.region
    assert run.snapshots.filter(deputy=deputy, appeals_count=3).exists()
