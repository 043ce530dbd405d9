"""What webhooks add to an API filing: instructions of Python per filing (callgrind, 40
filings minus 10, over 30, as `filing_pieces.py` counts), with nobody subscribed and with
subscribers to `filed` (central-office accounts, who see every region's appeals, so
every filing queues a delivery for each). Nothing is sent: that is the beat job's work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/webhook_cost.py

About a minute per run, two runs a row. Adds filings and subscriptions (removed after)
to the database it runs on.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import in_process_env

SUBSCRIBERS = [0, 1, 5]


def instructions(subscribers: int, filings: int) -> int:
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--file", str(filings), "--subscribers", str(subscribers),
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    line = next(line for line in output.splitlines() if "Collected" in line)
    return int(line.rsplit(":", 1)[1])


def file(filings: int, subscribers: int):
    """The child: `subscribers` federal accounts subscribed to `filed`, then the filings."""
    os.environ.update(in_process_env())
    import django

    django.setup()

    from django.test import Client

    from accounts.models import User
    from appeals.models import WebhookDelivery, WebhookSubscription
    from bench.people import Filings

    WebhookSubscription.objects.filter(name="bench").delete()
    owners = User.objects.filter(role=User.Role.FEDERAL, is_active=True)[:1]
    WebhookSubscription.objects.bulk_create(
        WebhookSubscription(
            owner=owner, name="bench", url="https://crm.example.org/hook", secret="s" * 32,
            events=["filed"],
        )
        for owner in list(owners) * subscribers
    )  # fmt: skip
    appeals = Filings()
    client = Client()
    try:
        for _ in range(filings):
            appeals.file_in_process(client)
        queued = WebhookDelivery.objects.filter(subscription__name="bench").count()
        print(f"{filings} filings, {queued} deliveries queued", file=sys.stderr)
    finally:
        WebhookSubscription.objects.filter(name="bench").delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--subscribers", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.file is not None:
        return file(args.file, args.subscribers)
    print("Instructions of Python per API filing (callgrind, in-process):")
    base = None
    for subscribers in SUBSCRIBERS:
        per_filing = (instructions(subscribers, 40) - instructions(subscribers, 10)) / 30
        base = base if base is not None else per_filing
        more = "" if not subscribers else f"   +{(per_filing - base) / 1e6:5.2f} M"
        print(f"  {subscribers} subscribed to filed: {per_filing / 1e6:6.2f} M{more}", flush=True)


if __name__ == "__main__":
    main()
