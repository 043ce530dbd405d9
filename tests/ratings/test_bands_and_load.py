"""Rank bands from the score's credible interval, and each deputy's load beside the score."""

import math

import numpy as np
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ratings import formula, selectors, services
from tests.factories import AppealFactory, DeputyFactory
from tests.helpers import assert_same_count, queries, read_region_tables

from .test_pages import populate
from .test_recompute import NOW, appeal, rate

pytestmark = pytest.mark.django_db


def test_the_score_interval_is_the_beta_posteriors_by_hand():
    low, high = formula.score_interval(
        speed=0.8, matured=12, prior_speed=10, quality=0.6, voices=2, prior_quality=10,
        weight_speed=0.5, weight_quality=0.5,
    )  # fmt: skip

    # Beta posteriors: Var S = 0.8·0.2/(12+10+1), Var Q = 0.6·0.4/(2+10+1).
    sd = 100 * math.sqrt(0.25 * 0.16 / 23 + 0.25 * 0.24 / 13)
    assert (low, high) == pytest.approx((70 - 1.959964 * sd, 70 + 1.959964 * sd))
    assert high - low == pytest.approx(31.25, abs=0.01)


def test_the_tables_intervals_at_once_are_the_same_arithmetic():
    lows, highs = formula.score_intervals(
        speed=np.array([0.8, 0.3]), matured=np.array([12, 40]), quality=np.array([0.6, 0.9]),
        voices=np.array([2, 0]), prior_speed=10, prior_quality=10, weight_speed=0.7,
        weight_quality=0.3,
    )  # fmt: skip

    one = formula.score_interval(
        speed=0.3, matured=40, prior_speed=10, quality=0.9, voices=0, prior_quality=10,
        weight_speed=0.7, weight_quality=0.3,
    )  # fmt: skip
    assert (lows[1], highs[1]) == pytest.approx(one)


def test_deputies_whose_intervals_overlap_share_a_band_and_the_others_do_not():
    lows, highs = [80, 75, 60, 50, 10], [90, 85, 70, 65, 20]

    best, worst = formula.rank_bands(lows, highs, [1, 2, 3, 4, 5])

    assert list(zip(best, worst, strict=True)) == [(1, 2), (1, 2), (3, 4), (3, 4), (5, 5)]


@pytest.fixture
def three(deputy):
    """Two deputies alike (fast, well rated) and one far below (late, badly rated)."""
    alike = DeputyFactory(region_code="77")
    behind = DeputyFactory(region_code="77")
    for who, day, mark, solved in [(deputy, 1, 5, "yes"), (alike, 2, 5, "yes")]:
        for _ in range(20):
            rate(appeal(who, answered_on=day), overall=mark, solved=solved, personal=mark)
    for _ in range(20):
        rate(appeal(behind, answered_on=40), overall=1, solved="no", personal=1)
    services.ratings_recompute(now=NOW)
    return deputy, alike, behind


def test_the_table_export_and_api_show_ranks_as_bands(client, committee, three):
    deputy, alike, behind = three
    client.force_login(committee)
    url = reverse("ratings:region_table")

    page = client.get(url)
    body = page.content.decode()
    csv_lines = client.get(url, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    api = APIClient()
    api.force_authenticate(committee)
    rows = api.get("/api/v1/ratings/regions/77/").json()["results"]

    cells = body[body.index('id="rating-table"') :]
    assert cells.count(">1–2</td>") == 2 and ">3</td>" in cells
    header = csv_lines[0].split(";")
    band = header.index("Места, допускаемые интервалом")
    assert sorted(line.split(";")[band] for line in csv_lines[1:]) == ["1–2", "1–2", "3"]
    by_deputy = {row["deputy_id"]: row for row in rows}
    assert (by_deputy[deputy.pk]["rank_band_best"], by_deputy[deputy.pk]["rank_band_worst"]) == (
        1,
        2,
    )
    assert (by_deputy[behind.pk]["rank_band_best"], by_deputy[behind.pk]["rank_band_worst"]) == (
        3,
        3,
    )
    assert by_deputy[behind.pk]["score_high"] < by_deputy[alike.pk]["score_low"]


def test_load_beside_the_score_and_sorting_by_it(client, committee):
    deputies = populate(3)  # ten appeals each in the window
    AppealFactory.create_batch(4, deputy=deputies[1], region=deputies[1].region)  # 14
    services.ratings_recompute(now=NOW)
    client.force_login(committee)
    url = reverse("ratings:region_table")

    falling = client.get(url, {"sort": "-per_month"})
    rising = client.get(url, {"sort": "per_month"})
    drill = client.get(reverse("ratings:deputy_rating", args=[deputies[1].pk]))

    top = falling.context["rows"][0]
    assert top.deputy_id == deputies[1].pk
    assert [s.appeals_count for s in rising.context["rows"]][-1] == 14
    per_month = f"{14 * 365.25 / 12 / 365:.1f}".replace(".", ",")  # 1,2 over 365 days
    assert f">{per_month}</td>" in falling.content.decode()
    assert f'id="rating-per-month">{per_month}<' in drill.content.decode()
    assert 'id="rating-open">4<' in drill.content.decode()


@pytest.mark.parametrize("sort", ["rank", "-per_month", "-load"])
def test_the_table_reads_as_many_statements_for_many_deputies(client, committee, sort):
    client.force_login(committee)
    url = reverse("ratings:region_table")
    populate(2)
    services.ratings_recompute(now=NOW)
    read_region_tables()
    few = queries(client, url, {"sort": sort})
    populate(6)
    services.ratings_recompute(now=NOW)
    many = queries(client, url, {"sort": sort})

    assert_same_count(few, many)


def test_the_bands_are_the_regions_whatever_the_body_filter(three):
    deputy, alike, _ = three
    run = selectors.run_as_of(None, region_id=deputy.region_id)
    bands = selectors.rank_bands(run=run, region_id=deputy.region_id)
    assert (bands[deputy.pk].label, bands[alike.pk].label) == ("1–2", "1–2")
