"""Done-when of issue 22 (formulaic answers): on the labelled corpus the flag has
precision ≥ 0.9 and recall ≥ 0.8."""

import pytest

from tests.factories import DeputyFactory

from .corpus import load, metrics

pytestmark = pytest.mark.django_db


def test_the_flag_finds_formulaic_answers_of_the_labelled_corpus():
    scored = load([DeputyFactory() for _ in range(4)])
    found = metrics(scored)
    print(
        f"\nformulaic answers: n={found['n']} precision={found['precision']:.3f} "
        f"recall={found['recall']:.3f} (tp={found['tp']} fp={found['fp']} fn={found['fn']})"
    )
    wrong = [(i.kind, s.reasons, i.answer[:60]) for i, s in scored if i.formulaic != s.formulaic]
    assert found["precision"] >= 0.9, wrong
    assert found["recall"] >= 0.8, wrong
