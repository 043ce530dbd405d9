"""The four charts of the rating pages, built as data for the components in
templates/components/charts/ (see svg.py for why every number is a string)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..disclosure import SMALL, TOTAL
from .svg import (
    BOTTOM,
    CHAR,
    HEIGHT,
    LABEL_SIZE,
    LEFT,
    NOT_SHOWN,
    PALETTE,
    RIGHT,
    TOP,
    WIDTH,
    Cell,
    Chart,
    Key,
    Label,
    Line,
    Mark,
    Row,
    Rule,
    coordinate,
    nice_scale,
    point_mark,
    polyline,
    raw,
    shown,
    x_bands,
    x_labels,
    y_axis,
)

__all__ = ["deputy_load", "rating_history", "regions_compared", "topic_months"]


def _day(value) -> str:
    return date_format(value, "d.m.Y")


def _month_short(month) -> str:
    return f"{month:%m.%y}"


def _month_number(month) -> str:
    return f"{month:%m.%Y}"


def _month_long(month) -> str:
    return date_format(month, "F Y")


def rating_history(history) -> Chart | None:
    """The deputy's score on each day a rating was computed, placed along the time axis
    (runs are not evenly spaced)."""
    if not history:
        return None
    days = [timezone.localdate(s.computed_at) for s in history]
    first, last = days[0], days[-1]
    chart = Chart(
        id="chart-history",
        title=_("Score over time"),
        description=_(
            "The score of each day a rating was computed, out of 100: %(first_score)s on "
            "%(first)s, %(last_score)s on %(last)s."
        )
        % {
            "first": _day(first),
            "last": _day(last),
            "first_score": shown(round(history[0].score, 1)),
            "last_score": shown(round(history[-1].score, 1)),
        },
        columns=[_("Date"), _("Score")],
        rows=[],
    )
    y_of = y_axis(chart, top=100, step=25, title=_("Score, out of 100"))
    plot = WIDTH - LEFT - RIGHT
    span = (last - first).days

    def x_of(day):
        return LEFT + plot / 2 if not span else LEFT + 8 + (plot - 16) * (day - first).days / span

    _date_labels(chart, [first] if not span else [first, *_between(first, last, 3), last], x_of)
    chart.axis_titles.append(
        Label(coordinate(LEFT + plot / 2), coordinate(HEIGHT - 8), _("Date of the computation"))
    )
    color = PALETTE[0]
    points = []
    for day, snapshot in zip(days, history, strict=True):
        score = round(max(0.0, min(100.0, snapshot.score)), 1)
        key = f"score|{day:%Y-%m-%d}"
        x, y = x_of(day), y_of(score)
        points.append((x, y))
        chart.marks.append(
            point_mark(
                key=key,
                value=score,
                title=f"{_day(day)}: {shown(score)}",
                color=color,
                shape="circle",
                x=x,
                y=y,
                size=3.5 if len(history) <= 60 else 2.5,
            )
        )
        chart.rows.append(Row(_day(day), [Cell(shown(score), key, raw(score))]))
    if len(points) > 1:
        chart.lines.append(Line(polyline(points), color))
    return chart


def _between(first, last, count):
    """`count` days evenly spaced strictly between two days, for the time axis's labels."""
    span = (last - first).days
    days = []
    for index in range(1, count + 1):
        day = first + timedelta(days=round(span * index / (count + 1)))
        if first < day < last and day not in days:
            days.append(day)
    return days


def _date_labels(chart, days, x_of):
    """Dates under the time axis: the first and the last always (the last drawn leftward
    of its point, to stay inside), those between where they do not touch another at the
    largest size."""
    width = len(_day_short(days[0])) * CHAR * LABEL_SIZE + 8
    last = len(days) - 1
    placed = []  # (left, right, label)
    for index in sorted(range(len(days)), key=lambda i: (0 < i < last, i)):
        x = x_of(days[index])
        anchor = "end" if index == last and index else "middle"
        left, right = (x - width, x) if anchor == "end" else (x - width / 2, x + width / 2)
        if any(left < end and start < right for start, end, _label in placed):
            continue
        label = Label(
            coordinate(x), coordinate(HEIGHT - BOTTOM + 20), _day_short(days[index]), anchor
        )
        placed.append((left, right, label))
    chart.labels += [label for _l, _r, label in sorted(placed, key=lambda p: p[0])]


def _day_short(day) -> str:
    return f"{day:%d.%m.%y}"


LOAD_SERIES = [  # figure, colour, marker, dash of the line
    ("received", PALETTE[0], "circle", ""),
    ("answered", PALETTE[2], "rect", "6 3"),
    ("open_at_end", PALETTE[1], "diamond", "2 3"),
]


def deputy_load(months) -> Chart:
    """Appeals received, answered and open at each month's end (appeals.selectors.
    deputy_load), a line per figure; every month is present, zeros included."""
    names = {
        "received": _("Received"),
        "answered": _("Answered"),
        "open_at_end": _("Open at the end of the month"),
    }
    chart = Chart(
        id="chart-load",
        title=_("Load by month"),
        description=_(
            "Appeals that came to the deputy, that were answered, and that were still open at "
            "the end of each month, %(first)s – %(last)s (this month: open now)."
        )
        % {"first": _month_number(months[0].month), "last": _month_number(months[-1].month)},
        columns=[_("Month"), *(names[figure] for figure, *_rest in LOAD_SERIES)],
        rows=[],
    )
    peak = max(getattr(m, figure) for m in months for figure, *_rest in LOAD_SERIES)
    top, step = nice_scale(peak)
    y_of = y_axis(chart, top=top, step=step, title=_("Appeals"))
    centres, _band = x_bands(len(months))
    x_labels(chart, centres, [_month_short(m.month) for m in months], title=_("Month"))
    for figure, color, shape, dash in LOAD_SERIES:
        points = [(x, y_of(getattr(m, figure))) for x, m in zip(centres, months, strict=True)]
        chart.lines.append(Line(polyline(points), color, dash))
        chart.legend.append(Key(names[figure], color, shape, dash))
        for (x, y), m in zip(points, months, strict=True):
            value = getattr(m, figure)
            chart.marks.append(
                point_mark(
                    key=f"{figure}|{m.month:%Y-%m}",
                    value=value,
                    title=f"{_month_long(m.month)}, {names[figure]}: {shown(value)}",
                    color=color,
                    shape=shape,
                    x=x,
                    y=y,
                )
            )
    for m in months:
        chart.rows.append(
            Row(
                _month_long(m.month),
                [
                    Cell(
                        shown(getattr(m, figure)),
                        f"{figure}|{m.month:%Y-%m}",
                        raw(getattr(m, figure)),
                    )
                    for figure, *_rest in LOAD_SERIES
                ],
            )
        )
    return chart


def topic_months(*, months, topics, published) -> Chart | None:
    """Appeals by month as bars stacked by topic, from the published months table
    (ratings.selectors.topic_analytics). A cell the table hides is not drawn alone: a
    month's hidden cells are one grey segment, their sum, which the month's published
    total gives anyway; a month whose total is hidden shows only its published cells."""
    if published is None:
        return None
    # A topic keeps its colour from one period to another; one without a single appeal
    # in the period is neither a column nor in the legend.
    colors = {t.pk: PALETTE[i % len(PALETTE)] for i, t in enumerate(topics)}
    topics = [t for t in topics if published[(t.pk, TOTAL)].value != 0]
    chart = Chart(
        id="chart-topic-months",
        title=_("Appeals by month"),
        description=_("Appeals of the region by month and topic, %(first)s – %(last)s.")
        % {"first": _month_number(months[0]), "last": _month_number(months[-1])},
        columns=[_("Month"), *(str(t.display_name) for t in topics)],
        rows=[],
        note=_(
            "The first and the last month are counted from the start of the period and up to today."
        ),
    )
    rest, not_shown = {}, {}  # drawn as one segment; the table's column of them
    for month in months:
        total = published[(TOTAL, month)]
        if all(published[(t.pk, month)].shown for t in topics):
            continue
        drawn = sum(published[(t.pk, month)].value or 0 for t in topics)
        # The sum of a month's hidden cells follows from its total; still, a sum under
        # 5 is neither printed nor drawn, as a hidden cell would not be.
        if not total.shown:
            not_shown[month] = Cell(str(total))
        elif total.value - drawn >= SMALL:
            rest[month] = total.value - drawn
            not_shown[month] = Cell(shown(rest[month]), f"rest|{month:%Y-%m}", raw(rest[month]))
        else:
            not_shown[month] = Cell(f"<{SMALL}" if total.value > drawn else shown(0))
    heights = [
        sum(published[(t.pk, m)].value or 0 for t in topics) + rest.get(m, 0) for m in months
    ]
    top, step = nice_scale(max(heights))
    y_of = y_axis(chart, top=top, step=step, title=_("Appeals"))
    centres, band = x_bands(len(months))
    x_labels(chart, centres, [_month_short(m) for m in months], title=_("Month"))
    width = max(2.0, band * 0.7)
    for x, month in zip(centres, months, strict=True):
        base = 0
        segments = [
            (
                f"{t.pk}|{month:%Y-%m}",
                published[(t.pk, month)].value,
                colors[t.pk],
                str(t.display_name),
            )
            for t in topics
        ]
        if month in rest:
            segments.append((f"rest|{month:%Y-%m}", rest[month], NOT_SHOWN, _("Not shown")))
        for key, value, color, name in segments:
            if not value:
                continue
            y_top, y_bottom = y_of(base + value), y_of(base)
            base += value
            chart.marks.append(
                Mark(
                    key,
                    raw(value),
                    f"{_month_long(month)}, {name}: {shown(value)}",
                    color,
                    "rect",
                    coordinate(x - width / 2),
                    coordinate(y_top),
                    coordinate(width),
                    coordinate(y_bottom - y_top),
                    gap=True,
                )
            )
    chart.legend = [Key(str(t.display_name), colors[t.pk]) for t in topics]
    if rest:
        chart.legend.append(Key(_("Not shown (fewer than 5, or would give one away)"), NOT_SHOWN))
    if not_shown:
        chart.columns.append(_("Not shown"))
    chart.columns.append(_("Total"))
    for month in months:
        cells = []
        for t in topics:
            cell = published[(t.pk, month)]
            if cell.shown and cell.value:
                cells.append(Cell(shown(cell.value), f"{t.pk}|{month:%Y-%m}", raw(cell.value)))
            else:
                cells.append(Cell(str(cell) if not cell.shown else shown(0)))
        if not_shown:
            cells.append(not_shown.get(month, Cell("—")))
        total = published[(TOTAL, month)]
        cells.append(Cell(shown(total.value) if total.shown else str(total)))
        chart.rows.append(Row(_month_long(month), cells))
    return chart


REGION_ROW = 20  # the height of a region's bar and its gap
REGION_LABEL = 176  # room for the region's name, left of the bars
REGION_NAME = 20  # characters of a name shown beside its bar; the table has it whole


def regions_compared(rows) -> Chart | None:
    """The average score of each region's rated deputies as horizontal bars, highest
    first; a region with no rated deputy has no bar (the table says why)."""
    if not rows:
        return None
    english = get_language() == "en"

    def name(row):
        return row["region__name_en"] if english and row["region__name_en"] else row["region__name"]

    ordered = sorted(
        rows,
        key=lambda r: (r["average_score"] is None, -(r["average_score"] or 0), r["region__code"]),
    )
    top_of_bars = TOP + 4
    height = top_of_bars + REGION_ROW * len(ordered) + 12
    chart = Chart(
        id="chart-regions",
        title=_("Average score by region"),
        description=_(
            "The average score of each region's rated deputies, out of 100, highest first; "
            "a region without a rated deputy has no bar."
        ),
        columns=[_("Region"), _("Average score"), _("Rated deputies")],
        rows=[],
        height=str(height),
    )
    plot = WIDTH - REGION_LABEL - RIGHT - 40  # room for the value after the longest bar

    def x_of(value):
        return REGION_LABEL + plot * value / 100

    for tick in (0, 25, 50, 75, 100):
        x = coordinate(x_of(tick))
        chart.grid.append(Rule(x, coordinate(top_of_bars - 4), x, coordinate(height - 12)))
        chart.labels.append(Label(x, coordinate(top_of_bars - 10), shown(tick)))
    chart.axes.append(
        Rule(
            coordinate(REGION_LABEL),
            coordinate(top_of_bars - 4),
            coordinate(REGION_LABEL),
            coordinate(height - 12),
        )
    )
    chart.axis_titles.append(
        Label(coordinate(4), coordinate(18), _("Average score, out of 100"), "start")
    )
    for index, row in enumerate(ordered):
        y = top_of_bars + REGION_ROW * index
        full = f"{row['region__code']} {name(row)}"
        short = full if len(full) <= REGION_NAME else full[: REGION_NAME - 1].rstrip() + "…"
        chart.labels.append(Label(coordinate(REGION_LABEL - 6), coordinate(y + 14), short, "end"))
        score = row["average_score"]
        key = f"score|{row['region__code']}"
        if score is None:
            chart.rows.append(Row(full, [Cell("—"), Cell(shown(row["rated"]))]))
            continue
        score = round(score, 1)
        chart.marks.append(
            Mark(
                key,
                raw(score),
                f"{full}: {shown(score)}",
                PALETTE[0],
                "rect",
                coordinate(REGION_LABEL),
                coordinate(y + 3),
                coordinate(max(0.5, x_of(score) - REGION_LABEL)),
                coordinate(REGION_ROW - 6),
            )
        )
        chart.labels.append(
            Label(coordinate(x_of(score) + 4), coordinate(y + 14), shown(score), "start")
        )
        chart.rows.append(
            Row(full, [Cell(shown(score), key, raw(score)), Cell(shown(row["rated"]))])
        )
    return chart
