from celery import shared_task

from . import services
from .hotspots import services as hotspots


@shared_task(name="ratings.recompute_nightly")
def recompute_nightly():
    run = services.ratings_recompute_nightly()
    return run.pk if run else None


@shared_task(name="ratings.recompute_due")
def recompute_due():
    run = services.ratings_recompute_due()
    return run.pk if run else None


@shared_task(name="ratings.hot_spots")
def hot_spots():
    return hotspots.hot_spots_compute()


@shared_task(name="ratings.hot_spots_digest")
def hot_spots_digest():
    return hotspots.hot_spots_digest()
