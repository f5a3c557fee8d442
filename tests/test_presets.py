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
    verdicts = {name: sim.simulate(c).verdict for name, c in sim.PRESETS.items()}
    assert verdicts["secure"] == "settles"
    assert verdicts["anxious-avoidant"] == "cycles"
    assert verdicts["intense-trap"] == "escalates"
    assert set(verdicts.values()) == set(sim.VERDICTS)


@pytest.mark.parametrize("name", list(sim.PRESETS))
def test_halving_dt_keeps_every_presets_verdict(name):
    couple = sim.PRESETS[name]
    coarse = sim.simulate(couple, steps=2000, dt=0.1)
    fine = sim.simulate(couple, steps=4000, dt=0.05)
    assert coarse.verdict == fine.verdict
    assert fine.metrics["tension"] == pytest.approx(coarse.metrics["tension"], rel=0.05, abs=0.01)
