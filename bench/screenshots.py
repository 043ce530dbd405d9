"""Screenshots of each role's main pages on the seeded demo, into docs/screenshots/.

    .venv/bin/python bench/screenshots.py
    .venv/bin/python bench/screenshots.py --database-url postgres://postgres@127.0.0.1:5432/izb_shots
    .venv/bin/python bench/screenshots.py --roles citizen,deputy --out /tmp/shots

Migrates the database (by default a new SQLite file in a temporary directory; a
PostgreSQL one is migrated and its earlier demo data replaced), seeds the demo the
browser tests use (`seed_demo`, tests/browser/pages.py's DEMO_SIZE), starts gunicorn on
it with the local settings, signs in as each role's demo account (staff through the
code step, with the demo's documented TOTP key) and saves each role's main pages
(tests/browser/pages.py, the list the layout and axe tests check) full-page at 390 and
1280 px in Russian as <role>-<page>-<width>.png, and a few of them in English as
<role>-<page>-<width>-en.png. Needs Debian's chromium (/usr/bin/chromium).
"""

import argparse
import os
import shutil
import socket
import sys
import tempfile
import time
from base64 import b32decode
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTHS = (390, 1280)
HEIGHT = 900  # the first screen; the shot is of the whole page
# (role, page) also photographed in English.
ENGLISH = (("anonymous", "home"), ("citizen", "appeal"), ("deputy", "dashboard"))
# `--english-all`: every page in English too (to look at a change in both languages).
# Chart.js draws with a one-second animation; pages with a canvas get this long.
CHART_SETTLE_MS = 1200


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--roles", help="comma-separated; default: every role")
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--english-all", action="store_true", help="every page in English too")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="izb-screenshots-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "true",  # whitenoise serves static/ as it stands, no collectstatic
        "DATABASE_URL": options.database_url or f"sqlite:///{work / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    try:
        targets = seed()
        from bench.server import gunicorn

        port = options.port or free_port()
        server = gunicorn(port, workers=2, env=env)
        try:
            photograph(f"http://127.0.0.1:{port}", targets, options)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tests.browser import pages

    started = time.monotonic()
    print("Migrating and seeding the demo…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", **pages.DEMO_SIZE, flush=True, verbosity=0)
    targets = pages.demo_targets()
    connections.close_all()  # the server opens its own
    print(f"Seeded in {time.monotonic() - started:.1f} s.", flush=True)
    return targets


def photograph(base, targets, options):
    from django_otp.oath import TOTP
    from playwright.sync_api import sync_playwright

    from demo.seeder import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from tests.browser import pages

    def second_factor(page, email):
        """The code step of a demo staff account: the code its authenticator shows now."""
        page.wait_for_load_state()
        if "/two-factor/" not in page.url:
            return  # a citizen
        page.fill("#id_code", f"{TOTP(b32decode(DEMO_TOTP_SECRET)).token():06d}")
        with page.expect_navigation():
            page.press("#id_code", "Enter")

    roles = options.roles.split(",") if options.roles else pages.ROLES
    shots = [
        (role, main_page, width, language)
        for role in roles
        for language in ("ru", "en")
        for width in WIDTHS
        for main_page in pages.PAGES[role]
        if language == "ru" or options.english_all or (role, main_page.name) in ENGLISH
    ]
    options.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pages.CHROMIUM, args=pages.ARGS)
        context, signed_in, language_now = None, None, "ru"
        for n, (role, main_page, width, language) in enumerate(shots, 1):
            if role != signed_in:
                if context:
                    context.close()
                context = browser.new_context(
                    locale="ru-RU",
                    reduced_motion="reduce",
                    viewport={"width": width, "height": HEIGHT},
                )
                page = context.new_page()
                page.set_default_timeout(30000)
                pages.sign_in(page, base, role, DEMO_PASSWORD, second_factor)
                signed_in, language_now = role, "ru"
            if language != language_now:
                if page.url == "about:blank":
                    page.goto(base + "/")
                pages.switch(page, language=language)
                language_now = language
            page.set_viewport_size({"width": width, "height": HEIGHT})
            response = page.goto(pages.url(base, main_page, targets[role]))
            if page.locator("canvas").count():
                page.wait_for_timeout(CHART_SETTLE_MS)
            suffix = "" if language == "ru" else f"-{language}"
            path = options.out / f"{role}-{main_page.name}-{width}{suffix}.png"
            page.screenshot(path=path, full_page=True)
            status = "" if response.status == 200 else f"  (answered {response.status})"
            print(f"[{n}/{len(shots)}] {path.relative_to(options.out.parent)}{status}", flush=True)
        context.close()
        browser.close()
    print(f"{len(shots)} screenshots in {options.out} in {time.monotonic() - started:.1f} s.")


if __name__ == "__main__":
    main()
