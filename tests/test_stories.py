"""Named scenarios: each test tells one behaviour of MODEL_BRIEF section 1 as a story.

Partner A is Sam, partner B is Noor, unless the story says otherwise.
"""

import numpy as np

import sim

DT = 0.1


def _step(day: float) -> int:
    return int(round(day / DT))


def test_an_intimate_moment_sets_off_the_avoidant_partners_withdrawal_after_a_lag():
    """Sam (secure) and Noor (some fear of closeness) are at ease. On day 60 they share an intimate
    evening. Closeness jumps above Noor's comfort ceiling; her alarm builds over the next day or two and
    she withdraws (a visible withdrawal signal), then comes back. Sam feels the rush too but does
    not pull away."""
    couple = sim.Couple(a=sim.Partner(name="Sam", anxiety=0.1, avoidance=0.1),
                        b=sim.Partner(name="Noor", anxiety=0.15, avoidance=0.5))
    r = sim.simulate(couple, steps=1200, events=(sim.Event("intimate_moment", at=60.0),))
    i = _step(60)
    assert r.closeness[i + 1] > r.closeness[i - 1] + 1.0
    assert r.move[1, i - 1] > -0.05  # not withdrawing before
    after = r.move[1, i:i + _step(10)]
    assert after.min() < -0.2  # a clear withdrawal
    assert np.argmin(after) * DT > 1.0  # the reflex comes with a lag, not at once
    assert r.engulfment[1, i:i + _step(10)].max() > r.engulfment[1, i - 1] + 0.3
    assert r.move[0, i:i + _step(10)].min() > -0.1
    kinds = [sim.SIGNALS[s.key]["kind"] for s in r.signals if s.partner == 1 and 60 <= s.t <= 70]
    assert kinds[0] == "withdraw" and "return" in kinds


def test_withdrawal_feels_safe_to_the_withdrawer_and_like_rejection_to_the_pursuer():
    """In the classic trap, each time Noor (B) withdraws, her own alarm eases before she comes back,
    while Sam's (A) fear of being left climbs."""
    r = sim.simulate(sim.PRESETS["anxious-avoidant"])
    b_signals = [(s.t, sim.SIGNALS[s.key]["kind"]) for s in r.signals if s.partner == 1]
    pairs = zip(b_signals, b_signals[1:], strict=False)
    episodes = [(t0, t1) for (t0, k0), (t1, k1) in pairs if k0 == "withdraw" and k1 == "return"]
    assert len(episodes) >= 10
    for t0, t1 in episodes:
        i, j = _step(t0), _step(t1)
        peak = i + int(np.argmax(r.engulfment[1, i:j + 1]))
        assert r.engulfment[1, j] < r.engulfment[1, peak]  # relief for the withdrawer
        assert r.abandonment[0, i:j + 1].max() > r.abandonment[0, i] + 0.1  # alarm for the other


def test_rising_abandonment_fear_turns_into_pursuit_which_presses_on_the_avoidant():
    """Sam's fear of being left rises when Noor withdraws, and Sam reaches out harder (pursuit
    signals, each at a moment of raised fear); the pressure adds to Noor's alarm: the same closeness
    with a pursuing Sam alarms Noor more."""
    couple = sim.PRESETS["anxious-avoidant"]
    r = sim.simulate(couple)
    pursuits = [s for s in r.signals if s.partner == 0 and sim.SIGNALS[s.key]["kind"] == "pursue"]
    assert len(pursuits) >= 3
    assert all(r.abandonment[0, _step(s.t)] > 0.3 for s in pursuits)
    p_sam = sim.dynamics.to_rates(couple.a.param_vector())
    assert sim.dynamics.act(1.0, 0.0, 0.8, 0.0, 0.0, p_sam) > sim.dynamics.act(1.0, 0.0, 0.2, 0.0, 0.0, p_sam) + 0.3
    p_noor = sim.dynamics.to_rates(couple.b.param_vector())
    calm, _ = sim.dynamics.feel(0.5, 0.0, 0.0, p_noor, couple.fear_ceiling)
    pressed, _ = sim.dynamics.feel(0.5, 0.0, 0.6, p_noor, couple.fear_ceiling)
    assert pressed > calm + 0.3


def test_the_dance_goes_on_in_steady_rounds_and_comes_back_with_a_next_partner():
    """The classic trap neither settles nor explodes: rounds of about a week and of steady size keep
    coming back. When Sam, untrained, starts again with a new partner who also fears closeness, the
    same dance returns."""
    r = sim.simulate(sim.PRESETS["anxious-avoidant"])
    assert r.verdict == "cycles"
    assert r.metrics["period"] is not None and 3 < r.metrics["period"] < 30
    assert 0.8 < r.metrics["growth"] < 1.25 and r.metrics["amplitude"] > 0.2
    sam, _ = r.partners_after()
    new = sim.simulate(sim.Couple(a=sam, b=sim.Partner(name="Kim", anxiety=0.15, avoidance=0.8)))
    assert new.verdict == "cycles"


def test_a_stronger_trap_escalates_and_ends_in_a_break():
    """With the highest fear on both sides the rounds wear the bond down: the fears stay above what
    Sam can carry, the doubt 'do I stay or do I go?' climbs for months and tips, and the pair breaks
    up; what is left is distance, with both efforts at rest."""
    r = sim.simulate(sim.PRESETS["intense-trap"])
    assert r.verdict == "escalates" and r.metrics["ending"] in ("growing", "break")
    assert r.doubt[0, r.steps // 4] < r.doubt[0, r.steps // 2] < r.doubt[0, -1]  # it grows over months
    longer = sim.simulate(sim.PRESETS["intense-trap"], steps=10000)
    assert longer.metrics["ending"] == "break" and longer.doubt.max() > 0.99
    assert longer.closeness[-1] < 0.05


def test_neither_partner_is_without_love_both_move_toward_the_other_at_times():
    """Ambivalence: Noor, who withdraws, also longs for closeness: in every round she pulls away hard,
    then eases off by more than half and lets closeness grow again; both partners long."""
    r = sim.simulate(sim.PRESETS["anxious-avoidant"])
    late = r.move[1, r.steps // 2:]
    assert late.min() < -0.6 and late.max() > 0.5 * late.min()
    assert r.move[0].max() > 0.2
    assert sim.Partner(avoidance=1.0).params()["longing"] > 0


def test_a_secure_partner_buffers_either_style():
    """Put a secure partner beside the anxious Sam, or beside the avoidant Noor: the pair settles, with
    less tension than the two of them together."""
    trap = sim.PRESETS["anxious-avoidant"]
    secure = sim.Partner(name="Ari", anxiety=0.1, avoidance=0.1)
    trap_tension = sim.simulate(trap).metrics["tension"]
    for couple in (sim.Couple(a=trap.a, b=secure), sim.Couple(a=secure, b=trap.b)):
        r = sim.simulate(couple)
        assert r.verdict == "settles"
        assert r.metrics["tension"] < trap_tension


def test_a_strongly_anxious_and_strongly_avoidant_pair_does_not_settle_without_help():
    for anxiety, avoidance in ((0.8, 0.8), (0.9, 0.85), (0.95, 0.95), (0.85, 0.9)):
        couple = sim.Couple(a=sim.Partner(anxiety=anxiety, avoidance=0.1),
                            b=sim.Partner(anxiety=0.1, avoidance=avoidance))
        assert sim.simulate(couple).verdict != "settles", (anxiety, avoidance)


def test_the_explanation_names_the_loop_and_who_plays_which_part():
    """The plain-words verdict says who withdraws and who pursues, and why the dance keeps turning;
    for an escalating pair it says how it ends."""
    trap = sim.simulate(sim.PRESETS["anxious-avoidant"])
    assert trap.loop() == ("pursue_withdraw", 1, 0)
    strong = sim.simulate(sim.PRESETS["intense-trap"])
    assert strong.loop() == ("pursue_withdraw", 1, 0)
    assert sim.verdict.ENDING_TEXT[strong.metrics["ending"]]["en"] in strong.explain("en")[0]
    assert sim.simulate(sim.PRESETS["secure"]).loop()[0] == "buffered"
    named = sim.Couple(a=sim.Partner(name="Sam", anxiety=0.95, avoidance=0.1),
                       b=sim.Partner(name="Noor", anxiety=0.1, avoidance=0.95))
    sentence = sim.simulate(named).explain("nl")[1]
    assert sentence.index("Noor") < sentence.index("Sam")
    assert all(text["en"] and text["nl"] for text in sim.verdict.LOOP_TEXT.values())
