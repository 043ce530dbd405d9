import pytest

from ratings import formula


@pytest.mark.parametrize(
    ("days", "allowed", "expected"),
    [(0, 30, 1.0), (3, 30, 0.95), (30, 30, 0.5), (31, 30, 0.0), (None, 30, 0.0), (45, 60, 0.625)],
)
def test_speed_of_one_appeal(days, allowed, expected):
    assert formula.appeal_speed(days_to_answer=days, days_allowed=allowed) == pytest.approx(
        expected
    )


@pytest.mark.parametrize(
    ("overall", "solved", "personal", "expected"),
    [
        (5, "yes", 5, 1.0),
        (1, "no", 1, 0.0),
        (3, "partly", 3, 0.5),
        (5, "no", 1, 0.5),
        (4, "yes", 2, 0.6875),
    ],
)
def test_quality_of_one_feedback(overall, solved, personal, expected):
    assert formula.feedback_quality(
        overall=overall, solved=solved, personal=personal
    ) == pytest.approx(expected)


def test_the_worked_example_of_the_spec():
    speed = formula.shrink(total=12 * 0.95, n=12, prior_mean=0.7, prior_weight=10)
    quality = formula.shrink(total=2 * 1.0, n=2, prior_mean=0.6, prior_weight=10)
    total = formula.score(speed=speed, quality=quality, weight_speed=0.5, weight_quality=0.5)
    assert round(speed, 4) == 0.8364
    assert round(quality, 4) == 0.6667
    assert round(total, 2) == 75.15


def test_no_feedback_gives_the_national_quality_not_zero():
    assert formula.shrink(total=0, n=0, prior_mean=0.6, prior_weight=10) == pytest.approx(0.6)


def test_one_lucky_answer_does_not_top_the_table():
    lucky = formula.shrink(total=1.0, n=1, prior_mean=0.7, prior_weight=10)
    steady = formula.shrink(total=40 * 0.9, n=40, prior_mean=0.7, prior_weight=10)
    assert lucky < steady


def test_weights():
    assert formula.score(speed=1, quality=0, weight_speed=0.7, weight_quality=0.3) == pytest.approx(
        70
    )


def test_wilson_interval():
    low, high = formula.wilson(9, 10)
    assert (round(low, 4), round(high, 4)) == (0.5958, 0.9821)
    assert formula.wilson(0, 0) == (None, None)
