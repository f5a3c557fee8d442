"""Verdicts from dynamics: the accumulators of sim.metrics on hand-built closeness series.

Each series is written down in closed form, so the expected verdict, rate and period are known
without running the model: damped rounds at several rates, growing rounds, steady rounds, beats of
two rhythms, a chaotic series, a drift, and a fast wiggle on a slow cycle.
"""

import numpy as np
import pytest

from sim.metrics import GROWTH_TOL, series_metrics

DT = 0.1
T = np.arange(0, 200 + DT / 2, DT)


def _rounds(rate: float, period: float = 27.0, swing: float = 0.8) -> np.ndarray:
    return 1.0 + 0.5 * swing * np.exp(rate * T) * np.sin(2 * np.pi * T / period)


@pytest.mark.parametrize("rate", [-0.05, -0.01, -0.004])
def test_damped_rounds_settle_and_the_fit_finds_their_rate(rate):
    """Rounds dying out at a rate of 1/20 to 1/250 per day all settle; the fitted rate is theirs, and
    the settle time (swing below 0.01) is estimated even where it lies beyond the run."""
    m = series_metrics(_rounds(rate), DT)
    assert m["verdict"] == "settles"
    assert m["growth_rate"] == pytest.approx(rate, rel=0.05)
    expected = np.log(0.8 * np.exp(rate * 200) / 0.01) / -rate + 200  # when 2 x amplitude < 0.01
    assert m["settle_time"] == pytest.approx(expected, rel=0.25)  # a swing spans half a round
    if rate == -0.004:
        assert m["settle_time"] > 200  # beyond the run


def test_slower_decay_than_the_tolerance_of_the_run_is_steady():
    """A decay too slow to measure in a 100-day late window (less than a factor 1.25) is not called settling."""
    rate = -0.5 * GROWTH_TOL / 100
    assert series_metrics(_rounds(rate), DT)["verdict"] == "cycles"


def test_steady_rounds_cycle_with_their_period():
    m = series_metrics(_rounds(0.0), DT)
    assert m["verdict"] == "cycles" and m["ending"] == ""
    assert m["period"] == pytest.approx(27.0, rel=0.02)
    assert m["swing"] == pytest.approx(0.8, rel=0.01)
    assert m["irregularity"] < 0.01


def test_growing_rounds_escalate():
    m = series_metrics(_rounds(0.01, swing=0.2), DT)
    assert m["verdict"] == "escalates" and m["ending"] == "growing"
    assert m["growth_rate"] == pytest.approx(0.01, rel=0.05)


def test_beats_of_two_rhythms_are_rounds_that_go_on():
    """Two rhythms of 20 and 23 days beat every 153 days: the swing waxes and wanes but does not grow."""
    c = 1.0 + 0.3 * np.sin(2 * np.pi * T / 20) + 0.3 * np.sin(2 * np.pi * T / 23)
    assert series_metrics(c, DT)["verdict"] == "cycles"


def test_a_fast_wiggle_on_a_slow_cycle_keeps_the_slow_period():
    """A 2-day wiggle of 0.05 on a 27-day cycle of swing 0.8 does not split its rounds."""
    c = _rounds(0.0) + 0.025 * np.sin(2 * np.pi * T / 2.0)
    m = series_metrics(c, DT)
    assert m["verdict"] == "cycles"
    assert m["period"] == pytest.approx(27.0, rel=0.05)


def _after_a_jolt(t: np.ndarray, period: float, swing: float, depth: float, phase: float) -> np.ndarray:
    """Steady rounds of ``swing`` around 1, after a jolt at day 30 that pulls closeness ``depth`` below
    the rounds and lets it come back within a few days (as a conflict does)."""
    rounds = 1.0 + 0.5 * swing * np.sin(2 * np.pi * t / period + phase)
    since = np.maximum(t - 30.0, 0.0)
    return rounds - np.where(t >= 30.0, depth * np.exp(-since / 2.0), 0.0)


def test_steady_rounds_after_a_jolt_many_times_their_size_are_still_rounds():
    """One large swing (a jolt 3 to 12 times the rounds' size) must not hide the smaller rounds after
    it: the hysteresis of the first swing would never be reached again, yet the rounds go on."""
    rng = np.random.default_rng(31)
    for _ in range(10):
        period, swing = rng.uniform(12.0, 30.0), rng.uniform(0.05, 0.4)
        depth, phase = swing * rng.uniform(3.0, 12.0), rng.uniform(0.0, 2 * np.pi)
        for dt in (0.1, 0.2):
            t = np.arange(0, 200 + dt / 2, dt)
            m = series_metrics(_after_a_jolt(t, period, swing, depth, phase), dt)
            assert m["verdict"] == "cycles", (period, swing, depth, phase, dt)
            assert m["period"] == pytest.approx(period, rel=0.05)
            assert m["swing"] == pytest.approx(swing, rel=0.05)


def test_a_chaotic_series_is_bounded_irregular_rounds():
    """The logistic map at r = 3.9 sets the size of each 10-day round: bounded, never settling, never
    growing: rounds that go on, and the fit reports them as irregular."""
    x, sizes = 0.3, []
    for _ in range(25):
        x = 3.9 * x * (1 - x)
        sizes.append(0.2 + x)
    envelope = np.repeat(sizes, int(round(10 / DT)))[: T.size]
    c = 1.0 + 0.5 * envelope * np.sin(2 * np.pi * T / 10.0)
    m = series_metrics(c, DT)
    assert m["verdict"] == "cycles"
    assert m["irregularity"] > 0.2


def test_a_drift_that_keeps_going_escalates_and_one_that_fades_settles():
    assert series_metrics(1.0 + 0.01 * T, DT)["verdict"] == "escalates"
    fading = series_metrics(1.0 + np.exp(-T / 20.0), DT)
    assert fading["verdict"] == "settles"
    assert fading["settle_time"] == pytest.approx(20 * np.log(1 / 20 / 1e-3), rel=0.05)


def test_a_pair_at_rest_settles_when_it_stopped_moving():
    c = np.where(T < 30, 1.0 + 0.01 * (30 - T), 1.0)
    m = series_metrics(c, DT)
    assert m["verdict"] == "settles"
    assert m["settle_time"] == pytest.approx(30.0, abs=0.2)








def test_the_engine_accumulates_what_one_pass_over_its_own_run_gives():
    """The kernel splits the accumulators at the late window (early steps skip the late ones and
    count no round, the end values are set once); replaying the one-pass ``accumulate`` over the
    states and rates of the run it recorded gives the same accumulators, on random couples."""
    import sim
    from sim import dynamics
    from sim.engine import run_arrays
    from sim.metrics import A_LEARN_A, A_LEARN_B, accumulate, finish, fold_round, new_accumulators

    steps, dt = 240, 0.1
    couples = sim.sweep.RandomCouples(12, seed=11).couples(0, 12)
    run = run_arrays(couples, steps=steps, dt=dt, events=(), interventions=(), record=True)
    for i, couple in enumerate(couples):
        pa = dynamics.to_rates(couple.a.param_vector())
        pb = dynamics.to_rates(couple.b.param_vector())
        traj = run["traj"][i]
        acc = new_accumulators(1, traj[:1, 0])[0]
        rate = np.zeros(dynamics.N_STATE)
        for k in range(steps):
            dynamics.rhs(traj[:, k], pa, pb, couple.fading, couple.fear_ceiling, rate)
            accumulate(acc, traj[:, k + 1], rate, k + 1, steps // 2, steps, dt)
            fold_round(acc)
        finish(acc, traj[:, steps])
        learned = [A_LEARN_A, A_LEARN_B]
        acc[learned] = run["acc"][i, learned]  # written by the engine after the loop
        np.testing.assert_allclose(acc, run["acc"][i], rtol=1e-9, atol=1e-12)
