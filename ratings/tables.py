"""The rating pages' django-tables2 tables: a region's rating table and the regions
compared. Each column's header sorts by the key the view understands; a column whose
first question is "who has the most" sorts from the top on the first click."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from appeals.tables import OrderedRows

DASH = "—"


class SortColumn(tables.Column):
    """A sortable column; `descending_first` for figures read from the top."""

    def __init__(self, *args, descending_first=False, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "num"}, "td": {"class": "num"}})
        super().__init__(*args, empty_values=(), **kwargs)
        self.descending_first = descending_first


def _percent(share) -> str:
    return DASH if share is None else f"{round(100 * share)}%"


def _number(value, decimals) -> str:
    return DASH if value is None else number_format(value, decimals)


class RatingTable(tables.Table):
    """A region's deputies from one rating run, ordered by the database (the view's
    `sort` key): the table draws them and says which order they are in."""

    rank = SortColumn(verbose_name=_("Rank"), attrs={"td": {"class": "num"}})
    name = SortColumn(verbose_name=_("Deputy"), accessor="deputy__full_name", attrs={})
    body = tables.Column(verbose_name=_("Body"), accessor="body", orderable=False)
    load = SortColumn(verbose_name=_("Open now"), descending_first=True)
    per_month = SortColumn(verbose_name=_("Appeals a month"), descending_first=True)
    appeals = SortColumn(verbose_name=_("Appeals"), descending_first=True)
    on_time = SortColumn(verbose_name=_("On time (95 percent interval)"), descending_first=True)
    median = SortColumn(verbose_name=_("Median days"))
    feedback = SortColumn(verbose_name=_("Feedback"), descending_first=True)
    solved = SortColumn(verbose_name=_("Solved"), descending_first=True)
    score = SortColumn(verbose_name=_("Score"), descending_first=True)
    change = tables.Column(
        verbose_name=_("Change"),
        orderable=False,
        empty_values=(),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )

    caption = _("Rating of deputies")

    class Meta:
        template_name = "components/table.html"
        order_by_field = "sort"
        attrs = {"id": "rating-table", "class": "table table-hover align-middle rating-table"}
        row_attrs = {"class": lambda record: "" if record.enough_data else "unrated"}

    def __init__(self, snapshots, **kwargs):
        super().__init__(OrderedRows(list(snapshots)), **kwargs)

    def render_rank(self, record):
        """The band of places the score's interval allows (the exact rank when it is one
        place); the rank itself orders the rows."""
        if not record.enough_data:
            return DASH
        band = getattr(record, "band", None)
        return band.label if band else record.rank_region

    def render_name(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("ratings:deputy_rating", args=[record.deputy_id]),
            record.deputy.full_name,
        )

    def render_body(self, record):
        return record.body.display_name

    def render_load(self, record):
        return record.deputy.open_appeals

    def render_per_month(self, record):
        per_month = getattr(record, "per_month", None)
        # number_format cuts the digits off; the drill-down's floatformat rounds them.
        return _number(None if per_month is None else round(per_month, 1), 1)

    def render_appeals(self, record):
        return record.appeals_count

    def render_on_time(self, record):
        if not record.matured_count:
            return DASH
        return format_html(
            '{} <span class="text-muted">({}–{})</span>',
            _percent(record.on_time_share),
            _percent(record.on_time_low).rstrip("%"),
            _percent(record.on_time_high),
        )

    def render_median(self, record):
        return DASH if record.median_days is None else record.median_days

    def render_feedback(self, record):
        return _number(record.average_feedback, 1)

    def render_solved(self, record):
        return _percent(record.solved_share)

    def render_score(self, record):
        if not record.enough_data:
            return format_html('<span class="text-muted">{}</span>', _("not enough data"))
        band = getattr(record, "band", None)
        if band is None:
            return format_html("<strong>{}</strong>", number_format(record.score, 1))
        return format_html(
            '<strong>{}</strong> <span class="text-muted">({}–{})</span>',
            number_format(record.score, 1),
            number_format(round(band.score_low), 0),
            number_format(round(band.score_high), 0),
        )

    def render_change(self, record):
        change = record.change
        if change is None:
            return DASH
        return ("+" if change > 0 else "") + number_format(change, 1)


def regions_table_rows(rows) -> list[dict]:
    """The comparison's rows with flat keys (tables2 reads "a__b" as a path), the queue
    figures beside the rating's."""
    english = (get_language() or "ru").startswith("en")
    flat = []
    for row in rows:
        queue = row.get("queue")
        flat.append(
            {
                "code": row["region__code"],
                "name": (row["region__name_en"] if english and row["region__name_en"] else None)
                or row["region__name"],
                "deputies": row["deputies"],
                "rated": row["rated"],
                "on_time": row["on_time_share"],
                "feedback": row["average_feedback"],
                "score": row["average_score"],
                "queue_median": queue.median_days if queue else None,
                "queue_past_due": queue.past_due if queue else 0,
                "queue_waiting": queue.waiting if queue else 0,
                "queue_waiting_past_due": queue.waiting_past_due if queue else 0,
            }
        )
    return flat


class RegionsTable(tables.Table):
    """One row per region (`regions_table_rows`), sorted here: there are at most 89.
    Each region links to its rating table, topics and queue."""

    region = SortColumn(
        verbose_name=_("Region"), accessor="code", attrs={"td": {"class": "region-cell"}}
    )
    deputies = SortColumn(verbose_name=_("Deputies"), descending_first=True)
    rated = SortColumn(verbose_name=_("Rated"), descending_first=True)
    on_time = SortColumn(verbose_name=_("On time"), descending_first=True)
    feedback = SortColumn(verbose_name=_("Average feedback"), descending_first=True)
    score = SortColumn(verbose_name=_("Average score"), descending_first=True)
    queue_median = SortColumn(verbose_name=_("Median days in the queue"), descending_first=True)
    queue_past_due = SortColumn(verbose_name=_("Waited past 7 days"), descending_first=True)
    queue_waiting = SortColumn(verbose_name=_("Waiting now (past 7 days)"), descending_first=True)

    caption = _("Regions compared")

    class Meta:
        template_name = "components/table.html"
        order_by_field = "sort"
        attrs = {"id": "regions-table", "class": "table table-hover align-middle regions-table"}

    def render_region(self, record):
        code = record["code"]
        return format_html(
            '<a href="{table}?region={code}" class="region-link">{code} {name}</a>'
            '<span class="region-links"><a href="{topics}?region={code}">{topics_label}</a>'
            ' · <a href="{queue}?region={code}">{queue_label}</a></span>',
            table=reverse("ratings:region_table"),
            topics=reverse("ratings:topic_analytics"),
            queue=reverse("appeals:committee_queue"),
            code=code,
            name=record["name"],
            topics_label=_("topics"),
            queue_label=_("queue"),
        )

    def render_on_time(self, record):
        return _percent(record["on_time"])

    def render_feedback(self, record):
        return _number(record["feedback"], 2)

    def render_score(self, record):
        return _number(record["score"], 1)

    def render_queue_median(self, record):
        median = record["queue_median"]
        return DASH if median is None else number_format(median, 1 if median % 1 else 0)

    def render_queue_waiting(self, record):
        return f"{record['queue_waiting']} ({record['queue_waiting_past_due']})"
