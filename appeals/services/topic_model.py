"""Training, evaluating and activating the topic-suggestion model (appeals.suggestions).

Training data, labelled with topic slugs of the tree:
- KZgovData (appeals/data/kzgovdata, MIT): 1,200 complaints, their Russian text, its
  10 categories mapped to the tree (SOURCE.md there); repeated texts counted once;
- the demo texts (appeals/data/topic_texts.py, the demo seeder's too), several per
  subtopic;
- the platform's confirmed topics once at least PLATFORM_MIN exist: appeals whose
  citizen chose a topic that the deputy did not correct by the time the appeal was
  answered, and appeals the deputy corrected (their corrected topic).

Evaluation: a model fitted on four fifths of the data (a stratified split, fixed
seed) is measured on the fifth left out; a model fitted without the demo texts is
measured on them (texts written differently from the rest). Then the model is fitted
on everything and stored with both results.
"""

import csv
import hashlib
import time
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.db.models import F, Max, Q

from .. import suggestions
from ..data.topic_texts import TOPIC_TEXTS
from ..models import Appeal, Topic, TopicModel

KZGOV = Path(__file__).resolve().parent.parent / "data" / "kzgovdata" / "data.csv"
# KZgovData's categories on the tree: where a category is one subtopic it goes there.
KZGOV_TOPICS = {
    "ЖКХ": "housing",
    "медицина": "healthcare",
    "дороги": "roads",
    "образование": "education",
    "полиция": "safety-police",
    "общественный транспорт": "roads-transit",
    "экология": "environment",
    "интернет": "other-internet",
    "соцподдержка": "social",
    "коррупция": "safety-corruption",
}
# Below this many confirmed appeals the platform's own topics are too few to matter
# beside the shipped data (and would let a handful of appeals sway the model).
PLATFORM_MIN = 200
PLATFORM_MAX = 50_000  # the newest; training stays within seconds
SEED = 21
# The last fit of this process by its data: the same data gives the same model (the
# split and the fits are seeded), so the demo seeder run again does not fit again.
_fitted: dict[bytes, tuple[dict, bytes]] = {}


def tree_parents() -> dict:
    """Every topic's slug → its parent's slug (None at the top), from the database."""
    rows = Topic.objects.values_list("slug", "parent__slug")
    return dict(rows)


def kzgov_rows() -> list[tuple[str, str]]:
    seen, rows = set(), []
    with KZGOV.open(encoding="utf-8") as file:
        for record in csv.DictReader(file):
            text, slug = record["text_ru"].strip(), KZGOV_TOPICS.get(record["category"])
            if slug and text and text not in seen:
                seen.add(text)
                rows.append((text, slug))
    return rows


def demo_rows() -> list[tuple[str, str]]:
    return [
        (f"{subject}. {text}", slug)
        for slug, items in TOPIC_TEXTS.items()
        for subject, text in items
    ]


def confirmed_appeals():
    """The appeals whose topic is confirmed: corrected by the deputy, or chosen by the
    citizen and left as it was once the appeal was answered."""
    answered = [Appeal.Status.ANSWERED, Appeal.Status.CLOSED]
    return (
        Appeal.objects.filter(citizen_topic__isnull=False)
        .filter(~Q(citizen_topic=F("topic")) | Q(status__in=answered))
        .exclude(text="")
    )


def platform_rows() -> list[tuple[str, str]]:
    queryset = confirmed_appeals()
    if queryset.count() < PLATFORM_MIN:
        return []
    rows = queryset.order_by("-registered_at").values_list("subject", "text", "topic__slug")
    return [(f"{subject}. {text}", slug) for subject, text, slug in rows[:PLATFORM_MAX]]


def _known(rows, parents):
    return [(text, slug) for text, slug in rows if slug in parents]


def training_data(parents: dict) -> dict[str, list[tuple[str, str]]]:
    return {
        "kzgovdata": _known(kzgov_rows(), parents),
        "demo": _known(demo_rows(), parents),
        "platform": _known(platform_rows(), parents),
    }


def _split(rows, seed=SEED):
    from sklearn.model_selection import train_test_split

    labels = [slug for _text, slug in rows]
    counts = Counter(labels)
    stratify = labels if min(counts.values()) >= 2 else None
    return train_test_split(rows, test_size=0.2, random_state=seed, stratify=stratify)


def measure(fitted, rows, parents) -> dict:
    """Macro-F1 and top-1/top-3 accuracy at the top level, and the same for the texts
    labelled with a subtopic (the exact subtopic)."""
    from sklearn.metrics import f1_score

    if not rows:
        return {}
    truth_top, guess_top, hit3_top = [], [], 0
    truth_sub, guess_sub, hit1_sub, hit3_sub = [], [], 0, 0
    for text, slug in rows:
        ranked = suggestions.rank(fitted, text, limit=3)
        top = parents.get(slug) or slug
        tops = list(dict.fromkeys(c.top for c in ranked))
        truth_top.append(top)
        guess_top.append(tops[0] if tops else "")
        hit3_top += top in tops[:3]
        if parents.get(slug):
            subs = [c.sub for c in ranked]
            truth_sub.append(slug)
            guess_sub.append(subs[0] or "")
            hit1_sub += subs[0] == slug
            hit3_sub += slug in subs
    result = {
        "texts": len(rows),
        "top_level": {
            "macro_f1": round(f1_score(truth_top, guess_top, average="macro"), 3),
            "top1": round(
                sum(a == b for a, b in zip(truth_top, guess_top, strict=True)) / len(rows), 3
            ),
            "top3": round(hit3_top / len(rows), 3),
        },
    }
    if truth_sub:
        result["subtopics"] = {
            "texts": len(truth_sub),
            "macro_f1": round(f1_score(truth_sub, guess_sub, average="macro"), 3),
            "top1": round(hit1_sub / len(truth_sub), 3),
            "top3": round(hit3_sub / len(truth_sub), 3),
        }
    return result


def evaluate(data: dict, parents: dict) -> dict:
    every = [row for rows in data.values() for row in rows]
    train, held_out = _split(every)
    fitted = suggestions.fit([t for t, _ in train], [s for _, s in train], parents)
    result = {"held_out_fifth": measure(fitted, held_out, parents)}
    others = [row for source, rows in data.items() if source != "demo" for row in rows]
    if data["demo"] and others:
        without_demo = suggestions.fit([t for t, _ in others], [s for _, s in others], parents)
        result["demo"] = measure(without_demo, data["demo"], parents)
    return result


def topic_model_evaluate(*, data=None) -> dict:
    """Measure the model the current data would give, storing nothing."""
    parents = tree_parents()
    data = data if data is not None else training_data(parents)
    return evaluate(data, parents)


def topic_model_train(*, activate: bool = True, data=None, progress=None) -> TopicModel:
    """Evaluate, fit on all the data, store as the next version and (by default) make it
    the active one. `progress`: called with a line of text per step."""
    say = progress or (lambda line: None)
    started = time.monotonic()
    parents = tree_parents()
    if data is None:
        data = training_data(parents)
    say("Training data: " + ", ".join(f"{k} {len(v)}" for k, v in data.items()))
    key = hashlib.sha256(repr((sorted(data.items()), sorted(parents.items()))).encode()).digest()
    if key in _fitted:
        say("The same data as a model fitted earlier in this process: its fit is reused.")
        evaluation, pipeline = _fitted[key]
    else:
        say("Evaluating on a held-out fifth and on the demo texts…")
        evaluation = evaluate(data, parents)
        every = [row for rows in data.values() for row in rows]
        say(f"Fitting on all {len(every)} texts…")
        fitted = suggestions.fit([t for t, _ in every], [s for _, s in every], parents)
        evaluation["seconds"] = round(time.monotonic() - started, 1)
        pipeline = suggestions.dump(fitted)
        _fitted.clear()  # one kept: the seeder's (and the tests') repeated trainings
        _fitted[key] = (evaluation, pipeline)
    with transaction.atomic():
        last = TopicModel.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
        model = TopicModel.objects.create(
            version=last + 1,
            trained_on={source: len(rows) for source, rows in data.items()},
            evaluation=evaluation,
            pipeline=pipeline,
            is_active=False,
        )
        if activate:
            topic_model_activate(model)
    say(f"Stored topic model v{model.version}{' (active)' if activate else ''}.")
    return model


def topic_model_activate(model: TopicModel) -> None:
    with transaction.atomic():
        TopicModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
        if not model.is_active:
            model.is_active = True
            model.save(update_fields=["is_active"])
    suggestions.active.clear()
