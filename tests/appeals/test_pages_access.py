"""Who may open or act on each appeals page, role by role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal
from tests.factories import DeputyFactory
from tests.helpers import ROLES, login

from .helpers import file_appeal, pdf_upload

pytestmark = pytest.mark.django_db


DETAIL_STATUS = {
    "anonymous": 302,
    "citizen": 200,
    "other_citizen": 404,
    "deputy": 200,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 404,
    "federal": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_appeal_page_for_every_role(client, role, request, appeal):
    login(client, role, request)
    response = client.get(appeal.get_absolute_url())
    assert response.status_code == DETAIL_STATUS[role]
    if role in ("committee", "federal"):
        # Staff who do not act on it see the appeal's card, not the letter or contacts.
        body = response.content.decode()
        assert appeal.text not in body
        assert appeal.citizen.email not in body


ATTACHMENT_STATUS = {**DETAIL_STATUS, "committee": 404, "federal": 404}


@pytest.mark.parametrize("role", ROLES)
def test_attachment_download_for_every_role(client, role, request, citizen, deputy):
    appeal = file_appeal(citizen, files=[pdf_upload()])
    token = appeal.attachments.get().token
    login(client, role, request)
    response = client.get(reverse("appeals:attachment_download", args=[appeal.number, token]))
    assert response.status_code == ATTACHMENT_STATUS[role]
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"


ACTION_STATUS = {  # an action by someone who may see but not do it is refused, not run
    "anonymous": 302,
    "citizen": 403,
    "other_citizen": 404,
    "deputy": 302,
    "other_deputy": 404,
    "committee": 403,
    "other_committee": 404,
    "federal": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_answering_for_every_role(client, role, request, appeal):
    login(client, role, request)
    response = client.post(
        reverse("appeals:appeal_reply", args=[appeal.number]),
        {"text": "Ответ", "final": "on", "confirm_final": "on"},
    )
    assert response.status_code == ACTION_STATUS[role]
    appeal.refresh_from_db()
    assert (appeal.status == "answered") == (role == "deputy")


WITHDRAW_STATUS = {**ACTION_STATUS, "citizen": 302, "deputy": 403}


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_for_every_role(client, role, request, appeal):
    login(client, role, request)
    response = client.post(reverse("appeals:appeal_withdraw", args=[appeal.number]))
    assert response.status_code == WITHDRAW_STATUS[role]
    appeal.refresh_from_db()
    assert (appeal.status == "withdrawn") == (role == "citizen")


ASSIGN_STATUS = {**ACTION_STATUS, "committee": 302, "deputy": 403}


@pytest.mark.parametrize("role", ROLES)
def test_assigning_for_every_role(client, role, request, appeal):
    target = DeputyFactory(region_code="77")
    # A committee reassigns only an unassigned or overdue appeal.
    Appeal.objects.filter(pk=appeal.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    login(client, role, request)
    response = client.post(
        reverse("appeals:appeal_assign", args=[appeal.number]), {"deputy": target.pk}
    )
    assert response.status_code == ASSIGN_STATUS[role]
    appeal.refresh_from_db()
    assert (appeal.deputy == target) == (role == "committee")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("appeals:dashboard", "deputy"),
        ("appeals:committee_queue", "committee"),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_role_pages_answer_only_their_role(client, role, request, url, allowed):
    login(client, role, request)
    status = client.get(reverse(url)).status_code
    expected = 302 if role == "anonymous" else (200 if role.endswith(allowed) else 404)
    assert status == expected


@pytest.mark.parametrize("role", ROLES)
def test_my_appeals_lists_only_what_the_role_may_see(client, role, request, appeal):
    login(client, role, request)
    response = client.get(reverse("appeals:appeal_list"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    listed = [row.record for row in response.context["table"].paginated_rows]
    assert (listed == [appeal]) == (DETAIL_STATUS[role] == 200)
