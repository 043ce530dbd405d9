"""Issue 22's journey in a real browser, on a phone: the weekly digest lists a hot spot;
a committee member opens it, reads the appeals behind it and confirms it; then the
rating table's drill-down shows a deputy's share of formulaic answers with examples."""

import pytest
from django.core import mail

from appeals.models import Topic
from ratings import services
from ratings.hotspots.services import hot_spots_compute, hot_spots_digest
from ratings.models import HotSpotAlert
from tests.factories import CommitteeUserFactory, DeputyFactory
from tests.feedback.test_formulaic import SPECIFIC, answered, templated
from tests.ratings.test_hot_spots import TODAY, WEEK, baseline, district, file
from tests.ratings.test_recompute import NOW, appeal, rate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_committee_confirms_a_hot_spot_and_reads_formulaic_answers(
    reference_data, page, live_server, second_factor
):
    roof = Topic.objects.get(slug="housing-roof")
    baseline(topic=roof, place=district())
    file(12, day=WEEK, topic=roof, place=district())
    hot_spots_compute(today=TODAY)
    deputy = DeputyFactory(region_code="77", full_name="Депутат Шаблонов")
    for _ in range(10):
        rate(appeal(deputy, answered_on=3), overall=4, solved="yes", personal=4)
    templated(deputy, 3)
    answered(deputy, SPECIFIC)
    assert services.ratings_recompute(now=NOW) is not None
    CommitteeUserFactory(region_code="77", email="committee@example.org")
    alert = HotSpotAlert.objects.get(topic=roof)
    assert hot_spots_digest() == 1  # the weekly letter to the region's committee
    (letter,) = mail.outbox
    assert letter.to == ["committee@example.org"] and "Кровля" in letter.body
    assert f"/ratings/hot-spots/{alert.pk}/" in letter.body

    page.set_viewport_size({"width": 320, "height": 720})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "committee@example.org")
    page.fill("#id_password", "correct-horse-42")
    page.click("main button[type=submit]")
    second_factor(page, "committee@example.org")
    page.goto(f"{live_server.url}/ratings/hot-spots/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.click("#hot-spots >> text=Кровля и протечки")
    assert page.locator("#hot-spot-appeals li").count() == 12
    page.check("text=Подтвердить")
    page.fill("textarea[name=note]", "Протечки после ливня, выехали на место")
    with page.expect_navigation():
        page.click("text=Сохранить решение")
    assert page.inner_text("#hot-spot-status") == "Подтверждена"
    alert.refresh_from_db()
    assert alert.status == "confirmed" and alert.decided_by.email == "committee@example.org"

    page.goto(f"{live_server.url}/ratings/?region=77")
    page.click("#rating-table >> text=Депутат Шаблонов")
    page.wait_for_selector("#formulaic")
    assert page.inner_text("#formulaic-share") == "75%"
    assert "3 из 4 итоговых ответов" in page.inner_text("#formulaic")
    examples = page.locator("#formulaic-examples li")
    assert examples.count() == 3
    assert "почти совпадает с другими ответами" in examples.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
