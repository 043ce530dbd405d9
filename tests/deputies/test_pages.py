import pytest
from django.urls import reverse

from deputies.models import Body
from tests.factories import DeputyFactory
from tests.helpers import assert_same_count, queries

pytestmark = pytest.mark.django_db


def test_start_page_offers_every_region(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["regions"]) == 89


def test_the_region_chooser_leads_to_the_region_page(client):
    response = client.get(reverse("deputies:region_list"), {"code": "16"})
    assert response.status_code == 302
    assert response.url == reverse("deputies:region_detail", kwargs={"code": "16"})


def test_an_unknown_region_is_404(client):
    assert client.get(reverse("deputies:region_detail", kwargs={"code": "00"})).status_code == 404


def test_region_page_lists_its_deputies_and_no_one_else(client):
    moscow = DeputyFactory(region_code="77", full_name="Орлов Пётр Иванович")
    DeputyFactory(region_code="78", full_name="Зайцева Анна Олеговна")

    response = client.get(reverse("deputies:region_detail", kwargs={"code": "77"}))

    assert list(response.context["page"].object_list) == [moscow]
    assert "Зайцева" not in response.content.decode()


def test_region_page_filters_by_body_and_name(client):
    regional = DeputyFactory(region_code="16", full_name="Орлов Пётр Иванович")
    council = Body.objects.get(region__code="16", level=Body.Level.MUNICIPAL)
    municipal = DeputyFactory(region_code="16", body=council, full_name="Белов Олег Павлович")
    url = reverse("deputies:region_detail", kwargs={"code": "16"})

    assert list(client.get(url, {"body": council.pk}).context["page"].object_list) == [municipal]
    assert list(client.get(url, {"q": "орлов"}).context["page"].object_list) == [regional]


def test_region_page_query_count_does_not_grow_with_deputies(client):
    url = reverse("deputies:region_detail", kwargs={"code": "77"})
    DeputyFactory.create_batch(3, region_code="77")
    few = queries(client, url)
    DeputyFactory.create_batch(30, region_code="77")
    assert_same_count(few, queries(client, url))


def test_region_list_query_count_does_not_grow_with_deputies(client):
    url = reverse("deputies:region_list")
    DeputyFactory(region_code="01")
    few = queries(client, url)
    for code in ("02", "03", "04", "05"):
        DeputyFactory.create_batch(3, region_code=code)
    assert_same_count(few, queries(client, url))


def test_region_list_counts_only_deputies_accepting_appeals(client):
    DeputyFactory.create_batch(2, region_code="01")
    DeputyFactory(region_code="01", accepts_appeals=False)
    regions = {r.code: r for r in client.get(reverse("deputies:region_list")).context["regions"]}
    assert regions["01"].deputies_count == 2


def test_deputy_page_shows_body_faction_and_district(client):
    deputy = DeputyFactory(region_code="54", faction="Фракция «Народный выбор»")
    response = client.get(deputy.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert deputy.full_name in body
    assert deputy.body.name in body
    assert "Фракция «Народный выбор»" in body


def test_a_missing_deputy_is_404(client):
    assert client.get(reverse("deputies:deputy_detail", kwargs={"pk": 999999})).status_code == 404


def test_a_deputy_without_a_photo_has_no_photo_url(client):
    deputy = DeputyFactory()
    assert client.get(reverse("deputies:deputy_photo", kwargs={"pk": deputy.pk})).status_code == 404


def test_region_page_filtered_and_paged_query_count_does_not_grow_with_deputies(client):
    council = Body.objects.get(region__code="16", level=Body.Level.MUNICIPAL)
    url = reverse("deputies:region_detail", kwargs={"code": "16"})
    params = {"body": council.pk, "q": "орлов", "page": 2}
    DeputyFactory.create_batch(31, region_code="16", body=council, full_name="Орлов Пётр")
    few = queries(client, url, params)
    DeputyFactory.create_batch(60, region_code="16", body=council, full_name="Орлов Пётр")
    many = queries(client, url, params)
    assert_same_count(few, many)
    assert len(many.naming('FROM "deputies_body"')) == 1  # the filter's choices, once


def test_region_page_shows_deputies_as_cards_with_a_count_and_pages(client):
    DeputyFactory.create_batch(31, region_code="16")
    url = reverse("deputies:region_detail", kwargs={"code": "16"})
    page = client.get(url).content.decode()
    assert page.count('class="card deputy-card"') == 30
    assert "Найден 31 депутат" in page
    assert "page=2" in page


def test_region_page_answers_htmx_with_the_list_alone(client):
    DeputyFactory(region_code="16", full_name="Орлов Пётр Иванович")
    url = reverse("deputies:region_detail", kwargs={"code": "16"})
    body = client.get(url, {"q": "орлов"}, headers={"HX-Request": "true"}).content.decode()
    assert body.startswith('<div id="deputy-results">')
    assert "Орлов Пётр Иванович" in body and "<html" not in body


def test_region_list_is_a_sortable_table(client):
    page = client.get(reverse("deputies:region_list"), {"sort": "-code"}).content.decode()
    assert page.index("Чукотский") < page.index("Республика Адыгея")
