"""Routing through the places' tree (issue 21): a district covering a St Petersburg
district covers its intra-city units; the closest district wins; the history names
the place."""

import pytest

from appeals import routing
from deputies.models import District, Municipality
from tests.factories import DeputyFactory

from .helpers import file_appeal
from .test_routing import routed_reason

pytestmark = pytest.mark.django_db


def spb(name):
    return Municipality.objects.get(region__code="78", name=name)


def district_deputy(place, number, **kwargs):
    deputy = DeputyFactory(region_code="78", **kwargs)
    district = District.objects.create(
        body=deputy.body, name=f"Одномандатный округ № {number}", number=number
    )
    district.municipalities.add(place)
    deputy.district = district
    deputy.save()
    return deputy


def test_a_district_covering_a_city_district_covers_its_units(citizen):
    DeputyFactory(region_code="78")  # idle, but not the district's
    central = district_deputy(spb("Центральный район"), 1, open_appeals=4)
    liteyny = spb("муниципальный округ Литейный округ")

    preview = routing.preview(region_id=liteyny.region_id, municipality=liteyny)
    appeal = file_appeal(citizen, region_code="78", municipality=liteyny)

    assert appeal.deputy == central
    assert preview.deputies == (central,)
    assert "Центральный район" in preview.text
    assert routed_reason(appeal).endswith(
        ": муниципальный округ Литейный округ входит в Центральный район, "
        "а Центральный район — в округ этого депутата"
    )


def test_the_closest_district_wins_over_the_whole_city(citizen):
    whole_city = district_deputy(spb("Санкт-Петербург"), 1)
    own = district_deputy(spb("муниципальный округ Коломна"), 2, open_appeals=9)

    first = file_appeal(citizen, region_code="78", municipality=spb("муниципальный округ Коломна"))
    other = file_appeal(citizen, region_code="78", municipality=spb("посёлок Шушары"))

    assert first.deputy == own
    assert routed_reason(first).endswith(
        ": муниципальный округ Коломна входит в округ этого депутата"
    )
    assert other.deputy == whole_city
    assert "посёлок Шушары входит в Санкт-Петербург" in routed_reason(other)
