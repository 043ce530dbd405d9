"""The filing journey with the keyboard alone: every control is reached with Tab and
used with typing, arrows, Space and Enter."""

import pytest

from appeals.models import Appeal
from tests.factories import CitizenFactory, DeputyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_a_citizen_files_an_appeal_with_the_keyboard_alone(reference_data, page, live_server):
    CitizenFactory(email="keys@example.org")
    DeputyFactory(region_code="16")
    page.goto(live_server.url + "/")

    tab_to(page, "a[href='/accounts/login/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("keys@example.org")
    tab_to(page, "#id_password")
    page.keyboard.type("correct-horse-42")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/profile/")

    tab_to(page, "a[href='/appeals/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/new/")
    tab_to(page, "#id_region")
    page.keyboard.type("16")  # selects "16 — Республика Татарстан" by typing
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**region=16**")

    tab_to(page, "#id_subject")
    page.keyboard.type("Нет освещения во дворе")
    tab_to(page, "#id_text")
    page.keyboard.type("Во дворе дома 3 не горят фонари.")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "#file-appeal")
    page.keyboard.press("Enter")
    page.wait_for_selector("#appeal-status")

    appeal = Appeal.objects.get()
    assert appeal.region.code == "16"
    assert appeal.subject == "Нет освещения во дворе"
    assert appeal.number in page.inner_text(".messages")
