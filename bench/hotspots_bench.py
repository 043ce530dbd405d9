"""How long the hot-spot job takes (issue 22: ≤ 10 s at 1 M appeals on the 2-core
machine): `hot_spots_compute` as the beat job runs it, for the week of the newest appeal,
timed a few rounds (the first writes the alerts, the later ones refresh them).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_h6_bench \\
        .venv/bin/python bench/hotspots_bench.py [--rounds 3]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import in_process_env

os.environ.update(in_process_env())

import django

django.setup()

from django.db.models import Max
from django.utils import timezone

from appeals.models import Appeal
from ratings.hotspots.services import hot_spots_compute, week_of
from ratings.models import HotSpotAlert


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    appeals = Appeal.objects.count()
    newest = Appeal.objects.aggregate(newest=Max("registered_at"))["newest"]
    today = timezone.localdate(newest)
    since = week_of(today) - timezone.timedelta(weeks=13)
    in_window = Appeal.objects.filter(registered_at__date__gte=since).count()
    print(f"appeals: {appeals:,}; in the 14 weeks read: {in_window:,}; today: {today}")
    times = []
    for round_ in range(args.rounds):
        started = time.perf_counter()
        written = hot_spots_compute(today=today)
        times.append(time.perf_counter() - started)
        print(f"round {round_ + 1}: {times[-1]:.2f} s, {written} alerts written")
    print(f"alerts stored: {HotSpotAlert.objects.count()}")
    print(f"best {min(times):.2f} s, worst {max(times):.2f} s (limit 10 s)")


if __name__ == "__main__":
    main()
