"""Where the appeal form's page (GET /appeals/new/?region=…) spends its time, in-process
and one at a time: CPU of Python per page beside a page of the same shell without the
form, and each piece of the form alone (building it, each field's HTML, its queries).
Production settings, the collector frozen after start-up as in gunicorn; reads only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/form_pieces.py

CPU time, not wall time, so a busy neighbour matters less; still run it twice. Counting
instructions instead, which a neighbour does not change (Python of one form page; with
`--post` of a page and its filing; `--url /consent/` the shell alone):

    for n in 10 40; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python bench/form_pieces.py --only $n 2>&1 | grep Collected; done
    # (second − first) / 30 = instructions per page
"""

import argparse
import gc
import os
import re
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import HTTPS, in_process_env

os.environ.update(in_process_env(PYTHONWARNINGS="ignore::UserWarning"))
warnings.simplefilter("ignore")

import django

django.setup()

from django.apps import apps
from django.db import connection
from django.db.models import Count
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import translation

from appeals.forms import AppealForm
from appeals.models import Topic
from bench.people import filing_citizens, session_for
from deputies.models import Deputy, Region

HEADERS = {"HTTP_X_FORWARDED_PROTO": HTTPS["X-Forwarded-Proto"]}
FORM = "/appeals/new/"


def cpu_ms(call, times) -> float:
    for _ in range(5):
        call()
    began = time.process_time()
    for _ in range(times):
        call()
    return 1000 * (time.process_time() - began) / times


def regions_by_deputies():
    """The regions with the median and the largest number of deputies one may choose."""
    counted = list(
        Region.objects.filter(deputies__in=Deputy.objects.accepting())
        .annotate(n=Count("deputies"))
        .order_by("n", "code")
    )
    return {"median": counted[len(counted) // 2], "largest": counted[-1]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=200)
    parser.add_argument(
        "--only",
        type=int,
        help="only open the median region's form N times (and post it, with --post), for "
        "counting instructions under callgrind",
    )
    parser.add_argument("--post", action="store_true")
    parser.add_argument("--url", help="with --only: this page instead of the form")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")
    get_resolver().url_patterns  # noqa: B018  (as config/gunicorn.py: loaded, then frozen)
    gc.collect()
    gc.freeze()

    citizen = filing_citizens().last()
    client = Client()
    client.cookies["sessionid"] = session_for(citizen)
    times = args.times
    if args.only is not None:
        return only(client, args)

    def page(url):
        def call():
            assert client.get(url, **HEADERS).status_code == 200

        return call

    print(f"CPU of Python per call, ms, {times} calls each (language ru)")
    print(f"  {'shell: the consent page, signed in':58} {cpu_ms(page('/consent/'), times):6.2f}")
    translation.activate("ru")
    for kind, region in regions_by_deputies().items():
        deputies = Deputy.objects.accepting().filter(region=region).count()
        url = f"/appeals/new/?region={region.code}"
        page(url)()
        with CaptureQueriesContext(connection) as queries:
            page(url)()
        count = len(queries)  # before the next request clears the log
        label = f"form page, region {region.code} ({kind}: {deputies} deputies)"
        print(f"  {label:58} {cpu_ms(page(url), times):6.2f}  ({count} queries)")
        print("    pieces (each field as the page draws it, with what it reads):")
        print(f"    {'building the form':56} {measure_form(region, citizen, times, None):6.2f}")
        for name in AppealForm(None, region=region, user=citizen).fields:
            label = f"field {name}"
            print(f"    {label:56} {measure_form(region, citizen, times, name):6.2f}")


def only(client, args):
    """N pages (and posts) and nothing else: run twice with two N under callgrind and
    divide the difference of the instructions by the difference of N."""
    region = regions_by_deputies()["median"]
    url = args.url or f"/appeals/new/?region={region.code}"
    topic = Topic.objects.filter(is_active=True).order_by("pk").first()
    # As many sessions made whatever N (the difference of two runs is then requests
    # alone); with --post each files as another citizen, as people do, so the daily caps'
    # read of the citizen's last 24 hours stays as short as theirs.
    citizens = filing_citizens().order_by("?")[: max(args.only, 40) if args.post else 1]
    sessions = [session_for(citizen) for citizen in citizens]
    for n in range(args.only):
        client.cookies["sessionid"] = sessions[n % len(sessions)]
        response = client.get(url, **HEADERS)
        assert response.status_code == 200
        if args.post:
            page = response.content.decode()
            tag = re.search(r'<input[^>]*\bname="token"[^>]*>', page).group(0)
            token = re.search(r'\bvalue="([^"]+)"', tag).group(1)
            form = {
                "region": region.code,
                "topic": topic.pk,
                "subject": f"Счёт инструкций {n}",
                "text": "Прошу проверить работу сервиса.",
                "consent": "on",
                "token": token,
                "confirm": "1",  # filed at once, past the check step where there is one
            }
            assert client.post(FORM, form, **HEADERS).status_code == 302


def measure_form(region, citizen, times, field) -> float:
    """CPU per call of building the form (`field` None) or of drawing one of its fields,
    the forms built outside the clock. A field is drawn as the page draws it: through
    django-bootstrap5 when it is installed, else the widget alone."""

    def build():
        return AppealForm(None, region=region, user=citizen, initial={"token": "x" * 32})

    if field is None:
        return cpu_ms(build, times)
    if apps.is_installed("django_bootstrap5"):
        template = Template("{% load django_bootstrap5 %}{% bootstrap_field field %}")

        def draw(form):
            template.render(Context({"field": form[field]}))
    else:

        def draw(form):
            str(form[field])

    forms = [build() for _ in range(times + 5)]
    for form in forms[:5]:
        draw(form)
    began = time.process_time()
    for form in forms[5:]:
        draw(form)
    return 1000 * (time.process_time() - began) / times


if __name__ == "__main__":
    main()
