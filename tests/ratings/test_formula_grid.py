"""The recompute's SQL against ratings.formula's Python, over a grid of hand-chosen
appeals and feedbacks: the snapshot's S, Q and score equal the formula's (run on
SQLite and on PostgreSQL)."""

import pytest

from appeals.models import Appeal
from ratings import formula, services
from ratings.models import RatingSnapshot
from tests.factories import CitizenFactory, DeputyFactory

from .test_recompute import NOW, appeal, rate

pytestmark = pytest.mark.django_db

PRIOR, WEIGHT = 10, 0.5  # the default formula
# Per deputy: (days to the final answer or None, days allowed) of appeals registered 90
# days ago (all matured), and feedbacks (citizen, overall, solved, personal) on its
# answered appeals in turn; a citizen rating twice is one voice.
GRID = {
    "varied": {
        "answers": [(0, 30), (3, 30), (30, 30), (31, 30), (None, 30), (12, 45), (7, 10)],
        "votes": [("x", 5, "yes", 5), ("x", 3, "partly", 4), ("y", 1, "no", 2)],
    },
    "late": {
        "answers": [(29, 30), (29, 30), (29, 30), (None, 30), (60, 30)],
        "votes": [("z", 4, "partly", 3)],
    },
    "silent": {"answers": [], "votes": []},
    "steady": {
        "answers": [(1, 30)] * 12,
        "votes": [("w", 2, "yes", 5), ("v", 5, "no", 1), ("v", 4, "yes", 3), ("u", 3, "no", 3)],
    },
}


def build():
    deputies, citizens = {}, {}
    for name, case in GRID.items():
        deputy = deputies[name] = DeputyFactory()
        answered = []
        for days, allowed in case["answers"]:
            item = appeal(deputy, answered_on=days, allowed=allowed, days_ago=90)
            if days is not None:
                answered.append(item)
        for item, (who, overall, solved, personal) in zip(answered, case["votes"], strict=False):
            citizen = citizens.setdefault(who, CitizenFactory())
            Appeal.objects.filter(pk=item.pk).update(citizen=citizen)
            item.citizen = citizen
            rate(item, overall=overall, solved=solved, personal=personal)
    # Taken over late from "varied" by "late" and answered at once: 0 for "varied", and
    # out of the speed of "late".
    missed = appeal(deputies["late"], answered_on=1, days_ago=90)
    Appeal.objects.filter(pk=missed.pk).update(missed_by=deputies["varied"])
    return deputies


def expected():
    speeds, voices = {}, {}
    for name, case in GRID.items():
        speeds[name] = [
            formula.appeal_speed(days_to_answer=days, days_allowed=allowed)
            for days, allowed in case["answers"]
        ]
        by_citizen = {}
        for who, overall, solved, personal in case["votes"]:
            quality = formula.feedback_quality(overall=overall, solved=solved, personal=personal)
            by_citizen.setdefault(who, []).append(quality)
        voices[name] = [sum(q) / len(q) for q in by_citizen.values()]
    speeds["varied"].append(0.0)  # the miss
    mu_speed = formula.national_mean(
        total=sum(sum(s) for s in speeds.values()), n=sum(len(s) for s in speeds.values())
    )
    mu_quality = formula.national_mean(
        total=sum(sum(v) for v in voices.values()), n=sum(len(v) for v in voices.values())
    )
    table = {}
    for name in GRID:
        s = formula.shrink(
            total=sum(speeds[name]), n=len(speeds[name]), prior_mean=mu_speed, prior_weight=PRIOR
        )
        q = formula.shrink(
            total=sum(voices[name]), n=len(voices[name]), prior_mean=mu_quality, prior_weight=PRIOR
        )
        total = formula.score(speed=s, quality=q, weight_speed=WEIGHT, weight_quality=WEIGHT)
        table[name] = (s, q, total)
    return table, mu_speed, mu_quality


def test_the_sql_recompute_equals_the_python_formula_over_a_grid():
    deputies = build()

    run = services.ratings_recompute(now=NOW)

    table, mu_speed, mu_quality = expected()
    assert run.national_speed == pytest.approx(mu_speed, abs=1e-9)
    assert run.national_quality == pytest.approx(mu_quality, abs=1e-9)
    for name, (s, q, total) in table.items():
        row = RatingSnapshot.objects.get(run=run, deputy=deputies[name])
        assert (row.speed, row.quality, row.score) == (
            pytest.approx(s, abs=1e-9),
            pytest.approx(q, abs=1e-9),
            pytest.approx(total, abs=1e-9),
        ), name
