"""The equations of the dance: right-hand side, one RK4 step, analytic Jacobian, equilibria.

State of a couple (``N_STATE`` = 9 numbers, shapes (...,) each, all in "closeness" units or
dimensionless fear; time in days)::

    x = (c, m_a, m_b, E_a, E_b, B_a, B_b, R_a, R_b)

with ``c`` the shared closeness (>= 0), ``m_i`` partner i's move (> 0 toward, < 0 away, in
closeness per day), ``E_i`` engulfment fear, ``B_i`` abandonment fear (both in [0, F]) and ``R_i``
the energy to pursue (protest capacity, in (0, 1]). For partner i with partner j::

    c'        = m_a + m_b - delta * c
    tm_i m_i' = k_i (w_i + (2 R_i - 1) B_i - E_i) - m_i          feel, then act, with a lag
    tE_i E_i' = S(gE_i phi(c - hi_i) + hE_i phi(m_j))  - E_i      too close; pressure of pursuit
    tB_i B_i' = S(gB_i phi(lo_i - c) + hB_i phi(-m_j)) - B_i      too far; the partner withdraws
    tR_i R_i' = 1 - R_i - d_i B_i R_i                             protest exhausts into despair

``phi`` is a smooth (C1) rectifier, zero below -EPS and the identity above EPS, and ``S(u) = u / (1 + u / F)``
keeps every fear below the ceiling F. When R_i < 1/2 abandonment fear no longer drives pursuit
but distance (detachment, Bowlby's third phase).

Every function here is written with arithmetic and ``np.sqrt`` only, so that the same source runs
on numpy arrays (a batch: each state entry has shape (N,), each parameter row shape (N,)) and,
compiled by numba, on one couple inside the fast kernel. A state is an array of shape
(N_STATE,) for one couple or (N_STATE, N) for a batch; a parameter vector has shape (P,) or (P, N).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._accel import jitable, jitable_inline
from .partners import PARTNER_PARAMS

__all__ = ["EPS", "N_STATE", "STATE_NAMES", "bound", "jacobian", "make_rk4", "phi", "rhs", "rk4_step", "saturate"]

EPS = 0.1
"""Smoothing width of the rectifier ``phi`` (closeness units)."""

STATE_NAMES = ("c", "m_a", "m_b", "E_a", "E_b", "B_a", "B_b", "R_a", "R_b")
N_STATE = len(STATE_NAMES)

# Positions of the partner parameters in a parameter vector (see Partner.param_vector).
_P = {name: i for i, name in enumerate(PARTNER_PARAMS)}
W, HI, LO = _P["longing"], _P["comfort_ceiling"], _P["security_floor"]
GE, HE, GB, HB = _P["closeness_alarm"], _P["pressure_alarm"], _P["distance_fear"], _P["withdrawal_fear"]
K, TE, TB, TM = _P["responsiveness"], _P["alarm_lag"], _P["fear_lag"], _P["move_lag"]
D, TR = _P["despair_rate"], _P["recovery_time"]


@jitable_inline
def phi(x: Any) -> Any:
    """Smooth rectifier (C1): 0 for x <= -EPS, x for x >= EPS, a parabola (x + EPS)^2 / (4 EPS) between.

    Written without branches (``min``/``max`` only) so that it is cheap on arrays and in compiled code.
    """
    y = np.minimum(np.maximum(x + EPS, 0.0), 2.0 * EPS)
    return y * y * (0.25 / EPS) + np.maximum(x - EPS, 0.0)


def dphi(x: Any) -> Any:
    """Derivative of :func:`phi`: 0, then (x + EPS) / (2 EPS), then 1."""
    return np.minimum(np.maximum((x + EPS) * (0.5 / EPS), 0.0), 1.0)


@jitable_inline
def saturate(u: Any, ceiling: Any) -> Any:
    """Bounded response ``u / (1 + u / F)`` for u >= 0: slope 1 at 0, never reaches F."""
    return u / (1.0 + u / ceiling)


@jitable
def dsaturate(u: Any, ceiling: Any) -> Any:
    """Derivative of :func:`saturate` with respect to u."""
    q = 1.0 + u / ceiling
    return 1.0 / (q * q)


@jitable_inline
def feel(c: Any, m_other: Any, p: Any, ceiling: Any) -> tuple[Any, Any]:
    """What a partner feels: the targets (E*, B*) that the two fears relax to.

    Parameters
    ----------
    c : closeness, shape (...,)
    m_other : the other partner's move, shape (...,)
    p : this partner's parameters, indexable by the positions above (rows of shape (...,))
    ceiling : fear ceiling F, shape (...,)
    """
    e_target = saturate(p[GE] * phi(c - p[HI]) + p[HE] * phi(m_other), ceiling)
    b_target = saturate(p[GB] * phi(p[LO] - c) + p[HB] * phi(-m_other), ceiling)
    return e_target, b_target


@jitable_inline
def act(e: Any, b: Any, r: Any, p: Any) -> Any:
    """The move a partner is drawn to: longing plus (protest or detachment) minus alarm."""
    return p[K] * (p[W] + (2.0 * r - 1.0) * b - e)


@jitable_inline
def rhs(x: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, out: Any) -> Any:
    """Time derivatives of the state (per day), written into ``out``; returns ``out``.

    Both partners respond to the same current state (synchronous update).

    Parameters
    ----------
    x, out : arrays of shape (N_STATE,) for one couple or (N_STATE, N) for a batch
    pa, pb : parameter vectors of partners a and b in rate form (see :func:`to_rates`),
        shape (P,) or (P, N)
    delta : fading of closeness (1/day); ceiling : fear ceiling F; scalars or shape (N,)
    """
    c = x[0]
    ea_t, ba_t = feel(c, x[2], pa, ceiling)
    eb_t, bb_t = feel(c, x[1], pb, ceiling)
    out[0] = x[1] + x[2] - delta * c
    out[1] = (act(x[3], x[5], x[7], pa) - x[1]) * pa[TM]
    out[2] = (act(x[4], x[6], x[8], pb) - x[2]) * pb[TM]
    out[3] = (ea_t - x[3]) * pa[TE]
    out[4] = (eb_t - x[4]) * pb[TE]
    out[5] = (ba_t - x[5]) * pa[TB]
    out[6] = (bb_t - x[6]) * pb[TB]
    out[7] = (1.0 - x[7] - pa[D] * x[5] * x[7]) * pa[TR]
    out[8] = (1.0 - x[8] - pb[D] * x[6] * x[8]) * pb[TR]
    return out


LAGS = (TM, TE, TB, TR)
"""Positions of the four time constants (days) in a parameter vector."""


@jitable
def to_rates(p: Any) -> Any:
    """Turn a parameter vector into rate form in place: each lag (days) becomes its inverse (1/day).

    :func:`rhs` multiplies by rates rather than dividing by lags, which makes the inner loop
    faster; returns ``p``.
    """
    for q in LAGS:
        p[q] = 1.0 / p[q]
    return p


def make_rk4(derivative: Any, n_state: int) -> Any:
    """Build a classical Runge-Kutta step for ``derivative(x, pa, pb, delta, ceiling, out)``.

    The returned ``step(x, pa, pb, delta, ceiling, dt, work)`` advances ``x`` (shape (n_state,)
    or (n_state, N)) in place; ``work`` is scratch space of shape (5,) + x.shape. The model's
    :func:`rk4_step` is ``make_rk4(rhs, N_STATE)`` followed by :func:`bound`; the validation tests
    build the same scheme around the closed-form models of the literature.
    """

    @jitable_inline
    def step(x: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, dt: float, work: Any) -> None:
        k1, k2, k3, k4, tmp = work[0], work[1], work[2], work[3], work[4]
        derivative(x, pa, pb, delta, ceiling, k1)
        for s in range(n_state):
            tmp[s] = x[s] + 0.5 * dt * k1[s]
        derivative(tmp, pa, pb, delta, ceiling, k2)
        for s in range(n_state):
            tmp[s] = x[s] + 0.5 * dt * k2[s]
        derivative(tmp, pa, pb, delta, ceiling, k3)
        for s in range(n_state):
            tmp[s] = x[s] + dt * k3[s]
        derivative(tmp, pa, pb, delta, ceiling, k4)
        for s in range(n_state):
            x[s] = x[s] + dt / 6.0 * (k1[s] + 2.0 * k2[s] + 2.0 * k3[s] + k4[s])

    return step


@jitable_inline
def bound(x: Any, ceiling: Any) -> None:
    """Clip a state in place to its physical domain (c >= 0, fears in [0, F], energy in [0, 1])."""
    x[0] = np.maximum(x[0], 0.0)
    for s in range(3, 7):
        x[s] = np.minimum(np.maximum(x[s], 0.0), ceiling)
    for s in range(7, 9):
        x[s] = np.minimum(np.maximum(x[s], 0.0), 1.0)


_rk4 = make_rk4(rhs, N_STATE)


@jitable
def rk4_step(x: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, dt: float, work: Any) -> None:
    """Advance the model state ``x`` in place by one RK4 step of :func:`rhs`, then :func:`bound` it.

    ``work`` is scratch space of shape (5,) + x.shape. Closeness is kept >= 0 (a pair at 0 is at a
    frozen distance), fears in [0, F] and the energy to pursue in [0, 1].
    """
    _rk4(x, pa, pb, delta, ceiling, dt, work)
    bound(x, ceiling)


RK4_REACH = 2.5
"""dt times the fastest rate that one RK4 step may take (RK4 stays stable up to about 2.8)."""


def fastest_rate(pab: np.ndarray, delta: Any, ceiling: Any) -> np.ndarray:
    """An upper bound on how fast the state can change (1/day): the largest absolute row sum of the
    Jacobian over the whole state space (Gershgorin), with every slope at its maximum
    (phi' <= 1, S' <= 1, R <= 1, B <= F).

    Parameters
    ----------
    pab : array (..., 2, P) of parameters (lag form); delta, ceiling : arrays (...,)

    Returns
    -------
    array (...,): the engine takes ``ceil(dt * rate / RK4_REACH)`` RK4 sub-steps per step.
    """
    p = np.moveaxis(np.asarray(pab, dtype=float), -1, 0)
    f = np.asarray(ceiling, dtype=float)[..., None]
    move = (1.0 + p[K] * (2.0 + 2.0 * f)) / p[TM]
    engulf = (1.0 + p[GE] + p[HE]) / p[TE]
    abandon = (1.0 + p[GB] + p[HB]) / p[TB]
    energy = (1.0 + p[D] * (1.0 + f)) / p[TR]
    rows = np.maximum(np.maximum(move, engulf), np.maximum(abandon, energy))
    return np.maximum(rows.max(axis=-1), np.asarray(delta, dtype=float) + 2.0)


def jacobian(x: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any) -> np.ndarray:
    """Analytic Jacobian d(rhs)/dx at state x, shape (N_STATE, N_STATE) (or (..., 9, 9) for batches).

    Parameters
    ----------
    x : array, shape (..., 9)
    pa, pb : arrays, shape (..., len(PARTNER_PARAMS))
    delta, ceiling : floats or arrays of shape (...,)
    """
    x = np.asarray(x, dtype=float)
    pa = np.moveaxis(np.asarray(pa, dtype=float), -1, 0)
    pb = np.moveaxis(np.asarray(pb, dtype=float), -1, 0)
    c, m = x[..., 0], (x[..., 1], x[..., 2])
    b, r = (x[..., 5], x[..., 6]), (x[..., 7], x[..., 8])
    jac = np.zeros(x.shape[:-1] + (N_STATE, N_STATE))
    jac[..., 0, 0] = -delta
    jac[..., 0, 1] = 1.0
    jac[..., 0, 2] = 1.0
    for i, p in enumerate((pa, pb)):
        j = 1 - i
        im, ie, ib, ir = 1 + i, 3 + i, 5 + i, 7 + i
        jm = 1 + j
        # move
        jac[..., im, im] = -1.0 / p[TM]
        jac[..., im, ie] = -p[K] / p[TM]
        jac[..., im, ib] = p[K] * (2.0 * r[i] - 1.0) / p[TM]
        jac[..., im, ir] = 2.0 * p[K] * b[i] / p[TM]
        # engulfment fear
        u = p[GE] * phi(c - p[HI]) + p[HE] * phi(m[j])
        su = dsaturate(u, ceiling) / p[TE]
        jac[..., ie, 0] = su * p[GE] * dphi(c - p[HI])
        jac[..., ie, jm] = su * p[HE] * dphi(m[j])
        jac[..., ie, ie] = -1.0 / p[TE]
        # abandonment fear
        v = p[GB] * phi(p[LO] - c) + p[HB] * phi(-m[j])
        sv = dsaturate(v, ceiling) / p[TB]
        jac[..., ib, 0] = -sv * p[GB] * dphi(p[LO] - c)
        jac[..., ib, jm] = -sv * p[HB] * dphi(-m[j])
        jac[..., ib, ib] = -1.0 / p[TB]
        # energy to pursue
        jac[..., ir, ib] = -p[D] * r[i] / p[TR]
        jac[..., ir, ir] = (-1.0 - p[D] * b[i]) / p[TR]
    return jac
