"""Reading duplicates: the appeals like one appeal among those a scope sees, and the
citizen's own near-identical appeals at filing (appeals.duplicates decides "alike")."""

from dataclasses import dataclass
from datetime import timedelta

from deputies import access

from . import duplicates
from .models import Appeal, AppealBand, AppealFingerprint

# A lookup reads at most this many candidates of each signal: a cluster of hundreds of
# identical complaints shows its newest, and the page stays one bounded read.
CANDIDATES = 500
OWN_WINDOW_DAYS = 30
OWN_RECENT = 50  # the filing caps allow 20 a day; a citizen's last 50 are plenty
# What the list shows and the access gate reads; not the text, up to 1,000 rows of it.
LISTED = ("number", "citizen_id", "region_id", "deputy_id", "status", "subject",
          "registered_at", "collective_id")  # fmt: skip


@dataclass(frozen=True)
class Similar:
    appeal: Appeal
    same_text: bool
    same_address: bool


def appeal_similar(*, scope, appeal: Appeal) -> list[Similar]:
    """Other citizens' appeals of the same house or with a near-identical text, among
    those `scope` sees, newest first. Four queries whatever the region's size: the
    fingerprint, the band and the address candidates (index lookups, at most
    CANDIDATES each, in no particular order), their rows."""
    if not access.may_see_similar(scope):
        return []
    mine = AppealFingerprint.objects.filter(appeal_id=appeal.pk).first()
    if mine is None:  # not fingerprinted yet: the beat job is seconds away
        return []
    # The bands as literals, unordered: with a subquery and ORDER BY appeal_id, a
    # PostgreSQL without fresh statistics walked the appeal index backwards through the
    # whole band table (5 s at 100,000 appeals, against 1.5 ms this way).
    bands = duplicates.bands_of(mine.signature, appeal.region.code)
    ids = set(
        AppealBand.objects.filter(band__in=bands)
        .exclude(appeal_id=appeal.pk)
        .values_list("appeal_id", flat=True)
        .order_by()[:CANDIDATES]
    )
    if mine.address_key:
        ids |= set(
            AppealFingerprint.objects.filter(address_key=mine.address_key)
            .exclude(appeal_id=appeal.pk)
            .values_list("appeal_id", flat=True)
            .order_by()[:CANDIDATES]
        )
    if not ids:
        return []
    rows = (
        Appeal.objects.visible_to(scope)
        .filter(pk__in=ids)
        .exclude(citizen_id=appeal.citizen_id)
        .select_related("fingerprint")
        .only(*LISTED, "fingerprint__signature", "fingerprint__numbers", "fingerprint__address_key")
        .order_by("-registered_at", "-pk")
    )
    found = []
    for row in rows:
        theirs = row.fingerprint
        same_address = bool(mine.address_key) and theirs.address_key == mine.address_key
        same_text = duplicates.near_identical(mine, theirs)
        if same_text or same_address:
            found.append(Similar(row, same_text=same_text, same_address=same_address))
    return found


def own_similar(*, citizen, text: str, address: str, region, now) -> list[Appeal]:
    """The citizen's own appeals of the last 30 days with a near-identical text: told
    on the "check your appeal" step. A few rows by the (citizen, registered_at) index;
    one not fingerprinted yet is compared from its text."""
    new = duplicates.fingerprint(text, address=address, region_code=region.code)
    recent = (
        Appeal.objects.filter(
            citizen=citizen, registered_at__gte=now - timedelta(days=OWN_WINDOW_DAYS)
        )
        .select_related("fingerprint", "region")
        .order_by("-registered_at")[:OWN_RECENT]
    )
    found = []
    for appeal in recent:
        theirs = getattr(appeal, "fingerprint", None) or duplicates.fingerprint(
            appeal.text, address=appeal.address, region_code=appeal.region.code
        )
        if duplicates.near_identical(new, theirs):
            found.append(appeal)
    return found
