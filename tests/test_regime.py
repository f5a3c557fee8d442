"""Tests of sim/regime.py: regime maps, their tidy table, the analytic boundary and the agreement share.

Also checks that the vectorized ``sim.stability.stability_arrays`` gives the results of the
couple-by-couple loop it replaced.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import sim
from sim.dynamics import jacobian
from sim.regime import RegimeMap, boundary_lines, regime_map
from sim.stability import _distinct, equilibria, stability_arrays

TRAP = sim.PRESETS["anxious-avoidant"]


@pytest.fixture(scope="module")
def bare() -> RegimeMap:
    return regime_map()


@pytest.fixture(scope="module")
def small() -> RegimeMap:
    return regime_map(n=(9, 7), steps=1200)


def test_bare_map_sweeps_a_anxiety_against_b_avoidance_around_the_trap(bare: RegimeMap) -> None:
    assert (bare.x_name, bare.y_name) == ("a.anxiety", "b.avoidance")
    assert bare.shape == (41, 41)
    assert bare.base == TRAP
    np.testing.assert_allclose(bare.x, np.linspace(0, 1, 41))
    i = int(np.argmin(np.abs(bare.x - TRAP.a.anxiety)))
    j = int(np.argmin(np.abs(bare.y - TRAP.b.avoidance)))
    assert bare.verdict[j, i] == sim.simulate(TRAP).verdict == "cycles"
    assert set(np.unique(bare.verdict)) == {"settles", "cycles", "escalates"}


def test_grid_points_equal_single_runs(small: RegimeMap) -> None:
    for j, i in [(0, 0), (3, 5), (6, 8), (5, 2)]:
        couple = replace(TRAP, a=replace(TRAP.a, anxiety=small.x[i]), b=replace(TRAP.b, avoidance=small.y[j]))
        single = sim.simulate(couple, steps=1200, seed=0)
        assert small.verdict[j, i] == single.verdict
        assert small.metrics["tension"][j, i] == pytest.approx(single.metrics["tension"], rel=1e-12)


def test_table_is_tidy_one_row_per_grid_point_x_fastest(small: RegimeMap) -> None:
    frame = small.to_frame()
    assert len(frame) == 9 * 7
    assert frame.attrs == {"x": "a.anxiety", "y": "b.avoidance"}
    for col in ("x", "y", "verdict", "tension", "amplitude", "max_real", "stable", "unique", "agree"):
        assert col in frame.columns
    np.testing.assert_allclose(frame["x"].to_numpy()[:9], small.x)
    assert (frame["y"].to_numpy()[:9] == small.y[0]).all()
    row = frame.iloc[3 * 9 + 5]
    assert (row["x"], row["y"], row["verdict"]) == (small.x[5], small.y[3], small.verdict[3, 5])
    assert frame["agree"].isna().to_numpy().tolist() == (~small.unique.ravel()).tolist()
    pd.testing.assert_frame_equal(small.table, frame)


def test_results_are_read_only(small: RegimeMap) -> None:
    for arr in (small.x, small.verdict, small.max_real, small.stable, small.metrics["tension"]):
        with pytest.raises(ValueError):
            arr[0] = arr[0]
    with pytest.raises(TypeError):
        small.metrics["tension"] = small.metrics["tension"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        small.agreement = 1.0  # type: ignore[misc]


def test_analysis_matches_single_couple_stability(small: RegimeMap) -> None:
    checked = 0
    for j in range(small.shape[0]):
        for i in range(small.shape[1]):
            if not small.unique[j, i]:
                continue
            couple = replace(TRAP, a=replace(TRAP.a, anxiety=small.x[i]), b=replace(TRAP.b, avoidance=small.y[j]))
            st = sim.stability(couple)
            assert small.stable[j, i] == st.stable
            if st.kind != "frozen distance":
                assert small.max_real[j, i] == pytest.approx(st.eigenvalues[0].real, abs=1e-9)
            checked += 1
    assert checked > 30


def test_simulation_and_analysis_agree_where_the_rest_is_unique(bare: RegimeMap) -> None:
    frame = bare.to_frame()
    unique = frame[frame["unique"]]
    manual = ((unique["verdict"] == "settles") == unique["stable"]).mean()
    assert bare.agreement == pytest.approx(manual)
    assert bare.agreement > 0.95
    assert 0.5 < bare.unique.mean() < 1.0


def test_boundary_separates_stable_from_unstable(bare: RegimeMap) -> None:
    assert bare.boundary
    margin = bare.margin()
    for line in bare.boundary:
        assert line.shape[1] == 2
        assert np.all((line[:, 0] >= 0) & (line[:, 0] <= 1) & (line[:, 1] >= 0) & (line[:, 1] <= 1))
        # every boundary point lies in a grid cell whose corners have both signs of the margin
        for px, py in line[:: max(1, len(line) // 10)]:
            i = min(int(np.searchsorted(bare.x, px, side="right")) - 1, len(bare.x) - 2)
            j = min(int(np.searchsorted(bare.y, py, side="right")) - 1, len(bare.y) - 2)
            corners = margin[j:j + 2, i:i + 2]
            assert corners.min() <= 0.0 <= corners.max()


def test_boundary_lines_of_a_known_field() -> None:
    x = np.linspace(0, 1, 21)
    y = np.linspace(0, 2, 11)
    xx, _ = np.meshgrid(x, y)
    [line] = boundary_lines(x, y, xx - 0.42)
    np.testing.assert_allclose(line[:, 0], 0.42, atol=1e-12)
    assert line[:, 1].min() == 0 and line[:, 1].max() == 2
    frozen = np.where(xx > 0.7, np.nan, -1.0)
    [edge] = boundary_lines(x, y, frozen)
    assert np.all((edge[:, 0] > 0.65) & (edge[:, 0] < 0.75))
    assert boundary_lines(x, y, -np.ones_like(xx)) == ()


def test_other_parameters_partner_params_and_couple_params() -> None:
    rmap = regime_map(x="b.alarm_lag", y="fading", n=(4, 3), x_range=(0.5, 6.0), y_range=(0.2, 1.0), steps=800)
    assert rmap.shape == (3, 4)
    np.testing.assert_allclose(rmap.x, np.linspace(0.5, 6.0, 4))
    np.testing.assert_allclose(rmap.y, np.linspace(0.2, 1.0, 3))
    couple = replace(TRAP, b=replace(TRAP.b, alarm_lag=rmap.x[2]), fading=rmap.y[1])
    assert rmap.verdict[1, 2] == sim.simulate(couple, steps=800, seed=0).verdict
    assert rmap.x_param.spec is sim.PARTNER_PARAMS["alarm_lag"]
    assert rmap.y_param.spec is sim.COUPLE_PARAMS["fading"]


def test_both_partners_at_once() -> None:
    rmap = regime_map(x="both.anxiety", y="both.avoidance", n=3, steps=600, base=sim.PRESETS["secure"])
    couple = replace(sim.PRESETS["secure"], a=replace(sim.PRESETS["secure"].a, anxiety=1.0, avoidance=0.5),
                     b=replace(sim.PRESETS["secure"].b, anxiety=1.0, avoidance=0.5))
    assert rmap.verdict[1, 2] == sim.simulate(couple, steps=600, seed=0).verdict


def test_interventions_reach_simulation_and_analysis() -> None:
    ivs = (sim.Intervention("safety", who="b"), sim.Intervention("coaching", who="a", start=10.0))
    rmap = regime_map(n=5, steps=1500, interventions=ivs)
    couple = replace(TRAP, a=replace(TRAP.a, anxiety=rmap.x[3]), b=replace(TRAP.b, avoidance=rmap.y[4]))
    single = sim.simulate(couple, steps=1500, seed=0, interventions=ivs)
    assert rmap.verdict[4, 3] == single.verdict
    assert rmap.metrics["learned_a"][4, 3] == pytest.approx(single.metrics["learned_a"])
    st = sim.stability(couple, ivs)
    assert rmap.stable[4, 3] == st.stable


def test_without_analysis() -> None:
    rmap = regime_map(n=4, steps=300, analytic=False)
    assert not rmap.analysed and rmap.boundary == () and np.isnan(rmap.agreement)
    assert np.isnan(rmap.max_real).all() and not rmap.unique.any()


def test_chunked_map_equals_one_chunk() -> None:
    one = regime_map(n=6, steps=400)
    chunked = regime_map(n=6, steps=400, chunk_size=7)
    np.testing.assert_array_equal(one.verdict, chunked.verdict)
    np.testing.assert_array_equal(one.max_real, chunked.max_real)
    np.testing.assert_array_equal(one.metrics["tension"], chunked.metrics["tension"])


def test_events_reach_every_chunk() -> None:
    conflict = sim.Event("conflict", at=5.0)
    streamed = regime_map(n=4, steps=300, events=(e for e in [conflict]), chunk_size=5, analytic=False)
    listed = regime_map(n=4, steps=300, events=[conflict], analytic=False)
    calm = regime_map(n=4, steps=300, analytic=False)
    np.testing.assert_array_equal(streamed.metrics["tension_all"], listed.metrics["tension_all"])
    assert not np.array_equal(calm.metrics["tension_all"], listed.metrics["tension_all"])


@pytest.mark.parametrize("kwargs, words", [
    ({"x": "anxiety"}, "unknown parameter 'anxiety'"),
    ({"x": "c.anxiety"}, "unknown parameter"),
    ({"y": "a.fading"}, "unknown parameter"),
    ({"x": "b.avoidance"}, "different parameters"),
    ({"x": "both.avoidance"}, "different parameters"),
    ({"x_range": (0.5, 1.5)}, "a.anxiety range must lie in [0.0, 1.0]"),
    ({"y_range": (0.8, 0.2)}, "low <= high"),
    ({"n": 0}, "grid size"),
    ({"n": (3, 4, 5)}, "pair"),
    ({"chunk_size": 0}, "chunk_size"),
    ({"base": "trap"}, "base must be a sim.Couple"),
    ({"steps": 0}, "steps"),
])
def test_bad_arguments_raise_value_errors_that_name_them(kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError) as err:
        regime_map(**{"n": 2, "steps": 10, **kwargs})
    assert words in str(err.value)


def _loop_stability_arrays(pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray) -> dict:
    """The couple-by-couple version of stability_arrays that the vectorized one replaced."""
    states, ok = equilibria(pa, pb, delta, ceiling)
    n = pa.shape[0]
    out = {"max_real": np.full(n, np.nan), "stable": np.zeros(n, bool), "unique": np.zeros(n, bool),
           "closeness": np.full(n, np.nan)}
    for i in range(n):
        found = _distinct(states[i], ok[i])
        out["unique"][i] = len(found) == 1
        physical = [x for x in found if x[0] >= 0.0]
        if not physical:
            continue
        x = physical[0] if len(physical) == 1 else min(physical, key=lambda y: abs(y[0] - 1.0))
        eig = np.linalg.eigvals(jacobian(x, pa[i], pb[i], delta[i], ceiling[i]))
        out["max_real"][i] = eig.real.max()
        out["stable"][i] = out["max_real"][i] < 0.0
        out["closeness"][i] = x[0]
    return out


def test_vectorized_stability_arrays_equal_the_loop() -> None:
    rng = np.random.default_rng(7)
    couples = [sim.Couple(a=sim.Partner(anxiety=rng.random(), avoidance=rng.random()),
                          b=sim.Partner(anxiety=rng.random(), avoidance=rng.random()),
                          fading=rng.uniform(0.1, 2.0), fear_ceiling=rng.uniform(1.0, 5.0)) for _ in range(700)]
    couples += list(sim.PRESETS.values())
    pa = np.array([c.a.param_vector() for c in couples])
    pb = np.array([c.b.param_vector() for c in couples])
    delta = np.array([c.fading for c in couples])
    ceiling = np.array([c.fear_ceiling for c in couples])
    fast = stability_arrays(pa, pb, delta, ceiling)
    slow = _loop_stability_arrays(pa, pb, delta, ceiling)
    np.testing.assert_array_equal(fast["stable"], slow["stable"])
    np.testing.assert_array_equal(fast["unique"], slow["unique"])
    np.testing.assert_allclose(fast["max_real"], slow["max_real"], rtol=0, atol=1e-9, equal_nan=True)
    np.testing.assert_allclose(fast["closeness"], slow["closeness"], rtol=0, atol=1e-9, equal_nan=True)
    assert 0 < fast["unique"].mean() < 1 and 0 < fast["stable"].mean() < 1
    assert np.isnan(fast["max_real"]).any()
