"""What helps a couple (sim.helps): the fifteen runs, their ranking, and what the model says across the trap.

The couples are drawn across the trap region (A anxious, B avoidant) with a seeded generator, so
that the claims are about the region, not about a preset.
"""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.helps import HelpRanking, what_helps

STEPS = 1500
"""150 days: shorter than the page's 200, to keep the draws quick; the help starts on day 40."""
START = 40.0


def trap_couples(count: int, seed: int) -> list[sim.Couple]:
    """Couples across the trap region: A's anxiety 0.5-1 and avoidance 0-0.4, B the other way round."""
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(name="A", anxiety=rng.uniform(0.5, 1.0), avoidance=rng.uniform(0.0, 0.4)),
                       b=sim.Partner(name="B", anxiety=rng.uniform(0.0, 0.4), avoidance=rng.uniform(0.5, 1.0)))
            for _ in range(count)]


@pytest.fixture(scope="module")
def rankings() -> list[HelpRanking]:
    return [what_helps(couple, start=START, steps=STEPS, seed=k) for k, couple in enumerate(trap_couples(24, 5))]


def test_each_doer_gets_the_five_kinds_ranked_by_the_relief_they_bring(rankings: list[HelpRanking]) -> None:
    for ranking in rankings:
        assert set(ranking.by_who) == {"a", "b", "both"}
        for who, helps in ranking.by_who.items():
            assert [h.kind for h in sorted(helps, key=lambda h: h.kind)] == sorted(sim.INTERVENTION_KINDS)
            assert all(h.who == who for h in helps)
            reliefs = [h.relief for h in helps]
            assert reliefs == sorted(reliefs, reverse=True)
        assert ranking.best().relief == max(h.relief for helps in ranking.by_who.values() for h in helps)


def test_the_relief_is_what_the_same_run_with_and_without_the_help_shows() -> None:
    rng = np.random.default_rng(11)
    for couple in trap_couples(4, 12):
        kind = str(rng.choice(list(sim.INTERVENTION_KINDS)))
        who = str(rng.choice(["a", "b", "both"]))
        events = (sim.Event("conflict", at=float(rng.uniform(5, 100))),)
        ranking = what_helps(couple, start=START, steps=STEPS, seed=3, events=events, random_events=0.02)
        help_ = next(h for h in ranking.by_who[who] if h.kind == kind)
        runs = dict(steps=STEPS, seed=3, events=events, random_events=0.02)
        without = sim.simulate(couple, **runs)
        with_help = sim.simulate(couple, interventions=(sim.Intervention(kind, start=START, who=who),), **runs)
        assert ranking.verdict == without.verdict and help_.verdict == with_help.verdict
        assert help_.relief == pytest.approx(1 - with_help.metrics["tension"] / without.metrics["tension"], abs=1e-9)
        assert help_.calmer == pytest.approx(1 - with_help.metrics["amplitude"] / without.metrics["amplitude"],
                                             abs=1e-9)
        late = without.t >= without.t[-1] / 2
        own = 1 if who == "b" else 0
        fear = [(r.engulfment[own, late] + r.abandonment[own, late]).mean() for r in (without, with_help)]
        assert help_.own_relief == pytest.approx(1 - fear[1] / fear[0], abs=1e-9)


def test_help_at_strength_zero_changes_nothing() -> None:
    for couple in trap_couples(3, 21):
        ranking = what_helps(couple, start=START, steps=STEPS, strength=0.0)
        for helps in ranking.by_who.values():
            for h in helps:
                assert (h.relief, h.own_relief, h.other_relief, h.calmer) == (0.0, 0.0, 0.0, 0.0)
                assert h.verdict == ranking.verdict


def test_the_order_comes_from_the_runs_not_from_a_fixed_list(rankings: list[HelpRanking]) -> None:
    orders = {tuple(h.kind for h in ranking.by_who["b"]) for ranking in rankings}
    assert len(orders) >= 2, orders


def test_across_the_trap_help_done_together_relieves_at_least_as_much_as_either_alone(
        rankings: list[HelpRanking]) -> None:
    for ranking in rankings:
        relief = {(h.kind, h.who): h.relief for helps in ranking.by_who.values() for h in helps}
        for kind in sim.INTERVENTION_KINDS:
            assert relief[kind, "both"] >= max(relief[kind, "a"], relief[kind, "b"]) - 0.02, (kind, ranking.couple)


def test_across_the_trap_staying_committed_is_the_withdrawers_part(rankings: list[HelpRanking]) -> None:
    for ranking in rankings:
        relief = {(h.kind, h.who): h.relief for helps in ranking.by_who.values() for h in helps}
        assert relief["commitment", "b"] > relief["commitment", "a"]  # B is the one who pulls back
        assert relief["commitment", "a"] < 0.05


def test_a_dance_that_came_to_rest_says_how_long_after_the_start(rankings: list[HelpRanking]) -> None:
    came_to_rest = [h for ranking in rankings for helps in ranking.by_who.values() for h in helps
                    if h.settled_after is not None]
    assert came_to_rest, "some help brings some trap couple to rest within the run"
    for h in came_to_rest:
        assert h.verdict == "settles"
        assert 0.0 <= h.settled_after <= STEPS * sim.DEFAULT_DT - START


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"start": -1.0}, "start"), ({"start": 80.0}, "start"), ({"strength": 1.5}, "strength"),
    ({"steps": 0}, "steps"), ({"random_events": -0.1}, "random_events")])
def test_bad_settings_are_refused_by_name(kwargs: dict[str, float], field: str) -> None:
    settings = {"start": START, "steps": STEPS, **kwargs}
    with pytest.raises(ValueError, match=field):
        what_helps(sim.PRESETS["anxious-avoidant"], **settings)


def test_only_a_couple_is_tried() -> None:
    with pytest.raises(ValueError, match="sim.Couple"):
        what_helps(sim.PRESETS["anxious-avoidant"].a)  # type: ignore[arg-type]
