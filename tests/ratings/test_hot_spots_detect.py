"""The hot-spot test on generated weekly series, in memory (issue 22, Done when)."""

import numpy as np

from ratings.hotspots.detect import BASELINE_WEEKS, MIN_COUNT, detect

TRIALS = 200
CELL_WEEKS = 20_000


def test_a_planted_spike_of_three_times_the_baseline_is_found_in_every_trial():
    rng = np.random.default_rng(2026)
    # Cells busy enough to have a baseline: 6 to 40 people a week.
    rates = rng.uniform(6, 40, TRIALS)
    before = rng.poisson(rates[:, None], size=(TRIALS, BASELINE_WEEKS))
    spike = np.ceil(3 * before.mean(axis=1))
    verdict = detect(np.column_stack([before, spike]))
    assert verdict.alert.all()


def test_flat_series_give_at_most_one_false_alert_per_thousand_cell_weeks():
    rng = np.random.default_rng(7)
    # Quiet and busy cells alike, each week drawn from the cell's own steady rate.
    rates = rng.choice([0.05, 0.2, 0.5, 1, 2, 3, 5, 8, 12, 20, 40], size=CELL_WEEKS)
    series = rng.poisson(rates[:, None], size=(CELL_WEEKS, BASELINE_WEEKS + 1))
    false_alerts = detect(series).alert.sum()
    assert false_alerts <= CELL_WEEKS / 1000


def test_a_quiet_cell_going_from_nothing_to_two_is_no_alert():
    assert not detect([0] * BASELINE_WEEKS + [2]).alert[0]
    assert not detect([0] * BASELINE_WEEKS + [MIN_COUNT - 1]).alert[0]
    assert detect([0] * BASELINE_WEEKS + [MIN_COUNT]).alert[0]


def test_a_fall_or_a_steady_week_is_no_alert():
    assert not detect([10] * BASELINE_WEEKS + [10]).alert[0]
    assert not detect([30] * BASELINE_WEEKS + [3]).alert[0]
