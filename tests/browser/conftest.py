import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") or os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Debian's chromium is required for the browser tests")
        pytest.skip("chromium is not installed")
    # Playwright's sync API runs an event loop; the live server's DB access is ours.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def second_factor():
    """Passes the code step of a staff sign-in through the real forms, as a staff member
    with an authenticator app would: an account without one sets it up from the key the
    set-up page shows and moves on past its recovery codes; an account with one types the
    app's current code. Citizens have no code step, so nothing is done for them.

    Call it right after the password is submitted."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    from accounts.models import User
    from accounts.otp import second_factor_required
    from tests.conftest import authenticator_for, totp_code

    def answer(page, email, *, keyboard=False):
        if not second_factor_required(User.objects.get(email__iexact=email)):
            return
        page.wait_for_url("**/accounts/two-factor/**")
        if "/setup/" in page.url:
            secret = page.inner_text("#otp-secret").replace(" ", "")
            _submit_code(page, f"{TOTP(b32decode(secret)).token():06d}", keyboard)
            page.wait_for_selector("#recovery-codes")
            if keyboard:
                _tab_to(page, "#otp-continue")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
            else:
                page.click("#otp-continue")
        else:
            user = User.objects.get(email__iexact=email)
            _submit_code(page, totp_code(authenticator_for(user)), keyboard)
        page.wait_for_url(lambda url: "/two-factor/" not in url)

    return answer


def _submit_code(page, code, keyboard):
    if keyboard:
        _tab_to(page, "#id_code")
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    else:
        page.fill("#id_code", code)
        page.click("main form.form button[type=submit]")


def _tab_to(page, selector, limit=80):
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")
