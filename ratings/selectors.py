from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, IntegerField, Sum, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from appeals.models import Appeal
from appeals.queue import QueueFigures, queue_figures  # the committee's figures
from core.months import month_of, months_between
from deputies import access
from deputies import selectors as deputies_selectors
from deputies.models import Deputy, Region
from deputies.selectors import regions_by_id

from . import disclosure
from . import formula as maths
from .models import RatingFormula, RatingRun, RatingSnapshot

# Sort keys of the rating table, one per column: the bare key sorts by the column's value
# ascending, "-key" descending; unrated deputies come last whatever the order.
_NAME = "deputy__full_name"
TABLE_ORDERINGS = {
    "rank": ("unrated", "rank_region", "-score", _NAME),
    "-rank": ("unrated", "-rank_region", "score", _NAME),
    "name": (_NAME,),
    "-name": (F(_NAME).desc(),),
    "load": ("deputy__open_appeals", _NAME),
    "-load": ("-deputy__open_appeals", _NAME),
    "appeals": ("appeals_count", _NAME),
    "-appeals": ("-appeals_count", _NAME),
    # Appeals a month over the run's window: the window's count over one window length.
    "per_month": ("appeals_count", _NAME),
    "-per_month": ("-appeals_count", _NAME),
    "on_time": ("unrated", F("on_time_low").asc(nulls_last=True), _NAME),
    "-on_time": ("unrated", F("on_time_low").desc(nulls_last=True), _NAME),
    "median": ("unrated", F("median_days").asc(nulls_last=True), _NAME),
    "-median": ("unrated", F("median_days").desc(nulls_last=True), _NAME),
    "feedback": (F("average_feedback").asc(nulls_last=True), _NAME),
    "-feedback": (F("average_feedback").desc(nulls_last=True), _NAME),
    "solved": (F("solved_share").asc(nulls_last=True), _NAME),
    "-solved": (F("solved_share").desc(nulls_last=True), _NAME),
    "score": ("unrated", "score", _NAME),
    "-score": ("unrated", "-score", _NAME),
}


def run_as_of(as_of: date | None = None, *, region_id: int | None = None) -> RatingRun | None:
    """The table readers see: the newest complete run covering the region (a full run
    or the region's own), or the newest finished by a day. Without a region, the
    newest full run: the comparison of regions needs every region from one run."""
    runs = RatingRun.objects.covering(region_id)
    if as_of is not None:
        end = timezone.make_aware(datetime.combine(as_of, time.max))
        runs = runs.filter(finished_at__lte=end)
    return runs.select_related("formula").order_by("-finished_at", "-pk").first()


def regions_sorted() -> list[Region]:
    return deputies_selectors.regions_sorted()


def formula_versions() -> list[RatingFormula]:
    """Every version, newest first, for the preview's chooser (a handful)."""
    return list(RatingFormula.objects.order_by("-version"))


def formula_to_preview(*, versions: list[RatingFormula], asked: str | None, today: date):
    """The version asked for; without one, the newest not yet in effect (None if every
    version is already in effect: there is nothing waiting to preview)."""
    if asked and asked.isdigit():
        return next((f for f in versions if f.version == int(asked)), None)
    return next((f for f in versions if not f.in_effect_on(today)), None)


def region_for(*, scope, code: str | None) -> Region:
    """A committee reads its own region; federal staff any region (404 otherwise).
    Regions come from the per-process reference tables, as for filing."""
    return deputies_selectors.region_for(scope=scope, code=code)


def rating_table(*, run: RatingRun, region_id: int, body_id: int | None = None, ordering="rank"):
    rows = (
        RatingSnapshot.objects.filter(run=run, region_id=region_id)
        .select_related("deputy", "body")
        .annotate(
            unrated=Case(
                When(enough_data=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
    )
    if body_id:
        rows = rows.filter(body_id=body_id)
    return rows.order_by(*TABLE_ORDERINGS.get(ordering, TABLE_ORDERINGS["rank"]))


@dataclass(frozen=True)
class RankBand:
    """The places a rated deputy's score allows, and the score's 95 % interval."""

    best: int
    worst: int
    score_low: float
    score_high: float

    @property
    def label(self) -> str:
        return str(self.best) if self.best == self.worst else f"{self.best}–{self.worst}"


def rank_bands(
    *, run: RatingRun | None, region_id: int, rows: list[RatingSnapshot] | None = None
) -> dict[int, RankBand]:
    """deputy id → band, for the region's rated deputies of a run. From `rows` when they
    are the region's whole table, else one query (a body filter shows only some)."""
    if run is None:
        return {}
    if rows is None:
        rows = RatingSnapshot.objects.filter(run=run, region_id=region_id, enough_data=True).only(
            "deputy_id",
            "enough_data",
            "rank_region",
            "speed",
            "matured_count",
            "quality",
            "feedback_voices",
        )
    rated = [row for row in rows if row.enough_data]
    if not rated:
        return {}
    formula = run.formula
    lows, highs = maths.score_intervals(
        speed=[row.speed for row in rated],
        matured=[row.matured_count for row in rated],
        quality=[row.quality for row in rated],
        voices=[row.feedback_voices for row in rated],
        prior_speed=formula.prior_speed,
        prior_quality=formula.prior_quality,
        weight_speed=float(formula.weight_speed),
        weight_quality=float(formula.weight_quality),
    )
    best, worst = maths.rank_bands(lows, highs, [row.rank_region for row in rated])
    return {
        row.deputy_id: RankBand(int(b), int(w), float(low), float(high))
        for row, b, w, low, high in zip(rated, best, worst, lows, highs, strict=True)
    }


DAYS_PER_MONTH = 365.25 / 12


def with_bands_and_load(
    rows, *, run: RatingRun, region_id: int, whole_region: bool = False
) -> list[RatingSnapshot]:
    """The rows with `band` (None for an unrated deputy) and `per_month` set, for the
    table, the exports and the API. The bands are read off the rows when they are the
    region's whole table (`whole_region`), else with one query; the load needs none."""
    rows = list(rows)
    bands = rank_bands(run=run, region_id=region_id, rows=rows if whole_region else None)
    scale = DAYS_PER_MONTH / run.formula.window_days  # appeals a month over the window
    for row in rows:
        row.band = bands.get(row.deputy_id)
        row.per_month = row.appeals_count * scale
    return rows


def deputy_for(*, scope, pk: int) -> Deputy:
    deputy = Deputy.objects.select_related("region", "body").filter(pk=pk).first()
    if deputy is None or not access.may_read_deputy_rating(scope, deputy):
        raise Http404
    return deputy


def deputy_snapshot(*, run: RatingRun | None, deputy_id: int) -> RatingSnapshot | None:
    if run is None:
        return None
    return RatingSnapshot.objects.filter(run=run, deputy_id=deputy_id).first()


def deputy_history(*, deputy_id: int, limit: int = 400) -> list[RatingSnapshot]:
    """The last snapshot of each day, oldest first, for the history chart."""
    rows = (
        RatingSnapshot.objects.filter(deputy_id=deputy_id, run__status=RatingRun.Status.COMPLETE)
        .order_by("-computed_at", "-pk")
        .only("computed_at", "score", "rank_region", "enough_data")[: limit * 4]
    )
    by_day = {}
    for row in rows:
        by_day.setdefault(timezone.localdate(row.computed_at), row)
    return [by_day[day] for day in sorted(by_day)][-limit:]


def regions_comparison_rows(*, run: RatingRun | None) -> list[dict]:
    """One row per region with its shares and averages, for the page and the API."""
    rows = []
    for row in regions_comparison(run=run) if run else []:
        rows.append(
            {
                **row,
                "on_time_share": row["on_time"] / row["matured"] if row["matured"] else None,
                "average_feedback": row["feedback_total"] / row["voices"]
                if row["voices"]
                else None,
                "average_score": row["score_total"] / row["rated"] if row["rated"] else None,
            }
        )
    return rows


def regions_comparison(*, run: RatingRun):
    return (
        RatingSnapshot.objects.filter(run=run)
        .values("region_id", "region__code", "region__name", "region__name_en")
        .annotate(
            deputies=Sum(Value(1)),
            rated=Sum(Case(When(enough_data=True, then=1), default=0)),
            matured=Sum("matured_count"),
            on_time=Sum("on_time_count"),
            voices=Sum("feedback_voices"),
            feedback_total=Sum(F("average_feedback") * F("feedback_voices")),
            score_total=Sum(Case(When(enough_data=True, then=F("score")), default=0.0)),
        )
        .order_by("region__code")
    )


# The window of the queue figures when no rating has been computed to name one.
DEFAULT_WINDOW_DAYS = 365


def queue_window_days(*, run: RatingRun | None) -> int:
    """The queue figures cover the rating's window."""
    return run.formula.window_days if run is not None else DEFAULT_WINDOW_DAYS


def queue_window_start(*, run: RatingRun | None, now: datetime) -> datetime:
    return now - timedelta(days=queue_window_days(run=run))


def regions_comparison_with_queue(*, run: RatingRun | None, now: datetime) -> list[dict]:
    """The comparison of regions with each committee's queue figures beside the rating;
    a region without a rated deputy but with a queue has a row too (its queue is the
    very thing to see)."""
    rows = regions_comparison_rows(run=run)
    queues = queue_figures(
        since=queue_window_start(run=run, now=now), today=timezone.localdate(now)
    )
    seen = set()
    for row in rows:
        row["queue"] = queues.get(row["region_id"], QueueFigures())
        seen.add(row["region_id"])
    missing = {region_id: figures for region_id, figures in queues.items() if region_id not in seen}
    regions = regions_by_id() if missing else {}
    for region_id, figures in missing.items():
        region = regions.get(region_id)
        if region is None:
            continue
        rows.append(
            {
                "region_id": region_id,
                "region__code": region.code,
                "region__name": region.name,
                "region__name_en": region.name_en,
                "deputies": 0,
                "rated": 0,
                "on_time_share": None,
                "average_feedback": None,
                "average_score": None,
                "queue": figures,
            }
        )
    rows.sort(key=lambda row: row["region__code"])
    return rows


SMALL_CELL = disclosure.SMALL  # cells below this are shown as "<5" so nobody is identifiable


def _topic_rows(topics, level: str) -> dict:
    """Each topic's id → the id of the table row it counts in; in the tree's order, a
    top topic's subtopics right after it."""
    if level == "sub":
        return {topic.pk: topic.pk for topic in topics}
    return {topic.pk: topic.parent_id or topic.pk for topic in topics}


class HiddenTopics:
    """The chart's one series for the topics whose totals the table hides."""

    pk = "hidden"
    display_name = gettext_lazy("Other topics (hidden in the table)")


LEVELS = ("top", "sub")  # topic analytics: by top topic, or by subtopic


def _analytics_places(region_id: int):
    """The columns of the topic analytics and where each place's appeals go: a unit
    counts in its city district (St Petersburg's 18 districts, Moscow's okrugs, a
    centre's districts), any other place in the top place it is part of. One query."""
    rows = deputies_selectors.municipalities_of(region_id=region_id)
    column_of = deputies_selectors.place_columns(rows)
    places = sorted(
        (rows[pk] for pk in set(column_of.values())),
        key=lambda p: (not p.is_admin_centre, p.parent_id is None, p.name),
    )
    return places, column_of


def topic_analytics(*, region_id: int, since, until, level: str = "top") -> dict:
    """Appeals of a region by topic × municipality, published with small-cell
    suppression (ratings/disclosure.py), and by topic × month for the chart, every month
    of the window present (a month without appeals is a month of zeros); with the
    number of appeals per topic whose topic the deputy corrected (counted on the topic
    the citizen had chosen). `level`: "top" folds subtopics into their top topic; "sub"
    has a row per topic of the tree (a top topic's row: appeals filed on it without a
    subtopic). Three grouped queries whatever the number of appeals."""
    from django.db.models import F
    from django.db.models.functions import TruncMonth

    from appeals.models import Topic

    appeals = Appeal.objects.filter(
        region_id=region_id, registered_at__gte=since, registered_at__lt=until
    )
    cells = appeals.values("topic_id", "municipality_id").annotate(n=Count("pk")).order_by()
    by_month = (
        appeals.annotate(month=TruncMonth("registered_at"))
        .values("topic_id", "month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    corrected = (
        appeals.filter(citizen_topic__isnull=False)
        .exclude(citizen_topic=F("topic"))
        .values("citizen_topic_id", "topic_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    every = list(Topic.objects.order_by("position", "name"))
    row_of = _topic_rows(every, level)
    topics = [topic for topic in every if row_of.get(topic.pk) == topic.pk]
    parents = {topic.parent_id for topic in every if topic.parent_id}
    places, column_of = _analytics_places(region_id)
    grid = defaultdict(int)
    for c in cells:
        row = row_of.get(c["topic_id"], c["topic_id"])
        grid[(row, column_of.get(c["municipality_id"]))] += c["n"]
    by_month = [
        {**row, "topic_id": row_of.get(row["topic_id"], row["topic_id"])} for row in by_month
    ]
    corrections = defaultdict(int)
    for row in corrected:
        chosen = row_of.get(row["citizen_topic_id"], row["citizen_topic_id"])
        if chosen != row_of.get(row["topic_id"], row["topic_id"]):  # within one row: none
            corrections[chosen] += row["n"]
    columns = [place.pk for place in places] + [None]  # None: municipality not given
    table = disclosure.suppress(dict(grid), [topic.pk for topic in topics], columns)
    total = disclosure.TOTAL

    # The chart must not give back what the table hides: a topic's months add up to its
    # total, so topics with a hidden total are drawn as one series, and the whole chart
    # (which adds up to the grand total) only when the grand total is shown.
    hidden_topics = {topic.pk for topic in topics if not table[(topic.pk, total)].shown}
    chart_topics = [topic for topic in topics if topic.pk not in hidden_topics]
    if hidden_topics:
        chart_topics.append(HiddenTopics())
    months = months_between(timezone.localdate(since), timezone.localdate(until))
    by_months = None
    # By month only top topics: sixty-odd subtopics are no chart to read.
    if table[(total, total)].shown and level == "top":
        month_grid = defaultdict(int)
        for row in by_month:
            topic_id = HiddenTopics.pk if row["topic_id"] in hidden_topics else row["topic_id"]
            month_grid[(topic_id, month_of(row["month"]))] += row["n"]
        series = [topic.pk for topic in chart_topics]
        # The topics' totals and the grand total are public in the table above (the
        # hidden topics' sum follows from it): the months table hides its own small
        # cells and what would give them back, never those.
        by_months = disclosure.suppress(
            month_grid,
            series,
            months,
            published={(topic_id, total) for topic_id in series} | {(total, total)},
        )
    return {
        "places": places,
        "rows": [
            {
                "topic": topic,
                "cells": [table[(topic.pk, column)] for column in columns],
                "total": table[(topic.pk, total)],
                "corrected": disclosure.alone(corrections.get(topic.pk, 0)),
                "sub": topic.parent_id is not None,
                "general": level == "sub" and topic.parent_id is None and topic.pk in parents,
            }
            for topic in topics
        ],
        "level": level,
        "corrected_total": disclosure.alone(sum(corrections.values())),
        "totals": [table[(total, column)] for column in columns],
        "grand_total": table[(total, total)],
        "chart_months": months,
        "by_months": by_months,
        "chart_topics": chart_topics,
    }
