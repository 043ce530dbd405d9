"""Issue 17, finding 5: beside the per-minute budget a citizen files at most so many
appeals in 24 hours, and at most so many of them to one deputy; page and API alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from appeals.models import Appeal
from appeals.throttling import FilingThrottle
from tests.factories import AppealFactory
from tests.helpers import API_FILING

from .helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _caps(settings, monkeypatch):
    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "1000/min"})
    settings.FILING_DAILY_LIMIT = 3
    settings.FILING_DEPUTY_DAILY_LIMIT = 2


def _filed(citizen, deputy, hours_ago):
    """An appeal filed earlier; its number from another year, apart from the service's."""
    return AppealFactory(
        citizen=citizen,
        deputy=deputy,
        registered_at=timezone.now() - timedelta(hours=hours_ago),
        number=f"77-2000-{Appeal.objects.count() + 1:06d}",
    )


def test_the_api_refuses_past_the_daily_cap_with_retry_after(api, citizen, deputy, other_deputy):
    _filed(citizen, None, hours_ago=30)  # more than a day ago: not counted
    _filed(citizen, deputy, hours_ago=20)
    _filed(citizen, other_deputy, hours_ago=2)
    url = reverse("api:appeal-list")
    assert api.post(url, {**API_FILING, "deputy": None}, format="json").status_code == 201

    refused = api.post(url, API_FILING, format="json")

    assert refused.status_code == 429
    assert refused.json()["code"] == "limit_reached"
    # The appeal of 20 hours ago leaves the window in about 4 hours.
    assert 4 * 3600 - 60 < int(refused["Retry-After"]) <= 4 * 3600 + 1
    assert Appeal.objects.filter(citizen=citizen).count() == 4


def test_the_api_refuses_a_third_appeal_in_a_day_to_one_deputy(api, citizen, deputy, other_deputy):
    _filed(citizen, deputy, hours_ago=5)
    _filed(citizen, deputy, hours_ago=1)

    refused = api.post(
        reverse("api:appeal-list"), {**API_FILING, "deputy": deputy.pk}, format="json"
    )
    assert refused.status_code == 429
    assert 19 * 3600 - 60 < int(refused["Retry-After"]) <= 19 * 3600 + 1

    to_another = api.post(
        reverse("api:appeal-list"), {**API_FILING, "deputy": other_deputy.pk}, format="json"
    )
    assert to_another.status_code == 201
    assert Appeal.objects.filter(citizen=citizen, deputy=deputy).count() == 2


def test_an_automatically_routed_appeal_counts_for_its_deputy(api, citizen, deputy):
    # `deputy` is the only one of the region: every automatic filing goes to them.
    _filed(citizen, deputy, hours_ago=3)
    _filed(citizen, deputy, hours_ago=2)
    refused = api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert refused.status_code == 429
    assert Appeal.objects.filter(citizen=citizen).count() == 2


def test_the_same_idempotency_key_still_returns_its_appeal_past_the_cap(api, citizen, deputy):
    _filed(citizen, deputy, hours_ago=3)
    url = reverse("api:appeal-list")
    first = api.post(url, API_FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201

    again = api.post(url, API_FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (again.status_code, again["Idempotent-Replayed"]) == (201, "true")
    assert again.json()["number"] == first.json()["number"]


def test_the_page_shows_the_form_again_with_the_daily_cap_and_keeps_the_text(
    client, citizen, deputy, other_deputy
):
    for hours in (3, 2, 1):
        _filed(citizen, other_deputy, hours_ago=hours)
    client.force_login(citizen)

    response = client.post(reverse("appeals:appeal_create"), form_data())

    assert response.status_code == 429
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "3" in errors[0]
    body = response.content.decode()
    assert 'value="Нет освещения во дворе"' in body
    assert "Во дворе дома 7 не горят фонари уже месяц." in body
    assert Appeal.objects.filter(citizen=citizen).count() == 3


def test_the_page_refuses_a_third_appeal_in_a_day_to_one_deputy(
    client, citizen, deputy, other_deputy
):
    _filed(citizen, deputy, hours_ago=3)
    _filed(citizen, deputy, hours_ago=2)
    client.force_login(citizen)

    refused = client.post(reverse("appeals:appeal_create"), form_data(deputy=deputy.pk))
    assert refused.status_code == 429
    assert refused.context["form"].non_field_errors()
    assert 'value="Нет освещения во дворе"' in refused.content.decode()

    chosen_other = client.post(
        reverse("appeals:appeal_create"), form_data(deputy=other_deputy.pk, token="tok-2")
    )
    assert chosen_other.status_code == 302
    assert Appeal.objects.filter(citizen=citizen).count() == 3


def test_other_citizens_are_not_limited_by_one_citizens_filings(citizen, other_citizen, deputy):
    for hours in (3, 2, 1):
        _filed(citizen, deputy, hours_ago=hours)
    other = APIClient()
    other.force_authenticate(other_citizen)
    assert other.post(reverse("api:appeal-list"), API_FILING, format="json").status_code == 201
