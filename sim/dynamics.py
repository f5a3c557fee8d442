"""The equations of the dance: right-hand side, one RK4 step, analytic Jacobian.

State of a couple (``N_STATE`` = 13 numbers, shapes (...,) each; time in days)::

    x = (c, m_a, m_b, A1_a, A1_b, A2_a, A2_b, E_a, E_b, B_a, B_b, D_a, D_b)

``c`` is the shared closeness (>= 0), ``m_i`` partner i's effort (> 0 toward, < 0 away, closeness
per day), ``A1_i, A2_i, E_i`` the three stages of the avoidant alarm (engulfment fear ``E_i`` is the
last), ``B_i`` the fear of being left, both in [0, F], and ``D_i`` the stay-or-go doubt in [0, 1].
For partner i with partner j::

    c'        = m_a + m_b - delta c
    u_i       = gE_i phi(c - hi_i) + hE_i phi(n_j) - rho_i phi(-n_i)     too close; pressure; relief
    A1_i'     = r_i (S(phi(u_i)) - A1_i)      A2_i' = r_i (A1_i - A2_i)      E_i' = r_i (A2_i - E_i)
    tB_i B_i' = S(gB_i phi(lo_i - c) + hB_i phi(-n_j)) - B_i             too far; the other withdraws
    tm_i m_i' = floor(c, k_i ((w_i + B_i) bond - E_i - L D_i)) - m_i      longing and fear; alarm; leaving
    tD_i D_i' = q phi(E_i + B_i - theta_i) (1 - D_i) + D_i (D_i - 1/2) (1 - D_i)

with ``n_i = m_i - k_i w_i`` a partner's move: the effort beyond the calm pull of longing (a
partner's ordinary warmth is neither pursuit nor pressure; falling below it is withdrawal),
``r_i = 3 / T_i`` (a chain of three equal stages: the alarm is a delay of mean ``T_i`` days,
not a filter that shrinks a short burst), ``bond = (1 - D_a)(1 - D_b)``, ``S(u) = u / (1 + u/F)``
and ``floor(c, y) = phi(y) + sigma(c) (y - phi(y))``: a wish to move away fades as closeness nears 0
(``sigma(c) = c^2 / (c^2 + CF^2)``), so the floor is part of the equations, not a clip. The doubt is
a switch: without fear it rests at 0; fear above a partner's tolerance ``theta_i`` pushes it up,
and past 1/2 it tips to 1, an absorbing break-up (the bond is gone for both).

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

__all__ = ["CF", "EPS", "N_STATE", "STATE_NAMES", "bound", "jacobian", "make_rk4", "phi", "rhs", "rk4_step",
           "saturate"]

EPS = 0.1
"""Smoothing width of the rectifier ``phi`` (closeness units)."""
CF = 0.1
"""Closeness below which a wish to move away fades (the floor's softness)."""
LEAVE = 1.0
"""How hard a partner who has decided to go moves away (per unit of doubt)."""
DOUBT_GAIN = 0.25
"""How fast fear above the tolerance feeds doubt (per unit of excess fear, in units of the doubt time)."""
TIP = 0.5
"""The doubt at which 'do I stay or do I go?' tips into going."""

STATE_NAMES = ("c", "m_a", "m_b", "A1_a", "A1_b", "A2_a", "A2_b", "E_a", "E_b", "B_a", "B_b", "D_a", "D_b")
N_STATE = len(STATE_NAMES)
IC, IM, IA1, IA2, IE, IB, ID = 0, 1, 3, 5, 7, 9, 11
"""First index of each quantity in the state (partner a; partner b is the next one)."""

# Positions of the partner parameters in a parameter vector (see Partner.param_vector).
_P = {name: i for i, name in enumerate(PARTNER_PARAMS)}
W, HI, LO = _P["longing"], _P["comfort_ceiling"], _P["security_floor"]
GE, HE, GB, HB = _P["closeness_alarm"], _P["pressure_alarm"], _P["distance_fear"], _P["withdrawal_fear"]
RHO, K, TE, TB, TM = _P["relief"], _P["responsiveness"], _P["alarm_lag"], _P["fear_lag"], _P["move_lag"]
THETA, TD = _P["doubt_threshold"], _P["doubt_time"]
STAGES = 3
"""Stages of the alarm chain."""


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


def dsaturate(u: Any, ceiling: Any) -> Any:
    """Derivative of :func:`saturate` with respect to u."""
    q = 1.0 + u / ceiling
    return 1.0 / (q * q)


@jitable_inline
def floor_share(c: Any) -> Any:
    """sigma(c) = c^2 / (c^2 + CF^2): how much of a wish to move away can still act at closeness c."""
    c2 = c * c
    return c2 / (c2 + CF * CF)


def dfloor_share(c: Any) -> Any:
    """Derivative of :func:`floor_share`."""
    q = c * c + CF * CF
    return 2.0 * c * CF * CF / (q * q)


@jitable_inline
def feel(c: Any, m_self: Any, m_other: Any, p: Any, ceiling: Any) -> tuple[Any, Any]:
    """What a partner feels: the alarm input (before the delay) and the fear of being left's target.

    Parameters
    ----------
    c : closeness, shape (...,)
    m_self, m_other : this partner's and the other partner's move (effort beyond the calm pull of
        longing, ``m - k w``), shape (...,)
    p : this partner's parameters, indexable by the positions above (rows of shape (...,))
    ceiling : fear ceiling F, shape (...,)

    Returns
    -------
    (alarm, fear): ``S(phi(u))`` entering the alarm chain, and ``S(v)`` that B relaxes to.
    """
    u = p[GE] * phi(c - p[HI]) + p[HE] * phi(m_other) - p[RHO] * phi(-m_self)
    alarm = saturate(phi(u), ceiling)
    fear = saturate(p[GB] * phi(p[LO] - c) + p[HB] * phi(-m_other), ceiling)
    return alarm, fear


@jitable_inline
def act(c: Any, e: Any, b: Any, d_self: Any, d_other: Any, p: Any) -> Any:
    """The effort a partner is drawn to: longing and fear of being left pull, the alarm and doubt push.

    A wish to move away fades as closeness nears 0 (:func:`floor_share`), so nobody keeps pulling
    away from a partner who is no longer near.
    """
    y = p[K] * ((p[W] + b) * (1.0 - d_self) * (1.0 - d_other) - e - LEAVE * d_self)
    toward = phi(y)
    return toward + floor_share(c) * (y - toward)


@jitable_inline
def doubt_rate(e: Any, b: Any, d: Any, p: Any) -> Any:
    """tD * D': fear above the tolerance feeds doubt; a switch holds it at 0 or, once past TIP, at 1."""
    return DOUBT_GAIN * phi(e + b - p[THETA]) * (1.0 - d) + d * (d - TIP) * (1.0 - d)


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
    rel_a = x[1] - pa[K] * pa[W]
    rel_b = x[2] - pb[K] * pb[W]
    alarm_a, fear_a = feel(c, rel_a, rel_b, pa, ceiling)
    alarm_b, fear_b = feel(c, rel_b, rel_a, pb, ceiling)
    out[0] = x[1] + x[2] - delta * c
    out[1] = (act(c, x[7], x[9], x[11], x[12], pa) - x[1]) * pa[TM]
    out[2] = (act(c, x[8], x[10], x[12], x[11], pb) - x[2]) * pb[TM]
    out[3] = (alarm_a - x[3]) * pa[TE]
    out[4] = (alarm_b - x[4]) * pb[TE]
    out[5] = (x[3] - x[5]) * pa[TE]
    out[6] = (x[4] - x[6]) * pb[TE]
    out[7] = (x[5] - x[7]) * pa[TE]
    out[8] = (x[6] - x[8]) * pb[TE]
    out[9] = (fear_a - x[9]) * pa[TB]
    out[10] = (fear_b - x[10]) * pb[TB]
    out[11] = doubt_rate(x[7], x[9], x[11], pa) * pa[TD]
    out[12] = doubt_rate(x[8], x[10], x[12], pb) * pb[TD]
    return out


LAGS = (TM, TB, TD)
"""Positions of the time constants (days) that :func:`to_rates` inverts; the alarm delay is split
into ``STAGES`` stages."""


@jitable
def to_rates(p: Any) -> Any:
    """Turn a parameter vector into rate form in place: each lag (days) becomes its inverse (1/day),
    and the alarm delay T becomes the rate of one of its stages, STAGES / T.

    :func:`rhs` multiplies by rates rather than dividing by lags, which makes the inner loop
    faster; returns ``p``.
    """
    for q in LAGS:
        p[q] = 1.0 / p[q]
    p[TE] = STAGES / p[TE]
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
    """Keep a state in place in its domain (c >= 0, fears in [0, F], doubt in [0, 1]).

    The equations already keep the state there (the floor of closeness is part of the moves);
    this only removes rounding past the edges and puts an event's jolt back in range.
    """
    x[0] = np.maximum(x[0], 0.0)
    for s in range(3, 11):
        x[s] = np.minimum(np.maximum(x[s], 0.0), ceiling)
    for s in range(11, 13):
        x[s] = np.minimum(np.maximum(x[s], 0.0), 1.0)


_rk4 = make_rk4(rhs, N_STATE)


@jitable
def rk4_step(x: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, dt: float, work: Any) -> None:
    """Advance the model state ``x`` in place by one RK4 step of :func:`rhs`, then :func:`bound` it.

    ``work`` is scratch space of shape (5,) + x.shape.
    """
    _rk4(x, pa, pb, delta, ceiling, dt, work)
    bound(x, ceiling)


RK4_REACH = 2.5
"""dt times the fastest rate that one RK4 step may take (RK4 stays stable up to about 2.8)."""


def fastest_rate(pab: np.ndarray, delta: Any, ceiling: Any) -> np.ndarray:
    """An upper estimate of how fast the state can change (1/day) where the dynamics live.

    The largest absolute row sum of the Jacobian (Gershgorin) with every slope at its maximum
    (phi' <= 1, S' <= 1, doubt in [0, 1], fears <= F), leaving out the floor's slope sigma'(c),
    which only couples closeness and effort at very low closeness: that pair is bounded on its own,
    by the eigenvalues of its 2 x 2 block, sqrt(2 sigma'_max |y| / tm) above its damping (the
    floor's slope times the largest wish to move away, F + LEAVE, enters one way, 1 the other).

    Parameters
    ----------
    pab : array (..., 2, P) of parameters (lag form); delta, ceiling : arrays (...,)

    Returns
    -------
    array (...,): the engine takes ``ceil(dt * rate / RK4_REACH)`` RK4 sub-steps per step.
    """
    p = np.moveaxis(np.asarray(pab, dtype=float), -1, 0)
    f = np.asarray(ceiling, dtype=float)[..., None]
    dl = np.asarray(delta, dtype=float)[..., None]
    pull = p[K] * (p[W] + f + 1.0 + LEAVE)
    move = (1.0 + pull) / p[TM]
    floor_pair = dl + 1.0 / p[TM] + np.sqrt(2.0 * 0.65 / CF * p[K] * (f + LEAVE) / p[TM])
    alarm = STAGES / p[TE] * (1.0 + p[GE] + p[HE] + p[RHO])
    fear = (1.0 + p[GB] + p[HB]) / p[TB]
    doubt = (1.0 + DOUBT_GAIN * (1.0 + 2.0 * f)) / p[TD]
    rows = np.maximum(np.maximum(np.maximum(move, floor_pair), alarm), np.maximum(fear, doubt))
    return np.maximum(rows.max(axis=-1), np.asarray(delta, dtype=float) + 2.0)


def jacobian(x: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any) -> np.ndarray:
    """Analytic Jacobian d(rhs)/dx at state x, shape (N_STATE, N_STATE) (or (..., 13, 13) for batches).

    Parameters
    ----------
    x : array, shape (..., 13)
    pa, pb : arrays, shape (..., len(PARTNER_PARAMS)), lag form
    delta, ceiling : floats or arrays of shape (...,)
    """
    x = np.asarray(x, dtype=float)
    pa = np.moveaxis(np.asarray(pa, dtype=float), -1, 0)
    pb = np.moveaxis(np.asarray(pb, dtype=float), -1, 0)
    c = x[..., 0]
    m = (x[..., 1] - pa[K] * pa[W], x[..., 2] - pb[K] * pb[W])  # moves: effort beyond calm longing
    e, b, d = (x[..., 7], x[..., 8]), (x[..., 9], x[..., 10]), (x[..., 11], x[..., 12])
    jac = np.zeros(x.shape[:-1] + (N_STATE, N_STATE))
    jac[..., 0, 0] = -delta
    jac[..., 0, 1] = 1.0
    jac[..., 0, 2] = 1.0
    for i, p in enumerate((pa, pb)):
        j = 1 - i
        im, jm = IM + i, IM + j
        ia1, ia2, ie, ib, idd, jd = IA1 + i, IA2 + i, IE + i, IB + i, ID + i, ID + j
        # alarm chain
        r = STAGES / p[TE]
        u = p[GE] * phi(c - p[HI]) + p[HE] * phi(m[j]) - p[RHO] * phi(-m[i])
        su = r * dsaturate(phi(u), ceiling) * dphi(u)
        jac[..., ia1, 0] = su * p[GE] * dphi(c - p[HI])
        jac[..., ia1, jm] = su * p[HE] * dphi(m[j])
        jac[..., ia1, im] = su * p[RHO] * dphi(-m[i])
        jac[..., ia1, ia1] = -r
        jac[..., ia2, ia1] = r
        jac[..., ia2, ia2] = -r
        jac[..., ie, ia2] = r
        jac[..., ie, ie] = -r
        # fear of being left
        v = p[GB] * phi(p[LO] - c) + p[HB] * phi(-m[j])
        sv = dsaturate(v, ceiling) / p[TB]
        jac[..., ib, 0] = -sv * p[GB] * dphi(p[LO] - c)
        jac[..., ib, jm] = -sv * p[HB] * dphi(-m[j])
        jac[..., ib, ib] = -1.0 / p[TB]
        # effort
        bond = (1.0 - d[i]) * (1.0 - d[j])
        y = p[K] * ((p[W] + b[i]) * bond - e[i] - LEAVE * d[i])
        sig = floor_share(c)
        dy = (dphi(y) + sig * (1.0 - dphi(y))) / p[TM]
        jac[..., im, 0] = dfloor_share(c) * (y - phi(y)) / p[TM]
        jac[..., im, im] = -1.0 / p[TM]
        jac[..., im, ib] = dy * p[K] * bond
        jac[..., im, ie] = -dy * p[K]
        jac[..., im, idd] = -dy * p[K] * ((p[W] + b[i]) * (1.0 - d[j]) + LEAVE)
        jac[..., im, jd] = -dy * p[K] * (p[W] + b[i]) * (1.0 - d[i])
        # doubt
        s = e[i] + b[i] - p[THETA]
        g = DOUBT_GAIN * dphi(s) * (1.0 - d[i]) / p[TD]
        jac[..., idd, ie] = g
        jac[..., idd, ib] = g
        jac[..., idd, idd] = (-DOUBT_GAIN * phi(s) - 3.0 * d[i] ** 2 + 2.0 * (1.0 + TIP) * d[i] - TIP) / p[TD]
    return jac
