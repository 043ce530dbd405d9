"""How long one topic suggestion takes in-process (issue 21: p95 ≤ 20 ms): the active
model (trained first if there is none), realistic texts of every length the form sees,
each suggested as the filing form's endpoint does it (appeals.selectors.
topic_suggestions: the model, its ranking, the words, the topic rows). The model is
loaded before timing, as a running process has it; lemmas are not warmed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_h2 \\
        .venv/bin/python bench/topic_bench.py [--rounds 5]
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

from appeals import selectors, suggestions
from appeals.data.topic_texts import TOPIC_TEXTS
from appeals.models import TopicModel
from appeals.services.topic_model import kzgov_rows, topic_model_train
from bench.stats import percentile

FILLER = (
    "Мы несколько раз обращались в администрацию и управляющую компанию, но ответа так и "
    "не получили. Прошу разобраться и сообщить, какие меры будут приняты и в какие сроки. "
)


def texts(rng):
    """Letters as people type them: a short one, a subject and a letter, a long one."""
    letters = [f"{subject}. {text}" for items in TOPIC_TEXTS.values() for subject, text in items]
    letters += [text for text, _slug in kzgov_rows()]
    rng.shuffle(letters)
    found = []
    for i, letter in enumerate(letters):
        if i % 3 == 0:
            found.append(letter[: rng.randint(30, 80)])  # the first words typed
        elif i % 3 == 1:
            found.append(letter)
        else:
            found.append(letter + " " + FILLER * rng.randint(2, 12))  # up to 2,000 chars
    # Words no one trained on: made-up typos, places.
    found += [t.replace("о", "а").replace("е", "и") for t in found[:100]]
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not TopicModel.objects.filter(is_active=True).exists():
        print("No active topic model: training one…")
        topic_model_train(progress=print)
    suggestions.active.get()  # loaded once per process, then kept
    rng = random.Random(21)
    sample = texts(rng)
    print(f"{len(sample)} texts, {args.rounds} rounds; mean length "
          f"{sum(map(len, sample)) // len(sample)} chars")  # fmt: skip
    times, empty = [], 0
    for _round in range(args.rounds):
        for text in sample:
            started = time.perf_counter()
            found = selectors.topic_suggestions(text=text)
            times.append((time.perf_counter() - started) * 1000)
            empty += not found
    times.sort()
    print(
        f"suggestion: p50 {percentile(times, 0.50):.2f} ms, p95 {percentile(times, 0.95):.2f} ms, "
        f"p99 {percentile(times, 0.99):.2f} ms, max {times[-1]:.2f} ms "
        f"({len(times)} suggestions, {empty} with nothing to suggest)"
    )


if __name__ == "__main__":
    main()
