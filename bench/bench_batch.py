"""Benchmark of the batch engine: throughput against a per-couple loop, a 200 x 200 regime map, and peak memory.

Prints, in one run and for each backend (numba, the default where installed, and the pure-numpy
fallback):

1. couple-steps per second of ``sim.simulate_batch`` against a Python loop of ``sim.simulate``
   over the same couples, and their ratio (target >= 100x per couple);
2. the time of a 200 x 200 x 2,000-step regime map (target < 5 s), without and with the
   analytic boundary;
3. the peak memory (resident set size of a fresh process) of 1,000,000 couples x 1,000 steps in
   summary mode (target <= 2 GB), streamed in chunks by ``sim.sweep``, and, for comparison, in a
   single ``simulate_batch`` call.

Usage (from the repository root)::

    PYTHONPATH=. python bench/bench_batch.py            # the full figures (about 10 minutes on 2 cores)
    PYTHONPATH=. python bench/bench_batch.py --quick    # small sizes, a smoke test (under a minute)
    PYTHONPATH=. python bench/bench_batch.py --full-numpy   # also 1,000,000 x 1,000 on numpy (+10 min)
    PYTHONPATH=. python bench/bench_batch.py --only throughput,map --backends numba   # a subset

It also prints how long numba takes to compile the kernel on a machine without its cache (once
per machine, excluded from every timing). Memory is measured in child processes
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), each started fresh, so that one measurement's
peak cannot hide in another's. Timings print wall-clock and CPU seconds; other load on the
machine slows the wall-clock figures most, so check ``uptime`` first.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import sim  # noqa: E402
from sim.regime import regime_map  # noqa: E402
from sim.stability import COMPILED_LANES  # noqa: E402
from sim.sweep import RandomCouples, sweep_summary  # noqa: E402

BACKENDS = ("numba", "numpy")
GB = 1e9


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import numba

        numba_version = numba.__version__
        threads = numba.config.NUMBA_NUM_THREADS
        layer = numba.config.THREADING_LAYER
    except ImportError:
        numba_version, threads, layer = "not installed", 0, "-"
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "numpy": np.__version__,
            "numba": numba_version, "numba_threads": threads, "threading_layer": layer,
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GB, 1),
            "load_1_5_15": tuple(round(x, 2) for x in os.getloadavg())}


def matmul_rate(n: int = 2_000, repeat: int = 3) -> float:
    """The yardstick: float64 flop/s of an n x n matrix product (numpy's BLAS, every core), best of repeat.

    The machine is shared and its CPU changes between sessions, so every speed below is also
    printed as a ratio to this rate measured in the same run.
    """
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)), rng.random((n, n))
    a @ b  # warm up the BLAS threads
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n**3 / best


OPS_PER_COUPLE_STEP = 480
"""Arithmetic operations per couple-step of the compiled kernel, counted from its vector loops
(one RK4 step: four evaluations of the right-hand side at about 75 operations each, the stage
sums, the bound, and the metric accumulators). Rates times this, divided by the matmul's flop/s,
give the share of the yardstick's arithmetic rate the kernel reaches."""


def vs_matmul(rate: float, yardstick: float) -> str:
    """A couple-steps/s rate as a share of the matmul's arithmetic rate."""
    return f"{rate * OPS_PER_COUPLE_STEP / yardstick:.1%} of the matmul rate"


def scipy_peer(method: str, n: int, steps: int, dt: float = 0.1) -> dict[str, Any] | None:
    """Couple-steps per second of scipy's ``solve_ivp`` per couple: the peer a researcher reaches for.

    Each couple is integrated over the same ``steps * dt`` days with its state reported at every
    step (``t_eval``), the right-hand side being :func:`sim.dynamics.rhs` on one couple; None when
    scipy (in ``bench/requirements.txt``) is not installed.
    """
    try:
        from scipy.integrate import solve_ivp
    except ImportError:
        return None
    from sim import dynamics
    from sim.engine import run_arrays

    couples = RandomCouples(n, seed=1).couples(0, n)
    t_eval = np.arange(steps + 1) * dt
    t0 = time.perf_counter()
    for couple in couples:
        pa = dynamics.to_rates(couple.a.param_vector())
        pb = dynamics.to_rates(couple.b.param_vector())
        x0 = run_arrays([couple], steps=0, dt=dt, events=(), interventions=(), record=False)["final"][0]

        def f(_t: float, x: np.ndarray, pa: np.ndarray = pa, pb: np.ndarray = pb,
              c: sim.Couple = couple) -> np.ndarray:
            return dynamics.rhs(x, pa, pb, c.fading, c.fear_ceiling, np.empty(dynamics.N_STATE))

        solve_ivp(f, (0.0, steps * dt), x0, method=method, t_eval=t_eval, rtol=1e-6, atol=1e-9)
    seconds = time.perf_counter() - t0
    return {"method": method, "couples": n, "steps": steps, "seconds": seconds, "rate": n * steps / seconds}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(fn: Any, repeat: int = 1) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads) of the fastest of ``repeat`` calls.

    CPU seconds hardly change with other load on the machine; on an idle machine the wall time
    of the parallel numba kernel is about its CPU time divided by the cores.
    """
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), _cpu()
        fn()
        best = min(best, (time.perf_counter() - t0, _cpu() - c0))
    return best


PAIRS = 5
"""Rounds of the paired measurement: the matmul, then the batch, PAIRS times in a row."""
REFERENCE_GFLOPS = 110.0
"""The matmul rate of the machine on which issue 12 measured its starting point (19.5 M
couple-steps/s): a share of the yardstick times this is a rate comparable with that figure."""


def paired(fn: Any, size: int, rounds: int = PAIRS) -> dict[str, float]:
    """Each round times the yardstick and then ``fn`` (``size`` couple-steps), back to back.

    The machine is shared: its speed drifts by a third within minutes (a batch took 0.78 s and
    1.10 s in two runs of one session), so one matmul at the start does not describe the moment
    the batch ran. The share of the yardstick is taken per round; the median round is reported.
    """
    shares, seconds, cpus, yards = [], [], [], []
    for _ in range(rounds):
        yard = matmul_rate(repeat=2)
        wall, cpu = _timed(fn)
        shares.append(size / wall * OPS_PER_COUPLE_STEP / yard)
        seconds.append(wall)
        cpus.append(cpu)
        yards.append(yard)
    mid = int(np.argsort(shares)[len(shares) // 2])
    return {"share": shares[mid], "share_low": min(shares), "share_high": max(shares), "seconds": seconds[mid],
            "cpu": cpus[mid], "yardstick": yards[mid], "rounds": rounds}


def throughput(backend: str, n_batch: int, batch_steps: int, n_loop: int, loop_steps: int) -> dict[str, Any]:
    """Couple-steps per second of one batch call (paired with the yardstick, see :func:`paired`) and of a
    Python loop of single runs."""
    couples = RandomCouples(max(n_batch, n_loop), seed=1).couples(0, max(n_batch, n_loop))
    sim.simulate_batch(couples[:4], steps=10, backend=backend)  # warm up (compilation excluded)
    sim.simulate(couples[0], steps=10, backend=backend, seed=0)
    pairs = paired(lambda: sim.simulate_batch(couples[:n_batch], steps=batch_steps, seed=0, backend=backend),
                   n_batch * batch_steps, rounds=PAIRS if backend == "numba" else 1)
    batch_s, batch_cpu = pairs["seconds"], pairs["cpu"]

    def loop() -> None:
        for c in couples[:n_loop]:
            sim.simulate(c, steps=loop_steps, seed=0, backend=backend)

    loop_s, loop_cpu = _timed(loop, repeat=3)
    batch_rate = n_batch * batch_steps / batch_s
    loop_rate = n_loop * loop_steps / loop_s
    return {"batch_couples": n_batch, "batch_steps": batch_steps, "batch_s": batch_s, "batch_rate": batch_rate,
            "batch_cpu": batch_cpu, "loop_couples": n_loop, "loop_steps": loop_steps, "loop_s": loop_s,
            "loop_cpu": loop_cpu, "loop_rate": loop_rate,
            "ratio": batch_rate / loop_rate, "pairs": pairs}


def map_time(backend: str, n: int, steps: int, analytic: bool) -> dict[str, Any]:
    """Seconds for ``regime_map(n=n, steps=steps)`` (couples built, run and, if asked, analysed)."""
    # warm up: enough couples that the analysis takes its compiled path too (compilation excluded)
    warm = math.ceil(math.sqrt(COMPILED_LANES)) if analytic else 3
    regime_map(n=warm, steps=10, backend=backend, analytic=analytic)
    t0, c0 = time.perf_counter(), _cpu()
    rmap = regime_map(n=n, steps=steps, backend=backend, analytic=analytic)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    return {"n": n, "steps": steps, "analytic": analytic, "seconds": seconds, "cpu": cpu,
            "agreement": rmap.agreement, "shares": rmap.shares()}


def child_memory(backend: str, couples: int, steps: int, chunk: int, mode: str) -> dict[str, Any]:
    """Run in a fresh process: peak RSS of a summary-mode sweep (``mode`` "stream" or "one" call)."""
    sim.simulate_batch([sim.Couple()], steps=10, backend=backend)  # load the compiled kernel
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pop = RandomCouples(couples, seed=2)
    t0 = time.perf_counter()
    if mode == "stream":
        summary = sweep_summary(pop, chunk_size=chunk, steps=steps, backend=backend)
        counts = dict(summary.counts)
    else:
        batch = sim.simulate_batch(pop.couples(0, couples), steps=steps, seed=0, backend=backend)
        counts = {v: int(np.count_nonzero(batch.verdict == v)) for v in sim.VERDICTS}
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"backend": backend, "couples": couples, "steps": steps, "chunk": chunk, "mode": mode,
            "seconds": seconds, "peak_gb": peak_kb * 1024 / GB, "baseline_gb": base_kb * 1024 / GB,
            "counts": counts}


def memory(backend: str, couples: int, steps: int, chunk: int, mode: str) -> dict[str, Any]:
    """Peak memory of a sweep, measured in a child process."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", backend, str(couples), str(steps),
           str(chunk), mode]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def first_call(cold: bool) -> float:
    """Seconds from a fresh process's first ``simulate`` to its result.

    With ``cold``, the package is copied to a temporary folder without numba's cache, so numba
    compiles the kernel (as on a fresh clone, once per machine); otherwise it loads the cache.
    """
    code = ("import time, sim; t = time.perf_counter(); sim.simulate(steps=10); "
            "print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as tmp:
        root = ROOT
        if cold:
            shutil.copytree(ROOT / "sim", Path(tmp) / "sim", ignore=shutil.ignore_patterns("__pycache__"))
            root = Path(tmp)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                             env={**os.environ, "PYTHONPATH": str(root)}, timeout=3600)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test of the script")
    parser.add_argument("--full-numpy", action="store_true",
                        help="also run 1,000,000 x 1,000 on numpy (about ten minutes more)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated: numba,numpy")
    parser.add_argument("--only", default="compile,throughput,peers,map,memory",
                        help="comma-separated sections to run: compile,throughput,peers,map,memory (default all)")
    parser.add_argument("--child", nargs=5, metavar=("BACKEND", "COUPLES", "STEPS", "CHUNK", "MODE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        backend, couples, steps, chunk, mode = args.child
        print(json.dumps(child_memory(backend, int(couples), int(steps), int(chunk), mode)))
        return
    backends = [b for b in args.backends.split(",") if b]
    only = set(args.only.split(","))
    q = args.quick
    info = machine()
    print("# Attract & Repel batch benchmark" + ("  (--quick: small sizes, not the figures)" if q else ""))
    print(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory_gb']} GB; Python {info['python']}, "
          f"numpy {info['numpy']}, numba {info['numba']} ({info['numba_threads']} threads, "
          f"layer {info['threading_layer']}); load average {info['load_1_5_15']}")
    yardstick = matmul_rate(1_000 if q else 2_000)
    print(f"yardstick: float64 matmul {yardstick / 1e9:.1f} GFLOP/s (numpy BLAS, all cores); every rate "
          f"below is also given as a share of it, at {OPS_PER_COUPLE_STEP} operations per couple-step")
    if "numba" in backends and "compile" in only:
        cold = "not measured (--quick)" if q else f"{first_call(cold=True):.1f} s"
        print(f"numba first call in a fresh process: {first_call(cold=False):.1f} s with the kernel cached; "
              f"compiling it (once per machine; excluded from the timings below): {cold}")

    rates = {}
    if "throughput" in only:
        print("\n## 1. Throughput: simulate_batch against a Python loop of simulate")
    for backend in backends if "throughput" in only else ():
        if backend == "numba":
            r = throughput(backend, 2_000 if q else 40_000, 2_000, 20 if q else 200, 2_000)
        else:
            r = throughput(backend, 2_000 if q else 40_000, 100 if q else 200, 2, 2_000 if not q else 200)
        rates[backend] = r
        print(f"{backend:>5}: batch {r['batch_couples']:,} couples x {r['batch_steps']:,} steps in "
              f"{r['batch_s']:.2f} s ({r['batch_cpu']:.2f} s CPU) = {r['batch_rate']:,.0f} couple-steps/s; "
              f"loop {r['loop_couples']} x simulate({r['loop_steps']:,} steps) in {r['loop_s']:.2f} s "
              f"({r['loop_cpu']:.2f} s CPU) = {r['loop_rate']:,.0f} couple-steps/s; ratio {r['ratio']:,.0f}x")
        pr = r["pairs"]
        print(f"       batch {pr['share']:.1%} of the matmul rate measured just before it "
              f"({pr['yardstick'] / 1e9:.1f} GFLOP/s; median of {pr['rounds']} pairs, "
              f"{pr['share_low']:.1%} to {pr['share_high']:.1%}), "
              f"{pr['share'] * REFERENCE_GFLOPS * 1e9 / OPS_PER_COUPLE_STEP:,.0f} couple-steps/s at a "
              f"{REFERENCE_GFLOPS:.0f} GFLOP/s matmul; loop {vs_matmul(r['loop_rate'], yardstick)}; "
              f"one simulate of {r['loop_steps']:,} steps {r['loop_s'] / r['loop_couples'] * 1e3:.2f} ms")
    if {"numba", "numpy"} <= rates.keys():
        cross = rates["numba"]["batch_rate"] / rates["numpy"]["loop_rate"]
        print(f"numba batch against the pure-numpy per-couple loop: {cross:,.0f}x; "
              f"numba batch against numpy batch: {rates['numba']['batch_rate'] / rates['numpy']['batch_rate']:.1f}x")

    if "peers" in only:
        print("\n## 1b. Peers: scipy solve_ivp per couple over the same 2,000 steps of 0.1 day (t_eval each step)")
        for method in ("LSODA", "RK45"):
            r = scipy_peer(method, 3 if q else 20, 2_000)
            if r is None:
                print("scipy is not installed (pip install -r bench/requirements.txt)")
                break
            line = (f"{method:>5}: {r['couples']} couples in {r['seconds']:.2f} s = {r['rate']:,.0f} couple-steps/s, "
                    f"{vs_matmul(r['rate'], yardstick)}")
            if "numba" in rates:
                line += f"; the project's batch is {rates['numba']['batch_rate'] / r['rate']:,.0f}x faster"
            print(line)

    n = 30 if q else 200
    if "map" in only:
        print("\n## 2. Regime map, 200 x 200 couples x 2,000 steps (targets: 1 s simulation, 2 s with the boundary)")
    for backend in backends if "map" in only else ():
        for analytic in (False, True):
            if backend == "numpy" and analytic:
                continue  # the analysis is the same numpy code for both backends
            r = map_time(backend, n, 2_000, analytic)
            what = "simulation + analytic boundary" if analytic else "simulation only"
            rate = n * n * 2_000 / r["seconds"]
            print(f"{backend:>5}: {n} x {n} x 2,000 steps, {what}: {r['seconds']:.2f} s ({r['cpu']:.2f} s CPU), "
                  f"{vs_matmul(rate, yardstick)}" + (f" (agreement {r['agreement']:.1%})" if analytic else ""))

    couples = 20_000 if q else 1_000_000
    chunk = 5_000 if q else 50_000
    if "memory" in only:
        print("\n## 3. Peak memory, 1,000,000 couples x 1,000 steps, summary mode (target <= 2 GB)")
    for backend in backends if "memory" in only else ():
        steps = 1_000 if backend == "numba" or args.full_numpy else 100
        steps = 50 if q else steps
        for mode in ("stream", "one"):
            if backend == "numpy" and mode == "one":
                continue  # the one-call peak is the couples and the arrays, the same for both backends
            r = memory(backend, couples, steps, chunk, mode)
            how = f"streamed in chunks of {chunk:,}" if mode == "stream" else "one simulate_batch call"
            print(f"{backend:>5}: {couples:,} couples x {steps:,} steps, {how}: peak RSS {r['peak_gb']:.2f} GB "
                  f"(process after import and compile {r['baseline_gb']:.2f} GB), {r['seconds']:.0f} s, "
                  f"verdicts {r['counts']}")
    if not args.full_numpy and "numpy" in backends and "memory" in only and not q:
        print("(numpy ran 100 steps: in summary mode memory does not grow with steps; --full-numpy runs 1,000)")
    print(f"\nload average at the end {tuple(round(x, 2) for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
