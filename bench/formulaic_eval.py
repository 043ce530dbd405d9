"""Formulaic answers (issue 22): precision and recall of the `formulaic` flag on the
labelled corpus (tests/formulaic/corpus.py), then the cost of scoring one answer as the
region's scored answers grow (the near-duplicate lookup reads the band index, so it
must not grow with them). Everything is written in one transaction and rolled back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_h7 \\
        .venv/bin/python bench/formulaic_eval.py [--scale 20000] [--timed 200]
"""

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import in_process_env

os.environ.update(in_process_env(PYTHONWARNINGS="ignore::UserWarning"))
warnings.simplefilter("ignore")

import django

django.setup()

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals.models import Appeal, Message, Topic
from bench.stats import percentile
from feedback import formulaic
from feedback.models import AnswerBand, AnswerScore
from tests.factories import CitizenFactory, DeputyFactory
from tests.formulaic.corpus import APPEALS, SPECIFIC, TEMPLATES, load, metrics


class Rollback(Exception):
    pass


def report_corpus():
    start = time.perf_counter()
    scored = load([DeputyFactory() for _ in range(4)])
    seconds = time.perf_counter() - start
    found = metrics(scored)
    print(
        f"corpus: n={found['n']} precision={found['precision']:.3f} "
        f"recall={found['recall']:.3f} (tp={found['tp']} fp={found['fp']} fn={found['fn']}); "
        f"{seconds:.1f} s to file, answer and score them"
    )
    by_kind = {}
    for item, score in scored:
        kind = item.kind.rstrip("0123456789")
        hit, total = by_kind.get(kind, (0, 0))
        by_kind[kind] = (hit + (score.formulaic == item.formulaic), total + 1)
    print("  right by kind: " + ", ".join(f"{k} {h}/{t}" for k, (h, t) in sorted(by_kind.items())))


SENTENCES = [s.strip() + "." for text in SPECIFIC for s in text.split(". ") if s.strip()]


def _text(rng, n):
    """An answer-like text: three in ten a template, the rest three sentences of specific
    answers drawn at random (about the issue's 26 % of answers identical to another)."""
    if rng.random() < 0.3:
        return rng.choice(TEMPLATES).format(
            name="Иван Петрович", date=f"{n % 28 + 1} ноября", number=f"50-{n}",
            subject="Яма", address=f"ул. Ленина, д. {n % 90}",
        )  # fmt: skip
    return " ".join(rng.sample(SENTENCES, 3)) + f" Дом {n % 200}, квартира {n % 97}."


def report_scale(scale, timed):
    rng = random.Random(22)
    deputies = [DeputyFactory(region_code="50") for _ in range(20)]
    citizen, topic = CitizenFactory(), Topic.objects.first()
    now = timezone.now()

    def answers(count, offset):
        appeals = []
        for n in range(count):
            subject, address, text = APPEALS[n % len(APPEALS)]
            appeals.append(
                Appeal(
                    number=f"50-2026-{offset + n:07d}",
                    citizen=citizen,
                    region=deputies[0].region,
                    deputy=deputies[n % len(deputies)],
                    topic=topic,
                    subject=subject,
                    address=address,
                    text=text,
                    status="answered",
                    registered_at=now,
                    clock_started_at=now,
                    deadline=now.date(),
                    answered_at=now,
                    consent_at=now,
                    consent_version="1",
                )
            )
        Appeal.objects.bulk_create(appeals, batch_size=2000)
        messages = Message.objects.bulk_create(
            [
                Message(appeal=a, kind="answer", text=_text(rng, offset + i), created_at=now)
                for i, a in enumerate(appeals)
            ],
            batch_size=2000,
        )
        return [m.pk for m in messages]

    start = time.perf_counter()
    for message_id in answers(scale, 0):
        formulaic.answer_score(message_id=message_id)
    filled = time.perf_counter() - start
    bands = AnswerBand.objects.count()
    print(
        f"scale: scored {scale} answers of one region in {filled:.1f} s "
        f"({1000 * filled / scale:.1f} ms each); {bands} band rows"
    )
    ids = answers(timed, scale)
    times, statements = [], []
    for message_id in ids:
        with CaptureQueriesContext(connection) as ctx:
            begin = time.perf_counter()
            formulaic.answer_score(message_id=message_id)
            times.append(time.perf_counter() - begin)
        statements.append(len(ctx.captured_queries))
    flagged = AnswerScore.objects.filter(region=deputies[0].region, formulaic=True).count()
    print(
        f"  one more answer with {scale} scored in the region: median "
        f"{1000 * percentile(times, 0.5):.1f} ms, p95 {1000 * percentile(times, 0.95):.1f} ms, "
        f"{min(statements)}–{max(statements)} statements; {flagged} flagged in all"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20000)
    parser.add_argument("--timed", type=int, default=200)
    args = parser.parse_args()
    connection.force_debug_cursor = False
    try:
        with transaction.atomic():
            report_corpus()
            if args.scale:
                report_scale(args.scale, args.timed)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
