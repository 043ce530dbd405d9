"""axe-core audits of every role's main pages (tests/browser/pages.py) on the seeded
demo, in Russian and English, in the normal and the accessible mode: no violation of
any impact. axe-core's script is the one axe-playwright-python installs, never a CDN's."""

import json

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS as OPTIONS

from tests.browser import pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# In this order, so each step flips one switch.
SETTINGS = (("ru", False), ("ru", True), ("en", True), ("en", False))
SHOWN_TARGETS = 5


def violations(page):
    """Each violation on the page as `rule (impact) ×nodes: targets`; axe-core is already
    in the page (`add_init_script`), the run is axe-playwright-python's."""
    results = page.evaluate(f"axe.run({json.dumps(OPTIONS)})")
    found = []
    for violation in results["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]]
        more = f" and {len(targets) - SHOWN_TARGETS} more" if len(targets) > SHOWN_TARGETS else ""
        found.append(
            f"{violation['id']} ({violation['impact']}) ×{len(targets)}: "
            f"{', '.join(targets[:SHOWN_TARGETS])}{more}"
        )
    return found


def test_main_pages_pass_axe_in_both_languages_and_modes(demo_site, role_page):
    problems = []
    for role in pages.ROLES:  # one test, so the demo is seeded once
        page = role_page(role)
        page.context.add_init_script(AXE_SCRIPT)  # into every page before its own scripts
        page.goto(demo_site["base"] + "/")
        for language, accessible in SETTINGS:
            pages.switch(page, language=language, accessible=accessible)
            cookies = {c["name"]: c["value"] for c in page.context.cookies()}
            assert cookies.get("a11y", "0") == ("1" if accessible else "0")
            mode = "accessible" if accessible else "normal"
            for main_page in pages.PAGES[role]:
                target = pages.url(demo_site["base"], main_page, demo_site["targets"][role])
                response = page.goto(target)
                where = f"{role} {main_page.name} {language} {mode}"
                assert page.evaluate("document.documentElement.lang") == language, where
                if response.status != 200:
                    problems.append(f"{where}: answered {response.status}")
                    continue
                problems += [f"{where}: {found}" for found in violations(page)]
        page.context.close()
    assert not problems, "\n".join(problems)


def test_the_audit_catches_a_bad_page(page):
    page.context.add_init_script(AXE_SCRIPT)
    page.goto("about:blank")
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = " ".join(violations(page))
    for rule in ("image-alt (critical)", "label (critical)", "html-has-lang"):
        assert rule in found
