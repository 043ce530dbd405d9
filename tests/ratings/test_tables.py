"""The rating pages' tables on the design system: the rating table sorts by every
figure both ways and shows each deputy's load; regions compared sorts, exports for a
Russian spreadsheet and leads federal staff into any region's table, topics and queue."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from deputies.models import Deputy
from ratings import services
from tests.factories import AppealFactory, DeputyFactory
from tests.helpers import assert_same_count, queries, read_region_tables

from .test_pages import populate
from .test_recompute import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def federal_user(db):
    return User.objects.create_user("federal.tables@example.org", "x", role="federal")


@pytest.fixture
def two_regions():
    populate(3)
    populate(2, region_code="16")
    services.ratings_recompute(now=NOW)


def names(response):
    return [s.deputy.full_name for s in response.context["rows"]]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("appeals", lambda s: s.appeals_count),
        ("load", lambda s: s.deputy.open_appeals),
        ("name", lambda s: s.deputy.full_name),
    ],
)
def test_the_rating_table_sorts_by_a_column_both_ways(client, committee, key, value):
    deputies = populate(3)
    for index, deputy in enumerate(deputies):
        Deputy.objects.filter(pk=deputy.pk).update(open_appeals=index * 4)
    services.ratings_recompute(now=NOW)
    client.force_login(committee)
    url = reverse("ratings:region_table")

    rising = [value(s) for s in client.get(url, {"sort": key}).context["rows"]]
    falling = [value(s) for s in client.get(url, {"sort": f"-{key}"}).context["rows"]]

    assert rising == sorted(rising)
    assert falling == sorted(falling, reverse=True)


def test_the_rating_tables_headers_say_their_order_and_counts_sort_from_the_top(client, committee):
    populate(2)
    services.ratings_recompute(now=NOW)
    client.force_login(committee)

    body = client.get(reverse("ratings:region_table")).content.decode()

    table = body[body.index('id="rating-table"') :]
    assert 'aria-sort="ascending"' in table  # by rank
    assert 'href="?sort=-score"' in table  # the best first on the first click
    assert 'href="?sort=-load"' in table and 'href="?sort=name"' in table
    scored = client.get(reverse("ratings:region_table"), {"sort": "-score"}).content.decode()
    assert 'aria-sort="descending"' in scored
    assert 'href="?sort=score"' in scored  # the second click turns the order round


def test_the_rating_table_shows_each_deputys_open_appeals(client, committee):
    deputy = populate(1)[0]
    services.ratings_recompute(now=NOW)
    AppealFactory.create_batch(3, deputy=deputy)  # open now, after the run
    client.force_login(committee)

    response = client.get(reverse("ratings:region_table"))

    [row] = [s for s in response.context["rows"] if s.deputy_id == deputy.pk]
    assert row.deputy.open_appeals == 3
    body = response.content.decode()
    assert "Открыто сейчас" in body


def test_regions_compared_sorts_each_column(client, federal_user, two_regions):
    client.force_login(federal_user)
    url = reverse("ratings:regions_comparison")

    def codes(params):
        table = client.get(url, params).context["table"]()
        return [row["code"] for row in table.data.data]

    assert codes({}) == ["16", "77"]
    assert codes({"sort": "-region"}) == ["77", "16"]
    assert codes({"sort": "-deputies"}) == ["77", "16"]  # 3 deputies and more before 2
    assert codes({"sort": "deputies"}) == ["16", "77"]
    body = client.get(url).content.decode()
    assert 'href="?sort=-deputies"' in body and 'href="?sort=-score"' in body


def test_regions_compared_leads_into_each_regions_table_topics_and_queue(
    client, federal_user, two_regions
):
    client.force_login(federal_user)

    body = client.get(reverse("ratings:regions_comparison")).content.decode()

    for code in ("16", "77"):
        for name in ("ratings:region_table", "ratings:topic_analytics", "appeals:committee_queue"):
            link = f"{reverse(name)}?region={code}"
            assert f'href="{link}"' in body
            assert client.get(link).status_code == 200


def test_a_regions_pages_link_to_each_other_for_federal_staff(client, federal_user, two_regions):
    client.force_login(federal_user)

    table = client.get(reverse("ratings:region_table"), {"region": "16"}).content.decode()
    topics = client.get(reverse("ratings:topic_analytics"), {"region": "16"}).content.decode()

    assert f'href="{reverse("ratings:topic_analytics")}?region=16"' in table
    assert f'href="{reverse("appeals:committee_queue")}?region=16"' in table
    assert f'href="{reverse("ratings:region_table")}?region=16"' in topics
    assert f'href="{reverse("ratings:regions_comparison")}"' in table


def test_regions_compared_exports_the_pages_rows_for_a_russian_spreadsheet(
    client, federal_user, two_regions
):
    client.force_login(federal_user)
    url = reverse("ratings:regions_comparison")
    page = client.get(url, {"sort": "-deputies"})
    order = [row["code"] for row in page.context["table"]().data.data]
    assert 'id="export-csv"' in page.content.decode()

    response = client.get(url, {"sort": "-deputies", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [line[0] for line in lines[1:]] == order
    book = load_workbook(
        io.BytesIO(client.get(url, {"sort": "-deputies", "format": "xlsx"}).content)
    )
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert [r[0] for r in rows[1:]] == order
    assert all(isinstance(r[2], int) for r in rows[1:])  # deputies: numbers, not text
    assert rows[0][0] == lines[0][0]


@pytest.mark.parametrize("params", [{}, {"sort": "-score"}, {"format": "csv"}])
def test_regions_compared_reads_as_many_statements_for_more_regions(client, federal_user, params):
    client.force_login(federal_user)
    populate(2)
    services.ratings_recompute(now=NOW)
    read_region_tables()
    few = queries(client, reverse("ratings:regions_comparison"), params)
    populate(2, region_code="16")
    populate(2, region_code="87")
    AppealFactory(deputy=None, region=DeputyFactory(region_code="52").region)
    services.ratings_recompute(now=NOW + timedelta(hours=1))
    read_region_tables()
    assert_same_count(few, queries(client, reverse("ratings:regions_comparison"), params))


def test_only_federal_staff_export_regions_compared(client, committee):
    client.force_login(committee)
    url = reverse("ratings:regions_comparison")
    assert client.get(url, {"format": "csv"}).status_code == 404


def test_the_cached_regions_table_shows_a_change_of_its_figures_at_once(
    client, federal_user, two_regions
):
    client.force_login(federal_user)
    url = reverse("ratings:regions_comparison")

    def waiting_in_16():
        table = client.get(url).content.decode()
        row = table[table.index('href="/ratings/?region=16"') :]
        return row[: row.index("</tr>")]

    before = waiting_in_16()
    AppealFactory(deputy=None, region=DeputyFactory(region_code="16").region)
    after = waiting_in_16()
    assert before != after and "1 (0)" in after
