"""Populations to sweep (sim.sweep.populations): grids, random and quasi-random couples, the same
however they are chunked."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import sim
import sim.stats
from sim.sweep import (
    CoupleList,
    Grid,
    RandomCouples,
)

TRAP = sim.PRESETS["anxious-avoidant"]


def test_grid_is_c_ordered_last_axis_fastest() -> None:
    grid = Grid({"b.avoidance": [0.0, 0.5, 1.0], "a.anxiety": [0.1, 0.2]})
    assert len(grid) == 6 and grid.shape == (3, 2)
    values = grid.values(2, 5)
    np.testing.assert_allclose(values["b.avoidance"], [0.5, 0.5, 1.0])
    np.testing.assert_allclose(values["a.anxiety"], [0.1, 0.2, 0.1])
    couples = grid.couples(0, 6)
    assert [(c.a.anxiety, c.b.avoidance) for c in couples[3:5]] == [(0.2, 0.5), (0.1, 1.0)]
    assert couples[0].a is couples[2].a  # partners that repeat are built once
    assert couples[0].b.anxiety == TRAP.b.anxiety
    with pytest.raises(ValueError, match="outside"):
        grid.values(4, 7)
    with pytest.raises(ValueError, match=r"must stay in \[0.0, 1.0\]"):
        Grid({"a.anxiety": [0.2, 1.2]})
    with pytest.raises(ValueError, match="same thing"):
        Grid({"a.anxiety": [0.2], "both.anxiety": [0.3]})


def test_random_couples_do_not_depend_on_chunking() -> None:
    pop = RandomCouples(10_000, seed=5)
    whole = pop.values(0, 10_000)
    parts = [pop.values(s, min(s + 3_001, 10_000)) for s in range(0, 10_000, 3_001)]
    for name in whole:
        np.testing.assert_array_equal(whole[name], np.concatenate([p[name] for p in parts]))
        assert whole[name].min() >= 0.0 and whole[name].max() <= 1.0
    assert len(whole) == 4
    assert not np.array_equal(whole["a.anxiety"], RandomCouples(10_000, seed=6).values(0, 10_000)["a.anxiety"])
    narrow = RandomCouples(50, ranges={"b.alarm_lag": (1.0, 2.0)}, seed=1)
    lags = [c.b.alarm_lag for c in narrow.couples(10, 20)]
    np.testing.assert_allclose(lags, narrow.values(10, 20)["b.alarm_lag"])
    assert all(1.0 <= lag <= 2.0 for lag in lags)
    with pytest.raises(ValueError, match="low <= high"):
        RandomCouples(5, ranges={"a.anxiety": (0.8, 0.2)})


def test_populations_survive_pickling() -> None:
    for pop in (Grid({"a.anxiety": [0.1, 0.9], "fading": [0.3]}), RandomCouples(100, seed=2),
                CoupleList((TRAP, sim.PRESETS["secure"]))):
        back = pickle.loads(pickle.dumps(pop))
        assert len(back) == len(pop)
        assert back.couples(0, 2) == pop.couples(0, 2)


@pytest.mark.parametrize("draws", RandomCouples.DRAWS)
def test_every_kind_of_draw_stays_in_its_ranges_and_is_the_same_however_it_is_chunked(draws: str) -> None:
    pop = RandomCouples(5000, ranges={"a.anxiety": (0.2, 0.6), "b.avoidance": (0.5, 1.0)}, seed=8, draws=draws)
    whole = pop.values(0, 5000)
    parts = [pop.values(a, min(a + 999, 5000)) for a in range(0, 5000, 999)]
    for name, values in whole.items():
        assert np.array_equal(values, np.concatenate([p[name] for p in parts]))
    assert whole["a.anxiety"].min() >= 0.2 and whole["a.anxiety"].max() <= 0.6
    again = pickle.loads(pickle.dumps(pop)).values(10, 20)["b.avoidance"]
    assert again.tolist() == whole["b.avoidance"][10:20].tolist()


def test_quasi_random_draws_fill_the_ranges_more_evenly_than_independent_ones() -> None:
    """Sobol and Latin hypercube points: each tenth of a range holds close to a tenth of the couples,
    and the mean of a smooth additive function over them is nearer the truth than with independent
    draws (Latin hypercubes help the additive part of a function only)."""
    def spread(draws: str, seed: int) -> tuple[float, float]:
        values = RandomCouples(1024, seed=seed, draws=draws).values(0, 1024)
        counts = np.histogram(values["a.anxiety"], bins=10, range=(0, 1))[0]
        f = np.sin(np.pi * values["a.anxiety"]) + values["b.avoidance"] ** 2  # its mean is 2 / pi + 1 / 3
        return float(np.abs(counts - 102.4).max()), abs(float(f.mean()) - 2 / np.pi - 1 / 3)
    for draws in ("sobol", "latin"):
        quasi = np.array([spread(draws, s) for s in range(10)])
        plain = np.array([spread("uniform", s) for s in range(10)])
        assert quasi[:, 0].mean() < plain[:, 0].mean() / 3, draws
        assert quasi[:, 1].mean() < plain[:, 1].mean() / 3, draws
    with pytest.raises(ValueError, match="draws must be one of"):
        RandomCouples(10, draws="halton")
