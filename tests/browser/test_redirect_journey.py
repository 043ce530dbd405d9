"""A deputy redirects an appeal in a real browser: opens it from the dashboard, gives
the colleague and the reason, lands back on the dashboard with the message (not on
the appeal, which is no longer theirs to see); the colleague finds it on theirs."""

import pytest

from tests.appeals.helpers import file_appeal
from tests.factories import CitizenFactory, DeputyFactory

from .test_appeal_journey import sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_deputy_redirects_an_appeal_and_the_colleague_gets_it(
    reference_data, page, live_server, second_factor
):
    base = live_server.url
    first = DeputyFactory(region_code="16", full_name="Сафина Алия Рашидовна",
                          user__email="safina@example.org")  # fmt: skip
    second = DeputyFactory(region_code="16", full_name="Хасанов Рустем Ильдарович",
                           user__email="khasanov@example.org")  # fmt: skip
    appeal = file_appeal(CitizenFactory(), region_code="16", chosen_deputy=first)

    sign_in(page, base, "safina@example.org", "correct-horse-42", second_factor)
    page.click("text=Кабинет")
    page.click(f"text={appeal.number}")
    page.click("summary:has-text('Перенаправить другому депутату')")
    redirect_form = page.locator("form[action$='/redirect/']")
    redirect_form.locator("select[name=deputy]").select_option(label=second.full_name)
    redirect_form.locator("textarea[name=reason]").fill("Дом в округе коллеги")
    redirect_form.locator("button[type=submit]").click()

    page.wait_for_url("**/dashboard/")
    assert "Обращение перенаправлено" in page.inner_text(".messages")
    assert appeal.number not in page.inner_text("main")
    sign_out(page)

    sign_in(page, base, "khasanov@example.org", "correct-horse-42", second_factor)
    page.click("text=Кабинет")
    assert page.inner_text("#count-new") == "1"
    page.click(f"text={appeal.number}")
    assert "Дом в округе коллеги" in page.inner_text("#timeline")
