"""The charts draw in Russian and in English: every number the browser parses is written
with a dot, whatever the language; every month of a period is there, a month without
appeals as zero; each drawn number is in the table beside it, and the table prints no
number the "<5" rule hides."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, Topic
from appeals.selectors import deputy_load
from ratings import services
from ratings.disclosure import SMALL, TOTAL
from tests.factories import AppealFactory, DeputyFactory

from .test_disclosure import determined_exactly, solved_line_by_line
from .test_pages import populate
from .test_recompute import NOW

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
NUMBER = re.compile(r"-?\d+(\.\d+)?%?")
PAIR = re.compile(r"-?\d+(\.\d+)?,-?\d+(\.\d+)?")
GEOMETRY = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "data-value"}


class Charts(HTMLParser):
    """Per chart of a page: the numeric attributes inside its SVG, its marks and the
    cells of its table, as (key, value) pairs, and the rows of the table as texts."""

    def __init__(self):
        super().__init__()
        self.charts, self.current, self.in_svg, self.row, self.cell = {}, None, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "data-chart" in attrs:
            self.current = self.charts.setdefault(
                attrs["data-chart"],
                {"numbers": [], "pairs": [], "marks": [], "cells": [], "rows": [], "svg": None},
            )
        if self.current is None:
            return
        if tag == "svg" and "chart" in attrs.get("class", ""):
            self.in_svg = True
            self.current["svg"] = attrs
            self.current["numbers"] += attrs["viewbox"].split()
        if self.in_svg:
            self.current["numbers"] += [v for k, v in attrs.items() if k in GEOMETRY]
            if "points" in attrs:
                self.current["pairs"] += attrs["points"].split()
            if "data-key" in attrs:
                self.current["marks"].append((attrs["data-key"], attrs["data-value"]))
        if tag == "tr":
            self.row = []
        if tag in ("th", "td") and self.row is not None:
            self.cell = ""
        if tag == "td" and "data-key" in attrs:
            self.current["cells"].append((attrs["data-key"], attrs["data-value"]))

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg = False
        if tag in ("th", "td") and self.cell is not None and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.row is not None and self.current is not None:
            self.current["rows"].append(self.row)
            self.row = None
        if tag == "section":
            self.current = None


def charts_of(client, url, language, params=None):
    client.cookies["django_language"] = language
    response = client.get(url, params or {})
    assert response.status_code == 200
    parser = Charts()
    parser.feed(response.content.decode())
    return parser.charts


def assert_drawable(chart):
    """What the browser parses is plain numbers; marks and table cells agree."""
    bad = [n for n in chart["numbers"] if not NUMBER.fullmatch(n)]
    assert not bad, f"numbers a browser cannot read: {bad[:5]}"
    bad = [p for p in chart["pairs"] if not PAIR.fullmatch(p)]
    assert not bad, f"points a browser cannot read: {bad[:5]}"
    assert chart["svg"]["role"] == "img"
    assert chart["svg"]["aria-labelledby"]
    assert chart["marks"], "nothing is drawn"
    assert sorted(chart["marks"]) == sorted(chart["cells"])


def months_back(count):
    """The first days of this month and the `count - 1` before it, oldest first."""
    month = timezone.localdate().replace(day=1)
    months = [month]
    for _ in range(count - 1):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def at(month, day=10):
    return datetime(month.year, month.month, day, 12, 0, tzinfo=MSK)


@pytest.fixture
def rated_deputy(deputy):
    """A deputy with two days of rating history and appeals in a few months of the year."""
    populate(2)
    this, _previous, _two, three = months_back(4)[::-1]
    for month, n in ((this, 2), (three, 3)):
        for _ in range(n):
            AppealFactory(deputy=deputy, registered_at=min(at(month), timezone.now()))
    services.ratings_recompute(now=NOW)
    services.ratings_recompute(now=NOW + timedelta(days=1))
    return deputy


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_deputys_charts_draw_in_both_languages(client, rated_deputy, language):
    client.force_login(rated_deputy.user)

    charts = charts_of(client, reverse("ratings:my_rating"), language)

    assert set(charts) == {"chart-history", "chart-load"}
    for chart in charts.values():
        assert_drawable(chart)
    assert len(charts["chart-history"]["marks"]) == 2
    # Twelve months, each with its three figures, the empty ones as zeros.
    load = charts["chart-load"]
    assert len(load["rows"]) == 1 + 12
    assert len(load["marks"]) == 36
    received = {k.split("|")[1]: v for k, v in load["marks"] if k.startswith("received|")}
    this, _previous, two, three = months_back(4)[::-1]
    assert received[f"{this:%Y-%m}"] == "2"
    assert received[f"{three:%Y-%m}"] == "3"
    assert received[f"{two:%Y-%m}"] == "0"


def test_the_committee_sees_the_same_charts_on_the_drill_down(client, committee, rated_deputy):
    client.force_login(committee)

    charts = charts_of(client, reverse("ratings:deputy_rating", args=[rated_deputy.pk]), "ru")

    assert set(charts) == {"chart-history", "chart-load"}
    # Russian numbers in the table, plain ones in the attributes.
    history = charts["chart-history"]
    assert all("," in row[1] for row in history["rows"][1:])
    assert all("." in value for _key, value in history["marks"])


def test_the_load_counts_received_answered_and_open_at_each_months_end(deputy, other_deputy):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=MSK)

    def held(assigned, *, answered=None, closed=None, by=deputy):
        return AppealFactory(
            deputy=by,
            registered_at=assigned,
            assigned_at=assigned,
            answered_at=answered,
            closed_at=closed,
            status=Appeal.Status.ANSWERED if answered else Appeal.Status.IN_PROGRESS,
        )

    def day(month, day_, year=2026):
        return datetime(year, month, day_, 12, 0, tzinfo=MSK)

    held(day(6, 10), answered=day(6, 20))
    held(day(8, 30), answered=day(9, 2))
    held(day(9, 15))  # open since
    withdrawn = held(day(10, 5), closed=day(10, 20))
    Appeal.objects.filter(pk=withdrawn.pk).update(status=Appeal.Status.WITHDRAWN)
    held(day(10, 1, 2025))  # before the window, open all through it
    held(day(5, 1, 2025), answered=day(6, 1, 2025))  # answered before the window
    held(day(9, 1), by=other_deputy)

    months = deputy_load(deputy_id=deputy.pk, now=now)

    assert [f"{m.month:%Y-%m}" for m in months][:2] == ["2025-12", "2026-01"]
    assert len(months) == 12
    figures = {f"{m.month:%m}": (m.received, m.answered, m.open_at_end) for m in months}
    assert figures["06"] == (1, 1, 1)
    assert figures["07"] == (0, 0, 1)
    assert figures["08"] == (1, 0, 2)
    assert figures["09"] == (1, 1, 2)
    assert figures["10"] == (1, 0, 2)
    assert figures["11"] == (0, 0, 2)
    assert figures["12"] == (0, 0, 1)


def test_the_load_is_one_query(deputy, django_assert_num_queries):
    AppealFactory.create_batch(5, deputy=deputy)
    with django_assert_num_queries(1):
        deputy_load(deputy_id=deputy.pk)


@pytest.fixture
def topic_appeals(committee):
    """Roads this month and three months ago, nothing in between; housing small."""
    deputy = DeputyFactory(region_code="77")
    roads = Topic.objects.get(slug="roads")
    housing = Topic.objects.get(slug="housing")
    this, _previous, _two, three = months_back(4)[::-1]
    now = timezone.now()
    for month, topic, n in ((this, roads, 6), (three, roads, 7), (three, housing, 3),
                            (this, housing, 8)):  # fmt: skip
        for _ in range(n):
            AppealFactory(deputy=deputy, topic=topic, registered_at=min(at(month, 2), now))
    return {"roads": roads, "housing": housing, "this": this, "three": three}


@pytest.mark.parametrize("language", ["ru", "en"])
def test_topics_by_month_draw_every_month_in_both_languages(
    client, committee, topic_appeals, language
):
    client.force_login(committee)

    charts = charts_of(client, reverse("ratings:topic_analytics"), language, {"months": "6"})

    chart = charts["chart-topic-months"]
    assert_drawable(chart)
    header, *rows = chart["rows"]
    # 6 months of 30 days: every calendar month they touch.
    first = timezone.localdate(timezone.now() - timedelta(days=180)).replace(day=1)
    months = [m for m in months_back(8) if m >= first]
    assert len(rows) == len(months)
    total = header.index("Total" if language == "en" else "Всего")
    by_month = dict(zip(months, rows, strict=True))
    for month, row in by_month.items():
        if month not in (topic_appeals["this"], topic_appeals["three"]):
            assert row[total] == "0", row  # a month without appeals is there, as zero
    drawn_months = {key.split("|")[1] for key, _value in chart["marks"]}
    assert drawn_months <= {f"{topic_appeals['this']:%Y-%m}", f"{topic_appeals['three']:%Y-%m}"}


def test_topics_by_month_hide_small_cells_and_what_gives_them_back(client, committee,
                                                                   topic_appeals):  # fmt: skip
    client.force_login(committee)

    response = client.get(reverse("ratings:topic_analytics"), {"months": "6"})

    context = response.context
    published = context["by_months"]
    series = [topic.pk for topic in context["chart_topics"]]
    months = context["chart_months"]
    housing, three = topic_appeals["housing"].pk, topic_appeals["three"]
    assert str(published[(housing, three)]) == f"<{SMALL}"
    assert not solved_line_by_line(published, series, months)
    assert not determined_exactly(published, series, months)
    # The topics' totals are those of the table above: never hidden here.
    assert all(published[(pk, TOTAL)].shown for pk in series)

    parser = Charts()
    parser.feed(response.content.decode())
    chart = parser.charts["chart-topic-months"]
    assert f"{housing}|{three:%Y-%m}" not in dict(chart["marks"])
    assert all(int(value) >= SMALL for _key, value in chart["marks"])
    printed = [cell for row in chart["rows"][1:] for cell in row[1:]]
    assert not {str(n) for n in range(1, SMALL)} & set(printed)
    assert f"<{SMALL}" in printed


@pytest.mark.parametrize("language", ["ru", "en"])
def test_regions_compared_draw_in_both_languages(client, federal, language):
    populate(2)
    populate(1, region_code="16")
    services.ratings_recompute(now=NOW)
    client.force_login(federal)

    charts = charts_of(client, reverse("ratings:regions_comparison"), language)

    chart = charts["chart-regions"]
    assert_drawable(chart)
    assert {key for key, _value in chart["marks"]} == {"score|77", "score|16"}
    names = [row[0] for row in chart["rows"][1:]]
    assert any(("Moscow" if language == "en" else "Москва") in name for name in names)
