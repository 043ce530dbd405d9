"""At filing, the citizen is told of their own near-identical appeal of the last 30
days on the check step, and may still send."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal
from tests.appeals.helpers import form_data
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db

NEW = reverse("appeals:appeal_create")
TEXT = "Во дворе дома 7 не горят фонари уже месяц."


def _check(client):
    data = form_data()
    del data["confirm"]
    return client.post(NEW, data)


def test_the_check_step_names_the_citizens_own_near_identical_appeal(client, citizen, deputy):
    earlier = AppealFactory(
        citizen=citizen,
        deputy=deputy,
        number="77-2025-000900",  # not the number the filing below takes
        text="Здравствуйте! " + TEXT,
        address="ул. Ленина, д. 7",
    )
    client.force_login(citizen)
    page = _check(client).content.decode()
    assert 'id="own-similar"' in page
    assert earlier.number in page and earlier.get_absolute_url() in page
    # and may still send it
    response = client.post(NEW, form_data())
    assert response.status_code == 302
    assert Appeal.objects.filter(citizen=citizen).count() == 2


def test_no_warning_for_another_text_an_old_appeal_or_someone_elses(
    client, citizen, other_citizen, deputy
):
    AppealFactory(citizen=citizen, deputy=deputy, text="Протекает крыша над квартирой.")
    AppealFactory(
        citizen=citizen,
        deputy=deputy,
        text=TEXT,
        registered_at=timezone.now() - timedelta(days=31),
    )
    AppealFactory(citizen=other_citizen, deputy=deputy, text=TEXT)
    client.force_login(citizen)
    assert 'id="own-similar"' not in _check(client).content.decode()
