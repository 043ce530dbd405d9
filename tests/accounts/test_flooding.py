"""Issue 17, finding 5: no one can flood an inbox through the site's letters, and
sign-up does not tell whether an address has an account."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Петрова Анна Сергеевна",
    "email": "anna@example.org",
    "phone": "",
    "password1": "long-enough-Pass-2026",
    "password2": "long-enough-Pass-2026",
}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.MAIL_LIMIT_PER_ADDRESS = 3
    settings.MAIL_LIMIT_PER_CLIENT = 10
    settings.MAIL_LIMIT_WINDOW = 3600


def _reset(client, email, ip="203.0.113.5"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_sends_at_most_three_letters_an_hour_to_one_address(client):
    CitizenFactory(email="ivan@example.org")

    answers = [_reset(client, "ivan@example.org", ip=f"203.0.113.{n}") for n in range(5)]

    assert len(mail.outbox) == 3
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("password_reset_done"))}


def test_password_reset_sends_at_most_ten_letters_an_hour_from_one_client(client):
    for n in range(12):
        CitizenFactory(email=f"person{n}@example.org")

    answers = [_reset(client, f"person{n}@example.org") for n in range(12)]

    assert len(mail.outbox) == 10
    assert {a.url for a in answers} == {reverse("password_reset_done")}
    _reset(client, "person11@example.org", ip="198.51.100.7")  # another client
    assert len(mail.outbox) == 11


def test_the_mail_window_ends_and_letters_go_again(client, settings):
    from django.core.cache import cache

    CitizenFactory(email="ivan@example.org")
    for _ in range(4):
        _reset(client, "ivan@example.org")
    assert len(mail.outbox) == 3
    cache.clear()  # as when the hour is over and the counters expire
    _reset(client, "ivan@example.org")
    assert len(mail.outbox) == 4


def test_resending_the_confirmation_is_limited_with_the_same_answer(client):
    user = CitizenFactory(email="new@example.org", email_confirmed_at=None)
    client.force_login(user)

    answers = [client.post(reverse("accounts:resend_confirmation"), follow=True) for _ in range(5)]

    assert len(mail.outbox) == 3
    said = {tuple(str(m) for m in a.context["messages"]) for a in answers}
    assert len(said) == 1  # the limited ones are told the same


def _page(response, address):
    """The page as a reader sees it: the typed address and the form tokens aside."""
    body = response.content.decode().replace(address, "x@")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_sign_up_with_a_taken_address_answers_as_for_a_new_one_and_writes_to_its_owner(
    client, django_capture_on_commit_callbacks
):
    owner = CitizenFactory(email="anna@example.org", full_name="Петрова Анна")

    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            reverse("accounts:signup"), {**SIGNUP, "email": "Anna@Example.org"}, follow=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(
            reverse("accounts:signup"), {**SIGNUP, "email": "Boris@Example.org"}, follow=True
        )

    assert taken.redirect_chain == new.redirect_chain
    assert _page(taken, "anna@") == _page(new, "boris@")
    assert User.objects.filter(email__iexact="anna@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-42")  # the account is untouched
    assert not taken.context["user"].is_authenticated

    to_owner, to_new = mail.outbox
    assert to_owner.to == ["anna@example.org"]
    assert "/accounts/confirm/" not in to_owner.body
    assert "http://testserver" + reverse("login") in to_owner.body
    assert "http://testserver" + reverse("password_reset") in to_owner.body
    assert to_new.to == ["boris@example.org"]
    assert re.search(r"/accounts/confirm/\S+", to_new.body)


def test_sign_up_attempts_on_a_taken_address_are_limited_too(
    client, django_capture_on_commit_callbacks
):
    CitizenFactory(email="anna@example.org")
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:signup"), SIGNUP)
        assert response.url == reverse("accounts:signup_done")
    assert len(mail.outbox) == 3
