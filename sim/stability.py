"""Stability analysis: equilibria, the analytic Jacobian, eigenvalues, and a verdict in words.

At rest every derivative of :func:`sim.dynamics.rhs` is zero. Given the two moves (m_a, m_b),
closeness is ``c = (m_a + m_b) / delta``, each fear equals its target ``S(...)`` and the energy to
pursue is ``R = 1 / (1 + d B)``; what remains is two equations ``act(E, B, R) = m`` in two unknowns,
solved by Newton's method from a grid of starting moves (vectorized over couples). Each solution is
classified by the eigenvalues of the Jacobian: max Re(lambda) < 0 is stable (it settles); > 0 is
unstable, with complex leading eigenvalues meaning growing rounds (a Hopf-type dance) and a real
one a vicious circle. An equilibrium with negative closeness cannot be reached: the pair runs
into the closeness floor (a frozen distance).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .dynamics import N_STATE, D, act, feel, jacobian
from .engine import secure_params
from .interventions import Intervention, apply_interventions, coaching_rates
from .partners import Couple

__all__ = ["KIND_TEXT", "Stability", "equilibria", "stability", "stability_arrays"]

_STARTS = np.array([(x, y) for x in (-1.5, -0.5, 0.1, 0.6, 1.5) for y in (-1.5, -0.5, 0.1, 0.6, 1.5)])
_TOL = 1e-9
"""Largest residual (closeness per day) of an accepted resting state."""
_SAME = 1e-4
"""Resting states closer than this in every entry are the same one."""

KIND_TEXT: dict[str, dict[str, str]] = {
    "stable node": {"en": "stable: comes to rest without swinging",
                    "nl": "stabiel: komt tot rust zonder te schommelen"},
    "stable spiral": {"en": "stable: comes to rest in rounds that fade",
                      "nl": "stabiel: komt tot rust in rondes die uitdoven"},
    "unstable spiral": {"en": "unstable: rounds grow around the resting point (the dance)",
                        "nl": "instabiel: rondes groeien rond het rustpunt (de dans)"},
    "unstable node": {"en": "unstable: a vicious circle runs away from the resting point",
                      "nl": "instabiel: een vicieuze cirkel loopt weg van het rustpunt"},
    "frozen distance": {"en": "no resting point with closeness left: the distance freezes",
                        "nl": "geen rustpunt met nabijheid meer: de afstand bevriest"},
}


def _state(m: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray
           ) -> np.ndarray:
    """Full state (..., 9) implied by the moves m (..., 2) at rest."""
    c = (m[..., 0] + m[..., 1]) / delta
    ea, ba = feel(c, m[..., 1], pa, ceiling)
    eb, bb = feel(c, m[..., 0], pb, ceiling)
    ra = 1.0 / (1.0 + pa[D] * ba)
    rb = 1.0 / (1.0 + pb[D] * bb)
    return np.stack([c, m[..., 0], m[..., 1], ea, eb, ba, bb, ra, rb], axis=-1)


def _residual(m: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: np.ndarray,
              ceiling: np.ndarray) -> np.ndarray:
    x = _state(m, pa, pb, delta, ceiling)
    ra = act(x[..., 3], x[..., 5], x[..., 7], pa) - m[..., 0]
    rb = act(x[..., 4], x[..., 6], x[..., 8], pb) - m[..., 1]
    return np.stack([ra, rb], axis=-1)


def _newton(ra: np.ndarray, rb: np.ndarray, dl: np.ndarray, ce: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Damped Newton on lanes, one lane per (couple, start): moves (L, 2), parameters (P, L), (L,).

    Lanes start from ``_STARTS`` in turn; a lane whose step and residual are below 1e-12 stops
    iterating (its state then differs from the full count of iterations by less than 1e-12).
    """
    h = 1e-7
    m = np.tile(_STARTS, (dl.shape[0] // _STARTS.shape[0], 1))
    live = np.arange(m.shape[0])
    mm, pa_l, pb_l, dl_l, ce_l = m, ra, rb, dl, ce
    for _ in range(iterations):
        r = _residual(mm, pa_l, pb_l, dl_l, ce_l)
        jac = np.empty(mm.shape + (2,))
        for k in range(2):
            dm = mm.copy()
            dm[:, k] += h
            jac[:, :, k] = (_residual(dm, pa_l, pb_l, dl_l, ce_l) - r) / h
        det = jac[:, 0, 0] * jac[:, 1, 1] - jac[:, 0, 1] * jac[:, 1, 0]
        det = np.where(np.abs(det) < 1e-14, 1e-14, det)
        step0 = (jac[:, 1, 1] * r[:, 0] - jac[:, 0, 1] * r[:, 1]) / det
        step1 = (-jac[:, 1, 0] * r[:, 0] + jac[:, 0, 0] * r[:, 1]) / det
        step = np.stack([step0, step1], axis=-1)
        size = np.max(np.abs(step), axis=-1, keepdims=True)
        step = step * np.minimum(1.0, 0.5 / np.maximum(size, 1e-300))
        mm = np.clip(mm - step, -20.0, 20.0)
        done = (size[:, 0] < 1e-12) & (np.max(np.abs(r), axis=-1) < 1e-12)
        if done.any():
            m[live] = mm
            keep = ~done
            live = live[keep]
            mm, pa_l, pb_l, dl_l, ce_l = mm[keep], pa_l[:, keep], pb_l[:, keep], dl_l[keep], ce_l[keep]
            if live.size == 0:
                break
    m[live] = mm
    return m


def equilibria(pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray,
               iterations: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """All resting states found from the starting grid.

    Parameters
    ----------
    pa, pb : arrays (N, P) of parameters (lag form); delta, ceiling : arrays (N,)

    Returns
    -------
    states : array (N, S, 9), candidate equilibria (one per start)
    ok : bool array (N, S), True where Newton converged
    """
    n, s = pa.shape[0], _STARTS.shape[0]
    ra = np.repeat(np.asarray(pa, dtype=float).T, s, axis=1)
    rb = np.repeat(np.asarray(pb, dtype=float).T, s, axis=1)
    dl = np.repeat(np.asarray(delta, dtype=float), s)
    ce = np.repeat(np.asarray(ceiling, dtype=float), s)
    m = _newton(ra, rb, dl, ce, iterations)
    ok = (np.max(np.abs(_residual(m, ra, rb, dl, ce)), axis=-1) < _TOL).reshape(n, s)
    return _state(m, ra, rb, dl, ce).reshape(n, s, N_STATE), ok


def _distinct(states: np.ndarray, ok: np.ndarray) -> list[np.ndarray]:
    found: list[np.ndarray] = []
    for x, good in zip(states, ok, strict=True):
        if good and not any(np.max(np.abs(x - y)) < _SAME for y in found):
            found.append(x)
    return found


def _classify(eigenvalues: np.ndarray, closeness: float) -> tuple[bool, str]:
    if closeness < 0.0:
        return False, "frozen distance"
    lead = eigenvalues[np.argmax(eigenvalues.real)]
    stable = bool(lead.real < 0.0)
    complex_lead = abs(lead.imag) > 1e-9
    if stable:
        return True, "stable spiral" if np.any(np.abs(eigenvalues.imag) > 1e-9) else "stable node"
    return False, "unstable spiral" if complex_lead else "unstable node"


@dataclass(frozen=True)
class Stability:
    """Linear stability of a couple's resting state.

    Attributes
    ----------
    equilibrium : array (9,), the state (c, m_a, m_b, E_a, E_b, B_a, B_b, R_a, R_b) at rest
    jacobian : array (9, 9), analytic d(rhs)/dx there
    eigenvalues : array (9,), complex, sorted by real part, largest first
    stable : bool, all real parts < 0 and closeness >= 0
    kind : "stable node", "stable spiral", "unstable spiral", "unstable node" or "frozen distance"
    unique : whether exactly one resting state was found
    all_equilibria : array (K, 9) of every resting state found
    """

    equilibrium: np.ndarray
    jacobian: np.ndarray
    eigenvalues: np.ndarray
    stable: bool
    kind: str
    unique: bool
    all_equilibria: np.ndarray

    def describe(self, lang: str = "en") -> str:
        """The kind in plain words, "en" or "nl"."""
        return KIND_TEXT[self.kind][lang]


def effective_params(couple: Couple, interventions: Iterable[Intervention] = ()) -> np.ndarray:
    """Long-run parameters (2, P): every intervention in force, coaching fully learned."""
    interventions = tuple(interventions)
    base = np.stack([couple.a.param_vector(), couple.b.param_vector()])
    out = apply_interventions(base, tuple(iv for iv in interventions if iv.kind != "coaching"))
    rate, _ = coaching_rates(interventions)
    out[rate > 0] = secure_params()
    return out


def stability(couple: Couple, interventions: Iterable[Intervention] = ()) -> Stability:
    """Equilibrium, Jacobian, eigenvalues and stability of ``couple`` (with long-run interventions).

    Where several resting states exist, the one reported is the one closest to the start (the
    couple's starting closeness with both partners still); ``unique`` tells whether it was alone.
    """
    p = effective_params(couple, interventions)
    states, ok = equilibria(p[None, 0], p[None, 1], np.array([couple.fading]),
                            np.array([couple.fear_ceiling]))
    found = _distinct(states[0], ok[0])
    if not found:  # pragma: no cover - Newton failed from every start
        raise RuntimeError("no resting state found")
    start = np.zeros(N_STATE)
    start[0] = couple.closeness0
    physical = [x for x in found if x[0] >= 0.0] or found
    x = min(physical, key=lambda y: float(np.sum((y[:3] - start[:3]) ** 2)))
    jac = jacobian(x, p[0], p[1], couple.fading, couple.fear_ceiling)
    eig = np.linalg.eigvals(jac)
    eig = eig[np.argsort(-eig.real)]
    stable, kind = _classify(eig, float(x[0]))
    for arr in (x, jac, eig):
        arr.flags.writeable = False
    return Stability(equilibrium=x, jacobian=jac, eigenvalues=eig, stable=stable, kind=kind,
                     unique=len(found) == 1, all_equilibria=np.array(found))


def stability_arrays(pa: np.ndarray, pb: np.ndarray, delta: np.ndarray, ceiling: np.ndarray
                     ) -> dict[str, Any]:
    """Vectorized stability of N couples (for regime maps).

    The same resting states, choice and eigenvalues as a couple-by-couple loop over
    :func:`equilibria`, computed faster: couples go in cache-sized chunks; duplicates are removed
    by the same first-come rule for all couples at once, and the Jacobians' eigenvalues are taken
    as one (M, 9, 9) stack.

    Parameters
    ----------
    pa, pb : arrays (N, P); delta, ceiling : arrays (N,)

    Returns
    -------
    dict of arrays (N,): ``max_real`` (leading real part, NaN without a physical equilibrium),
    ``stable`` (bool), ``unique`` (bool: exactly one resting state), ``closeness`` at rest.
    """
    pa = np.asarray(pa, dtype=float)
    pb = np.asarray(pb, dtype=float)
    delta = np.broadcast_to(np.asarray(delta, dtype=float), pa.shape[:1])
    ceiling = np.broadcast_to(np.asarray(ceiling, dtype=float), pa.shape[:1])
    n = pa.shape[0]
    max_real = np.full(n, np.nan)
    unique = np.zeros(n, dtype=bool)
    closeness = np.full(n, np.nan)
    n_start = _STARTS.shape[0]
    chunk = 512  # couples per chunk: 512 x 25 Newton lanes keep the working arrays in cache

    for lo in range(0, n, chunk):
        sl = slice(lo, min(lo + chunk, n))
        k = sl.stop - sl.start
        states, ok = equilibria(pa[sl], pb[sl], delta[sl], ceiling[sl])
        # first-come distinct states, as in _distinct: a state counts unless it is close to an earlier kept one
        close = np.max(np.abs(states[:, :, None, :] - states[:, None, :, :]), axis=-1) < _SAME
        kept = np.zeros((k, n_start), dtype=bool)
        for s in range(n_start):
            kept[:, s] = ok[:, s] & ~np.any(close[:, s, :s] & kept[:, :s], axis=1)
        unique[sl] = kept.sum(axis=1) == 1
        physical = kept & (states[..., 0] >= 0.0)
        has = physical.any(axis=1)
        pick = np.argmin(np.where(physical, np.abs(states[..., 0] - 1.0), np.inf), axis=1)
        x = states[np.arange(k), pick][has]
        if not has.any():
            continue
        jac = jacobian(x, pa[sl][has], pb[sl][has], delta[sl][has], ceiling[sl][has])
        idx = np.arange(sl.start, sl.stop)[has]
        max_real[idx] = np.linalg.eigvals(jac).real.max(axis=-1)
        closeness[idx] = x[:, 0]
    stable = np.zeros(n, dtype=bool)
    np.less(max_real, 0.0, out=stable, where=~np.isnan(max_real))
    return {"max_real": max_real, "stable": stable, "unique": unique, "closeness": closeness}
