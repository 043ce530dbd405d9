"""Supplementary answers and repeat appeals through the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from appeals.models import Appeal
from tests.factories import AppealFactory, DeputyFactory
from tests.helpers import API_FILING, error_fields

pytestmark = pytest.mark.django_db


def _answered_by_api(citizen, deputy):
    from tests.appeals.helpers import file_appeal

    appeal = file_appeal(citizen, chosen_deputy=deputy)
    client = APIClient()
    client.force_authenticate(deputy.user)
    url = reverse("api:appeal-answer", kwargs={"number": appeal.number})
    answered = client.post(url, {"text": "Яму заделают.", "final": True}, format="json")
    assert answered.status_code == 200
    return Appeal.objects.get(pk=appeal.pk), client


def test_an_answer_after_the_final_one_is_a_supplementary_answer(citizen, deputy):
    appeal, client = _answered_by_api(citizen, deputy)

    response = client.post(
        reverse("api:appeal-answer", kwargs={"number": appeal.number}),
        {"text": "Работы назначены на 28 ноября.", "final": False},
        format="json",
    )

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "answered"
    assert (
        data["answered_at"]
        == client.get(reverse("api:appeal-detail", kwargs={"number": appeal.number})).json()[
            "answered_at"
        ]
    )
    assert Appeal.objects.get(pk=appeal.pk).answered_at == appeal.answered_at
    assert [m["kind"] for m in data["messages"]] == ["answer", "supplementary"]
    assert data["events"][-1]["type"] == "supplementary"


def test_filing_a_repeat_through_the_api(api, citizen, deputy):
    appeal, deputy_client = _answered_by_api(citizen, deputy)

    response = api.post(
        reverse("api:appeal-list"), {**API_FILING, "repeat_of": appeal.number}, format="json"
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["repeat_of"] == appeal.number
    assert data["number"] != appeal.number
    assert data["deputy"]["id"] == deputy.pk
    # The deputy reads the disputed correspondence in the repeat's detail.
    shown = deputy_client.get(reverse("api:appeal-detail", kwargs={"number": data["number"]}))
    first = shown.json()["first_appeal"]
    assert first["number"] == appeal.number
    assert first["text"] == appeal.text
    assert [m["kind"] for m in first["messages"]] == ["answer"]


def test_another_deputy_gets_neither_the_repeat_nor_the_first_thread(api, citizen, deputy):
    appeal, _ = _answered_by_api(citizen, deputy)
    number = api.post(
        reverse("api:appeal-list"), {**API_FILING, "repeat_of": appeal.number}, format="json"
    ).json()["number"]
    stranger = APIClient()
    stranger.force_authenticate(DeputyFactory(region_code="77").user)
    assert stranger.get(reverse("api:appeal-detail", kwargs={"number": number})).status_code == 404


def test_a_strangers_or_a_missing_appeal_as_repeat_of_is_the_same_400(
    citizen, other_citizen, deputy
):
    appeal, _ = _answered_by_api(citizen, deputy)
    other = APIClient()
    other.force_authenticate(other_citizen)
    url = reverse("api:appeal-list")

    strangers = other.post(url, {**API_FILING, "repeat_of": appeal.number}, format="json")
    missing = other.post(url, {**API_FILING, "repeat_of": "77-2026-999999"}, format="json")

    assert strangers.status_code == missing.status_code == 400
    assert strangers.json() == missing.json()
    assert "repeat_of" in error_fields(strangers)
    assert appeal.subject not in strangers.content.decode()
    assert Appeal.objects.count() == 1


def test_a_repeat_after_30_days_or_of_an_unanswered_appeal_is_400(api, citizen, deputy):
    appeal, _ = _answered_by_api(citizen, deputy)
    Appeal.objects.filter(pk=appeal.pk).update(answered_at=timezone.now() - timedelta(days=31))
    url = reverse("api:appeal-list")
    late = api.post(url, {**API_FILING, "repeat_of": appeal.number}, format="json")
    assert late.status_code == 400
    assert "repeat_of" in error_fields(late)

    unanswered = AppealFactory(citizen=citizen, deputy=deputy)
    early = api.post(url, {**API_FILING, "repeat_of": unanswered.number}, format="json")
    assert early.status_code == 400
    assert "repeat_of" in error_fields(early)

    Appeal.objects.filter(pk=appeal.pk).update(answered_at=timezone.now())
    elsewhere = api.post(
        url, {**API_FILING, "region": "78", "repeat_of": appeal.number}, format="json"
    )
    assert elsewhere.status_code == 400
    assert "region" in error_fields(elsewhere)
    assert Appeal.objects.count() == 2


def test_the_schema_documents_repeats_and_supplementary_answers():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    create = next(
        body
        for name, body in components.items()
        if "repeat_of" in body.get("properties", {}) and "consent" in body["properties"]
    )
    assert "30 days" in create["properties"]["repeat_of"]["description"]
    # Each action documents its own input (they all used to show the last action's).
    answer_path = schema["paths"]["/api/v1/appeals/{number}/answer/"]["post"]
    ref = answer_path["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    answer = components[ref.rsplit("/", 1)[1]]
    assert "supplementary" in answer["properties"]["final"]["description"]
    assert "supplementary answer" in answer_path["description"]
    assert "first_appeal" in components["AppealDetail"]["properties"]
