"""The main journeys with the keyboard alone: every control is reached with Tab and
used with typing, arrows, Space and Enter — the citizen filing, the deputy answering,
the committee assigning from its queue and reading the rating table."""

import pytest

from appeals.models import Appeal
from ratings.services import ratings_recompute
from tests.factories import AppealFactory, CitizenFactory, CommitteeUserFactory, DeputyFactory

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


def follow(page, href):
    """Reach the link with Tab and open it with Enter."""
    tab_to(page, f"a[href='{href}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


def sign_in(page, live_server, email, second_factor):
    page.goto(live_server.url + "/")
    follow(page, "/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type("correct-horse-42")
    page.keyboard.press("Enter")
    second_factor(page, email, keyboard=True)
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/two-factor/" not in url)


def test_a_deputy_answers_from_the_dashboard_with_the_keyboard_alone(
    reference_data, page, live_server, second_factor
):
    deputy = DeputyFactory(region_code="77", user__email="deputy.keys@example.org")
    appeal = AppealFactory(deputy=deputy, region=deputy.region, status="assigned")
    sign_in(page, live_server, "deputy.keys@example.org", second_factor)

    page.wait_for_url("**/dashboard/")  # a deputy lands on the dashboard
    follow(page, appeal.get_absolute_url())
    tab_to(page, "#id_text")
    page.keyboard.type("Дорогу отремонтируют до 1 декабря.")
    tab_to(page, "#send-final")
    page.keyboard.press("Space")  # the final answer asks for confirmation first
    page.wait_for_selector("#final-confirm.show")
    tab_to(page, "#confirm-final")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    appeal.refresh_from_db()
    assert appeal.status == "answered"
    assert "Дорогу отремонтируют" in page.inner_text("main")


def test_a_committee_assigns_and_reads_the_table_with_the_keyboard_alone(
    reference_data, page, live_server, second_factor
):
    CommitteeUserFactory(region_code="87", email="committee.keys@example.org")
    deputy = DeputyFactory(region_code="87")
    waiting = AppealFactory(region=deputy.region, deputy=None, status="submitted")
    ratings_recompute()
    sign_in(page, live_server, "committee.keys@example.org", second_factor)

    follow(page, "/committee/queue/")
    follow(page, waiting.get_absolute_url())
    tab_to(page, "#id_deputy")
    page.keyboard.press("ArrowDown")  # the first deputy of the list
    tab_to(page, "form[action$='/assign/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    waiting.refresh_from_db()
    assert waiting.deputy == deputy

    follow(page, "/ratings/")
    follow(page, f"/ratings/deputies/{deputy.pk}/")
    assert deputy.full_name in page.inner_text("main")


def test_a_citizen_files_an_appeal_with_the_keyboard_alone(
    reference_data, page, live_server, second_factor
):
    CitizenFactory(email="keys@example.org")
    DeputyFactory(region_code="16")
    sign_in(page, live_server, "keys@example.org", second_factor)

    follow(page, "/appeals/new/")
    tab_to(page, "#id_region")
    page.keyboard.type("16")  # selects "16 — Республика Татарстан" by typing
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**region=16**")

    tab_to(page, "#id_topic")
    page.keyboard.press("ArrowDown")  # the first topic: "ЖКХ — в целом"
    tab_to(page, "#id_subject")
    page.keyboard.type("Нет освещения во дворе")
    tab_to(page, "#id_text")
    page.keyboard.type("Во дворе дома 3 не горят фонари.")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "#check-appeal")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not Appeal.objects.exists()  # checked, not yet sent

    page.keyboard.press("Tab")  # from the top of the check page
    tab_to(page, "#file-appeal")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#receipt")

    appeal = Appeal.objects.get()
    assert appeal.region.code == "16"
    assert appeal.subject == "Нет освещения во дворе"
    assert appeal.topic.slug == "housing"
    assert appeal.number in page.inner_text("#receipt")
