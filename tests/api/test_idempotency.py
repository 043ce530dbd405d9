"""A filing sent again with its Idempotency-Key (core.api.idempotency): the first answer
again, never a second appeal, never throttled, spending no budget."""

import pytest
from django.urls import reverse

from appeals.models import Appeal
from appeals.throttling import FilingThrottle
from tests.helpers import API_FILING, captured_queries

pytestmark = pytest.mark.django_db

URL = "api:appeal-list"


def file(api, key=None, **changes):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(reverse(URL), {**API_FILING, **changes}, format="json", **headers)


@pytest.fixture
def budget(monkeypatch):
    def set_rate(rate):
        monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": rate})

    return set_rate


def test_a_replay_answers_the_first_status_body_and_location(api, deputy):
    first = file(api, "k-1")
    again = file(api, "k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    number = first.json()["number"]
    location = reverse("api:appeal-detail", kwargs={"number": number})
    assert first["Location"] == again["Location"] == location
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Appeal.objects.count() == 1
    assert api.get(location).json()["number"] == number


def test_a_filing_without_a_key_has_a_location_and_is_never_a_replay(api, deputy):
    first, second = file(api), file(api)
    assert first["Location"] != second["Location"]
    assert "Idempotent-Replayed" not in second
    assert Appeal.objects.count() == 2


def test_the_same_key_with_another_body_is_a_409_and_files_nothing(api, deputy, other_deputy):
    file(api, "k-1")
    for changes in (
        {"subject": "Другое"},
        {"text": "Другой текст"},
        {"address": "ул. Ленина, 1"},
        {"topic": "housing"},
        {"deputy": other_deputy.pk},
    ):
        reused = file(api, "k-1", **changes)
        assert reused.status_code == 409, changes
        assert reused.json()["code"] == "idempotency_reused"
        assert "Idempotent-Replayed" not in reused
    assert Appeal.objects.count() == 1
    # Spaces around the subject are not another body: the filing strips them.
    assert file(api, "k-1", subject=f"  {API_FILING['subject']} ").status_code == 201


def test_keys_are_per_citizen(api, deputy, other_citizen):
    from rest_framework.test import APIClient

    other = APIClient()
    other.force_authenticate(other_citizen)
    mine, theirs = file(api, "shared"), file(other, "shared")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["number"] != theirs.json()["number"]
    assert "Idempotent-Replayed" not in theirs


def test_a_key_of_60_characters_is_kept_and_61_or_none_is_a_400(api, deputy):
    assert file(api, "k" * 60).status_code == 201
    assert file(api, "k" * 60)["Idempotent-Replayed"] == "true"
    too_long = file(api, "k" * 61)
    assert too_long.status_code == 400
    assert "Idempotency-Key" in too_long.content.decode()
    empty = file(api, "")  # sent, but empty: not the same as none
    assert empty.status_code == 400
    assert [e["attr"] for e in empty.json()["errors"]] == ["Idempotency-Key"]
    assert Appeal.objects.count() == 1


def test_a_replay_while_the_budget_is_spent_is_answered_not_throttled(api, deputy, budget):
    budget("1/min")
    first = file(api, "k-1")
    assert file(api, "k-2").status_code == 429  # the budget is spent
    again = file(api, "k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    # Still no way around the budget: an unknown key, or no key, waits.
    refused = file(api, "k-3")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert file(api).status_code == 429
    # And a replay that is not the same filing is still the 409, not the stored answer.
    assert file(api, "k-1", subject="Другое").status_code == 409
    assert Appeal.objects.count() == 1


def test_replays_spend_no_budget(api, deputy, budget):
    budget("2/min")
    assert file(api, "k-1").status_code == 201
    for _ in range(3):
        assert file(api, "k-1")["Idempotent-Replayed"] == "true"
    assert file(api, "k-2").status_code == 201  # the second place was still free
    assert file(api, "k-3").status_code == 429
    assert Appeal.objects.count() == 2


def test_the_key_is_looked_up_only_when_the_budget_refuses(api, deputy):
    """A first filing pays nothing for replays being answered while throttled."""
    file(api, "warm-up")
    with captured_queries() as keyed:
        assert file(api, "k-1").status_code == 201
    with captured_queries() as plain:
        assert file(api).status_code == 201
    assert len(keyed) == len(plain), keyed


def test_the_schema_documents_the_key_and_the_replay(db):
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    create = schema["paths"]["/api/v1/appeals/"]["post"]
    (key,) = [p for p in create["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["in"] == "header"
    assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 60}
    assert "201" in key["description"] and "409" in key["description"]
    assert "200" not in create["responses"]
