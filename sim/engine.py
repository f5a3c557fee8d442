"""The run engine: one code path for a single couple and for batches of many.

``simulate`` is ``simulate_batch`` of one couple with its trajectory kept. The time loop runs either
compiled by numba (blocks of LANES couples side by side in the vector lanes, the blocks in
parallel on the cores) or as numpy array code over the couples axis; both run the same functions
of :mod:`sim.dynamics` and :mod:`sim.metrics` (see :data:`sim.dynamics.LANE`), and give the same
numbers.

Time is in days. A run has ``steps`` steps of ``dt`` days: ``steps + 1`` recorded instants
``t = 0, dt, ..., steps * dt``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dynamics, metrics
from ._accel import HAVE_NUMBA, LANES, any_true, at, borrowed, jitable, use_cache_for
from .dynamics import N_STATE
from .events import Event, event_table
from .interventions import SECURE_SCORE, Intervention, coaching_rates, in_force_at, secure_params, segments
from .partners import PARTNER_PARAMS, Couple, couple_arrays

__all__ = ["BACKENDS", "SECURE_SCORE", "default_backend", "parameter_segments", "run_arrays", "secure_params",
           "threads_may_overlap"]

N_PARAM = len(PARTNER_PARAMS)


@jitable
def _loop(x: Any, acc: Any, seg_params: Any, seg_steps: Any, secure: Any, coach_keep: Any,
          coach_step: Any, learned: Any, delta: Any, ceiling: Any, events: Any, steps: int,
          dt: float, subs: Any, max_sub: int, h: Any, active: Any, traj: Any, learn_traj: Any,
          record: bool, work: Any, pa: Any, pb: Any, lanes: int) -> None:
    """The time loop over the first ``lanes`` lanes of a block; arrays are indexed with ``at``.

    Compiled, a block is up to LANES couples, one per lane, in flat arrays; in numpy it is one lane
    that holds all N couples (each row below then has a trailing (N,) axis). By rows:
    x (13), acc (NACC), seg_params (S * 2 * P: segment, partner, parameter), seg_steps (S,)
    plain, secure (P,) plain, coach_keep (2: the share of the distance to secure left after a
    step of coaching), coach_step (2,) plain, learned (2), delta / ceiling / h / active (1),
    subs (1) ints, events (K, 4) plain, traj (L, steps + 1, 13) and learn_traj (L, steps + 1, 2)
    by lane, work five states (see :func:`_scratch`), pa / pb (P). Each step of ``dt`` days is
    taken as ``subs`` RK4 sub-steps of ``h = dt / subs`` (1 unless the parameters are stiff);
    ``max_sub`` is the largest of them.
    """
    # views without reference counts (see borrowed): the caller holds every array until we return
    x, acc, seg_params, seg_steps = borrowed(x), borrowed(acc), borrowed(seg_params), borrowed(seg_steps)
    secure, coach_keep, coach_step = borrowed(secure), borrowed(coach_keep), borrowed(coach_step)
    learned, delta, ceiling, events = borrowed(learned), borrowed(delta), borrowed(ceiling), borrowed(events)
    subs, h, active, pa, pb = borrowed(subs), borrowed(h), borrowed(active), borrowed(pa), borrowed(pb)
    traj, learn_traj = borrowed(traj), borrowed(learn_traj)
    work = (borrowed(work[0]), borrowed(work[1]), borrowed(work[2]), borrowed(work[3]), borrowed(work[4]))
    n_seg = seg_steps.shape[0]
    n_ev = events.shape[0]
    n_par = secure.shape[0]
    seg = 0
    ev = 0
    late = steps // 2
    found = np.zeros(lanes, dtype=np.int64)
    if record:
        _record(traj, learn_traj, x, learned, 0, lanes)
    for n in range(steps):
        while seg + 1 < n_seg and n >= seg_steps[seg + 1]:
            seg += 1
        while ev < n_ev and events[ev, 0] <= n:
            for lane in range(lanes):
                x[at(0, lane)] = x[at(0, lane)] + events[ev, 1]
                for s in range(7, 9):
                    x[at(s, lane)] = x[at(s, lane)] + events[ev, 2]
                for s in range(9, 11):
                    x[at(s, lane)] = x[at(s, lane)] + events[ev, 3]
                dynamics.bound(x, ceiling[at(0, lane)], lane)
            ev += 1
        if n == 0 or n == seg_steps[seg] or n >= coach_step[0] or n >= coach_step[1]:
            for q in range(n_par):
                qa, qb = (2 * seg) * n_par + q, (2 * seg + 1) * n_par + q
                for lane in range(lanes):
                    base_a, base_b = seg_params[at(qa, lane)], seg_params[at(qb, lane)]
                    pa[at(q, lane)] = base_a + learned[at(0, lane)] * (secure[q] - base_a)
                    pb[at(q, lane)] = base_b + learned[at(1, lane)] * (secure[q] - base_b)
            for lane in range(lanes):
                dynamics.to_rates(pa, lane)
                dynamics.to_rates(pb, lane)
        for k in range(max_sub):
            for lane in range(lanes):
                active[at(0, lane)] = 1.0 * (k < subs[at(0, lane)])
            dynamics.rk4_lanes(x, pa, pb, delta, ceiling, h, active, work, lanes)
            for lane in range(lanes):
                dynamics.bound(x, ceiling[at(0, lane)], lane)
        for i in range(2):
            if n >= coach_step[i]:
                for lane in range(lanes):
                    learned[at(i, lane)] = 1.0 - (1.0 - learned[at(i, lane)]) * coach_keep[at(i, lane)]
        rate = work[0]
        for lane in range(lanes):
            metrics.accumulate_early(acc, x, rate, n + 1, dt, lane)
        if n + 1 > late:  # before the late window its accumulators wait and no round counts
            for lane in range(lanes):
                metrics.accumulate_late(acc, x, rate, n + 1, late, steps, dt, lane)
            # the lanes that counted a round, listed first: a loop over all of them would take the
            # logarithm of every lane in vector code (LLVM computes it and then throws it away)
            hits = 0
            for lane in range(lanes):
                found[hits] = lane
                hits += any_true(acc[at(metrics.A_COUNTED, lane)])
            for j in range(hits):
                metrics.fold_round(acc, found[j])
        if record:
            _record(traj, learn_traj, x, learned, n + 1, lanes)
    for lane in range(lanes):
        metrics.finish(acc, x, lane)


@jitable
def _record(traj: Any, learn_traj: Any, x: Any, learned: Any, n: int, lanes: int) -> None:
    """Keep instant n of every lane in the trajectories (shapes as in :func:`_loop`)."""
    for lane in range(lanes):
        for s in range(N_STATE):
            traj[lane, n, s] = x[at(s, lane)]
        for i in range(2):
            learn_traj[lane, n, i] = learned[at(i, lane)]


@jitable
def _scratch(shape: Any) -> Any:
    """Five separate states of scratch space for an RK4 step (separate arrays, so that compiled
    code knows a stage's writes cannot overlap what it reads, and runs the lanes in vector registers)."""
    return (np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape))


def _compile_kernel() -> Any:
    """Compile the time loop with numba: blocks of LANES couples in flat arrays, blocks in parallel.

    The one fast-math liberty is "contract" (a multiply and an add may become one fused
    instruction, rounded once): 12 % faster, and tests/test_kernel.py shows it changes nothing
    that matters (the scalar kernel's runs to 1e-9, the numpy path's verdicts).
    """
    import numba

    cached = use_cache_for("engine.py", "dynamics.py", "metrics.py", "partners.py", "_accel.py")
    loop = _loop
    width = LANES

    @numba.njit(parallel=True, nogil=True, cache=cached, error_model="numpy", fastmath={"contract"})
    def kernel(x0, acc0, seg_params, seg_steps, secure, coach_keep, coach_step, delta, ceiling,
               events, steps, dt, subs, traj, learn_traj, record):  # pragma: no cover - compiled
        n = x0.shape[0]
        n_acc = acc0.shape[1]
        n_rows = seg_params.shape[1]
        n_par = secure.shape[0]
        for block in numba.prange((n + width - 1) // width):
            first = block * width
            lanes = min(width, n - first)
            x = np.zeros(N_STATE * width)
            acc = np.zeros(n_acc * width)
            sp = np.ones(n_rows * width)
            keep = np.ones(2 * width)
            dl = np.zeros(width)
            ceil = np.ones(width)
            sub = np.ones(width, dtype=np.int64)
            h = np.ones(width)
            for lane in range(lanes):
                i = first + lane
                for s in range(N_STATE):
                    x[at(s, lane)] = x0[i, s]
                for r in range(n_acc):
                    acc[at(r, lane)] = acc0[i, r]
                for r in range(n_rows):
                    sp[at(r, lane)] = seg_params[i, r]
                keep[at(0, lane)] = coach_keep[i, 0]
                keep[at(1, lane)] = coach_keep[i, 1]
                dl[lane] = delta[i]
                ceil[lane] = ceiling[i]
                sub[lane] = subs[i]
                h[lane] = dt / subs[i]
            learned = np.zeros(2 * width)
            loop(x, acc, sp, seg_steps, secure, keep, coach_step, learned, dl, ceil, events, steps,
                 dt, sub, sub[:lanes].max(), h, np.ones(width), traj[first:first + lanes],
                 learn_traj[first:first + lanes], record, _scratch(N_STATE * width),
                 np.ones(n_par * width), np.ones(n_par * width), lanes)
            for lane in range(lanes):
                i = first + lane
                acc[at(metrics.A_LEARN_A, lane)] = learned[at(0, lane)]
                acc[at(metrics.A_LEARN_B, lane)] = learned[at(1, lane)]
                for r in range(n_acc):
                    acc0[i, r] = acc[at(r, lane)]
                for s in range(N_STATE):
                    x0[i, s] = x[at(s, lane)]

    return kernel


_KERNEL: Any = None
SERIAL_BELOW = LANES + 1
"""Batches smaller than this (one block) run on the calling thread alone: a single block has no
work to share, and starting the worker threads costs about 2.4 ms on a thread that has not run
the kernel before (every rerun of a Streamlit page is such a thread)."""


BACKENDS = ("numba", "numpy")

SAFE_LAYERS = ("omp", "tbb")
"""numba's threading layers that may run parallel kernels from two threads at once (its own
"workqueue" may not)."""


def threads_may_overlap() -> bool:
    """Whether another thread may run a parallel kernel (or numpy) while a batch runs.

    The batch's kernel releases the interpreter lock, so a second thread can work beside it; with
    numba that is safe on the OpenMP and TBB threading layers only. Starts numba's threads to find
    out which layer it has (they start at the first batch anyway).
    """
    if default_backend() != "numba":
        return True
    import numba
    from numba.np.ufunc import parallel

    parallel._launch_threads()
    try:
        return numba.threading_layer() in SAFE_LAYERS
    except ValueError:  # pragma: no cover - only before any layer was loaded
        return False


def default_backend() -> str:
    """"numba" where it is installed, unless ATTRACT_REPEL_BACKEND=numpy is set; else "numpy"."""
    wanted = os.environ.get("ATTRACT_REPEL_BACKEND", "numba")
    return "numba" if wanted == "numba" and HAVE_NUMBA else "numpy"


def _run_numba(x0: np.ndarray, acc: np.ndarray, seg_params: np.ndarray, seg_steps: np.ndarray,
               coach_keep: np.ndarray, coach_step: np.ndarray, delta: np.ndarray,
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
        _KERNEL(x0, acc, seg_params, seg_steps, secure_params(), coach_keep, coach_step, delta,
                ceiling, events, steps, dt, subs, traj, learn, record)
    finally:
        numba.set_num_threads(threads)
    if not record:
        return None, None
    return np.moveaxis(traj, 2, 1), np.moveaxis(learn, 2, 1)


def _run_numpy(x0: np.ndarray, acc: np.ndarray, seg_params: np.ndarray, seg_steps: np.ndarray,
               coach_keep: np.ndarray, coach_step: np.ndarray, delta: np.ndarray,
               ceiling: np.ndarray, events: np.ndarray, steps: int, dt: float, subs: np.ndarray,
               record: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The same time loop in numpy: one lane that holds all N couples (rows of shape (N,))."""
    n = x0.shape[0]
    x = np.ascontiguousarray(x0.T)  # (13, N)
    acc_t = np.ascontiguousarray(acc.T)  # (NACC, N)
    sp = np.ascontiguousarray(seg_params.T)  # (S * 2 * P, N)
    learned = np.zeros((2, n))
    length = steps + 1 if record else 1
    traj = np.empty((1, length, N_STATE, n))
    learn = np.empty((1, length, 2, n))
    _loop(x, acc_t, sp, seg_steps, secure_params(), coach_keep.T, coach_step, learned,
          delta[None], ceiling[None], events, steps, dt, subs[None], int(subs.max(initial=1)),
          (dt / subs)[None], np.ones((1, n)), traj, learn, record, _scratch((N_STATE, n)),
          np.empty((N_PARAM, n)), np.empty((N_PARAM, n)), 1)
    acc_t[metrics.A_LEARN_A] = learned[0]
    acc_t[metrics.A_LEARN_B] = learned[1]
    acc[:] = acc_t.T
    x0[:] = x.T
    if not record:
        return None, None
    return np.transpose(traj[0], (2, 1, 0)), np.transpose(learn[0], (2, 1, 0))


def run_arrays(couples: Sequence[Couple], *, steps: int, dt: float, events: tuple[Event, ...],
               interventions: tuple[Intervention, ...], record: bool, backend: str | None = None,
               drawn: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, Any]:
    """Run couples and return raw arrays; the common core of ``simulate`` and ``simulate_batch``.

    ``drawn`` adds random triggers as arrays (days, kinds), see :func:`sim.events.draw_random`.

    Returns
    -------
    dict with ``acc`` (N, NACC) metric accumulators, ``final`` (N, 13) last state, and when
    ``record``: ``traj`` (N, 13, steps + 1) and ``learned`` (N, 2, steps + 1).
    """
    backend = backend or default_backend()
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    n = len(couples)
    base, pair = couple_arrays(couples)
    x0 = np.zeros((n, N_STATE))
    x0[:, 0] = pair[:, 0]
    x0[:, 1:3] = base[:, :, dynamics.K] * base[:, :, dynamics.W]  # at ease: the calm pull of longing
    delta = pair[:, 1].copy()
    ceiling = pair[:, 2].copy()
    seg_params, seg_steps = parameter_segments(base, interventions, dt, steps)
    rate, start = coaching_rates(interventions)
    coach_keep = np.exp(-np.broadcast_to(rate, (n, 2)) * dt)  # share left after a step of coaching
    coach_step = np.where(np.isfinite(start), np.ceil(np.minimum(start, 1e12) / dt - 1e-9), steps + 1.0)
    coach_step = coach_step.astype(np.int64)
    table = event_table(events, dt, steps, drawn)
    # stiff parameters get RK4 sub-steps; coaching drifts toward secure, so its rates count too
    fastest = np.maximum(dynamics.fastest_rate(seg_params, delta[:, None], ceiling[:, None]).max(axis=1),
                         dynamics.fastest_rate(np.stack([secure_params()] * 2), delta, ceiling))
    subs = np.maximum(1, np.ceil(dt * fastest / dynamics.RK4_REACH)).astype(np.int64)
    acc = metrics.new_accumulators(n, x0[:, 0])
    run = _run_numba if backend == "numba" else _run_numpy
    traj, learned = run(x0, acc, seg_params.reshape(n, -1), seg_steps, coach_keep, coach_step, delta, ceiling,
                        table, steps, dt, subs, record)
    out: dict[str, Any] = {"acc": acc, "final": x0, "base": base, "ceiling": ceiling}
    if traj is not None and learned is not None:
        out["traj"] = traj
        out["learned"] = learned
        out["calm"] = calm_pull(seg_params, seg_steps, learned)
    return out


def calm_pull(seg_params: np.ndarray, seg_steps: np.ndarray, learned: np.ndarray) -> np.ndarray:
    """The calm pull of longing k w in force at every instant, shape (N, 2, n + 1) (see
    :func:`sim.interventions.in_force_at`)."""
    if not learned.any():
        # no coaching learned: the pull changes only where a segment starts (most runs: never)
        kw = np.moveaxis(seg_params[..., dynamics.K] * seg_params[..., dynamics.W], 1, 2)  # (N, 2, S)
        if kw.shape[-1] == 1:
            return np.repeat(kw, learned.shape[-1], axis=-1)
        seg = np.searchsorted(seg_steps, np.arange(learned.shape[-1]), side="right") - 1
        return kw[..., seg]
    p = in_force_at(seg_params, seg_steps, learned, which=[dynamics.K, dynamics.W])
    return np.moveaxis(p[..., 0] * p[..., 1], 2, 1)


parameter_segments = segments
"""The run's parameter segments (:func:`sim.interventions.segments`)."""
