"""Duplicate detection on the planted corpus (tests/duplicates/corpus.py): precision and
recall of the text detector, what each signal flags, and what a fingerprint and the
filing step's check of one's own appeals cost in-process.

    .venv/bin/python bench/duplicates_eval.py [--repeat 5]

With --database, on the database of DATABASE_URL (a seeded demo): fingerprints every
appeal without one (`manage.py fingerprint_appeals`' service, timed), then times the
"similar appeals" lookup of the appeal page for sampled appeals of the busiest deputy
(as that deputy) and of the busiest region (as its committee), and prints the plan of
the band lookup:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_h4 \
        .venv/bin/python bench/duplicates_eval.py --database --sample 200
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
    parser.add_argument("--database", action="store_true", help="the lookup on a database")
    parser.add_argument("--sample", type=int, default=200, help="appeals looked up")
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
    if args.database:
        lookups(args.sample)


def lookups(sample):
    from django.db import connection
    from django.db.models import Count

    from appeals import duplicates
    from appeals.models import Appeal, AppealBand
    from appeals.services.fingerprints import appeals_fingerprint_all
    from appeals.similar import appeal_similar
    from deputies.access import Scope
    from deputies.models import Deputy

    started = time.perf_counter()
    done = appeals_fingerprint_all()
    seconds = time.perf_counter() - started
    total = Appeal.objects.count()
    rate = f", {done / seconds:.0f} appeals/s" if done else ""
    print(f"fingerprinted {done} appeals of {total} in {seconds:.1f} s{rate}")

    busiest = Appeal.objects.values("deputy_id").annotate(n=Count("id")).order_by("-n").first()
    region = Appeal.objects.values("region_id").annotate(n=Count("id")).order_by("-n").first()
    deputy = Deputy.objects.get(pk=busiest["deputy_id"])
    as_deputy = Scope(role="deputy", user_id=deputy.user_id, deputy_id=deputy.pk)
    as_committee = Scope(role="committee", user_id=0, region_id=region["region_id"])
    cases = [
        (f"busiest deputy ({busiest['n']} appeals)", as_deputy,
         Appeal.objects.filter(deputy=deputy)),
        (f"committee of the busiest region ({region['n']} appeals)", as_committee,
         Appeal.objects.filter(region_id=region["region_id"])),
    ]  # fmt: skip
    for label, scope, appeals_qs in cases:
        ids = list(appeals_qs.order_by("?").values_list("pk", flat=True)[:sample])
        times, found = [], []
        for pk in ids:
            appeal = Appeal.objects.get(pk=pk)
            started = time.perf_counter()
            found.append(len(appeal_similar(scope=scope, appeal=appeal)))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"similar lookup, {label}, {len(ids)} appeals: p50 {statistics.median(times):.1f} "
            f"ms, p95 {p95:.1f} ms; similar found: median {statistics.median(found):.0f}, "
            f"max {max(found)}"
        )
    if connection.vendor == "postgresql":
        first = Appeal.objects.select_related("region", "fingerprint").get(pk=ids[0])
        bands = duplicates.bands_of(first.fingerprint.signature, first.region.code)
        query = (
            AppealBand.objects.filter(band__in=bands)
            .exclude(appeal_id=first.pk)
            .values_list("appeal_id", flat=True)
            .order_by()[:500]
        )
        print("plan of the band lookup:")
        print(query.explain(analyze=True))


if __name__ == "__main__":
    main()
