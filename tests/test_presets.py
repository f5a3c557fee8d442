"""Tests of sim/presets.py: every preset described in both languages; all three verdicts shown;
verdicts hold when the step is halved."""

import pytest

import sim


def test_presets_hold_the_required_pairings_with_descriptions():
    required = {"secure", "anxious-avoidant", "anxious-anxious", "avoidant-avoidant", "secure-anxious",
                "secure-avoidant"}
    assert required <= set(sim.PRESETS)
    assert set(sim.PRESET_TEXT) == set(sim.PRESETS)
    for text in sim.PRESET_TEXT.values():
        assert text["en"] and text["nl"] and text["en"] != text["nl"]


def test_presets_show_all_three_verdicts():
    runs = {name: sim.simulate(c) for name, c in sim.PRESETS.items()}
    verdicts = {name: r.verdict for name, r in runs.items()}
    assert verdicts["secure"] == "settles"
    assert verdicts["anxious-avoidant"] == "cycles"
    assert verdicts["intense-trap"] == "escalates"
    assert set(verdicts.values()) == set(sim.VERDICTS)
    for name, r in runs.items():
        assert (r.metrics["ending"] != "") == (r.verdict == "escalates"), name


def test_the_intense_trap_wears_the_bond_down_toward_a_break():
    """Its description says doubt grows over months until it tips: within the default 200 days it
    grows and the run escalates; within 500 days it passes the tipping point of 1/2, a break."""
    r = sim.simulate(sim.PRESETS["intense-trap"])
    assert r.verdict == "escalates" and r.doubt[:, -1].max() > r.doubt[:, 1000].max() > 0.05
    longer = sim.simulate(sim.PRESETS["intense-trap"], steps=5000)
    assert longer.metrics["max_doubt"] > 0.5 and longer.metrics["ending"] == "break"
    assert sim.simulate(sim.PRESETS["anxious-avoidant"]).metrics["max_doubt"] < 0.5


@pytest.mark.parametrize("name", list(sim.PRESETS))
def test_halving_dt_keeps_every_presets_verdict(name):
    couple = sim.PRESETS[name]
    coarse = sim.simulate(couple, steps=2000, dt=0.1)
    fine = sim.simulate(couple, steps=4000, dt=0.05)
    assert coarse.verdict == fine.verdict
    assert fine.metrics["tension"] == pytest.approx(coarse.metrics["tension"], rel=0.05, abs=0.01)
