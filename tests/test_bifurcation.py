"""The bifurcation diagram (sim/bifurcation.py) and grids as labelled arrays (sim/labelled.py)."""

from __future__ import annotations

import numpy as np
import pytest

import sim


def _bases(count: int, seed: int) -> list[sim.Couple]:
    """Couples drawn from the calmer half of the score plane (each score in [0.05, 0.5]), where a
    couple settles until one score rises far enough; further out most couples never settle."""
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(anxiety=a, avoidance=b), b=sim.Partner(anxiety=c, avoidance=d))
            for a, b, c, d in rng.uniform(0.05, 0.5, (count, 4))]


@pytest.mark.parametrize("param", ["a.anxiety", "b.avoidance"])
def test_simulation_and_analysis_meet_on_the_diagram_across_the_score_plane(param: str) -> None:
    """Along one score, from calm couples: the resting state loses its stability at a Hopf point;
    where it is stable the run settles at its closeness, past the Hopf point the rounds open up around it."""
    settled = opened = stable_runs = settling_runs = 0
    for base in _bases(5, seed=len(param)):
        diagram = sim.bifurcation_diagram(param, base, n=41)
        assert diagram.hopf.size >= 1, "the dance begins as the score rises"
        rest, stable = diagram.continuation.closeness, diagram.continuation.stable
        points = np.r_[diagram.hopf, diagram.saddle_node]
        # not right at a bifurcation point, where runs take long to settle or to open up
        clear = np.abs(diagram.values[:, None] - points[None, :]).min(axis=1, initial=1.0) > 0.05
        for k in np.flatnonzero(stable & clear & (diagram.verdict == "settles")):
            assert diagram.low[k] == pytest.approx(rest[k], abs=0.02)
            assert diagram.high[k] == pytest.approx(rest[k], abs=0.02)
            settled += 1
        past_hopf = ~stable & clear & np.isfinite(rest) & (diagram.verdict == "cycles")
        for k in np.flatnonzero(past_hopf):
            assert diagram.low[k] < rest[k] < diagram.high[k]
            opened += 1
        stable_runs += int((stable & clear).sum())
        settling_runs += int((diagram.verdict[stable & clear] == "settles").sum())
    assert settling_runs >= 0.9 * stable_runs, (settling_runs, stable_runs)
    assert settled > 20 and opened > 5, (settled, opened)


def test_the_diagram_of_the_trap_finds_its_hopf_point_where_the_rounds_begin() -> None:
    diagram = sim.bifurcation_diagram("a.anxiety", n=81)
    (hopf,) = diagram.hopf
    before, after = diagram.values < hopf - 0.03, diagram.values > hopf + 0.03
    assert (diagram.verdict[before] == "settles").all() and (diagram.high - diagram.low)[before].max() < 0.01
    assert (diagram.verdict[after] != "settles").all() and (diagram.high - diagram.low)[after].min() > 0.1
    frame = diagram.to_frame()
    assert list(frame.columns[:2]) == ["a.anxiety", "rest_closeness"] and frame.attrs["hopf"] == [hopf]








