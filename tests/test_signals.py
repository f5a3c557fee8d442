"""Tests of sim/signals.py: signals read from hand-made series, and the roles they give in the model.

The hand-made series are sines whose turning points and threshold crossings can be worked out on
paper; the model-level tests check the roles over populations: in the classic trap the anxious
partner pursues and the avoidant partner withdraws, round after round, and a secure partner does
not withdraw after an intimate moment.
"""

import math

import numpy as np
import pytest

import sim
from sim.signals import PURSUE_AT, SIGNALS, TURN, WITHDRAW_AT, detect_signals

DT = 0.1
T = np.arange(601) * DT
"""60 days in steps of 0.1 day."""
WAVE = np.sin(2 * np.pi * T / 6.0)
"""Rounds of 6 days: peaks on days 1.5 + 6k, troughs on days 4.5 + 6k."""


def kinds_of(signals, who):
    return [(round(s.t, 6), SIGNALS[s.key]["kind"]) for s in signals if s.partner == who]


def series(move_a, move_b, engulfment=0.0, abandonment=0.0, doubt=0.0):
    full = np.ones_like(T)
    return (T, np.stack([move_a, move_b]), np.stack([engulfment * full] * 2), np.stack([abandonment * full] * 2),
            np.stack([doubt * full] * 2) if np.ndim(doubt) == 0 else np.stack([doubt, 0 * full]))


def test_thresholds_follow_from_the_move_definition():
    """A move is the effort beyond the calm pull k w (at most 0.26 for derived partners): a withdrawal
    signal needs an effort of at least 0.1 away from the partner, so a move below -(0.1 + 0.26)."""
    assert math.isclose(WITHDRAW_AT, -0.36)
    assert PURSUE_AT > 0 and TURN > 0


def test_every_round_of_withdrawal_is_named_and_every_return():
    """A's move -0.8 + 0.3 sin: always below WITHDRAW_AT, in rounds of 6 days.

    Each falling phase starts at a peak (day 1.5 + 6k) already below the threshold: a withdrawal there, ten in
    60 days. Each rising phase after one is a return once the move has risen TURN = 0.1 above its trough:
    0.3 (1 - cos(2 pi s / 6)) > 0.1 first at s > 6 arccos(2/3) / (2 pi) = 0.803 days, so on the grid at 0.9 day
    after each trough: days 5.4 + 6k.
    """
    signals = detect_signals(*series(-0.8 + 0.3 * WAVE, 0.0 * WAVE, engulfment=0.9))
    assert 6 * math.acos(2 / 3) / (2 * math.pi) == pytest.approx(0.803, abs=1e-3)
    expected = sorted([(1.5 + 6 * k, "withdraw") for k in range(10)] + [(5.4 + 6 * k, "return") for k in range(10)])
    assert kinds_of(signals, 0) == [(pytest.approx(t), kind) for t, kind in expected]
    assert kinds_of(signals, 1) == []
    # engulfment 0.9 is a strong fear: the strong signs take turns
    strong = [s.key for s in signals if SIGNALS[s.key]["kind"] == "withdraw"]
    assert strong[:4] == ["silent_treatment", "stays_out", "snaps", "nothing_wrong"] and strong[4] == "silent_treatment"


def test_every_round_of_pursuit_is_named_while_the_fear_of_being_left_is_felt():
    """B's move 0.8 + 0.3 sin, above PURSUE_AT throughout, with a fear of being left of 0.5: a pursuit at the
    start of each rising phase, day 0 and each trough (4.5 + 6k), eleven in all; without the fear, none."""
    signals = detect_signals(*series(0.0 * WAVE, 0.8 + 0.3 * WAVE, abandonment=0.5))
    expected = [(0.0, "pursue")] + [(4.5 + 6 * k, "pursue") for k in range(10)]
    assert kinds_of(signals, 1) == [(pytest.approx(t), kind) for t, kind in expected]
    assert {SIGNALS[s.key]["level"] for s in signals} == {1}  # fear 0.5: a clear sign
    assert detect_signals(*series(0.0 * WAVE, 0.8 + 0.3 * WAVE, abandonment=0.2)) == ()


def test_wiggles_smaller_than_a_turn_are_not_new_rounds():
    fast = 0.03 * np.sin(2 * np.pi * T / 0.7)
    plain = kinds_of(detect_signals(*series(-0.8 + 0.3 * WAVE, 0.0 * WAVE, engulfment=0.9)), 0)
    wiggly = kinds_of(detect_signals(*series(-0.8 + 0.3 * WAVE + fast, 0.0 * WAVE, engulfment=0.9)), 0)
    assert [k for _, k in wiggly] == [k for _, k in plain]
    for (t1, _), (t2, _) in zip(wiggly, plain, strict=True):
        assert abs(t1 - t2) < 0.5


def test_a_calm_partner_and_a_shallow_dip_give_no_signal():
    assert detect_signals(*series(0.0 * WAVE, 0.0 * WAVE)) == ()
    # a dip to -0.3: less warmth than usual, not a move away
    assert detect_signals(*series(-0.3 * np.maximum(WAVE, 0), 0.0 * WAVE, engulfment=0.5)) == ()


def test_doubt_shows_once_it_passes_its_level():
    doubt = np.clip((T - 10.0) / 20.0, 0.0, 1.0)  # passes 0.3 on day 16
    signals = detect_signals(*series(0.0 * WAVE, 0.0 * WAVE, doubt=doubt))
    assert [(round(s.t, 6), s.partner, SIGNALS[s.key]["kind"]) for s in signals] == [(16.1, 0, "despair")]


# --- in the model -------------------------------------------------------------------------------


def trap_couples(n=60, seed=11):
    """The classic trap drawn across its region: A anxious, B avoidant."""
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(name="A", anxiety=rng.uniform(0.65, 1.0), avoidance=rng.uniform(0.0, 0.3)),
                       b=sim.Partner(name="B", anxiety=rng.uniform(0.0, 0.3), avoidance=rng.uniform(0.65, 1.0)))
            for _ in range(n)]


def test_in_the_trap_the_anxious_partner_pursues_and_the_avoidant_partner_withdraws_round_after_round():
    """Over 60 trap couples: A shows pursuit and B withdrawal in every couple, again and again (at least
    once a fortnight over 200 days), and never the other way round."""
    for couple in trap_couples():
        r = sim.simulate(couple)
        a, b = ({SIGNALS[s.key]["kind"] for s in r.signals if s.partner == who} for who in (0, 1))
        pursuits = [s for s in r.signals if s.partner == 0 and SIGNALS[s.key]["kind"] == "pursue"]
        withdrawals = [s for s in r.signals if s.partner == 1 and SIGNALS[s.key]["kind"] == "withdraw"]
        assert len(pursuits) >= 14 and len(withdrawals) >= 14, couple
        assert "withdraw" not in a and "pursue" not in b, couple
        assert all(r.abandonment[0, round(s.t / r.dt)] > 0.3 for s in pursuits)


def secure_couples(n=60, seed=3):
    """Two secure partners, both scores U(0, 0.2)."""
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(name="A", anxiety=rng.uniform(0, 0.2), avoidance=rng.uniform(0, 0.2)),
                       b=sim.Partner(name="B", anxiety=rng.uniform(0, 0.2), avoidance=rng.uniform(0, 0.2)))
            for _ in range(n)]


@pytest.mark.parametrize("preset", ["secure", "secure-anxious", "secure-avoidant"])
def test_a_secure_partner_does_not_withdraw_after_an_intimate_moment(preset):
    """Partner A of these presets is secure: an intimate evening (at its default size) is absorbed."""
    for day in (20.0, 100.0):
        r = sim.simulate(sim.PRESETS[preset], events=(sim.Event("intimate_moment", at=day),))
        after = [s for s in r.signals if s.partner == 0 and day <= s.t <= day + 10]
        assert not [s for s in after if SIGNALS[s.key]["kind"] == "withdraw"], (preset, day, after)


def test_secure_couples_do_not_withdraw_after_an_intimate_moment():
    for couple in secure_couples():
        r = sim.simulate(couple, events=(sim.Event("intimate_moment", at=60.0),))
        assert not [s for s in r.signals if SIGNALS[s.key]["kind"] == "withdraw"], couple


def test_an_avoidant_partner_does_withdraw_after_an_intimate_moment():
    """The reverse check, so that the secure tests can fail: B of "secure-avoidant" visibly pulls away."""
    r = sim.simulate(sim.PRESETS["secure-avoidant"], events=(sim.Event("intimate_moment", at=60.0),))
    kinds = [SIGNALS[s.key]["kind"] for s in r.signals if s.partner == 1 and 60 <= s.t <= 70]
    assert kinds[:2] == ["withdraw", "return"]


def test_every_signal_is_written_in_both_languages():
    for key, entry in SIGNALS.items():
        assert entry["en"] and entry["nl"] and entry["en"] != entry["nl"], key
        assert entry["kind"] in sim.FEELINGS
