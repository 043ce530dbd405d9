"""Fault drill: PostgreSQL restarts while people use the site (issue 6).

Starts gunicorn (production settings) on its own small database, keeps citizens
filing through the API and reading pages from several threads, restarts the
PostgreSQL cluster in the middle, and checks:

- no response is a 500: while the database is away the answer is 503 with
  Retry-After (a page, or JSON under /api/, asking to send again);
- the site recovers by itself, without restarting gunicorn, within 15 seconds of
  PostgreSQL accepting connections again;
- every filing is in the database exactly once: a client retries a refused filing
  with the same Idempotency-Key, so one that was committed before the connection
  broke is answered, not filed again.

Run by hand as root on a machine whose PostgreSQL may be restarted (it restarts the
whole cluster, every database on it):

    .venv/bin/python bench/drill_postgres_restart.py

Prints PASS or FAIL and exits 0 or 1. See docs/PERFORMANCE.md for a recorded run.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import HTTPS, gunicorn, production_env

DATABASE = "izb_drill"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
ENV = production_env(
    DATABASE_URL=DB_URL,
    LOG_LEVEL="ERROR",
    API_THROTTLE_FILING="100000/min",  # the drill files from few accounts
    API_THROTTLE_USER="100000/min",
    API_THROTTLE_ANON="100000/min",
)
PYTHON = str(ROOT / ".venv/bin/python")


def run(*command, env=ENV, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def prepare():
    subprocess.run(
        ["psql", ADMIN_URL, "-q", "-c", f"DROP DATABASE IF EXISTS {DATABASE}"], check=True
    )
    subprocess.run(["psql", ADMIN_URL, "-q", "-c", f"CREATE DATABASE {DATABASE}"], check=True)
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0")
    run(PYTHON, "manage.py", "seed_demo", "--deputies", "50", "--appeals", "500", "--seed", "3",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    script = (
        "from accounts.tokens import api_token_create;"
        "from accounts.models import User;"
        "import json;"
        "users = User.objects.filter(role='citizen').exclude(email_confirmed_at=None)"
        ".exclude(full_name='')[:20];"
        "print(json.dumps([api_token_create(user=u, name='drill')[1] for u in users]))"
    )
    out = run(PYTHON, "manage.py", "shell", "-c", script, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def restart_postgres():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []  # (time, kind, status)

    def add(self, kind, status):
        with self.lock:
            self.entries.append((time.monotonic(), kind, status))


def request(port, path, *, token=None, body=None, key=None):
    headers = dict(HTTPS)
    data = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if key:
        headers["Idempotency-Key"] = key
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return 0, b""


def filer(port, token, log, stop, filed):
    while not stop.is_set():
        key = uuid.uuid4().hex
        body = {"region": "77", "topic": "roads", "subject": "Проверка", "text": "Яма",
                "consent": True}  # fmt: skip
        while not stop.is_set():  # retry the same filing until it is answered
            status, content = request(port, "/api/v1/appeals/", token=token, body=body, key=key)
            log.add("file", status)
            if status in (200, 201):
                filed.append((key, json.loads(content)["number"]))
                break
            time.sleep(0.2)


def reader(port, log, stop):
    while not stop.is_set():
        for path in ("/", "/regions/77/", "/api/v1/regions/"):
            status, _ = request(port, path)
            log.add("read", status)
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8833)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()

    print("Preparing a small database …", flush=True)
    tokens = prepare()
    # The server's own log (the tracebacks of the refused requests) goes to a file.
    server_log = open(Path(tempfile.mkdtemp(prefix="izb-drill-")) / "server.log", "w")  # noqa: SIM115
    print(f"Server log: {server_log.name}", flush=True)
    server = gunicorn(args.port, workers=3, env=ENV, stdout=server_log, stderr=subprocess.STDOUT)
    log, stop, filed = Log(), threading.Event(), []
    try:
        threads = [
            threading.Thread(target=filer, args=(args.port, tokens[i], log, stop, filed))
            for i in range(4)
        ] + [threading.Thread(target=reader, args=(args.port, log, stop)) for _ in range(2)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 3)
        print("Restarting PostgreSQL …", flush=True)
        down_at = time.monotonic()
        restart_postgres()
        up_at = time.monotonic()
        print(f"pg_ctlcluster restart took {up_at - down_at:.1f} s", flush=True)
        time.sleep(max(0, args.seconds - (time.monotonic() - started)))
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()

    statuses = collections.Counter(status for _, _, status in log.entries)
    print("Responses by status:", dict(sorted(statuses.items())))
    after = [(t, s) for t, _, s in log.entries if t > up_at]
    recovered = next((t for t, s in after if s in (200, 201)), None)
    recovery = None if recovered is None else recovered - up_at
    # No failure once recovered: the app did not stay broken.
    tail_ok = all(0 < s < 500 for t, s in after if recovered and t > recovered + 5)

    check = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from appeals.models import Appeal; import json;"
         "print(json.dumps(list(Appeal.objects.exclude(idempotency_key='')"
         ".values_list('idempotency_key', 'number'))))"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    in_db = json.loads(check.stdout.strip().splitlines()[-1])
    keys = collections.Counter(key for key, _ in in_db)
    answered = {f"api:{key}": number for key, number in filed}
    lost = [k for k in answered if k not in keys]
    doubled = [k for k, n in keys.items() if n > 1]
    unanswered = [k for k in keys if k not in answered]
    print(f"Filings answered: {len(answered)}; in the database: {len(in_db)}; "
          f"lost {len(lost)}, doubled {len(doubled)}, "
          f"in the database but never answered {len(unanswered)}")  # fmt: skip
    print(f"Recovered {recovery:.1f} s after PostgreSQL was back" if recovery is not None
          else "Never recovered")  # fmt: skip

    ok = (
        statuses.get(500, 0) == 0
        and recovery is not None
        and recovery < 15
        and tail_ok
        and not lost
        and not doubled
    )
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
