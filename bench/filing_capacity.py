"""Filing capacity of the production shape on this machine (issue 6): citizens filing
through the API at a fixed offered rate, as a Poisson stream (open loop), for a fixed
time; then the same reconciliation as the load test. The filings come from wrk (C,
Debian's package, scripted by bench/filing.lua), which spends about a twentieth of the
CPU per request that locust does, so that on two shared cores the server, not the load
generator, is measured. They go through nginx in front of gunicorn, as the production
shape's proxy stands (wrk opens its connections before it writes on them, which no
sync worker should see; `bench.server.proxy`). With `--mix`, locust runs the load
test's readers, deputies and committee members beside it, so the pages are measured
under the filing load too.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/filing_capacity.py --rate 300 --run-time 2m

Needs wrk and nginx (`apt-get install wrk nginx-light`) and the load test's seeded
database.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.cpu import cpu_by_kind
from bench.loadtest import (
    OTHER_WEIGHTS,
    children_cpu,
    first_new_appeal_pk,
    locust,
    prepare,
    production_shape,
    reconcile,
    report,
    report_cpu,
    vacuum_if_autovacuum_is_off,
    warm_up,
)
from bench.server import proxy
from bench.stats import percentile


def lua_data(accounts: dict) -> str:
    """The accounts as a Lua table for bench/filing.lua (json.dumps quotes as Lua does)."""

    def array(values):
        return "{" + ", ".join(json.dumps(value) for value in values) + "}"

    tokens = [citizen["token"] for citizen in accounts["citizens"]]
    return (
        f"return {{tokens = {array(tokens)}, regions = {array(accounts['regions'])}, "
        f"topics = {array(accounts['topics'])}}}\n"
    )


def answers(output: Path) -> tuple[Counter, list, set]:
    """wrk's record: statuses counted, (key, number) of each 201, and the keys sent
    but not answered before wrk stopped."""
    statuses, created, unanswered = Counter(), [], set()
    for path in output.parent.glob(output.name + ".*"):
        for line in path.read_text().splitlines():
            status, key, number = line.split(" ")
            if status == "0":
                unanswered.add(key)
                continue
            unanswered.discard(key)
            statuses[int(status)] += 1
            if status == "201":
                created.append((key, number))
    return statuses, created, unanswered


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=300, help="filings/s offered")
    parser.add_argument("--run-time", default="2m", help="wrk's duration, e.g. 2m or 90s")
    parser.add_argument("--connections", type=int, default=64, help="wrk's connections")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8812)
    parser.add_argument("--citizens", type=int, default=3000, help="accounts filing")
    parser.add_argument("--mix", action="store_true", help="the load test's other people too")
    parser.add_argument("--access-log", help="nginx's log of each request's end and times (s)")
    args = parser.parse_args()
    if not (shutil.which("wrk") and shutil.which("nginx")):
        raise SystemExit("wrk and nginx are needed: apt-get install wrk nginx-light")

    vacuum_if_autovacuum_is_off()
    work = Path(tempfile.mkdtemp(prefix="izb-filing-"))
    print("Preparing accounts …", flush=True)
    accounts = prepare(args.citizens, deputies=300)
    (work / "accounts.json").write_text(json.dumps(accounts))
    (work / "data.lua").write_text(lua_data(accounts))
    output = work / "answers"
    first_new_pk = first_new_appeal_pk()

    site = args.port + 1  # gunicorn's; the load goes through the proxy on args.port
    with production_shape(site, args.workers), proxy(args.port, site, args.access_log):
        warm_up(args.port, accounts)
        print(f"Filing at {args.rate:g}/s offered for {args.run_time} …", flush=True)
        cpu_before, children_before = cpu_by_kind(), children_cpu()
        started = time.time()  # nginx logs by the same clock
        mix = start_mix(args, work) if args.mix else None
        wrk = subprocess.run(
            ["wrk", "--threads", "1", "--connections", str(args.connections),
             "--duration", args.run_time, "--timeout", "10s",
             "--script", str(ROOT / "bench/filing.lua"), f"http://127.0.0.1:{args.port}",
             "--", str(work / "data.lua"), str(args.rate), str(output)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if mix is not None:
            mix.wait()
        generators = children_cpu() - children_before
        cpu_after, seconds = cpu_by_kind(), time.time() - started

    print(wrk.stdout.strip(), wrk.stderr.strip(), sep="\n")
    if mix is not None:
        report(work / "load_stats.csv")
    report_cpu(cpu_before, cpu_after, {"wrk and locust" if mix else "wrk": generators}, seconds)
    if args.access_log:
        report_stretches(Path(args.access_log), started, seconds)
    statuses, created, unanswered = answers(output)
    filings = sum(statuses.values())
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    print(f"\nFiling: {len(created) / seconds:.1f} appeals/s answered 201 of {args.rate:g}/s "
          f"offered; answers by status {dict(sorted(statuses.items()))}; "
          f"{server_errors} server errors (5xx)")  # fmt: skip
    ok = reconcile(created, first_new_pk, unanswered) and server_errors == 0 and filings > 0
    print("PASS" if ok else "FAIL")
    print(f"(wrk's record in {work})")
    sys.exit(0 if ok else 1)


def report_stretches(access_log: Path, started_at: float, seconds: float, stretch=30):
    """From nginx's log: the p95 of each whole `stretch` seconds of the run, which shows
    a queue that builds and drains where the run's p95 does not."""
    times = defaultdict(list)
    for line in access_log.read_text().splitlines():
        ended, took = map(float, line.split()[:2])
        if ended >= started_at:
            times[int((ended - started_at) // stretch)].append(1000 * took)
    whole = [times[n] for n in range(int(seconds // stretch)) if times[n]]
    p95s = [percentile(stretch_times, 0.95) for stretch_times in whole]
    if p95s:
        print(f"\nnginx: p95 (ms) of each {stretch} s: {' '.join(f'{p:.0f}' for p in p95s)}; "
              f"worst {max(p95s):.0f}")  # fmt: skip


def start_mix(args, work: Path):
    """locust with the load test's readers, deputies and committee members, no filers,
    for the same time as wrk."""
    users = sum(OTHER_WEIGHTS.values())
    return locust(
        args.port, users=users, run_time=args.run_time, csv_prefix=work / "load",
        accounts=work / "accounts.json", filed=work / "locust-filed.json", filers=0,
        filing_rate=1, spawn_rate=users, wait=False,
    )  # fmt: skip


if __name__ == "__main__":
    main()
