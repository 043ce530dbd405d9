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
import json
import os
import random
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import HTTPS, gunicorn, production_env

# One citizen files many times here: the per-citizen limit would answer 429.
SERVER_ENV = production_env(
    API_THROTTLE_FILING="1000000/min",
    LOG_LEVEL="ERROR",
    PYTHONWARNINGS="ignore::UserWarning",  # no collected static files: whitenoise warns
)
os.environ.update(SERVER_ENV)
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
warnings.simplefilter("ignore")

import django

django.setup()

from django.db import connection
from django.test import Client

from appeals.models import Topic
from bench.cpu import cpu_by_kind, cpu_seconds
from bench.people import filing_citizens, tokens_for
from deputies.models import Region


class Filings:
    """Valid filings by 200 citizens, as headers and a JSON body each."""

    def __init__(self):
        self.rng = random.Random(1)
        self.tokens = list(tokens_for(filing_citizens()[:200]).values())
        self.regions = list(Region.objects.values_list("code", flat=True))
        self.topics = list(Topic.objects.filter(is_active=True).values_list("slug", flat=True))

    def next(self) -> tuple[dict, str]:
        body = {
            "region": self.rng.choice(self.regions),
            "topic": self.rng.choice(self.topics),
            "subject": "Нагрузочный тест: яма во дворе",
            "text": "Прошу отремонтировать асфальт во дворе дома 12, яма уже полгода.",
            "consent": True,
        }
        headers = {
            **HTTPS,
            "Content-Type": "application/json",
            "Authorization": f"Token {self.rng.choice(self.tokens)}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        return headers, json.dumps(body)


def through_gunicorn(filings: Filings, times: int, port: int) -> dict:
    server = gunicorn(port, workers=1, env=SERVER_ENV, stdout=subprocess.DEVNULL)
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        worker = int(children[0])
        state = {"connection": None}

        def file():
            if state["connection"] is None:
                state["connection"] = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers, body = filings.next()
            state["connection"].request("POST", "/api/v1/appeals/", body=body, headers=headers)
            response = state["connection"].getresponse()
            response.read()
            assert response.status == 201, response.status
            if response.getheader("Connection", "").lower() == "close":
                state["connection"].close()  # sync workers close after each answer
                state["connection"] = None

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

    def file():
        headers, body = filings.next()
        response = api.post(
            "/api/v1/appeals/",
            data=body,
            content_type="application/json",
            headers={k: v for k, v in headers.items() if k != "Content-Type"},
        )
        assert response.status_code == 201, response.content[:300]

    for _ in range(50):
        file()
    python, postgres = time.process_time(), cpu_by_kind()["postgres"]
    for _ in range(times):
        file()
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
