"""Tests of sim/interventions.py: each kind helps alone, all five settle the trap, coaching is kept."""

import pytest

import sim
from sim.interventions import INTERVENTION_KINDS, apply_interventions

TRAP = sim.PRESETS["anxious-avoidant"]


def tension(interventions=()):
    return sim.simulate(TRAP, interventions=interventions).metrics["tension"]


@pytest.mark.parametrize("kind", list(INTERVENTION_KINDS))
def test_each_intervention_alone_lowers_the_tension_of_the_classic_trap(kind):
    assert tension((sim.Intervention(kind, start=20.0),)) < 0.9 * tension()


def test_all_five_together_for_both_make_the_trap_settle():
    r = sim.simulate(TRAP, interventions=tuple(sim.Intervention(k, start=20.0) for k in INTERVENTION_KINDS))
    assert r.verdict == "settles"
    assert r.metrics["tension"] < 0.5 * tension()


def test_an_intervention_acts_only_from_its_start_day():
    late = sim.simulate(TRAP, interventions=(sim.Intervention("safety", start=100.0),))
    plain = sim.simulate(TRAP)
    step = int(100.0 / 0.1)
    assert (late.closeness[:step] == plain.closeness[:step]).all()
    assert (late.closeness[step + 50:] != plain.closeness[step + 50:]).any()


def test_who_selects_the_partner_whose_parameters_change():
    base = TRAP.a.param_vector(), TRAP.b.param_vector()
    import numpy as np

    pab = np.stack(base)
    only_a = apply_interventions(pab, (sim.Intervention("responsibility", who="a"),))
    assert (only_a[1] == pab[1]).all() and (only_a[0] != pab[0]).any()
    zero = apply_interventions(pab, (sim.Intervention("acknowledge", strength=0.0),))
    assert (zero == pab).all()


def test_every_kind_is_documented_in_both_languages_with_its_reason():
    for kind in INTERVENTION_KINDS.values():
        assert kind.label["en"] and kind.label["nl"] and len(kind.why) > 60
        for name in {**kind.self_effects, **kind.other_effects}:
            assert name in sim.PARTNER_PARAMS


def test_coaching_is_gradual_and_what_is_learned_is_carried_into_a_next_relationship():
    """Sam (anxious) is coached from day 20 while in the trap. Afterwards Sam starts again with Kim, who
    fears closeness. The coached Sam shows the learned, calmer pattern; an untrained Sam repeats the dance."""
    r = sim.simulate(TRAP, interventions=(sim.Intervention("coaching", start=20.0, who="a"),))
    learned = r.learned[0]
    assert learned[int(20 / 0.1)] == 0.0 and 0.5 < learned[-1] < 1.0
    assert (learned[1:] >= learned[:-1]).all()  # gradual and never forgotten
    assert r.learned[1, -1] == 0.0
    sam_after, noor_after = r.partners_after()
    assert sam_after.anxiety < TRAP.a.anxiety and noor_after == TRAP.b
    kim = sim.Partner(name="Kim", anxiety=0.15, avoidance=0.8)
    untrained = sim.simulate(sim.Couple(a=TRAP.a, b=kim))
    trained = sim.simulate(sim.Couple(a=sam_after, b=kim))
    assert untrained.verdict == "cycles"
    assert trained.verdict == "settles" and trained.metrics["tension"] < untrained.metrics["tension"]


def test_coaching_moves_expert_overrides_toward_secure_too():
    partner = sim.Partner(anxiety=0.8, alarm_lag=10.0)
    couple = sim.Couple(a=partner, b=sim.Partner())
    after, _ = sim.simulate(couple, interventions=(sim.Intervention("coaching", who="a"),)).partners_after()
    assert after.alarm_lag < 10.0


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kind": "hug"}, "valid kinds: acknowledge, safety, commitment, responsibility, coaching"),
    ({"kind": "safety", "who": "c"}, "who must be one of both, a, b"),
    ({"kind": "safety", "strength": 1.5}, "strength must be in"),
    ({"kind": "safety", "start": float("nan")}, "start must be in"),
])
def test_bad_interventions_say_what_is_allowed(kwargs, match):
    kind = kwargs.pop("kind")
    with pytest.raises(ValueError, match=match):
        sim.Intervention(kind, **kwargs)
