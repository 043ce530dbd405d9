import pytest

from appeals.models import Topic
from deputies.data.regions import FEDERAL_CITIES
from deputies.models import Body, Municipality, Region
from ratings.models import RatingFormula

pytestmark = pytest.mark.django_db

OFFICIAL_CODES = (
    [f"{n:02d}" for n in range(1, 80)]
    + ["83", "86", "87", "89"]
    + ["90", "91", "92", "93", "94", "95"]
)


def test_all_89_federal_subjects_load_with_their_official_codes():
    assert Region.objects.count() == 89
    assert sorted(Region.objects.values_list("code", flat=True)) == sorted(OFFICIAL_CODES)


@pytest.mark.parametrize(
    ("code", "name", "centre"),
    [
        ("01", "Республика Адыгея", "Майкоп"),
        ("16", "Республика Татарстан", "Казань"),
        ("54", "Новосибирская область", "Новосибирск"),
        ("77", "Москва", "Москва"),
        ("78", "Санкт-Петербург", "Санкт-Петербург"),
        ("86", "Ханты-Мансийский автономный округ — Югра", "Ханты-Мансийск"),
        ("91", "Республика Крым", "Симферополь"),
    ],
)
def test_regions_carry_their_names_and_administrative_centres(code, name, centre):
    region = Region.objects.get(code=code)
    assert region.name == name
    assert region.municipalities.get(is_admin_centre=True).name == centre


def test_every_region_has_a_legislature_and_its_centre_a_council():
    for region in Region.objects.all():
        assert region.bodies.filter(level=Body.Level.REGIONAL).count() == 1
        expected_councils = 0 if region.code in FEDERAL_CITIES else 1
        assert region.bodies.filter(level=Body.Level.MUNICIPAL).count() == expected_councils
    assert Municipality.objects.filter(is_admin_centre=True).count() == 89


def test_the_topic_list_of_the_spec_is_loaded_in_order():
    # The top level of the topic tree (issue 21 added trade and advertising); each
    # topic's subtopics follow it (tests/appeals/test_topics.py).
    tops = Topic.objects.filter(parent=None)
    assert list(tops.values_list("name_en", flat=True)) == [
        "Housing and utilities",
        "Roads and transport",
        "Landscaping",
        "Healthcare",
        "Education",
        "Social support",
        "Environment",
        "Safety and order",
        "Economy and jobs",
        "Culture and sport",
        "Trade and advertising",
        "Other",
    ]


def test_the_default_rating_formula_is_the_spec_one():
    formula = RatingFormula.objects.get(version=1)
    assert (formula.window_days, formula.prior_speed, formula.prior_quality) == (365, 10, 10)
    assert (float(formula.weight_speed), float(formula.weight_quality)) == (0.5, 0.5)
    assert formula.min_sample == 10
