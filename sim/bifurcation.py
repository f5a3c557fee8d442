"""A bifurcation diagram along one parameter: resting states with their stability, and the rounds' range.

:func:`bifurcation_diagram` puts two views of the couples along one parameter side by side:

- the **analysis** (:func:`sim.continuation`): the resting state's closeness, stable or not, and the
  Hopf points (the rounds start to grow) and saddle-node points (a resting state appears or
  vanishes) where that changes;
- the **simulation** (:func:`sim.simulate_batch`): each couple's verdict and the lowest and highest
  closeness of its late window (the second half of the run), i.e. the range of its rounds: one
  point where it settles, the cycle's trough and peak where it dances, a widening range where it
  escalates.

Where the resting state is stable the two should meet (the run settles at the resting closeness);
past a Hopf point the rounds open up around the now unstable resting state.
:func:`sim.plots.bifurcation.bifurcation_figure` draws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .batch import DEFAULT_DT, DEFAULT_STEPS, simulate_batch
from .continuation import Continuation, continuation
from .frozen import ReadOnlyArrays, frozen
from .interventions import Intervention
from .labelled import dataset, write_netcdf
from .limits import check_items
from .partners import Couple
from .presets import base_couple
from .sweep import resolve
from .sweep.populations import _PartnerCache

__all__ = ["BifurcationDiagram", "bifurcation_diagram"]

CHUNK = 64
"""Couples per batch while the closeness trajectories are kept (bounds the memory)."""


@dataclass(frozen=True, eq=False)
class BifurcationDiagram(ReadOnlyArrays):
    """Resting states and simulated rounds along one parameter.

    Attributes
    ----------
    continuation : the resting state followed along the parameter (:class:`sim.Continuation`)
    verdict : array (n,) of str, each couple's simulated verdict
    low, high : arrays (n,), the lowest and highest closeness of the late window of each run
    steps, dt : the runs
    """

    continuation: Continuation
    verdict: np.ndarray
    low: np.ndarray
    high: np.ndarray
    steps: int
    dt: float

    @property
    def param(self) -> str:
        return self.continuation.param

    @property
    def values(self) -> np.ndarray:
        return self.continuation.values

    @property
    def hopf(self) -> np.ndarray:
        return self.continuation.hopf

    @property
    def saddle_node(self) -> np.ndarray:
        return self.continuation.saddle_node

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter value: the parameter by name, ``rest_closeness``, ``stable``,
        ``max_real``, ``kind``, ``verdict``, ``low``, ``high``; ``attrs`` holds ``param``, ``hopf``
        and ``saddle_node``."""
        c = self.continuation
        frame = pd.DataFrame({self.param: self.values, "rest_closeness": c.closeness, "stable": c.stable,
                              "max_real": c.max_real, "kind": c.kind, "verdict": self.verdict,
                              "low": self.low, "high": self.high})
        frame.attrs.update(param=self.param, hopf=self.hopf.tolist(), saddle_node=self.saddle_node.tolist())
        return frame

    def to_xarray(self) -> Any:
        """The diagram as an :class:`xarray.Dataset` over the parameter (a dimension named like
        ``a.anxiety``); the Hopf and saddle-node points as the coordinates ``hopf`` and ``saddle_node``."""
        c = self.continuation
        dims = (self.param,)
        data = {"rest_closeness": (dims, c.closeness), "stable": (dims, c.stable), "max_real": (dims, c.max_real),
                "kind": (dims, c.kind.astype(str)), "verdict": (dims, self.verdict.astype(str)),
                "low": (dims, self.low), "high": (dims, self.high)}
        return dataset(data, {self.param: self.values, "hopf": self.hopf, "saddle_node": self.saddle_node},
                       base=c.base, interventions=c.interventions, param=self.param, steps=self.steps, dt=self.dt)

    def to_netcdf(self, path: str | Path) -> Path:
        """:meth:`to_xarray` written to a netCDF file (``.nc``) with its provenance."""
        return write_netcdf(self.to_xarray(), path)


def bifurcation_diagram(param: str = "a.anxiety", base: Couple | None = None, low: float = 0.0,
                        high: float = 1.0, n: int = 101, *, steps: int = 2 * DEFAULT_STEPS, dt: float = DEFAULT_DT,
                        interventions: Iterable[Intervention] = ()) -> BifurcationDiagram:
    """The bifurcation diagram of ``param`` over ``[low, high]`` (``n`` values) around ``base``
    (default the classic trap): the continuation's resting states and each couple's simulated
    rounds (``steps`` of ``dt`` days; the late window is the second half). See the module docstring."""
    base = base_couple(base)
    interventions = check_items(interventions, Intervention, "interventions")
    branch = continuation(param, base, low, high, n, interventions=interventions)
    ref = resolve(param)
    couples = _PartnerCache(base, (ref,)).build(branch.values[:, None])
    verdict = np.empty(len(couples), dtype=object)
    lowest = np.empty(len(couples))
    highest = np.empty(len(couples))
    for start in range(0, len(couples), CHUNK):
        part = couples[start:start + CHUNK]
        batch = simulate_batch(part, steps=steps, dt=dt, interventions=interventions, keep="trajectories")
        assert batch.trajectories is not None
        late = batch.trajectories["closeness"][:, steps // 2:]
        verdict[start:start + len(part)] = batch.verdict
        lowest[start:start + len(part)] = late.min(axis=1)
        highest[start:start + len(part)] = late.max(axis=1)
    return BifurcationDiagram(continuation=branch, verdict=frozen(verdict.astype(str)), low=frozen(lowest),
                              high=frozen(highest), steps=int(steps), dt=float(dt))
