"""Server-side rerun time of the page after a slider change, measured with Streamlit's AppTest.

Each measured rerun moves partner A's fear-of-being-left slider to a value not seen before, so
that the run and its figure are computed afresh (no cache hit): the time covers the script, the
simulation (with and without interventions when there are any) and drawing the chart. Target: a
median of at most 150 ms. Run from the repository root::

    PYTHONPATH=. python bench/bench_app.py [--reruns 30] [--interventions]

Prints the median, the quartiles and the slowest rerun in milliseconds of wall-clock time, and the
median CPU time of the process over the same reruns (script thread and AppTest together): on a
busy shared machine the wall-clock figures grow with the load while the CPU figure does not, so
wall-clock figures measured under load are provisional.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
TARGET_MS = 150.0


def measure(reruns: int, interventions: bool) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``reruns`` reruns, each after a fresh value of one slider."""
    at = AppTest.from_file(str(APP), default_timeout=600).run()
    if interventions:
        at.session_state["open.interventions"] = True
        at.run()
        at.toggle(key="iv.safety.on").set_value(True).run()
        at.session_state["open.interventions"] = False
        at.run()
    slider = "a.anxiety"
    wall, cpu = [], []
    for k in range(reruns + 2):
        value = round(0.30 + 0.01 * (k % 60), 2)
        start, start_cpu = time.perf_counter(), time.process_time()
        at.slider(key=slider).set_value(value).run()
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if at.exception:
            raise RuntimeError(f"the page failed: {at.exception[0].value}")
        if k >= 2:  # the first reruns warm code paths, not results
            wall.append(elapsed * 1000.0)
            cpu.append(elapsed_cpu * 1000.0)
    return wall, cpu


def main() -> int:
    """Measure and print; exit status 1 when the median is over the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--interventions", action="store_true", help="with an intervention on (two runs per rerun)")
    args = parser.parse_args()
    wall, cpu = measure(args.reruns, args.interventions)
    q1, median, q3 = statistics.quantiles(wall, n=4)
    label = "with an intervention" if args.interventions else "no interventions"
    print(f"page rerun after a slider change ({label}, {len(wall)} reruns): "
          f"median {median:.0f} ms, quartiles {q1:.0f}-{q3:.0f} ms, slowest {max(wall):.0f} ms; "
          f"CPU median {statistics.median(cpu):.0f} ms (target <= {TARGET_MS:.0f} ms median)")
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
