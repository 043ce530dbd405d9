"""The test of one week against the cell's own baseline, free of the database.

A cell's weekly count is compared with the weeks before it through the posterior
predictive of a Poisson rate: with a Jeffreys prior Gamma(1/2, 0) and `n` baseline weeks
summing to `S`, next week's count is negative binomial with r = S + 1/2 and
p = n / (n + 1). It is a Poisson test that knows the baseline is itself estimated from
a few weeks, so a quiet cell (S near 0) needs more than a couple of appeals to look
unusual, and a busy one is judged by its own noise.
"""

import math
from dataclasses import dataclass

import numpy as np

BASELINE_WEEKS = 12  # the cell's own previous weeks
MIN_COUNT = 5  # fewer people than this in a week is no alert, whatever the baseline
# At most one false alert in 1,000 flat cell-weeks (tests/ratings/test_hot_spots_detect.py).
ALPHA = 1e-3
PRIOR_SHAPE = 0.5


@dataclass(frozen=True)
class Verdict:
    baseline: np.ndarray  # mean count of the baseline weeks
    p_value: np.ndarray  # P(a count at least this high | the baseline)
    alert: np.ndarray  # bool


def detect(
    counts, *, baseline_weeks: int = BASELINE_WEEKS, min_count=MIN_COUNT, alpha=ALPHA
) -> Verdict:
    """`counts`: cells × weeks; the last column is the week tested, the `baseline_weeks`
    before it its baseline (fewer columns: the weeks there are). Vectorised."""
    counts = np.asarray(counts, dtype=float)
    if counts.ndim == 1:
        counts = counts[None, :]
    week = counts[:, -1]
    before = counts[:, -1 - baseline_weeks : -1] if counts.shape[1] > 1 else counts[:, :0]
    n = before.shape[1]
    baseline = before.mean(axis=1) if n else np.zeros(len(week))
    if n == 0:
        return Verdict(baseline, np.ones(len(week)), np.zeros(len(week), dtype=bool))
    from scipy.stats import nbinom  # 0.7 s to import: by the job, not by every web process

    r = before.sum(axis=1) + PRIOR_SHAPE
    p_value = nbinom.sf(week - 1, r, n / (n + 1))
    alert = (week >= min_count) & (p_value < alpha) & (week > baseline)
    return Verdict(baseline, p_value, alert)


def score(p_value: float) -> float:
    """−log10 p: 3 is one in a thousand; capped where floats stop meaning anything."""
    return float(min(300.0, -math.log10(max(p_value, 1e-300))))
