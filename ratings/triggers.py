"""How other apps ask for a recompute: a row in the recompute outbox, written in the
transaction that answered or rated an appeal.

No request talks to Redis or the broker for this: a beat job (`ratings.recompute_due`,
every 15 seconds) runs the recompute once the first waiting request is
`RATING_DEBOUNCE_SECONDS` old, and every change until then rides along. While Redis
is away the rows wait in the database and run once it is back: none lost, one run
for all of them. In the embedded default (eager Celery, no beat) the recompute runs
right after the commit.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RecomputeRequest


def region_changed(*, region_id: int) -> None:
    """Call inside the transaction that answered or rated an appeal of the region."""
    now = timezone.now()
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    due = now if eager else now + timedelta(seconds=settings.RATING_DEBOUNCE_SECONDS)
    # A region already waiting keeps its row: ON CONFLICT DO NOTHING on the partial index.
    RecomputeRequest.objects.bulk_create(
        [RecomputeRequest(region_id=region_id, requested_at=now, due_at=due)],
        ignore_conflicts=True,
    )
    if eager:
        from .services import ratings_recompute_due

        transaction.on_commit(ratings_recompute_due, robust=True)
