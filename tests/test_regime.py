"""Tests of sim/regime.py: regime maps, their tidy table, the analytic boundary and its Hopf and
saddle-node curves, and how often simulation and analysis agree (over the map and next to the boundary).

The map's analysis is checked against ``sim.stability`` of the grid couples one by one (the one
rule for the couple's resting state), and its agreement share against a count by hand.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import sim
from sim.regime import RegimeMap, boundary_lines, next_to_boundary, regime_map

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
    for col in ("a.anxiety", "b.avoidance", "verdict", "tension", "amplitude", "max_real", "stable", "unique", "kind",
                "agree", "near_boundary"):
        assert col in frame.columns
    np.testing.assert_allclose(frame["a.anxiety"].to_numpy()[:9], small.x)
    assert (frame["b.avoidance"].to_numpy()[:9] == small.y[0]).all()
    row = frame.iloc[3 * 9 + 5]
    assert (row["a.anxiety"], row["b.avoidance"], row["verdict"]) == (small.x[5], small.y[3], small.verdict[3, 5])
    assert frame["agree"].tolist() == ((small.verdict == "settles") == small.stable).ravel().tolist()
    assert frame["near_boundary"].tolist() == small.near_boundary.ravel().tolist()
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
    """Every grid point: the same resting state, stability and kind as sim.stability (one rule)."""
    for j in range(small.shape[0]):
        for i in range(small.shape[1]):
            couple = replace(TRAP, a=replace(TRAP.a, anxiety=small.x[i]), b=replace(TRAP.b, avoidance=small.y[j]))
            st = sim.stability(couple)
            assert small.stable[j, i] == st.stable
            assert small.kind[j, i] == st.kind
            assert small.unique[j, i] == st.unique
            if st.kind == "break-up":
                assert np.isnan(small.max_real[j, i]) and np.isnan(small.rest_closeness[j, i])
            else:
                assert small.max_real[j, i] == pytest.approx(st.eigenvalues[0].real, abs=1e-9)
                assert small.rest_closeness[j, i] == pytest.approx(st.equilibrium[0], abs=1e-9)


def test_simulation_and_analysis_agree_over_the_map_and_next_to_the_boundary(bare: RegimeMap) -> None:
    frame = bare.to_frame()
    manual = ((frame["verdict"] == "settles") == frame["stable"]).mean()
    assert bare.agreement == pytest.approx(manual)
    near = frame[frame["near_boundary"]]
    assert bare.agreement_near == pytest.approx(((near["verdict"] == "settles") == near["stable"]).mean())
    assert bare.agreement >= 0.95
    assert bare.agreement_near >= 0.9
    assert 40 < len(near) < 0.2 * len(frame)
    assert bare.several.sum() < 0.02 * bare.stable.size


def test_next_to_the_boundary_by_hand() -> None:
    stable = np.array([[1, 1, 1, 0],
                       [1, 1, 1, 0],
                       [1, 1, 1, 1]], dtype=bool)
    expected = np.array([[0, 0, 1, 1],
                         [0, 0, 1, 1],
                         [0, 0, 1, 1]], dtype=bool)
    np.testing.assert_array_equal(next_to_boundary(stable), expected)
    assert not next_to_boundary(np.ones((3, 3), dtype=bool)).any()


def test_hopf_and_saddle_node_curves_lie_where_the_analysis_changes(bare: RegimeMap) -> None:
    """The Hopf curve runs between grid points of opposite stability; the saddle-node curve runs
    along the edge of the break-up corner, beyond which there is no stay state."""
    assert bare.hopf and bare.saddle_node

    def cell(px: float, py: float) -> tuple[slice, slice]:
        i = min(int(np.searchsorted(bare.x, px, side="right")) - 1, len(bare.x) - 2)
        j = min(int(np.searchsorted(bare.y, py, side="right")) - 1, len(bare.y) - 2)
        return slice(j, j + 2), slice(i, i + 2)

    margin = bare.margin()
    for line in bare.hopf:
        for px, py in line:
            corners = margin[cell(px, py)]
            assert corners.min() <= 0.0 <= corners.max()
    for line in bare.saddle_node:
        assert np.all((line >= 0.0) & (line <= 1.0))
        for px, py in line:
            gone = np.isnan(bare.max_real[cell(px, py)])
            assert gone.any() and not gone.all()
    hopf_points = sum(len(line) for line in bare.hopf)
    boundary_points = sum(len(line) for line in bare.boundary)
    assert hopf_points > 0.5 * boundary_points
    assert bare.kind[-1, -1] == "break-up" and np.isnan(bare.max_real[-1, -1])


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
    assert rmap.hopf == () and rmap.saddle_node == () and np.isnan(rmap.agreement_near)
    assert np.isnan(rmap.max_real).all() and not rmap.unique.any() and not rmap.several.any()


def test_chunked_map_equals_one_chunk() -> None:
    one = regime_map(n=6, steps=400)
    chunked = regime_map(n=6, steps=400, chunk_size=7)
    np.testing.assert_array_equal(one.verdict, chunked.verdict)
    np.testing.assert_array_equal(one.max_real, chunked.max_real)
    assert len(one.hopf) == len(chunked.hopf)
    for a, b in zip(one.hopf, chunked.hopf, strict=True):
        np.testing.assert_array_equal(a, b)
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
