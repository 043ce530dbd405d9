import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ratings import services
from tests.factories import DeputyFactory
from tests.helpers import ROLES, assert_same_count, login, queries, read_region_tables

from .test_recompute import NOW, appeal, rate

pytestmark = pytest.mark.django_db


def populate(n, region_code="77"):
    deputies = []
    for index in range(n):
        deputy = DeputyFactory(region_code=region_code)
        for _ in range(10):
            rate(appeal(deputy, answered_on=index % 30), overall=4, solved="yes", personal=3)
        deputies.append(deputy)
    return deputies


@pytest.fixture
def table(deputy, other_deputy):
    populate(3)
    services.ratings_recompute(now=NOW)


TABLE_STATUS = {
    "anonymous": 302,
    "citizen": 404,
    "other_citizen": 404,
    "deputy": 404,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 200,
    "federal": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_region_table_for_every_role(client, role, request, table):
    login(client, role, request)
    response = client.get(
        reverse("ratings:region_table"), {"region": "77"} if role == "federal" else {}
    )
    assert response.status_code == TABLE_STATUS[role]
    if role == "committee":
        assert len(response.context["rows"]) == 5
    if role == "other_committee":  # its own region (78) has no deputies
        assert response.context["region"].code == "78"
        assert list(response.context["rows"]) == []


def test_a_committee_cannot_open_another_regions_table(client, other_committee, table):
    client.force_login(other_committee)
    assert client.get(reverse("ratings:region_table"), {"region": "77"}).status_code == 404


DRILL_STATUS = {**TABLE_STATUS, "deputy": 200, "other_committee": 404}


@pytest.mark.parametrize("role", ROLES)
def test_deputy_drill_down_for_every_role(client, role, request, table, deputy):
    login(client, role, request)
    response = client.get(reverse("ratings:deputy_rating", args=[deputy.pk]))
    assert response.status_code == DRILL_STATUS[role]


@pytest.mark.parametrize("role", ROLES)
def test_my_rating_and_regions_comparison_for_every_role(client, role, request, table):
    login(client, role, request)
    mine = client.get(reverse("ratings:my_rating")).status_code
    regions = client.get(reverse("ratings:regions_comparison")).status_code
    anonymous = role == "anonymous"
    assert mine == (302 if anonymous else 200 if role.endswith("deputy") else 404)
    assert regions == (302 if anonymous else 200 if role == "federal" else 404)


def test_the_table_sorts_and_filters(client, committee, table):
    client.force_login(committee)
    url = reverse("ratings:region_table")
    by_rank = [s.deputy_id for s in client.get(url).context["rows"]]
    by_score = list(client.get(url, {"sort": "score"}).context["rows"])
    rated = [s.score for s in by_score if s.enough_data]
    assert rated == sorted(rated)
    assert not by_score[-1].enough_data  # unrated deputies come last whatever the sort
    assert len(by_rank) == 5
    other_body = list(client.get(url, {"body": "999999"}).context["rows"])
    assert other_body == []


def test_export_rows_match_the_table(client, committee, table):
    client.force_login(committee)
    url = reverse("ratings:region_table")
    page = client.get(url, {"sort": "-score"})
    names = [s.deputy.full_name for s in page.context["rows"]]
    scores = [round(s.score, 2) if s.enough_data else None for s in page.context["rows"]]

    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(url, {"sort": "-score", "format": "csv"}).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    book = load_workbook(io.BytesIO(client.get(url, {"sort": "-score", "format": "xlsx"}).content))
    xlsx_rows = [list(r) for r in book.active.iter_rows(values_only=True)]

    assert [r[1] for r in csv_rows[1:]] == names
    assert [r[1] for r in xlsx_rows[1:]] == names
    assert csv_rows[0] == [str(c) for c in xlsx_rows[0]]
    score = csv_rows[0].index("Балл")
    assert [r[score] for r in xlsx_rows[1:]] == scores
    assert [r[score] for r in csv_rows[1:]] == [
        "" if s is None else f"{s:.2f}".replace(".", ",") for s in scores
    ]


def test_an_earlier_table_by_date(client, committee, table):
    client.force_login(committee)
    response = client.get(
        reverse("ratings:region_table"), {"as_of": (NOW - timedelta(days=1)).date()}
    )
    assert response.context["run"] is None


def test_the_drill_down_explains_the_score_with_its_numbers(client, deputy, table):
    client.force_login(deputy.user)
    services.ratings_recompute(now=NOW + timedelta(days=1))
    response = client.get(reverse("ratings:my_rating"))
    snapshot = response.context["snapshot"]
    body = response.content.decode()
    assert 'id="explanation"' in body
    assert f"{snapshot.score:.2f}".replace(".", ",") in body or f"{snapshot.score:.2f}" in body
    assert len(response.context["history"]) == 2
    assert "<svg" in body


@pytest.mark.parametrize("params", [{}, {"format": "csv"}, {"format": "xlsx"}, {"sort": "median"}])
def test_table_and_exports_run_constant_queries(client, committee, params):
    client.force_login(committee)
    url = reverse("ratings:region_table")
    populate(2)
    services.ratings_recompute(now=NOW)
    read_region_tables()
    few = queries(client, url, params)
    populate(12)
    services.ratings_recompute(now=NOW + timedelta(hours=1))
    read_region_tables()
    assert_same_count(few, queries(client, url, params))


def test_drill_down_runs_constant_queries(client, committee):
    client.force_login(committee)
    deputy = populate(1)[0]
    services.ratings_recompute(now=NOW)
    few = queries(client, reverse("ratings:deputy_rating", args=[deputy.pk]))
    populate(10)
    for hours in range(1, 4):
        services.ratings_recompute(now=NOW + timedelta(days=hours))
    assert_same_count(few, queries(client, reverse("ratings:deputy_rating", args=[deputy.pk])))


ANALYTICS_STATUS = {**TABLE_STATUS}


@pytest.mark.parametrize("role", ROLES)
def test_topic_analytics_for_every_role(client, role, request):
    login(client, role, request)
    params = {"region": "77"} if role == "federal" else {}
    assert (
        client.get(reverse("ratings:topic_analytics"), params).status_code == ANALYTICS_STATUS[role]
    )


def test_topic_analytics_hides_small_cells_and_what_would_give_them_away(client, committee):
    from django.utils import timezone

    from appeals.models import Topic
    from deputies.models import Municipality
    from ratings.disclosure import TOTAL
    from tests.factories import AppealFactory, MunicipalityFactory

    from .test_disclosure import determined_exactly, solved_line_by_line

    centre = Municipality.objects.get(region__code="77", is_admin_centre=True)
    district = MunicipalityFactory(region=centre.region, name="Тверской район")
    roads = Topic.objects.get(slug="roads")
    housing = Topic.objects.get(slug="housing")
    deputy = DeputyFactory(region_code="77")
    # Housing: 7 in the centre, 2 in the district, so its total 9 minus 7 would give 2.
    for topic, place, n in [(roads, centre, 6), (roads, district, 8), (housing, centre, 7),
                            (housing, district, 2)]:  # fmt: skip
        for _ in range(n):
            AppealFactory(
                deputy=deputy, topic=topic, municipality=place, registered_at=timezone.now()
            )
    client.force_login(committee)

    response = client.get(reverse("ratings:topic_analytics"))

    context = response.context
    places = [place.pk for place in context["places"]] + [None]
    topics = [row["topic"].pk for row in context["rows"]]
    published = {(TOTAL, TOTAL): context["grand_total"]}
    for row in context["rows"]:
        published[(row["topic"].pk, TOTAL)] = row["total"]
        published |= {
            (row["topic"].pk, p): cell for p, cell in zip(places, row["cells"], strict=True)
        }
    published |= {(TOTAL, p): cell for p, cell in zip(places, context["totals"], strict=True)}
    assert str(published[(housing.pk, district.pk)]) == "<5"
    assert published[(Topic.objects.get(slug="education").pk, centre.pk)].value == 0
    assert not solved_line_by_line(published, topics, places)
    assert not determined_exactly(published, topics, places)
    body = response.content.decode()
    assert "&lt;5" in body and "…" in body


def test_topic_analytics_runs_constant_queries(client, committee):
    from tests.factories import AppealFactory

    client.force_login(committee)
    deputy = DeputyFactory(region_code="77")
    AppealFactory.create_batch(3, deputy=deputy)
    read_region_tables()
    client.get(reverse("ratings:topic_analytics"))  # the region's places, read once
    few = queries(client, reverse("ratings:topic_analytics"))
    AppealFactory.create_batch(30, deputy=deputy)
    read_region_tables()
    assert_same_count(few, queries(client, reverse("ratings:topic_analytics")))


def test_regions_comparison_runs_constant_queries(client, federal):
    client.force_login(federal)
    populate(2)
    services.ratings_recompute(now=NOW)
    few = queries(client, reverse("ratings:regions_comparison"))
    populate(5, region_code="16")
    services.ratings_recompute(now=NOW + timedelta(hours=1))
    assert_same_count(few, queries(client, reverse("ratings:regions_comparison")))


@pytest.mark.perf_guard  # a run's table is cached until the next run
def test_a_table_seen_before_is_not_read_again_and_a_new_run_shows_at_once(client, committee):
    client.force_login(committee)
    url = reverse("ratings:region_table")
    populate(2)
    services.ratings_recompute(now=NOW)
    first = queries(client, url)
    again = queries(client, url, cold=False)
    assert len(again) < len(first)
    assert "ratings_ratingsnapshot" not in again

    newcomers = populate(3)
    services.ratings_recompute(now=NOW + timedelta(hours=1))
    body = client.get(url).content.decode()
    assert all(deputy.full_name in body for deputy in newcomers)


def test_topic_analytics_counts_units_in_their_city_district(client, committee):
    from deputies.models import Municipality
    from tests.factories import AppealFactory

    client.force_login(committee)
    deputy = DeputyFactory(region_code="77")
    tverskoy = Municipality.objects.get(name="Тверской район")
    AppealFactory.create_batch(6, deputy=deputy, municipality=tverskoy)

    context = client.get(reverse("ratings:topic_analytics")).context

    names = [place.name for place in context["places"]]
    assert names[0] == "Москва"
    assert len(names) == 13 and "Тверской район" not in names
    central = names.index("Центральный административный округ")
    assert context["totals"][central].value == 6
