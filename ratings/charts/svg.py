"""Charts drawn on the server as SVG: no script, readable without JavaScript, each with a
table of the same numbers.

Every number a browser parses (a coordinate, a size, a data-value) is a string made here
with a dot and never passes through the template's localisation: in Russian
`{{ 172.0 }}` prints "172,0", which no browser reads as a coordinate, and the chart is
blank. What a person reads (tick labels, the table) is written here too, localised.

Geometry is in the units of the viewBox; the SVG scales to its container's width. The
labels are 13 units high, 19 on a phone (static/css/charts.css): the spacing of the
labels along an axis allows for the larger size.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format

WIDTH = 480
HEIGHT = 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 44, 52
LABEL_SIZE = 19  # the largest size a label is drawn at (charts.css, on a phone)
CHAR = 0.62  # the width of a digit or a letter, in font sizes

# Mark colours: each has at least 3:1 contrast with white (WCAG 1.4.11); neighbours in
# a stack are told apart by a white gap, the legend and the table, not by hue alone.
PALETTE = [
    "#0b4f9c",
    "#c0392b",
    "#1d6b2f",
    "#8a4b00",
    "#6c3483",
    "#117a65",
    "#ad1457",
    "#2e4053",
    "#b9770e",
    "#2874a6",
    "#5b6b00",
    "#d35400",
    "#7b241c",
]
NOT_SHOWN = "#767676"  # 4.5:1


def coordinate(value: float) -> str:
    return f"{value:.1f}"


def raw(value) -> str:
    """A value as a data attribute: what the table's cell holds, with a dot."""
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def shown(value) -> str:
    """A value as a person reads it, in the current language ("72,5" in Russian)."""
    return number_format(value) if isinstance(value, int) else number_format(value, 1)


@dataclass(frozen=True)
class Label:
    x: str
    y: str
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Rule:
    x1: str
    y1: str
    x2: str
    y2: str


@dataclass(frozen=True)
class Mark:
    """One drawn number; `key` and `value` are those of its cell in the table."""

    key: str
    value: str
    title: str
    color: str
    shape: str  # rect, circle or diamond
    x: str = ""  # rect: corner; circle and diamond: centre
    y: str = ""
    w: str = ""  # rect: width and height; circle: radius
    h: str = ""
    points: str = ""  # diamond
    gap: bool = False  # a white outline, between segments of a stack


@dataclass(frozen=True)
class Line:
    points: str
    color: str
    dash: str = ""


@dataclass(frozen=True)
class Key:
    """An entry of the legend."""

    name: str
    color: str
    shape: str = "rect"
    dash: str = ""


@dataclass(frozen=True)
class Cell:
    text: str
    key: str = ""  # set when the number is drawn as a mark
    value: str = ""


@dataclass(frozen=True)
class Row:
    head: str
    cells: list


@dataclass
class Chart:
    id: str  # unique on the page
    title: str  # the heading and the SVG's accessible name
    description: str
    columns: list  # headers of the table, the first over the rows' heads
    rows: list
    width: str = str(WIDTH)
    height: str = str(HEIGHT)
    grid: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    axis_titles: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    note: str = ""


def nice_scale(peak: float, *, most: int = 5) -> tuple[int, int]:
    """The top of a count axis and its step: 1, 2 or 5 times a power of ten, at most
    `most` steps, the top at or above the peak."""
    if peak <= 0:
        return 1, 1
    power = 10 ** max(0, math.floor(math.log10(peak)) - 1)
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            if math.ceil(peak / step) <= most:
                return step * math.ceil(peak / step), step
        power *= 10


def y_axis(chart: Chart, *, top: float, step: float, title: str) -> callable:
    """Horizontal grid lines with their labels; returns value → y."""
    height = HEIGHT - TOP - BOTTOM

    def y_of(value):
        return HEIGHT - BOTTOM - height * value / top

    tick = 0
    while tick <= top:
        y = coordinate(y_of(tick))
        chart.grid.append(Rule(coordinate(LEFT), y, coordinate(WIDTH - RIGHT), y))
        chart.labels.append(
            Label(coordinate(LEFT - 6), coordinate(y_of(tick) + 4), shown(tick), "end")
        )
        tick += step
    chart.axes.append(
        Rule(coordinate(LEFT), coordinate(TOP - 8), coordinate(LEFT), coordinate(HEIGHT - BOTTOM))
    )
    chart.axes.append(
        Rule(
            coordinate(LEFT),
            coordinate(HEIGHT - BOTTOM),
            coordinate(WIDTH - RIGHT),
            coordinate(HEIGHT - BOTTOM),
        )
    )
    chart.axis_titles.append(Label(coordinate(4), coordinate(18), title, "start"))
    return y_of


def x_bands(count: int) -> tuple[list[float], float]:
    """Centres of `count` equal bands across the plot, and a band's width."""
    band = (WIDTH - LEFT - RIGHT) / max(1, count)
    return [LEFT + band * (index + 0.5) for index in range(count)], band


def x_labels(chart: Chart, positions: list[float], texts: list[str], *, title: str):
    """Labels under the plot, every n-th when they would touch at the largest size."""
    widest = max((len(text) for text in texts), default=1) * CHAR * LABEL_SIZE + 6
    room = (positions[1] - positions[0]) if len(positions) > 1 else WIDTH
    every = max(1, math.ceil(widest / room))
    last = len(positions) - 1
    for index, (x, text) in enumerate(zip(positions, texts, strict=True)):
        # Count the labels back from the last (this month is the one read first).
        if (last - index) % every == 0:
            chart.labels.append(Label(coordinate(x), coordinate(HEIGHT - BOTTOM + 20), text))
    chart.axis_titles.append(
        Label(coordinate(LEFT + (WIDTH - LEFT - RIGHT) / 2), coordinate(HEIGHT - 8), title)
    )


def point_mark(*, key, value, title, color, shape, x, y, size=3.5) -> Mark:
    if shape == "circle":
        return Mark(
            key, raw(value), title, color, shape, coordinate(x), coordinate(y), coordinate(size)
        )
    if shape == "diamond":
        d = size * 1.4
        points = " ".join(
            f"{coordinate(px)},{coordinate(py)}"
            for px, py in ((x, y - d), (x + d, y), (x, y + d), (x - d, y))
        )
        return Mark(key, raw(value), title, color, shape, points=points)
    side = size * 1.8
    return Mark(
        key,
        raw(value),
        title,
        color,
        "rect",
        coordinate(x - side / 2),
        coordinate(y - side / 2),
        coordinate(side),
        coordinate(side),
    )


def polyline(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{coordinate(x)},{coordinate(y)}" for x, y in points)
