"""Tests of sim/continuation.py: the resting state followed along one parameter, its Hopf and
saddle-node points, and the boundary curves over two parameters.

The points are checked against the analysis on both sides of them, against the simulation (which
knows nothing of eigenvalues), and against the textbook signature of each bifurcation.
"""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.continuation import bifurcation_lines, zero_contours
from sim.sweep import set_params

TRAP = sim.PRESETS["anxious-avoidant"]
"""A = (anxiety 0.75, avoidance 0.15), B = (anxiety 0.15, avoidance 0.75): the base couple."""


@pytest.fixture(scope="module")
def along_anxiety() -> sim.Continuation:
    return sim.continuation("a.anxiety", base=TRAP)


def _at(param: str, value: float, base: sim.Couple = TRAP) -> sim.Stability:
    return sim.stability(set_params(base, {param: value}))


def test_one_hopf_point_along_a_anxiety_for_the_trap(along_anxiety: sim.Continuation) -> None:
    [hopf] = along_anxiety.hopf
    assert 0.28 < hopf < 0.37
    assert along_anxiety.saddle_node.size == 0
    below, above = along_anxiety.values < hopf, along_anxiety.values > hopf
    assert along_anxiety.stable[below].all() and not along_anxiety.stable[above].any()
    assert set(along_anxiety.kind[above]) == {"unstable spiral"}


def test_at_the_hopf_point_a_complex_pair_crosses_the_imaginary_axis(along_anxiety: sim.Continuation) -> None:
    """Checked with sim.stability, couple by couple: the leading pair (after the doubts that relax on
    their own) has real part < 0 just before, > 0 just after, about 0 at the point, and a frequency
    that does not vanish."""
    [hopf] = along_anxiety.hopf
    before, at, after = (_at("a.anxiety", hopf + d) for d in (-1e-3, 0.0, 1e-3))
    assert before.stable and not after.stable
    assert before.kind == "stable spiral" and after.kind == "unstable spiral"
    pair_before = [z for z in before.eigenvalues if abs(z.imag) > 0.1][0]
    pair_after = after.eigenvalues[0]
    assert pair_before.real < 0 < pair_after.real
    assert abs(pair_after.imag) > 0.5
    pair_at = min((z for z in at.eigenvalues if abs(z.imag) > 0.1), key=lambda z: abs(z.real))
    assert abs(pair_at.real) < 1e-6


def test_the_simulation_settles_before_the_hopf_point_and_dances_after_it(along_anxiety: sim.Continuation) -> None:
    [hopf] = along_anxiety.hopf
    couples = [set_params(TRAP, {"a.anxiety": hopf + d}) for d in (-0.06, 0.06)]
    assert list(sim.simulate_batch(couples, steps=4000).verdict) == ["settles", "cycles"]


def test_the_followed_state_is_the_couples_resting_state_where_it_is_alone(along_anxiety: sim.Continuation) -> None:
    for i in (0, 60, 150, 200):
        s = _at("a.anxiety", along_anxiety.values[i])
        assert s.unique
        np.testing.assert_allclose(along_anxiety.states[i], s.equilibrium, atol=1e-9)
        assert along_anxiety.max_real[i] == pytest.approx(s.max_real, abs=1e-9)


def test_a_fold_where_the_fear_at_rest_passes_the_tolerance() -> None:
    """Lowering A's tolerance before doubt: below the saddle-node point the stay state is gone
    (the couple breaks up); just above it two stay states exist, their smallest eigenvalue real and
    shrinking like the square root of the distance: the signature of a fold."""
    cont = sim.continuation("a.doubt_threshold", base=TRAP, low=0.0, high=3.0, n=121)
    [fold] = cont.saddle_node
    assert 0.5 < fold < 1.0
    assert np.isnan(cont.closeness[cont.values < fold]).all()
    assert set(cont.kind[cont.values < fold]) == {"break-up"}
    assert np.isfinite(cont.closeness[cont.values > fold]).all()
    assert _at("a.doubt_threshold", fold - 1e-4).kind == "break-up"
    smallest = []
    for gap in (1e-6, 1e-4):
        s = _at("a.doubt_threshold", fold + gap)
        stay = [x for x in s.all_equilibria if max(x[11], x[12]) < 0.25]
        assert len(stay) == 2
        k = np.argmin(np.abs(s.eigenvalues))
        assert abs(s.eigenvalues[k].imag) < 1e-9
        smallest.append(abs(s.eigenvalues[k]))
    assert smallest[1] / smallest[0] == pytest.approx(10.0, rel=0.3)


def test_the_table_is_tidy(along_anxiety: sim.Continuation) -> None:
    frame = along_anxiety.to_frame()
    assert len(frame) == 201
    for col in ("a.anxiety", "closeness", "max_real", "stable", "kind", "m_a", "m_b", "E_a", "B_b", "D_a", "D_b"):
        assert col in frame.columns
    assert frame.attrs["param"] == "a.anxiety" and frame.attrs["hopf"] == along_anxiety.hopf.tolist()
    np.testing.assert_allclose(frame["a.anxiety"], np.linspace(0, 1, 201))
    with pytest.raises(ValueError):
        along_anxiety.values[0] = 1.0


def test_other_parameters_and_interventions() -> None:
    cont = sim.continuation("b.avoidance", base=TRAP, n=51)
    [hopf] = cont.hopf
    assert 0.2 < hopf < 0.6
    calm = sim.continuation("b.avoidance", base=TRAP, n=51, interventions=(sim.Intervention("coaching"),))
    assert calm.stable.all() and calm.hopf.size == 0  # both coached: nothing left to vary


@pytest.mark.parametrize("kwargs, words", [
    ({"param": "anxiety"}, "unknown parameter"),
    ({"low": 0.5, "high": 0.2}, "low < high"),
    ({"high": 1.5}, "a.anxiety"),
    ({"n": 1}, "n must be"),
    ({"n": 2.5}, "n must be"),
    ({"base": "trap"}, "base must be a sim.Couple"),
    ({"interventions": "coaching"}, "interventions"),
])
def test_bad_arguments_raise_value_errors_that_name_them(kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        sim.continuation(**{"n": 5, **kwargs})


# ------------------------------------------------------------------------------------------------
# Two parameters
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def curves() -> sim.BifurcationCurves:
    return sim.bifurcation_curves(n=41)


def test_the_hopf_curve_crosses_the_base_line_at_the_hopf_point(curves: sim.BifurcationCurves,
                                                                 along_anxiety: sim.Continuation) -> None:
    """Along b.avoidance = 0.75 the Hopf curve meets the line at the point the continuation found."""
    [hopf] = along_anxiety.hopf
    crossings = []
    for line in curves.hopf:
        y = line[:, 1] - TRAP.b.avoidance
        for k in np.flatnonzero(np.sign(y[:-1]) != np.sign(y[1:])):
            t = y[k] / (y[k] - y[k + 1])
            crossings.append(line[k, 0] + t * (line[k + 1, 0] - line[k, 0]))
    [crossing] = set(np.round(crossings, 9))  # a vertex on the line itself counts once
    assert crossing == pytest.approx(hopf, abs=0.5 / 40)


def test_the_curves_lie_where_the_analysis_changes(curves: sim.BifurcationCurves) -> None:
    assert curves.hopf and curves.saddle_node
    x, y = curves.x, curves.y
    for line in curves.hopf:
        for px, py in line:
            i = min(int(np.searchsorted(x, px, side="right")) - 1, x.size - 2)
            j = min(int(np.searchsorted(y, py, side="right")) - 1, y.size - 2)
            corners = curves.max_real[j:j + 2, i:i + 2]
            assert np.nanmin(corners) <= 0.0 <= np.nanmax(corners)
            assert curves.lead_complex[j:j + 2, i:i + 2].any()
    exists = np.isfinite(curves.max_real)
    assert 0 < exists.mean() < 1
    frame = curves.to_frame()
    assert len(frame) == 41 * 41 and frame.attrs == {"x": "a.anxiety", "y": "b.avoidance"}


def test_bifurcation_lines_of_known_fields() -> None:
    """A field whose leading part crosses 0 at x = 0.32 with a complex pair (a Hopf line), a
    determinant that changes sign at y = 0.63 (a saddle-node line) and no stay state beyond x = 0.8."""
    x = np.linspace(0, 1, 21)
    y = np.linspace(0, 1, 11)
    xx, yy = np.meshgrid(x, y)
    max_real = np.where(xx > 0.8, np.nan, xx - 0.32)
    det = np.where(xx > 0.8, np.nan, -(yy - 0.63) * (1 + xx))
    hopf, saddle = bifurcation_lines(x, y, max_real, np.ones_like(xx, dtype=bool), det)
    [line] = hopf
    np.testing.assert_allclose(line[:, 0], 0.32, atol=1e-12)
    rows = [s for s in saddle if np.allclose(s[:, 1], 0.63)]
    edge = [s for s in saddle if np.allclose(s[:, 0], 0.825)]
    assert len(rows) == 1 and len(edge) == 1
    assert bifurcation_lines(x, y, max_real, np.zeros_like(xx, dtype=bool), det)[0] == ()
    assert zero_contours(x[:1], y, max_real[:, :1]) == ()
