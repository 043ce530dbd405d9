"""The rating's arithmetic (SPEC, The rating), in one place.

Each rule is a constant here, read two ways: a Python function, which states it so it
can be checked by hand (tests/ratings/test_formula.py), and an SQL fragment, which the
recompute's one statement is built from, since it runs over millions of appeals. The
grid test (tests/ratings/test_formula_grid.py) holds the two equal.

The fragments take SQL expressions (column names, aggregates, placeholders) and return
SQL text that means the same on PostgreSQL and SQLite.
"""

import math

from feedback.models import Feedback

# Speed of an appeal answered on time: 1 on its first day, falling evenly to 0.5 on
# the last day allowed; late or unanswered past the deadline, 0.
SPEED_FIRST_DAY = 1.0
SPEED_LAST_DAY = 0.5
# Quality of a feedback: overall and personal are marks from 1 to 5.
MARK_LOW, MARK_HIGH = 1, 5
WEIGHT_OVERALL, WEIGHT_SOLVED, WEIGHT_PERSONAL = 0.5, 0.25, 0.25
SOLVED_VALUE = {Feedback.Solved.YES: 1.0, Feedback.Solved.PARTLY: 0.5, Feedback.Solved.NO: 0.0}
# The national mean of a component nobody has data for yet.
NO_DATA_MEAN = 0.5
SCORE_SCALE = 100.0
# The 95 % two-sided normal quantile, for the Wilson interval of the on-time share.
Z95 = 1.959963984540054
# Scores equal to this many decimals tie (floating-point sums differ in the last bits).
TIE_DIGITS = 9


def _real(sql: str) -> str:
    return f"CAST({sql} AS DOUBLE PRECISION)"  # REAL affinity on SQLite


def _between_0_and_1(sql: str) -> str:
    return f"(CASE WHEN {sql} < 0 THEN 0.0 WHEN {sql} > 1 THEN 1.0 ELSE {sql} END)"


# --- per appeal ------------------------------------------------------------------


def answered_on_time(*, days_to_answer: int | None, days_allowed: int) -> bool:
    return days_to_answer is not None and days_allowed > 0 and days_to_answer <= days_allowed


def answered_on_time_sql(days_to_answer: str, days_allowed: str) -> str:
    return f"({days_to_answer} <= {days_allowed} AND {days_allowed} > 0)"


def appeal_speed(*, days_to_answer: int | None, days_allowed: int) -> float:
    """1 on the first day, 0.5 on the last day allowed, 0 when late or unanswered."""
    if not answered_on_time(days_to_answer=days_to_answer, days_allowed=days_allowed):
        return 0.0
    drop = SPEED_FIRST_DAY - SPEED_LAST_DAY
    return SPEED_FIRST_DAY - drop * days_to_answer / days_allowed


def appeal_speed_sql(days_to_answer: str, days_allowed: str) -> str:
    drop = SPEED_FIRST_DAY - SPEED_LAST_DAY
    on_time = answered_on_time_sql(days_to_answer, days_allowed)
    return (
        f"(CASE WHEN {on_time} THEN {SPEED_FIRST_DAY!r} - {drop!r} * "
        f"{_real(days_to_answer)} / {days_allowed} ELSE 0.0 END)"
    )


# --- per feedback ------------------------------------------------------------------


def solved_value_sql(solved: str) -> str:
    cases = " ".join(f"WHEN '{choice}' THEN {value!r}" for choice, value in SOLVED_VALUE.items())
    return _real(f"CASE {solved} {cases} END")


def _mark(mark):
    return (mark - MARK_LOW) / (MARK_HIGH - MARK_LOW)


def _mark_sql(mark: str) -> str:
    return f"({_real(f'{mark} - {MARK_LOW}')} / {MARK_HIGH - MARK_LOW})"


def feedback_quality(*, overall: int, solved: str, personal: int) -> float:
    return (
        WEIGHT_OVERALL * _mark(overall)
        + WEIGHT_SOLVED * SOLVED_VALUE[solved]
        + WEIGHT_PERSONAL * _mark(personal)
    )


def feedback_quality_sql(overall: str, solved: str, personal: str) -> str:
    return (
        f"({WEIGHT_OVERALL!r} * {_mark_sql(overall)}"
        f" + {WEIGHT_SOLVED!r} * {solved_value_sql(solved)}"
        f" + {WEIGHT_PERSONAL!r} * {_mark_sql(personal)})"
    )


# --- per deputy ---------------------------------------------------------------------


def mean_sql(total: str, n: str) -> str:
    """A deputy's own mean of a component, NULL with no data."""
    return f"(CASE WHEN {n} > 0 THEN {_real(total)} / {n} END)"


def national_mean(*, total: float, n: int) -> float:
    return total / n if n else NO_DATA_MEAN


def national_mean_sql(total: str, n: str) -> str:
    return f"(CASE WHEN {n} > 0 THEN {_real(total)} / {n} ELSE {NO_DATA_MEAN!r} END)"


def shrink(*, total: float, n: int, prior_mean: float, prior_weight: float) -> float:
    """Bayesian average (n·x̄ + m·μ)/(n + m), written with the sum n·x̄."""
    if n + prior_weight == 0:
        return prior_mean
    return (total + prior_weight * prior_mean) / (n + prior_weight)


def shrink_sql(total: str, n: str, prior_mean: str, prior_weight: str) -> str:
    """Clamped to 0..1 against rounding, as the snapshot's check constraint asks."""
    weight = _real(prior_weight)
    shrunk = (
        f"(CASE WHEN {n} + {weight} = 0 THEN {prior_mean} "
        f"ELSE ({total} + {weight} * {prior_mean}) / ({n} + {weight}) END)"
    )
    return _between_0_and_1(shrunk)


def score(*, speed: float, quality: float, weight_speed: float, weight_quality: float) -> float:
    return SCORE_SCALE * (weight_speed * speed + weight_quality * quality)


def score_sql(speed: str, quality: str, weight_speed: str, weight_quality: str) -> str:
    return (
        f"({SCORE_SCALE!r} * ({_real(weight_speed)} * {speed}"
        f" + {_real(weight_quality)} * {quality}))"
    )


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The 95 % Wilson score interval of a share."""
    if n == 0:
        return None, None
    p = successes / n
    denominator = 1 + z * z / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator)


def wilson_sql(successes: str, n: str) -> tuple[str, str]:
    """The bounds of wilson() as two SQL expressions, NULL when n is 0."""
    p = f"({_real(successes)} / {n})"
    z2 = Z95 * Z95
    denominator = f"(1 + {z2!r} / {n})"
    centre = f"({p} + {z2!r} / (2.0 * {n}))"
    margin = f"({Z95!r} * SQRT({p} * (1 - {p}) / {n} + {z2!r} / (4.0 * {n} * {n})))"
    low = f"(({centre} - {margin}) / {denominator})"
    high = f"(({centre} + {margin}) / {denominator})"
    return (
        f"(CASE WHEN {n} > 0 THEN (CASE WHEN {low} < 0 THEN 0.0 ELSE {low} END) END)",
        f"(CASE WHEN {n} > 0 THEN (CASE WHEN {high} > 1 THEN 1.0 ELSE {high} END) END)",
    )


def rank_order_sql(score: str, on_time_low: str, median_days: str) -> str:
    """ORDER BY of the ranks: ties on score go to the higher Wilson lower bound, then to
    the shorter median; rows equal on all three share a rank (SQL's RANK())."""
    return (
        f"ROUND(CAST({score} AS NUMERIC), {TIE_DIGITS}) DESC, "
        f"COALESCE(ROUND(CAST({on_time_low} AS NUMERIC), {TIE_DIGITS}), -1) DESC, "
        f"{median_days} ASC NULLS LAST"
    )


# --- how sure a score is, and the ranks it allows -------------------------------------


def component_variance(*, shrunk: float, n: int, prior_weight: float) -> float:
    """The posterior variance of a shrunk component. The Bayesian average is the mean of
    a Beta posterior: prior Beta(m·μ, m·(1−μ)), the deputy's n values in 0..1 adding
    their sum as successes and the rest as failures, so a = n·x̄ + m·μ and b = n + m − a,
    whose mean a/(a+b) is the shrunk value S and whose variance is S(1−S)/(n + m + 1)."""
    return shrunk * (1 - shrunk) / (n + prior_weight + 1)


def score_interval(
    *,
    speed: float,
    matured: int,
    prior_speed: float,
    quality: float,
    voices: int,
    prior_quality: float,
    weight_speed: float,
    weight_quality: float,
    z: float = Z95,
) -> tuple[float, float]:
    """The 95 % credible interval of the score, from the same model as the score: the
    two components' posteriors (independent), their weighted sum's variance, and the
    normal approximation of it, within 0..100."""
    variance = weight_speed**2 * component_variance(
        shrunk=speed, n=matured, prior_weight=prior_speed
    ) + weight_quality**2 * component_variance(shrunk=quality, n=voices, prior_weight=prior_quality)
    centre = score(
        speed=speed, quality=quality, weight_speed=weight_speed, weight_quality=weight_quality
    )
    margin = SCORE_SCALE * z * math.sqrt(variance)
    return max(0.0, centre - margin), min(SCORE_SCALE, centre + margin)


def score_intervals(
    *, speed, matured, quality, voices, prior_speed, prior_quality, weight_speed,
    weight_quality, z: float = Z95,
):  # fmt: skip
    """score_interval() over a region's deputies at once (sequences; numpy arrays inside:
    the table's thousands of rows in a millisecond); the same arithmetic, held equal by
    a test."""
    import numpy as np

    speed, matured, quality, voices = (
        np.asarray(v, dtype=float) for v in (speed, matured, quality, voices)
    )
    variance = weight_speed**2 * speed * (1 - speed) / (matured + prior_speed + 1) + (
        weight_quality**2 * quality * (1 - quality) / (voices + prior_quality + 1)
    )
    centre = SCORE_SCALE * (weight_speed * speed + weight_quality * quality)
    margin = SCORE_SCALE * z * np.sqrt(variance)
    return np.maximum(0.0, centre - margin), np.minimum(SCORE_SCALE, centre + margin)


def rank_bands(lows, highs, ranks):
    """Each ranked deputy's band of places: from 1 + the number of deputies whose whole
    interval lies above theirs, to the number whose interval reaches theirs (themselves
    included). Deputies whose intervals overlap share places: the table claims no more
    order than the data holds. Arrays in the same order: the intervals' bounds and the
    ranks; returns the arrays (best, worst)."""
    import numpy as np

    lows, highs, ranks = np.asarray(lows), np.asarray(highs), np.asarray(ranks)
    total = len(lows)
    best = 1 + total - np.searchsorted(np.sort(lows), highs, side="right")
    worst = total - np.searchsorted(np.sort(highs), lows, side="left")
    return np.minimum(best, ranks), np.maximum(worst, ranks)
