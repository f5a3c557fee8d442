"""Public runs: ``simulate`` for one couple, ``simulate_batch`` for many, on one code path.

A batch is a single run with a leading couples axis: couple i of ``simulate_batch(couples, ...)``
equals ``simulate(couples[i], ...)`` with the same arguments. Random triggers are drawn once per
call from the seeded generator, so every couple of a batch meets the same random events (common
random numbers: differences between couples come from the couples, not from luck).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

import numpy as np

from . import engine, metrics
from .events import Event, draw_random, events_from_arrays
from .frozen import FrozenMap, frozen
from .interventions import Intervention, learned_partner
from .limits import RUN_FIELDS, check_items, check_run
from .partners import Couple
from .result import BatchResult, Result
from .specs import check_value

__all__ = ["DEFAULT_DT", "DEFAULT_STEPS", "learned_partner", "simulate", "simulate_batch"]

DEFAULT_STEPS = 2000
DEFAULT_DT = 0.1
"""Default step: 0.1 day; 2,000 steps cover 200 days."""
KEEP = ("summary", "trajectories")


def _check_run(steps: Any, dt: Any, events: Any, interventions: Any, random_events: Any
               ) -> tuple[int, float, tuple[Event, ...], tuple[Intervention, ...], float]:
    steps_i, dt_f, rate = check_run(steps, dt, random_events)
    return (steps_i, dt_f, check_items(events, Event, "events"),
            check_items(interventions, Intervention, "interventions"), rate)


def _seed_and_draw(seed: Any, rate: float, duration: float) -> tuple[int, tuple[np.ndarray, np.ndarray]]:
    """The run's seed (drawn when None) and the random triggers it gives, as arrays."""
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    whole = int(check_value("seed", seed, RUN_FIELDS["seed"]))
    return whole, draw_random(rate, duration, np.random.default_rng(whole))


def simulate_batch(couples: Iterable[Couple], *, steps: int = DEFAULT_STEPS, dt: float = DEFAULT_DT,
                   seed: int | None = None, events: Iterable[Event] = (),
                   interventions: Iterable[Intervention] = (), random_events: float = 0.0,
                   keep: str = "summary", backend: str | None = None) -> BatchResult:
    """Run many couples at once.

    Parameters
    ----------
    couples : N couples
    steps, dt : number of steps and step size in days (the run covers ``steps * dt`` days)
    seed : seed of the generator for random triggers (shared by all couples)
    events, interventions : applied to every couple
    random_events : expected random triggers per day
    keep : "summary" (verdicts and metrics only, no trajectories in memory) or "trajectories"
    backend : "numba" or "numpy"; default numba where installed

    Returns
    -------
    BatchResult with ``verdict`` (N,), ``metrics`` (N,) arrays and, with keep="trajectories",
    ``trajectories``.
    """
    couples = tuple(couples)
    for c in couples:
        if not isinstance(c, Couple):
            raise ValueError(f"couples must be sim.Couple objects, got {c!r}")
    if keep not in KEEP:
        raise ValueError(f"keep must be one of {', '.join(KEEP)}, got {keep!r}")
    steps, dt, events, interventions, rate = _check_run(steps, dt, events, interventions, random_events)
    _, drawn = _seed_and_draw(seed, rate, steps * dt)
    record = keep == "trajectories"
    raw = engine.run_arrays(couples, steps=steps, dt=dt, events=events, drawn=drawn,
                            interventions=interventions, record=record, backend=backend)
    summary = metrics.summarize(raw["acc"], steps, dt, raw["ceiling"])
    if drawn[0].size:
        # random jolts: the verdict describes the couple, read from the same run without them
        calm = engine.run_arrays(couples, steps=steps, dt=dt, events=events, interventions=interventions,
                                 record=False, backend=backend)
        own = metrics.summarize(calm["acc"], steps, dt, calm["ceiling"])
        summary["verdict_with_jolts"] = summary["verdict"]
        summary["jolt_spread"] = summary["amplitude"] - own["amplitude"]
        summary["verdict"] = own["verdict"]
        summary["ending"] = own["ending"]
    trajectories = None
    if record:
        trajectories = FrozenMap(_split(raw["traj"], raw["learned"], raw["calm"]))
    return BatchResult(
        couples=couples,
        verdict=frozen(summary.pop("verdict")),
        metrics=FrozenMap(summary),
        trajectories=trajectories,
        t=frozen(np.arange(steps + 1) * dt),
    )


def _split(traj: np.ndarray, learned: np.ndarray, calm: np.ndarray) -> dict[str, np.ndarray]:
    """Name the rows of raw trajectories (N, 13, n + 1) and learning (N, 2, n + 1).

    A partner's ``move`` is the effort beyond the calm pull of longing (``m_i - k_i w_i``, with
    ``calm`` = k w in force at each instant, shape (N, 2, n + 1)): 0 for a partner who simply keeps
    up the bond without fear, > 0 reaching out harder, < 0 pulling away.
    """
    return {
        "closeness": traj[:, 0],
        "move": traj[:, 1:3] - calm,
        "engulfment": traj[:, 7:9],
        "abandonment": traj[:, 9:11],
        "doubt": traj[:, 11:13],
        "learned": learned,
    }


def simulate(couple: Couple | None = None, *, steps: int = DEFAULT_STEPS, dt: float = DEFAULT_DT,
             seed: int | None = None, events: Iterable[Event] = (),
             interventions: Iterable[Intervention] = (), random_events: float = 0.0,
             backend: str | None = None) -> Result:
    """Run one couple and keep its whole trajectory.

    Time is in days: the run covers ``steps * dt`` days from day 0. ``simulate()`` runs the
    default couple; ``simulate(sim.PRESETS["anxious-avoidant"])`` the classic trap.

    Returns
    -------
    Result, with arrays of ``steps + 1`` instants, the verdict, metrics and visible signals.
    """
    couple = Couple() if couple is None else couple
    if not isinstance(couple, Couple):
        raise ValueError(f"couple must be a sim.Couple, got {couple!r}")
    steps, dt, events, interventions, rate = _check_run(steps, dt, events, interventions, random_events)
    seed, drawn = _seed_and_draw(seed, rate, steps * dt)
    all_events = tuple(sorted(events + events_from_arrays(*drawn), key=attrgetter("at")))
    # the batch draws the very same random events from the same seed, and judges the couple by the
    # run without them, as it does for every couple of a batch
    batch = simulate_batch([couple], steps=steps, dt=dt, seed=seed, events=events, random_events=rate,
                           interventions=interventions, keep="trajectories", backend=backend)
    assert batch.trajectories is not None
    tr = {k: v[0] for k, v in batch.trajectories.items()}
    return Result(
        couple=couple,
        t=batch.t,
        verdict=str(batch.verdict[0]),
        metrics=FrozenMap({k: _scalar(v[0]) for k, v in batch.metrics.items()}),
        events=all_events,
        interventions=interventions,
        seed=seed,
        dt=dt,
        **tr,
    )


def _scalar(value: Any) -> float | str | None:
    if isinstance(value, str | np.str_):
        return str(value)
    number = float(value)
    return None if math.isnan(number) else number
