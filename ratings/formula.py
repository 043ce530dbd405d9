"""The rating's arithmetic (SPEC, The rating), free of the database so it can be
checked by hand. The recompute feeds it sums and counts computed in SQL."""

import math
from dataclasses import dataclass

SOLVED_VALUE = {"yes": 1.0, "partly": 0.5, "no": 0.0}
Z95 = 1.959963984540054


def appeal_speed(*, days_to_answer: int | None, days_allowed: int) -> float:
    """1 on the first day, 0.5 on the last day allowed, 0 when late or unanswered."""
    if days_to_answer is None or days_to_answer > days_allowed or days_allowed <= 0:
        return 0.0
    return 1.0 - 0.5 * days_to_answer / days_allowed


def feedback_quality(*, overall: int, solved: str, personal: int) -> float:
    return 0.5 * (overall - 1) / 4 + 0.25 * SOLVED_VALUE[solved] + 0.25 * (personal - 1) / 4


def shrink(*, total: float, n: int, prior_mean: float, prior_weight: float) -> float:
    """Bayesian average (n·x̄ + m·μ)/(n + m), written with the sum n·x̄."""
    if n + prior_weight == 0:
        return prior_mean
    return (total + prior_weight * prior_mean) / (n + prior_weight)


def score(*, speed: float, quality: float, weight_speed: float, weight_quality: float) -> float:
    return 100.0 * (weight_speed * speed + weight_quality * quality)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The 95 % Wilson score interval of a share."""
    if n == 0:
        return None, None
    p = successes / n
    denominator = 1 + z * z / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator)


@dataclass
class Ranked:
    key: object
    score: float
    on_time_low: float | None
    median_days: float | None


def competition_ranks(rows: list[Ranked]) -> dict:
    """1, 2, 2, 4: ties on score are broken by the higher Wilson lower bound, then by
    the shorter median; rows equal on all three share a rank."""

    def order(row):
        low = row.on_time_low if row.on_time_low is not None else -1.0
        median = row.median_days if row.median_days is not None else math.inf
        return (-round(row.score, 9), -round(low, 9), median)

    ranks, previous, rank = {}, None, 0
    for position, row in enumerate(sorted(rows, key=order), start=1):
        key = order(row)
        if key != previous:
            rank, previous = position, key
        ranks[row.key] = rank
    return ranks
