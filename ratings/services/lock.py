"""One recompute at a time.

A run is a RatingRun row. Inserting it as `running` is the lock: a partial unique
constraint allows one at a time, on PostgreSQL and SQLite alike. On PostgreSQL a
session advisory lock goes with it, so a run whose worker died is known at once.
"""

from contextlib import contextmanager, suppress
from datetime import datetime, timedelta

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q

from ..models import RatingFormula, RatingRun

# PostgreSQL advisory lock key of the recompute (any constant, unique in this project).
RUN_LOCK_KEY = 4_772_026
# A run still `running` after this long died with its worker; the next one may start.
STALE_RUN = timedelta(hours=1)


@contextmanager
def session_lock():
    """On PostgreSQL, a session advisory lock: it goes with the connection, so a worker
    killed mid-run frees it at once and the next run starts. SQLite relies on the
    partial unique constraint and the stale-run timeout alone."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            # A broken connection has dropped the lock already.
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])


def start_run(
    formula: RatingFormula, now: datetime, trigger: str, region_id: int | None = None
) -> RatingRun | None:
    """The new run, marked running; None if another one is running."""
    if connection.vendor == "postgresql":
        # Called under the advisory lock: a run still marked running has lost its worker.
        abandoned = Q(status=RatingRun.Status.RUNNING)
    else:
        abandoned = Q(status=RatingRun.Status.RUNNING, started_at__lt=now - STALE_RUN)
    RatingRun.objects.filter(abandoned).update(
        status=RatingRun.Status.FAILED, error="abandoned: its worker stopped before the end"
    )
    try:
        with transaction.atomic():
            return RatingRun.objects.create(
                formula=formula,
                region_id=region_id,
                started_at=now,
                trigger=trigger,
                status=RatingRun.Status.RUNNING,
            )
    except IntegrityError:
        if RatingRun.objects.filter(status=RatingRun.Status.RUNNING).exists():
            return None  # another recompute is running; it will include this change
        raise
