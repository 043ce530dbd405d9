"""Topic analytics at both levels of the topic tree, with the deputies' corrections
counted per topic the citizen had chosen (issue 21)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Topic
from tests.factories import AppealFactory, DeputyFactory
from tests.helpers import assert_same_count, queries, read_region_tables

pytestmark = pytest.mark.django_db


def topic(slug):
    return Topic.objects.get(slug=slug)


def filed(deputy, slug, n, *, chosen=None):
    """`n` appeals now under `slug`, the citizen having chosen `chosen` (default: the
    same: not corrected)."""
    AppealFactory.create_batch(
        n,
        deputy=deputy,
        topic=topic(slug),
        citizen_topic=topic(chosen or slug),
        registered_at=timezone.now(),
    )


@pytest.fixture
def appeals_of_77(db):
    deputy = DeputyFactory(region_code="77")
    filed(deputy, "housing-roof", 6)
    filed(deputy, "housing-heating", 7)
    filed(deputy, "housing", 5)  # no subtopic chosen
    # Corrected: the citizen chose roads, the deputy moved them to advertising (6); one
    # moved within housing (roof → heating), which is no correction between top topics.
    filed(deputy, "trade-ads", 6, chosen="roads")
    filed(deputy, "housing-heating", 1, chosen="housing-roof")
    return deputy


def rows_by_slug(response):
    return {row["topic"].slug: row for row in response.context["rows"]}


def test_top_level_folds_subtopics_into_their_topic(client, committee, appeals_of_77):
    client.force_login(committee)
    response = client.get(reverse("ratings:topic_analytics"))
    rows = rows_by_slug(response)
    assert response.context["level"] == "top"
    assert "housing-roof" not in rows
    assert rows["housing"]["total"].value == 19
    assert rows["trade"]["total"].value == 6
    assert rows["roads"]["total"].value == 0
    # Six appeals filed under roads went to trade: counted on roads, the citizen's choice.
    assert rows["roads"]["corrected"].value == 6
    assert rows["housing"]["corrected"].value == 0  # roof → heating stays within housing
    assert response.context["corrected_total"].value == 6
    html = response.content.decode()
    assert "Тема исправлена депутатом" in html
    assert response.context["by_months"] is not None  # the chart, by top topic


def test_subtopic_level_has_a_row_per_topic_of_the_tree(client, committee, appeals_of_77):
    client.force_login(committee)
    response = client.get(reverse("ratings:topic_analytics"), {"level": "sub"})
    rows = rows_by_slug(response)
    assert response.context["level"] == "sub"
    assert rows["housing-roof"]["total"].value == 6
    assert rows["housing-heating"]["total"].value == 8
    assert rows["housing"]["total"].value == 5  # filed without a subtopic
    assert rows["housing"]["general"] and rows["housing-roof"]["sub"]
    assert rows["trade-ads"]["total"].value == 6
    assert rows["roads"]["corrected"].value == 6
    assert str(rows["housing-roof"]["corrected"]) == "<5"  # one: not published as such
    assert response.context["grand_total"].value == 25
    assert response.context["rows"][0]["topic"].slug == "housing"  # the tree's order
    html = response.content.decode()
    assert "ЖКХ — в целом" in html
    assert '<option value="sub" selected>' in html


def test_an_unknown_level_is_the_top_level(client, committee, appeals_of_77):
    client.force_login(committee)
    response = client.get(reverse("ratings:topic_analytics"), {"level": "nonsense"})
    assert response.context["level"] == "top"


@pytest.mark.parametrize("level", ["top", "sub"])
def test_both_levels_run_constant_queries(client, committee, level):
    client.force_login(committee)
    deputy = DeputyFactory(region_code="77")
    url = reverse("ratings:topic_analytics")
    filed(deputy, "housing-roof", 2, chosen="roads")
    read_region_tables()
    client.get(url, {"level": level})  # the region's places, read once
    few = queries(client, url, {"level": level})
    for slug in ("housing-lifts", "roads-parking", "trade-kiosks", "education"):
        filed(deputy, slug, 5, chosen="other")
    read_region_tables()
    many = queries(client, url, {"level": level})
    assert_same_count(few, many)
