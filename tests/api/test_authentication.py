"""API tokens (config/api/authentication.py): DRF's rules, read with one statement."""

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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
    token = Token.objects.create(user=citizen)
    Token.objects.create(user=other_citizen)
    api = _api(token.key)
    with captured_queries() as read:
        response = api.get("/api/v1/topics/")
    assert response.status_code == 200
    token_reads = read.naming("authtoken_token")
    assert len(token_reads) == 1

    response = api.post(
        ME,
        {"region": "77", "topic": "roads", "subject": "Яма", "text": "Яма", "consent": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["citizen"]["full_name"] == citizen.full_name
    assert citizen.appeals.count() == 1 and not other_citizen.appeals.exists()


def test_an_unknown_key_is_refused_with_drfs_message(citizen):
    Token.objects.create(user=citizen)
    response = _api("0" * 40).get(ME)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_the_message_is_in_the_visitors_language(citizen):
    response = _api("nonsense", language="ru").get(ME)
    assert response.status_code == 401
    assert response.json()["detail"] == "Недействительный токен."


def test_an_inactive_users_token_is_refused(citizen):
    token = Token.objects.create(user=citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = _api(token.key).get(ME)
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_changes_to_the_user_count_on_the_next_call(citizen):
    """Nothing is cached between calls: the same token sees the user as they are now."""
    token = Token.objects.create(user=citizen)
    api = _api(token.key)
    assert api.get(ME).status_code == 200
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert api.get(ME).status_code == 401
    citizen.is_active = True
    citizen.save(update_fields=["is_active"])
    assert api.get(ME).status_code == 200
    token.delete()
    assert api.get(ME).status_code == 401
