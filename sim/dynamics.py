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
(``sigma(c) = c^2 / (c^2 + CF^2)``, 0 below c = 0), so the floor is part of the equations, not a clip. The doubt is
a switch: without fear it rests at 0; fear above a partner's tolerance ``theta_i`` pushes it up,
and past 1/2 it tips to 1, an absorbing break-up (the bond is gone for both).

Every function here is written with arithmetic and ``np.sqrt`` only, so that the same source runs
on numpy arrays and, compiled by numba, inside the fast kernel. Functions read and write one
*lane* of their arrays (see :data:`LANE`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._accel import at, fmax, fmin, jitable, jitable_inline
from .partners import PARTNER_PARAMS

__all__ = ["CF", "EPS", "LANE", "N_STATE", "STATE_NAMES", "bound", "jacobian", "make_rk4", "phi", "rhs",
           "rk4_lanes", "rk4_step", "saturate"]

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

LANE = "x[at(s, lane)]"
"""How the model's functions index their arrays: entry s of a state (parameter q of a parameter
vector: ``p[at(q, lane)]``) in a lane, with :func:`sim._accel.at`. The compiled kernel runs a block
of LANES couples side by side, one per lane, in flat arrays (entry s at s * LANES + lane), so
that the machine's vector instructions take several couples at once; in numpy, ``at(s, lane)`` is
just s, and a function works on a state of shape (N_STATE,) or (N_STATE, N) as a whole. Values
that belong to a lane alone (``delta``, ``h``) sit in arrays of one row: ``h[at(0, lane)]``.
"""

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


@jitable
def phi(x: Any) -> Any:
    """Smooth rectifier (C1): 0 for x <= -EPS, x for x >= EPS, a parabola (x + EPS)^2 / (4 EPS) between.

    Written without branches (``min``/``max`` only) so that it is cheap on arrays and in compiled code.
    """
    y = fmin(fmax(x + EPS, 0.0), 2.0 * EPS)
    return fmax(x, y * y * (0.25 / EPS))  # the parabola lies above x, and meets it at EPS


@jitable
def dphi(x: Any) -> Any:
    """Derivative of :func:`phi`: 0, then (x + EPS) / (2 EPS), then 1."""
    return fmin(fmax((x + EPS) * (0.5 / EPS), 0.0), 1.0)


@jitable
def saturate(u: Any, ceiling: Any) -> Any:
    """Bounded response ``u / (1 + u / F) = u F / (F + u)`` for u >= 0: slope 1 at 0, never reaches F.

    Written with one division (the form with two costs the compiled kernel a tenth of its time).
    """
    return u * ceiling / (ceiling + u)


@jitable
def dsaturate(u: Any, ceiling: Any) -> Any:
    """Derivative of :func:`saturate` with respect to u."""
    q = 1.0 + u / ceiling
    return 1.0 / (q * q)


@jitable
def floor_share(c: Any) -> Any:
    """sigma(c) = c^2 / (c^2 + CF^2): how much of a wish to move away can still act at closeness c.

    0 below c = 0 (outside the domain, where an RK4 stage can reach for an instant): the square
    would grow again there and push a partner away from a closeness that is already gone, by an
    amount that depends on the step. Still C1 at 0, where both sides have slope 0.
    """
    cp = fmax(c, 0.0)
    c2 = cp * cp
    return c2 / (c2 + CF * CF)


@jitable
def dfloor_share(c: Any) -> Any:
    """Derivative of :func:`floor_share`."""
    cp = fmax(c, 0.0)
    q = cp * cp + CF * CF
    return 2.0 * cp * CF * CF / (q * q)


@jitable_inline
def feel(c: Any, m_self: Any, m_other: Any, p: Any, ceiling: Any, lane: Any = 0) -> tuple[Any, Any]:
    """What a partner feels: the alarm input (before the delay) and the fear of being left's target.

    Parameters
    ----------
    c : closeness, shape (...,)
    m_self, m_other : this partner's and the other partner's move (effort beyond the calm pull of
        longing, ``m - k w``), shape (...,)
    p : this partner's parameters, ``p[at(q, lane)]`` the value of parameter q (see :data:`LANE`)
    ceiling : fear ceiling F, shape (...,)
    lane : the lane (see :data:`LANE`)

    Returns
    -------
    (alarm, fear): ``S(phi(u))`` entering the alarm chain, and ``S(v)`` that B relaxes to.
    """
    # phi(-m) = phi(m) - m (kept >= 0 against rounding): the two partners' feel() then share
    # phi of both moves, two rectifiers fewer per right-hand side
    toward = phi(m_other)
    away_self = fmax(phi(m_self) - m_self, 0.0)
    away_other = fmax(toward - m_other, 0.0)
    u = p[at(GE, lane)] * phi(c - p[at(HI, lane)]) + p[at(HE, lane)] * toward - p[at(RHO, lane)] * away_self
    alarm = saturate(phi(u), ceiling)
    fear = saturate(p[at(GB, lane)] * phi(p[at(LO, lane)] - c) + p[at(HB, lane)] * away_other, ceiling)
    return alarm, fear


@jitable_inline
def act(c: Any, e: Any, b: Any, d_self: Any, d_other: Any, p: Any, lane: Any = 0) -> Any:
    """The effort a partner is drawn to: longing and fear of being left pull, the alarm and doubt push.

    A wish to move away fades as closeness nears 0 (:func:`floor_share`), so nobody keeps pulling
    away from a partner who is no longer near.
    """
    y = p[at(K, lane)] * ((p[at(W, lane)] + b) * (1.0 - d_self) * (1.0 - d_other) - e - LEAVE * d_self)
    toward = phi(y)
    return toward + floor_share(c) * (y - toward)


@jitable_inline
def doubt_rate(e: Any, b: Any, d: Any, p: Any, lane: Any = 0) -> Any:
    """tD * D': fear above the tolerance feeds doubt; a switch holds it at 0 or, once past TIP, at 1."""
    return DOUBT_GAIN * phi(e + b - p[at(THETA, lane)]) * (1.0 - d) + d * (d - TIP) * (1.0 - d)


@jitable_inline
def rhs(x: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, out: Any, lane: Any = 0) -> Any:
    """Time derivatives of the state (per day), written into ``out``; returns ``out``.

    Both partners respond to the same current state (synchronous update).

    Parameters
    ----------
    x, out : states, ``x[at(s, lane)]`` entry s of the state (see :data:`LANE`): in numpy shape
        (N_STATE,) for one couple or (N_STATE, N) for a batch
    pa, pb : parameter vectors of partners a and b in rate form (see :func:`to_rates`),
        shape (P,) or (P, N)
    delta : fading of closeness (1/day); ceiling : fear ceiling F; scalars or shape (N,), the
        lane's values
    lane : the lane (see :data:`LANE`)
    """
    c = x[at(0, lane)]
    ma, mb = x[at(1, lane)], x[at(2, lane)]
    e_a, e_b, b_a, b_b = x[at(7, lane)], x[at(8, lane)], x[at(9, lane)], x[at(10, lane)]
    d_a, d_b = x[at(11, lane)], x[at(12, lane)]
    rel_a = ma - pa[at(K, lane)] * pa[at(W, lane)]
    rel_b = mb - pb[at(K, lane)] * pb[at(W, lane)]
    alarm_a, fear_a = feel(c, rel_a, rel_b, pa, ceiling, lane)
    alarm_b, fear_b = feel(c, rel_b, rel_a, pb, ceiling, lane)
    ta, tb = pa[at(TE, lane)], pb[at(TE, lane)]
    out[at(0, lane)] = ma + mb - delta * c
    out[at(1, lane)] = (act(c, e_a, b_a, d_a, d_b, pa, lane) - ma) * pa[at(TM, lane)]
    out[at(2, lane)] = (act(c, e_b, b_b, d_b, d_a, pb, lane) - mb) * pb[at(TM, lane)]
    out[at(3, lane)] = (alarm_a - x[at(3, lane)]) * ta
    out[at(4, lane)] = (alarm_b - x[at(4, lane)]) * tb
    out[at(5, lane)] = (x[at(3, lane)] - x[at(5, lane)]) * ta
    out[at(6, lane)] = (x[at(4, lane)] - x[at(6, lane)]) * tb
    out[at(7, lane)] = (x[at(5, lane)] - e_a) * ta
    out[at(8, lane)] = (x[at(6, lane)] - e_b) * tb
    out[at(9, lane)] = (fear_a - b_a) * pa[at(TB, lane)]
    out[at(10, lane)] = (fear_b - b_b) * pb[at(TB, lane)]
    out[at(11, lane)] = doubt_rate(e_a, b_a, d_a, pa, lane) * pa[at(TD, lane)]
    out[at(12, lane)] = doubt_rate(e_b, b_b, d_b, pb, lane) * pb[at(TD, lane)]
    return out


LAGS = (TM, TB, TD)
"""Positions of the time constants (days) that :func:`to_rates` inverts; the alarm delay is split
into ``STAGES`` stages."""


@jitable_inline
def to_rates(p: Any, lane: Any = 0) -> Any:
    """Turn a parameter vector into rate form in place: each lag (days) becomes its inverse (1/day),
    and the alarm delay T becomes the rate of one of its stages, STAGES / T.

    :func:`rhs` multiplies by rates rather than dividing by lags, which makes the inner loop
    faster; returns ``p``. ``lane`` is the lane (see :data:`LANE`).
    """
    for q in LAGS:
        p[at(q, lane)] = 1.0 / p[at(q, lane)]
    p[at(TE, lane)] = STAGES / p[at(TE, lane)]
    return p


def make_rk4(derivative: Any, n_state: int) -> Any:
    """Build a classical Runge-Kutta step for ``derivative(x, pa, pb, delta, ceiling, out, lane)``.

    The returned ``step(x, pa, pb, delta, ceiling, h, active, work, lanes)`` advances the first
    ``lanes`` lanes of ``x`` in place (see :data:`LANE`): lane by ``h[at(0, lane)]`` days where
    ``active[at(0, lane)]`` is 1, and not at all where it is 0 (the derivative is still evaluated
    there). ``delta``, ``ceiling``, ``h`` and ``active`` hold one value per lane; ``work`` is
    scratch space of five states (``work[j]`` is one; compiled code runs fastest with five
    separate arrays, whose writes and reads it then knows cannot overlap). Each stage loops over the lanes innermost,
    so that compiled code runs a block of couples in the machine's vector lanes.

    The model's step is ``make_rk4(rhs, N_STATE)`` followed by :func:`bound` (:func:`rk4_step`);
    the validation tests build the same scheme around the closed-form models of the literature.
    """

    @jitable_inline
    def step(x: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, h: Any, active: Any, work: Any,
             lanes: int) -> None:
        tmp = work[4]
        for st in range(4):
            src = x if st == 0 else tmp
            k = work[st]
            for lane in range(lanes):
                derivative(src, pa, pb, delta[at(0, lane)], ceiling[at(0, lane)], k, lane)
            if st < 3:
                a = 0.5 if st < 2 else 1.0
                for lane in range(lanes):
                    ah = a * h[at(0, lane)]
                    for s in range(n_state):
                        tmp[at(s, lane)] = x[at(s, lane)] + ah * k[at(s, lane)]
        k1, k2, k3, k4 = work[0], work[1], work[2], work[3]
        for lane in range(lanes):
            sixth = h[at(0, lane)] / 6.0
            on = active[at(0, lane)]
            for s in range(n_state):
                i = at(s, lane)
                x[i] = x[i] + on * (sixth * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))

    return step


@jitable_inline
def bound(x: Any, ceiling: Any, lane: Any = 0) -> None:
    """Keep a state in place in its domain (c >= 0, fears in [0, F], doubt in [0, 1]).

    The equations already keep the state there (the floor of closeness is part of the moves);
    this only removes rounding past the edges and puts an event's jolt back in range.
    ``lane`` is the lane (see :data:`LANE`) and ``ceiling`` its fear ceiling.
    """
    x[at(0, lane)] = fmax(x[at(0, lane)], 0.0)
    for s in range(3, 11):
        x[at(s, lane)] = fmin(fmax(x[at(s, lane)], 0.0), ceiling)
    for s in range(11, 13):
        x[at(s, lane)] = fmin(fmax(x[at(s, lane)], 0.0), 1.0)


rk4_lanes = make_rk4(rhs, N_STATE)
"""One RK4 step of :func:`rhs` over a block of lanes (see :func:`make_rk4`), without :func:`bound`."""


def rk4_step(x: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any, dt: float,
             work: np.ndarray) -> None:
    """Advance the model state ``x`` in place by one RK4 step of :func:`rhs`, then :func:`bound` it.

    ``x`` has shape (N_STATE,) or (N_STATE, N), ``pa``/``pb`` (P,) or (P, N) in rate form,
    ``delta``/``ceiling`` scalars or (N,); ``work`` is scratch space of shape (5,) + x.shape.
    """
    one = np.ones((1,) + x.shape[1:])
    rk4_lanes(x, pa, pb, delta * one, ceiling * one, dt * one, one, work, 1)
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
