"""Deputy dashboard latency and the filing rate through the page's form.

Run by hand against a seeded PostgreSQL database (see docs/PERFORMANCE.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench \
        .venv/bin/python bench/appeals_bench.py --requests 300 --filings 3000 --clients 16

1. Dashboard: the busiest deputy's dashboard rendered in-process (server-side time:
   middleware, queries, template), several queue views, median and p95.
2. Filing: gunicorn (production settings shape) on 127.0.0.1; concurrent clients
   sign in as different citizens, open the form once, then post appeals as fast as
   they can. Prints appeals per second and POST latency, and checks the database
   holds exactly the appeals that got a success answer.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["DEBUG"] = "false"

import django

django.setup()

from django.db.models import Count
from django.test import Client

from accounts.models import User
from appeals.models import Appeal, Topic
from bench.people import session_for
from bench.server import gunicorn
from bench.stats import percentile
from demo.seeder import DEMO_PASSWORD
from deputies.models import Deputy, Region


def pile_on_busiest(extra):
    """Give the busiest deputy `extra` more appeals of their region (changes the bench
    database), to see the dashboard with tens of thousands of appeals on one deputy."""
    from django.db.models import Q

    busiest = Deputy.objects.annotate(n=Count("appeals")).order_by("-n").first()
    ids = list(
        Appeal.objects.filter(region_id=busiest.region_id)
        .exclude(deputy=busiest)
        .exclude(deputy__isnull=True)
        .values_list("pk", flat=True)[:extra]
    )
    Appeal.objects.filter(pk__in=ids).update(deputy=busiest)
    for deputy in Deputy.objects.filter(region_id=busiest.region_id):
        deputy.open_appeals = deputy.appeals.filter(Q(status__in=Appeal.OPEN_STATUSES)).count()
        deputy.save(update_fields=["open_appeals"])
    print(f"Moved {len(ids)} appeals of the region to {busiest.full_name}")


def bench_dashboard(requests):
    busiest = (
        Deputy.objects.annotate(n=Count("appeals")).order_by("-n").select_related("user").first()
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_for(busiest.user)  # as after the code step
    views = {
        "default (open, by deadline)": "/dashboard/",
        "all, newest first": "/dashboard/?status=all&ordering=-registered",
        "overdue": "/dashboard/?overdue=on",
        "closed, page 5": "/dashboard/?status=closed&page=5",
    }
    print(f"Busiest deputy: {busiest.full_name}, {busiest.n} appeals, {busiest.open_appeals} open")
    print(f"{'dashboard view':32} {'median ms':>10} {'p95 ms':>8}")
    results = {}
    for name, url in views.items():
        for _ in range(10):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        results[name] = (statistics.median(times), percentile(times, 0.95))
        print(f"{name:32} {results[name][0]:10.1f} {results[name][1]:8.1f}")
    return results


class Browser:
    """A minimal cookie-keeping HTTP client: the load generator must stay cheap."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, response.getheader("Location"), content.decode()


def csrf_from(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def bench_filing(filings, clients, workers, port, follow=False):
    env = {
        **os.environ,
        "DEBUG": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        # A few clients file as fast as they can: lift the per-citizen filing limit.
        "API_THROTTLE_FILING": "100000/min",
    }
    server = gunicorn(port, workers=workers, env=env)
    try:
        return _file_concurrently(filings, clients, port, follow)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _file_concurrently(filings, clients, port, follow):
    citizens = list(
        User.objects.filter(
            role="citizen", email__startswith="citizen-", email_confirmed_at__isnull=False
        )
        .exclude(full_name="")
        .order_by("pk")[:clients]
    )
    codes = list(
        Region.objects.filter(deputies__accepts_appeals=True)
        .distinct()
        .values_list("code", flat=True)
    )
    topics = list(Topic.objects.values_list("pk", flat=True))
    browsers = []
    for citizen in citizens:
        browser = Browser(port)
        _, _, page = browser.request("GET", "/accounts/login/")
        status, _, _ = browser.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": csrf_from(page),
                "username": citizen.email,
                "password": DEMO_PASSWORD,
            },
        )
        assert status == 302, "sign-in failed"
        _, _, form = browser.request("GET", "/appeals/new/?region=77")
        browsers.append((browser, csrf_from(form)))

    before = Appeal.objects.count()
    per_client = filings // clients
    latencies, created, errors = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def run(browser, csrf, seed):
        rng = random.Random(seed)
        mine, times = [], []
        start.wait()
        for n in range(per_client):
            form = {
                "csrfmiddlewaretoken": csrf,
                "region": rng.choice(codes),
                "topic": rng.choice(topics),
                "subject": f"Нагрузочное обращение {seed}-{n}",
                "text": "Прошу проверить работу сервиса под нагрузкой.",
                "consent": "on",
                "token": secrets.token_urlsafe(16),
                # The check page's "send" button: the form as it is posted to be filed
                # (without it the form is only checked and shown back).
                "confirm": "1",
            }
            began = time.perf_counter()
            status, location, _ = browser.request("POST", "/appeals/new/", form)
            if follow and location:
                browser.request("GET", location)  # the receipt, as a browser lands on it
            else:
                # A browser shows the flash message on the next page and drops it; without
                # this the cookie would grow with every post and spill into the session.
                browser.cookies.pop("messages", None)
            times.append((time.perf_counter() - began) * 1000)
            if status == 302 and location and location.startswith("/appeals/"):
                # /appeals/<number>/receipt/
                mine.append(location.strip("/").split("/")[1])
            else:
                errors.append(status)
        with lock:
            latencies.extend(times)
            created.extend(mine)

    threads = [
        threading.Thread(target=run, args=(b, csrf, i)) for i, (b, csrf) in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    in_db = Appeal.objects.count() - before
    distinct = len(set(created))
    found = Appeal.objects.filter(number__in=created).count()
    rate = len(created) / elapsed
    what = "Filing + appeal page" if follow else "Filing"
    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(
        f"{what}: {len(created)} appeals by {clients} clients in {elapsed:.1f} s "
        f"= {rate:.0f} appeals/s; POST median {median:.1f} ms, p95 {p95:.1f} ms; "
        f"errors {len(errors)}"
    )
    print(
        f"Reconciliation: {in_db} new rows, {distinct} distinct numbers answered, "
        f"{found} of them found"
    )
    assert in_db == distinct == found, "lost or doubled appeals"
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--filings", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-filing", action="store_true")
    parser.add_argument(
        "--follow", action="store_true", help="also load the appeal page after each filing"
    )
    parser.add_argument(
        "--pile", type=int, default=0, help="first move N appeals to the busiest deputy"
    )
    args = parser.parse_args()
    print(f"Database: {django.db.connection.vendor}, {Appeal.objects.count()} appeals")
    if args.pile:
        pile_on_busiest(args.pile)
    bench_dashboard(args.requests)
    if not args.skip_filing:
        bench_filing(args.filings, args.clients, args.workers, args.port, args.follow)


if __name__ == "__main__":
    main()
