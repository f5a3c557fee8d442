"""The intervals shared by fits and sweeps (sim/stats.py) cover what they say they cover."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.stats import mean_interval, wilson


def test_the_wilson_interval_holds_the_share_and_stays_in_the_unit_interval() -> None:
    low, high = wilson(95, 100)
    assert 0.88 < low < 0.95 < high < 0.98
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert all(math.isnan(v) for v in wilson(0, 0))
    assert wilson(30, 100, level=0.99)[0] < wilson(30, 100, level=0.9)[0]
    with pytest.raises(ValueError, match="level"):
        wilson(1, 2, level=1.0)


@pytest.mark.parametrize("share", [0.02, 0.3, 0.5])
def test_the_wilson_interval_covers_a_share_as_often_as_it_says(share: float) -> None:
    rng = np.random.default_rng(4)
    n, trials = 80, 4000
    hits = rng.binomial(n, share, trials)
    covered = np.mean([lo <= share <= hi for lo, hi in (wilson(int(k), n) for k in hits)])
    assert 0.92 <= covered <= 0.99, covered  # it swings around 0.95 with n and the share (discreteness)


def test_the_mean_interval_from_sums_covers_the_mean_and_merges_like_the_sums() -> None:
    rng = np.random.default_rng(7)
    covered = 0
    for _ in range(2000):
        x = rng.exponential(2.0, 60)
        low, high = mean_interval(x.size, x.sum(), float(x @ x))
        covered += low <= 2.0 <= high
    assert 0.92 <= covered / 2000 <= 0.97
    x = rng.normal(5.0, 1.0, 1000)
    a, b = x[:300], x[300:]
    merged = mean_interval(a.size + b.size, a.sum() + b.sum(), float(a @ a + b @ b))
    assert merged == pytest.approx(mean_interval(x.size, x.sum(), float(x @ x)))
    assert merged[0] < x.mean() < merged[1] and merged[1] - merged[0] == pytest.approx(
        2 * 1.959964 * x.std(ddof=1) / math.sqrt(x.size), rel=1e-6)
    assert all(math.isnan(v) for v in mean_interval(1, 3.0, 9.0))
