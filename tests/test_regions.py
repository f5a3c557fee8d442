"""The model's behaviours as claims about regions of the score plane, tested on couples drawn there.

Each test draws its couples with a seeded generator across the region a behaviour is about (issue 10:
"claims about the model are claims about regions"); the named stories of single couples live in
``test_stories.py``. The trap quadrant is one partner anxious with low avoidance and the other
avoidant with low anxiety, both high scores at least 0.65.
"""

import numpy as np

import sim
from sim.engine import run_arrays

DT = 0.1


def _couple(a: tuple[float, float], b: tuple[float, float]) -> sim.Couple:
    return sim.Couple(a=sim.Partner(anxiety=a[0], avoidance=a[1]), b=sim.Partner(anxiety=b[0], avoidance=b[1]))


def _trap_scores(rng: np.random.Generator, n: int, high: float = 1.0) -> np.ndarray:
    """Scores (n, 4): A anxiety, A avoidance, B anxiety, B avoidance, across the trap quadrant."""
    return np.column_stack([rng.uniform(0.65, high, n), rng.uniform(0.0, 0.3, n),
                            rng.uniform(0.0, 0.3, n), rng.uniform(0.65, high, n)])


def _trap(s: np.ndarray) -> sim.Couple:
    return _couple((s[0], s[1]), (s[2], s[3]))


def test_the_withdrawal_reflex_comes_after_a_delay_and_grows_with_avoidance():
    """After an intimate moment, partners with more fear of closeness withdraw more, one to four days
    later; the alarm is half way down again within two days of its peak (taking distance brings relief)."""
    rng = np.random.default_rng(101)
    avoidance = np.sort(rng.uniform(0.2, 1.0, 12))
    sizes = []
    for av in avoidance:
        couple = _couple((rng.uniform(0.0, 0.2), rng.uniform(0.0, 0.2)), (rng.uniform(0.0, 0.2), av))
        calm = sim.simulate(couple, steps=1200)
        r = sim.simulate(couple, steps=1200, events=(sim.Event("intimate_moment", at=60.0),))
        i = int(round(60 / DT))
        extra = r.move[1, i:i + 100] - calm.move[1, i:i + 100]
        sizes.append(-extra.min())
        assert 1.0 <= np.argmin(extra) * DT <= 4.0, av
        alarm = r.engulfment[1, i:i + 150]
        peak = int(np.argmax(alarm))
        assert peak * DT > 1.0  # a delay, not an instant jump
        back = np.flatnonzero(alarm[peak:] < 0.5 * (alarm[peak] + alarm[0]))
        assert back.size and back[0] * DT <= 2.0, av
    sizes = np.array(sizes)
    assert np.corrcoef(avoidance, sizes)[0, 1] > 0.8  # grows with avoidance, levelling off near the top
    assert sizes[-4:].mean() > 1.3 * sizes[:4].mean()


def test_in_the_trap_pursuit_follows_fear_and_withdrawal_follows_the_alarm():
    """While the dance turns, the anxious partner moves toward most when the fear of being left is
    high, and the avoidant partner moves away most when the alarm is high; doubt stays low and does
    not carry the rounds."""
    rng = np.random.default_rng(102)
    batch = sim.simulate_batch([_trap(s) for s in _trap_scores(rng, 30, high=0.9)], keep="trajectories")
    late = slice(batch.t.size // 2, None)
    turning = batch.metrics["amplitude"] > 0.1
    assert turning.mean() > 0.9
    for k in np.flatnonzero(turning):
        pursuit = np.corrcoef(batch.abandonment[k, 0, late], batch.move[k, 0, late])[0, 1]
        withdrawal = np.corrcoef(batch.engulfment[k, 1, late], batch.move[k, 1, late])[0, 1]
        assert pursuit > 0.3, k
        assert withdrawal < -0.3, k
        assert batch.doubt[k, :, late].max() < 0.5


def test_the_trap_quadrant_never_settles_and_mostly_dances_in_steady_rounds():
    rng = np.random.default_rng(103)
    batch = sim.simulate_batch([_trap(s) for s in _trap_scores(rng, 80)])
    assert not np.any(batch.verdict == "settles")
    assert np.mean(batch.verdict == "cycles") > 0.6


def test_escalation_lies_toward_the_extreme_corner():
    """Near the quadrant's edge the dance goes on; in its far corner it escalates."""
    rng = np.random.default_rng(104)
    edge = sim.simulate_batch([_trap(s) for s in _trap_scores(rng, 30, high=0.75)])
    corner = np.column_stack([rng.uniform(0.95, 1.0, 30), rng.uniform(0.0, 0.3, 30),
                              rng.uniform(0.0, 0.3, 30), rng.uniform(0.95, 1.0, 30)])
    far = sim.simulate_batch([_trap(s) for s in corner])
    assert np.mean(edge.verdict == "cycles") > 0.9
    assert np.mean(far.verdict == "escalates") > 0.8


def test_small_changes_have_small_effects_inside_the_quadrant():
    """Moving any one score by 0.02 keeps the verdict (apart from couples on the edge of the
    escalating corner) and changes the swing of closeness a little."""
    rng = np.random.default_rng(105)
    centres = _trap_scores(rng, 25)
    couples = []
    for s in centres:
        couples.append(_trap(s))
        for k in range(4):
            for step in (-0.02, 0.02):
                t = s.copy()
                t[k] = np.clip(t[k] + step, 0.0, 1.0)
                couples.append(_trap(t))
    batch = sim.simulate_batch(couples)
    verdict = batch.verdict.reshape(-1, 9)
    swing = batch.metrics["amplitude"].reshape(-1, 9)
    assert np.mean(verdict[:, 1:] == verdict[:, :1]) > 0.9
    assert np.max(np.abs(swing[:, 1:] - swing[:, :1])) < 0.15


def test_escalation_ends_in_a_state_the_equations_hold_not_a_slide_at_the_floor():
    """Run the far corner for 1,500 days: every couple ends in a break-up or a frozen distance, where
    the efforts have come to rest (nobody keeps pulling away from a partner who is no longer near)."""
    rng = np.random.default_rng(106)
    corner = np.column_stack([rng.uniform(0.95, 1.0, 12), rng.uniform(0.0, 0.2, 12),
                              rng.uniform(0.0, 0.2, 12), rng.uniform(0.95, 1.0, 12)])
    couples = [_trap(s) for s in corner]
    batch = sim.simulate_batch(couples, steps=15000)
    assert set(batch.metrics["ending"]) <= {"break", "frozen"}
    raw = run_arrays(couples, steps=15000, dt=DT, events=(), interventions=(), record=False)
    for couple, x in zip(couples, raw["final"], strict=True):
        pa = sim.dynamics.to_rates(couple.a.param_vector())
        pb = sim.dynamics.to_rates(couple.b.param_vector())
        rate = sim.dynamics.rhs(x, pa, pb, couple.fading, couple.fear_ceiling, np.empty_like(x))
        assert np.max(np.abs(rate)) < 1e-3  # a resting state of the equations: nothing slides
        assert 0.0 <= x[0] < 0.1  # little closeness left
        assert np.all(np.abs(x[1:3]) < 0.05)  # nobody keeps pulling away


def test_a_secure_partner_buffers_an_anxious_or_an_avoidant_partner():
    """Beside a secure partner, an anxious partner (or an avoidant one) comes to rest: there is a
    closeness both can live with (each one's security floor below the other's comfort ceiling). Not
    claimed at the extremes, where even a secure partner's floor meets the other's ceiling, nor for
    a fearful partner high on both, whose own floor lies above their own ceiling (docs/model.md)."""
    rng = np.random.default_rng(107)
    couples = []
    for _ in range(40):
        secure = (rng.uniform(0.0, 0.2), rng.uniform(0.0, 0.2))
        high, low = rng.uniform(0.0, 0.8), rng.uniform(0.0, 0.3)
        other = (high, low) if rng.uniform() < 0.5 else (low, high)
        couples.append(_couple(secure, other) if rng.uniform() < 0.5 else _couple(other, secure))
    batch = sim.simulate_batch(couples, steps=4000)
    for couple, verdict in zip(couples, batch.verdict, strict=True):
        assert verdict == "settles", couple


def test_random_jolts_do_not_change_what_the_couple_is():
    """With random events the verdict describes the couple: it is the verdict of the same run without
    the jolts, for secure couples and trap couples alike, whatever the seed."""
    rng = np.random.default_rng(108)
    secure = [_couple((rng.uniform(0, 0.2), rng.uniform(0, 0.2)), (rng.uniform(0, 0.2), rng.uniform(0, 0.2)))
              for _ in range(5)]
    trap = [_trap(s) for s in _trap_scores(rng, 5, high=0.85)]
    calm = sim.simulate_batch(secure + trap)
    for seed in range(6):
        jolted = sim.simulate_batch(secure + trap, seed=seed, random_events=0.05)
        assert np.array_equal(jolted.verdict, calm.verdict)
        assert np.all(np.isfinite(jolted.metrics["jolt_spread"]))


def test_every_preset_sits_well_inside_its_region():
    """Moving any one of a preset's four scores by 0.05 either way keeps its verdict: no preset sits
    on a boundary, so a coach who moves a slider a notch sees the same kind of dance."""
    from dataclasses import replace

    for name, couple in sim.PRESETS.items():
        neighbours = []
        for who in ("a", "b"):
            partner = getattr(couple, who)
            for score in ("anxiety", "avoidance"):
                for step in (-0.05, 0.05):
                    value = float(np.clip(getattr(partner, score) + step, 0.0, 1.0))
                    neighbours.append(replace(couple, **{who: replace(partner, **{score: value})}))
        batch = sim.simulate_batch([couple, *neighbours])
        assert set(batch.verdict) == {batch.verdict[0]}, name
