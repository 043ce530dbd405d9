"""Tokens through the API (accounts/api.py, accounts/tokens.py) and /api/v1/me/: sign in
for a named token as the sign-in page asks (the second factor for staff), counted by the
same lockout; list and revoke one's own; who am I."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from core.api.throttling import SignInRateThrottle
from tests.conftest import authenticator_for, totp_code
from tests.factories import UserFactory
from tests.helpers import captured_queries, error_fields, token_api

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"
TOKEN = reverse("api:auth-token")
TOKENS = reverse("api:auth-token-list")
ME = reverse("api:me")
APPEALS = reverse("api:appeal-list")
STAFF = ["deputy", "committee", "federal", "admin"]


def revoke_url(pk):
    return reverse("api:auth-token-detail", args=[pk])


def account(role, request):
    if role == "admin":
        return UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    found = request.getfixturevalue(role)
    return getattr(found, "user", found)


def english():
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(user, meta=None, **extra):
    body = {"email": user.email, "password": PASSWORD, "name": "script", **extra}
    return english().post(TOKEN, body, format="json", **(meta or {}))


def with_key(key):
    client = english()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def errors(response) -> list[tuple]:
    """(field, code) of each error in a 400 problem."""
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "validation_error"
    return [(error["attr"], error["code"]) for error in response.json()["errors"]]


def second_factor(user):
    return {"code": totp_code(authenticator_for(user))}


# --- the whole life of a token, for every role ---------------------------------------


@pytest.mark.parametrize("role", ["citizen", *STAFF])
def test_a_token_lives_from_sign_in_to_revocation(role, request):
    user = account(role, request)
    extra = second_factor(user) if role in STAFF else {}

    made = sign_in(user, expires_in_days=30, **extra)

    assert made.status_code == 201, made.json()
    body = made.json()
    assert set(body) == {"id", "name", "key", "created", "expires"}
    assert body["name"] == "script"
    api = with_key(body["key"])
    me = api.get(ME).json()
    assert (me["email"], me["role"]) == (user.email, user.role)
    listed = api.get(TOKENS).json()
    assert [(t["id"], t["current"]) for t in listed] == [(body["id"], True)]
    assert "key" not in listed[0] and body["key"] not in str(listed)
    lifetime = ApiToken.objects.get(pk=body["id"]).expires - timezone.now()
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)

    assert api.delete(revoke_url(body["id"])).status_code == 204

    assert api.get(ME).status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_token_lives_ninety_days_unless_asked(citizen):
    made = sign_in(citizen).json()
    lifetime = ApiToken.objects.get(pk=made["id"]).expires - timezone.now()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)


@pytest.mark.parametrize("days", [0, 366, "soon"])
def test_a_lifetime_outside_one_to_365_days_is_refused(citizen, days):
    refused = sign_in(citizen, expires_in_days=days)
    assert error_fields(refused) == {"expires_in_days"}
    assert not ApiToken.objects.exists()


# --- the second factor ----------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_staff_without_the_code_get_no_token(role, request):
    user = account(role, request)
    authenticator_for(user)

    refused = sign_in(user)

    assert errors(refused) == [("code", "second_factor_required")]
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_wrong_code_is_refused_and_counted_on_the_device(deputy):
    device = authenticator_for(deputy.user)
    right = totp_code(device)
    wrong = "000000" if right != "000000" else "111111"

    refused = sign_in(deputy.user, code=wrong)

    assert errors(refused) == [("code", "wrong")]
    assert "Wrong code" in refused.json()["errors"][0]["detail"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not ApiToken.objects.exists()


def test_a_recovery_code_is_a_second_factor_and_is_spent(deputy):
    from accounts.otp import recovery_codes_renew

    authenticator_for(deputy.user)
    code = recovery_codes_renew(user=deputy.user)[0]

    assert sign_in(deputy.user, code=code).status_code == 201
    assert errors(sign_in(deputy.user, code=code, name="again")) == [("code", "wrong")]


def test_staff_who_never_set_up_the_app_are_sent_to_the_site(deputy):
    refused = sign_in(deputy.user, code="123456")
    assert errors(refused) == [("non_field_errors", "second_factor_not_set_up")]
    assert "Sign in on the site once" in refused.json()["detail"]
    assert not ApiToken.objects.exists()


def test_a_citizen_needs_no_code(citizen):
    assert sign_in(citizen).status_code == 201


# --- wrong passwords, the lockout, the throttle ------------------------------------------


def test_a_wrong_password_or_an_unknown_email_get_the_same_refusal(citizen):
    wrong = sign_in(citizen, password="guess")
    unknown = english().post(
        TOKEN, {"email": "nobody@example.org", "password": PASSWORD, "name": "x"}, format="json"
    )
    assert errors(wrong) == errors(unknown) == [("non_field_errors", "invalid_credentials")]
    assert wrong.json() == unknown.json()
    assert "Wrong e-mail or password" in wrong.json()["detail"]
    assert not ApiToken.objects.exists()


def test_an_inactive_account_gets_no_token(citizen):
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert errors(sign_in(citizen)) == [("non_field_errors", "invalid_credentials")]


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(citizen):
    codes = [sign_in(citizen, password="guess").status_code for _ in range(5)]
    assert codes == [400, 400, 400, 400, 429]  # as the sign-in page: the fifth pauses

    locked = sign_in(citizen)

    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/problem+json"  # not the page's HTML
    assert locked.json()["code"] == "locked_out"
    assert locked.json()["detail"].startswith("Too many wrong passwords for this account")
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    assert not ApiToken.objects.exists()


def test_the_api_and_the_sign_in_page_share_the_lockout(client, citizen):
    for _ in range(3):
        sign_in(citizen, password="guess")
    for _ in range(2):
        client.post(reverse("login"), {"username": citizen.email, "password": "guess"})

    assert sign_in(citizen).status_code == 429
    page = client.post(reverse("login"), {"username": citizen.email, "password": PASSWORD})
    assert page.status_code == 429


def test_the_lockout_counts_the_email_in_any_letter_case(citizen):
    for spelling in ["Citizen@example.org", "CITIZEN@example.org", "citizen@EXAMPLE.org",
                     "citizen@example.org"]:  # fmt: skip
        english().post(TOKEN, {"email": spelling, "password": "guess", "name": "x"}, format="json")
    assert sign_in(citizen, password="guess").status_code == 429


def test_a_token_sign_in_clears_the_failures_as_the_page_does(citizen):
    for _ in range(4):
        sign_in(citizen, password="guess")
    assert sign_in(citizen).status_code == 201
    codes = [sign_in(citizen, password="guess").status_code for _ in range(4)]
    assert codes == [400] * 4


def test_the_lockout_of_one_account_leaves_others_alone(citizen, other_citizen):
    for _ in range(5):
        sign_in(citizen, password="guess")
    assert sign_in(other_citizen).status_code == 201


@pytest.fixture
def two_sign_ins_a_minute(monkeypatch):
    monkeypatch.setattr(SignInRateThrottle, "THROTTLE_RATES", {"sign_in": "2/min"})


def test_sign_ins_are_throttled_per_client_address(citizen, other_citizen, two_sign_ins_a_minute):
    assert sign_in(citizen).status_code == 201
    assert sign_in(other_citizen, password="guess").status_code == 400

    throttled = sign_in(other_citizen)

    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert 0 < int(throttled["Retry-After"]) <= 60
    elsewhere = sign_in(other_citizen, meta={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 201


# --- several named tokens -------------------------------------------------------------


def test_a_new_token_never_revokes_another(citizen):
    first = sign_in(citizen, name="crm").json()["key"]
    second = sign_in(citizen, name="spreadsheet").json()["key"]
    assert with_key(first).get(APPEALS).status_code == 200
    assert with_key(second).get(APPEALS).status_code == 200
    names = [t["name"] for t in with_key(first).get(TOKENS).json()]
    assert names == ["spreadsheet", "crm"]  # newest first


def test_revoking_one_token_leaves_the_others_working(citizen):
    keep = sign_in(citizen, name="crm").json()["key"]
    gone = sign_in(citizen, name="spreadsheet").json()

    assert with_key(keep).delete(revoke_url(gone["id"])).status_code == 204

    assert with_key(gone["key"]).get(APPEALS).status_code == 401
    assert with_key(keep).get(APPEALS).status_code == 200
    assert [t["name"] for t in with_key(keep).get(TOKENS).json()] == ["crm"]


def test_another_persons_token_is_not_found_and_keeps_working(citizen, other_citizen):
    mine = sign_in(citizen).json()["key"]
    theirs = sign_in(other_citizen).json()

    refused = with_key(mine).delete(revoke_url(theirs["id"]))

    assert refused.status_code == 404
    assert with_key(theirs["key"]).get(APPEALS).status_code == 200
    assert with_key(mine).delete(revoke_url(10**9)).status_code == 404  # missing: the same


def test_a_name_is_used_once_per_person(citizen, other_citizen):
    assert sign_in(citizen, name="crm").status_code == 201
    again = sign_in(citizen, name="crm")
    assert errors(again) == [("name", "unique")]
    assert sign_in(other_citizen, name="crm").status_code == 201


def test_one_person_has_at_most_twenty_live_tokens(citizen):
    from accounts.tokens import api_token_create

    for n in range(20):
        api_token_create(user=citizen, name=f"t{n}")
    refused = sign_in(citizen, name="one more")
    assert errors(refused) == [("non_field_errors", "too_many_tokens")]
    assert "Revoke one you no longer use" in refused.json()["detail"]

    # An expired token no longer counts, and goes.
    now = timezone.now()
    ApiToken.objects.filter(name="t0").update(
        created=now - timedelta(days=2), expires=now - timedelta(days=1)
    )
    assert sign_in(citizen, name="one more").status_code == 201
    assert not ApiToken.objects.filter(name="t0").exists()


def test_an_expired_token_is_refused_and_not_listed(citizen):
    old = sign_in(citizen, name="old").json()
    live = sign_in(citizen, name="live").json()["key"]
    now = timezone.now()
    ApiToken.objects.filter(pk=old["id"]).update(
        created=now - timedelta(days=91), expires=now - timedelta(seconds=1)
    )
    refused = with_key(old["key"]).get(APPEALS)
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"
    assert refused.json()["detail"] == "The token has expired."
    assert [t["name"] for t in with_key(live).get(TOKENS).json()] == ["live"]


def test_the_list_reads_the_same_statements_for_more_tokens(citizen):
    from accounts.tokens import api_token_create

    from ..helpers import assert_same_count

    api = token_api(citizen, "reader")
    api.get(TOKENS)  # the first use is written down (last_used)

    def read():
        with captured_queries() as statements:
            assert api.get(TOKENS).status_code == 200
        return statements

    api_token_create(user=citizen, name="a")
    few = read()
    for n in range(6):
        api_token_create(user=citizen, name=f"b{n}")
    many = read()
    assert len(api.get(TOKENS).json()) == 8
    assert_same_count(few, many)


def test_the_token_list_and_revocation_need_a_caller():
    anonymous = english()
    assert anonymous.get(TOKENS).status_code == 401
    assert anonymous.delete(revoke_url(1)).status_code == 401


def test_a_session_lists_and_revokes_too(client, citizen):
    sign_in(citizen, name="crm")
    session = APIClient()
    session.force_login(citizen)
    listed = session.get(TOKENS).json()
    assert [(t["name"], t["current"]) for t in listed] == [("crm", False)]
    assert session.delete(revoke_url(listed[0]["id"])).status_code == 204


# --- /me --------------------------------------------------------------------------------


def test_me_of_a_citizen(citizen):
    me = token_api(citizen).get(ME, HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en").json()
    assert me == {
        "id": citizen.pk,
        "email": "citizen@example.org",
        "full_name": citizen.full_name,
        "role": "citizen",
        "region": None,
        "deputy_id": None,
        "language": "en",
    }


def test_me_of_a_deputy_names_the_deputy_and_region(deputy):
    me = token_api(deputy.user).get(ME).json()
    assert me["role"] == "deputy"
    assert me["deputy_id"] == deputy.pk
    assert me["region"]["code"] == "77" and me["region"]["name"] == deputy.region.name
    assert me["language"] == "ru"


def test_me_of_a_committee_member_names_the_committees_region(committee, other_committee):
    me = token_api(committee).get(ME).json()
    assert (me["role"], me["region"]["code"], me["deputy_id"]) == ("committee", "77", None)
    other = token_api(other_committee).get(ME).json()
    assert other["region"]["code"] == "78"


@pytest.mark.parametrize("role", ["federal", "admin"])
def test_me_of_the_central_office_has_no_region(role, request):
    user = account(role, request)
    me = token_api(user).get(ME).json()
    assert (me["role"], me["region"], me["deputy_id"]) == (user.role, None, None)


def test_me_needs_a_caller():
    response = english().get(ME)
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")


def test_me_reads_few_statements(deputy):
    api = token_api(deputy.user)
    api.get(ME)
    with captured_queries() as statements:
        assert api.get(ME).status_code == 200
    assert len(statements) <= 2, statements  # the token with its user, the deputy


def test_a_name_taken_by_a_request_at_the_same_moment_is_a_400_not_a_500(citizen, monkeypatch):
    from accounts import tokens

    tokens.api_token_create(user=citizen, name="crm")
    real = tokens._refusal
    passes = iter([1, 2])  # the sign-in's check and the creation's, run before the other insert

    def check(**kwargs):
        return None if next(passes, None) else real(**kwargs)

    monkeypatch.setattr(tokens, "_refusal", check)

    refused = sign_in(citizen, name="crm")

    assert errors(refused) == [("name", "unique")]
    assert citizen.api_tokens.count() == 1
