"""Issue 17, finding 2: the sign-in lockout and the API throttle count each person once,
whatever letter case they type and whatever X-Forwarded-For they send."""

import pytest
from django.urls import reverse
from rest_framework import throttling
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "correct-horse-42"


def _fail(client, url, username, **headers):
    return client.post(url, {"username": username, "password": "guess"}, **headers).status_code


def test_changing_the_letter_case_of_the_email_does_not_reset_the_lockout(client):
    CitizenFactory(email="ivan@example.org")
    spellings = ["ivan@example.org", "IVAN@example.org", "Ivan@Example.org", " ivan@EXAMPLE.ORG"]
    codes = [_fail(client, reverse("login"), name) for name in [*spellings, "iVaN@example.org"]]
    assert codes == [200, 200, 200, 200, 429]

    locked = client.post(reverse("login"), {"username": "IVAN@EXAMPLE.ORG", "password": RIGHT})
    assert locked.status_code == 429


def test_the_admin_sign_in_locks_out_in_any_letter_case_too(client):
    UserFactory(role=User.Role.ADMIN, email="boss@example.org", is_staff=True, is_superuser=True)
    url = "/admin/login/"
    codes = [
        _fail(client, url, name)
        for name in ["boss@example.org", "Boss@example.org", "BOSS@example.org",
                     "boss@Example.org", "bOSS@example.org"]
    ]  # fmt: skip
    assert codes[-1] == 429

    locked = client.post(url, {"username": "BOSS@example.org", "password": RIGHT})
    assert locked.status_code == 429


def test_without_proxies_a_forged_forwarded_for_does_not_unlock(client, settings):
    settings.NUM_PROXIES = 0
    CitizenFactory(email="ivan@example.org")
    for n in range(5):
        _fail(client, reverse("login"), "ivan@example.org", HTTP_X_FORWARDED_FOR=f"8.8.8.{n}")

    forged = client.post(
        reverse("login"),
        {"username": "ivan@example.org", "password": RIGHT},
        HTTP_X_FORWARDED_FOR="9.9.9.9",
    )
    assert forged.status_code == 429


def test_behind_one_proxy_each_client_is_locked_by_its_own_address(client, settings):
    # Behind the TLS proxy every request comes from the proxy's address; the client's
    # is the right-most in X-Forwarded-For, anything left of it is the client's say.
    settings.NUM_PROXIES = 1
    CitizenFactory(email="ivan@example.org")
    for n in range(5):
        _fail(
            client, reverse("login"), "ivan@example.org", HTTP_X_FORWARDED_FOR=f"8.8.{n}.8, 1.1.1.1"
        )

    still_locked = client.post(
        reverse("login"),
        {"username": "ivan@example.org", "password": RIGHT},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 1.1.1.1",
    )
    assert still_locked.status_code == 429

    elsewhere = client.post(
        reverse("login"),
        {"username": "ivan@example.org", "password": RIGHT},
        HTTP_X_FORWARDED_FOR="77.88.8.8",
    )
    assert elsewhere.status_code == 302  # someone else behind the same proxy signs in


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})


def test_without_proxies_a_forged_forwarded_for_gets_no_new_api_budget(
    settings, two_a_minute, reference_data
):
    settings.NUM_PROXIES = 0
    api = APIClient()
    codes = [
        api.get(reverse("api:region-list"), HTTP_X_FORWARDED_FOR=f"8.8.8.{n}").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_behind_one_proxy_the_right_most_address_has_the_api_budget(
    settings, two_a_minute, reference_data
):
    settings.NUM_PROXIES = 1
    api = APIClient()
    url = reverse("api:region-list")
    codes = [api.get(url, HTTP_X_FORWARDED_FOR=f"8.8.8.{n}, 1.1.1.1").status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert api.get(url, HTTP_X_FORWARDED_FOR="1.1.1.1, 9.9.9.9").status_code == 200
