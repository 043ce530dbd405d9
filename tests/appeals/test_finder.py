"""Finding whom to write to: the finder (region → municipality → the deputy whose
district covers it, or the automatic choice in words, as appeals.routing decides it),
"write to this deputy" on a deputy's page, and the form's "who will get it"."""

import re

import pytest
from django.urls import reverse

from appeals.models import Appeal
from deputies.models import Body, District, Municipality
from tests.factories import DeputyFactory
from tests.helpers import assert_same_count, queries

from .helpers import form_data

pytestmark = pytest.mark.django_db

FINDER = reverse("appeals:appeal_finder")
NEW = reverse("appeals:appeal_create")


def place(code="16", name=None):
    found = Municipality.objects.filter(region__code=code)
    return found.get(name=name) if name else found.first()


def elected_in(deputy, *places):
    """Give `deputy` an electoral district covering `places`."""
    district = District.objects.create(body=deputy.body, name=f"Округ {deputy.pk}")
    district.municipalities.add(*places)
    deputy.district = district
    deputy.save(update_fields=["district"])
    return deputy


def test_the_finder_names_the_deputy_whose_district_covers_the_municipality(client):
    kazan = Municipality.objects.get(region__code="16", is_admin_centre=True)
    safina = elected_in(DeputyFactory(region_code="16", full_name="Сафина Алия Рашидовна"), kazan)
    DeputyFactory(region_code="16", full_name="Петров Иван Ильич")  # no district

    response = client.get(FINDER, {"region": "16", "municipality": kazan.pk})

    page = response.content.decode()
    assert response.context["recipient"].rule == "district"
    assert f"входит {kazan.name}, — Сафина Алия Рашидовна" in page
    assert "Петров" not in page
    write = f"{NEW}?region=16&amp;municipality={kazan.pk}&amp;deputy={safina.pk}"
    assert write in page  # "write to this deputy"
    assert f'{NEW}?region=16&amp;municipality={kazan.pk}"' in page  # or automatically


def test_the_finder_explains_the_least_busy_rule_where_no_district_covers(client):
    DeputyFactory(region_code="16")
    uncovered = place("16")

    response = client.get(FINDER, {"region": "16", "municipality": uncovered.pk})

    page = response.content.decode()
    assert response.context["recipient"].rule == "region"
    assert f"{uncovered.name} не входит в избирательный округ ни одного депутата" in page
    assert "наименее загруженный депутат региона" in page


def test_the_finder_says_the_committee_assigns_where_nobody_accepts(client):
    DeputyFactory(region_code="95", accepts_appeals=False, user=None)

    response = client.get(FINDER, {"region": "95"})

    assert response.context["recipient"].rule == "committee"
    assert "региональный исполком передаст его депутату" in response.content.decode()


def test_the_finder_finds_by_name_only_deputies_who_accept_appeals(client):
    DeputyFactory(region_code="16", full_name="Сафина Алия Рашидовна")
    DeputyFactory(region_code="16", full_name="Сафин Марат", accepts_appeals=False, user=None)
    DeputyFactory(region_code="02", full_name="Сафиуллин Ринат")

    response = client.get(FINDER, {"region": "16", "q": "сафин"})

    assert [d.full_name for d in response.context["found"]] == ["Сафина Алия Рашидовна"]


def test_the_finder_starts_with_the_region_and_swaps_only_results_for_htmx(client):
    start = client.get(FINDER)
    assert len(start.context["regions"]) == 89
    assert 'id="finder-region"' in start.content.decode()

    partial = client.get(FINDER, {"region": "16"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="finder-results"')
    assert "<html" not in body


def test_the_finder_name_search_queries_do_not_grow(client):
    DeputyFactory.create_batch(3, region_code="16", full_name="Сафина Алия")
    client.get(FINDER, {"region": "16"})  # the process reads its reference tables once
    few = queries(client, FINDER, {"region": "16", "q": "сафина"})
    DeputyFactory.create_batch(30, region_code="16", full_name="Сафина Алия")
    assert_same_count(few, queries(client, FINDER, {"region": "16", "q": "сафина"}))


@pytest.mark.parametrize("level", ["", Body.Level.REGIONAL])
def test_the_rule_in_words_is_the_rule_routing_applies(client, citizen, level):
    """What the finder says before sending is where the appeal goes."""
    kazan = Municipality.objects.get(region__code="16", is_admin_centre=True)
    covering = elected_in(DeputyFactory(region_code="16"), kazan)
    DeputyFactory(region_code="16")  # less busy, but not of the district
    covering.open_appeals = 5
    covering.save(update_fields=["open_appeals"])
    told = client.get(FINDER, {"region": "16", "municipality": kazan.pk}).context["recipient"]
    assert told.deputies == (covering,)

    client.force_login(citizen)
    client.post(NEW, form_data(region="16", municipality=kazan.pk, level=level))

    assert Appeal.objects.get().deputy == covering


def test_write_to_this_deputy_opens_the_form_with_the_deputy_and_region_set(client, citizen):
    chosen = DeputyFactory(region_code="16", full_name="Сафина Алия Рашидовна")
    DeputyFactory.create_batch(3, region_code="16")
    page = client.get(chosen.get_absolute_url()).content.decode()
    link = f"{NEW}?deputy={chosen.pk}"
    assert f'href="{link}"' in page
    client.force_login(citizen)

    response = client.get(link)

    assert response.context["region"].code == "16"
    assert response.context["form"]["deputy"].value() == chosen.pk
    body = response.content.decode()
    assert 'id="chosen-deputy"' in body and "Сафина Алия Рашидовна" in body
    assert "выбранный вами депутат" in body
    assert '<select name="deputy"' not in body  # never a list of the region's deputies
    client.post(NEW, form_data(region="16", deputy=chosen.pk))
    appeal = Appeal.objects.get()
    assert (appeal.deputy, appeal.chosen_deputy) == (chosen, chosen)


def test_write_to_this_deputy_signs_the_visitor_in_first(client):
    chosen = DeputyFactory(region_code="16")
    response = client.get(NEW, {"deputy": chosen.pk})
    assert response.status_code == 302
    assert "/accounts/login/" in response.url and f"deputy%3D{chosen.pk}" in response.url


def test_a_deputy_who_does_not_accept_appeals_has_no_write_button(client, citizen):
    resting = DeputyFactory(region_code="16", accepts_appeals=False, user=None)
    page = client.get(resting.get_absolute_url()).content.decode()
    assert 'id="write-to-deputy"' not in page
    assert "не принимает обращения" in page

    client.force_login(citizen)
    response = client.get(NEW, {"region": "16", "deputy": resting.pk})
    assert response.context["chosen"] is None
    assert response.context["form"]["deputy"].value() in (None, "")


def test_staff_see_no_write_button_on_a_deputys_page(client, committee):
    deputy = DeputyFactory(region_code="77")
    client.force_login(committee)
    assert 'id="write-to-deputy"' not in client.get(deputy.get_absolute_url()).content.decode()


def test_the_deputys_page_shows_the_municipalities_of_the_district(client):
    kazan = Municipality.objects.get(region__code="16", is_admin_centre=True)
    deputy = elected_in(DeputyFactory(region_code="16"), kazan)
    page = client.get(deputy.get_absolute_url()).content.decode()
    covers = re.search(r'id="district-covers">([^<]*)<', page).group(1)
    assert covers == kazan.name


def test_the_form_says_again_who_gets_it_when_the_municipality_changes(client, citizen):
    kazan = Municipality.objects.get(region__code="16", is_admin_centre=True)
    covering = elected_in(DeputyFactory(region_code="16"), kazan)
    client.force_login(citizen)
    form = client.get(NEW, {"region": "16"}).content.decode()
    assert 'hx-get="/appeals/new/recipient/"' in form
    assert 'data-rule="general"' in form  # the blank form: the rule in general words

    response = client.get(
        reverse("appeals:appeal_recipient"),
        {"region": "16", "municipality": kazan.pk, "level": ""},
        headers={"HX-Request": "true"},
    )

    assert 'data-rule="district"' in response.content.decode()
    assert covering.full_name in response.content.decode()


def test_the_repeat_form_says_it_goes_to_the_deputy_who_answered(client, citizen, deputy):
    from .helpers import answered_appeal

    appeal = answered_appeal(citizen, deputy)
    client.force_login(citizen)

    page = client.get(NEW, {"repeat_of": appeal.number}).content.decode()

    assert f"ответивший на первое, — {deputy.full_name}" in page
