"""The committee's queue: why each appeal waits there and for how long, and the
committee's own figures of its unassigned queue (read here by the queue page, and by
the rating pages through ratings.selectors)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, DateField, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.sql import DaysBetween
from deputies.access import deputy_can_act

from .models import Appeal, AppealEvent
from .services import QUEUE_DAYS

# The queue page's figures cover the last year, as the rating's default window does.
FIGURES_WINDOW_DAYS = 365


@dataclass(frozen=True)
class QueueRow:
    """An appeal in the committee's queue: why it waits (the headline, and what else the
    data tells of it), since when, and how many of the committee's 7 days are left."""

    appeal: object
    why: str
    days_waiting: int
    days_left: int  # of the committee's 7; below zero when the committee is late
    details: list = field(default_factory=list)

    @property
    def days_late(self):
        return -self.days_left

    @property
    def unassigned(self):
        return self.appeal.deputy_id is None

    @property
    def past_due(self):
        return self.days_left < 0


def redirect_counts(*, appeal_ids) -> dict[int, int]:
    """How many times each of these appeals was redirected: one grouped query."""
    if not appeal_ids:
        return {}
    rows = (
        AppealEvent.objects.filter(appeal_id__in=appeal_ids, type=AppealEvent.Type.REDIRECTED)
        .values("appeal_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["appeal_id"]: row["n"] for row in rows}


def queue_rows(appeals, *, today: date, region_accepts: bool) -> list[QueueRow]:
    """A page of the queue with the reasons each appeal waits, from what the data holds:
    the region's deputies now, the deputy's account and choice, the appeal's
    redirects, extension and an earlier reassignment. The appeals come with their
    deputy and the deputy's account (`committee_queue`); one more query for the page."""
    appeals = list(appeals)
    redirects = redirect_counts(appeal_ids=[a.pk for a in appeals if a.deputy_id])
    return [
        _queue_row(a, today, region_accepts=region_accepts, redirects=redirects.get(a.pk, 0))
        for a in appeals
    ]


def _queue_row(appeal, today, *, region_accepts: bool, redirects: int) -> QueueRow:
    """An unassigned appeal waits since registration, an overdue one since its deputy's
    deadline."""
    details = []
    if appeal.deputy_id is None:
        why = (
            _("No deputy of the region accepted appeals when it was filed")
            if region_accepts
            else _("No deputy of the region accepts appeals")
        )
        since = timezone.localdate(appeal.registered_at)
    else:
        late = (today - appeal.deadline).days
        why = ngettext(
            "The deputy's deadline passed %(days)s day ago",
            "The deputy's deadline passed %(days)s days ago",
            late,
        ) % {"days": late}
        deputy = appeal.deputy
        if not deputy_can_act(deputy):
            details.append(_("The deputy's account is inactive: nobody reads the appeal."))
        elif not deputy.accepts_appeals:
            details.append(_("The deputy no longer takes appeals."))
        if appeal.missed_by_id and appeal.missed_by_id != appeal.deputy_id:
            details.append(
                _("Already reassigned once after a missed deadline: the deputy had 7 days.")
            )
        elif appeal.left_queue_at:
            details.append(_("Assigned from the committee's queue."))
        if redirects:
            details.append(
                ngettext("Redirected %(count)s time.", "Redirected %(count)s times.", redirects)
                % {"count": redirects}
            )
        if appeal.extended_days:
            details.append(
                ngettext(
                    "The deadline was extended by %(days)s day.",
                    "The deadline was extended by %(days)s days.",
                    appeal.extended_days,
                )
                % {"days": appeal.extended_days}
            )
        since = appeal.deadline
    waiting = (today - since).days
    return QueueRow(appeal, why, waiting, QUEUE_DAYS - waiting, details)


def queue_figures_window_start(*, now: datetime, days: int = FIGURES_WINDOW_DAYS) -> datetime:
    return now - timedelta(days=days)


@dataclass
class QueueFigures:
    """A region committee's own figures of its unassigned queue."""

    entered: int = 0  # appeals that waited in the queue, within the window
    median_days: float | None = None  # days in the queue; those still waiting, so far
    past_due: int = 0  # of them, waited past the 7 days (assigned late or still waiting)
    waiting: int = 0  # waiting now
    waiting_past_due: int = 0  # waiting now, past the 7 days


def queue_figures(
    *, since: datetime, today: date, region_id: int | None = None
) -> dict[int, QueueFigures]:
    """Per region: how long appeals waited in the unassigned queue, and how many waited
    past the committee's 7 days. These days are the committee's, never a deputy's: the
    deputy's clock starts at the assignment. An appeal waiting now counts however old.

    One grouped query (appeals by region, days waited and whether still waiting: a
    histogram of a few hundred rows at most); the medians are read off it."""
    waiting = Q(deputy__isnull=True, status=Appeal.Status.SUBMITTED)
    left = Coalesce(
        TruncDate("left_queue_at"),
        TruncDate("closed_at"),  # withdrawn while it waited
        Value(today, output_field=DateField()),
    )
    appeals = Appeal.objects.all()
    if region_id is not None:
        appeals = appeals.filter(region_id=region_id)
    rows = (
        appeals.filter(
            Q(registered_at__gte=since, left_queue_at__isnull=False)
            | Q(registered_at__gte=since, deputy__isnull=True)
            | waiting
        )
        .annotate(
            days=DaysBetween(TruncDate("registered_at"), left),
            still=Case(When(waiting, then=Value(1)), default=Value(0)),
        )
        .values("region_id", "days", "still")
        .annotate(n=Count("pk"))
        .order_by("region_id", "days")
    )
    histograms = defaultdict(list)
    figures = defaultdict(QueueFigures)
    for row in rows:
        days, n = row["days"], row["n"]
        item = figures[row["region_id"]]
        item.entered += n
        histograms[row["region_id"]].append((days, n))
        if days > QUEUE_DAYS:
            item.past_due += n
        if row["still"]:
            item.waiting += n
            item.waiting_past_due += n if days > QUEUE_DAYS else 0
    for region_id, histogram in histograms.items():
        figures[region_id].median_days = _median(histogram)
    return dict(figures)


def _median(histogram: list[tuple[int, int]]) -> float:
    """The median of values given as (value, count) pairs in ascending order."""
    merged = defaultdict(int)
    for value, count in histogram:
        merged[value] += count
    total = sum(merged.values())
    middle = []  # the values at positions ⌈total/2⌉ and ⌊total/2⌋+1, counted from 1
    wanted = sorted({(total + 1) // 2, total // 2 + 1})
    seen = 0
    for value in sorted(merged):
        seen += merged[value]
        while wanted and wanted[0] <= seen:
            middle.append(value)
            wanted.pop(0)
    return sum(middle) / len(middle)
