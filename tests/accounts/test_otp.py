"""The second factor of staff: deputy, committee, federal and admin accounts sign in with
a password and then a code from an authenticator app or a single-use recovery code;
citizens sign in with the password alone."""

import re
from base64 import b32decode

import django.test
import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from accounts.models import ApiToken, User
from tests.conftest import authenticator_for, totp_code
from tests.factories import CitizenFactory, CommitteeUserFactory, DeputyFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"
VERIFY = reverse("two_factor:verify")
SETUP = reverse("two_factor:setup")


def staff(role):
    """An account of a staff role and a page only that role works on."""
    if role == "deputy":
        return DeputyFactory(region_code="77").user, reverse("appeals:dashboard")
    if role == "committee":
        return CommitteeUserFactory(region_code="77"), reverse("appeals:committee_queue")
    if role == "federal":
        return UserFactory(role=User.Role.FEDERAL), reverse("ratings:regions_comparison")
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    return admin, reverse("admin:index")


def sign_in_with_password(browser, user):
    """The sign-in form, as a person fills it; returns the page it ends on."""
    return browser.post(
        reverse("login"), {"username": user.email, "password": PASSWORD}, follow=True
    )


def errors(response):
    return " ".join(response.context["form"].errors.get("code", []))


@pytest.fixture
def browser():
    """A client with no shortcut: the code step is passed through the form or not at all."""
    return django.test.Client()


@pytest.mark.parametrize("role", ["deputy", "committee", "federal", "admin"])
def test_every_staff_role_is_stopped_at_the_code_step_until_the_code_is_given(browser, role):
    user, page = staff(role)
    device = authenticator_for(user)

    landed = sign_in_with_password(browser, user)
    assert landed.redirect_chain[-1][0].startswith(VERIFY)
    assert "Код для входа" in landed.content.decode()
    blocked = browser.get(page)
    assert blocked.status_code == 302
    assert blocked.url == f"{VERIFY}?next={page.replace('/', '%2F')}"

    done = browser.post(VERIFY, {"code": totp_code(device), "next": page})
    assert done.status_code == 302
    assert done.url == page
    assert browser.get(page).status_code == 200


def test_a_wrong_code_is_refused_counted_and_then_throttled(browser, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the wait after a failure outlasts the test
    user, page = staff("deputy")
    device = authenticator_for(user)
    sign_in_with_password(browser, user)
    right = totp_code(device)
    wrong = f"{(int(right) + 1) % 1000000:06d}"

    refused = browser.post(VERIFY, {"code": wrong})
    assert refused.status_code == 200
    assert errors(refused) == "Неверный код: 1 неудачная попытка подряд."
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert browser.get(page).status_code == 302

    # Even the right code waits out the pause a failure started.
    throttled = browser.post(VERIFY, {"code": right})
    assert "Слишком много неверных кодов подряд" in errors(throttled)
    assert re.search(r"через (59|60) секунд\.", errors(throttled))
    assert browser.get(page).status_code == 302


def test_a_recovery_code_signs_in_once(browser, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # no pause after the failure (tested above)
    user, page = staff("committee")
    authenticator_for(user)
    codes = otp.recovery_codes_renew(user=user)

    sign_in_with_password(browser, user)
    done = browser.post(VERIFY, {"code": codes[3].upper(), "next": page}, follow=True)
    assert done.redirect_chain[-1][0] == page
    assert "Осталось 9 кодов" in done.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 9

    browser.post(reverse("logout"))
    sign_in_with_password(browser, user)
    again = browser.post(VERIFY, {"code": codes[3]})
    assert errors(again) == "Неверный код: 1 неудачная попытка подряд."
    assert browser.get(page).status_code == 302
    assert browser.post(VERIFY, {"code": codes[4], "next": page}).url == page


def test_a_staff_account_without_an_app_sets_one_up_before_any_staff_page(browser, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the failure (tested above)
    user, page = staff("federal")

    landed = sign_in_with_password(browser, user)
    assert landed.redirect_chain[-1][0].startswith(SETUP)
    html = landed.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn by the site itself
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html).group(1)
    for closed in (page, reverse("admin:index"), reverse("accounts:profile")):
        assert browser.get(closed).url.startswith(VERIFY), closed
    assert browser.get(VERIFY).url.startswith(SETUP)

    # The app is set up by its key as shown: a wrong code first, then the right one.
    right = f"{TOTP(b32decode(secret.replace(' ', ''))).token():06d}"
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    refused = browser.post(SETUP, {"code": wrong})
    assert "Неверный код" in errors(refused)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    shown = browser.post(SETUP, {"code": right, "next": page})
    assert shown.status_code == 200
    assert shown["Cache-Control"].startswith("max-age=0")
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", shown.content.decode())
    assert len(set(codes)) == 10
    assert browser.get(page).status_code == 200
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    # Shown once: the set-up page is closed now that the app is confirmed.
    assert browser.get(SETUP).url == reverse("accounts:home")

    browser.post(reverse("logout"))
    sign_in_with_password(browser, user)
    assert browser.post(VERIFY, {"code": codes[0], "next": page}).url == page


def test_a_citizen_signs_in_with_the_password_alone(browser):
    citizen = CitizenFactory()

    landed = sign_in_with_password(browser, citizen)
    assert landed.redirect_chain[-1][0] == reverse("appeals:appeal_list")
    assert browser.get(reverse("appeals:appeal_list")).status_code == 200
    assert browser.get(VERIFY).url == reverse("accounts:home")
    assert browser.get(SETUP).url == reverse("accounts:home")
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    profile = browser.get(reverse("accounts:profile")).content.decode()
    assert "коды восстановления" not in profile


def test_the_admin_requires_the_code_step_even_after_its_own_sign_in_form(browser):
    admin, _ = staff("admin")
    device = authenticator_for(admin)

    browser.post(
        reverse("admin:login"), {"username": admin.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert browser.get(reverse("admin:index")).url.startswith(VERIFY)
    assert browser.get(reverse("admin:accounts_user_changelist")).url.startswith(VERIFY)
    browser.post(VERIFY, {"code": totp_code(device)})
    assert browser.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(rf):
    from django.contrib import admin as django_admin
    from django.contrib.auth.models import AnonymousUser

    admin, _ = staff("admin")
    request = rf.get("/admin/")
    request.user = admin
    admin.otp_device = None
    assert not django_admin.site.has_permission(request)
    admin.otp_device = authenticator_for(admin)
    assert django_admin.site.has_permission(request)
    request.user = AnonymousUser()
    assert not django_admin.site.has_permission(request)


def test_the_api_ignores_an_unverified_staff_session_and_tokens_need_a_verified_one(browser):
    user, _ = staff("deputy")
    device = authenticator_for(user)
    sign_in_with_password(browser, user)

    assert browser.get("/api/v1/appeals/").status_code == 401
    new_token = {"name": "crm", "expires_in_days": 30}
    assert browser.post(reverse("accounts:issue_token"), new_token).url.startswith(VERIFY)
    assert not ApiToken.objects.filter(user=user).exists()

    browser.post(VERIFY, {"code": totp_code(device)})
    assert browser.get("/api/v1/appeals/").status_code == 200
    assert browser.post(reverse("accounts:issue_token"), new_token).status_code == 200
    assert ApiToken.objects.filter(user=user).exists()


def test_a_verified_session_renews_the_recovery_codes_and_the_old_ones_stop(browser):
    user, _ = staff("deputy")
    device = authenticator_for(user)
    old = otp.recovery_codes_renew(user=user)
    sign_in_with_password(browser, user)
    browser.post(VERIFY, {"code": totp_code(device)})

    profile = browser.get(reverse("accounts:profile")).content.decode()
    assert "Получить новые коды восстановления" in profile
    shown = browser.post(reverse("two_factor:recovery_codes"))
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", shown.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)

    browser.post(reverse("logout"))
    sign_in_with_password(browser, user)
    assert "Неверный код" in errors(browser.post(VERIFY, {"code": old[0]}))


def test_the_test_client_signs_staff_in_verified_and_citizens_as_before(client, deputy, citizen):
    client.force_login(deputy.user)
    assert client.get(reverse("appeals:dashboard")).status_code == 200
    client.force_login(citizen)
    assert client.get(reverse("appeals:appeal_list")).status_code == 200
    assert not TOTPDevice.objects.filter(user=citizen).exists()


def test_demo_staff_share_the_documented_key_and_demo_citizens_have_none(browser):
    from io import StringIO

    from django.core.management import call_command

    from demo.seeder import DEMO_TOTP_SECRET

    out = StringIO()
    call_command("seed_demo", deputies=90, appeals=30, seed=3, today="2026-11-23", stdout=out)
    assert f"oathtool --totp -b {DEMO_TOTP_SECRET}" in out.getvalue()
    deputy = User.objects.get(email="deputy@demo.test")
    assert not TOTPDevice.objects.filter(user__email="citizen@demo.test").exists()
    assert TOTPDevice.objects.filter(user__role="committee", confirmed=True).count() == 89

    browser.post(reverse("login"), {"username": deputy.email, "password": "demo-password-2026"})
    code = f"{TOTP(b32decode(DEMO_TOTP_SECRET)).token():06d}"  # what oathtool prints
    assert browser.post(VERIFY, {"code": code}).url == reverse("accounts:home")
    assert browser.get(reverse("appeals:dashboard")).status_code == 200
