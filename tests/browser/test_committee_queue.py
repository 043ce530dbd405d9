"""In the demo's quiet region a committee analyst sees why appeals wait and assigns one
to a deputy who does not take appeals automatically."""

import pytest
from django.core.management import call_command

from appeals.models import Appeal
from demo.seeder import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_quiet_region_s_committee_assigns_a_waiting_appeal(
    reference_data, page, live_server, second_factor
):
    # The parameters of tests/ratings/test_seed_demo.py, which fill region 87's queue.
    call_command("seed_demo", deputies=120, appeals=1500, seed=7, today="2026-11-23", verbosity=0)
    waiting = Appeal.objects.filter(region__code="87", deputy__isnull=True).count()
    assert waiting

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "committee-87@demo.test")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    second_factor(page, "committee-87@demo.test")
    page.wait_for_url("**/ratings/")  # a committee lands on its rating table
    page.click("nav >> text=Очередь")
    page.wait_for_url("**/committee/queue/")

    first = page.locator("#committee-queue .queue-item").first
    assert "В регионе нет депутата, принимающего обращения" in first.inner_text()
    assert "не получает обращения автоматически" in page.inner_text("#not-accepting-note")
    number = first.locator(".appeal-number").inner_text().strip()
    first.locator("select").select_option(index=1)
    with page.expect_navigation():
        first.locator("button[type=submit]").click()

    assert f"Обращение № {number} назначено" in page.inner_text(".messages")
    assert Appeal.objects.filter(region__code="87", deputy__isnull=True).count() == waiting - 1
    assert Appeal.objects.get(number=number).deputy.region.code == "87"
