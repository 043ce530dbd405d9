"""API tokens (accounts/authentication.py): DRF's header and messages, the hashed token
and its user read with one statement."""

import hashlib

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import LAST_USED_STEP, api_token_create
from tests.helpers import captured_queries

pytestmark = pytest.mark.django_db

ME = "/api/v1/appeals/"


def _api(key, language="en"):
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.perf_guard  # the token and its user are read with one hand-written SELECT
def test_a_token_signs_in_its_own_user_with_one_statement(citizen, other_citizen):
    _token, key = api_token_create(user=citizen, name="script")
    api_token_create(user=other_citizen, name="script")
    api = _api(key)
    api.get("/api/v1/topics/")  # the first use is recorded (last_used)
    with captured_queries() as read:
        response = api.get("/api/v1/topics/")
    assert response.status_code == 200
    token_reads = read.naming("accounts_apitoken")
    assert len(token_reads) == 1, read
    assert "digest" in token_reads[0] and "accounts_user" in token_reads[0]

    response = api.post(
        ME,
        {"region": "77", "topic": "roads", "subject": "Яма", "text": "Яма", "consent": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["citizen"]["full_name"] == citizen.full_name
    assert citizen.appeals.count() == 1 and not other_citizen.appeals.exists()


def test_an_unknown_key_is_refused_with_drfs_message(citizen):
    api_token_create(user=citizen, name="script")
    response = _api("0" * 40).get(ME)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_the_message_is_in_the_visitors_language(citizen):
    response = _api("nonsense", language="ru").get(ME)
    assert response.status_code == 401
    assert response.json()["detail"] == "Недействительный токен."


def test_an_inactive_users_token_is_refused(citizen):
    _token, key = api_token_create(user=citizen, name="script")
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = _api(key).get(ME)
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_changes_to_the_user_count_on_the_next_call(citizen):
    """Nothing is cached between calls: the same token sees the user as they are now."""
    token, key = api_token_create(user=citizen, name="script")
    api = _api(key)
    assert api.get(ME).status_code == 200
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert api.get(ME).status_code == 401
    citizen.is_active = True
    citizen.save(update_fields=["is_active"])
    assert api.get(ME).status_code == 200
    token.delete()
    assert api.get(ME).status_code == 401


def test_the_key_is_kept_only_as_its_digest(citizen):
    token, key = api_token_create(user=citizen, name="script")
    token.refresh_from_db()
    assert key not in {token.digest, token.name}
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()


def test_use_is_recorded_at_most_every_few_minutes(citizen):
    token, key = api_token_create(user=citizen, name="script")
    api = _api(key)
    assert token.last_used is None

    api.get(ME)
    token.refresh_from_db()
    first = token.last_used
    assert first is not None
    with captured_queries() as again:
        api.get(ME)
    assert not again.naming("UPDATE")  # within the step: no write
    token.refresh_from_db()
    assert token.last_used == first

    ApiToken.objects.filter(pk=token.pk).update(last_used=first - LAST_USED_STEP)
    api.get(ME)
    token.refresh_from_db()
    assert token.last_used > first
