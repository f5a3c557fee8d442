"""Tests of the workshop's story (sim/story.py): seven steps, each a run of the model up to a moment,
with the answer to its question derived from the run. The workshop's texts, charts and page are
tested in tests/test_workshop.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim import story as stories
from sim.metrics import SAFE
from sim.signals import WITHDRAW_AT

TRAP = sim.PRESETS["anxious-avoidant"]


def test_the_story_has_seven_steps_in_order_each_a_run_up_to_its_moment(trap_story):
    assert tuple(v.key for v in trap_story.steps) == stories.STEPS
    for index, view in enumerate(trap_story.steps):
        assert view.index == index
        assert view.result.t[-1] == pytest.approx(view.until, abs=stories.DT)
        assert 0.0 <= view.start < view.until
        assert 0.0 <= view.moment <= view.until + 1e-9
        assert view.answer in stories.CHOICES[view.key]
    untils = [v.until for v in trap_story.steps]
    assert untils == sorted(untils)
    assert trap_story.treated.t[-1] == pytest.approx(stories.END)


def test_each_step_is_the_start_of_the_same_deterministic_run(trap_story):
    """Running the model to a step's day gives exactly the first days of the full story."""
    for view in trap_story.steps:
        full = trap_story.treated if view.key in ("intervention", "settling") else trap_story.untreated
        n = view.result.t.shape[0]
        if view.key in ("intimate", "withdrawal", "pursuit", "rounds"):
            np.testing.assert_allclose(view.result.closeness[:n], full.closeness[:n], atol=1e-12)
        else:
            np.testing.assert_array_equal(view.result.closeness, full.closeness[:n])
            np.testing.assert_array_equal(view.result.abandonment, full.abandonment[:, :n])


def test_the_classic_trap_tells_the_whole_dance(trap_story):
    """B feels the alarm after the intimate evening and takes distance within a day; A pursues; the
    rounds keep coming back, about one a week; stress and quarrels shake them and the old pattern
    returns; "create safety" lowers the fear and the dance settles, while without it the rounds go on."""
    assert (trap_story.withdrawer, trap_story.pursuer) == (1, 0)
    answers = {v.key: v.answer for v in trap_story.steps}
    assert answers == {"intimate": "b", "withdrawal": "distance", "pursuit": "pursues", "rounds": "cycles",
                       "escalation": "absorbed", "intervention": "lower", "settling": "settles"}
    withdrawal, pursuit = trap_story.step("withdrawal"), trap_story.step("pursuit")
    assert stories.INTIMATE_AT < withdrawal.moment < stories.INTIMATE_AT + 2.0
    assert withdrawal.moment < pursuit.moment < withdrawal.moment + 3.0
    i = int(round(withdrawal.moment / stories.DT))
    assert withdrawal.result.move[1, i] < WITHDRAW_AT < withdrawal.result.move[1, i - 10]
    assert sim.SIGNALS[withdrawal.fields["signal_key"]]["kind"] == "withdraw"
    assert sim.SIGNALS[pursuit.fields["signal_key"]]["kind"] == "pursue"
    rounds = trap_story.step("rounds")
    assert len(rounds.marks) >= 10 and 5.0 < rounds.fields["period"] < 7.0
    assert trap_story.untreated.verdict == "cycles"
    settle = trap_story.step("settling").moment
    assert stories.INTERVENTION_AT < settle < stories.END


def _without_the_evening(until: float) -> sim.Result:
    return sim.simulate(TRAP, steps=int(round(until / stories.DT)), dt=stories.DT, seed=0)


def _first(result: sim.Result, who: int, kind: str, after: float) -> float:
    return min(s.t for s in result.signals if s.partner == who and s.t >= after and sim.SIGNALS[s.key]["kind"] == kind)


def test_in_the_classic_trap_the_evening_not_the_first_round_sets_off_the_alarm(trap_story):
    """Against the same days without the intimate evening: B's alarm climbs far higher within four days,
    B's withdrawal comes sooner, and A's next pursuit comes days earlier (the evening on day 1 falls
    before the trap's own first round has begun)."""
    at = stories.INTIMATE_AT
    with_it, without = trap_story.untreated, _without_the_evening(40.0)
    days = slice(int(round(at / stories.DT)), int(round((at + 4.0) / stories.DT)))
    assert without.engulfment[1, int(round(at / stories.DT))] < SAFE
    assert with_it.engulfment[1, days].max() > 1.5 * without.engulfment[1, days].max()
    withdrawal = trap_story.step("withdrawal").moment
    assert withdrawal < _first(without, 1, "withdraw", at)
    assert trap_story.step("pursuit").moment + 3.0 < _first(without, 0, "pursue", withdrawal)


def test_in_the_classic_trap_stress_shakes_them_and_the_old_rounds_return(trap_story):
    """The trap is a steady dance: four weeks of stress and quarrels raise the fear while they last,
    and after them the rounds come back with the same length and size as before."""
    r = trap_story.step("escalation").result

    def rounds(start: float, end: float) -> tuple[float, float]:
        window = (r.t >= start) & (r.t <= end)
        peaks = stories._peaks(r.closeness[window], r.t[window], start)
        return float(np.mean(np.diff(peaks))), float(np.ptp(r.closeness[window]))

    before, after = rounds(55.0, 100.0), rounds(130.0, 145.0)
    assert after[0] == pytest.approx(before[0], rel=0.1) and after[1] == pytest.approx(before[1], rel=0.15)
    view = trap_story.step("escalation")
    assert view.fields["tension_after"] == pytest.approx(view.fields["tension_before"], rel=0.2)
    during = stories._window(r, 100.0, 124.0)
    assert stories._tension(r, during) > view.fields["tension_before"]


def test_a_secure_couple_absorbs_the_closeness_and_the_stress(secure_story):
    answers = {v.key: v.answer for v in secure_story.steps}
    assert answers == {"intimate": "both", "withdrawal": "stays", "pursuit": "space", "rounds": "settles",
                       "escalation": "absorbed", "intervention": answers["intervention"], "settling": "settles"}
    assert secure_story.step("rounds").marks == ()
    natural = secure_story.step("rounds").result  # no stress yet: the evening is all there is
    assert natural.engulfment.max() < SAFE and secure_story.untreated.doubt.max() < 0.01
    assert secure_story.step("intimate").fields["alarm"] < SAFE  # "both alarms rise a little"


@pytest.mark.parametrize("name", list(sim.PRESETS))
def test_the_answers_are_the_models_own_verdicts(name):
    story = stories.build_story(sim.PRESETS[name], "acknowledge")
    assert story.step("rounds").answer == story.step("rounds").result.verdict
    assert story.step("settling").answer == story.treated.verdict
    assert story.withdrawer != story.pursuer
    w = story.step("withdrawal")
    signals = [s for s in w.result.signals if s.partner == story.withdrawer
               and sim.SIGNALS[s.key]["kind"] == "withdraw" and s.t >= stories.INTIMATE_AT]
    assert (w.answer == "distance") == bool(signals)


def test_swapping_the_partners_swaps_the_roles_and_the_answers(trap_story):
    swapped = stories.build_story(TRAP.swapped(), "safety")
    assert (swapped.withdrawer, swapped.pursuer) == (0, 1)
    assert swapped.step("intimate").answer == "a"
    assert [v.answer for v in swapped.steps[1:]] == [v.answer for v in trap_story.steps[1:]]


def test_an_unknown_intervention_is_refused():
    with pytest.raises(ValueError, match="unknown intervention"):
        stories.build_story(TRAP, "magic")


def test_the_story_scenario_round_trips_as_a_scenario_file():
    s = stories.story_scenario(TRAP, "coaching", "nl")
    again = sim.scenario.load_scenario(sim.scenario.save_scenario(s))
    assert again == s
    r = sim.simulate(s.couple, **s.run_kwargs())
    assert r.verdict == stories.build_story(TRAP, "coaching").treated.verdict
