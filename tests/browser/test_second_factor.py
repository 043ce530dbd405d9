"""A deputy's first sign-in on a 320 px phone screen: the password, setting up the
authenticator app from the QR page, the recovery codes; then a later sign-in with a
wrong code and a recovery code. Every step fits the screen and passes axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_appeal_journey import sign_out
from tests.factories import DeputyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SERIOUS = {"serious", "critical"}


def problems(page):
    """Serious axe findings, and content wider than the screen."""
    found = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        found.append(f"{width} px wide")
    return found


def test_a_deputy_sets_up_the_app_and_signs_in_with_codes_on_a_small_screen(
    reference_data, browser, live_server
):
    DeputyFactory(region_code="77", user__email="phone.deputy@example.org")
    context = browser.new_context(locale="ru-RU", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "phone.deputy@example.org")
    page.fill("#id_password", "correct-horse-42")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.inner_text("h1") == "Настройка входа по коду"
    assert page.locator("#otp-qr").bounding_box()["width"] == 200
    seen = {"setup": problems(page)}

    # Staff pages stay closed until the app is confirmed.
    page.goto(f"{base}/dashboard/")
    page.wait_for_url("**/accounts/two-factor/setup/**")

    from base64 import b32decode

    from django_otp.oath import TOTP

    secret = page.inner_text("#otp-secret").replace(" ", "")
    page.fill("#id_code", f"{TOTP(b32decode(secret)).token():06d}")
    page.click("main form.form button[type=submit]")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    seen["recovery codes"] = problems(page)
    page.click("#otp-continue")
    page.goto(f"{base}/dashboard/")
    page.wait_for_url("**/dashboard/")
    sign_out(page)

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "phone.deputy@example.org")
    page.fill("#id_password", "correct-horse-42")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/?next=**")
    page.fill("#id_code", "123456")
    page.click("main form.form button[type=submit]")
    assert "Неверный код: 1 неудачная попытка подряд." in page.inner_text("#id_code_error")
    seen["code step with an error"] = problems(page)
    # The pause after a wrong app code does not hold the recovery codes back.
    page.fill("#id_code", codes[0])
    page.click("main form.form button[type=submit]")
    page.wait_for_url("**/dashboard/")  # a deputy lands on the dashboard
    assert "Осталось 9 кодов" in page.inner_text(".messages")

    assert {step: found for step, found in seen.items() if found} == {}
    context.close()
