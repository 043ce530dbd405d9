"""A deputy searches their dashboard in a real browser: «парадная», as people in
St Petersburg say, finds the appeal that says «подъезде», the word marked in its
fragment; another appeal of theirs is not listed."""

import pytest

from tests.appeals.helpers import file_appeal
from tests.factories import CitizenFactory, DeputyFactory

from .test_appeal_journey import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_deputy_searches_paradnaya_and_finds_the_entrance(
    reference_data, page, live_server, second_factor
):
    deputy = DeputyFactory(region_code="78", full_name="Смирнова Ольга Петровна",
                           user__email="smirnova@example.org")  # fmt: skip
    entrance = file_appeal(
        CitizenFactory(), region_code="78", chosen_deputy=deputy, subject="Грязно",
        text="В подъезде нашего дома не убирают с весны.",
    )  # fmt: skip
    other = file_appeal(CitizenFactory(), region_code="78", chosen_deputy=deputy)

    sign_in(page, live_server.url, "smirnova@example.org", "correct-horse-42", second_factor)
    page.click("text=Кабинет")
    page.fill("#queue-filters input[name=q]", "парадная")
    with page.expect_navigation():
        page.press("#queue-filters input[name=q]", "Enter")

    queue = page.locator("#queue")
    assert entrance.number in queue.inner_text()
    assert other.number not in queue.inner_text()
    assert queue.locator(".search-fragment mark").first.inner_text() == "подъезде"
