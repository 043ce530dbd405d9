"""The place an appeal comes from, with its district, on every list of appeals and in
the API (issue 21); no list reads more for more rows."""

import pytest
from django.urls import reverse

from deputies.models import Municipality
from deputies.selectors import municipalities_of
from tests.factories import AppealFactory
from tests.helpers import assert_same_count, queries, read_region_tables

pytestmark = pytest.mark.django_db

LABEL = "поселение Сосенское, Новомосковский административный округ"


@pytest.fixture
def place():
    return Municipality.objects.get(name="поселение Сосенское")


def warm(place):
    # As a process in service has them within the minute.
    read_region_tables()
    municipalities_of(region_id=place.region_id)


@pytest.mark.parametrize(
    "who, url",
    [
        ("deputy", "appeals:dashboard"),
        ("committee", "appeals:committee_queue"),
        ("citizen", "appeals:appeal_list"),
    ],
)
def test_the_lists_show_the_place_with_its_district(
    request, client, citizen, deputy, place, who, url
):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    handler = None if who == "committee" else deputy
    region = deputy.region
    AppealFactory.create_batch(
        2, citizen=citizen, deputy=handler, region=region, municipality=place
    )
    warm(place)
    few = queries(client, reverse(url))
    assert LABEL in client.get(reverse(url)).content.decode()

    AppealFactory.create_batch(
        12, citizen=citizen, deputy=handler, region=region, municipality=place
    )
    warm(place)
    assert_same_count(few, queries(client, reverse(url)))


def test_a_district_filter_takes_its_units(client, deputy, place):
    client.force_login(deputy.user)
    AppealFactory(deputy=deputy, municipality=place, subject="Сосенское")
    AppealFactory(deputy=deputy, municipality=None, subject="Без места")
    okrug = place.parent

    page = client.get(reverse("appeals:dashboard"), {"municipality": okrug.pk}).content.decode()

    assert "Сосенское" in page and "Без места" not in page


def test_the_api_gives_the_place_with_its_oktmo(api, citizen, deputy):
    tverskoy = Municipality.objects.get(name="Тверской район")
    AppealFactory(citizen=citizen, deputy=deputy, municipality=tverskoy)
    warm(tverskoy)
    api.get(reverse("api:appeal-list"))  # the per-process topic table too
    few = queries(api, reverse("api:appeal-list"))

    results = api.get(reverse("api:appeal-list")).json()["results"]
    assert results[0]["municipality"] == tverskoy.pk
    assert results[0]["place"] == {
        "id": tverskoy.pk,
        "name": "Тверской район",
        "name_en": "Tverskoy District",
        "kind": "district",
        "oktmo": "45382000",
        "parent": tverskoy.parent_id,
    }
    number = results[0]["number"]
    detail = api.get(reverse("api:appeal-detail", kwargs={"number": number})).json()
    assert detail["place"]["oktmo"] == "45382000"

    AppealFactory.create_batch(10, citizen=citizen, deputy=deputy, municipality=tverskoy)
    warm(tverskoy)
    assert_same_count(few, queries(api, reverse("api:appeal-list")))
