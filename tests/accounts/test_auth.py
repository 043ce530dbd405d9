import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.conftest import authenticator_for, totp_code
from tests.factories import CitizenFactory, CommitteeUserFactory, DeputyFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Петрова Анна Сергеевна",
    "email": "Anna.Petrova@example.org",
    "phone": "+7 900 123-45-67",
    "password1": "long-enough-Pass-2026",
    "password2": "long-enough-Pass-2026",
}


def test_sign_up_creates_a_citizen_and_sends_a_confirmation_link_to_sign_in_with(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP, follow=True)

    user = User.objects.get(email="anna.petrova@example.org")
    assert user.role == User.Role.CITIZEN
    assert user.full_name == "Петрова Анна Сергеевна"
    assert response.redirect_chain[-1][0] == reverse("accounts:signup_done")
    assert not response.context["user"].is_authenticated  # a taken address gets this page too
    assert not user.email_confirmed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna.petrova@example.org"]

    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    client.get(link)
    user.refresh_from_db()
    assert user.email_confirmed
    signed_in = client.post(
        reverse("login"), {"username": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert signed_in.status_code == 302


def test_a_tampered_confirmation_link_confirms_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), SIGNUP)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)

    response = client.get(link.replace("/confirm/", "/confirm/x"), follow=True)

    assert not User.objects.get(email="anna.petrova@example.org").email_confirmed
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_sign_up_with_bad_input_shows_the_form_again_keeping_what_was_typed(client):
    CitizenFactory(email="taken@example.org")
    data = {**SIGNUP, "email": "taken@example.org", "password2": "something-else-2026"}

    response = client.post(reverse("accounts:signup"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"password2"}  # a taken address is not said to be taken
    body = response.content.decode()
    assert 'value="Петрова Анна Сергеевна"' in body
    assert 'value="+7 900 123-45-67"' in body
    assert User.objects.filter(email="taken@example.org").count() == 1


def test_a_weak_password_is_refused_with_a_reason(client):
    response = client.post(
        reverse("accounts:signup"), {**SIGNUP, "password1": "12345678", "password2": "12345678"}
    )
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="anna.petrova@example.org").exists()


def test_sign_in_by_email_in_any_case_and_sign_out(client):
    CitizenFactory(email="ivan@example.org")

    response = client.post(
        reverse("login"), {"username": "IVAN@example.org", "password": "correct-horse-42"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.post(reverse("logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_sign_in_with_a_wrong_password_shows_an_error(client):
    CitizenFactory(email="ivan@example.org")
    response = client.post(reverse("login"), {"username": "ivan@example.org", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_password_reset_sends_a_working_link(client):
    CitizenFactory(email="ivan@example.org")

    client.post(reverse("password_reset"), {"email": "ivan@example.org"})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-Secret-77", "new_password2": "brand-new-Secret-77"},
    )

    response = client.post(
        reverse("login"), {"username": "ivan@example.org", "password": "brand-new-Secret-77"}
    )
    assert response.status_code == 302


def test_profile_saves_name_and_phone(client, citizen):
    client.force_login(citizen)
    client.post(reverse("accounts:profile"), {"full_name": "Иванов Иван", "phone": "+7 1"})
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone) == ("Иванов Иван", "+7 1")


def test_profile_requires_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_profile_makes_named_tokens_lists_them_and_revokes_one(client, citizen, other_citizen):
    from rest_framework.test import APIClient

    from accounts.models import ApiToken
    from accounts.tokens import api_token_create

    client.force_login(citizen)
    made = client.post(reverse("accounts:issue_token"), {"name": "crm", "expires_in_days": 30})
    first = made.context["key"]
    assert first in made.content.decode()  # shown once, on this page
    second = client.post(
        reverse("accounts:issue_token"), {"name": "script", "expires_in_days": 90}
    ).context["key"]
    assert first != second
    apis = {}
    for key in (first, second):
        apis[key] = APIClient()
        apis[key].credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert apis[key].get("/api/v1/appeals/").status_code == 200  # the second kept the first

    page = client.get(reverse("accounts:profile")).content.decode()
    assert "crm" in page and "script" in page
    assert first not in page and second not in page  # the keys are never shown again

    crm = ApiToken.objects.get(user=citizen, name="crm")
    assert client.post(reverse("accounts:revoke_token", args=[crm.pk])).status_code == 302
    assert apis[first].get("/api/v1/appeals/").status_code == 401
    assert apis[second].get("/api/v1/appeals/").status_code == 200

    # Another person's token: 404, and it keeps working.
    theirs, _key = api_token_create(user=other_citizen, name="theirs")
    assert client.post(reverse("accounts:revoke_token", args=[theirs.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_profile_refuses_a_second_token_of_the_same_name(client, citizen):
    client.force_login(citizen)
    client.post(reverse("accounts:issue_token"), {"name": "crm", "expires_in_days": 30})
    again = client.post(reverse("accounts:issue_token"), {"name": "crm", "expires_in_days": 30})
    assert again.status_code == 200
    assert "key" not in again.context
    assert again.context["token_form"].errors["name"]
    assert citizen.api_tokens.count() == 1


def test_token_pages_need_sign_in_and_post(client, citizen):
    assert client.post(reverse("accounts:issue_token"), {"name": "x"}).status_code == 302
    assert client.post(reverse("accounts:revoke_token", args=[1])).status_code == 302
    client.force_login(citizen)
    assert client.get(reverse("accounts:issue_token")).status_code == 405


def test_sign_in_is_paused_after_five_wrong_passwords(client, settings):
    CitizenFactory(email="ivan@example.org")
    wrong = {"username": "ivan@example.org", "password": "guess"}
    codes = [client.post(reverse("login"), wrong).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # the fifth failure pauses the account

    locked = client.post(
        reverse("login"), {"username": "ivan@example.org", "password": "correct-horse-42"}
    )
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302

    # Another account from the same address is not locked out.
    CitizenFactory(email="anna@example.org")
    other = client.post(
        reverse("login"), {"username": "anna@example.org", "password": "correct-horse-42"}
    )
    assert other.status_code == 302


def _sign_in(client, email, **query):
    url = reverse("login")
    if query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(query)}"
    data = {"username": email, "password": "correct-horse-42", **query}
    user = User.objects.get(email=email)
    if user.role != User.Role.CITIZEN:
        device = authenticator_for(user)  # staff pass the code step as well
        landed = client.post(url, data, follow=True)
        step = landed.redirect_chain[-1][0]
        assert step.startswith(reverse("two_factor:verify")), step
        return client.post(step, {"code": totp_code(device)}, follow=True)
    return client.post(url, data, follow=True)


@pytest.mark.parametrize(
    ("make", "home"),
    [
        (lambda: CitizenFactory(email="who@example.org"), "appeals:appeal_list"),
        (lambda: DeputyFactory(user__email="who@example.org").user, "appeals:dashboard"),
        (lambda: CommitteeUserFactory(email="who@example.org"), "ratings:region_table"),
        (
            lambda: UserFactory(email="who@example.org", role=User.Role.FEDERAL),
            "ratings:regions_comparison",
        ),
        (
            lambda: UserFactory(
                email="who@example.org", role=User.Role.ADMIN, is_staff=True, is_superuser=True
            ),
            "admin:index",
        ),
    ],
    ids=["citizen", "deputy", "committee", "federal", "admin"],
)
def test_sign_in_lands_each_role_on_its_own_start_page(client, make, home):
    make()

    response = _sign_in(client, "who@example.org")

    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_a_safe_next_still_wins_over_the_role_start_page(client):
    DeputyFactory(user__email="who@example.org")

    response = _sign_in(client, "who@example.org", next=reverse("appeals:notification_list"))

    assert response.redirect_chain[-1][0] == reverse("appeals:notification_list")


def test_an_unsafe_next_is_ignored_for_the_role_start_page(client):
    CommitteeUserFactory(email="who@example.org")

    response = _sign_in(client, "who@example.org", next="https://evil.example.com/")

    assert response.redirect_chain[-1][0] == reverse("ratings:region_table")
