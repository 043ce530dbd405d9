"""Security finding 4 of issue 17: a new password, by whichever path it is set, revokes
the person's API tokens; revoking one, or its expiry, stops it at the next call."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


NEW_PASSWORD = "brand-new-Secret-77"


def _token_api(user, name="script"):
    from accounts.tokens import api_token_create

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name=name)[1]}")
    return api


def _change_in_profile(client, user):
    client.force_login(user)
    return client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-42",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def _reset_by_e_mail(client, user):
    import re

    from django.core import mail

    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def _set_by_an_operator(client, user):
    from tests.factories import UserFactory

    operator = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(operator)
    return client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


def _set_in_code(client, user):
    # The `changepassword` command and any script go this way.
    user.set_password(NEW_PASSWORD)
    user.save()
    return None


@pytest.mark.parametrize(
    "change", [_change_in_profile, _reset_by_e_mail, _set_by_an_operator, _set_in_code]
)
def test_a_new_password_revokes_every_api_token(change, citizen, client):
    api, other = _token_api(citizen), _token_api(citizen, "crm")
    assert api.get(reverse("api:appeal-list")).status_code == 200

    response = change(client, citizen)

    if response is not None:
        assert response.status_code == 302, response.content.decode()[:2000]
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)  # the change went through
    assert api.get(reverse("api:appeal-list")).status_code == 401
    assert other.get(reverse("api:appeal-list")).status_code == 401


def test_signing_in_or_saving_the_profile_keeps_the_token(citizen, client):
    api = _token_api(citizen)

    client.post(reverse("login"), {"username": citizen.email, "password": "correct-horse-42"})
    client.post(reverse("accounts:profile"), {"full_name": "Иванов Иван", "phone": ""})

    assert api.get(reverse("api:appeal-list")).status_code == 200


def test_a_revoked_token_stops_at_the_next_call_and_the_others_go_on(citizen):
    from accounts.models import ApiToken

    api, other = _token_api(citizen), _token_api(citizen, "crm")
    assert api.get(reverse("api:appeal-list")).status_code == 200
    revoked = ApiToken.objects.get(user=citizen, name="script")

    assert api.delete(reverse("api:auth-token-detail", args=[revoked.pk])).status_code == 204

    assert api.get(reverse("api:appeal-list")).status_code == 401
    assert other.get(reverse("api:appeal-list")).status_code == 200


def test_a_token_stops_the_moment_it_expires(citizen):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import ApiToken

    api = _token_api(citizen)
    assert api.get(reverse("api:appeal-list")).status_code == 200
    now = timezone.now()
    ApiToken.objects.filter(user=citizen).update(
        created=now - timedelta(days=90), expires=now - timedelta(seconds=1)
    )

    refused = api.get(reverse("api:appeal-list"))

    assert refused.status_code == 401
    assert refused.json()["detail"] == "Срок действия токена истёк."
