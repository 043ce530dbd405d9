from celery import shared_task

from . import services


@shared_task(name="ratings.recompute_nightly")
def recompute_nightly():
    run = services.ratings_recompute_nightly()
    return run.pk if run else None


@shared_task(name="ratings.recompute_due")
def recompute_due():
    run = services.ratings_recompute_due()
    return run.pk if run else None
