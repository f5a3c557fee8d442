"""Results: small read-only objects of arrays with documented shapes, and tidy tables."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .events import Event
from .frozen import FrozenMap, ReadOnlyArrays
from .interventions import Intervention, in_force_at, learned_partner, segments
from .metrics import SAFE
from .partners import Couple, Partner
from .provenance import csv_text, provenance, run_settings
from .signals import Signal, detect_signals
from .verdict import driving_loop, explain, uneasy_rest

__all__ = ["BatchResult", "Result"]


def _metric_value(value: Any) -> Any:
    if value is None or isinstance(value, np.str_ | str):
        return None if value is None else str(value)
    number = float(value)
    return None if np.isnan(number) else number


@dataclass(frozen=True, eq=False)
class Result(ReadOnlyArrays):
    """One run of one couple.

    Attributes
    ----------
    couple : the couple that was run
    t : array (n + 1,), days
    closeness : array (n + 1,)
    move : array (2, n + 1); row 0 partner a, row 1 partner b; > 0 toward, < 0 away (closeness/day)
    engulfment, abandonment : arrays (2, n + 1), fears in [0, fear ceiling]
    doubt : array (2, n + 1), stay-or-go doubt in [0, 1] (above 1/2 it tips into a break-up)
    learned : array (2, n + 1), coaching progress toward a secure partner, 0..1
    verdict : "settles", "cycles" or "escalates"
    metrics : read-only mapping: tension, amplitude, period (None unless it cycles), settle_time
        (None unless it settles), safe_share, mean_closeness, growth, floor_share, max_fear, ...
    signals : tuple of :class:`sim.signals.Signal` (day, partner, key into ``sim.SIGNALS``), read
        from the run on first use (a sweep of single runs that never looks at them does not pay)
    events : the events applied, the random ones included, in time order
    interventions : the interventions applied
    seed : the seed of the run's generator (drawn and recorded when none was given)
    dt : step in days
    """

    couple: Couple
    t: np.ndarray
    closeness: np.ndarray
    move: np.ndarray
    engulfment: np.ndarray
    abandonment: np.ndarray
    doubt: np.ndarray
    learned: np.ndarray
    verdict: str
    metrics: FrozenMap[Any]
    events: tuple[Event, ...]
    interventions: tuple[Intervention, ...]
    seed: int
    dt: float

    @cached_property
    def signals(self) -> tuple[Signal, ...]:
        """What each partner would visibly do, in time order (see :func:`sim.signals.detect_signals`)."""
        return detect_signals(self.t, self.move, self.engulfment, self.abandonment, self.doubt)

    @property
    def steps(self) -> int:
        """Number of steps taken (the arrays have ``steps + 1`` entries)."""
        return int(self.t.shape[0] - 1)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per time step, one column per quantity (``_a`` / ``_b`` per partner)."""
        data: dict[str, np.ndarray] = {"t": self.t, "closeness": self.closeness}
        for name in ("move", "engulfment", "abandonment", "doubt", "learned"):
            values = getattr(self, name)
            data[f"{name}_a"] = values[0]
            data[f"{name}_b"] = values[1]
        return pd.DataFrame(data)

    def provenance(self, **more: Any) -> dict[str, Any]:
        """What made this run (:mod:`sim.provenance`): software, version, model, the couple and the run's settings."""
        return provenance(**run_settings(steps=self.steps, dt=self.dt, seed=self.seed, events=self.events,
                                         interventions=self.interventions, couple=asdict(self.couple), **more))

    def to_csv(self, path: str | Path | None = None, **to_csv: Any) -> str:
        """:meth:`to_frame` as CSV text, its first line the provenance (``# provenance: {...}``); also
        written to ``path`` when one is given. ``to_csv`` goes to :meth:`pandas.DataFrame.to_csv` (e.g.
        ``float_format``). Read it back with ``pandas.read_csv(path, comment="#")``."""
        text = csv_text(self.to_frame(), self.provenance(), **to_csv)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def partners_after(self) -> tuple[Partner, Partner]:
        """The two partners as changed by the run: what coaching taught them, kept for a next relationship.

        Coaching moves a partner's attachment scores, and any overridden parameter, toward a secure
        partner's by the share learned (``learned[:, -1]``); partners without coaching come out as
        they went in.
        """
        return (learned_partner(self.couple.a, float(self.learned[0, -1])),
                learned_partner(self.couple.b, float(self.learned[1, -1])))

    def params_in_force(self) -> np.ndarray:
        """Both partners' parameters at every instant, shape (n + 1, 2, P) in lag form (the order of
        ``sim.PARTNER_PARAMS``): the interventions in force from their start step, and what coaching had
        taught by then, as the run used them (:func:`sim.interventions.in_force_at`)."""
        base = np.stack([self.couple.a.param_vector(), self.couple.b.param_vector()])[None]
        seg_params, seg_steps = segments(base, tuple(self.interventions), self.dt, self.steps)
        return in_force_at(seg_params, seg_steps, np.asarray(self.learned)[None])[0]

    def loop(self) -> tuple[str, int, int]:
        """The loop behind the verdict and who withdraws and who pursues (see ``sim.verdict``)."""
        scores = np.array([[self.couple.a.anxiety, self.couple.a.avoidance],
                           [self.couple.b.anxiety, self.couple.b.avoidance]])
        return driving_loop(self.verdict, scores)

    def explain(self, lang: str = "en") -> list[str]:
        """The verdict, its driving loop and a hedge, as plain sentences in "en" or "nl"."""
        loop, w, p = self.loop()
        uneasy = uneasy_rest(self.engulfment[:, -1], self.abandonment[:, -1], SAFE)
        return explain(self.verdict, loop, (self.couple.a.name, self.couple.b.name), w, p, lang,
                       str(self.metrics.get("ending") or ""), uneasy)

    def summary(self) -> dict[str, Any]:
        """Verdict and metrics as plain Python values (JSON-ready)."""
        return {"verdict": self.verdict, **{k: _metric_value(v) for k, v in self.metrics.items()}}


@dataclass(frozen=True, eq=False)
class BatchResult(ReadOnlyArrays):
    """Runs of many couples: verdicts and metrics per couple, trajectories only when kept.

    Attributes
    ----------
    couples : tuple of N couples
    verdict : array (N,) of str
    metrics : read-only mapping name -> array (N,) (NaN where a metric does not apply)
    trajectories : None in summary mode; else a mapping with ``closeness`` (N, n + 1) and
        ``move``, ``engulfment``, ``abandonment``, ``doubt``, ``learned`` (N, 2, n + 1); the same
        names are attributes of the batch (``batch.closeness`` (N, n + 1), ``batch.move`` (N, 2, n + 1))
    t : array (n + 1,), days
    """

    couples: tuple[Couple, ...]
    verdict: np.ndarray
    metrics: FrozenMap[np.ndarray]
    trajectories: FrozenMap[np.ndarray] | None
    t: np.ndarray

    def __len__(self) -> int:
        return len(self.couples)

    def _trajectory(self, name: str) -> np.ndarray:
        if self.trajectories is None:
            raise ValueError(f"{name} needs the trajectories: run simulate_batch(..., keep='trajectories')")
        return self.trajectories[name]

    @property
    def closeness(self) -> np.ndarray:
        """Closeness of every couple, shape (N, n + 1) (keep="trajectories" only)."""
        return self._trajectory("closeness")

    @property
    def move(self) -> np.ndarray:
        """Moves, shape (N, 2, n + 1), as :attr:`Result.move`."""
        return self._trajectory("move")

    @property
    def engulfment(self) -> np.ndarray:
        """Engulfment fear (the alarm), shape (N, 2, n + 1)."""
        return self._trajectory("engulfment")

    @property
    def abandonment(self) -> np.ndarray:
        """Fear of being left, shape (N, 2, n + 1)."""
        return self._trajectory("abandonment")

    @property
    def doubt(self) -> np.ndarray:
        """Stay-or-go doubt, shape (N, 2, n + 1)."""
        return self._trajectory("doubt")

    @property
    def learned(self) -> np.ndarray:
        """Coaching progress, shape (N, 2, n + 1)."""
        return self._trajectory("learned")

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per couple, with both partners' scores, the verdict and every metric."""
        data: dict[str, Any] = {
            "a.anxiety": [c.a.anxiety for c in self.couples],
            "a.avoidance": [c.a.avoidance for c in self.couples],
            "b.anxiety": [c.b.anxiety for c in self.couples],
            "b.avoidance": [c.b.avoidance for c in self.couples],
            "verdict": self.verdict,
        }
        data.update({k: v for k, v in self.metrics.items() if k != "verdict"})
        return pd.DataFrame(data)
