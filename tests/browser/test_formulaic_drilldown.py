"""A committee analyst opens a deputy from the region's table and reads the deputy's
share of formulaic answers with examples, on a desktop and on a 320 px phone."""

import pytest

from ratings import services
from tests.factories import CommitteeUserFactory, DeputyFactory
from tests.feedback.test_formulaic import SPECIFIC, answered, templated
from tests.ratings.test_recompute import NOW, appeal, rate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_drill_down_shows_a_deputys_formulaic_share_with_examples(
    reference_data, page, live_server, second_factor
):
    deputy = DeputyFactory(region_code="16", full_name="Депутат Шаблонов")
    for _ in range(10):
        rate(appeal(deputy, answered_on=3), overall=4, solved="yes", personal=4)
    templated(deputy, 3)
    answered(deputy, SPECIFIC)
    assert services.ratings_recompute(now=NOW) is not None
    CommitteeUserFactory(region_code="16", email="kazan.committee@example.org")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "kazan.committee@example.org")
    page.fill("#id_password", "correct-horse-42")
    page.click("main button[type=submit]")
    second_factor(page, "kazan.committee@example.org")
    page.wait_for_url("**/ratings/")
    page.click("#rating-table >> text=Депутат Шаблонов")
    page.wait_for_selector("#formulaic")

    assert page.inner_text("#formulaic-share") == "75%"
    assert "3 из 4 итоговых ответов" in page.inner_text("#formulaic")
    examples = page.locator("#formulaic-examples li")
    assert examples.count() == 3
    assert "почти совпадает с другими ответами" in examples.first.inner_text()
    assert "Ваше обращение от" in examples.first.inner_text()

    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"the page is {wide} px wide on a 320 px phone"
