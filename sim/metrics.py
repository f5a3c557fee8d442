"""Run metrics and the verdict, accumulated step by step so that a batch never needs to keep trajectories.

``accumulate`` is called once per step by the engine, on one couple (numba) or on a batch (numpy),
with the same arithmetic; ``summarize`` turns the accumulators into the metrics and the verdict.

The verdict is read from the dynamics of closeness in the *late window* (the second half of the
run). Its rounds are found as prominent turning points: a peak counts only once closeness has
fallen from it by more than a share ``H_REL`` of the last swing (a zig-zag with hysteresis), so a
fast small wiggle on a slow cycle does not split its rounds. A peak that is never passed again for
longer than the swing took to build is a peak all the same: the swing is then measured from the
deepest fall since (see :func:`accumulate`), so that rounds much smaller than one large swing before
them (after an event's jolt, say) are still found. The swing of each round (peak to
trough) is fitted on a log scale against time: the slope is the growth (> 0) or decay (< 0) rate
of the rounds, and a rate within ``GROWTH_TOL / late window`` of zero is steady. Without rounds the
speed of the state decides: at rest, fading (it settles) or still moving (a drift).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._accel import at, fmax, fmin, jitable_inline, keep_if

__all__ = ["FLOOR", "MOVE_TOL", "SAFE", "accumulate", "accumulate_early", "accumulate_late", "finish", "fold_round",
           "new_accumulators", "series_metrics", "summarize"]

FLOOR = 0.02
"""Closeness below this counts as the floor: no closeness left."""
SAFE = 0.3
"""A partner feels safe when both fears are below this level."""
MOVE_TOL = 1e-3
"""A state moving slower than this (per day, in closeness, every fear and the doubt) is at rest."""
H_REL = 0.3
"""A turning point counts once closeness has come back from it by this share of the swing that led to it."""
H_ABS = 1e-6
"""... and by at least this much (closeness): smaller swings are rounding, not rounds."""
GROWTH_TOL = 0.223
"""Rounds whose swing changes by less than a factor exp(0.223) = 1.25 over the late window are steady."""
REST_SWING = 0.01
"""Rounds smaller than this (closeness, peak to trough) are at rest in practice: the settle time is
the day the fitted swing falls below it."""
BREAK_DOUBT = 0.5
"""A doubt past the tipping point (``sim.dynamics.TIP``) at the end of a run has tipped: from
there the switch carries it to 1 whatever happens, a break-up."""
RISING_DOUBT = 0.1
"""A doubt above this at the end of a run whose mean over the last quarter exceeds its mean over the
third quarter by DOUBT_TREND is heading for a break: it escalates."""
DOUBT_TREND = 0.005
FROZEN_CLOSENESS = 0.3
FROZEN_FEAR = 0.25
"""A run that comes to rest below FROZEN_CLOSENESS while a fear stays above FROZEN_FEAR of the
ceiling ends in a frozen, high-fear distance: it escalates even though nothing moves any more."""

(A_TENSION, A_CMIN, A_CMAX, A_FLOOR, A_FMAX, A_SAFE, A_MOVING, A_CSUM, A_LEARN_A, A_LEARN_B,
 A_TENSION_ALL, A_DIR, A_EXT, A_TEXT, A_LAST, A_SWING, A_N, A_ST, A_STT, A_SY, A_STY, A_SYY,
 A_TFIRST, A_TLAST, A_Q3MAX, A_Q3MIN, A_SPEED0, A_SPEED, A_DMAX, A_DEND, A_CEND, A_FEND,
 A_DQ3, A_DQ4, A_COUNTED, A_TTURN, A_BACK, A_TBACK) = range(38)
NACC = 38
BIG = 1e300
"""Start value of running minima (and, negated, maxima): finite, so that masks never make NaN."""


def new_accumulators(n: int, c0: np.ndarray) -> np.ndarray:
    """Fresh accumulators for n couples starting at closeness c0, shape (n, NACC)."""
    acc = np.zeros((n, NACC))
    acc[:, [A_CMIN, A_Q3MIN]] = BIG
    acc[:, [A_CMAX, A_FMAX, A_Q3MAX]] = -BIG
    acc[:, A_DIR] = 1.0
    acc[:, A_EXT] = c0
    acc[:, A_LAST] = c0
    acc[:, A_BACK] = c0
    return acc


def accumulate(acc: Any, x: Any, rate: Any, n: int, late: int, steps: int, dt: float, lane: Any = 0) -> None:
    """Fold the state after step n (lane of x, see :data:`sim.dynamics.LANE`) into ``acc``.

    ``rate`` is the time derivative at the start of step n (shape like x); ``late`` is the last
    step before the late window. Every step goes to :func:`accumulate_early`, and a step of the
    late window then to :func:`accumulate_late` (the engine calls them directly: whether a step is
    late is the same for every couple). A round counted at this step is marked in ``A_COUNTED``
    and its logarithm is folded in by :func:`fold_round`, which only such steps need. The values
    that a run ends with are taken once, after its last step, by :func:`finish`.
    """
    accumulate_early(acc, x, rate, n, dt, lane)
    if n > late:
        accumulate_late(acc, x, rate, n, late, steps, dt, lane)
    else:
        acc[at(A_COUNTED, lane)] = 0.0  # a turn before the late window is no round


@jitable_inline
def accumulate_early(acc: Any, x: Any, rate: Any, n: int, dt: float, lane: Any = 0) -> None:
    """What every step n adds: the whole run's accumulators and the round finder's zig-zag.

    Whether the zig-zag turned is left in ``A_COUNTED`` for :func:`accumulate_late`. Before the
    late window nothing else is needed (a round counts only once its extreme lies in the late
    window): a quarter of a run's work was its accumulators, and half of them only wait for it.
    """
    c, tension, top_fear, dmax, speed = _step_values(x, rate, lane)
    acc[at(A_TENSION_ALL, lane)] = acc[at(A_TENSION_ALL, lane)] + tension
    acc[at(A_SAFE, lane)] = acc[at(A_SAFE, lane)] + 1.0 * (top_fear < SAFE)
    acc[at(A_DMAX, lane)] = fmax(acc[at(A_DMAX, lane)], dmax)
    acc[at(A_MOVING, lane)] = keep_if(1.0 * (speed > MOVE_TOL), n * dt, acc[at(A_MOVING, lane)])
    acc[at(A_COUNTED, lane)] = _zigzag(acc, c, n * dt, lane)


@jitable_inline
def accumulate_late(acc: Any, x: Any, rate: Any, n: int, late: int, steps: int, dt: float, lane: Any = 0) -> None:
    """What a step n of the late window (n > late) adds after :func:`accumulate_early`: the late
    window's sums and extremes, and the round, if the zig-zag turned. Arithmetic only, so that
    compiled code runs it on a block of couples in vector lanes."""
    c, tension, top_fear, dmax, speed = _step_values(x, rate, lane)
    in_q3 = 1.0 * (n <= late + (steps - late) // 2)
    acc[at(A_TENSION, lane)] = acc[at(A_TENSION, lane)] + tension
    acc[at(A_CSUM, lane)] = acc[at(A_CSUM, lane)] + c
    acc[at(A_CMIN, lane)] = fmin(acc[at(A_CMIN, lane)], c)
    acc[at(A_CMAX, lane)] = fmax(acc[at(A_CMAX, lane)], c)
    acc[at(A_FMAX, lane)] = fmax(acc[at(A_FMAX, lane)], top_fear)
    acc[at(A_FLOOR, lane)] = acc[at(A_FLOOR, lane)] + 1.0 * (c < FLOOR)
    acc[at(A_DQ3, lane)] = acc[at(A_DQ3, lane)] + in_q3 * dmax
    acc[at(A_DQ4, lane)] = acc[at(A_DQ4, lane)] + (1.0 - in_q3) * dmax
    # the largest speed in the third and in the last quarter: maxima, so that a fast wiggle
    # does not make the verdict depend on the phase at which one step sampled it
    acc[at(A_SPEED0, lane)] = fmax(acc[at(A_SPEED0, lane)], in_q3 * speed)
    acc[at(A_SPEED, lane)] = fmax(acc[at(A_SPEED, lane)], (1.0 - in_q3) * speed)
    # a turn left the leg's swing and its extreme's day in A_SWING and A_TTURN
    _count_round(acc, acc[at(A_COUNTED, lane)], acc[at(A_SWING, lane)], acc[at(A_TTURN, lane)], late * dt,
                 (late + (steps - late) // 2) * dt, lane)


@jitable_inline
def _step_values(x: Any, rate: Any, lane: Any) -> tuple[Any, Any, Any, Any, Any]:
    """What the accumulators take from a step: closeness, tension, the top fear, the top doubt and
    the speed of the slow part of the state (closeness, the felt fears and the doubt)."""
    c = x[at(0, lane)]
    e_a, e_b, b_a, b_b = x[at(7, lane)], x[at(8, lane)], x[at(9, lane)], x[at(10, lane)]
    tension = 0.5 * (e_a + e_b + b_a + b_b)
    top_fear = fmax(fmax(e_a, e_b), fmax(b_a, b_b))
    dmax = fmax(x[at(11, lane)], x[at(12, lane)])
    speed = fmax(fmax(np.abs(rate[at(0, lane)]), fmax(np.abs(rate[at(7, lane)]), np.abs(rate[at(8, lane)]))),
                 fmax(fmax(np.abs(rate[at(9, lane)]), np.abs(rate[at(10, lane)])),
                      fmax(np.abs(rate[at(11, lane)]), np.abs(rate[at(12, lane)]))))
    return c, tension, top_fear, dmax, speed


@jitable_inline
def _zigzag(acc: Any, c: Any, t: float, lane: Any) -> Any:
    """Rounds: a zig-zag with hysteresis finds the prominent peaks and troughs of closeness.

    Moves the zig-zag on by closeness ``c`` at day ``t``; returns whether it turned here (1.0 or
    0.0). After a turn ``A_SWING`` holds the swing of the leg that ended, ``A_TTURN`` the day of its
    extreme.
    """
    direction, last = acc[at(A_DIR, lane)], acc[at(A_LAST, lane)]
    extreme, t_extreme = acc[at(A_EXT, lane)], acc[at(A_TEXT, lane)]
    back, t_back = acc[at(A_BACK, lane)], acc[at(A_TBACK, lane)]
    rising = 1.0 * (direction > 0.0)
    ext = keep_if(rising, fmax(extreme, c), fmin(extreme, c))
    # the extreme's time moves on only when closeness passes it by more than H_REL of the move back
    # since (a monotone leg has none): equal rounds that follow a large swing do not keep it young
    pull = H_REL * np.abs(extreme - back)
    fresh = rising * (c > extreme + pull) + (1.0 - rising) * (c < extreme - pull)
    t_ext = keep_if(fresh, t, t_extreme)
    # the farthest move back since the extreme, and when
    further = fresh + rising * (c < back) + (1.0 - rising) * (c > back)
    back = keep_if(further, c, back)
    t_back = keep_if(further, t, t_back)
    swing = np.abs(ext - last)
    h = H_ABS + H_REL * swing
    # a turn: closeness came back by h, or the extreme has stood for longer than the swing took to build
    stale = (t - t_ext > t_ext - acc[at(A_TTURN, lane)]) * (np.abs(ext - back) > H_ABS)
    turn = fmax(1.0 * stale, rising * (c < ext - h) + (1.0 - rising) * (c > ext + h))
    acc[at(A_SWING, lane)] = keep_if(turn, swing, acc[at(A_SWING, lane)])
    acc[at(A_LAST, lane)] = keep_if(turn, ext, last)
    acc[at(A_DIR, lane)] = keep_if(turn, -direction, direction)
    # after a turn the farthest move back is the new extreme (closeness itself after a turn by h)
    acc[at(A_EXT, lane)] = keep_if(turn, back, ext)
    acc[at(A_TEXT, lane)] = keep_if(turn, t_back, t_ext)
    acc[at(A_TTURN, lane)] = keep_if(turn, t_ext, acc[at(A_TTURN, lane)])
    acc[at(A_BACK, lane)] = keep_if(turn, c, back)
    acc[at(A_TBACK, lane)] = keep_if(turn, t, t_back)
    return turn


@jitable_inline
def _count_round(acc: Any, turn: Any, swing: Any, t_ext: Any, t_late: float, t_q3: float, lane: Any) -> None:
    """Count a turn as a round of the late window: its extreme lies in it and it is not a wiggle."""
    counted = turn * (t_ext > t_late) * (swing > H_ABS)
    n_rounds = acc[at(A_N, lane)] + counted
    acc[at(A_N, lane)] = n_rounds
    acc[at(A_ST, lane)] = acc[at(A_ST, lane)] + counted * t_ext
    acc[at(A_STT, lane)] = acc[at(A_STT, lane)] + counted * t_ext * t_ext
    acc[at(A_COUNTED, lane)] = counted
    acc[at(A_TFIRST, lane)] = keep_if(counted * (n_rounds == 1.0), t_ext, acc[at(A_TFIRST, lane)])
    acc[at(A_TLAST, lane)] = keep_if(counted, t_ext, acc[at(A_TLAST, lane)])
    in_q3_ext = counted * (t_ext <= t_q3)
    acc[at(A_Q3MAX, lane)] = keep_if(in_q3_ext, fmax(acc[at(A_Q3MAX, lane)], swing), acc[at(A_Q3MAX, lane)])
    acc[at(A_Q3MIN, lane)] = keep_if(in_q3_ext, fmin(acc[at(A_Q3MIN, lane)], swing), acc[at(A_Q3MIN, lane)])


@jitable_inline
def finish(acc: Any, x: Any, lane: Any = 0) -> None:
    """The values a run ends with (doubt, closeness, top fear), from its last state."""
    acc[at(A_DEND, lane)] = fmax(x[at(11, lane)], x[at(12, lane)])
    acc[at(A_CEND, lane)] = x[at(0, lane)]
    acc[at(A_FEND, lane)] = fmax(fmax(x[at(7, lane)], x[at(8, lane)]), fmax(x[at(9, lane)], x[at(10, lane)]))


@jitable_inline
def fold_round(acc: Any, lane: Any = 0) -> None:
    """Fold the log swing of a round counted by :func:`accumulate` into the fit's sums (lane).

    Adds nothing where no round was counted (``A_COUNTED`` is 0), so it may run on every lane;
    the compiled kernel runs it only where one was, which keeps the logarithm out of its vector loop.
    """
    counted = acc[at(A_COUNTED, lane)]
    t_ext = acc[at(A_TLAST, lane)]  # a counted round is also the last one: its time and its swing
    y = np.log(fmax(acc[at(A_SWING, lane)], H_ABS))
    acc[at(A_SY, lane)] = acc[at(A_SY, lane)] + counted * y
    acc[at(A_STY, lane)] = acc[at(A_STY, lane)] + counted * t_ext * y
    acc[at(A_SYY, lane)] = acc[at(A_SYY, lane)] + counted * y * y


def summarize(acc: np.ndarray, steps: int, dt: float, ceiling: np.ndarray) -> dict[str, np.ndarray]:
    """Metrics and verdict of every run from its accumulators.

    Parameters
    ----------
    acc : array (N, NACC); ceiling : array (N,) fear ceilings

    Returns
    -------
    dict of arrays of shape (N,):

    - ``verdict`` (str): "settles", "cycles" or "escalates";
    - ``ending`` (str): for runs that escalate, "growing" (rounds, or a doubt above RISING_DOUBT,
      still growing at the end),
      "frozen" (at rest at a high-fear distance) or "break" (a doubt tipped); "" otherwise;
    - ``growth_rate`` (1/day): fitted growth (> 0) or decay (< 0) rate of the rounds' swing in the
      late window (NaN with fewer than three rounds), ``growth`` its factor over the late window;
    - ``period`` (days, NaN without rounds), ``swing`` (the last round's peak to trough),
      ``irregularity`` (spread of the rounds' log swing around the fit: ~0 for regular rounds);
    - ``settle_time`` (days; NaN unless it settles): when it came to rest, or, for rounds that
      fade, the day the fitted swing falls below REST_SWING, which may lie beyond the run;
    - ``tension`` (mean fear per partner, E + B, late window), ``amplitude`` (closeness peak to
      trough, late window), ``safe_share`` (share of all steps in which every fear is below SAFE),
      ``mean_closeness`` (late window), ``floor_share``, ``max_fear`` (late window),
      ``max_doubt`` (whole run), ``tension_all`` (whole run), ``learned_a`` / ``learned_b``.
    """
    late = steps // 2
    late_n = max(steps - late, 1)
    window = late_n * dt
    tol = GROWTH_TOL / window
    n = acc[:, A_N]
    ok = n >= 3
    nn = np.maximum(n, 1.0)
    mean_t = acc[:, A_ST] / nn
    var_t = np.maximum(acc[:, A_STT] / nn - mean_t ** 2, 1e-300)
    mean_y = acc[:, A_SY] / nn
    cov = acc[:, A_STY] / nn - mean_t * mean_y
    rate = np.where(ok, cov / var_t, np.nan)
    resid = np.maximum(acc[:, A_SYY] / nn - mean_y ** 2 - np.where(ok, cov * cov / var_t, 0.0), 0.0)
    irregularity = np.where(ok, np.sqrt(resid), np.nan)
    swing = acc[:, A_SWING]
    t_end = steps * dt
    # with rounds: the fitted rate, confirmed by the last swing against the third quarter's largest
    grows = ok & (rate > tol) & (swing > acc[:, A_Q3MAX])
    fades = ok & (rate < -tol) & (swing < acc[:, A_Q3MAX])
    # without rounds: the speed of the state
    still = ~ok & (acc[:, A_SPEED] < MOVE_TOL)
    # the quarters' largest speeds lie about half the late window apart
    speed_rate = np.log(np.maximum(acc[:, A_SPEED], 1e-300) / np.maximum(acc[:, A_SPEED0], 1e-300)) / (0.5 * window)
    fading_drift = ~ok & ~still & (speed_rate < -tol)
    drift = ~ok & ~still & ~fading_drift
    broke = acc[:, A_DEND] > BREAK_DOUBT
    q3_n = max((steps - late) // 2, 1)
    q4_n = max(late_n - q3_n, 1)
    trend = acc[:, A_DQ4] / q4_n - acc[:, A_DQ3] / q3_n
    doubting = ~broke & (acc[:, A_DEND] > RISING_DOUBT) & (trend > DOUBT_TREND)
    resting = still | fading_drift | fades
    frozen = ~broke & resting & (acc[:, A_CEND] < FROZEN_CLOSENESS) & (acc[:, A_FEND] > FROZEN_FEAR * ceiling)
    escalates = broke | frozen | grows | drift | doubting
    settles = ~escalates & resting
    verdict = np.where(escalates, "escalates", np.where(settles, "settles", "cycles"))
    ending = np.where(broke, "break", np.where(frozen, "frozen", np.where(escalates, "growing", "")))
    last_turn = acc[:, A_TLAST]
    with np.errstate(divide="ignore", invalid="ignore"):
        fade_time = last_turn + np.log(np.maximum(swing, 1e-300) / REST_SWING) / np.abs(rate)
        drift_time = t_end + np.log(np.maximum(acc[:, A_SPEED], MOVE_TOL) / MOVE_TOL) / np.abs(speed_rate)
    settle_time = np.where(settles & still, acc[:, A_MOVING],
                           np.where(settles & fades, np.maximum(fade_time, 0.0),
                                    np.where(settles & fading_drift, drift_time, np.nan)))
    period = np.where(ok, 2.0 * (acc[:, A_TLAST] - acc[:, A_TFIRST]) / np.maximum(n - 1.0, 1.0), np.nan)
    amp = np.maximum(acc[:, A_CMAX] - acc[:, A_CMIN], 0.0)
    return {
        "verdict": verdict,
        "ending": ending,
        "growth_rate": rate,
        "growth": np.exp(np.where(ok, rate, 0.0) * window),
        "period": period,
        "swing": np.where(ok, swing, 0.0),
        "irregularity": irregularity,
        "settle_time": settle_time,
        "tension": acc[:, A_TENSION] / late_n,
        "amplitude": amp,
        "safe_share": acc[:, A_SAFE] / max(steps, 1),
        "mean_closeness": acc[:, A_CSUM] / late_n,
        "floor_share": acc[:, A_FLOOR] / late_n,
        "max_fear": acc[:, A_FMAX],
        "max_doubt": acc[:, A_DMAX],
        "tension_all": acc[:, A_TENSION_ALL] / max(steps, 1),
        "learned_a": acc[:, A_LEARN_A],
        "learned_b": acc[:, A_LEARN_B],
    }


def series_metrics(closeness: np.ndarray, dt: float) -> dict[str, Any]:
    """The verdict and metrics of a hand-made closeness series (fears and doubt taken as 0).

    Runs the very same accumulators as the engine over ``closeness`` (shape (n + 1,), one value
    per instant ``dt`` days apart), with the time derivative of closeness from the series.

    Returns
    -------
    dict of plain values: as :func:`summarize`, for one run.
    """
    c = np.asarray(closeness, dtype=float)
    steps = c.size - 1
    if steps < 4:
        raise ValueError(f"closeness must have at least 5 values, got {c.size}")
    acc = new_accumulators(1, c[:1])[0]
    x = np.zeros(13)
    rate = np.zeros(13)
    slope = np.gradient(c, dt)
    for k in range(steps):
        x[0] = c[k + 1]
        rate[0] = slope[k]
        accumulate(acc, x, rate, k + 1, steps // 2, steps, dt)
        fold_round(acc)
    finish(acc, x)
    out = summarize(acc[None, :], steps, dt, np.array([1.0]))
    return {k: (str(v[0]) if v.dtype.kind == "U" else float(v[0])) for k, v in out.items()}
