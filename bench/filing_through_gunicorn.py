"""What gunicorn adds to a filing: the same API filings sent one at a time through one
gunicorn sync worker and made in-process with Django's test client, each measured as
CPU time per filing of the Python process and of PostgreSQL (from /proc). With nothing
else running, the difference is the server's own cost (HTTP parsing, the connection
per request, the request signals); under load the workers also share two cores with
everything else, which this leaves out on purpose. Production settings; adds filings
to the database it runs on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/filing_through_gunicorn.py
"""

import argparse
import http.client
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import gunicorn, in_process_env

# No collected static files: whitenoise warns, here and in the server.
SERVER_ENV = in_process_env(PYTHONWARNINGS="ignore::UserWarning")
os.environ.update(SERVER_ENV)
warnings.simplefilter("ignore")

import django

django.setup()

from django.db import connection
from django.test import Client

from bench.cpu import cpu_by_kind, cpu_seconds
from bench.people import Filings


def through_gunicorn(filings: Filings, times: int, port: int) -> dict:
    server = gunicorn(port, workers=1, env=SERVER_ENV, stdout=subprocess.DEVNULL)
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        worker = int(children[0])

        def file():
            # A connection per filing: sync workers close it after each answer.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            token, body = filings.next()
            headers = {**Filings.headers(token), "Content-Type": "application/json"}
            connection.request("POST", "/api/v1/appeals/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.status == 201, response.status

        for _ in range(50):
            file()  # warm: the worker's caches and connections
        python, client = cpu_seconds(worker), time.process_time()
        postgres = cpu_by_kind()["postgres"]
        for _ in range(times):
            file()
        return {
            "server_ms": 1000 * (cpu_seconds(worker) - python) / times,
            "postgres_ms": 1000 * (cpu_by_kind()["postgres"] - postgres) / times,
            "client_ms": 1000 * (time.process_time() - client) / times,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def in_process(filings: Filings, times: int) -> dict:
    api = Client()

    for _ in range(50):
        filings.file_in_process(api)
    python, postgres = time.process_time(), cpu_by_kind()["postgres"]
    for _ in range(times):
        filings.file_in_process(api)
    return {
        "server_ms": 1000 * (time.process_time() - python) / times,
        "postgres_ms": 1000 * (cpu_by_kind()["postgres"] - postgres) / times,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8830)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")
    filings = Filings()
    connection.close()  # the gunicorn run's PostgreSQL count is then the worker's alone
    served = through_gunicorn(filings, args.filings, args.port)
    direct = in_process(filings, args.filings)
    print(f"CPU per filing, {args.filings} filings each, one at a time:")
    print(
        f"  through gunicorn (1 sync worker)  Python {served['server_ms']:5.2f} ms  "
        f"PostgreSQL {served['postgres_ms']:5.2f} ms  client {served['client_ms']:5.2f} ms"
    )
    print(
        f"  in-process (test client)          Python {direct['server_ms']:5.2f} ms  "
        f"PostgreSQL {direct['postgres_ms']:5.2f} ms"
    )


if __name__ == "__main__":
    main()
