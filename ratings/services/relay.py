"""The relay of the recompute outbox (ratings.triggers writes it): regions whose
requests are due are recomputed, one run per region or one full run."""

import uuid
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from ..models import RatingRun, RecomputeRequest
from .recompute import ratings_recompute

# A claim on waiting requests older than this belonged to a worker that died.
CLAIM_LEASE = timedelta(minutes=30)
# More regions waiting than this are recomputed by one full run.
MAX_REGIONAL_RUNS = 10


def ratings_recompute_due(*, now: datetime | None = None) -> RatingRun | None:
    """Recompute the regions whose requests are due (the outbox relay): one run per
    region, or one full run when many regions wait.

    The requests are claimed with one conditional UPDATE, so two relays at once
    cannot both take them; they are marked done with the run that covered them. If
    another recompute holds the lock, or one fails, what is left undone is released
    and the next tick tries again. Returns the last run made."""
    now = now or timezone.now()
    claim = uuid.uuid4()
    claimed = RecomputeRequest.objects.filter(
        Q(taken_at__isnull=True) | Q(taken_at__lt=now - CLAIM_LEASE),
        done_at__isnull=True,
        due_at__lte=now,
    ).update(claim=claim, taken_at=now)
    if not claimed:
        return None
    mine = RecomputeRequest.objects.filter(claim=claim, done_at__isnull=True)
    # Released as an expired claim, not as waiting again: a newer request of the same
    # region may be waiting already, and only one may.
    release = {"claim": None, "taken_at": now - CLAIM_LEASE - timedelta(seconds=1)}
    regions = sorted(set(mine.values_list("region_id", flat=True)))
    # Many regions at once (after an outage, say): one full run is cheaper than many.
    plan = regions if len(regions) <= MAX_REGIONAL_RUNS else [None]
    run = None
    try:
        for region_id in plan:
            run = ratings_recompute(now=now, trigger=RatingRun.Trigger.EVENT, region_id=region_id)
            if run is None:
                break
            covered = mine if run.region_id is None else mine.filter(region_id=region_id)
            covered.update(done_at=timezone.now(), run=run)
            if run.region_id is None:
                break  # it was a full run after all: every region is covered
    finally:
        mine.update(**release)  # whatever a failure or the lock left undone
    return run
