"""Hypothesis properties shared by every partner style: finite and bounded, deterministic, symmetric."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES


def _in(spec):
    return st.floats(min_value=spec.low, max_value=spec.high, allow_nan=False, allow_infinity=False)


@st.composite
def partners(draw, name="A"):
    scores = {n: draw(_in(s)) for n, s in PARTNER_SCORES.items()}
    chosen = draw(st.lists(st.sampled_from(list(PARTNER_PARAMS)), unique=True, max_size=5))
    overrides = {n: draw(_in(PARTNER_PARAMS[n])) for n in chosen}
    return sim.Partner(name=name, **scores, **overrides)


@st.composite
def couples(draw):
    extra = {n: draw(_in(s)) for n, s in COUPLE_PARAMS.items() if draw(st.booleans())}
    return sim.Couple(a=draw(partners("A")), b=draw(partners("B")), **extra)


events = st.lists(st.builds(sim.Event, st.sampled_from(list(sim.EVENT_KINDS)), at=st.floats(0, 40),
                            size=st.floats(0, 5)), max_size=3)
interventions = st.lists(st.builds(sim.Intervention, st.sampled_from(list(sim.INTERVENTION_KINDS)),
                                   start=st.floats(0, 40), who=st.sampled_from(["a", "b", "both"]),
                                   strength=st.floats(0, 1)), max_size=3)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(couples(), events, interventions, st.floats(0, 0.5))
def test_any_valid_couple_gives_finite_bounded_results(couple, evs, ivs, rate):
    r = sim.simulate(couple, steps=400, dt=0.1, seed=1, events=evs, interventions=ivs, random_events=rate)
    for name in ("closeness", "move", "engulfment", "abandonment", "doubt", "learned"):
        assert np.isfinite(getattr(r, name)).all(), name
    assert (r.closeness >= 0).all()
    assert (r.engulfment >= 0).all() and (r.engulfment <= couple.fear_ceiling).all()
    assert (r.abandonment >= 0).all() and (r.abandonment <= couple.fear_ceiling).all()
    assert (r.doubt >= 0).all() and (r.doubt <= 1).all()
    assert (r.learned >= 0).all() and (r.learned <= 1).all()
    assert r.verdict in sim.VERDICTS
    assert r.metrics["ending"] in ("", "growing", "frozen", "break")
    assert (r.metrics["ending"] != "") == (r.verdict == "escalates")
    for value in r.metrics.values():
        assert value is None or isinstance(value, str) or np.isfinite(value)


@FAST
@given(couples(), st.integers(0, 2**32), st.floats(0.01, 1.0))
def test_the_same_seed_gives_an_identical_result(couple, seed, rate):
    a = sim.simulate(couple, steps=300, seed=seed, random_events=rate)
    b = sim.simulate(couple, steps=300, seed=seed, random_events=rate)
    assert a.events == b.events and a.verdict == b.verdict
    np.testing.assert_array_equal(a.closeness, b.closeness)
    np.testing.assert_array_equal(a.move, b.move)


@FAST
@given(couples(), events)
def test_swapping_partners_swaps_their_rows_and_leaves_closeness_unchanged(couple, evs):
    r = sim.simulate(couple, steps=400, events=evs, seed=0)
    s = sim.simulate(couple.swapped(), steps=400, events=evs, seed=0)
    np.testing.assert_array_equal(r.closeness, s.closeness)
    for name in ("move", "engulfment", "abandonment", "doubt"):
        np.testing.assert_array_equal(getattr(r, name), getattr(s, name)[::-1])
    assert r.verdict == s.verdict and r.metrics["ending"] == s.metrics["ending"]
    assert sorted((sig.t, 1 - sig.partner, sig.key) for sig in r.signals) == sorted(s.signals)
