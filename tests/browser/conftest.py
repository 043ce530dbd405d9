import os
import shutil

import pytest

from tests.browser import pages


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(pages.CHROMIUM):
        if os.environ.get("CI") or os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Debian's chromium is required for the browser tests")
        pytest.skip("chromium is not installed")
    # Playwright's sync API runs an event loop; the live server's DB access is ours.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pages.CHROMIUM, args=pages.ARGS)
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
def demo_site(reference_data, live_server):
    """The demo seeded into the test database; its base URL and `pages.demo_targets()`."""
    from django.core.management import call_command

    call_command("seed_demo", **pages.DEMO_SIZE, verbosity=0)
    return {"base": live_server.url, "targets": pages.demo_targets()}


@pytest.fixture
def role_page(browser, demo_site, second_factor):
    """`role_page(role)`: a page in a new context, signed in as the role's demo account
    (through the code step for staff), on the live server; closed after the test."""
    from demo.seeder import DEMO_PASSWORD

    contexts = []

    def open_as(role, *, width=1280, height=900):
        context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        pages.sign_in(page, demo_site["base"], role, DEMO_PASSWORD, second_factor)
        return page

    yield open_as
    for context in contexts:
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
