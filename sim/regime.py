"""Regime maps: where couples settle, cycle or escalate across two parameters, with the analytic boundary.

:func:`regime_map` runs a grid of couples that differ from a base couple in two parameters
(by default partner A's anxiety and partner B's avoidance around the classic trap) through the
batch engine, and analyses every grid point's resting state with the one analysis of
:mod:`sim.stability` (:func:`sim.stability.stability_arrays`: the same resting states and the same
rule for the couple's own as :func:`sim.stability`): the leading eigenvalue's real part
``max_real`` is negative where the resting state is stable. Its zero contour is the analytic
stability boundary; :func:`sim.continuation.bifurcation_lines` splits it into the Hopf curve (the
rounds start to grow) and the saddle-node curve (a resting state appears or vanishes, as where the
stay root of the doubt is lost and the couple breaks up). Simulation and analysis should agree
that a couple settles exactly where its resting state is stable: :attr:`RegimeMap.agreement` says
how often they do over the whole map, :attr:`RegimeMap.agreement_near` next to the boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .batch import DEFAULT_DT, DEFAULT_STEPS
from .continuation import bifurcation_lines, zero_contours
from .events import Event
from .frozen import FrozenMap, ReadOnlyArrays
from .interventions import Intervention
from .labelled import dataset, write_netcdf
from .limits import check_items
from .partners import Couple
from .presets import base_couple
from .stability import effective_param_arrays, stability_arrays
from .sweep import DEFAULT_CHUNK, Grid, ParamRef, iter_sweep, resolve
from .verdict import VERDICTS

__all__ = ["RegimeMap", "boundary_lines", "next_to_boundary", "regime_map"]

DEFAULT_N = 41
"""Grid points per axis of a bare ``regime_map()``."""


@dataclass(frozen=True, eq=False)
class RegimeMap(ReadOnlyArrays):
    """A simulated regime map with its analytic stability boundary.

    Grid arrays have shape (ny, nx): entry ``[j, i]`` is the couple with ``x[i]`` and ``y[j]``.

    Attributes
    ----------
    x_name, y_name : the swept parameters, e.g. "a.anxiety", "b.avoidance"
    x : array (nx,); y : array (ny,), the grid values (units of the parameters)
    verdict : array (ny, nx) of str, the simulated verdict
    metrics : read-only mapping name -> array (ny, nx), as in :class:`sim.BatchResult`
    max_real : array (ny, nx), leading real part of the eigenvalues at the couple's resting state
        (1/day); NaN where no stay-branch resting state exists (the couple breaks up)
    stable, unique : bool arrays (ny, nx): the resting state is stable; it is the only stay state
    rest_closeness : array (ny, nx), closeness at the analysed resting state
    kind : array (ny, nx) of str, the kind of that resting state (as :attr:`sim.Stability.kind`)
    boundary : tuple of arrays (k, 2), polylines (x, y) of the analytic stability boundary (the
        zero contour of :meth:`margin`)
    hopf, saddle_node : tuples of arrays (k, 2), the Hopf and saddle-node curves
        (:func:`sim.continuation.bifurcation_lines`); together they make up the boundary
    agreement : share (0..1) of all grid points where simulation and analysis agree
        (``verdict == "settles"`` exactly where ``stable``); NaN without analysis
    agreement_near : the same share over the grid points next to the boundary (see
        :attr:`near_boundary`); NaN without analysis or without such points
    base : the base couple; steps, dt : the run; interventions : applied to every couple
    analysed : False when the map was made with ``analytic=False`` (analytic arrays all NaN/False)
    """

    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    verdict: np.ndarray
    metrics: FrozenMap[np.ndarray]
    max_real: np.ndarray
    stable: np.ndarray
    unique: np.ndarray
    rest_closeness: np.ndarray
    kind: np.ndarray
    boundary: tuple[np.ndarray, ...]
    hopf: tuple[np.ndarray, ...]
    saddle_node: tuple[np.ndarray, ...]
    agreement: float
    agreement_near: float
    base: Couple
    steps: int
    dt: float
    interventions: tuple[Intervention, ...]
    analysed: bool = True

    @property
    def shape(self) -> tuple[int, int]:
        """(ny, nx)."""
        return (self.y.size, self.x.size)

    @property
    def x_param(self) -> ParamRef:
        """The x parameter (range, unit and labels)."""
        return resolve(self.x_name)

    @property
    def y_param(self) -> ParamRef:
        """The y parameter (range, unit and labels)."""
        return resolve(self.y_name)

    @property
    def agree(self) -> np.ndarray:
        """Bool array (ny, nx): simulation and analysis agree (``verdict == "settles"`` iff ``stable``)."""
        return (self.verdict == "settles") == self.stable

    @property
    def several(self) -> np.ndarray:
        """Bool array (ny, nx): more than one stay-branch resting state (the analysis follows one)."""
        return self.analysed & ~self.unique & np.isfinite(self.max_real)

    @property
    def near_boundary(self) -> np.ndarray:
        """Bool array (ny, nx): grid points next to the boundary, where the analysis says stable at
        the point and unstable at one of its (up to eight) neighbours, or the other way round."""
        return next_to_boundary(self.stable) if self.analysed else np.zeros(self.shape, dtype=bool)

    @property
    def table(self) -> pd.DataFrame:
        """The tidy table of :meth:`to_frame`."""
        return self.to_frame()

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per grid point (x varies fastest).

        Columns: the two parameters by name (e.g. ``a.anxiety``, ``b.avoidance``, as everywhere:
        ``attrs["x"]`` and ``attrs["y"]`` say which is which), ``verdict``, every metric,
        ``max_real``, ``stable``, ``unique``, ``rest_closeness``, ``kind``, ``agree`` and
        ``near_boundary``.
        """
        xx, yy = np.meshgrid(self.x, self.y)
        data: dict[str, Any] = {self.x_name: xx.ravel(), self.y_name: yy.ravel(), "verdict": self.verdict.ravel()}
        data.update({k: v.ravel() for k, v in self.metrics.items()})
        data.update(max_real=self.max_real.ravel(), stable=self.stable.ravel(),
                    unique=self.unique.ravel(), rest_closeness=self.rest_closeness.ravel(),
                    kind=self.kind.ravel(), agree=self.agree.ravel(), near_boundary=self.near_boundary.ravel())
        frame = pd.DataFrame(data)
        frame.attrs.update(x=self.x_name, y=self.y_name)
        return frame

    def to_xarray(self) -> Any:
        """The map as an :class:`xarray.Dataset` over the two parameters (dimensions named like
        ``b.avoidance``, ``a.anxiety``): the arrays of :meth:`to_frame`; the run, the agreement and
        the provenance as attributes (:mod:`sim.labelled`)."""
        dims = (self.y_name, self.x_name)
        data: dict[str, Any] = {"verdict": (dims, self.verdict.astype(str))}
        for name, values in [*self.metrics.items(), *((n, getattr(self, n)) for n in (
                "max_real", "stable", "unique", "rest_closeness", "kind", "agree", "near_boundary"))]:
            values = np.asarray(values)
            data[name] = (dims, values.astype(str) if values.dtype.kind in "OU" else values)
        return dataset(data, {self.y_name: self.y, self.x_name: self.x}, base=self.base,
                       interventions=self.interventions, x=self.x_name, y=self.y_name, steps=self.steps,
                       dt=self.dt, agreement=self.agreement, agreement_near=self.agreement_near,
                       analysed=int(self.analysed))

    def to_netcdf(self, path: str | Path) -> Path:
        """:meth:`to_xarray` written to a netCDF file (``.nc``) with its provenance."""
        return write_netcdf(self.to_xarray(), path)

    def shares(self) -> dict[str, float]:
        """Share of grid points per simulated verdict (0..1)."""
        return {v: float(np.mean(self.verdict == v)) for v in VERDICTS}

    def margin(self) -> np.ndarray:
        """The field whose zero contour is :attr:`boundary`, shape (ny, nx).

        ``max_real`` where a stay-branch resting state exists; elsewhere (none: the couple breaks
        up, it cannot settle) a positive value, so that the contour also closes off the break-up
        region.
        """
        return _margin(self.max_real)


def _margin(max_real: np.ndarray) -> np.ndarray:
    finite = np.isfinite(max_real)
    fill = float(np.max(np.abs(max_real[finite]))) if finite.any() else 1.0
    return np.where(finite, max_real, max(fill, 1e-6))


def boundary_lines(x: np.ndarray, y: np.ndarray, max_real: np.ndarray) -> tuple[np.ndarray, ...]:
    """Zero contour of the leading real part on a grid: the analytic stability boundary.

    Parameters
    ----------
    x : array (nx,); y : array (ny,), increasing grid values
    max_real : array (ny, nx), NaN where no stay-branch resting state exists (treated as unstable)

    Returns
    -------
    tuple of arrays (k, 2), each a polyline of (x, y) points, linearly interpolated between grid
    points (accurate to a fraction of a grid cell where ``max_real`` is smooth).
    """
    return zero_contours(x, y, _margin(np.asarray(max_real, dtype=float)))


def next_to_boundary(stable: np.ndarray) -> np.ndarray:
    """Grid points (ny, nx) whose stability differs from that of one of their up to eight neighbours."""
    stable = np.asarray(stable, dtype=bool)
    padded = np.pad(stable, 1, mode="edge")
    ny, nx = stable.shape
    out = np.zeros(stable.shape, dtype=bool)
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            out |= padded[1 + dj:1 + dj + ny, 1 + di:1 + di + nx] != stable
    return out


def _axis(ref: ParamRef, count: int, span: Sequence[float] | None) -> np.ndarray:
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or not 1 <= count <= 2000:
        raise ValueError(f"grid size must be a whole number in [1, 2000], got {count!r}")
    low, high = (ref.low, ref.high) if span is None else (float(span[0]), float(span[1]))
    if not ref.low <= low <= high <= ref.high:
        raise ValueError(f"{ref.name} range must lie in [{ref.low}, {ref.high}] with low <= high, got {span!r}")
    return np.linspace(low, high, int(count))


def regime_map(x: str = "a.anxiety", y: str = "b.avoidance", *, base: Couple | None = None,
               n: int | tuple[int, int] = DEFAULT_N, x_range: Sequence[float] | None = None,
               y_range: Sequence[float] | None = None, steps: int = DEFAULT_STEPS, dt: float = DEFAULT_DT,
               seed: int = 0, events: Iterable[Event] = (), interventions: Iterable[Intervention] = (),
               random_events: float = 0.0, backend: str | None = None, analytic: bool = True,
               chunk_size: int = DEFAULT_CHUNK) -> RegimeMap:
    """Sweep two parameters around a base couple: simulated verdicts and the analytic boundary.

    ``sim.regime_map()`` maps partner A's anxiety against partner B's avoidance around the
    classic trap (``sim.PRESETS["anxious-avoidant"]``), 41 x 41 couples of 2,000 steps.

    Parameters
    ----------
    x, y : parameter names, see :func:`sim.sweep.resolve` ("a.anxiety", "b.alarm_lag",
        "both.avoidance", "fading", ...)
    base : the couple whose other parameters every grid point keeps
    n : grid points per axis, or (nx, ny)
    x_range, y_range : (low, high) within the parameter's range; default its whole range
    steps, dt, seed, events, interventions, random_events, backend : as in :func:`sim.simulate_batch`
        (run in summary mode, ``chunk_size`` couples per call)
    analytic : also analyse every grid point's resting state (the boundary and the agreement)

    Returns
    -------
    RegimeMap, with arrays of shape (ny, nx) and a tidy table from ``to_frame()``.

    Notes
    -----
    Interventions enter the analysis as in :func:`sim.stability`: all in force, coaching fully
    learned; events only in the simulation (they are transient). The analysis searches the stay
    branch only (:func:`sim.stability.stability_arrays`): it is where the couple's resting state lies.
    """
    base = base_couple(base)
    rx, ry = resolve(x), resolve(y)
    if rx.overlaps(ry):
        raise ValueError(f"x and y must set different parameters, got {x!r} and {y!r}")
    if isinstance(n, tuple | list):
        if len(n) != 2:
            raise ValueError(f"n must be a whole number or a pair (nx, ny), got {n!r}")
        nx, ny = n
    else:
        nx = ny = n
    xs = _axis(rx, nx, x_range)
    ys = _axis(ry, ny, y_range)
    interventions = check_items(interventions, Intervention, "interventions")
    grid = Grid({ry.name: ys, rx.name: xs}, base)
    size = len(grid)
    verdict = np.empty(size, dtype=f"<U{max(len(v) for v in VERDICTS)}")
    metrics: dict[str, np.ndarray] = {}
    found = {"max_real": np.full(size, np.nan), "stable": np.zeros(size, dtype=bool),
             "unique": np.zeros(size, dtype=bool), "closeness": np.full(size, np.nan),
             "kind": np.full(size, "", dtype="<U15"), "lead_complex": np.zeros(size, dtype=bool),
             "det": np.full(size, np.nan)}

    def analyse(couples: tuple[Couple, ...]) -> dict[str, np.ndarray]:
        p = effective_param_arrays(couples, interventions)
        res = stability_arrays(p[:, 0], p[:, 1], np.array([c.fading for c in couples]),
                               np.array([c.fear_ceiling for c in couples]))
        return {name: res[name] for name in found}

    for chunk in iter_sweep(grid, chunk_size=chunk_size, steps=steps, dt=dt, seed=seed, events=events,
                            interventions=interventions, random_events=random_events, backend=backend,
                            analyse=analyse if analytic else None):
        start, stop = chunk.start, chunk.stop
        verdict[start:stop] = chunk.verdict
        for k, v in chunk.metrics.items():
            kind_of = np.asarray(v).dtype
            metrics.setdefault(k, np.empty(size, dtype="<U32" if kind_of.kind == "U" else kind_of))[start:stop] = v
        for name, values in chunk.analysis.items():
            found[name][start:stop] = values
    max_real, stable, unique, rest = found["max_real"], found["stable"], found["unique"], found["closeness"]
    kind, lead_complex, det = found["kind"], found["lead_complex"], found["det"]
    shape = (ys.size, xs.size)
    grids = FrozenMap(dict(verdict=verdict.reshape(shape), max_real=max_real.reshape(shape),
                               stable=stable.reshape(shape), unique=unique.reshape(shape),
                               rest=rest.reshape(shape), kind=kind.reshape(shape), x=xs, y=ys))
    agree = (grids["verdict"] == "settles") == grids["stable"]
    near = next_to_boundary(grids["stable"])
    hopf, saddle = (bifurcation_lines(xs, ys, grids["max_real"], lead_complex.reshape(shape), det.reshape(shape))
                    if analytic else ((), ()))
    return RegimeMap(
        x_name=rx.name, y_name=ry.name, x=grids["x"], y=grids["y"], verdict=grids["verdict"],
        metrics=FrozenMap({k: v.reshape(shape) for k, v in metrics.items()}),
        max_real=grids["max_real"], stable=grids["stable"],
        unique=grids["unique"], rest_closeness=grids["rest"], kind=grids["kind"],
        boundary=boundary_lines(xs, ys, grids["max_real"]) if analytic else (), hopf=hopf, saddle_node=saddle,
        agreement=float(agree.mean()) if analytic else float("nan"),
        agreement_near=float(agree[near].mean()) if analytic and near.any() else float("nan"),
        base=base, steps=int(steps), dt=float(dt), interventions=interventions, analysed=bool(analytic),
    )
