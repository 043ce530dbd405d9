"""Duplicate detection on the planted corpus (tests/duplicates/corpus.py): precision and
recall of the text detector, what each signal flags, and what a fingerprint and the
filing step's check of one's own appeals cost in-process.

    .venv/bin/python bench/duplicates_eval.py [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing rounds")
    args = parser.parse_args()

    import django

    django.setup()
    from itertools import combinations

    from appeals import duplicates
    from core.text import lemma
    from tests.duplicates.corpus import appeals, evaluate

    rows = appeals()
    result = evaluate(rows)
    print(
        f"corpus: {result['appeals']} appeals, {result['true_pairs']} true duplicate pairs, "
        f"{result['candidates']} candidate pairs from the LSH bands"
    )
    print(
        f"text detector: {result['predicted']} pairs flagged, precision "
        f"{result['precision']:.3f}, recall {result['recall']:.3f} "
        f"(MinHash {duplicates.NUM_PERM} permutations, {duplicates.BANDS} bands of "
        f"{duplicates.ROWS}, threshold {duplicates.THRESHOLD})"
    )
    for a, b in result["missed"]:
        print(f"  missed: {rows[a]['group']} #{a} ~ #{b}")
    for a, b in result["false_positives"]:
        print(f"  false: {rows[a]['group']} #{a} ~ {rows[b]['group']} #{b}")
    keys = {r["id"]: duplicates.address_key(r["address"], region_code="16") for r in rows}
    same_house = [
        (a["group"], b["group"])
        for a, b in combinations(rows, 2)
        if keys[a["id"]] and keys[a["id"]] == keys[b["id"]] and a["group"] != b["group"]
    ]
    print(
        f"address signal: {len(same_house)} pairs of different problems at one house shown "
        f"as 'same address' (by design), e.g. {sorted(set(same_house))[:3]}"
    )

    texts = [r["text"] for r in rows]
    duplicates.fingerprint(texts[0])  # load the dictionaries
    per_text = []
    for _ in range(args.repeat):
        lemma.cache_clear()  # cold: every word through pymorphy again
        started = time.perf_counter()
        for text in texts:
            duplicates.fingerprint(text, address="ул. Ленина, д. 5", region_code="16")
        per_text.append((time.perf_counter() - started) / len(texts) * 1000)
    print(
        f"fingerprint of one appeal (cold lemma cache), median of {args.repeat}: "
        f"{statistics.median(per_text):.2f} ms"
    )
    warm = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for text in texts:
            duplicates.fingerprint(text)
        warm.append((time.perf_counter() - started) / len(texts) * 1000)
    print(f"fingerprint of one appeal (warm lemma cache): {statistics.median(warm):.2f} ms")


if __name__ == "__main__":
    main()
