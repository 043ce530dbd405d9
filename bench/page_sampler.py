"""Where one page's CPU goes, by sampling: SIGPROF every 0.5 ms of this process's CPU
time records the Python stack, over N requests of one URL in-process (production
settings, the collector frozen after start-up as in gunicorn). Prints each function's
inclusive share and ms per request. Unlike cProfile, whose cost per call inflates code
made of many small calls (the template engine), the shares are those of the unprofiled
page. Reads only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/page_sampler.py --requests 400            # the form page
    .venv/bin/python bench/page_sampler.py --url /dashboard/ --as deputy   # the busiest deputy
    .venv/bin/python bench/page_sampler.py --url /dashboard/ --as deputy --cold  # fragments dropped
    .venv/bin/python bench/page_sampler.py --post    # the form's post alone (each after its page)
"""

import argparse
import collections
import gc
import os
import random
import signal
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

from django.db.models import Count
from django.test import Client
from django.urls import get_resolver

from bench.appeals_bench import (
    FILINGS_PER_CITIZEN,
    FORM,
    citizen_sessions,
    drop_page_caches,
    filing_choices,
    filing_form,
    token_from,
)
from bench.people import filing_citizens, session_for
from deputies.models import Deputy, Region

HEADERS = {"HTTP_X_FORWARDED_PROTO": HTTPS["X-Forwarded-Proto"]}
SITE = str(ROOT / ".venv/lib/python3.11/site-packages") + "/"
INTERVAL = 0.0005


def median_region():
    counted = list(
        Region.objects.filter(deputies__in=Deputy.objects.accepting())
        .annotate(n=Count("deputies"))
        .order_by("n", "code")
    )
    return counted[len(counted) // 2]


UNCOUNTED = [0.0]  # CPU seconds of what is done between the samples: not the page's
SAMPLING = [False]


def poster(times):
    """Each call posts the form of a random region as its citizen (filed at once); the
    page it was read from is fetched with the profiler stopped."""
    codes, topics = filing_choices()
    sessions = citizen_sessions(times // FILINGS_PER_CITIZEN + 10)
    client, rng, n = Client(), random.Random(3), 0

    def post():
        nonlocal n
        n += 1
        code = rng.choice(codes)
        client.cookies["sessionid"] = sessions[n % len(sessions)]
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        t = time.process_time()
        page = client.get(f"{FORM}?region={code}", **HEADERS).content.decode()
        UNCOUNTED[0] += time.process_time() - t
        form = filing_form(rng, topics, 0, token_from(page, "csrfmiddlewaretoken"),
                           token_from(page, "token"), code)  # fmt: skip
        if SAMPLING[0]:
            signal.setitimer(signal.ITIMER_PROF, INTERVAL, INTERVAL)
        return client.post(FORM, form, **HEADERS)

    return post


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="default: the form page of the median region")
    parser.add_argument("--as", dest="who", choices=("citizen", "deputy"), default="citizen")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument(
        "--cold", action="store_true", help="drop the cached template fragments before each"
    )
    parser.add_argument(
        "--post", action="store_true", help="sample the form's posts (filing at once), not its page"
    )
    args = parser.parse_args()
    if args.who == "deputy":
        user = Deputy.objects.annotate(n=Count("appeals")).order_by("-n").first().user
    else:
        user = filing_citizens().last()
    url = args.url or f"/appeals/new/?region={median_region().code}"
    client = Client()
    client.cookies["sessionid"] = session_for(user)
    get_resolver().url_patterns  # noqa: B018  (as config/gunicorn.py: loaded, then frozen)
    request = (lambda: client.get(url, **HEADERS)) if not args.post else poster(args.requests)
    for _ in range(30):
        assert request().status_code in (200, 302)
    gc.collect()
    gc.freeze()

    inclusive, leaf = collections.Counter(), collections.Counter()
    samples = 0

    def sample(_signal, frame):
        nonlocal samples
        samples += 1
        seen = set()
        first = True
        while frame is not None:
            code = frame.f_code
            key = (code.co_filename.replace(SITE, "").replace(str(ROOT) + "/", ""),
                   code.co_firstlineno, code.co_name)  # fmt: skip
            if first:
                leaf[key] += 1
                first = False
            if key not in seen:
                inclusive[key] += 1
                seen.add(key)
            frame = frame.f_back

    signal.signal(signal.SIGPROF, sample)
    UNCOUNTED[0], SAMPLING[0] = 0.0, True
    began = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, INTERVAL, INTERVAL)
    dropping = 0.0
    for _ in range(args.requests):
        if args.cold:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            t = time.process_time()
            drop_page_caches()
            dropping += time.process_time() - t
            signal.setitimer(signal.ITIMER_PROF, INTERVAL, INTERVAL)
        request()
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    spent = time.process_time() - began - dropping - UNCOUNTED[0]
    per_request = 1000 * spent / args.requests
    what = "the form's post" if args.post else url
    print(f"{what}: {per_request:.2f} ms of CPU per request, {samples} samples")
    for title, counter, top in (("inclusive", inclusive, args.top), ("leaf", leaf, 25)):
        print(title)
        for (path, line, name), n in counter.most_common(top):
            print(f"  {100 * n / samples:5.1f} %  {per_request * n / samples:6.2f} ms  "
                  f"{path}:{line} {name}")  # fmt: skip


if __name__ == "__main__":
    main()
