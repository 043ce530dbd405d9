"""What the committee's hot-spot pages read. Counts under 5 are shown as "<5", as in
the topic analytics (ratings/disclosure.py)."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.translation import gettext

from appeals.models import Appeal
from deputies import access
from deputies.selectors import municipalities_of, place_columns

from .. import disclosure
from ..models import HotSpotAlert

PAGE_SIZE = 50
APPEALS_SHOWN = 200  # the appeals behind one alert: a week of one cell, rarely more


def shown_count(n) -> str:
    """A count as the committee reads it: 1–4 as "<5"."""
    if disclosure.is_small(n):
        return str(disclosure.alone(n))
    return str(round(n, 1)) if isinstance(n, float) and n % 1 else str(int(n))


def chance(p_value: float) -> str:
    """The odds of such a week if nothing had changed: "one in 12 600"."""
    if p_value < 1e-6:
        return gettext("less than one in a million")
    odds = number_format(int(round(1 / p_value, -2 if p_value < 1e-3 else 0)), force_grouping=True)
    return gettext("one in %(odds)s") % {"odds": odds}


@dataclass(frozen=True)
class AlertRow:
    alert: HotSpotAlert
    count: str
    baseline: str
    ratio: float | None  # the week over its baseline, when the baseline is published
    chance: str  # the p-value as a person reads it


def alert_rows(alerts) -> list[AlertRow]:
    rows = []
    for alert in alerts:
        hidden = disclosure.is_small(alert.baseline)
        ratio = None
        if not hidden and alert.baseline:
            ratio = alert.count / alert.baseline
        rows.append(
            AlertRow(
                alert=alert,
                count=shown_count(alert.count),
                baseline=shown_count(alert.baseline),
                ratio=ratio,
                chance=chance(alert.p_value),
            )
        )
    return rows


def hot_spot_list(*, scope, region_id: int | None = None, status: str | None = None):
    """Alerts the scope sees, newest week first and strongest first; two queries a
    page (the count and the rows) whatever their number."""
    alerts = HotSpotAlert.objects.visible_to(scope).select_related(
        "region", "municipality", "topic__parent", "decided_by"
    )
    if region_id is not None:
        alerts = alerts.filter(region_id=region_id)
    if status in HotSpotAlert.Status.values:
        alerts = alerts.filter(status=status)
    return alerts.order_by("-week", "-score", "pk")


def hot_spot_page(*, alerts, number):
    page = Paginator(alerts, PAGE_SIZE).get_page(number)
    return page, alert_rows(page.object_list)


def hot_spot_get(*, scope, pk: int) -> HotSpotAlert:
    return access.get_for(
        scope,
        HotSpotAlert.objects.select_related(
            "region", "municipality", "topic__parent", "decided_by"
        ),
        pk=pk,
    )


def hot_spot_weeks(alert: HotSpotAlert) -> list:
    """The Mondays of the alert's series, oldest first."""
    n = len(alert.series)
    return [alert.week - timedelta(weeks=n - 1 - i) for i in range(n)]


def hot_spot_appeals(*, scope, alert: HotSpotAlert):
    """The appeals behind an alert that the scope may see: its week, its place (with the
    units counted in it), its topic (with its subtopics for a top topic)."""
    from appeals.models import Topic

    from .services import _start

    places = municipalities_of(region_id=alert.region_id)
    members = [
        pk for pk, column in place_columns(places).items() if column == alert.municipality_id
    ]
    topics = [alert.topic_id]
    if alert.topic.parent_id is None:
        topics += list(Topic.objects.filter(parent_id=alert.topic_id).values_list("pk", flat=True))
    return (
        Appeal.objects.visible_to(scope)
        .filter(
            region_id=alert.region_id,
            municipality_id__in=members,
            topic_id__in=topics,
            registered_at__gte=_start(alert.week),
            registered_at__lt=_start(alert.week + timedelta(weeks=1)),
        )
        .select_related("topic", "municipality")
        .order_by("registered_at", "pk")[:APPEALS_SHOWN]
    )
