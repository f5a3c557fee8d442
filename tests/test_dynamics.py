"""Tests of sim/dynamics.py: hand-computed values, the RK4 step, the floor, the doubt switch, the Jacobian."""

import numpy as np
import pytest

import sim
from sim import dynamics
from sim.dynamics import (
    EPS,
    N_STATE,
    act,
    dfloor_share,
    doubt_rate,
    floor_share,
    jacobian,
    make_rk4,
    phi,
    rhs,
    saturate,
    to_rates,
)

SIMPLE = dict(longing=0.5, comfort_ceiling=1.0, security_floor=0.5, closeness_alarm=2.0, pressure_alarm=1.0,
              distance_fear=2.0, withdrawal_fear=1.0, relief=1.0, responsiveness=1.0, alarm_lag=1.5, fear_lag=0.5,
              move_lag=2.0, doubt_threshold=0.6, doubt_time=10.0)
"""Every parameter given by hand (round numbers), so that one step can be worked out on paper."""


def test_every_parameter_of_the_model_is_given_in_simple():
    assert set(SIMPLE) == set(sim.PARTNER_PARAMS)


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
    """One evaluation of the equations, worked by hand (every phi argument is outside [-EPS, EPS], where phi is exact).

    Both partners have the SIMPLE parameters: k w = 0.5, stage rate r = 3 / 1.5 = 2, F = 2, delta = 0.5.
    State: c = 1.5, m = (1.0, -0.5), so the moves beyond the calm pull are n = m - k w = (0.5, -1.0);
    alarm stages A1 = (0.2, 0.4), A2 = (0.6, 0.0), E = (0.5, 1.0); B = (0.4, 0.2); D = (0.0, 0.2).
    """
    p = to_rates(sim.Partner(**SIMPLE).param_vector())
    x = np.array([1.5, 1.0, -0.5, 0.2, 0.4, 0.6, 0.0, 0.5, 1.0, 0.4, 0.2, 0.0, 0.2])
    out = rhs(x, p, p.copy(), 0.5, 2.0, np.empty(N_STATE))
    # c' = m_a + m_b - delta c = 1.0 - 0.5 - 0.75
    dc = -0.25
    # a: u = gE phi(c - hi) + hE phi(n_b) - rho phi(-n_a) = 2 * 0.5 + 1 * 0 - 1 * 0 = 1.0 -> alarm S(1) = 1 / 1.5
    # b: u = 2 * 0.5 + 1 * phi(0.5) - 1 * phi(1.0) = 0.5 -> alarm S(0.5) = 0.5 / 1.25 = 0.4
    alarm_a, alarm_b = 2 / 3, 0.4
    # fear targets: a: S(gB phi(lo - c) + hB phi(-n_b)) = S(0 + 1.0) = 2/3; b: S(0 + phi(-0.5)) = 0
    fear_a, fear_b = 2 / 3, 0.0
    # efforts drawn to: y = k ((w + B) (1 - D_self) (1 - D_other) - E - D_self)
    # a: (0.5 + 0.4) * 1 * 0.8 - 0.5 - 0 = 0.22 (toward: taken as it is)
    # b: (0.5 + 0.2) * 0.8 * 1 - 1.0 - 0.2 = -0.64 (away: scaled by sigma(1.5) = 2.25 / (2.25 + 0.01))
    act_a, act_b = 0.22, -0.64 * 2.25 / 2.26
    # doubt: tD D' = 0.25 phi(E + B - theta) (1 - D) + D (D - 1/2) (1 - D), tD = 10
    # a: 0.25 * phi(0.5 + 0.4 - 0.6) * 1 + 0 = 0.25 * 0.3 = 0.075
    # b: 0.25 * phi(1.0 + 0.2 - 0.6) * 0.8 + 0.2 * (-0.3) * 0.8 = 0.12 - 0.048 = 0.072
    expected = [
        dc,
        (act_a - 1.0) / 2.0, (act_b + 0.5) / 2.0,  # move lag 2 days
        2 * (alarm_a - 0.2), 2 * (alarm_b - 0.4),  # first stages
        2 * (0.2 - 0.6), 2 * (0.4 - 0.0),  # second stages
        2 * (0.6 - 0.5), 2 * (0.0 - 1.0),  # engulfment fear, the last stage
        (fear_a - 0.4) / 0.5, (fear_b - 0.2) / 0.5,  # fear lag 0.5 day
        0.075 / 10, 0.072 / 10,
    ]
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_swapping_partners_swaps_the_rows_of_the_right_hand_side():
    pa = to_rates(sim.Partner(**SIMPLE).param_vector())
    pb = to_rates(sim.Partner(**{**SIMPLE, "closeness_alarm": 5.0, "longing": 0.2}).param_vector())
    x = np.array([1.2, 0.7, -0.3, 0.2, 0.4, 0.6, 0.1, 0.5, 1.0, 0.4, 0.2, 0.1, 0.3])
    swap = np.array([0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11])
    one = rhs(x, pa, pb, 0.5, 2.0, np.empty(N_STATE)).copy()
    other = rhs(x[swap], pb, pa, 0.5, 2.0, np.empty(N_STATE))
    np.testing.assert_allclose(other, one[swap], atol=1e-15)


def test_a_wish_to_move_away_fades_at_zero_closeness():
    """The floor is in the equations: at c = 0 a frightened partner no longer pulls away (no clip needed)."""
    p = to_rates(sim.Partner(**SIMPLE).param_vector())
    # y = 1 * ((0.5 + 0) - 2.0) = -1.5: away; sigma(0) = 0, so nothing of it acts
    assert act(0.0, 2.0, 0.0, 0.0, 0.0, p) == 0.0
    # at c = 0.1 = CF half of it acts: sigma = 0.01 / 0.02
    assert act(0.1, 2.0, 0.0, 0.0, 0.0, p) == pytest.approx(-1.5 * 0.5)
    # a wish to come closer is never faded: y = 0.5 + 1.0 - 0.2 = 1.3
    assert act(0.0, 0.2, 1.0, 0.0, 0.0, p) == pytest.approx(1.3)


def test_below_zero_closeness_no_wish_to_move_away_acts():
    """An RK4 stage can reach c < 0 for an instant: the floor share is 0 there, not (c^2) growing again,
    which pushed a withdrawing partner further away by an amount that depended on the step."""
    p = to_rates(sim.Partner(**SIMPLE).param_vector())
    for c in (-1e-3, -0.1, -1.0):
        assert floor_share(c) == 0.0
        assert dfloor_share(c) == 0.0
        assert act(c, 2.0, 0.0, 0.0, 0.0, p) == 0.0
    # C1 at 0: both sides have value 0 and slope 0
    h = 1e-6
    assert floor_share(h) < 1e-9
    assert dfloor_share(h) == pytest.approx((floor_share(2 * h) - floor_share(0.0)) / (2 * h), abs=1e-9)


def test_doubt_is_a_switch_with_rest_at_zero_and_an_absorbing_break_at_one():
    """Without fear above the tolerance, doubt below 1/2 fades and doubt above 1/2 grows to 1 (the break)."""
    p = sim.Partner(**SIMPLE).param_vector()
    calm = (0.1, 0.1)  # E + B = 0.2, below the tolerance 0.6
    assert doubt_rate(*calm, 0.0, p) == 0.0
    assert doubt_rate(*calm, 1.0, p) == 0.0
    assert doubt_rate(*calm, 0.25, p) == pytest.approx(0.25 * -0.25 * 0.75)
    assert doubt_rate(*calm, 0.75, p) == pytest.approx(0.75 * 0.25 * 0.25)
    # fear 1.0 above the tolerance feeds doubt from 0: 0.25 * 1.0 * 1
    assert doubt_rate(0.8, 0.8, 0.0, p) == pytest.approx(0.25)


def test_rk4_step_matches_the_taylor_polynomial_of_exponential_decay():
    def decay(x, pa, pb, delta, ceiling, out, lane):
        out[0] = -x[0]
        return out

    step = make_rk4(decay, 1)
    x = np.array([1.0])
    step(x, None, None, np.zeros(1), np.zeros(1), np.array([0.1]), np.ones(1), np.empty((5, 1)), 1)
    h = 0.1
    assert x[0] == pytest.approx(1 - h + h**2 / 2 - h**3 / 6 + h**4 / 24, abs=1e-15)
    inactive = np.array([1.0])
    step(inactive, None, None, np.zeros(1), np.zeros(1), np.array([0.1]), np.zeros(1), np.empty((5, 1)), 1)
    assert inactive[0] == 1.0  # a lane that is not active does not move


def test_rk4_step_keeps_the_state_in_its_domain():
    p = to_rates(sim.Partner(**SIMPLE).param_vector())
    x = np.array([0.001, -5.0, -5.0, 1.99, 1.99, 1.99, 1.99, 1.99, 1.99, 0.001, 0.001, 0.999, 0.001])
    dynamics.rk4_step(x, p, p.copy(), 0.5, 2.0, 0.5, np.empty((5, N_STATE)))
    assert np.isfinite(x).all()
    assert x[0] >= 0.0
    assert np.all((x[3:11] >= 0.0) & (x[3:11] <= 2.0))
    assert np.all((x[11:] >= 0.0) & (x[11:] <= 1.0))


def test_bound_puts_a_jolted_state_back_in_its_domain():
    x = np.array([-0.5, 1.0, -1.0, -0.1, 3.0, 0.5, 0.5, 2.5, -1.0, 9.0, -2.0, 1.5, -0.5])
    dynamics.bound(x, 2.0)
    np.testing.assert_array_equal(x, [0.0, 1.0, -1.0, 0.0, 2.0, 0.5, 0.5, 2.0, 0.0, 2.0, 0.0, 1.0, 0.0])


def _numeric_jacobian(x, pa, pb, delta, ceiling, h=1e-6):
    ra, rb = to_rates(pa.copy()), to_rates(pb.copy())
    jac = np.empty((N_STATE, N_STATE))
    for k in range(N_STATE):
        e = np.zeros(N_STATE)
        e[k] = h
        plus = rhs(x + e, ra, rb, delta, ceiling, np.empty(N_STATE)).copy()
        minus = rhs(x - e, ra, rb, delta, ceiling, np.empty(N_STATE)).copy()
        jac[:, k] = (plus - minus) / (2 * h)
    return jac


@pytest.mark.parametrize("preset", list(sim.PRESETS))
def test_analytic_jacobian_matches_finite_differences(preset):
    """The analytic Jacobian against central differences of rhs, at states spread over the domain."""
    couple = sim.PRESETS[preset]
    pa, pb = couple.a.param_vector(), couple.b.param_vector()
    rng = np.random.default_rng(7)
    for _ in range(8):
        x = np.r_[rng.uniform(0.05, 2.5), rng.uniform(-1.0, 1.5, 2), rng.uniform(0.0, 2.0, 8), rng.uniform(0.0, 0.9, 2)]
        numeric = _numeric_jacobian(x, pa, pb, couple.fading, couple.fear_ceiling)
        analytic = jacobian(x, pa, pb, couple.fading, couple.fear_ceiling)
        np.testing.assert_allclose(analytic, numeric, atol=2e-6)
