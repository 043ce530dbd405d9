"""Load test of the production shape on this machine (issue 6): gunicorn, PostgreSQL,
Redis, a Celery worker with beat, and locust in headless mode driving a mix of
citizens filing and reading, deputies working their queues and answering, and
committees reading rating tables. Then the reconciliation: every filing that got a
success answer is in the database exactly once, and nothing else was created.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench \
    REDIS_URL=redis://127.0.0.1:6379/3 \
        .venv/bin/python bench/loadtest.py --users 50 --run-time 5m

The database must be seeded first (seed_demo --deputies 3000 --appeals 1000000).
Results and the exact commands are in docs/PERFORMANCE.md.
"""

import argparse
import contextlib
import csv
import http.client
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.cpu import PROCESS_KINDS, cpu_by_kind
from bench.server import HTTPS, gunicorn, production_env

SERVER_ENV = production_env()
os.environ.update(SERVER_ENV)  # this script reads the same database with the same settings

import django

django.setup()

from django.conf import settings
from django.db.models import Count, Q

from accounts.models import User
from appeals.models import Appeal, Topic
from bench.people import filing_citizens, session_for, tokens_for
from deputies.models import Deputy, Region


def prepare(citizens: int, deputies: int) -> dict:
    filers = list(filing_citizens()[:citizens])
    readers = filers[:200]
    busy = list(
        Deputy.objects.filter(accepts_appeals=True)
        .annotate(queue=Count("appeals", filter=Q(appeals__status="assigned")))
        .filter(queue__gt=0)
        .order_by("-queue")
        .select_related("user")[:deputies]
    )
    committees = list(
        User.objects.filter(role="committee").select_related("committee_membership__region")
    )
    token = tokens_for([*filers, *(d.user for d in busy), *committees])
    accepting = Region.objects.filter(deputies__accepts_appeals=True).distinct()
    return {
        "citizens": [{"token": token[u.pk]} for u in filers],
        "readers": [{"token": token[u.pk], "session": session_for(u)} for u in readers],
        "deputies": [{"token": token[d.user_id], "session": session_for(d.user)} for d in busy],
        "committees": [
            {
                "token": token[u.pk],
                "session": session_for(u),
                "region": u.committee_membership.region.code,
            }
            for u in committees
        ],
        "regions": list(accepting.values_list("code", flat=True)),
        "topics": list(Topic.objects.filter(is_active=True).values_list("slug", flat=True)),
    }


def warm_up(port, accounts):
    """A few requests of each kind first, so every gunicorn worker has compiled its
    templates and loaded its catalogues: a server in service is warm."""
    deputy, member = accounts["deputies"][0], accounts["committees"][0]
    calls = [
        ("/dashboard/", {"Cookie": f"sessionid={deputy['session']}"}),
        ("/ratings/", {"Cookie": f"sessionid={member['session']}"}),
        ("/appeals/", {"Cookie": f"sessionid={accounts['readers'][0]['session']}"}),
        ("/api/v1/appeals/", {"Authorization": f"Token {accounts['readers'][0]['token']}"}),
        (f"/api/v1/ratings/regions/{member['region']}/",
         {"Authorization": f"Token {member['token']}"}),
    ]  # fmt: skip
    for _ in range(10):
        for path, headers in calls:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={**HTTPS, **headers})
            connection.getresponse().read()


# Weights of the kinds of simulated people beside the filers (bench/locustfile.py):
# with 50 users and 30 filers, 8 readers, 8 deputies and 4 committee members.
OTHER_WEIGHTS = {"READERS": 8, "DEPUTIES": 8, "COMMITTEES": 4}


@contextlib.contextmanager
def production_shape(port: int, workers: int, options=()):
    """The production shape's processes on this machine, stopped on leaving: a Celery
    worker with beat, and gunicorn with the site's settings, serving the collected static
    files as the image does (the Dockerfile)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=SERVER_ENV, check=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--beat", "--concurrency",
         "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=SERVER_ENV,
    )  # fmt: skip
    try:
        server = gunicorn(port, workers=workers, env=SERVER_ENV, options=options)
        try:
            yield server
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=120)


def locust(port, *, users, run_time, csv_prefix, accounts, filed, filers, filing_rate,
           spawn_rate=10, wait=True):  # fmt: skip
    """locust headless with bench/locustfile.py: `filers` filing citizens (a weight; 0 for
    none) beside the other people by OTHER_WEIGHTS. Waits for it to end, or returns the
    running process."""
    command = [
        str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", run_time, "--host", f"http://127.0.0.1:{port}",
        "--csv", str(csv_prefix), "--csv-full-history", "--only-summary",
        "--stop-timeout", "10",
    ]  # fmt: skip
    env = {
        **os.environ,
        "LOADTEST_ACCOUNTS": str(accounts),
        "LOADTEST_FILED": str(filed),
        "LOADTEST_FILERS": str(filers),
        **{f"LOADTEST_{kind}": str(weight) for kind, weight in OTHER_WEIGHTS.items()},
        "LOADTEST_FILING_RATE": str(filing_rate),
    }
    if wait:
        return subprocess.run(command, env=env, check=False)
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


def children_cpu() -> float:
    """CPU seconds of this script's ended children: the load generator's."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def first_new_appeal_pk() -> int:
    return (Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def reconcile(answered: list, first_new_pk: int, cut_off=frozenset()) -> bool:
    """Every filing answered 201 ((idempotency key, number) pairs) is in the database
    exactly once with its number, and nothing else was created since `first_new_pk`
    but the filings in `cut_off` (keys): sent, and their answers dropped by a load
    generator that stops at its deadline. A citizen's retry with the same key would
    get that appeal, so they may exist, once."""
    keys = [f"api:{key}" for key, _number in answered]
    created = Appeal.objects.filter(pk__gte=first_new_pk)
    in_db = dict(created.values_list("idempotency_key", "number"))
    lost = [key for key in keys if key not in in_db]
    wrong = [key for key, number in answered if in_db.get(f"api:{key}") not in (None, number)]
    doubled = created.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1).count()
    count = created.count()
    in_flight = len(in_db.keys() & {f"api:{key}" for key in cut_off})
    extra = count - len(set(keys)) - in_flight
    ending = f"; cut off at the end {len(cut_off)}, {in_flight} of them created" if cut_off else ""
    print(f"Reconciliation: {len(answered)} filings answered 201; in the database "
          f"{count}; lost {len(lost)}, doubled {doubled}, mismatched {len(wrong)}, "
          f"created without a success answer {extra}{ending}")  # fmt: skip
    return not lost and not doubled and not wrong and extra == 0


def report_cpu(before: dict, after: dict, load_generators: dict, seconds: float):
    spent = {kind: after[kind] - before[kind] for kind in PROCESS_KINDS} | load_generators
    print(f"\nCPU during the run ({seconds:.0f} s, {os.cpu_count()} cores):")
    for kind, used in spent.items():
        print(f"  {kind:24} {used:8.1f} s  {100 * used / seconds:5.0f} % of one core")


def report(stats_csv: Path):
    rows = list(csv.DictReader(stats_csv.open()))
    heading = ("request", "count", "req/s", "median", "p95", "p99", "fail")
    print("\n{:34} {:>8} {:>8} {:>7} {:>6} {:>6} {:>5}".format(*heading))
    for row in rows:
        print(
            f"{row['Name']:34} {row['Request Count']:>8} {float(row['Requests/s']):8.1f} "
            f"{row['50%']:>7} {row['95%']:>6} {row['99%']:>6} {row['Failure Count']:>5}"
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--run-time", default="5m")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8811)
    parser.add_argument("--filers", type=int, default=30, help="weight of filing citizens")
    parser.add_argument("--filing-rate", type=float, default=0.5, help="filings/s per filer")
    parser.add_argument("--citizens", type=int, default=3000, help="accounts filing")
    parser.add_argument("--deputies", type=int, default=300)
    parser.add_argument("--access-log", help="gunicorn access log with request times (µs)")
    parser.add_argument(
        "--gunicorn", default="", help='more gunicorn options, e.g. "--worker-class gthread"'
    )
    args = parser.parse_args()
    if connection_vendor() != "postgresql" or not settings.REDIS_URL:
        raise SystemExit("Set DATABASE_URL to PostgreSQL and REDIS_URL: the production shape.")

    vacuum_if_autovacuum_is_off()
    work = Path(tempfile.mkdtemp(prefix="izb-load-"))
    accounts = work / "accounts.json"
    filed = work / "filed.json"
    print("Preparing accounts …", flush=True)
    accounts.write_text(json.dumps(prepare(args.citizens, args.deputies)))
    first_new_pk = first_new_appeal_pk()

    access_log = (
        ["--access-logfile", args.access_log, "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"]
        if args.access_log
        else []
    )
    options = [*access_log, *shlex.split(args.gunicorn)]
    with production_shape(args.port, args.workers, options):
        warm_up(args.port, json.loads(accounts.read_text()))
        print(f"Load: {args.users} users for {args.run_time} …", flush=True)
        cpu_before, children_before = cpu_by_kind(), children_cpu()
        started = time.monotonic()
        locust(
            args.port, users=args.users, run_time=args.run_time, csv_prefix=work / "load",
            accounts=accounts, filed=filed, filers=args.filers, filing_rate=args.filing_rate,
            spawn_rate=args.spawn_rate,
        )  # fmt: skip
        load_generator = children_cpu() - children_before
        cpu_after, seconds = cpu_by_kind(), time.monotonic() - started

    rows = report(work / "load_stats.csv")
    report_cpu(cpu_before, cpu_after, {"locust (load generator)": load_generator}, seconds)
    failures = list(csv.DictReader((work / "load_failures.csv").open()))
    server_errors = sum(
        int(f["Occurrences"])
        for f in failures
        if f["Error"].removeprefix("HTTPError(").startswith("5")
    )
    for failure in failures:
        print(f"failure: {failure['Name']}: {failure['Error'][:160]} × {failure['Occurrences']}")

    total = next(r for r in rows if r["Name"] == "Aggregated")
    filing = next((r for r in rows if r["Name"] == "file (API)"), None)
    print(f"\nTotal: {total['Request Count']} requests, {float(total['Requests/s']):.1f}/s, "
          f"{total['Failure Count']} failures, {server_errors} server errors (5xx)")  # fmt: skip
    if filing:
        # locust shares the users out by weight.
        filers = round(args.users * args.filers / (args.filers + sum(OTHER_WEIGHTS.values())))
        offered = filers * args.filing_rate
        print(f"Filing: {float(filing['Requests/s']):.1f} appeals/s of {offered:.0f}/s offered, "
              f"median {filing['50%']} ms, p95 {filing['95%']} ms")  # fmt: skip
    ok = reconcile(json.loads(filed.read_text()), first_new_pk) and server_errors == 0
    print("PASS" if ok else "FAIL")
    print(f"(locust CSVs in {work})")
    sys.exit(0 if ok else 1)


def vacuum_if_autovacuum_is_off():
    """A database in service is kept vacuumed by autovacuum. Where it is off (as on the
    development machine's PostgreSQL), earlier runs' rows are vacuumed first, or each
    run would start from a database no production server has."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "off":
            print("autovacuum is off on this server: VACUUM (ANALYZE) first …", flush=True)
            cursor.execute("VACUUM (ANALYZE)")


def connection_vendor():
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
