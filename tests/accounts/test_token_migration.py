"""accounts 0003: the plain tokens of rest_framework.authtoken become hashed named
tokens that keep working for 90 days, and the plain table goes."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0003_convert_plain_tokens")
KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's keys: 40 hex digits


def _plain_table_with(user):
    created = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            f"created {created} NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [KEY, timezone.now() - timedelta(days=400), user.pk],
        )


def test_a_plain_token_keeps_working_hashed_for_ninety_days(citizen):
    _plain_table_with(citizen)

    migration.convert(apps, SimpleNamespace(connection=connection))

    token = ApiToken.objects.get(user=citizen)
    assert token.name == "profile"
    assert KEY not in token.digest
    assert timedelta(days=89) < token.expires - timezone.now() <= timedelta(days=90)
    assert timezone.now() - token.created > timedelta(days=399)  # its own date kept
    assert "authtoken_token" not in connection.introspection.table_names()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {KEY}")
    assert api.get("/api/v1/me/").json()["email"] == citizen.email


def test_without_plain_tokens_nothing_happens(citizen):
    migration.convert(apps, SimpleNamespace(connection=connection))
    assert not ApiToken.objects.exists()
