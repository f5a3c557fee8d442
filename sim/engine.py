"""The run engine: one code path for a single couple and for batches of many.

``simulate`` is ``simulate_batch`` of one couple with its trajectory kept. The inner loop runs either
compiled by numba (one couple per thread-slot, every step in machine code) or as numpy array code
over the couples axis; both call the same functions of :mod:`sim.dynamics` and
:mod:`sim.metrics`, and give the same numbers.

Time is in days. A run has ``steps`` steps of ``dt`` days: ``steps + 1`` recorded instants
``t = 0, dt, ..., steps * dt``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import dynamics, metrics
from ._accel import HAVE_NUMBA, jitable
from .dynamics import N_STATE
from .events import Event, event_table
from .interventions import Intervention, apply_interventions, coaching_rates
from .partners import PARTNER_PARAMS, Couple, Partner, param_matrix

__all__ = ["BACKENDS", "default_backend", "run_arrays", "secure_params"]

SECURE_SCORE = 0.1
"""Anxiety and avoidance of the secure partner that coaching moves toward."""

N_PARAM = len(PARTNER_PARAMS)


def secure_params() -> np.ndarray:
    """Parameter vector of a secure partner (anxiety = avoidance = SECURE_SCORE), shape (P,)."""
    return Partner(anxiety=SECURE_SCORE, avoidance=SECURE_SCORE).param_vector()


@jitable
def _loop(x: Any, acc: Any, seg_params: Any, seg_steps: Any, secure: Any, coach_rate: Any,
          coach_step: Any, learned: Any, delta: Any, ceiling: Any, events: Any, steps: int,
          dt: float, sub: int, traj: Any, learn_traj: Any, record: bool, work: Any, pa: Any,
          pb: Any) -> None:
    """The time loop for one couple (numba) or for a batch (numpy); see :func:`run_arrays`.

    Array shapes, with ``...`` empty for one couple and (N,) for a batch:
    x (13, ...), acc (NACC, ...), seg_params (S, 2, P, ...), seg_steps (S,), secure (P,),
    coach_rate (2, ...), coach_step (2,), learned (2, ...), events (K, 4),
    traj (steps + 1, 13, ...), learn_traj (steps + 1, 2, ...), work (5, 13, ...), pa / pb (P, ...).
    Each step of ``dt`` days is taken as ``sub`` RK4 sub-steps (1 unless the parameters are stiff).
    """
    n_seg = seg_steps.shape[0]
    n_ev = events.shape[0]
    seg = 0
    ev = 0
    late = steps // 2
    if record:
        traj[0] = x
        learn_traj[0] = learned
    for n in range(steps):
        while seg + 1 < n_seg and n >= seg_steps[seg + 1]:
            seg += 1
        while ev < n_ev and events[ev, 0] <= n:
            x[0] = x[0] + events[ev, 1]
            for s in range(7, 9):
                x[s] = x[s] + events[ev, 2]
            for s in range(9, 11):
                x[s] = x[s] + events[ev, 3]
            dynamics.bound(x, ceiling)
            ev += 1
        if n == 0 or n == seg_steps[seg] or n >= coach_step[0] or n >= coach_step[1]:
            for q in range(N_PARAM):
                pa[q] = seg_params[seg, 0, q] + learned[0] * (secure[q] - seg_params[seg, 0, q])
                pb[q] = seg_params[seg, 1, q] + learned[1] * (secure[q] - seg_params[seg, 1, q])
            dynamics.to_rates(pa)
            dynamics.to_rates(pb)
        for _ in range(sub):
            dynamics.rk4_step(x, pa, pb, delta, ceiling, dt / sub, work)
        for i in range(2):
            if n >= coach_step[i]:
                learned[i] = 1.0 - (1.0 - learned[i]) * np.exp(-coach_rate[i] * dt)
        metrics.accumulate(acc, x, work[0], n + 1, late, steps, dt)
        if record:
            traj[n + 1] = x
            learn_traj[n + 1] = learned


def _cache_dir() -> str:
    """Numba cache folder keyed by the model's source, so an edited model never runs stale machine code.

    Numba checks only the timestamp of the file that holds the compiled function; the kernel
    inlines :mod:`sim.dynamics` and :mod:`sim.metrics`, so their source is part of the key.
    """
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("engine.py", "dynamics.py", "metrics.py", "partners.py", "_accel.py"):
        digest.update((here / name).read_bytes())
    return str(here / "__pycache__" / f"numba-{digest.hexdigest()[:16]}")


def _compile_kernel() -> Any:
    """Compile the time loop with numba, parallel over couples (one couple per iteration)."""
    import numba

    setattr(numba.config, "CACHE_DIR", _cache_dir())  # noqa: B010 - config has no typed attribute
    loop = _loop

    @numba.njit(parallel=True, cache=True)
    def kernel(x0, acc, seg_params, seg_steps, secure, coach_rate, coach_step, delta, ceiling,
               events, steps, dt, subs, traj, learn_traj, record):  # pragma: no cover - compiled
        for i in numba.prange(x0.shape[0]):
            x = x0[i].copy()
            learned = np.zeros(2)
            work = np.empty((5, N_STATE))
            pa = np.empty(N_PARAM)
            pb = np.empty(N_PARAM)
            loop(x, acc[i], seg_params[i], seg_steps, secure, coach_rate[i], coach_step, learned,
                 delta[i], ceiling[i], events, steps, dt, subs[i], traj[i], learn_traj[i], record,
                 work, pa, pb)
            acc[i, metrics.A_LEARN_A] = learned[0]
            acc[i, metrics.A_LEARN_B] = learned[1]
            x0[i] = x

    return kernel


_KERNEL: Any = None
SERIAL_BELOW = 16
"""Batches smaller than this run on the calling thread alone. Starting the worker threads costs
about 2.4 ms on a thread that has not run the kernel before (every rerun of a Streamlit page is
such a thread), against about 0.5 ms per couple of 2,000 steps: a few couples gain nothing."""


BACKENDS = ("numba", "numpy")


def default_backend() -> str:
    """"numba" where it is installed, unless ATTRACT_REPEL_BACKEND=numpy is set; else "numpy"."""
    wanted = os.environ.get("ATTRACT_REPEL_BACKEND", "numba")
    return "numba" if wanted == "numba" and HAVE_NUMBA else "numpy"


def _run_numba(x0: np.ndarray, acc: np.ndarray, seg_params: np.ndarray, seg_steps: np.ndarray,
               coach_rate: np.ndarray, coach_step: np.ndarray, delta: np.ndarray,
               ceiling: np.ndarray, events: np.ndarray, steps: int, dt: float, subs: np.ndarray,
               record: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
    global _KERNEL
    n = x0.shape[0]
    if _KERNEL is None:
        _KERNEL = _compile_kernel()
    length = steps + 1 if record else 1
    traj = np.empty((n, length, N_STATE))
    learn = np.empty((n, length, 2))
    import numba

    threads = numba.get_num_threads()
    if n < SERIAL_BELOW:
        numba.set_num_threads(1)  # this thread only: the kernel runs in the caller, no worker team
    try:
        _KERNEL(x0, acc, seg_params, seg_steps, secure_params(), coach_rate, coach_step, delta,
                ceiling, events, steps, dt, subs, traj, learn, record)
    finally:
        numba.set_num_threads(threads)
    if not record:
        return None, None
    return np.moveaxis(traj, 2, 1), np.moveaxis(learn, 2, 1)


def _run_numpy(x0: np.ndarray, acc: np.ndarray, seg_params: np.ndarray, seg_steps: np.ndarray,
               coach_rate: np.ndarray, coach_step: np.ndarray, delta: np.ndarray,
               ceiling: np.ndarray, events: np.ndarray, steps: int, dt: float, subs: np.ndarray,
               record: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
    n = x0.shape[0]
    x = np.ascontiguousarray(x0.T)  # (13, N)
    acc_t = np.ascontiguousarray(acc.T)  # (NACC, N)
    sp = np.ascontiguousarray(np.moveaxis(seg_params, 0, -1))  # (S, 2, P, N)
    learned = np.zeros((2, n))
    work = np.empty((5, N_STATE, n))
    pa = np.empty((N_PARAM, n))
    pb = np.empty((N_PARAM, n))
    traj = np.empty((steps + 1, N_STATE, n)) if record else np.empty((1, N_STATE, n))
    learn = np.empty((steps + 1, 2, n)) if record else np.empty((1, 2, n))
    _loop(x, acc_t, sp, seg_steps, secure_params(), coach_rate.T, coach_step, learned,
          delta, ceiling, events, steps, dt, int(subs.max()), traj, learn, record, work, pa, pb)
    acc_t[metrics.A_LEARN_A] = learned[0]
    acc_t[metrics.A_LEARN_B] = learned[1]
    acc[:] = acc_t.T
    x0[:] = x.T
    if not record:
        return None, None
    return np.transpose(traj, (2, 1, 0)), np.transpose(learn, (2, 1, 0))


def run_arrays(couples: Sequence[Couple], *, steps: int, dt: float, events: tuple[Event, ...],
               interventions: tuple[Intervention, ...], record: bool, backend: str | None = None
               ) -> dict[str, Any]:
    """Run couples and return raw arrays; the common core of ``simulate`` and ``simulate_batch``.

    Returns
    -------
    dict with ``acc`` (N, NACC) metric accumulators, ``final`` (N, 13) last state, and when
    ``record``: ``traj`` (N, 13, steps + 1) and ``learned`` (N, 2, steps + 1).
    """
    backend = backend or default_backend()
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    n = len(couples)
    base = np.empty((n, 2, N_PARAM))
    base[:, 0] = param_matrix([c.a for c in couples])
    base[:, 1] = param_matrix([c.b for c in couples])
    x0 = np.zeros((n, N_STATE))
    x0[:, 0] = [c.closeness0 for c in couples]
    x0[:, 1:3] = base[:, :, dynamics.K] * base[:, :, dynamics.W]  # at ease: the calm pull of longing
    delta = np.array([c.fading for c in couples], dtype=float)
    ceiling = np.array([c.fear_ceiling for c in couples], dtype=float)
    seg_params, seg_steps = parameter_segments(base, interventions, dt, steps)
    rate, start = coaching_rates(interventions)
    coach_rate = np.broadcast_to(rate, (n, 2)).copy()
    coach_step = np.where(np.isfinite(start), np.ceil(np.minimum(start, 1e12) / dt - 1e-9), steps + 1.0)
    coach_step = coach_step.astype(np.int64)
    table = event_table(events, dt, steps)
    # stiff parameters get RK4 sub-steps; coaching drifts toward secure, so its rates count too
    fastest = np.maximum(dynamics.fastest_rate(seg_params, delta[:, None], ceiling[:, None]).max(axis=1),
                         dynamics.fastest_rate(np.stack([secure_params()] * 2), delta, ceiling))
    subs = np.maximum(1, np.ceil(dt * fastest / dynamics.RK4_REACH)).astype(np.int64)
    acc = metrics.new_accumulators(n, x0[:, 0])
    run = _run_numba if backend == "numba" else _run_numpy
    traj, learned = run(x0, acc, seg_params, seg_steps, coach_rate, coach_step, delta, ceiling,
                        table, steps, dt, subs, record)
    out: dict[str, Any] = {"acc": acc, "final": x0, "base": base, "ceiling": ceiling}
    if traj is not None and learned is not None:
        out["traj"] = traj
        out["learned"] = learned
        out["calm"] = calm_pull(seg_params, seg_steps, learned)
    return out


def calm_pull(seg_params: np.ndarray, seg_steps: np.ndarray, learned: np.ndarray) -> np.ndarray:
    """The calm pull of longing k w in force at every instant, shape (N, 2, n + 1).

    Parameters
    ----------
    seg_params : array (N, S, 2, P); seg_steps : int array (S,); learned : array (N, 2, n + 1),
        as the time loop uses them (segments from interventions, coaching drifting toward secure).
    """
    seg = np.searchsorted(seg_steps, np.arange(learned.shape[-1]), side="right") - 1
    secure = secure_params()
    p = seg_params[:, seg]  # (N, n + 1, 2, P)
    frac = np.moveaxis(learned, 1, 2)  # (N, n + 1, 2)
    k = p[..., dynamics.K] + frac * (secure[dynamics.K] - p[..., dynamics.K])
    w = p[..., dynamics.W] + frac * (secure[dynamics.W] - p[..., dynamics.W])
    return np.moveaxis(k * w, 2, 1)


def parameter_segments(base: np.ndarray, interventions: tuple[Intervention, ...], dt: float,
                       steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-constant parameters: one segment from each distinct intervention start.

    Returns
    -------
    seg_params : array (N, S, 2, P); seg_steps : int array (S,), the first step of each segment.
    """
    fixed = tuple(iv for iv in interventions if iv.kind != "coaching")
    starts = sorted({int(np.ceil(iv.start / dt - 1e-9)) for iv in fixed})
    starts = [s for s in starts if 0 < s <= steps]
    bounds = [0] + starts
    seg_params = np.empty((base.shape[0], len(bounds)) + base.shape[1:])
    for k, first in enumerate(bounds):
        active = tuple(iv for iv in fixed if int(np.ceil(iv.start / dt - 1e-9)) <= first)
        seg_params[:, k] = apply_interventions(base, active)
    return seg_params, np.array(bounds, dtype=np.int64)
