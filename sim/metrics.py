"""Run metrics, accumulated step by step so that a batch never needs to keep trajectories.

``accumulate`` is called once per step by the engine, on one couple (numba) or on a batch (numpy),
with the same arithmetic; ``summarize`` turns the accumulators into the metrics of a run. The
*late window* is the second half of the run; its two quarters are compared to tell growing from
steady from dying rounds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._accel import jitable, jitable_inline

__all__ = ["FLOOR", "MOVE_TOL", "SAFE", "accumulate", "new_accumulators", "summarize"]

FLOOR = 0.02
"""Closeness below this counts as the floor: a frozen distance."""
SAFE = 0.3
"""A partner feels safe when both fears are below this level."""
MOVE_TOL = 1e-3
"""A state moving slower than this (per day, in every closeness and fear entry) is at rest."""

(A_TENSION, A_CMIN, A_CMAX, A_Q3MIN, A_Q3MAX, A_Q4MIN, A_Q4MAX, A_FLOOR, A_FMAX, A_SAFE,
 A_PEAKS, A_PEAK_FIRST, A_PEAK_LAST, A_MOVING, A_CPREV2, A_CSUM, A_LEARN_A, A_LEARN_B,
 A_TENSION_ALL) = range(19)
NACC = 19
BIG = 1e300
"""Start value of running minima (and, negated, maxima): finite, so that masks never make NaN."""


def new_accumulators(n: int, c0: np.ndarray) -> np.ndarray:
    """Fresh accumulators for n couples starting at closeness c0, shape (n, NACC)."""
    acc = np.zeros((n, NACC))
    acc[:, [A_CMIN, A_Q3MIN, A_Q4MIN]] = BIG
    acc[:, [A_CMAX, A_Q3MAX, A_Q4MAX, A_FMAX]] = -BIG
    acc[:, A_CPREV2] = c0
    return acc


@jitable_inline
def _keep(flag: Any, new: Any, old: Any) -> Any:
    return flag * new + (1.0 - flag) * old


@jitable
def accumulate(acc: Any, x: Any, c_before: Any, rate: Any, n: int, late: int, steps: int,
               dt: float, ceiling: Any) -> None:
    """Fold the state after step n (x, shape (9,) or (9, N)) into the accumulators ``acc``.

    ``c_before`` is the closeness at step n - 1 and ``rate`` the time derivative at step n - 1
    (shape like x); ``late`` is the last step before the late window.
    """
    c = x[0]
    tension = 0.5 * (x[3] + x[4] + x[5] + x[6])
    fmax = np.maximum(np.maximum(x[3], x[4]), np.maximum(x[5], x[6]))
    in_late = 1.0 * (n > late)
    in_q3 = 1.0 * (n > late) * (n <= late + (steps - late) // 2)
    in_q4 = in_late - in_q3
    acc[A_TENSION_ALL] = acc[A_TENSION_ALL] + tension
    acc[A_TENSION] = acc[A_TENSION] + in_late * tension
    acc[A_CSUM] = acc[A_CSUM] + in_late * c
    acc[A_CMIN] = _keep(in_late, np.minimum(acc[A_CMIN], c), acc[A_CMIN])
    acc[A_CMAX] = _keep(in_late, np.maximum(acc[A_CMAX], c), acc[A_CMAX])
    acc[A_Q3MIN] = _keep(in_q3, np.minimum(acc[A_Q3MIN], c), acc[A_Q3MIN])
    acc[A_Q3MAX] = _keep(in_q3, np.maximum(acc[A_Q3MAX], c), acc[A_Q3MAX])
    acc[A_Q4MIN] = _keep(in_q4, np.minimum(acc[A_Q4MIN], c), acc[A_Q4MIN])
    acc[A_Q4MAX] = _keep(in_q4, np.maximum(acc[A_Q4MAX], c), acc[A_Q4MAX])
    acc[A_FMAX] = _keep(in_late, np.maximum(acc[A_FMAX], fmax), acc[A_FMAX])
    acc[A_FLOOR] = acc[A_FLOOR] + in_late * (c < FLOOR)
    acc[A_SAFE] = acc[A_SAFE] + 1.0 * (fmax < SAFE)
    peak = in_late * (c_before > acc[A_CPREV2]) * (c_before >= c)
    t_peak = (n - 1) * dt
    acc[A_PEAK_FIRST] = _keep(peak * (acc[A_PEAKS] == 0.0), t_peak, acc[A_PEAK_FIRST])
    acc[A_PEAK_LAST] = _keep(peak, t_peak, acc[A_PEAK_LAST])
    acc[A_PEAKS] = acc[A_PEAKS] + peak
    speed = np.maximum(np.maximum(np.abs(rate[0]), np.maximum(np.abs(rate[3]), np.abs(rate[4]))),
                       np.maximum(np.abs(rate[5]), np.abs(rate[6])))
    acc[A_MOVING] = _keep(1.0 * (speed > MOVE_TOL), n * dt, acc[A_MOVING])
    acc[A_CPREV2] = c_before


AMP_TOL = 0.02
"""Rounds of closeness smaller than this (peak to trough) count as at rest."""
GROWTH = 1.25
"""Late-window rounds that grow by more than this factor from one quarter to the next escalate."""
DAMPING = 0.8
"""Late-window rounds that shrink below this factor are dying out: the pair settles."""
FLOOR_SHARE = 0.25
"""More than this share of the late window at the closeness floor is a frozen distance."""
CEILING_SHARE = 0.95
"""Fears reaching this share of the ceiling in the late window escalate."""
FROZEN_CLOSENESS = 0.3
FROZEN_FEAR = 0.5
"""A late window with mean closeness below FROZEN_CLOSENESS while a fear stays above FROZEN_FEAR of
the ceiling is a frozen high-fear distance: it escalates even when nothing moves any more."""


def summarize(acc: np.ndarray, steps: int, dt: float, ceiling: np.ndarray) -> dict[str, np.ndarray]:
    """Metrics and verdict of every run from its accumulators.

    Parameters
    ----------
    acc : array (N, NACC); ceiling : array (N,) fear ceilings

    Returns
    -------
    dict of arrays of shape (N,): ``verdict`` (str), ``tension`` (mean fear per partner, E + B,
    late window), ``amplitude`` (closeness peak to trough, late window), ``period`` (days; NaN
    unless it cycles), ``settle_time`` (days; NaN unless it settles), ``safe_share`` (share of all
    steps in which every fear is below SAFE), ``mean_closeness`` (late window), ``growth`` (ratio of
    the last to the third quarter's rounds), ``floor_share``, ``max_fear`` (late window), and
    ``learned_a`` / ``learned_b`` (coaching progress 0..1 at the end).
    """
    late_n = max(steps - steps // 2, 1)
    amp = acc[:, A_CMAX] - acc[:, A_CMIN]
    amp3 = acc[:, A_Q3MAX] - acc[:, A_Q3MIN]
    amp4 = acc[:, A_Q4MAX] - acc[:, A_Q4MIN]
    growth = np.where(amp3 > 1e-12, amp4 / np.maximum(amp3, 1e-12), 1.0)
    floor_share = acc[:, A_FLOOR] / late_n
    max_fear = acc[:, A_FMAX]
    mean_closeness = acc[:, A_CSUM] / late_n
    frozen = (mean_closeness < FROZEN_CLOSENESS) & (max_fear >= FROZEN_FEAR * ceiling)
    escalates = (floor_share > FLOOR_SHARE) | frozen | (max_fear >= CEILING_SHARE * ceiling) | (
        (amp4 > AMP_TOL) & (growth > GROWTH)
    )
    settles = ~escalates & ((amp < AMP_TOL) | (growth < DAMPING))
    verdict = np.where(escalates, "escalates", np.where(settles, "settles", "cycles"))
    peaks = acc[:, A_PEAKS]
    period = np.where((verdict == "cycles") & (peaks >= 2),
                      (acc[:, A_PEAK_LAST] - acc[:, A_PEAK_FIRST]) / np.maximum(peaks - 1, 1), np.nan)
    settle_time = np.where(verdict == "settles", acc[:, A_MOVING], np.nan)
    return {
        "verdict": verdict,
        "tension": acc[:, A_TENSION] / late_n,
        "amplitude": amp,
        "period": period,
        "settle_time": settle_time,
        "safe_share": acc[:, A_SAFE] / max(steps, 1),
        "mean_closeness": mean_closeness,
        "growth": growth,
        "floor_share": floor_share,
        "max_fear": max_fear,
        "tension_all": acc[:, A_TENSION_ALL] / max(steps, 1),
        "learned_a": acc[:, A_LEARN_A],
        "learned_b": acc[:, A_LEARN_B],
    }
