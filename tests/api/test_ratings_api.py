from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from deputies.models import Deputy
from ratings import services
from tests.helpers import assert_same_count, queries
from tests.ratings.test_pages import populate
from tests.ratings.test_recompute import NOW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "who", "kwargs"),
    [
        ("api:ratings-region", "committee", {"code": "77"}),
        ("api:ratings-regions", "federal", {}),
    ],
)
def test_rating_lists_run_constant_queries(name, who, kwargs, request):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(who))
    populate(2)
    services.ratings_recompute(now=NOW)
    client.get(reverse(name, kwargs=kwargs))
    cache.clear()  # counted as read afresh, not from the run's cached answer
    few = queries(client, reverse(name, kwargs=kwargs))
    populate(10)
    services.ratings_recompute(now=NOW + timedelta(hours=1))
    cache.clear()
    assert_same_count(few, queries(client, reverse(name, kwargs=kwargs)))


def test_a_runs_table_is_answered_from_the_cache_until_the_next_run(committee, other_committee):
    client = APIClient()
    client.force_authenticate(committee)
    deputies = populate(2)
    services.ratings_recompute(now=NOW)
    url = reverse("api:ratings-region", kwargs={"code": "77"})
    first = client.get(url, {"ordering": "score"}).json()
    read = queries(client, url, {"ordering": "score"}, cold=False)
    assert client.get(url, {"ordering": "score"}).json() == first
    fresh = queries(
        client, url, {"ordering": "-score"}, cold=False
    )  # another question, another key
    assert len(read) < len(fresh)

    Deputy.objects.filter(pk=deputies[0].pk).update(full_name="Переименованный Депутат")
    assert client.get(url, {"ordering": "score"}).json() == first  # the same run
    services.ratings_recompute(now=NOW + timedelta(hours=1))
    names = [row["deputy"] for row in client.get(url, {"ordering": "score"}).json()["results"]]
    assert "Переименованный Депутат" in names

    other = APIClient()
    other.force_authenticate(other_committee)
    assert other.get(url, {"ordering": "score"}).status_code == 404  # cached, still refused


def test_history_runs_constant_queries(committee):
    client = APIClient()
    client.force_authenticate(committee)
    deputy = populate(1)[0]
    services.ratings_recompute(now=NOW)
    url = reverse("api:ratings-deputy-history", kwargs={"pk": deputy.pk})
    client.get(url)
    few = queries(client, url)
    for day in range(1, 5):
        services.ratings_recompute(now=NOW + timedelta(days=day))
    assert_same_count(few, queries(client, url))
    assert client.get(url).json()["count"] == 5


def test_the_region_table_filters_and_pages(committee):
    client = APIClient()
    client.force_authenticate(committee)
    populate(3)
    services.ratings_recompute(now=NOW)
    url = reverse("api:ratings-region", kwargs={"code": "77"})
    assert client.get(url).json()["count"] == 3
    assert client.get(url, {"enough_data": "false"}).json()["count"] == 0
    assert len(client.get(url, {"page_size": 2}).json()["results"]) == 2
    assert client.get(url, {"body": "99999999999999999999999"}).status_code == 400


def test_a_region_added_elsewhere_a_moment_ago_is_found(federal):
    """Regions are read from the per-process table; one saved by another process since
    (no signal here: bulk_create) is looked up in the database."""
    from deputies.models import Region
    from tests.helpers import read_region_tables

    client = APIClient()
    client.force_authenticate(federal)
    read_region_tables()
    Region.objects.bulk_create([Region(code="99", name="Новый край", name_en="New Krai")])
    assert client.get(reverse("api:ratings-region", kwargs={"code": "99"})).status_code == 200
    assert client.get(reverse("api:ratings-region", kwargs={"code": "98"})).status_code == 404
