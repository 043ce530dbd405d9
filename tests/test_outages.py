"""A database that is away answers 503 with Retry-After, on pages and in the API, never a
500 page that needs the database to render. (The real restart is
bench/drill_postgres_restart.py.)"""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def get_while_failing(monkeypatch, target, error, path):
    """GET `path` while `target` raises `error`, as a browser sees the answer."""

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, fail)
    return Client(raise_request_exception=False).get(path)


def test_a_page_answers_503_with_retry_after_when_the_database_is_away(monkeypatch):
    refused = OperationalError("could not connect to server: Connection refused")
    response = get_while_failing(
        monkeypatch, "deputies.views.selectors.regions_sorted", refused, "/"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "ещё раз через несколько секунд" in response.content.decode()


def test_an_unexpected_error_is_still_a_500(monkeypatch):
    response = get_while_failing(
        monkeypatch, "deputies.views.selectors.regions_sorted", ValueError("bug"), "/"
    )
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_api_answers_json_503(monkeypatch):
    closed = OperationalError("server closed the connection unexpectedly")
    target = "rest_framework.generics.GenericAPIView.paginate_queryset"
    response = get_while_failing(monkeypatch, target, closed, "/api/v1/regions/")
    assert response.status_code == 503
    assert response.json()["detail"]
    assert response["Retry-After"] == "5"
