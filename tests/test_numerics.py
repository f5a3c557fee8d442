"""Numerical robustness of the whole model: finite results and stable verdicts everywhere in its ranges.

Every preset under every intervention gives the same verdict with the step halved; the corners of
the parameter space (every parameter at its minimum, at its maximum, mixed, and each expert
override alone at either end) run, stay finite and get a verdict. Ranges come from the field
metadata, never restated here.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import sim
from sim.limits import MAX_RANDOM_RATE
from sim.metrics import GROWTH_TOL
from sim.partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, ParamSpec
from sim.verdict import VERDICTS

ARRAYS = ("t", "closeness", "move", "engulfment", "abandonment", "doubt", "learned")
DAYS = 200.0
"""Every run covers the default 200 days, whatever its step."""


def run(couple: sim.Couple, dt: float, days: float = DAYS, **kwargs: object) -> sim.Result:
    return sim.simulate(couple, steps=round(days / dt), dt=dt, seed=0, **kwargs)  # type: ignore[arg-type]


BOUND = 1e6
"""No state variable of a sane run comes near this (closeness grows to a few hundred at the widest corners);
beyond it the integrator is blowing up, even before it reaches inf."""


def assert_finite(result: sim.Result) -> None:
    """Every recorded array is finite and bounded, every metric finite (metrics may be None: not applicable;
    ``ending`` is a word)."""
    for name in ARRAYS:
        values = np.asarray(getattr(result, name))
        assert np.isfinite(values).all(), f"{name} holds {np.count_nonzero(~np.isfinite(values))} non-finite values"
        if name != "t":
            assert np.abs(values).max() < BOUND, f"{name} reaches {np.abs(values).max():.3g}"
    ceiling = result.couple.fear_ceiling
    assert (result.engulfment >= 0).all() and (result.engulfment <= ceiling).all()
    assert (result.abandonment >= 0).all() and (result.abandonment <= ceiling).all()
    assert (result.doubt >= 0).all() and (result.doubt <= 1).all()
    for key, value in result.metrics.items():
        assert value is None or isinstance(value, str) or math.isfinite(value), f"metric {key} = {value}"
    assert result.verdict in VERDICTS


# --- every preset x every intervention x dt halved ----------------------------------------------

PLANS = {
    "none": [()],
    **{kind: [(sim.Intervention(kind),),
              (sim.Intervention(kind, start=60.0, who="a", strength=0.5),),
              (sim.Intervention(kind, start=60.0, who="b"),)]
       for kind in sim.INTERVENTION_KINDS},
}
"""No intervention, or one kind done by both from day 0, by A from day 60 at half strength, by B from day 60."""


@pytest.mark.parametrize("kind", list(PLANS))
@pytest.mark.parametrize("preset", list(sim.PRESETS))
def test_halving_the_step_keeps_the_verdict(preset: str, kind: str) -> None:
    """The verdict is a property of the couple, not of the step size: dt 0.1 and 0.05 agree."""
    couple = sim.PRESETS[preset]
    for interventions in PLANS[kind]:
        for events in ((), (sim.Event("intimate_moment", at=20.0), sim.Event("conflict", at=90.0))):
            coarse = run(couple, 0.1, interventions=interventions, events=events)
            fine = run(couple, 0.05, interventions=interventions, events=events)
            assert_finite(coarse)
            assert_finite(fine)
            assert coarse.verdict == fine.verdict, (preset, interventions, events, coarse.verdict, fine.verdict)


def test_halving_the_step_keeps_the_closeness_curve() -> None:
    """Halving dt changes the classic trap's closeness by much less than its swing (RK4 converges)."""
    coarse = run(sim.PRESETS["anxious-avoidant"], 0.1)
    fine = run(sim.PRESETS["anxious-avoidant"], 0.05)
    gap = np.abs(coarse.closeness - fine.closeness[::2]).max()
    swing = np.ptp(coarse.closeness)
    assert gap < 0.01 * swing, (gap, swing)


# --- corners of the parameter space -------------------------------------------------------------


def end(spec: ParamSpec, which: str) -> float:
    return {"low": spec.low, "high": spec.high, "mid": 0.5 * (spec.low + spec.high)}[which]


def corner_partner(name: str, which: str) -> sim.Partner:
    """Both scores and every one of the thirteen parameters (as expert overrides) at one end."""
    specs = {**PARTNER_SCORES, **PARTNER_PARAMS}
    return sim.Partner(name=name, **{key: end(spec, which) for key, spec in specs.items()})


def corner_couple(a: str, b: str, pair: str) -> sim.Couple:
    return sim.Couple(a=corner_partner("A", a), b=corner_partner("B", b),
                      **{key: end(spec, pair) for key, spec in COUPLE_PARAMS.items()})


CORNERS = list(itertools.product(("low", "high"), ("low", "high"), ("low", "high")))


@pytest.mark.parametrize(("a", "b", "pair"), CORNERS, ids=["-".join(c) for c in CORNERS])
def test_corner_runs_and_gets_a_verdict(a: str, b: str, pair: str) -> None:
    """All minimum, all maximum and the mixed corners: finite under every intervention and random triggers."""
    couple = corner_couple(a, b, pair)
    for dt in (0.1, 0.05):
        for interventions in [(), *([sim.Intervention(kind)] for kind in sim.INTERVENTION_KINDS)]:
            assert_finite(run(couple, dt, interventions=tuple(interventions)))
        assert_finite(run(couple, dt, random_events=MAX_RANDOM_RATE))


@pytest.mark.parametrize(("a", "b", "pair"), CORNERS, ids=["-".join(c) for c in CORNERS])
def test_corner_agrees_across_backends(a: str, b: str, pair: str) -> None:
    """The compiled and the numpy engine give the same verdict on every corner (one code path)."""
    couple = corner_couple(a, b, pair)
    batch = sim.simulate_batch([couple, couple.swapped()], steps=2000, dt=0.1, seed=0, backend="numpy")
    assert list(batch.verdict) == [run(couple, 0.1).verdict, run(couple.swapped(), 0.1).verdict]


OVERRIDES = [(key, which, who) for key in PARTNER_PARAMS for which in ("low", "high") for who in ("a", "b")]


@pytest.mark.parametrize(("key", "which", "who"), OVERRIDES, ids=[f"{k}-{w}-{p}" for k, w, p in OVERRIDES])
def test_extreme_override_runs_and_gets_a_verdict(key: str, which: str, who: str) -> None:
    """One expert override at an end of its range, on every preset, at the default step and half of it."""
    value = end(PARTNER_PARAMS[key], which)
    for preset in sim.PRESETS.values():
        partner = getattr(preset, who)
        changed = sim.Partner(name=partner.name, anxiety=partner.anxiety, avoidance=partner.avoidance, **{key: value})
        couple = sim.Couple(a=changed, b=preset.b) if who == "a" else sim.Couple(a=preset.a, b=changed)
        for dt in (0.1, 0.05):
            assert_finite(run(couple, dt, events=(sim.Event("intimate_moment", at=20.0),)))


def fastest_behaviour() -> sim.Couple:
    """The classic trap with every lag of partner A at its minimum (0.05 day)."""
    fast = {key: PARTNER_PARAMS[key].low for key in ("alarm_lag", "fear_lag", "move_lag")}
    return sim.Couple(a=sim.Partner(name="A", anxiety=0.75, avoidance=0.15, **fast),
                      b=sim.Partner(name="B", anxiety=0.15, avoidance=0.75))


def stiffest() -> sim.Couple:
    """Every lag at its minimum and every gain at its maximum: the alarm chain runs at 3 / 0.05 = 60 stages
    per day, fed by gains of 12, into moves with responsiveness 5, under a fear ceiling of 10 and a doubt
    that can tip within a day. The stiffest couple the metadata allow."""
    fast = {key: spec.low if spec.unit == "day" and key.endswith(("lag", "time")) else spec.high
            for key, spec in PARTNER_PARAMS.items()}
    fast["comfort_ceiling"] = PARTNER_PARAMS["comfort_ceiling"].low
    fast["doubt_threshold"] = PARTNER_PARAMS["doubt_threshold"].low
    return sim.Couple(a=sim.Partner(name="A", anxiety=1.0, avoidance=0.0, **fast),
                      b=sim.Partner(name="B", anxiety=0.0, avoidance=1.0, **fast),
                      closeness0=COUPLE_PARAMS["closeness0"].high, fading=COUPLE_PARAMS["fading"].low,
                      fear_ceiling=COUPLE_PARAMS["fear_ceiling"].high)


def fastest_fading() -> sim.Couple:
    """Two partners without fear, starting apart, closeness fading at its fastest (found by tests/test_fuzz.py)."""
    calm = sim.Partner(name="A", anxiety=0.0, avoidance=0.0)
    return sim.Couple(a=calm, b=sim.Partner(name="B", anxiety=0.0, avoidance=0.0), closeness0=0.0,
                      fading=COUPLE_PARAMS["fading"].high, fear_ceiling=COUPLE_PARAMS["fear_ceiling"].low)


@pytest.mark.parametrize(("couple", "dt"), [
    *((fastest_behaviour, dt) for dt in (0.1, 0.2, 0.5, 1.0)),
    (stiffest, 0.1),
    (stiffest, 0.5),
    (stiffest, 1.0),
    (fastest_fading, 0.1),
    (fastest_fading, 0.5),
    (fastest_fading, 1.0),
], ids=["behaviour-0.1", "behaviour-0.2", "behaviour-0.5", "behaviour-1", "stiffest-0.1", "stiffest-0.5", "stiffest-1",
        "fading-0.1",
        "fading-0.5", "fading-1"])
def test_fastest_rates_at_coarse_steps(couple: Any, dt: float) -> None:
    """The fastest rates the metadata allow, at steps up to the largest the API (and the page) accept, stay finite.

    Without the engine's RK4 sub-steps (``sim.dynamics.fastest_rate``) the coarse steps blow up to inf/NaN.
    """
    assert_finite(run(couple(), dt, days=300.0, events=(sim.Event("conflict", at=30.0),)))


def test_longest_run_the_api_accepts_is_finite() -> None:
    """The classic trap over the largest step count (1,000,000 steps: 100,000 days) stays bounded."""
    result = sim.simulate_batch([sim.PRESETS["anxious-avoidant"]], steps=sim.limits.MAX_STEPS, dt=0.1, seed=0)
    assert result.verdict[0] in VERDICTS
    numbers = [v for v in result.metrics.values() if v.dtype.kind == "f"]
    assert len(numbers) >= 15
    assert all(np.isfinite(v).all() | np.isnan(v).all() for v in numbers)


def fastest_rate(couple: sim.Couple) -> float:
    """A bound on the fastest rate (1/day) in the couple's equations, from the equations themselves.

    Each alarm stage relaxes at 3 / alarm_lag, the fear of being left at 1 / fear_lag, an effort at
    1 / move_lag, closeness fades at ``fading``; an effort answers a feeling with gain
    ``responsiveness / move_lag``, and the doubt switch turns at up to (1 + 0.25 x twice the ceiling) / doubt_time.
    An explicit step of dt is stable when dt times this is about 1 or less.
    """
    rates = [couple.fading]
    for partner in (couple.a, couple.b):
        p = partner.params()
        rates += [3.0 / p["alarm_lag"], 1.0 / p["fear_lag"], 1.0 / p["move_lag"],
                  (1.0 + 0.25 * 2.0 * couple.fear_ceiling) / p["doubt_time"], p["responsiveness"] / p["move_lag"]]
    return max(rates)


def stable_step(couple: sim.Couple) -> float:
    """The default step, or a finer one so that dt x fastest rate <= 1."""
    return min(sim.DEFAULT_DT, 1.0 / fastest_rate(couple))


def test_presets_and_corners_are_inside_the_stable_region_at_the_default_step() -> None:
    """Every preset can run at the default step: stable_step does not have to refine it."""
    for couple in sim.PRESETS.values():
        assert stable_step(couple) == sim.DEFAULT_DT


levels = st.sampled_from(("low", "mid", "high"))


@st.composite
def mixed_corners(draw: st.DrawFn) -> sim.Couple:
    """Every score and parameter of both partners and the couple independently at low, middle or high."""
    def partner(name: str) -> sim.Partner:
        return sim.Partner(name=name, **{key: end(spec, draw(levels))
                                         for key, spec in {**PARTNER_SCORES, **PARTNER_PARAMS}.items()})
    return sim.Couple(a=partner("A"), b=partner("B"), **{key: end(spec, draw(levels))
                                                       for key, spec in COUPLE_PARAMS.items()})


def _corner(levels_a: dict[str, str], levels_b: dict[str, str], **couple: str) -> sim.Couple:
    """A mixed corner written as levels: every entry not named is low."""
    specs = {**PARTNER_SCORES, **PARTNER_PARAMS}

    def partner(name: str, chosen: dict[str, str]) -> sim.Partner:
        return sim.Partner(name=name, **{key: end(spec, chosen.get(key, "low")) for key, spec in specs.items()})
    return sim.Couple(a=partner("A", levels_a), b=partner("B", levels_b),
                      **{key: end(spec, couple.get(key, "low")) for key, spec in COUPLE_PARAMS.items()})


# RK4 stages below closeness 0, where the floor share grew again as c^2 and drove A away by a
# step-dependent amount (tension 5.1 / 0.86 / 0.66 at dt, dt/2, dt/4 before the fix; 0.62 at all three now)
FLOOR_STAGES = _corner(
    {"anxiety": "high", "avoidance": "high", "comfort_ceiling": "high", "closeness_alarm": "high",
     "pressure_alarm": "high", "withdrawal_fear": "high", "responsiveness": "high", "alarm_lag": "high",
     "fear_lag": "high", "move_lag": "high", "doubt_threshold": "mid", "doubt_time": "high"},
    {"longing": "mid", "security_floor": "mid", "closeness_alarm": "mid", "pressure_alarm": "high",
     "withdrawal_fear": "mid", "alarm_lag": "mid", "fear_lag": "high", "doubt_threshold": "mid", "doubt_time": "high"},
    closeness0="mid", fear_ceiling="high")
# a conflict's swing six times the rounds after it: the zig-zag's hysteresis never found them at dt/2
SMALL_ROUNDS_AFTER_A_JOLT = _corner(
    {"anxiety": "mid", "longing": "mid", "comfort_ceiling": "mid", "closeness_alarm": "high",
     "pressure_alarm": "mid", "distance_fear": "mid", "withdrawal_fear": "mid", "relief": "mid",
     "alarm_lag": "high", "move_lag": "high", "doubt_threshold": "high"},
    {"longing": "mid", "closeness_alarm": "high", "pressure_alarm": "mid", "distance_fear": "high",
     "relief": "high", "responsiveness": "mid", "alarm_lag": "mid", "fear_lag": "mid", "move_lag": "high",
     "doubt_threshold": "high", "doubt_time": "high"},
    fading="mid", fear_ceiling="mid")
# three rounds of 64 days shrinking by a factor 0.8001 over the late window: on the tolerance 0.8
ROUNDS_ON_THE_TOLERANCE = _corner(
    {"anxiety": "mid", "longing": "mid", "comfort_ceiling": "high", "security_floor": "high", "closeness_alarm": "mid",
     "pressure_alarm": "high", "withdrawal_fear": "high", "relief": "mid", "alarm_lag": "high", "fear_lag": "mid",
     "move_lag": "high", "doubt_threshold": "mid", "doubt_time": "high"},
    {"anxiety": "high", "longing": "high", "closeness_alarm": "mid", "pressure_alarm": "mid", "distance_fear": "mid",
     "relief": "high", "responsiveness": "mid", "alarm_lag": "high", "fear_lag": "high", "move_lag": "high",
     "doubt_threshold": "high"},
    closeness0="mid", fading="mid", fear_ceiling="high")


@settings(max_examples=40, deadline=None)
@given(couple=mixed_corners(), kind=st.sampled_from([None, *sim.INTERVENTION_KINDS]))
@example(couple=FLOOR_STAGES, kind="commitment")
@example(couple=SMALL_ROUNDS_AFTER_A_JOLT, kind="responsibility")
@example(couple=ROUNDS_ON_THE_TOLERANCE, kind="acknowledge")
def test_mixed_corners_stay_finite_at_a_stable_step(couple: sim.Couple, kind: str | None) -> None:
    """Random mixtures of extremes (3^31 of them), at a step inside the stable region and at half of it, stay
    finite and bounded and get the same verdict.

    Mixtures outside the default step's stable region exist (an alarm stage at 60 per day); the engine takes
    RK4 sub-steps for them by itself (``sim.dynamics.fastest_rate``), and here the step is refined as well.
    """
    interventions = () if kind is None else (sim.Intervention(kind),)
    dt = stable_step(couple)
    coarse, fine = (run(couple, step, interventions=interventions, events=(sim.Event("conflict", at=30.0),))
                    for step in (dt, dt / 2))
    assert_finite(coarse)
    assert_finite(fine)
    assert coarse.verdict == fine.verdict or (on_the_growth_tolerance(coarse) and on_the_growth_tolerance(fine)), (
        coarse.verdict, fine.verdict, coarse.metrics["growth_rate"], fine.metrics["growth_rate"])


def on_the_growth_tolerance(result: sim.Result) -> bool:
    """Rounds whose fitted rate lies within 1 % of the tolerance that splits steady from fading or growing
    (``sim.metrics.GROWTH_TOL`` over the late window): any step size may read them either way."""
    rate = result.metrics["growth_rate"]
    tol = GROWTH_TOL / (DAYS / 2)
    return rate is not None and abs(abs(rate) - tol) < 0.01 * tol
