"""Security finding 8 of issue 17: pages with personal data are not stored by browsers or
proxies, and a refusal for speed says when to come back."""

import pytest
from django.urls import reverse

from .appeals.helpers import file_appeal
from .helpers import person

pytestmark = pytest.mark.django_db


def _pages(appeal):
    number = appeal.number
    attachment = appeal.attachments.get()
    return {
        "citizen": [
            ("get", reverse("accounts:profile")),
            ("post", reverse("accounts:issue_token"), {"name": "script", "expires_in_days": 30}),
            ("get", reverse("appeals:appeal_list")),
            ("get", reverse("appeals:appeal_create") + "?region=77"),
            ("get", reverse("appeals:appeal_detail", args=[number])),
            ("get", reverse("appeals:attachment_download", args=[number, attachment.token])),
            ("get", reverse("appeals:notification_list")),
            ("get", reverse("appeals:personal_data_download")),
            ("get", reverse("appeals:personal_data_erase")),
            ("post", reverse("feedback:feedback_leave", args=[number])),  # the page again, 400
        ],
        "deputy": [
            ("get", reverse("appeals:dashboard")),
            ("get", reverse("appeals:appeal_detail", args=[number])),
            ("post", reverse("appeals:appeal_reply", args=[number])),  # the form again, 400
        ],
        "committee": [("get", reverse("appeals:committee_queue"))],
    }


@pytest.mark.parametrize("role", ["citizen", "deputy", "committee"])
def test_pages_with_personal_data_are_not_stored(role, citizen, deputy, client, request):
    from .appeals.helpers import pdf_upload

    appeal = file_appeal(citizen, chosen_deputy=deputy, files=[pdf_upload()])
    client.force_login(person(role, request))

    for method, url, *data in _pages(appeal)[role]:
        response = getattr(client, method)(url, *data)
        assert response.status_code in (200, 400), url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_a_public_page_may_still_be_cached(client, deputy):
    response = client.get(reverse("home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_filing_page_refused_for_speed_says_when_to_come_back(
    client, citizen, deputy, monkeypatch
):
    from appeals.throttling import FilingThrottle

    from .appeals.helpers import form_data

    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "1/min"})
    client.force_login(citizen)
    assert client.post(reverse("appeals:appeal_create"), form_data()).status_code == 302

    refused = client.post(reverse("appeals:appeal_create"), form_data(token="tok-456"))

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60


def test_the_sign_in_lock_says_when_to_come_back(client, citizen):
    wrong = {"username": citizen.email, "password": "guess"}
    for _ in range(5):
        response = client.post(reverse("login"), wrong)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
