"""Keeping each appeal's fingerprint (appeals.duplicates), after its filing commits.

The filing writes nothing for it: in the embedded default the fingerprint is taken
right after the commit; in production the beat job `appeals.fingerprint_new` takes
the appeals that have none yet, every 15 seconds, so no request waits for the
lemmatiser or talks to the broker (while Redis is away they wait, none lost).
`manage.py fingerprint_appeals` does the same for everything filed before."""

import time

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from .. import duplicates
from ..models import Appeal, AppealBand, AppealFingerprint

# Appeals committed out of id order (a long filing transaction) are still picked up
# if they are within this many ids of the newest fingerprint.
LOOKBACK_IDS = 1000
BATCH = 500
RUN_SECONDS = 10  # the job runs every 15 seconds


def after_filing(appeal: Appeal) -> None:
    """Call inside the filing transaction."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pk = appeal.pk
        transaction.on_commit(lambda: appeals_fingerprint(ids=[pk]), robust=True)


@transaction.atomic
def appeals_fingerprint(*, ids) -> int:
    """(Re)write the fingerprints of these appeals; running it twice changes nothing."""
    rows = list(
        Appeal.objects.filter(pk__in=ids)
        .select_related("region")
        .only("pk", "text", "address", "region__code")
    )
    prints, bands = [], []
    for appeal in rows:
        fp = duplicates.fingerprint(
            appeal.text, address=appeal.address, region_code=appeal.region.code
        )
        prints.append(
            AppealFingerprint(
                appeal_id=appeal.pk,
                signature=fp.signature,
                numbers=fp.numbers,
                address_key=fp.address_key,
            )
        )
        bands += [AppealBand(appeal_id=appeal.pk, band=band) for band in fp.bands]
    found = [appeal.pk for appeal in rows]
    AppealFingerprint.objects.filter(appeal_id__in=found).delete()
    AppealBand.objects.filter(appeal_id__in=found).delete()
    # A run overlapping another (a slow batch) may have written them meanwhile.
    AppealFingerprint.objects.bulk_create(prints, ignore_conflicts=True)
    AppealBand.objects.bulk_create(bands, batch_size=5000)
    return len(rows)


def appeals_fingerprint_new(*, budget_seconds: float = RUN_SECONDS) -> int:
    """The beat job: appeals filed since the newest fingerprint that have none, for at
    most `budget_seconds` (less than the job's interval, so runs do not pile up). With
    no fingerprint at all it starts near the newest appeal: what was filed before is
    `manage.py fingerprint_appeals`' work, not a beat run's."""
    newest = AppealFingerprint.objects.aggregate(last=Max("appeal_id"))["last"]
    if newest is None:
        newest = Appeal.objects.aggregate(last=Max("pk"))["last"] or 0
    stop = time.monotonic() + budget_seconds
    done = 0
    while time.monotonic() < stop:
        ids = list(
            Appeal.objects.filter(pk__gt=newest - LOOKBACK_IDS, fingerprint__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        done += appeals_fingerprint(ids=ids)
        newest = max(newest, ids[-1])
    return done


def appeals_fingerprint_all(*, only_missing: bool = True, progress=None) -> int:
    """Every appeal (or those without a fingerprint), in batches of BATCH ids."""
    queryset = Appeal.objects.order_by("pk")
    if only_missing:
        queryset = queryset.filter(fingerprint__isnull=True)
    total = queryset.count()
    done, last = 0, 0
    while True:
        ids = list(queryset.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH])
        if not ids:
            return done
        done += appeals_fingerprint(ids=ids)
        last = ids[-1]
        if progress:
            progress(done, total)
