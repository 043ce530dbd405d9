"""An alert's weeks as a small bar chart (inline SVG) with a table of the same numbers.

A week of 1–4 people is drawn as a grey bar at the height of 5, marked "<5", so the
chart gives back no more than the table (ratings/disclosure.py)."""

from dataclasses import dataclass

from django.utils.formats import date_format

from .. import disclosure
from ..charts.svg import NOT_SHOWN, PALETTE, coordinate
from .selectors import shown_count

WIDTH, HEIGHT, GAP = 130, 32, 2
BASE, SPIKE = PALETTE[0], PALETTE[1]


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    colour: str
    label: str  # the week and its count, as read aloud


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    bars: list
    weeks: list  # (week, shown count) for the table


def sparkline(*, weeks, series) -> Sparkline:
    drawn = [disclosure.SMALL if disclosure.is_small(n) else n for n in series]
    top = max([*drawn, 1])
    step = WIDTH / max(len(series), 1)
    bars, table = [], []
    for i, (week, n, value) in enumerate(zip(weeks, series, drawn, strict=True)):
        height = max(value / top * (HEIGHT - 2), 1 if value else 0)
        small = disclosure.is_small(n)
        colour = SPIKE if i == len(series) - 1 else (NOT_SHOWN if small else BASE)
        shown = shown_count(n)
        day = date_format(week, "SHORT_DATE_FORMAT")
        bars.append(
            Bar(
                x=coordinate(i * step + GAP / 2),
                y=coordinate(HEIGHT - height),
                width=coordinate(step - GAP),
                height=coordinate(height),
                colour=colour,
                label=f"{day}: {shown}",
            )
        )
        table.append((week, shown))
    return Sparkline(width=WIDTH, height=HEIGHT, bars=bars, weeks=table)
