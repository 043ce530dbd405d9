"""How long the hot-spot job takes (issue 22: ≤ 10 s at 1 M appeals on the 2-core
machine): `hot_spots_compute` as the beat job runs it, for the week of the newest appeal,
timed a few rounds (the first writes the alerts, the later ones refresh them).
`--plant N` first files N copies of one appeal of the newest week from N other
citizens (a spike in its cell), checks the job finds it, and rolls everything back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_h6_bench \\
        .venv/bin/python bench/hotspots_bench.py [--rounds 3] [--plant 40]
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

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from appeals.models import Appeal
from ratings.hotspots.services import hot_spots_compute, week_of
from ratings.models import HotSpotAlert


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--plant", type=int, default=0)
    args = parser.parse_args()
    if args.plant:
        with transaction.atomic():
            run(args, plant=args.plant)
            transaction.set_rollback(True)
    else:
        run(args)


def plant(n, today):
    """N copies of the newest appeal with a place, each from another citizen."""
    model = Appeal.objects.filter(municipality__isnull=False).latest("registered_at")
    citizens = (
        Appeal.objects.exclude(citizen_id=model.citizen_id)
        .exclude(citizen__isnull=True)
        .values_list("citizen_id", flat=True)
        .distinct()[:n]
    )
    copies = []
    for i, citizen_id in enumerate(citizens):
        copy = Appeal.objects.get(pk=model.pk)
        copy.pk, copy.citizen_id, copy.number = None, citizen_id, f"{model.number}-S{i}"
        copies.append(copy)
    Appeal.objects.bulk_create(copies)
    print(f"planted {len(copies)} appeals: {model.municipality} / {model.topic}")
    return model


def run(args, plant=0):
    appeals = Appeal.objects.count()
    newest = Appeal.objects.aggregate(newest=Max("registered_at"))["newest"]
    today = timezone.localdate(newest)
    since = week_of(today) - timezone.timedelta(weeks=13)
    in_window = Appeal.objects.filter(registered_at__date__gte=since).count()
    print(f"appeals: {appeals:,}; in the 14 weeks read: {in_window:,}; today: {today}")
    planted = globals()["plant"](plant, today) if plant else None
    times = []
    for round_ in range(args.rounds):
        started = time.perf_counter()
        written = hot_spots_compute(today=today)
        times.append(time.perf_counter() - started)
        print(f"round {round_ + 1}: {times[-1]:.2f} s, {written} alerts written")
    print(f"alerts stored: {HotSpotAlert.objects.count()}")
    if planted is not None:
        found = HotSpotAlert.objects.filter(
            week=week_of(today), topic__in=[planted.topic_id, planted.topic.parent_id or 0]
        ).values_list("municipality__name", "topic__name", "count", "baseline", "p_value")
        print("the planted spike's alerts:", list(found))
    print(f"best {min(times):.2f} s, worst {max(times):.2f} s (limit 10 s)")


if __name__ == "__main__":
    main()
