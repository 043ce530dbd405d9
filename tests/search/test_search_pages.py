"""Search where people use it: the citizen's list, the deputy's dashboard, the
committee's search page and `search=` on the API list. Each finds by word forms and
synonyms, never shows an appeal the reader may not see, marks the words found, and
reads as many statements for many rows as for few."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import AppealFactory
from tests.helpers import ROLES, assert_same_count, login, queries

pytestmark = pytest.mark.django_db

ENTRANCE = {"subject": "Грязь", "text": "В подъезде не убирают с весны."}


def pile(count, **fields):
    for _ in range(count):
        AppealFactory(subject="Протечка", text="В подъезде течёт крыша.", **fields)


# --- the citizen's list -------------------------------------------------------------


def test_my_appeals_find_word_forms_and_mark_them(client, citizen, deputy):
    mine = AppealFactory(citizen=citizen, deputy=deputy, **ENTRANCE)
    AppealFactory(deputy=deputy, **ENTRANCE)  # another citizen's
    client.force_login(citizen)
    response = client.get(reverse("appeals:appeal_list"), {"search": "парадная"})
    rows = [row.record for row in response.context["table"].paginated_rows]
    assert [a.pk for a in rows] == [mine.pk]
    assert "В <mark>подъезде</mark> не убирают" in response.content.decode()


def test_my_appeals_search_reads_the_same_statements_for_more_rows(client, citizen, deputy):
    client.force_login(citizen)
    pile(2, citizen=citizen, deputy=deputy)
    url, params = reverse("appeals:appeal_list"), {"search": "подъезд"}
    few = queries(client, url, params)
    pile(20, citizen=citizen, deputy=deputy)
    assert_same_count(few, queries(client, url, params))


# --- the deputy's dashboard ---------------------------------------------------------


def test_the_dashboard_ranks_and_marks_and_keeps_to_the_deputys_appeals(
    client, deputy, other_deputy
):
    subject_too = AppealFactory(deputy=deputy, subject="Подъезд", text="Грязно в подъезде.")
    text_only = AppealFactory(deputy=deputy, **ENTRANCE)
    AppealFactory(deputy=deputy, subject="Лифт", text="Лифт стоит.")
    AppealFactory(deputy=other_deputy, **ENTRANCE)
    client.force_login(deputy.user)
    response = client.get(reverse("appeals:dashboard"), {"q": "парадная"})
    found = [a.pk for a in response.context["page"].object_list]
    assert found == [subject_too.pk, text_only.pk]  # best first: the word twice
    body = response.content.decode()
    assert "В <mark>подъезде</mark> не убирают" in body
    assert response.context["filters"].order == "relevance"
    # An order chosen still applies to the matches.
    ordered = client.get(reverse("appeals:dashboard"), {"q": "подъезд", "ordering": "-registered"})
    assert [a.pk for a in ordered.context["page"].object_list] == [text_only.pk, subject_too.pk]


def test_the_dashboard_search_reads_the_same_statements_for_more_rows(client, deputy):
    client.force_login(deputy.user)
    pile(2, deputy=deputy)
    url, params = reverse("appeals:dashboard"), {"q": "подъезд"}
    few = queries(client, url, params)
    pile(30, deputy=deputy)
    cache.clear()
    assert_same_count(few, queries(client, url, params))


# --- the committee's search ---------------------------------------------------------

SEARCH = reverse("appeals:committee_search")


def found(response):
    return {a.pk for a in response.context["page"].object_list}


@pytest.mark.parametrize("role", [*ROLES, "staff"])
def test_the_committee_search_is_for_committees_and_federal_staff(client, role, request):
    if role == "staff":
        from accounts.models import User
        from tests.factories import UserFactory

        client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True))
    else:
        login(client, role, request)
    response = client.get(SEARCH, {"q": "подъезд"})
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("committee", "other_committee", "federal", "staff"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_a_committee_finds_its_regions_appeals_and_reads_text_only_where_it_may(
    client, committee, other_committee, deputy
):
    from tests.factories import DeputyFactory

    assigned = AppealFactory(deputy=deputy, **ENTRANCE)  # region 77, at a deputy
    waiting = AppealFactory(deputy=None, region=deputy.region, **ENTRANCE)
    by_subject = AppealFactory(deputy=deputy, subject="Грязный подъезд", text="Просим убрать.")
    spb = AppealFactory(deputy=None, region=DeputyFactory(region_code="78").region, **ENTRANCE)
    client.force_login(committee)
    response = client.get(SEARCH, {"q": "подъезд"})
    # The assigned appeal's text is the deputy's to read: found by its subject only.
    assert found(response) == {waiting.pk, by_subject.pk}
    body = response.content.decode()
    assert "В <mark>подъезде</mark> не убирают" in body  # the waiting one's text
    assert "Грязный <mark>подъезд</mark>" in body
    assert assigned.number not in body and spb.number not in body
    # Another region's committee neither finds these nor may name the region.
    client.force_login(other_committee)
    assert found(client.get(SEARCH, {"q": "подъезд"})) == {spb.pk}
    assert client.get(SEARCH, {"q": "подъезд", "region": "77"}).status_code == 404


def test_federal_staff_search_every_region_or_one(client, federal, deputy):
    from tests.factories import DeputyFactory

    moscow = AppealFactory(deputy=deputy, subject="Подъезд")
    spb = AppealFactory(deputy=DeputyFactory(region_code="78"), subject="Парадная")
    AppealFactory(deputy=deputy, **ENTRANCE)  # the text: not federal staff's to read
    client.force_login(federal)
    assert found(client.get(SEARCH, {"q": "подъезд"})) == {moscow.pk, spb.pk}
    assert found(client.get(SEARCH, {"q": "подъезд", "region": "78"})) == {spb.pk}


def test_the_committee_search_reads_the_same_statements_for_more_rows(client, committee, deputy):
    client.force_login(committee)
    pile(2, deputy=None, region=deputy.region)
    params = {"q": "подъезд"}
    client.get(SEARCH, params)  # the region's reference rows, read once per process
    few = queries(client, SEARCH, params)
    pile(30, deputy=None, region=deputy.region)
    assert_same_count(few, queries(client, SEARCH, params))


# --- the API ------------------------------------------------------------------------

API = "/api/v1/appeals/"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_search_finds_only_what_the_caller_sees(client, role, request, citizen, deputy):
    appeal = AppealFactory(citizen=citizen, deputy=deputy, **ENTRANCE)
    login(client, role, request)
    response = client.get(API, {"search": "парадная"})
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()["results"]]
    # The text is read by the citizen and the deputy; the committee and federal staff
    # find an assigned appeal by its number and subject only.
    sees = role in ("citizen", "deputy")
    assert numbers == ([appeal.number] if sees else [])
    by_number = client.get(API, {"search": appeal.number[-6:]}).json()["results"]
    assert [row["number"] for row in by_number] == (
        [appeal.number] if role in ("citizen", "deputy", "committee", "federal") else []
    )


def test_the_api_search_walks_ranked_pages_by_cursor(client, citizen, deputy):
    expected = [
        AppealFactory(citizen=citizen, deputy=deputy, subject="Подъезд", text=text).number
        for text in ("Подъезд.", "Подъезд и подъезды.", "Грязь.", "Подъезд, подъезд, подъезд.")
    ]
    client.force_login(citizen)
    everything = client.get(API, {"search": "подъезд", "page_size": 200}).json()["results"]
    ranked = [row["number"] for row in everything]
    assert sorted(ranked) == sorted(expected)
    walked, url, params = [], API, {"search": "подъезд", "page_size": 1}
    while url:
        page = client.get(url, params).json()
        walked += [row["number"] for row in page["results"]]
        url, params = page["next"], None
    assert walked == ranked  # the same order, no row twice or missed
    # An order given replaces the ranking.
    newest = client.get(API, {"search": "подъезд", "ordering": "-registered_at"}).json()
    assert [row["number"] for row in newest["results"]] == expected[::-1]


def test_the_api_search_reads_the_same_statements_for_more_rows(client, citizen, deputy):
    client.force_login(citizen)
    pile(2, citizen=citizen, deputy=deputy)
    client.get(API)  # the per-process topic table, read once
    few = queries(client, API, {"search": "подъезд"})
    pile(20, citizen=citizen, deputy=deputy)
    assert_same_count(few, queries(client, API, {"search": "подъезд"}))
