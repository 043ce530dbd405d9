"""axe-core audits of the main pages in headless Chromium, in the normal and in the
accessible mode: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from appeals import services
from ratings import services as rating_services
from tests.appeals.helpers import as_scope, file_appeal
from tests.factories import CitizenFactory, CommitteeUserFactory, DeputyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SERIOUS = {"serious", "critical"}


def sign_in(page, base, email, second_factor):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "correct-horse-42")
    page.click("main button[type=submit]")
    second_factor(page, email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/two-factor/" not in url)


def audit(page, url):
    page.goto(url)
    results = Axe().run(page)
    assert results.response["passes"], f"axe did not run on {url}"
    bad = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


@pytest.mark.parametrize("accessible", [False, True])
def test_main_pages_pass_axe(reference_data, page, live_server, second_factor, accessible):
    base = live_server.url
    citizen = CitizenFactory(email="a11y.citizen@example.org")
    deputy = DeputyFactory(region_code="77", user__email="a11y.deputy@example.org")
    CommitteeUserFactory(region_code="77", email="a11y.committee@example.org")
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=False
    )
    rating_services.ratings_recompute()

    page.goto(base + "/")
    if accessible:
        page.click("text=Версия для слабовидящих")
        page.wait_for_selector("body.a11y")

    problems = {}
    problems["start"] = audit(page, base + "/")
    sign_in(page, base, "a11y.citizen@example.org", second_factor)
    problems["filing form"] = audit(page, base + "/appeals/new/?region=77")
    problems["my appeals"] = audit(page, base + "/appeals/")
    problems["appeal page"] = audit(page, f"{base}/appeals/{appeal.number}/")
    page.click("nav form button")
    sign_in(page, base, "a11y.deputy@example.org", second_factor)
    problems["deputy dashboard"] = audit(page, base + "/dashboard/")
    page.click("nav form button")
    sign_in(page, base, "a11y.committee@example.org", second_factor)
    problems["rating table"] = audit(page, base + "/ratings/")

    assert {name: found for name, found in problems.items() if found} == {}


def test_the_audit_catches_a_bad_page(page):
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = {v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS}
    assert {"image-alt", "label", "html-has-lang"} <= found
