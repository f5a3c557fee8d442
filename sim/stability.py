"""Stability analysis: every resting state of a couple, its eigenvalues, and the one the couple lives at.

At rest every derivative of :func:`sim.dynamics.rhs` is zero. Given the efforts ``m = (m_a, m_b)``
and the doubts ``D = (D_a, D_b)``, the rest of the state follows::

    c = (m_a + m_b) / delta                  closeness
    A1_i = A2_i = E_i = S(phi(u_i))          the alarm chain at its input (feel(...)[0])
    B_i = S(v_i)                             the fear of being left at its target (feel(...)[1])

and four equations remain::

    act(c, E_i, B_i, D_i, D_j) - m_i = 0                   the efforts, i = a, b
    (1 - D_i) (q phi(E_i + B_i - theta_i) + D_i (D_i - 1/2)) = 0   the doubts

Each doubt sits on one of three branches: ``D = 1`` (gone: a break-up, absorbing, always a
resting state), or a root of ``D^2 - D/2 + q phi = 0``: the low one
``D_low = (1/2 - sqrt(1/4 - 4 q phi)) / 2`` (the stay branch, where a couple lives) or the middle
one ``D_mid`` (the tipping threshold, a saddle); neither exists when ``4 q phi > 1/4``. Newton's
method (analytic 4 x 4 Jacobian) solves for (m_a, m_b, D_a, D_b) from a grid of starting efforts
and, per partner, a starting doubt on each branch: one lane per (couple, branch pair, start), all
couples at once, each lane stopping once it has converged. With the doubts as unknowns (rather
than ``D_low(m)``) the equations stay smooth where the two doubt roots merge, so Newton does not
stall there. The distinct solutions are every resting state; each gets the eigenvalues of the
analytic Jacobian :func:`sim.dynamics.jacobian` (one stacked ``np.linalg.eigvals``) and a kind from
its *leading* eigenvalue(s):

- "stable node" / "stable spiral": every real part < 0; the leading eigenvalue is real / complex;
- "unstable spiral": the leading eigenvalues are a complex pair with real part > 0 (growing
  rounds: where they start, at a Hopf bifurcation, the dance begins);
- "unstable node": the leading eigenvalue is real and > 0 (a vicious circle, or the tipping saddle);
- "break-up": some doubt is 1 (absorbing; linearly stable, but not a resting state of a couple).

A doubt that sits at rest below its tolerance has a Jacobian row with only its diagonal entry: it
relaxes on its own, at ``-1/(2 tD)`` (slower than anything else), and nothing in the dance moves
it. That eigenvalue is left out of the *kind* (never out of the stability), or every couple
would come to rest "without swinging" whatever its rounds do.

**The couple's resting state** is chosen by one rule, :func:`pick`, used by :func:`stability`,
:func:`stability_arrays` (the regime maps) and :mod:`sim.continuation` alike: among the stay-branch
states (both doubts on ``D_low``; closeness >= 0), the stable one with the highest closeness;
if none is stable, the one with the highest closeness; without a stay state, the break-up in which
both have gone (``D_a = D_b = 1``). Why: a couple starts close (``closeness0``), without fear or
doubt; it can only come to rest at a stable state, and several stay states come in pairs born
together at a fold (a stable one and a saddle, close to each other), so the stable one is where
the couple settles: of 3,000 drawn couples with random parameter overrides, 17 have two or three
stay states; 10 of their runs from the start came to rest, every one at the chosen state. A couple
without a stable stay state keeps moving (rounds, or a slow drift toward a break-up), and it is the
stay state its rounds circle that says how (an unstable spiral). Without a stay state, fear at
rest is above the tolerance for good: the doubt tips and the bond is gone for both.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ._accel import (
    HAVE_NUMBA,
    LANES,
    any_true,
    at,
    borrowed,
    fmax,
    fmin,
    jitable,
    jitable_inline,
    keep_if,
    use_cache_for,
)
from .dynamics import (
    DOUBT_GAIN,
    GB,
    GE,
    HB,
    HE,
    HI,
    LEAVE,
    LO,
    N_STATE,
    RHO,
    RK4_REACH,
    THETA,
    TIP,
    K,
    W,
    act,
    dfloor_share,
    doubt_rate,
    dphi,
    dsaturate,
    fastest_rate,
    feel,
    floor_share,
    jacobian,
    phi,
    rk4_step,
    to_rates,
)
from .frozen import ReadOnlyArrays, frozen
from .interventions import Intervention, long_run
from .limits import check_items
from .partners import Couple, couple_arrays

__all__ = ["BRANCHES", "KINDS", "KIND_TEXT", "Stability", "analyse", "effective_param_arrays", "effective_params",
           "equilibria", "follow", "is_complex", "linearise", "pick", "stability", "stability_arrays"]

LOW, MID, ONE = 0, 1, 2
BRANCHES = ("low", "mid", "one")
"""The three resting branches of a doubt (codes 0, 1, 2): the stay root, the tipping root, gone (D = 1)."""
STAY = ((LOW, LOW),)
"""Branch pairs (a, b) of the stay-branch resting states: the ones a couple lives at."""
ALL_PAIRS = tuple((i, j) for i in (LOW, MID, ONE) for j in (LOW, MID, ONE))
"""Every branch pair (a, b); the stay pair first."""

KINDS = ("stable node", "stable spiral", "unstable spiral", "unstable node", "break-up")
"""Kinds of resting state, indexed by the integer codes of :func:`analyse`."""
NODE, SPIRAL, USPIRAL, UNODE, BREAK = range(5)

KIND_TEXT: dict[str, dict[str, str]] = {
    "stable node": {"en": "stable: comes to rest without swinging",
                    "nl": "stabiel: komt tot rust zonder te schommelen"},
    "stable spiral": {"en": "stable: comes to rest in rounds that fade",
                      "nl": "stabiel: komt tot rust in rondes die uitdoven"},
    "unstable spiral": {"en": "unstable: rounds grow around the resting point (the dance)",
                        "nl": "instabiel: rondes groeien rond het rustpunt (de dans)"},
    "unstable node": {"en": "unstable: a vicious circle runs away from the resting point",
                      "nl": "instabiel: een vicieuze cirkel loopt weg van het rustpunt"},
    "break-up": {"en": "break-up: the doubt has tipped and the bond is gone; there is no way back from here",
                 "nl": "breuk: de twijfel is omgeslagen en de band is verbroken; hiervandaan is er geen weg terug"},
}
"""Kind -> plain words in English and Dutch."""

_GRID = np.array([-0.5, 0.05, 0.3, 1.0])
_STARTS = np.array([(x, y) for x in _GRID for y in _GRID]).T
"""Starting efforts of the Newton lanes (closeness per day), shape (2, S): a 4 x 4 grid over both
partners' efforts. On 400 drawn couples (fading and fear ceiling drawn too) it finds every
stay-branch state that a 12 x 12 grid finds, and misses a tipping saddle or a one-gone break-up
for 6 of them."""
_ITERATIONS = 30
"""Newton iterations at most (converging lanes take 5 to 15)."""
_MAX_STEP = 0.5
"""Largest Newton step in either effort (closeness per day): keeps a lane from jumping basins."""
_MAX_DOUBT_STEP = 0.25
"""Largest Newton step in either doubt."""
_M_MAX = 100.0
"""Largest effort a Newton iterate may take (closeness per day)."""
_D_MAX = 0.75
"""Largest doubt of a Newton iterate for a partner still there (the tipping root is at most 1/2)."""
_TOL = 1e-11
"""Largest residual (closeness per day; doubt per unit of doubt time) of an accepted resting state."""
_DONE = 1e-13
"""A lane stops once its step and its residual are below this."""
_SAME = 1e-6
"""Resting states closer than this in every entry are the same one."""
_OWN = 1e-12
"""A doubt's Jacobian row with off-diagonal entries below this leaves it to relax on its own."""
_IMAG = 1e-4
"""Eigenvalues with |imaginary part| below this (relative to 1 + |lambda|) count as real (the
alarm chain's triple eigenvalue splits into a rounding-size complex pair)."""
REACH_STEPS = 2000
REACH_DT = 0.1
"""The run of :attr:`Stability.reached`: 2,000 steps of 0.1 day (200 days), as ``sim.simulate``."""
REACH_TOL = 2e-2
"""A run's last state within this (every entry) of a resting state has reached it."""


# ------------------------------------------------------------------------------------------------
# The resting-state equations, with their derivatives, on lanes
# ------------------------------------------------------------------------------------------------


@jitable_inline
def _feelings(c: Any, n_self: Any, n_other: Any, inv_delta: Any, p: Any, ceiling: Any,
              lane: Any = 0) -> tuple[Any, ...]:
    """One partner's alarm E and fear of being left B at rest, and their slopes.

    The values are :func:`sim.dynamics.feel`'s; the slopes are its derivatives.

    Parameters
    ----------
    c, inv_delta (1 / delta), ceiling : the lane's values (numpy: arrays (L,))
    n_self, n_other : this and the other partner's move (effort beyond the calm pull, ``m - k w``)
    p : this partner's parameters (lag form), ``p[at(q, lane)]`` (numpy: shape (P, L))
    lane : the lane (see :data:`sim.dynamics.LANE`)

    Returns
    -------
    e, b; de_s, de_o, db_s, db_o: their derivatives with respect to the own and the other
    partner's effort (through closeness ``c = (m_a + m_b) / delta`` too).
    """
    e, b = feel(c, n_self, n_other, p, ceiling, lane)
    ge, hi, he, rho = p[at(GE, lane)], p[at(HI, lane)], p[at(HE, lane)], p[at(RHO, lane)]
    gb, lo, hb = p[at(GB, lane)], p[at(LO, lane)], p[at(HB, lane)]
    gc = ge * dphi(c - hi) * inv_delta
    u = ge * phi(c - hi) + he * phi(n_other) - rho * phi(-n_self)
    se = dsaturate(phi(u), ceiling) * dphi(u)
    sv = dsaturate(gb * phi(lo - c) + hb * phi(-n_other), ceiling)
    hc = -gb * dphi(lo - c) * inv_delta
    return (e, b, se * (gc + rho * dphi(-n_self)), se * (gc + he * dphi(n_other)),
            sv * hc, sv * (hc - hb * dphi(-n_other)))


@jitable_inline
def _act(c: Any, inv_delta: Any, p: Any, e: Any, b: Any, d_self: Any, d_other: Any,
         lane: Any = 0) -> tuple[Any, ...]:
    """The effort a partner is drawn to at rest, :func:`sim.dynamics.act`, and its slopes.

    Returns
    -------
    value, and its derivatives with respect to y (the wish before the floor), to c (per unit of
    effort, through ``c = (m_a + m_b) / delta``), to the own and to the other partner's doubt.
    """
    value = act(c, e, b, d_self, d_other, p, lane)
    k = p[at(K, lane)]
    pull = p[at(W, lane)] + b
    y = k * (pull * (1.0 - d_self) * (1.0 - d_other) - e - LEAVE * d_self)
    sig = floor_share(c)
    gain = dphi(y) + sig * (1.0 - dphi(y))
    return (value, gain, dfloor_share(c) * (y - phi(y)) * inv_delta,
            -gain * k * (pull * (1.0 - d_other) + LEAVE), -gain * k * pull * (1.0 - d_self))


@jitable_inline
def _doubt_row(e: Any, b: Any, de_a: Any, de_b: Any, db_a: Any, db_b: Any, d: Any, p: Any, gone: Any,
               i: int, r: Any, jac: Any, lane: Any = 0) -> None:
    """Row 2 + i of the resting-state equations (partner i's doubt) and of their Jacobian."""
    slope = DOUBT_GAIN * dphi(e + b - p[at(THETA, lane)])
    stay = 1.0 - keep_if(gone, 0.0, d)
    r[at(2 + i, lane)] = keep_if(gone, d - 1.0, doubt_rate(e, b, d, p, lane) / stay)
    row = 4 * (2 + i)
    jac[at(row, lane)] = keep_if(gone, 0.0, slope * (de_a + db_a))
    jac[at(row + 1, lane)] = keep_if(gone, 0.0, slope * (de_b + db_b))
    jac[at(row + 2 + i, lane)] = keep_if(gone, 1.0, 2.0 * d - TIP)
    jac[at(row + 3 - i, lane)] = 0.0


@jitable_inline
def _equations(z: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, gone_a: Any, gone_b: Any, r: Any,
               jac: Any, lane: Any = 0) -> None:
    """The resting-state equations in the unknowns z = (m_a, m_b, D_a, D_b), and their Jacobian.

    ``act_i - m_i = 0`` for both partners (closeness, alarm chain and fear at their targets), and
    for each doubt ``doubt_rate / (1 - D) = q phi(E + B - theta) + D (D - 1/2) = 0`` (the stay and
    tipping roots), or ``D - 1 = 0`` where the partner has gone. Values come from
    :mod:`sim.dynamics` (``feel``, ``act``, ``doubt_rate``), so a resting state here is one of ``rhs``.

    Written on lanes like :func:`sim.dynamics.rhs` (see :data:`sim.dynamics.LANE`): ``z`` and the
    residual ``r`` have 4 rows, ``jac`` 16 (row-major 4 x 4), ``pa``/``pb`` P (lag form);
    ``delta``, ``ceiling`` and the flags ``gone_a``/``gone_b`` (1.0 where that partner has gone,
    D = 1) are the lane's values.
    """
    inv_delta = 1.0 / delta
    ma, mb, da, db = z[at(0, lane)], z[at(1, lane)], z[at(2, lane)], z[at(3, lane)]
    c = (ma + mb) * inv_delta
    na = ma - pa[at(K, lane)] * pa[at(W, lane)]
    nb = mb - pb[at(K, lane)] * pb[at(W, lane)]
    ea, ba, dea_a, dea_b, dba_a, dba_b = _feelings(c, na, nb, inv_delta, pa, ceiling, lane)
    eb, bb, deb_b, deb_a, dbb_b, dbb_a = _feelings(c, nb, na, inv_delta, pb, ceiling, lane)
    act_a, gain_a, dc_a, dda_a, dda_b = _act(c, inv_delta, pa, ea, ba, da, db, lane)
    act_b, gain_b, dc_b, ddb_b, ddb_a = _act(c, inv_delta, pb, eb, bb, db, da, lane)
    bond = (1.0 - da) * (1.0 - db)
    ka, kb = gain_a * pa[at(K, lane)], gain_b * pb[at(K, lane)]
    jac[at(0, lane)] = ka * (dba_a * bond - dea_a) + dc_a - 1.0
    jac[at(1, lane)] = ka * (dba_b * bond - dea_b) + dc_a
    jac[at(2, lane)] = dda_a
    jac[at(3, lane)] = dda_b
    jac[at(4, lane)] = kb * (dbb_a * bond - deb_a) + dc_b
    jac[at(5, lane)] = kb * (dbb_b * bond - deb_b) + dc_b - 1.0
    jac[at(6, lane)] = ddb_a
    jac[at(7, lane)] = ddb_b
    r[at(0, lane)] = act_a - ma
    r[at(1, lane)] = act_b - mb
    _doubt_row(ea, ba, dea_a, dea_b, dba_a, dba_b, da, pa, gone_a, 0, r, jac, lane)
    _doubt_row(eb, bb, deb_a, deb_b, dbb_a, dbb_b, db, pb, gone_b, 1, r, jac, lane)


def _rest(z: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray,
          gone: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_equations` on numpy lanes, with the state that z implies.

    Parameters
    ----------
    z : unknowns, shape (4, L), with m_a + m_b >= 0 and the doubts of partners still there < 1
    pa, pb : parameters (lag form), shape (P, L)
    delta, ceiling : arrays (L,); gone : bool array (2, L), partner a / b has gone (D = 1)

    Returns
    -------
    x : the state z implies, shape (13, L); residual : shape (4, L); jac : its derivative with
    respect to z, shape (4, 4, L)
    """
    r = np.empty((4,) + z.shape[1:])
    jac = np.empty((16,) + z.shape[1:])
    flags = np.asarray(gone, dtype=float)
    _equations(z, pa, pb, delta, ceiling, flags[0], flags[1], r, jac)
    ma, mb, da, db = z
    c = (ma + mb) * (1.0 / delta)  # as in _equations
    na, nb = ma - pa[K] * pa[W], mb - pb[K] * pb[W]
    ea, ba = feel(c, na, nb, pa, ceiling)
    eb, bb = feel(c, nb, na, pb, ceiling)
    x = np.stack([c, ma, mb, ea, eb, ea, eb, ea, eb, ba, bb, da, db])
    return x, r, jac.reshape((4, 4) + z.shape[1:])


@jitable_inline
def _domain(z: Any, gone_a: Any, gone_b: Any, lane: Any = 0) -> None:
    """Put a Newton iterate back in place into the domain: closeness >= 0 (both efforts shifted
    alike), efforts within ``_M_MAX``, doubts in [0, ``_D_MAX``] (1 where a partner has gone)."""
    ma = fmin(fmax(z[at(0, lane)], -_M_MAX), _M_MAX)
    mb = fmin(fmax(z[at(1, lane)], -_M_MAX), _M_MAX)
    low = fmin(ma + mb, 0.0) * 0.5
    z[at(0, lane)] = ma - low
    z[at(1, lane)] = mb - low
    z[at(2, lane)] = keep_if(gone_a, 1.0, fmin(fmax(z[at(2, lane)], 0.0), _D_MAX))
    z[at(3, lane)] = keep_if(gone_b, 1.0, fmin(fmax(z[at(3, lane)], 0.0), _D_MAX))


@jitable
def _solvable(d: Any) -> Any:
    """A doubt's own slope kept at least 1e-9 away from 0 (with its sign)."""
    return keep_if(1.0 * (np.abs(d) < 1e-9), keep_if(1.0 * (d < 0.0), -1e-9, 1e-9), d)


@jitable
def _finite(v: Any) -> Any:
    """v where it is finite, 0 where it is NaN or infinite."""
    return keep_if(1.0 * (np.abs(v) < np.inf), v, 0.0)


@jitable_inline
def _newton_move(z: Any, r: Any, jac: Any, stopped: Any, gone_a: Any, gone_b: Any, lane: Any = 0) -> Any:
    """One damped Newton step of a lane from the residual and Jacobian of :func:`_equations`;
    returns the lane's flag "stopped" (1.0 once its step and residual are below ``_DONE``).

    The step solves ``jac step = r``. The doubt rows have one doubt entry each (``jac[2, 3] =
    jac[3, 2] = 0``), so the doubts are eliminated first and a 2 x 2 system in the efforts remains
    (Cramer's rule); a doubt's own slope ``2 D - 1/2`` vanishes only where the stay and tipping
    roots merge, and is kept at least 1e-9 away from 0 there (Newton is slow there anyway, and the
    residual decides what is accepted). The step is shortened to at most ``_MAX_STEP`` in an
    effort and ``_MAX_DOUBT_STEP`` in a doubt, and the iterate kept in the domain (:func:`_domain`);
    a lane that has stopped does not move.
    """
    r0, r1, r2, r3 = r[at(0, lane)], r[at(1, lane)], r[at(2, lane)], r[at(3, lane)]
    h0, h1 = _solvable(jac[at(10, lane)]), _solvable(jac[at(15, lane)])
    j20, j21, j30, j31 = jac[at(8, lane)], jac[at(9, lane)], jac[at(12, lane)], jac[at(13, lane)]
    sa0, sa1 = jac[at(2, lane)] / h0, jac[at(6, lane)] / h0
    sb0, sb1 = jac[at(3, lane)] / h1, jac[at(7, lane)] / h1
    a00 = jac[at(0, lane)] - sa0 * j20 - sb0 * j30
    a01 = jac[at(1, lane)] - sa0 * j21 - sb0 * j31
    a10 = jac[at(4, lane)] - sa1 * j20 - sb1 * j30
    a11 = jac[at(5, lane)] - sa1 * j21 - sb1 * j31
    t0 = r0 - sa0 * r2 - sb0 * r3
    t1 = r1 - sa1 * r2 - sb1 * r3
    det = a00 * a11 - a01 * a10
    det = keep_if(1.0 * (np.abs(det) < 1e-300), 1e-300, det)
    s0 = (a11 * t0 - a01 * t1) / det
    s1 = (a00 * t1 - a10 * t0) / det
    s2 = _finite((r2 - j20 * s0 - j21 * s1) / h0)
    s3 = _finite((r3 - j30 * s0 - j31 * s1) / h1)
    s0, s1 = _finite(s0), _finite(s1)
    big_m = fmax(np.abs(s0), np.abs(s1))
    big_d = fmax(np.abs(s2), np.abs(s3))
    size = fmax(big_m / _MAX_STEP, big_d / _MAX_DOUBT_STEP)
    residual = fmax(fmax(np.abs(r0), np.abs(r1)), fmax(np.abs(r2), np.abs(r3)))
    stopped = fmax(stopped, 1.0 * (fmax(big_m, big_d) < _DONE) * (residual < _DONE))
    scale = keep_if(stopped, 0.0, fmin(1.0, 1.0 / fmax(size, 1e-300)))
    z[at(0, lane)] = z[at(0, lane)] - s0 * scale
    z[at(1, lane)] = z[at(1, lane)] - s1 * scale
    z[at(2, lane)] = z[at(2, lane)] - s2 * scale
    z[at(3, lane)] = z[at(3, lane)] - s3 * scale
    _domain(z, gone_a, gone_b, lane)
    return stopped


def _newton(z: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray,
            gone: np.ndarray, iterations: int = _ITERATIONS) -> np.ndarray:
    """Damped Newton on lanes from ``z`` (4, L); returns where each lane ends, shape (4, L).

    Each lane takes at most ``iterations`` steps of :func:`_newton_move` and stops once it has
    converged. With numba and at least ``COMPILED_LANES`` lanes the compiled kernel runs them
    (blocks of lanes on every core); otherwise numpy, where the lanes that have stopped leave
    the working arrays once they are a quarter of them (so the others run faster).
    """
    z = np.array(z, dtype=float)
    flags = np.asarray(gone, dtype=float)
    if HAVE_NUMBA and z.shape[1] >= COMPILED_LANES:
        return _newton_compiled(z, pa, pb, delta, ceiling, flags, iterations)
    _domain(z, flags[0], flags[1])
    live = np.arange(z.shape[1])
    zz, pa_l, pb_l, dl_l, ce_l, gone_l = z, pa, pb, delta, ceiling, flags
    stopped = np.zeros(z.shape[1])
    r = np.empty((4,) + z.shape[1:])
    jac = np.empty((16,) + z.shape[1:])
    for _ in range(iterations):
        _equations(zz, pa_l, pb_l, dl_l, ce_l, gone_l[0], gone_l[1], r, jac)
        stopped = _newton_move(zz, r, jac, stopped, gone_l[0], gone_l[1])
        if stopped.all():
            break
        if 4 * np.count_nonzero(stopped) >= stopped.size:
            z[:, live] = zz
            keep = stopped == 0.0
            live = live[keep]
            zz, pa_l, pb_l = zz[:, keep], pa_l[:, keep], pb_l[:, keep]
            dl_l, ce_l, gone_l = dl_l[keep], ce_l[keep], gone_l[:, keep]
            stopped, r, jac = stopped[keep], r[:, keep], jac[:, keep]
    z[:, live] = zz
    return z


COMPILED_LANES = 2048
"""Newton lanes from which the compiled kernel runs them (a regime map has 16 per couple); fewer
run in numpy, so that one couple's analysis never waits for numba to compile."""


@jitable
def _newton_block(z: Any, pa: Any, pb: Any, delta: Any, ceiling: Any, gone: Any, r: Any, jac: Any,
                  stopped: Any, iterations: int, lanes: int) -> None:
    """Newton on the first ``lanes`` lanes of a block (flat arrays, see :data:`sim.dynamics.LANE`):
    z, r (4 rows), jac (16), pa/pb (P), delta/ceiling/stopped (1), gone (2)."""
    z, pa, pb, r, jac = borrowed(z), borrowed(pa), borrowed(pb), borrowed(r), borrowed(jac)
    delta, ceiling, gone, stopped = borrowed(delta), borrowed(ceiling), borrowed(gone), borrowed(stopped)
    for lane in range(lanes):
        _domain(z, gone[at(0, lane)], gone[at(1, lane)], lane)
    for _ in range(iterations):
        for lane in range(lanes):
            _equations(z, pa, pb, delta[at(0, lane)], ceiling[at(0, lane)], gone[at(0, lane)],
                       gone[at(1, lane)], r, jac, lane)
        done = 0
        for lane in range(lanes):
            s = _newton_move(z, r, jac, stopped[at(0, lane)], gone[at(0, lane)], gone[at(1, lane)], lane)
            stopped[at(0, lane)] = s
            done += any_true(s)
        if done == lanes:
            break


_NEWTON_KERNEL: Any = None


def _compile_newton() -> Any:
    """Compile Newton over blocks of LANES lanes, the blocks in parallel (numba's cache keeps it)."""
    import numba

    cached = use_cache_for("stability.py", "dynamics.py", "partners.py", "_accel.py")
    block = _newton_block
    width = LANES

    @numba.njit(parallel=True, cache=cached, error_model="numpy")
    def kernel(z0, pa0, pb0, delta0, ceiling0, gone0, iterations):  # pragma: no cover - compiled
        n = z0.shape[1]
        n_par = pa0.shape[0]
        for b in numba.prange((n + width - 1) // width):
            first = b * width
            lanes = min(width, n - first)
            z = np.zeros(4 * width)
            pa = np.ones(n_par * width)
            pb = np.ones(n_par * width)
            dl = np.ones(width)
            ce = np.ones(width)
            gone = np.zeros(2 * width)
            for lane in range(lanes):
                i = first + lane
                for s in range(4):
                    z[at(s, lane)] = z0[s, i]
                for q in range(n_par):
                    pa[at(q, lane)] = pa0[q, i]
                    pb[at(q, lane)] = pb0[q, i]
                dl[lane] = delta0[i]
                ce[lane] = ceiling0[i]
                gone[at(0, lane)] = gone0[0, i]
                gone[at(1, lane)] = gone0[1, i]
            block(z, pa, pb, dl, ce, gone, np.zeros(4 * width), np.zeros(16 * width), np.zeros(width),
                  iterations, lanes)
            for lane in range(lanes):
                for s in range(4):
                    z0[s, first + lane] = z[at(s, lane)]

    return kernel


def _newton_compiled(z: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray,
                     gone: np.ndarray, iterations: int) -> np.ndarray:
    """:func:`_newton` by the compiled kernel (z is overwritten and returned)."""
    global _NEWTON_KERNEL
    if _NEWTON_KERNEL is None:
        _NEWTON_KERNEL = _compile_newton()
    f = np.ascontiguousarray
    _NEWTON_KERNEL(z, f(pa, dtype=float), f(pb, dtype=float), f(delta, dtype=float), f(ceiling, dtype=float),
                   f(gone, dtype=float), int(iterations))
    return z


def _seed_doubt(m: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray,
                branch: np.ndarray) -> np.ndarray:
    """Starting doubts (2, L) for starting efforts m (2, L): the branch's root where it exists there.

    The stay root ``D_low``, the tipping root ``D_mid`` (TIP / 2 where the two have merged or do
    not exist), or 1 for a partner who has gone.
    """
    c = np.maximum(m[0] + m[1], 0.0) / delta
    out = np.empty(m.shape)
    n = (m[0] - pa[K] * pa[W], m[1] - pb[K] * pb[W])
    for i, p in enumerate((pa, pb)):
        e, b = feel(c, n[i], n[1 - i], p, ceiling)
        root = np.sqrt(np.maximum(TIP * TIP - 4.0 * DOUBT_GAIN * phi(e + b - p[THETA]), 0.0))
        out[i] = np.where(branch[i] == ONE, 1.0, 0.5 * (TIP + np.where(branch[i] == MID, root, -root)))
    return out


def _solve(pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray,
           pairs: tuple[tuple[int, int], ...], starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Newton from every start for every branch pair.

    Returns
    -------
    states : array (N, K, 13), K = len(pairs) * S; ok : bool (N, K), a resting state (residual
    below ``_TOL``); branch : int array (N, K, 2), the branch each state lies on (from its doubts).
    """
    n, s = pa.shape[0], starts.shape[1]
    lanes = len(pairs) * s
    rep = np.repeat(np.arange(n), lanes)
    ra, rb, dl, ce = pa.T[:, rep], pb.T[:, rep], delta[rep], ceiling[rep]
    seed = np.tile(np.repeat(np.array(pairs, dtype=np.int64).T, s, axis=1), (1, n))
    m = np.tile(starts, (1, len(pairs) * n))
    gone = seed == ONE
    z = _newton(np.concatenate([m, _seed_doubt(m, ra, rb, dl, ce, seed)]), ra, rb, dl, ce, gone)
    x, r, _ = _rest(z, ra, rb, dl, ce, gone)
    ok = (np.max(np.abs(r), axis=0) < _TOL) & (x[0] >= 0.0)
    branch = np.where(gone, ONE, np.where(z[2:] < 0.5 * TIP, LOW, MID))
    return x.T.reshape(n, lanes, N_STATE), ok.reshape(n, lanes), branch.T.reshape(n, lanes, 2)


def _distinct(states: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """First-come distinct states: bool (N, K), True where a state is kept.

    A state is kept when it is ``ok`` and not within ``_SAME`` (every entry) of a kept earlier one.
    """
    n, k = ok.shape
    kept = np.zeros((n, k), dtype=bool)
    if k:
        kept[:, 0] = ok[:, 0]
    for s in range(1, k):
        close = np.max(np.abs(states[:, :s] - states[:, s:s + 1]), axis=-1) < _SAME
        kept[:, s] = ok[:, s] & ~np.any(close & kept[:, :s], axis=1)
    return kept


def _pack(kept: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Move the kept entries of each (N, K, ...) array to the front, trimmed to the largest count.

    Returns the packed arrays (N, Kmax, ...) (entries past a couple's count are NaN or 0) and
    the count per couple (N,) last.
    """
    count = kept.sum(axis=1)
    width = max(int(count.max()) if count.size else 0, 1)
    order = np.argsort(~kept, axis=1, kind="stable")[:, :width]
    mask = np.arange(width)[None, :] < count[:, None]
    out = []
    for a in arrays:
        extra = (1,) * (a.ndim - 2)
        taken = np.take_along_axis(a, order.reshape(order.shape + extra), axis=1)
        fill = np.nan if taken.dtype.kind == "f" else 0
        out.append(np.where(mask.reshape(mask.shape + extra), taken, fill))
    return (*out, count)


def _as_lanes(pa: Any, pb: Any, delta: Any, ceiling: Any) -> tuple[np.ndarray, ...]:
    """Parameters as arrays (N, P), (N, P), (N,), (N,)."""
    pa = np.atleast_2d(np.asarray(pa, dtype=float))
    pb = np.atleast_2d(np.asarray(pb, dtype=float))
    n = pa.shape[0]
    delta = np.broadcast_to(np.asarray(delta, dtype=float), (n,)).copy()
    ceiling = np.broadcast_to(np.asarray(ceiling, dtype=float), (n,)).copy()
    return pa, pb, delta, ceiling


def equilibria(pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any, *,
               stay_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every distinct resting state of N couples.

    Parameters
    ----------
    pa, pb : arrays (N, P) of parameters (lag form); delta, ceiling : arrays (N,) or scalars
    stay_only : search the stay branch only (both doubts started on D_low), as the regime maps do

    Returns
    -------
    states : array (N, K, 13), the resting states (K the largest count; NaN past a couple's count)
    branch : int array (N, K, 2), the doubt branch (0 low, 1 mid, 2 one) of a and b
    count : int array (N,), how many resting states each couple has
    """
    pa, pb, delta, ceiling = _as_lanes(pa, pb, delta, ceiling)
    states, ok, branch = _solve(pa, pb, delta, ceiling, STAY if stay_only else ALL_PAIRS, _STARTS)
    if stay_only:
        ok &= np.all(branch == LOW, axis=-1)
    return _pack(_distinct(states, ok), states, branch)  # type: ignore[return-value]


def follow(states: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any
           ) -> tuple[np.ndarray, np.ndarray]:
    """Newton warm-started from known resting states, at new parameters (natural continuation).

    Parameters
    ----------
    states : array (N, 13), resting states (of nearby parameters); their efforts and doubts start Newton
    pa, pb : arrays (N, P), the new parameters (lag form); delta, ceiling : arrays (N,) or scalars

    Returns
    -------
    states : array (N, 13), the resting states Newton converged to (NaN where it did not)
    ok : bool array (N,)
    """
    pa, pb, delta, ceiling = _as_lanes(pa, pb, delta, ceiling)
    x0 = np.atleast_2d(np.asarray(states, dtype=float))
    gone = (x0[:, 11:13] >= 1.0).T
    z = _newton(x0[:, [1, 2, 11, 12]].T, pa.T, pb.T, delta, ceiling, gone)
    x, r, _ = _rest(z, pa.T, pb.T, delta, ceiling, gone)
    ok = (np.max(np.abs(r), axis=0) < _TOL) & np.all(np.isfinite(x0), axis=1)
    return np.where(ok[:, None], x.T, np.nan), ok


# ------------------------------------------------------------------------------------------------
# Eigenvalues, kinds and the one rule for the couple's resting state
# ------------------------------------------------------------------------------------------------


def is_complex(eigenvalues: Any) -> Any:
    """Whether eigenvalues (any shape) are one of a complex pair: |imaginary part| above ``_IMAG`` (1 + |lambda|)."""
    z = np.asarray(eigenvalues)
    return np.abs(z.imag) > _IMAG * (1.0 + np.abs(z))


_POOL: ThreadPoolExecutor | None = None
EIG_SPLIT = 256
"""Jacobians from which :func:`_eigvals` splits them across the cores."""


def _eigvals(jac: np.ndarray) -> np.ndarray:
    """``np.linalg.eigvals`` of a stack of Jacobians (M, 13, 13), as complex, on every core.

    LAPACK takes one matrix at a time and releases the GIL, so a stack split across threads
    gives the same numbers in about half the time on two cores (a regime map has 40,000).
    """
    global _POOL
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2 or jac.shape[0] < EIG_SPLIT:
        return np.linalg.eigvals(jac).astype(complex)
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=cores, thread_name_prefix="sim-eigvals")
    parts = _POOL.map(np.linalg.eigvals, np.array_split(jac, cores))
    return np.concatenate([p.astype(complex) for p in parts])


def linearise(states: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any
              ) -> dict[str, np.ndarray]:
    """Jacobian, eigenvalues, stability and kind of M resting states.

    Parameters
    ----------
    states : array (M, 13); pa, pb : arrays (M, P), lag form; delta, ceiling : arrays (M,) or scalars

    Returns
    -------
    dict: ``jacobian`` (M, 13, 13) (1/day); ``eigenvalues`` (M, 13) complex, sorted by real part,
    largest first; ``stable`` (M,) bool, every real part < 0; ``kind`` (M,) int codes into
    :data:`KINDS`; ``lead`` (M,) complex, the leading eigenvalue that sets the kind (a doubt that
    relaxes on its own left out); ``lead_complex`` (M,) bool, ``eigenvalues[:, 0]`` is one of a
    complex pair; ``det`` (M,), the determinant of the Jacobian.
    """
    pa, pb, delta, ceiling = _as_lanes(pa, pb, delta, ceiling)
    x = np.atleast_2d(np.asarray(states, dtype=float))
    m = x.shape[0]
    jac = jacobian(x, pa, pb, delta, ceiling)
    eig = _eigvals(jac) if m else np.zeros((0, N_STATE), dtype=complex)
    eig = np.take_along_axis(eig, np.argsort(-eig.real, axis=-1, kind="stable"), axis=-1)
    counts = np.ones(eig.shape, dtype=bool)
    rows = np.arange(m)
    for i in (11, 12):
        row = np.abs(jac[:, i, :]).copy()
        row[:, i] = 0.0
        own = np.max(row, axis=-1) < _OWN
        # that doubt's eigenvalue is its diagonal entry: leave out the nearest one still counted
        hit = np.argmin(np.abs(eig - jac[:, i, i][:, None]) + np.where(counts, 0.0, np.inf), axis=-1)
        counts[rows[own], hit[own]] = False
    lead = eig[rows, np.argmax(counts, axis=-1)]
    spiral = is_complex(lead)
    stable = eig[:, 0].real < 0.0 if m else np.zeros(0, dtype=bool)
    kind = np.where(stable, np.where(spiral, SPIRAL, NODE), np.where(spiral, USPIRAL, UNODE))
    kind = np.where(np.max(x[:, 11:13], axis=-1) >= 1.0, BREAK, kind)
    first = eig[:, 0] if m else np.zeros(0, dtype=complex)
    return {"jacobian": jac, "eigenvalues": eig, "stable": stable, "kind": kind, "lead": lead,
            "lead_complex": is_complex(first),
            "det": np.prod(eig, axis=-1).real}


def pick(states: np.ndarray, branch: np.ndarray, stable: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The couple's resting state: index (N,) into each couple's states; -1 when none was found.

    The one rule (see the module docstring): among the stay-branch states (both doubts on
    D_low), the stable one with the highest closeness, else the one with the highest closeness;
    without a stay state, the break-up in which both have gone (D_a = D_b = 1).

    Parameters
    ----------
    states : array (N, K, 13); branch : int array (N, K, 2); stable : bool (N, K); count : int (N,)
    """
    width = states.shape[1]
    present = np.arange(width)[None, :] < count[:, None]
    stay = present & np.all(branch == LOW, axis=-1)
    score = np.where(stay, states[..., 0] + np.where(stable, 1e6, 0.0), -np.inf)
    gone = present & np.all(branch == ONE, axis=-1)
    return np.where(stay.any(axis=1), np.argmax(score, axis=1), np.where(gone.any(axis=1), np.argmax(gone, axis=1), -1))


def analyse(pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any, *,
            stay_only: bool = False) -> dict[str, np.ndarray]:
    """The stability analysis of N couples: every resting state, its eigenvalues, and the couple's own.

    The one function behind :func:`stability` (N = 1) and :func:`stability_arrays` (the maps).

    Parameters
    ----------
    pa, pb : arrays (N, P) of parameters (lag form); delta, ceiling : arrays (N,) or scalars
    stay_only : skip the break-up and tipping states (the couple's own state is a stay state
        whenever one exists, so the pick is the same; the maps use this)

    Returns
    -------
    dict of arrays, K the largest number of resting states of a couple:

    - ``states`` (N, K, 13), ``branch`` (N, K, 2) int, ``count`` (N,) int: as :func:`equilibria`;
    - ``jacobian`` (N, K, 13, 13); ``eigenvalues`` (N, K, 13) complex, sorted by real part, largest
      first; ``det`` (N, K): NaN past a couple's count;
    - ``stable`` (N, K) bool (every real part < 0), ``kind`` (N, K) int codes into :data:`KINDS`
      (-1 past the count), ``lead_complex`` (N, K) bool (the leading eigenvalue is complex),
      ``lead`` (N, K) complex (the leading eigenvalue that sets the kind, see :func:`linearise`);
    - ``pick`` (N,) int: the couple's resting state (:func:`pick`), -1 if none was found;
    - ``unique`` (N,) bool: exactly one stay-branch resting state.
    """
    pa, pb, delta, ceiling = _as_lanes(pa, pb, delta, ceiling)
    states, branch, count = equilibria(pa, pb, delta, ceiling, stay_only=stay_only)
    n, width = states.shape[:2]
    present = np.arange(width)[None, :] < count[:, None]
    owner = np.nonzero(present)[0]
    lin = linearise(states[present], pa[owner], pb[owner], delta[owner], ceiling[owner])
    out: dict[str, np.ndarray] = {"states": states, "branch": branch, "count": count}
    fills = {"jacobian": np.nan, "eigenvalues": np.nan + 0j, "det": np.nan, "stable": False, "kind": -1,
             "lead_complex": False, "lead": np.nan + 0j}
    for key, fill in fills.items():
        full = np.full((n, width) + lin[key].shape[1:], fill, dtype=lin[key].dtype)
        full[present] = lin[key]
        out[key] = full
    out["pick"] = pick(states, branch, out["stable"], count)
    out["unique"] = np.sum(present & np.all(branch == LOW, axis=-1), axis=1) == 1
    return out


def _reach(pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray, closeness0: np.ndarray,
           states: np.ndarray, count: np.ndarray, steps: int = REACH_STEPS, dt: float = REACH_DT) -> np.ndarray:
    """Which resting state the run from the couple's start ends at: index (N,) into ``states``, -1 if none.

    The run starts as the engine's does (closeness ``closeness0``, each effort at the calm pull
    of longing ``k w``, everything else 0) and takes
    ``steps`` steps of ``dt`` days of :func:`sim.dynamics.rk4_step` with the given parameters in
    rate form (numpy, all couples at once; RK4 sub-steps where the parameters are stiff, by the
    engine's bound :func:`sim.dynamics.fastest_rate`). Its last state has reached a resting state
    when it lies within ``REACH_TOL`` of it in every entry; a run still in rounds, or still on its
    way, has reached none.

    Parameters
    ----------
    pa, pb : arrays (N, P), lag form; delta, ceiling, closeness0 : arrays (N,)
    states : array (N, K, 13), the resting states; count : int array (N,)
    """
    n = pa.shape[0]
    ra = to_rates(np.array(pa.T, dtype=float))
    rb = to_rates(np.array(pb.T, dtype=float))
    fastest = fastest_rate(np.stack([pa, pb], axis=1), delta, ceiling)
    sub = int(max(1, np.ceil(dt * float(np.max(fastest)) / RK4_REACH)))
    x = np.zeros((N_STATE, n))
    x[0] = closeness0
    x[1], x[2] = pa[:, K] * pa[:, W], pb[:, K] * pb[:, W]  # at ease: the calm pull of longing
    work = np.empty((5, N_STATE, n))
    for _ in range(steps * sub):
        rk4_step(x, ra, rb, delta, ceiling, dt / sub, work)
    if states.shape[1] == 0:
        return np.full(n, -1)
    gap = np.max(np.abs(states - x.T[:, None, :]), axis=-1)
    gap = np.where(np.arange(states.shape[1])[None, :] < count[:, None], gap, np.inf)
    best = np.argmin(gap, axis=1)
    return np.where(gap[np.arange(n), best] < REACH_TOL, best, -1)


# ------------------------------------------------------------------------------------------------
# The faces: one couple, and many couples for the maps
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Stability(ReadOnlyArrays):
    """Every resting state of a couple, their stability, and the couple's own resting state.

    Attributes
    ----------
    equilibrium : array (13,), the couple's resting state (the rule: see the module docstring)
    jacobian : array (13, 13), the analytic d(rhs)/dx there (1/day)
    eigenvalues : array (13,), complex, sorted by real part, largest first (1/day)
    stable : bool, the couple's resting state is a stay state with every real part < 0: the
        analysis says the couple settles (False for a break-up, which is absorbing, not a rest)
    kind : "stable node", "stable spiral", "unstable spiral", "unstable node" or "break-up"
    unique : exactly one stay-branch resting state (both doubts on D_low) exists
    index : position of ``equilibrium`` in ``all_equilibria``
    all_equilibria : array (K, 13), every resting state found (break-ups and tipping saddles too)
    all_stable : bool array (K,), every real part < 0 (a break-up is stable: nobody comes back)
    all_kinds : tuple of K kinds
    reached : (property) index into ``all_equilibria`` of the state the run from the couple's
        start ends at, or None (still in rounds, or still on its way); see :func:`_reach`
    max_real : (property) leading real part at the couple's resting state (1/day)
    run_inputs : what the run behind ``reached`` needs (not shown in the repr)
    """

    equilibrium: np.ndarray
    jacobian: np.ndarray
    eigenvalues: np.ndarray
    stable: bool
    kind: str
    unique: bool
    index: int
    all_equilibria: np.ndarray
    all_stable: np.ndarray
    all_kinds: tuple[str, ...]
    run_inputs: tuple[np.ndarray, ...] = field(repr=False)
    """Inputs of the run behind :attr:`reached`: pa, pb (1, P), delta, ceiling, closeness0 (1,)."""

    @property
    def max_real(self) -> float:
        """Real part of the leading eigenvalue at the couple's resting state (1/day)."""
        return float(self.eigenvalues[0].real)

    @cached_property
    def reached(self) -> int | None:
        """Index into ``all_equilibria`` of the state the run from the couple's start ends at, or None.

        Computed on first use: 2,000 RK4 steps of 0.1 day with the long-run parameters (about a second).
        """
        pa, pb, delta, ceiling, closeness0 = self.run_inputs
        k = self.all_equilibria.shape[0]
        found = int(_reach(pa, pb, delta, ceiling, closeness0, self.all_equilibria[None], np.array([k]))[0])
        return None if found < 0 else found

    def describe(self, lang: str = "en") -> str:
        """The kind in plain words, "en" or "nl"."""
        if lang not in ("en", "nl"):
            raise ValueError(f"lang must be 'en' or 'nl', got {lang!r}")
        return KIND_TEXT[self.kind][lang]


def effective_param_arrays(couples: Sequence[Couple], interventions: Iterable[Intervention] = ()) -> np.ndarray:
    """Long-run parameters of N couples, shape (N, 2, P), lag form: every intervention in force,
    coaching fully learned (a coached partner has a secure partner's parameters)."""
    interventions = check_items(interventions, Intervention, "interventions")
    return long_run(couple_arrays(couples)[0], interventions)


def effective_params(couple: Couple, interventions: Iterable[Intervention] = ()) -> np.ndarray:
    """Long-run parameters of one couple, shape (2, P): :func:`effective_param_arrays` of one."""
    if not isinstance(couple, Couple):
        raise ValueError(f"couple must be a sim.Couple, got {couple!r}")
    return effective_param_arrays((couple,), interventions)[0]



def stability(couple: Couple, interventions: Iterable[Intervention] = ()) -> Stability:
    """Every resting state of ``couple`` and its own, with long-run interventions in force.

    :func:`analyse` of one couple (the same function as the regime maps use).

    Parameters
    ----------
    couple : a :class:`sim.Couple`
    interventions : in force from the start, coaching fully learned (:func:`effective_params`)

    Returns
    -------
    Stability, with read-only arrays.
    """
    p = effective_params(couple, interventions)
    delta, ceiling = np.array([couple.fading]), np.array([couple.fear_ceiling])
    out = analyse(p[None, 0], p[None, 1], delta, ceiling)
    count, index = int(out["count"][0]), int(out["pick"][0])
    if index < 0:  # pragma: no cover - the break-up is always found
        raise RuntimeError("no resting state found")
    kinds = tuple(KINDS[k] for k in out["kind"][0, :count])
    return Stability(
        equilibrium=frozen(out["states"][0, index]), jacobian=frozen(out["jacobian"][0, index]),
        eigenvalues=frozen(out["eigenvalues"][0, index]),
        stable=bool(out["stable"][0, index]) and kinds[index] != "break-up", kind=kinds[index],
        unique=bool(out["unique"][0]), index=index, all_equilibria=frozen(out["states"][0, :count]),
        all_stable=frozen(out["stable"][0, :count]), all_kinds=kinds,
        run_inputs=tuple(frozen(v) for v in (p[None, 0], p[None, 1], delta, ceiling,
                                                     np.array([couple.closeness0]))))


CHUNK = 512
"""Couples per chunk of :func:`stability_arrays` (their Newton lanes stay in cache)."""


def stability_arrays(pa: np.ndarray, pb: np.ndarray, delta: Any, ceiling: Any) -> dict[str, np.ndarray]:
    """The couple's resting state and its stability for N couples (the regime maps).

    :func:`analyse` with ``stay_only=True``, in chunks of ``CHUNK`` couples: the same resting
    states and the same rule (:func:`pick`) as :func:`stability`, whose choice is a stay state
    whenever one exists; without one both report a break-up.

    Parameters
    ----------
    pa, pb : arrays (N, P), lag form; delta, ceiling : arrays (N,) or scalars

    Returns
    -------
    dict of arrays (N,):

    - ``max_real``: leading real part of the eigenvalues at the resting state (1/day); NaN
      without a stay state (the couple breaks up);
    - ``stable`` (bool): that state is stable (False without a stay state); ``unique`` (bool):
      it is the only stay state; ``closeness``: its closeness (NaN without one);
    - ``kind`` (str): as :attr:`Stability.kind` ("break-up" without a stay state);
    - ``lead_complex`` (bool): the leading eigenvalue is one of a complex pair;
    - ``lead_real``: real part of the leading eigenvalue that sets the kind (a doubt relaxing on
      its own left out): how fast the rounds grow (> 0) or fade (< 0), 1/day; NaN without a stay state;
    - ``det``: the determinant of the Jacobian there (1/day^13; its sign flips where a real
      eigenvalue crosses 0, and it tends to 0 where the stay state vanishes: a saddle-node); NaN
      without a stay state.
    """
    pa, pb, delta, ceiling = _as_lanes(pa, pb, delta, ceiling)
    n = pa.shape[0]
    out = {"max_real": np.full(n, np.nan), "stable": np.zeros(n, dtype=bool), "unique": np.zeros(n, dtype=bool),
           "closeness": np.full(n, np.nan), "kind": np.full(n, "break-up", dtype=f"<U{max(map(len, KINDS))}"),
           "lead_complex": np.zeros(n, dtype=bool), "det": np.full(n, np.nan), "lead_real": np.full(n, np.nan)}
    names = np.array(KINDS)
    for lo in range(0, n, CHUNK):
        sl = slice(lo, min(lo + CHUNK, n))
        res = analyse(pa[sl], pb[sl], delta[sl], ceiling[sl], stay_only=True)
        out["unique"][sl] = res["unique"]
        rows = np.nonzero(res["pick"] >= 0)[0]
        at = (rows, res["pick"][rows])
        idx = sl.start + rows
        out["max_real"][idx] = res["eigenvalues"][at][:, 0].real
        out["stable"][idx] = res["stable"][at]
        out["closeness"][idx] = res["states"][at][:, 0]
        out["kind"][idx] = names[res["kind"][at]]
        out["lead_complex"][idx] = res["lead_complex"][at]
        out["det"][idx] = res["det"][at]
        out["lead_real"][idx] = res["lead"][at].real
    return out
