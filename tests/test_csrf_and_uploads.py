"""Every state-changing page is protected against CSRF, and uploads live outside the
static files under names the user did not choose, reachable only through the
access-checked view."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from appeals.models import Appeal, Attachment
from tests.appeals.helpers import file_appeal, upload
from tests.factories import AppealFactory
from tests.helpers import token_for

pytestmark = pytest.mark.django_db


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_page_view_is_exempt_from_csrf():
    # The API's views are exempt by DRF's design: it checks CSRF itself for sessions
    # (the test below); a token is not sent by a browser on its own.
    pages = [
        (route, view) for route, view in _patterns(get_resolver()) if not route.startswith("api/")
    ]
    assert len(pages) > 30
    exempt = [route for route, view in pages if getattr(view, "csrf_exempt", False)]
    assert exempt == []


def test_state_changing_pages_refuse_a_post_without_the_token(citizen, deputy):
    appeal = AppealFactory(citizen=citizen, deputy=deputy)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    posts = [
        (reverse("appeals:appeal_create"), {"region": "77", "subject": "x", "text": "y"}),
        (reverse("appeals:appeal_withdraw", args=[appeal.number]), {"reason": "x"}),
        (reverse("appeals:personal_data_erase"), {"password": "correct-horse-42"}),
        (reverse("accounts:profile"), {"full_name": "Другое Имя", "phone": ""}),
        (reverse("accounts:issue_token"), {"name": "script", "expires_in_days": 30}),
        (reverse("set_language"), {"language": "en"}),
    ]
    for url, data in posts:
        assert browser.post(url, data).status_code == 403, url

    deputy_browser = Client(enforce_csrf_checks=True)
    deputy_browser.force_login(deputy.user)
    reply = reverse("appeals:appeal_reply", args=[appeal.number])
    assert deputy_browser.post(reply, {"text": "Ответ", "final": "on"}).status_code == 403

    appeal.refresh_from_db()
    citizen.refresh_from_db()
    assert appeal.status == "assigned"  # neither withdrawn nor answered
    assert citizen.is_active and citizen.full_name != "Другое Имя"
    assert not ApiToken.objects.exists()
    assert Appeal.objects.count() == 1


def test_the_api_needs_the_csrf_token_with_a_session_but_not_with_a_token(citizen, deputy):
    body = {"region": "77", "topic": "roads", "subject": "Яма", "text": "Во дворе",
            "consent": True}  # fmt: skip
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(citizen)  # a browser's session cookie, as after signing in
    assert session.post("/api/v1/appeals/", body, format="json").status_code == 403

    token = APIClient(enforce_csrf_checks=True)
    token.credentials(HTTP_AUTHORIZATION=f"Token {token_for(citizen)}")
    assert token.post("/api/v1/appeals/", body, format="json").status_code == 201


def test_uploads_are_stored_outside_the_static_files_and_served_only_by_the_checked_view(
    client, citizen, other_citizen, deputy
):
    appeal = file_appeal(citizen, files=[upload("фото.png")])
    attachment = Attachment.objects.get(appeal=appeal)
    stored = attachment.file.path
    static_places = [str(settings.STATIC_ROOT), *map(str, settings.STATICFILES_DIRS)]
    assert stored.startswith(str(settings.MEDIA_ROOT))
    assert not any(stored.startswith(place) for place in static_places)
    assert "фото" not in stored  # the user's file name is never a path

    url = reverse("appeals:attachment_download", args=[appeal.number, attachment.token])
    assert client.get("/media/" + attachment.file.name).status_code == 404  # no direct URL
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
