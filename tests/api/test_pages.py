"""Pages of the API's lists (core.api.pagination): cursor pages for appeals, page numbers
for the short reference lists; the caps in the schema."""

import base64
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import AppealFactory, CitizenFactory
from tests.helpers import assert_same_count, queries

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def links(response) -> dict:
    return {rel: url for url, rel in LINK.findall(response.get("Link", ""))}


@pytest.fixture
def as_deputy(deputy):
    client = APIClient()
    client.force_authenticate(deputy.user)
    return client


def appeals(deputy, count, *, deadline, start):
    """Appeals sharing one deadline, registered a minute apart from `start`."""
    return [
        AppealFactory(
            deputy=deputy,
            citizen=CitizenFactory(),
            deadline=deadline,
            registered_at=start + timedelta(minutes=n),
        )
        for n in range(count)
    ]


def walk(client, url, params, *, between=None):
    """The numbers of every page reached through `next`, with the Link header checked
    against the body on each; `between(n)` runs after page n."""
    pages = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200
        body = response.json()
        assert links(response) == {
            rel: body[key] for rel, key in (("next", "next"), ("prev", "previous")) if body[key]
        }
        pages.append([row["number"] for row in body["results"]])
        if between:
            between(len(pages))
        if not body["next"]:
            return pages, response
        response = client.get(body["next"])


def test_a_cursor_walk_on_a_shared_deadline_repeats_and_skips_nothing_as_rows_arrive(
    deputy, as_deputy
):
    """Six appeals share one deadline (a date: thousands do in a large region). Rows filed
    while the client walks appear once if they sort after its place, never twice."""
    now = timezone.now()
    deadline = timezone.localdate() + timedelta(days=10)
    first = appeals(deputy, 6, deadline=deadline, start=now - timedelta(hours=1))
    added = []

    def file_more(page):
        if page == 1:  # one sorting after the client's place, one before it
            added.append(AppealFactory(deputy=deputy, deadline=deadline))
            AppealFactory(deputy=deputy, deadline=deadline - timedelta(days=5))
        if page == 2:
            added.append(AppealFactory(deputy=deputy, deadline=deadline + timedelta(days=1)))

    url = reverse("api:appeal-list")
    pages, last = walk(as_deputy, url, {"ordering": "deadline", "page_size": 3}, between=file_more)
    seen = [number for page in pages for number in page]
    assert len(pages) == 3
    assert seen == [appeal.number for appeal in first + added]  # by deadline, then as filed

    # And back from the last page through `previous`, the same rows in the same order.
    back, response = [], last
    while True:
        back = [row["number"] for row in response.json()["results"]] + back
        previous = response.json()["previous"]
        if not previous:
            break
        response = as_deputy.get(previous)
    assert back[-len(seen) :] == seen


def test_the_newest_first_walk_is_not_shifted_by_new_filings(deputy, as_deputy):
    now = timezone.now()
    older = appeals(deputy, 5, deadline=timezone.localdate(), start=now - timedelta(days=1))

    def file_more(page):
        AppealFactory(deputy=deputy)  # newer than every row: before the client's place

    pages, _last = walk(as_deputy, reverse("api:appeal-list"), {"page_size": 2}, between=file_more)
    assert [n for page in pages for n in page] == [a.number for a in reversed(older)]
    assert [len(page) for page in pages] == [2, 2, 1]


def test_the_first_page_has_no_previous_and_no_count(deputy, as_deputy):
    appeals(deputy, 3, deadline=timezone.localdate(), start=timezone.now())
    response = as_deputy.get(reverse("api:appeal-list"), {"page_size": 2})
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert body["previous"] is None
    assert list(links(response)) == ["next"]
    last = as_deputy.get(body["next"])
    assert last.json()["next"] is None
    assert list(links(last)) == ["prev"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(json.dumps({"o": ["x"], "r": 0, "v": [1]}).encode()).decode(),
        base64.urlsafe_b64encode(
            json.dumps({"o": ["-registered_at", "-pk"], "r": 0, "v": ["yesterday", 1]}).encode()
        ).decode(),
    ],
)
def test_a_bad_cursor_is_a_400_naming_the_cursor(deputy, as_deputy, cursor):
    response = as_deputy.get(reverse("api:appeal-list"), {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.content.decode()


def test_a_cursor_made_for_another_ordering_is_a_400(deputy, as_deputy):
    appeals(deputy, 3, deadline=timezone.localdate(), start=timezone.now())
    url = reverse("api:appeal-list")
    following = as_deputy.get(url, {"page_size": 1}).json()["next"]
    cursor = parse_qs(urlsplit(following).query)["cursor"][0]
    assert as_deputy.get(url, {"cursor": cursor, "page_size": 1}).status_code == 200
    response = as_deputy.get(url, {"cursor": cursor, "ordering": "deadline"})
    assert response.status_code == 400


@pytest.mark.parametrize("size", ["0", "201", "abc", "-1", "2.5"])
@pytest.mark.parametrize("name", ["api:appeal-list", "api:region-list"])
def test_a_page_size_outside_1_to_200_is_a_400(as_deputy, name, size):
    response = as_deputy.get(reverse(name), {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.content.decode()
    assert as_deputy.get(reverse(name), {"page_size": "200"}).status_code == 200


def test_a_cursor_page_runs_the_same_queries_however_many_rows(deputy, as_deputy):
    url = reverse("api:appeal-list")
    appeals(deputy, 4, deadline=timezone.localdate(), start=timezone.now() - timedelta(days=1))
    as_deputy.get(url)  # the first call caches the caller's scope
    following = as_deputy.get(url, {"page_size": 2}).json()["next"]
    few = queries(as_deputy, following)
    appeals(deputy, 20, deadline=timezone.localdate(), start=timezone.now() - timedelta(days=2))
    many = queries(as_deputy, following)
    assert_same_count(few, many)
    assert not many.naming("COUNT(")  # nothing counts the whole list
    assert not many.naming("OFFSET")


def test_past_the_last_page_of_a_reference_list_is_an_empty_page(as_deputy):
    url = reverse("api:region-list")
    whole = as_deputy.get(url).json()
    assert whole["count"] > 1
    past = as_deputy.get(url, {"page": 99, "page_size": 1})
    assert past.status_code == 200
    body = past.json()
    assert (body["count"], body["results"], body["next"]) == (whole["count"], [], None)
    assert f"page={whole['count']}" in body["previous"]  # back to the last page
    assert links(past) == {"prev": body["previous"]}
    for bad in ("0", "abc", "-2"):
        assert as_deputy.get(url, {"page": bad}).status_code == 400


def test_a_reference_page_links_its_neighbours(as_deputy):
    response = as_deputy.get(reverse("api:region-list"), {"page": 2, "page_size": 1})
    body = response.json()
    assert links(response) == {"next": body["next"], "prev": body["previous"]}


def test_the_schema_states_the_caps_and_the_cursor():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    def parameters(path):
        return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    appeal_list = parameters("/api/v1/appeals/")
    assert appeal_list["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert "cursor" in appeal_list and "page" not in appeal_list
    regions = parameters("/api/v1/regions/")
    assert regions["page_size"]["schema"]["maximum"] == 200
    assert regions["page"]["schema"]["minimum"] == 1
    page = schema["components"]["schemas"]["PaginatedAppealList"]
    assert "count" not in page["properties"]


@pytest.mark.parametrize("ordering", ["-deadline,registered_at", "registered_at", "-deadline"])
def test_every_allowed_ordering_walks_every_row_once_in_its_order(deputy, as_deputy, ordering):
    today = timezone.localdate()
    start = timezone.now() - timedelta(days=1)
    rows = [
        *appeals(deputy, 3, deadline=today, start=start),
        *appeals(deputy, 3, deadline=today + timedelta(days=1), start=start + timedelta(hours=1)),
    ]
    url = reverse("api:appeal-list")
    pages, _last = walk(as_deputy, url, {"ordering": ordering, "page_size": 2})
    whole = as_deputy.get(url, {"ordering": ordering, "page_size": 200}).json()["results"]
    assert [n for page in pages for n in page] == [row["number"] for row in whole]
    assert sorted(row["number"] for row in whole) == sorted(a.number for a in rows)
    if ordering == "-deadline,registered_at":
        assert [row["number"] for row in whole] == [a.number for a in rows[3:] + rows[:3]]
