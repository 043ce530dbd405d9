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
"""

import argparse
import collections
import gc
import os
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

from bench.appeals_bench import drop_page_caches
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="default: the form page of the median region")
    parser.add_argument("--as", dest="who", choices=("citizen", "deputy"), default="citizen")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument(
        "--cold", action="store_true", help="drop the cached template fragments before each"
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
    for _ in range(30):
        assert client.get(url, **HEADERS).status_code == 200
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
        client.get(url, **HEADERS)
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    per_request = 1000 * (time.process_time() - began - dropping) / args.requests
    print(f"{url}: {per_request:.2f} ms of CPU per request, {samples} samples")
    for title, counter, top in (("inclusive", inclusive, args.top), ("leaf", leaf, 25)):
        print(title)
        for (path, line, name), n in counter.most_common(top):
            print(f"  {100 * n / samples:5.1f} %  {per_request * n / samples:6.2f} ms  "
                  f"{path}:{line} {name}")  # fmt: skip


if __name__ == "__main__":
    main()
