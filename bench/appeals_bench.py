"""The busiest deputy's dashboard in every view and page, and filing through the page's
form as a browser does it (open the form, then post it).

Run by hand against a seeded PostgreSQL database of its own (see docs/PERFORMANCE.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/appeals_bench.py --busiest 20000 --filings 3000 --clients 16

Production settings throughout (bench/server.py), Redis for the cache and sessions.

1. Dashboard, in-process (server-side time: middleware, queries, template): the busiest
   deputy's dashboard in every view the page offers (each status, each order, overdue,
   due soon, a topic, a municipality, a search), each at page 1, a middle page and the
   last page; median and p95 with the page caches warm (the same request repeated) and
   cold (the cached template fragments dropped before each request). `--busiest N`
   first moves appeals of the region to that deputy until they have N.
2. The form, in-process: CPU time of Python and of its PostgreSQL backend per form
   page (GET) and per filing (POST), one at a time, and the queries of one form page;
   `--profile FILE` writes a cProfile of the form pages there and prints its top.
3. Filing through gunicorn (4 sync workers): each of 16 clients, signed in as
   citizens of its own in turn, opens the form of a region (GET), reads the CSRF token
   and the form's idempotency token from it and posts the appeal with the check page's
   "send" (filed at once), as fast as it can; with `--check` it posts the form to be
   checked first and then the check page's own form, as a browser goes through it.
   Prints filings per second; GET and POST latency at the client; the server's own
   time per request from gunicorn's access log; CPU per filing of the workers and of
   their PostgreSQL backends; and checks the database holds exactly the appeals
   answered with success.
"""

import argparse
import contextlib
import cProfile
import gc
import html
import http.client
import math
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import HTTPS, free_port, gunicorn, in_process_env

# One environment for this process and the server: the sessions this process makes are
# signed with the server's SECRET_KEY. No collected static files: whitenoise warns.
# Connections kept for the whole run (production: 60 s), so the CPU of the workers'
# PostgreSQL backends is read from the same processes at its start and end.
SERVER_ENV = in_process_env(PYTHONWARNINGS="ignore::UserWarning", CONN_MAX_AGE="3600")
os.environ.update(SERVER_ENV)
warnings.simplefilter("ignore")

import django

django.setup()

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import timezone

from appeals.filters import DeputyQueueFilter
from appeals.models import Appeal
from appeals.selectors import deputy_appeals
from appeals.views._common import PER_PAGE
from bench.cpu import cpu_seconds
from bench.people import filing_citizens, session_for
from bench.stats import percentile
from deputies.models import Deputy, Region

HEADERS = {"HTTP_X_FORWARDED_PROTO": HTTPS["X-Forwarded-Proto"]}
FORM = "/appeals/new/"


def busiest_deputy():
    return (
        Deputy.objects.filter(user__isnull=False)
        .annotate(n=Count("appeals"))
        .order_by("-n")
        .select_related("user")
        .first()
    )


def pile_on_busiest(extra=0, *, until=0):
    """Give the busiest deputy of the region with the most appeals `extra` more appeals of
    that region, or as many as they lack to have `until` (changes the bench database),
    to see the dashboard with tens of thousands of appeals on one deputy."""
    region_id = (
        Appeal.objects.values("region_id").annotate(n=Count("pk")).order_by("-n")[0]["region_id"]
    )
    busiest = (
        Deputy.objects.filter(user__isnull=False, region_id=region_id)
        .annotate(n=Count("appeals"))
        .order_by("-n")
        .first()
    )
    extra = max(extra, until - busiest.n)
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


# --- 1. The dashboard -------------------------------------------------------------


def dashboard_views(deputy) -> dict[str, tuple[dict, int]]:
    """Every view the dashboard's filter offers, each with the rows it lists: the
    default (open, nearest deadline first), each other status (the counters' links are
    among them), each order of the longest list (all), overdue and due soon, the
    deputy's commonest topic and municipality, and a search by number and by a word of
    a subject. Counted by the page's own FilterSet; adjust here when its filters change."""
    filters = DeputyQueueFilter.base_filters
    views = {"default": {}}
    for value, _ in filters["status"].extra["choices"]:
        if value != "open":
            views[f"status={value}"] = {"status": value}
    for value, _ in filters["ordering"].extra["choices"]:
        if value != "deadline":  # status=all above is ordered by deadline
            views[f"all, ordering={value}"] = {"status": "all", "ordering": value}
    views["overdue"] = {"overdue": "on"}
    views["due soon"] = {"due_soon": "on"}
    mine = Appeal.objects.filter(deputy=deputy)
    for field in ("topic", "municipality"):
        commonest = (
            mine.exclude(**{field: None})
            .values(field)
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        if commonest:
            views[f"all, {field}"] = {"status": "all", field: commonest[field]}
    latest = mine.order_by("-registered_at").values("number", "subject").first()
    if latest:
        views["all, search a number"] = {"status": "all", "q": latest["number"]}
        views["all, search a word"] = {"status": "all", "q": latest["subject"].split()[0]}
    today = timezone.localdate()
    counted = {}
    for name, query in views.items():
        listed = DeputyQueueFilter(
            QueryDict(urllib.parse.urlencode(query)),
            queryset=deputy_appeals(deputy_id=deputy.pk),
            region_id=deputy.region_id,
            today=today,
        )
        assert listed.is_valid(), (name, listed.errors)
        counted[name] = (query, listed.qs.count())
    return counted


def drop_page_caches():
    """The dashboard's cached template fragments (rows and filter form), not sessions."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("template.cache.*")
    else:
        cache.clear()


def timed_get(client, url, before=None) -> tuple[float, float]:
    """Wall and CPU (this process: Python) ms of one page."""
    if before:
        before()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, **HEADERS)
    elapsed = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def summary(samples) -> dict:
    if not samples:
        return dict.fromkeys(("p50", "p95", "cpu50", "cpu95"), math.nan)
    wall, cpu = [s[0] for s in samples], [s[1] for s in samples]
    return {
        "p50": statistics.median(wall),
        "p95": percentile(wall, 0.95),
        "cpu50": statistics.median(cpu),
        "cpu95": percentile(cpu, 0.95),
    }


def bench_dashboard(requests, cold):
    busiest = busiest_deputy()
    client = Client()
    client.cookies["sessionid"] = session_for(busiest.user)  # as after the code step
    views = dashboard_views(busiest)
    print(f"Busiest deputy: {busiest.full_name}, {busiest.n} appeals, {busiest.open_appeals} open")
    print(
        "ms per page, in-process: wall p50 and p95, Python's CPU p95, PostgreSQL's CPU mean; "
        "warm: the same page repeated, cold: cached fragments dropped before each"
    )
    print(
        f"{'dashboard view':28} {'rows':>6} {'page':>5} | {'warm p50':>8} {'p95':>6} "
        f"{'cpu95':>6} {'pg':>5} | {'cold p50':>8} {'p95':>6} {'cpu95':>6}"
    )
    results = {}
    for name, (query, rows) in views.items():
        pages = max(1, math.ceil(rows / PER_PAGE))
        for page in sorted({1, (pages + 1) // 2, pages}):
            url = "/dashboard/?" + urllib.parse.urlencode({**query, "page": page})
            for _ in range(5):
                timed_get(client, url)
            postgres = backend_cpu()
            warm = summary([timed_get(client, url) for _ in range(requests)])
            warm["pg"] = 1000 * (backend_cpu() - postgres) / requests
            cold_ = summary([timed_get(client, url, drop_page_caches) for _ in range(cold)])
            results[(name, page)] = (warm, cold_)
            print(
                f"{name:28} {rows:6} {page:5} | {warm['p50']:8.1f} {warm['p95']:6.1f} "
                f"{warm['cpu95']:6.1f} {warm['pg']:5.1f} | {cold_['p50']:8.1f} "
                f"{cold_['p95']:6.1f} {cold_['cpu95']:6.1f}"
            )
    for i, kind in enumerate(("warm", "cold")[: 2 if cold else 1]):
        for key in ("p95", "cpu95"):
            (name, page), result = max(results.items(), key=lambda item: item[1][i][key])
            print(f"Worst {kind} {key}: {result[i][key]:.1f} ms ({name}, page {page})")
    return results


# --- 2. The form, in-process --------------------------------------------------------


def token_from(page, name):
    """The value of the form's input `name` (the CSRF token, the idempotency token)."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert tag, f"no {name} in the form"
    return re.search(r'\bvalue="([^"]*)"', tag.group(0)).group(1)


def filing_form(rng, topics, n, csrf, token, code, *, check=False):
    """The form as the citizen fills it in. Sent with "confirm" (the check page's "send"
    button) it is filed at once; without, it is checked and shown back first."""
    form = {
        "csrfmiddlewaretoken": csrf,
        "region": code,
        "topic": rng.choice(topics),
        "subject": f"Нагрузочное обращение {n}",
        "text": "Прошу проверить работу сервиса под нагрузкой.",
        "consent": "on",
        "token": token,
    }
    return form if check else {**form, "confirm": "1"}


def confirmation(page) -> dict:
    """What the check page's form posts to file the appeal: its hidden fields (the form
    as typed, the tokens) and its "send" button."""
    block = re.search(r'<form[^>]*\bid="appeal-confirm"[^>]*>(.*?)</form>', page, re.S)
    assert block, "no check page"
    fields = {}
    for tag in re.findall(r'<input[^>]*\btype="hidden"[^>]*>', block.group(1)):
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields[re.search(r'\bname="([^"]*)"', tag).group(1)] = (
            html.unescape(value.group(1)) if value else ""
        )
    return {**fields, "confirm": "1"}


def number_from(location) -> str:
    """The appeal's number from where a filing sends the browser: /appeals/<number>/…"""
    return location.strip("/").split("/")[1]


def filing_choices():
    codes = list(
        Region.objects.filter(deputies__accepts_appeals=True)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    from appeals.models import Topic

    topics = list(Topic.objects.filter(is_active=True).values_list("pk", flat=True))
    return codes, topics


# Appeals one citizen files in a run. A person files a few a day, and the daily caps'
# check reads the citizen's last 24 hours: a few citizens filing thousands would make
# each filing read hundreds of rows. Each run signs in citizens of its own at random.
FILINGS_PER_CITIZEN = 10


def citizen_sessions(count) -> list[str]:
    """Sessions of `count` citizens who may file, picked at random, signed in without the
    deliberately slow password hash."""
    return [session_for(citizen) for citizen in filing_citizens().order_by("?")[:count]]


def backend_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cpu_seconds(cursor.fetchone()[0])


def bench_form_in_process(times, profile=None):
    codes, topics = filing_choices()
    sessions = citizen_sessions(math.ceil((times + 20) / FILINGS_PER_CITIZEN))
    client = Client()
    rng = random.Random(2)

    def get(code, n):
        client.cookies["sessionid"] = sessions[n % len(sessions)]
        response = client.get(f"{FORM}?region={code}", **HEADERS)
        assert response.status_code == 200
        return response.content.decode()

    def post(code, page, n):
        client.cookies["sessionid"] = sessions[n % len(sessions)]  # the page's citizen
        form = filing_form(
            rng, topics, 0, token_from(page, "csrfmiddlewaretoken"), token_from(page, "token"),
            code,
        )  # fmt: skip
        response = client.post(FORM, form, **HEADERS)
        assert response.status_code == 302, response.content[:500]

    for n in range(times, times + 20):  # warm: templates compiled, connections open, …
        code = rng.choice(codes)
        post(code, get(code, n), n)
    code = rng.choice(codes)
    with CaptureQueriesContext(connection) as queries:
        get(code, 0)
    print(f"One form page (region {code}): {len(queries)} queries")
    for query in queries.captured_queries:
        print(f"    {query['time']}s  {query['sql'][:150]}")

    regions = [rng.choice(codes) for _ in range(times)]
    pages, get_wall, post_wall = [], [], []
    python, postgres = time.process_time(), backend_cpu()
    for n, code in enumerate(regions):
        began = time.perf_counter()
        pages.append(get(code, n))
        get_wall.append((time.perf_counter() - began) * 1000)
    get_cost = (time.process_time() - python, backend_cpu() - postgres)
    python, postgres = time.process_time(), backend_cpu()
    for n, (code, page) in enumerate(zip(regions, pages, strict=True)):
        began = time.perf_counter()
        post(code, page, n)
        post_wall.append((time.perf_counter() - began) * 1000)
    post_cost = (time.process_time() - python, backend_cpu() - postgres)
    size = statistics.mean(len(page.encode()) for page in pages)
    print(f"In-process, one at a time, {times} each (random regions; page {size / 1024:.0f} KiB):")
    for what, (py, pg), wall in (("form page (GET)", get_cost, get_wall),
                                 ("filing (POST)", post_cost, post_wall)):  # fmt: skip
        print(
            f"  {what:16} Python {1000 * py / times:5.2f} ms  "
            f"PostgreSQL {1000 * pg / times:5.2f} ms"
            f"  wall p50 {statistics.median(wall):5.2f} ms  p95 {percentile(wall, 0.95):5.2f} ms"
        )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for n, code in enumerate(regions):
            get(code, n)
        profiler.disable()
        profiler.dump_stats(profile)
        stats = pstats.Stats(profile).strip_dirs()
        print(f"cProfile of {times} form pages in {profile} (cumulative, top 40):")
        stats.sort_stats("cumulative").print_stats(40)
    return get_cost, post_cost


# --- 3. Filing through gunicorn -------------------------------------------------------


class Browser:
    """A minimal cookie-keeping HTTP client: the load generator must stay cheap. It
    speaks to the server as the TLS proxy would pass a browser's requests on."""

    def __init__(self, port, sessions):
        self.port = port
        self.sessions = sessions  # of the citizens it files as, in turn
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {**HTTPS, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            origin = f"https://127.0.0.1:{self.port}"
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}{path}",
            }
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[key] = morsel.value
                else:  # deleted
                    self.cookies.pop(key, None)
        return response.status, response.getheader("Location"), content.decode()


def worker_pids(server) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def backends_of_this_database() -> list[int]:
    """PostgreSQL backends connected to this database, but this process's own: the
    workers', when the database is the bench's alone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


def cpu_of(pids) -> dict[int, float]:
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError):  # ended
            seconds[pid] = cpu_seconds(pid)
    return seconds


def cpu_since(before: dict[int, float], pids) -> float:
    """CPU seconds of `pids` since `before` (a process not there then counts whole)."""
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_of(pids).items())


def server_times(log_path) -> dict[str, list[float]]:
    """ms per request from gunicorn's access log (`%(D)s`: the worker's time on it,
    from the request read to the answer written): the form page, the check step (a post
    answered with the check page) and the filing (a post answered with a redirect)."""
    kinds = {("GET", "200"): "GET form", ("POST", "200"): "POST check", ("POST", "302"): "POST"}
    times = {kind: [] for kind in kinds.values()}
    for line in Path(log_path).read_text().splitlines():
        method, path, status, micros = line.split()
        if path == FORM and (method, status) in kinds:
            times[kinds[method, status]].append(int(micros) / 1000)
    return times


def bench_filing(filings, clients, workers, port, *, follow=False, check=False):
    log = Path(tempfile.mkdtemp(prefix="izb-bench-")) / "access.log"
    server = gunicorn(
        port,
        workers=workers,
        env=SERVER_ENV,
        options=("--access-logfile", log, "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"),
        stdout=subprocess.DEVNULL,
    )
    try:
        return _file_concurrently(filings, clients, port, follow, check, server, log)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.unlink(missing_ok=True)
        log.parent.rmdir()


def _file_concurrently(filings, clients, port, follow, check, server, log):
    per_client = filings // clients
    codes, topics = filing_choices()
    # Each client files as citizens of its own in turn (3 warm-up filings first).
    per_client_citizens = math.ceil((per_client + 3) / FILINGS_PER_CITIZEN)
    sessions = citizen_sessions(clients * per_client_citizens)
    browsers = [Browser(port, sessions[i::clients]) for i in range(clients)]
    get_times, post_times, created, warm, errors = [], [], [], [], []
    checks = []  # appended from the threads; the check step's POSTs, timed apart
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    warmed = threading.Barrier(clients + 1)

    def file_one(browser, rng, n, gets, posts, mine):
        code = rng.choice(codes)
        browser.cookies["sessionid"] = browser.sessions[n % len(browser.sessions)]
        began = time.perf_counter()
        status, _, page = browser.request("GET", f"{FORM}?region={code}")
        opened = time.perf_counter()
        if status != 200:
            errors.append(status)
            return
        form = filing_form(
            rng, topics, n, token_from(page, "csrfmiddlewaretoken"), token_from(page, "token"),
            code, check=check,
        )  # fmt: skip
        if check:
            status, _, checked = browser.request("POST", FORM, form)
            if status != 200:
                errors.append(status)
                return
            form = confirmation(checked)
        confirmed = time.perf_counter()
        status, location, _ = browser.request("POST", FORM, form)
        if follow and location:
            browser.request("GET", location)  # the receipt, as a browser lands on it
        else:
            # A browser shows the flash message on the next page and drops it; without
            # this the cookie would grow with every post and spill into the session.
            browser.cookies.pop("messages", None)
        done = time.perf_counter()
        gets.append((opened - began) * 1000)
        if check:
            checks.append((confirmed - opened) * 1000)
        posts.append((done - confirmed) * 1000)
        if status == 302 and location and location.startswith("/appeals/"):
            mine.append(number_from(location))
        else:
            errors.append(status)

    def run(browser, seed):
        rng = random.Random(seed)
        mine, gets, posts = [], [], []
        for n in range(per_client, per_client + 3):  # warm: workers' connections, caches
            file_one(browser, rng, n, [], [], mine)
        with lock:
            warm.extend(mine)
        mine = []
        warmed.wait()
        start.wait()
        for n in range(per_client):
            file_one(browser, rng, n, gets, posts, mine)
        with lock:
            get_times.extend(gets)
            post_times.extend(posts)
            created.extend(mine)

    threads = [threading.Thread(target=run, args=(b, i)) for i, b in enumerate(browsers)]
    for thread in threads:
        thread.start()
    warmed.wait()
    time.sleep(0.5)  # the workers write a request's log line after its answer
    Path(log).write_text("")  # the access log from here on
    pids = worker_pids(server)
    before = (cpu_of(pids), cpu_of(backends_of_this_database()), time.process_time())
    in_db_before = Appeal.objects.count()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    spent = (
        cpu_since(before[0], pids),
        cpu_since(before[1], backends_of_this_database()),
        time.process_time() - before[2],
    )

    measured = len(created)
    in_db = Appeal.objects.count() - in_db_before
    answered = created + warm
    distinct = len(set(answered))
    found = Appeal.objects.filter(number__in=answered).count()
    rate = measured / elapsed
    what = " + ".join(
        ["GET form", *(["POST check"] if check else []), "POST", *(["receipt"] if follow else [])]
    )
    print(
        f"Filing ({what}), {len(browsers)} clients, {len(pids)} workers: {measured} appeals "
        f"in {elapsed:.1f} s = {rate:.0f} filings/s; errors {len(errors)}"
    )
    timed = [("GET form", get_times), ("POST check", checks), ("POST", post_times)]
    for name, values in [(name, values) for name, values in timed if values]:
        print(
            f"  client {name:10} p50 {statistics.median(values):6.1f} ms  "
            f"p95 {percentile(values, 0.95):6.1f} ms"
        )
    for method, values in server_times(log).items():
        if values:
            print(
                f"  server {method:10} mean {statistics.mean(values):6.1f} ms  "
                f"p50 {statistics.median(values):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms"
                f"  (gunicorn's access log, {len(values)} requests)"
            )
    workers_ms, postgres_ms, client_ms = (1000 * seconds / max(1, measured) for seconds in spent)
    print(
        f"  CPU per filing ({what}): gunicorn workers {workers_ms:.2f} ms, their "
        f"PostgreSQL backends {postgres_ms:.2f} ms, this load generator {client_ms:.2f} ms"
    )
    print(
        f"Reconciliation: {in_db} new rows, {distinct} distinct numbers answered "
        f"({len(warm)} of them warm-up filings, before the count), {found} of them found"
    )
    assert in_db == measured and distinct == found == len(answered), "lost or doubled appeals"
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="per dashboard page, warm")
    parser.add_argument("--cold", type=int, default=20, help="per dashboard page, caches dropped")
    parser.add_argument("--form", type=int, default=200, help="form pages and posts in-process")
    parser.add_argument("--profile", help="write a cProfile of the in-process form pages here")
    parser.add_argument("--filings", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--skip-dashboard", action="store_true")
    parser.add_argument("--skip-form", action="store_true")
    parser.add_argument("--skip-filing", action="store_true")
    parser.add_argument(
        "--follow", action="store_true", help="also load the receipt after each filing"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="post the form to be checked first, then the check page's form to file it",
    )
    parser.add_argument(
        "--pile", type=int, default=0, help="first move N appeals to the busiest deputy"
    )
    parser.add_argument(
        "--busiest",
        type=int,
        default=0,
        help="first move appeals to the busiest deputy until they have N",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")
    print(f"Database: {connection.settings_dict['NAME']}, {Appeal.objects.count()} appeals")
    print("Load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if args.pile or busiest_deputy().n < args.busiest:
        pile_on_busiest(args.pile, until=args.busiest)
    # As config/gunicorn.py does in each worker: what start-up allocated is moved out of
    # the collector's sight, or a full collection lands inside a timed request.
    get_resolver().url_patterns  # noqa: B018  (imported for its side effect)
    gc.collect()
    gc.freeze()
    if not args.skip_dashboard:
        bench_dashboard(args.requests, args.cold)
    if not args.skip_form:
        bench_form_in_process(args.form, args.profile)
    if not args.skip_filing:
        connection.close()  # the workers' backends are then the database's only others
        port = args.port or free_port()
        bench_filing(
            args.filings, args.clients, args.workers, port, follow=args.follow, check=args.check
        )
    print("Load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
