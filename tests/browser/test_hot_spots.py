"""A committee member on a phone opens a hot spot, reads the appeals behind it and
confirms it (issue 22). The digest that lists it: tests/ratings/test_hot_spots.py."""

import pytest

from ratings.models import HotSpotAlert
from tests.factories import CommitteeUserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_committee_opens_an_alert_reads_its_appeals_and_confirms_it(
    reference_data, page, live_server, second_factor
):
    from appeals.models import Topic
    from ratings.hotspots.services import hot_spots_compute
    from tests.ratings.test_hot_spots import TODAY, WEEK, baseline, district, file

    roof = Topic.objects.get(slug="housing-roof")
    baseline(topic=roof, place=district())
    file(12, day=WEEK, topic=roof, place=district())
    hot_spots_compute(today=TODAY)
    CommitteeUserFactory(region_code="77", email="committee@example.org")

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
    assert "Не работает лифт" in page.inner_text("#hot-spot-appeals")
    page.check("text=Подтвердить")
    page.fill("textarea[name=note]", "Протечки после ливня, выехали на место")
    with page.expect_navigation():
        page.click("text=Сохранить решение")

    assert "Решение сохранено" in page.inner_text(".messages")
    assert page.inner_text("#hot-spot-status") == "Подтверждена"
    assert "выехали на место" in page.inner_text("#hot-spot-decision")
    alert = HotSpotAlert.objects.get(topic=roof)
    assert alert.status == "confirmed" and alert.decided_by.email == "committee@example.org"
