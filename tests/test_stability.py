"""Tests of sim/stability.py: the analysis agrees with simulation, and says what it found."""

import numpy as np
import pytest

import sim
from sim.stability import KIND_TEXT, stability_arrays


def test_stability_agrees_with_simulation_on_random_couples_where_the_equilibrium_is_unique():
    rng = np.random.default_rng(2026)
    couples = [sim.Couple(a=sim.Partner(anxiety=rng.random(), avoidance=rng.random()),
                          b=sim.Partner(anxiety=rng.random(), avoidance=rng.random())) for _ in range(300)]
    verdicts = sim.simulate_batch(couples).verdict
    analyses = [sim.stability(c) for c in couples]
    unique = np.array([s.unique for s in analyses])
    agree = np.array([s.stable == (v == "settles") for s, v in zip(analyses, verdicts, strict=True)])
    assert unique.sum() >= 100
    share = agree[unique].mean()
    assert share >= 0.95, f"agreement {share:.3f} over {unique.sum()} couples"


def test_vectorised_stability_matches_the_single_analysis():
    couples = list(sim.PRESETS.values())
    pa = np.stack([c.a.param_vector() for c in couples])
    pb = np.stack([c.b.param_vector() for c in couples])
    out = stability_arrays(pa, pb, np.array([c.fading for c in couples]), np.array([c.fear_ceiling for c in couples]))
    for i, c in enumerate(couples):
        single = sim.stability(c)
        assert out["unique"][i] == single.unique
        if single.unique and single.kind != "frozen distance":
            assert out["stable"][i] == single.stable
            assert out["max_real"][i] == pytest.approx(single.eigenvalues[0].real, abs=1e-6)


def test_presets_are_classified_in_plain_words():
    assert sim.stability(sim.PRESETS["secure"]).kind == "stable spiral"
    assert sim.stability(sim.PRESETS["anxious-avoidant"]).kind == "unstable spiral"
    frozen = sim.stability(sim.PRESETS["intense-trap"])
    assert frozen.kind == "frozen distance" and not frozen.stable and frozen.equilibrium[0] < 0
    for kind in KIND_TEXT.values():
        assert kind["en"] and kind["nl"]
    assert sim.stability(sim.PRESETS["secure"]).describe("nl").startswith("stabiel")


def test_the_equilibrium_is_a_resting_state_and_results_are_read_only():
    s = sim.stability(sim.PRESETS["secure-anxious"])
    r = sim.simulate(sim.PRESETS["secure-anxious"], steps=4000)
    assert r.closeness[-1] == pytest.approx(s.equilibrium[0], abs=1e-4)
    assert s.jacobian.shape == (9, 9) and s.eigenvalues.shape == (9,)
    with pytest.raises(ValueError):
        s.equilibrium[0] = 1.0


def test_interventions_in_force_make_the_trap_stable():
    trap = sim.PRESETS["anxious-avoidant"]
    every = tuple(sim.Intervention(k) for k in sim.INTERVENTION_KINDS)
    assert not sim.stability(trap).stable
    assert sim.stability(trap, interventions=every).stable
