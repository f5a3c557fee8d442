"""Tests of sim/dynamics.py: hand-computed values, the RK4 step, and the analytic Jacobian."""

import numpy as np
import pytest

import sim
from sim import dynamics
from sim.dynamics import EPS, jacobian, make_rk4, phi, rhs, saturate, to_rates
from sim.stability import effective_params

SIMPLE = dict(longing=0.5, comfort_ceiling=1.0, security_floor=0.5, closeness_alarm=2.0, pressure_alarm=1.0,
              distance_fear=2.0, withdrawal_fear=1.0, responsiveness=1.0, alarm_lag=1.0, fear_lag=0.5,
              move_lag=2.0, despair_rate=1.0, recovery_time=4.0)


def test_rectifier_is_zero_below_identity_above_and_smooth_between():
    assert phi(-1.0) == 0.0
    assert phi(1.0) == 1.0
    assert phi(0.0) == pytest.approx(EPS / 4)
    assert phi(EPS) == pytest.approx(EPS) and phi(-EPS) == 0.0


def test_saturation_has_slope_one_at_zero_and_never_reaches_the_ceiling():
    assert saturate(0.0, 2.0) == 0.0
    assert saturate(2.0, 2.0) == pytest.approx(1.0)
    assert saturate(1e9, 2.0) < 2.0
    assert (saturate(1e-6, 2.0) / 1e-6) == pytest.approx(1.0, rel=1e-5)


def test_right_hand_side_matches_a_hand_computation():
    """Worked by hand in the docstring of this test's numbers (phi is exact outside [-EPS, EPS])."""
    p = to_rates(sim.Partner(**SIMPLE).param_vector())
    x = np.array([1.5, 0.5, -0.5, 0.2, 0.4, 0.6, 0.0, 0.5, 1.0])
    out = rhs(x, p, p.copy(), 0.5, 2.0, np.empty(9))
    # c' = 0.5 - 0.5 - 0.5 * 1.5
    # A: E* = S(2 * 0.5 + 0) = 2/3; B* = S(0 + 1 * 0.5) = 0.4; m* = 0.5 + 0 * 0.6 - 0.2 = 0.3
    # B: E* = S(2 * 0.5 + 1 * 0.5) = 1.5 / 1.75; B* = 0; m* = 0.5 + 1 * 0 - 0.4 = 0.1
    expected = [-0.75, (0.3 - 0.5) / 2, (0.1 + 0.5) / 2, 2 / 3 - 0.2, 1.5 / 1.75 - 0.4, (0.4 - 0.6) / 0.5, 0.0,
                (1 - 0.5 - 0.6 * 0.5) / 4, 0.0]
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_rk4_step_matches_the_taylor_polynomial_of_exponential_decay():
    def decay(x, pa, pb, delta, ceiling, out):
        out[0] = -x[0]
        return out

    step = make_rk4(decay, 1)
    x = np.array([1.0])
    step(x, None, None, 0.0, 0.0, 0.1, np.empty((5, 1)))
    h = 0.1
    assert x[0] == pytest.approx(1 - h + h**2 / 2 - h**3 / 6 + h**4 / 24, abs=1e-15)


def test_rk4_step_keeps_the_state_in_its_domain():
    p = to_rates(sim.Partner(**SIMPLE).param_vector())
    x = np.array([0.001, -5.0, -5.0, 1.99, 1.99, 1.99, 1.99, 0.001, 0.001])
    dynamics.rk4_step(x, p, p.copy(), 0.5, 2.0, 0.5, np.empty((5, 9)))
    assert x[0] >= 0.0 and np.all(x[3:7] <= 2.0) and np.all(x[3:7] >= 0.0) and np.all((x[7:] >= 0) & (x[7:] <= 1))


def _numeric_jacobian(x, pa, pb, delta, ceiling, h=1e-6):
    ra, rb = to_rates(pa.copy()), to_rates(pb.copy())
    jac = np.empty((9, 9))
    for k in range(9):
        e = np.zeros(9)
        e[k] = h
        plus = rhs(x + e, ra, rb, delta, ceiling, np.empty(9)).copy()
        minus = rhs(x - e, ra, rb, delta, ceiling, np.empty(9)).copy()
        jac[:, k] = (plus - minus) / (2 * h)
    return jac


@pytest.mark.parametrize("preset", list(sim.PRESETS))
def test_analytic_jacobian_matches_finite_differences_at_rest_and_away_from_it(preset):
    couple = sim.PRESETS[preset]
    pa, pb = effective_params(couple)
    rng = np.random.default_rng(7)
    states = [sim.stability(couple).equilibrium.copy()]
    states += [np.r_[rng.uniform(0.2, 2.0), rng.uniform(-1, 1, 2), rng.uniform(0.05, 1.5, 4), rng.uniform(0.1, 1, 2)]
               for _ in range(5)]
    for x in states:
        # keep clear of the rectifier's two kinks at +-EPS, where only one-sided derivatives exist
        numeric = _numeric_jacobian(x, pa, pb, couple.fading, couple.fear_ceiling)
        analytic = jacobian(x, pa, pb, couple.fading, couple.fear_ceiling)
        np.testing.assert_allclose(analytic, numeric, atol=2e-6)
