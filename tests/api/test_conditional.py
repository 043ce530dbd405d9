"""Conditional GETs (core.api.conditional): an appeal and a region's rating table answer
304 to the tag they gave, and another tag once they changed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ratings import services as rating_services
from tests.factories import CitizenFactory
from tests.helpers import captured_queries
from tests.ratings.test_pages import populate
from tests.ratings.test_recompute import NOW

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_appeal_answers_304_to_its_tag_and_a_new_tag_after_an_event(appeal, citizen, deputy):
    as_citizen = signed_in(citizen)
    url = reverse("api:appeal-detail", kwargs={"number": appeal.number})
    first = as_citizen.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Cache-Control"] == "private, no-cache"

    unchanged = as_citizen.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert as_citizen.get(url, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert as_citizen.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    answered = signed_in(deputy.user).post(
        reverse("api:appeal-answer", kwargs={"number": appeal.number}),
        {"text": "Лифт починят в пятницу.", "final": False},
        format="json",
    )
    assert answered.status_code == 200
    changed = as_citizen.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Лифт починят в пятницу." in changed.content.decode()


def test_an_appeals_tag_is_the_callers_own(appeal, citizen, committee):
    """The committee does not read the citizen's text: its tag is not the citizen's, and
    someone who may not see the appeal gets the 404 whatever the tag."""
    url = reverse("api:appeal-detail", kwargs={"number": appeal.number})
    etag = signed_in(citizen).get(url)["ETag"]
    as_committee = signed_in(committee)
    assert as_committee.get(url).json()["text"] is None
    assert as_committee.get(url)["ETag"] != etag
    assert as_committee.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    stranger = signed_in(CitizenFactory())
    assert stranger.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_a_rating_table_answers_304_without_reading_it_until_the_next_run(committee):
    as_committee = signed_in(committee)
    populate(2)
    rating_services.ratings_recompute(now=NOW)
    url = reverse("api:ratings-region", kwargs={"code": "77"})
    first = as_committee.get(url, {"ordering": "score"})
    etag = first["ETag"]
    with captured_queries() as read:
        unchanged = as_committee.get(url, {"ordering": "score"}, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert not read.naming('"ratings_ratingsnapshot"')  # no row read, nothing rendered
    # Another question is another answer, so another tag.
    assert as_committee.get(url, {"ordering": "-score"}, HTTP_IF_NONE_MATCH=etag).status_code == 200

    rating_services.ratings_recompute(now=NOW + timedelta(hours=1))
    after_run = as_committee.get(url, {"ordering": "score"}, HTTP_IF_NONE_MATCH=etag)
    assert after_run.status_code == 200
    assert after_run["ETag"] != etag


def test_a_table_refuses_whom_it_refused_whatever_the_tag(committee, other_committee):
    populate(2)
    rating_services.ratings_recompute(now=NOW)
    url = reverse("api:ratings-region", kwargs={"code": "77"})
    etag = signed_in(committee).get(url)["ETag"]
    assert signed_in(other_committee).get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404
