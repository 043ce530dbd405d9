"""CPU per request, in-process: what one API filing, one appeal (API and page), one
deputy dashboard and one rating table page cost the Python process and its PostgreSQL
backend, read from /proc (CPU time, not wall time, so a busy neighbour on the machine
matters less). Production settings; adds filings to the database it runs on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/cpu_per_request.py

To compare two interpreters or two commits, run it alternately with each, several
times, and compare medians (docs/PERFORMANCE.md).
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import HTTPS, in_process_env

os.environ.update(in_process_env())
warnings.simplefilter("ignore")  # no collected static files: whitenoise warns

import django

django.setup()

from django.db import connection
from django.test import Client

from appeals.models import Appeal
from bench.cpu import cpu_seconds
from bench.people import Filings, session_for
from deputies.models import CommitteeMembership, Deputy

HEADERS = {"HTTP_X_FORWARDED_PROTO": HTTPS["X-Forwarded-Proto"]}


def backend_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cpu_seconds(cursor.fetchone()[0])


def measure(call, times: int) -> dict:
    for _ in range(10):
        call()  # warm: templates compiled, connections open
    python, postgres = time.process_time(), backend_cpu()
    for _ in range(times):
        call()
    return {
        "python_ms": round(1000 * (time.process_time() - python) / times, 2),
        "postgres_ms": round(1000 * (backend_cpu() - postgres) / times, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=300)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")

    filings = Filings()
    api = Client()
    filed = {}  # the last appeal filed and its author's token, for the detail

    def file():
        token, response = filings.file_in_process(api)
        filed.update(number=response.json()["number"], token=token)

    def detail():
        path = f"/api/v1/appeals/{filed['number']}/"
        auth = f"Token {filed['token']}"
        assert api.get(path, HTTP_AUTHORIZATION=auth, **HEADERS).status_code == 200

    def page(client, path):
        def call():
            assert client.get(path, **HEADERS).status_code == 200

        return call

    deputy = Deputy.objects.filter(user__isnull=False).order_by("-open_appeals").first()
    member = CommitteeMembership.objects.order_by("region__code").first()
    dashboard, committee = Client(), Client()
    # Staff sessions as after the code step (django-otp's device in the session).
    dashboard.cookies["sessionid"] = session_for(deputy.user)
    committee.cookies["sessionid"] = session_for(member.user)

    results = {"file (API)": measure(file, args.filings)}
    author = Client()
    author.force_login(Appeal.objects.get(number=filed["number"]).citizen)
    results |= {
        "appeal detail (API)": measure(detail, args.pages),
        "appeal (page)": measure(page(author, f"/appeals/{filed['number']}/"), args.pages),
        "dashboard (page)": measure(page(dashboard, "/dashboard/"), args.pages),
        "rating table (page)": measure(page(committee, "/ratings/"), args.pages),
    }
    print(f"Python {sys.version.split()[0]} at {sys.executable}")
    for name, cost in results.items():
        python, postgres = cost["python_ms"], cost["postgres_ms"]
        print(f"{name:22} Python {python:6.2f} ms  PostgreSQL {postgres:5.2f} ms")


if __name__ == "__main__":
    main()
