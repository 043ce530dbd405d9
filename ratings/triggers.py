"""How other apps ask for a recompute: after their transaction commits, debounced, and
never failing or waiting because Redis is away.

The first change in a quiet period schedules one recompute `RATING_DEBOUNCE_SECONDS`
later; changes until then ride along with it. If the cache or the broker is down the
change is only logged: the nightly recompute includes it anyway.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
PENDING_KEY = "ratings:recompute-pending"


def _schedule(region_id: int) -> None:
    from . import services
    from .models import RatingRun
    from .tasks import recompute_after_change

    delay = settings.RATING_DEBOUNCE_SECONDS
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            # Embedded default, no worker: recompute now, at most once per period.
            if cache.add(PENDING_KEY, region_id, timeout=delay):
                services.ratings_recompute(trigger=RatingRun.Trigger.EVENT)
            return
        if not cache.add(PENDING_KEY, region_id, timeout=delay + 60):
            return  # a recompute is already on its way
        recompute_after_change.apply_async(countdown=delay, retry=False)
    except Exception:
        logger.warning("could not schedule a rating recompute; the nightly run will", exc_info=True)


def region_changed(*, region_id: int) -> None:
    """Call inside the transaction that answered or rated an appeal of the region."""
    transaction.on_commit(lambda: _schedule(region_id), robust=True)
