"""The hot-spot job, the committee's decision and the weekly digest."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import Count, DateField
from django.db.models.functions import TruncWeek
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appeals.models import Appeal, Topic
from deputies import access
from deputies.models import CommitteeMembership, Municipality
from deputies.selectors import place_columns

from ..models import HotSpotAlert
from . import detect

Status = HotSpotAlert.Status
# The last complete week and the current one (so far): a daily run sees a rise midweek,
# and Monday's run settles the week just ended.
WEEKS_TESTED = 2


def week_of(day: date) -> date:
    """The Monday of a day's week (weeks run Monday to Sunday, Moscow time)."""
    return day - timedelta(days=day.weekday())


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def cell_weeks(*, since: date, until: date):
    """People who wrote per (place, topic row, week) from `since` (a Monday) up to
    `until` (a Monday, excluded): {(place_id, topic_id): {week: people}}.

    Places and topics are rolled up as the topic analytics does: a unit counts in its
    city district; a subtopic counts in its own row and in its top topic's row. One
    citizen's appeals in a cell and week count once (a serial filer's copies are one
    voice); an appeal without a citizen counts alone. One grouped query: it returns a
    row per (municipality, topic, week, citizen), about one per appeal in the weeks."""
    rows = (
        Appeal.objects.filter(
            registered_at__gte=_start(since),
            registered_at__lt=_start(until),
            municipality__isnull=False,
        )
        .annotate(week=TruncWeek("registered_at", output_field=DateField()))
        .values_list("municipality_id", "topic_id", "week", "citizen_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    places = {
        m.pk: m for m in Municipality.objects.only("pk", "parent_id", "is_admin_centre", "region")
    }
    column_of = place_columns(places)
    parent_of = dict(Topic.objects.values_list("pk", "parent_id"))
    people = defaultdict(set)
    alone = defaultdict(int)
    for municipality_id, topic_id, day, citizen_id, n in rows.iterator(chunk_size=20_000):
        place = column_of[municipality_id]
        parent = parent_of.get(topic_id)
        keys = ((place, parent), (place, topic_id)) if parent else ((place, topic_id),)
        for key in keys:
            if citizen_id is None:
                alone[(key, day)] += n
            else:
                people[(key, day)].add(citizen_id)
    cells = defaultdict(dict)
    for (key, day), who in people.items():
        cells[key][day] = len(who)
    for (key, day), n in alone.items():
        cells[key][day] = cells[key].get(day, 0) + n
    region_of = {pk: place.region_id for pk, place in places.items()}
    return cells, region_of


def hot_spots_compute(*, today: date | None = None) -> int:
    """Test the last complete week and the current one of every cell against the
    cell's own previous weeks; store each rise as an alert (or refresh its numbers,
    keeping the committee's decision). Returns the alerts written. Safe to run twice."""
    today = today or timezone.localdate()
    current = week_of(today)
    span = detect.BASELINE_WEEKS + WEEKS_TESTED
    weeks = [current - timedelta(weeks=span - 1 - i) for i in range(span)]
    cells, region_of = cell_weeks(since=weeks[0], until=current + timedelta(weeks=1))
    if not cells:
        return 0
    keys = list(cells)
    index = {week: i for i, week in enumerate(weeks)}
    counts = np.zeros((len(keys), span), dtype=np.int64)
    for row, key in enumerate(keys):
        for week, n in cells[key].items():
            counts[row, index[week]] = n
    alerts = []
    for last in range(span - WEEKS_TESTED, span):
        window = counts[:, last - detect.BASELINE_WEEKS : last + 1]
        verdict = detect.detect(window)
        for row in np.flatnonzero(verdict.alert):
            place, topic = keys[row]
            p_value = float(verdict.p_value[row])
            alerts.append(
                HotSpotAlert(
                    region_id=region_of[place],
                    municipality_id=place,
                    topic_id=topic,
                    week=weeks[last],
                    count=int(window[row, -1]),
                    baseline=round(float(verdict.baseline[row]), 3),
                    p_value=p_value,
                    score=round(detect.score(p_value), 2),
                    series=[int(n) for n in window[row]],
                )
            )
    HotSpotAlert.objects.bulk_create(
        alerts,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["municipality", "topic", "week"],
        update_fields=["count", "baseline", "p_value", "score", "series", "updated_at"],
    )
    return len(alerts)


DECISIONS = (Status.CONFIRMED, Status.DISMISSED)


@transaction.atomic
def hot_spot_decide(*, scope, user, alert_id: int, status: str, note: str) -> HotSpotAlert:
    """The region's committee confirms an alert or dismisses it, with a note; who and
    when are kept. A later decision replaces an earlier one."""
    alert = access.get_for(scope, HotSpotAlert.objects.select_for_update(), pk=alert_id)
    if not access.may_decide_hot_spot(scope, alert):
        raise PermissionDenied
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose confirm or dismiss.")})
    alert.status = status
    alert.note = note.strip()
    alert.decided_by = user
    alert.decided_at = timezone.now()
    alert.save(update_fields=["status", "note", "decided_by", "decided_at", "updated_at"])
    return alert


def _digest_letter(*, region, alerts):
    from .selectors import alert_rows

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Hot spots of the week: %(region)s") % {"region": region.display_name}
        body = render_to_string(
            "ratings/email/hot_spots_digest.txt",
            {
                "region": region,
                "rows": alert_rows(alerts),
                "link": settings.SITE_URL + reverse("ratings:hot_spots"),
            },
        )
    return subject, body


def hot_spots_digest(*, now: datetime | None = None) -> int:
    """Send each region's committee members the new alerts not yet in a digest, then
    mark them: a second run sends nothing again. Returns the letters sent."""
    now = now or timezone.now()
    alerts = list(
        HotSpotAlert.objects.filter(mailed_at__isnull=True, status=Status.NEW)
        .select_related("region", "municipality", "topic__parent")
        .order_by("region_id", "-score")
    )
    by_region = defaultdict(list)
    for alert in alerts:
        by_region[alert.region_id].append(alert)
    members = defaultdict(list)
    for membership in CommitteeMembership.objects.filter(
        region_id__in=by_region, user__is_active=True
    ).select_related("user"):
        members[membership.region_id].append(membership.user.email)
    sent = 0
    connection = get_connection()
    for region_alerts in by_region.values():
        addresses = members.get(region_alerts[0].region_id)
        if not addresses:
            continue
        subject, body = _digest_letter(region=region_alerts[0].region, alerts=region_alerts)
        for address in addresses:
            sent += send_mail(subject, body, None, [address], connection=connection)
    HotSpotAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(mailed_at=now)
    return sent
