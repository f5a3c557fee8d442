"""The integrator against the closed forms of MODEL_BRIEF section 2 (V1, V1b, V3, V6).

The model's RK4 step is ``make_rk4(rhs, N_STATE)``; here the same ``make_rk4`` integrates the
classic linear love models, whose answers are known exactly. Tolerances scale with the step size.
"""

import numpy as np
import pytest

from sim.dynamics import make_rk4


def _linear(x, matrix, offset, delta, ceiling, out, lane):
    """x' = matrix @ x + offset (the arguments delta, ceiling and lane are unused: one lane, numpy)."""
    for i in range(x.shape[0]):
        out[i] = offset[i] + sum(matrix[i, j] * x[j] for j in range(x.shape[0]))
    return out


def integrate(matrix, offset, x0, dt, steps):
    """Trajectory of the linear system, shape (steps + 1, n)."""
    n = len(x0)
    step = make_rk4(_linear, n)
    x = np.array(x0, dtype=float)
    work = np.empty((5, n))
    out = np.empty((steps + 1, n))
    out[0] = x
    for k in range(steps):
        step(x, np.asarray(matrix, float), np.asarray(offset, float), np.zeros(1), np.zeros(1), np.array([dt]),
             np.ones(1), work, 1)
        out[k + 1] = x
    return out


def upcrossing_times(t, y):
    """Times where y crosses zero upward, by linear interpolation."""
    i = np.flatnonzero((y[:-1] < 0) & (y[1:] >= 0))
    return t[i] - y[i] * (t[i + 1] - t[i]) / (y[i + 1] - y[i])


@pytest.mark.parametrize(("a", "b", "period"), [(2.0, 0.5, 6.2832), (0.3, 3.0, 6.6231)])
def test_fickle_lover_is_a_centre_with_period_two_pi_over_root_ab(a, b, period):
    """V1 and V1b: Strogatz's R' = aJ, J' = -bR from (1, 0)."""
    dt = 0.01
    traj = integrate([[0, a], [-b, 0]], [0, 0], [1.0, 0.0], dt, 4000)
    t = np.arange(traj.shape[0]) * dt
    crossings = upcrossing_times(t, traj[:, 0])
    measured = np.diff(crossings).mean()
    assert measured == pytest.approx(period, abs=5e-4)
    assert 2 * np.pi / np.sqrt(a * b) == pytest.approx(period, abs=5e-5)
    energy = b * traj[:, 0] ** 2 + a * traj[:, 1] ** 2
    assert np.ptp(energy) < 1e-8  # conserved: RK4 error is O(dt^4) per unit time


def test_fickle_lover_both_positive_a_quarter_of_the_time_and_ratio_of_maxima():
    """V1: both feelings positive for 0.2500 of the time; max J / max R = 0.5."""
    dt = 0.001
    steps = int(round(4 * 2 * np.pi / dt))  # four whole periods
    traj = integrate([[0, 2.0], [-0.5, 0]], [0, 0], [1.0, 0.0], dt, steps)
    both = (traj[:, 0] > 0) & (traj[:, 1] > 0)
    assert both.mean() == pytest.approx(0.25, abs=1e-3)
    assert traj[:, 1].max() / traj[:, 0].max() == pytest.approx(0.5, abs=1e-6)


def test_rinaldi_couple_reaches_its_equilibrium_monotonically():
    """V3: alpha = (1, 0.8), beta = (0.5, 0.6), gamma = 1, A = (0.5, 0.4) -> (1.14, 1.48) from (0, 0)."""
    matrix = [[-1.0, 0.5], [0.6, -0.8]]
    offset = [1.0 * 0.4, 1.0 * 0.5]
    traj = integrate(matrix, offset, [0.0, 0.0], 0.05, 1000)
    np.testing.assert_allclose(traj[-1], [1.14, 1.48], atol=1e-6)
    assert np.all(np.diff(traj, axis=0) >= -1e-12)


def test_richardson_arms_race_settles_for_k_below_one_and_runs_away_above():
    """V6: k = 0.8 gives (0.7778, 0.7222) with eigenvalues (-0.2, -1.8); k = 1.2 grows at rate 0.2."""
    dt = 0.01
    calm = integrate([[-1, 0.8], [0.8, -1]], [0.2, 0.1], [0.0, 0.0], dt, 8000)
    np.testing.assert_allclose(calm[-1], [0.7778, 0.7222], atol=1e-4)
    np.testing.assert_allclose(sorted(np.linalg.eigvals([[-1, 0.8], [0.8, -1]])), [-1.8, -0.2], atol=1e-12)
    # the simulated approach decays at the slow eigenvalue's rate
    gap = np.abs(calm[:, 0] - 0.7 / 0.9)
    t = np.arange(calm.shape[0]) * dt
    late = (t > 20) & (t < 60)
    slope = np.polyfit(t[late], np.log(gap[late]), 1)[0]
    assert slope == pytest.approx(-0.2, abs=1e-3)
    race = integrate([[-1, 1.2], [1.2, -1]], [0.2, 0.1], [0.0, 0.0], dt, 4000)
    t = np.arange(race.shape[0]) * dt
    late = t > 10
    growth = np.polyfit(t[late], np.log(np.abs(race[late, 0] + race[late, 1] + 1.5)), 1)[0]
    assert growth == pytest.approx(0.2, abs=1e-3)
