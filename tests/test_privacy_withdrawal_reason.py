"""Security finding 1 of issue 17: a withdrawal reason is the citizen's own words; only
those who may read the appeal's text see it, and erasure blanks it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from appeals import services
from appeals.models import AppealEvent

from .appeals.helpers import as_scope, file_appeal
from .helpers import person

pytestmark = pytest.mark.django_db


# What a citizen may write when withdrawing: health and a phone number.
PRIVATE_REASON = "Лежу в больнице с диабетом, звоните +7 916 555-12-34"


@pytest.fixture
def withdrawn(citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    services.appeal_withdraw(
        scope=as_scope(citizen), appeal=appeal, actor=citizen, reason=PRIVATE_REASON
    )
    return appeal


@pytest.mark.parametrize(
    ("role", "reads_reason"),
    [("citizen", True), ("deputy", True), ("committee", False), ("federal", False)],
)
def test_withdrawal_reason_in_the_api_only_for_those_who_read_the_text(
    role, reads_reason, withdrawn, request
):
    api = APIClient()
    api.force_authenticate(person(role, request))

    response = api.get(reverse("api:appeal-detail", args=[withdrawn.number]))

    assert response.status_code == 200
    event = next(e for e in response.json()["events"] if e["type"] == "withdrawn")
    assert event["to_status"] == "withdrawn"  # everyone sees that it was withdrawn
    assert (PRIVATE_REASON in response.content.decode()) is reads_reason
    assert event["reason"] == (PRIVATE_REASON if reads_reason else "")


@pytest.mark.parametrize(
    ("role", "reads_reason"),
    [("citizen", True), ("deputy", True), ("committee", False), ("federal", False)],
)
def test_withdrawal_reason_on_the_history_page_only_for_those_who_read_the_text(
    role, reads_reason, withdrawn, client, request
):
    client.force_login(person(role, request))

    response = client.get(withdrawn.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Отозвано" in page
    assert (PRIVATE_REASON in page) is reads_reason


def test_erasure_blanks_the_withdrawal_reason(withdrawn, citizen):
    from appeals.personal_data import personal_data_erase

    personal_data_erase(scope=as_scope(citizen), user=citizen)

    assert AppealEvent.objects.get(appeal=withdrawn, type="withdrawn").reason == ""
