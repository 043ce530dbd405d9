from celery import shared_task
from django.core.cache import cache

from . import services
from .models import RatingRun
from .triggers import PENDING_KEY


@shared_task(name="ratings.recompute_nightly")
def recompute_nightly():
    run = services.ratings_recompute(trigger=RatingRun.Trigger.SCHEDULE)
    return run.pk if run else None


@shared_task(name="ratings.recompute_after_change")
def recompute_after_change():
    # Cleared first: a change made while this run computes schedules the next one.
    cache.delete(PENDING_KEY)
    run = services.ratings_recompute(trigger=RatingRun.Trigger.EVENT)
    return run.pk if run else None
