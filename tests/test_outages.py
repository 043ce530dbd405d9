"""A database that is away answers 503 with Retry-After, on pages and in the API, never a
500 page that needs the database to render. (The real restart is bench/drills.py.)"""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("config.views.region_list", refuse)


def test_a_page_answers_503_with_retry_after_when_the_database_is_away(database_down):
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "отправьте снова через несколько секунд" in response.content.decode()


def test_an_unexpected_error_is_still_a_500(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("config.views.region_list", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_api_answers_json_503(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("rest_framework.generics.GenericAPIView.paginate_queryset", refuse)
    response = Client(raise_request_exception=False).get("/api/v1/regions/")
    assert response.status_code == 503
    assert response.json()["detail"]
    assert response["Retry-After"] == "5"
