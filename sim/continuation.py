"""Continuation: follow a couple's resting state along one parameter, and find where its stability changes.

:func:`continuation` follows the couple's resting state (:func:`sim.stability.pick` at the first
parameter value) along one parameter by natural-parameter continuation: at each next value,
Newton's method starts from the resting state at the previous one (:func:`sim.stability.follow`),
so it stays on the same branch. Along it, two kinds of point are found and refined by bisection:

- **Hopf**: the leading real part ``max Re(lambda)`` crosses 0 while the leading eigenvalues are a
  complex pair. Past it the rounds around the resting state grow: the dance begins (or ends);
- **saddle-node**: a real eigenvalue crosses 0 (the determinant of the Jacobian changes sign), or
  the branch folds: the resting state meets another one and both vanish, as when the fear at rest
  passes the tolerance and the stay root of the doubt meets the tipping root. Past a fold the
  continuation picks up the couple's resting state afresh, if there is one.

:func:`bifurcation_curves` does the same over two parameters, on a grid: the Hopf curve is the zero
contour of the leading real part where the crossing eigenvalue is complex; the saddle-node curve is
the zero contour of the determinant (a real eigenvalue crossing) together with the edge of the region
where a stay-branch resting state exists. The regime maps draw both (:mod:`sim.regime`).

Both use the analysis of :mod:`sim.stability` (the same resting states, Jacobian and rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .dynamics import N_STATE, STATE_NAMES, TIP
from .frozen import ReadOnlyArrays, frozen
from .interventions import Intervention
from .labelled import dataset
from .limits import check_count, check_items
from .partners import Couple
from .presets import base_couple
from .stability import KINDS, analyse, effective_param_arrays, follow, is_complex, linearise, stability_arrays
from .sweep import Grid, ParamRef, resolve, set_params

__all__ = ["BifurcationCurves", "Continuation", "bifurcation_curves", "bifurcation_lines", "continuation",
           "zero_contours"]

BISECTIONS = 48
"""Bisection steps that refine a Hopf or saddle-node point (the bracket shrinks 2^48-fold)."""
MAX_POINTS = 10_001
"""Most parameter values of one continuation."""



def _span(ref: ParamRef, low: Any, high: Any) -> tuple[float, float]:
    try:
        lo, hi = float(low), float(high)
    except (TypeError, ValueError):
        raise ValueError(f"low and high must be numbers, got {low!r} and {high!r}") from None
    if not ref.low <= lo < hi <= ref.high:
        raise ValueError(f"{ref.name}: low and high must lie in [{ref.low}, {ref.high}] with low < high, "
                         f"got {low!r} and {high!r}")
    return lo, hi


@dataclass(frozen=True, eq=False)
class Continuation(ReadOnlyArrays):
    """A couple's resting state followed along one parameter.

    Attributes
    ----------
    param : the parameter, e.g. "a.anxiety" (see :func:`sim.sweep.resolve`)
    values : array (n,), the parameter values (units of the parameter)
    states : array (n, 13), the resting state followed (NaN where there is none: a break-up)
    closeness : array (n,), its closeness
    max_real : array (n,), the leading real part of its eigenvalues (1/day; NaN where none)
    stable : bool array (n,), every real part < 0
    kind : array (n,) of str, as :attr:`sim.Stability.kind` ("break-up" where there is no stay state)
    hopf : array (h,), parameter values of the Hopf points, increasing
    saddle_node : array (s,), parameter values of the saddle-node points (folds), increasing
    base : the couple whose other parameters every point keeps; interventions : in force
    """

    param: str
    values: np.ndarray
    states: np.ndarray
    closeness: np.ndarray
    max_real: np.ndarray
    stable: np.ndarray
    kind: np.ndarray
    hopf: np.ndarray
    saddle_node: np.ndarray
    base: Couple
    interventions: tuple[Intervention, ...]

    def to_frame(self) -> pd.DataFrame:
        """Tidy table, one row per parameter value: the parameter by name (e.g. ``a.anxiety``),
        ``closeness``, ``max_real``, ``stable``, ``kind`` and every state entry (``m_a``, ...,
        ``D_b``); ``attrs`` holds ``param``, ``hopf`` and ``saddle_node`` (lists of parameter values)."""
        data: dict[str, Any] = {self.param: self.values, "closeness": self.closeness, "max_real": self.max_real,
                                "stable": self.stable, "kind": self.kind}
        data.update({name: self.states[:, k] for k, name in enumerate(STATE_NAMES) if name != "c"})
        frame = pd.DataFrame(data)
        frame.attrs.update(param=self.param, hopf=self.hopf.tolist(), saddle_node=self.saddle_node.tolist())
        return frame

    def to_xarray(self) -> Any:
        """An :class:`xarray.Dataset` over the parameter (a dimension named like ``a.anxiety``):
        ``closeness``, ``max_real``, ``stable``, ``kind`` and ``state`` (with a dimension ``entry``:
        ``c``, ``m_a``, ...); the Hopf and saddle-node points as coordinates."""
        dims = (self.param,)
        data = {"closeness": (dims, self.closeness), "max_real": (dims, self.max_real),
                "stable": (dims, self.stable), "kind": (dims, self.kind.astype(str)),
                "state": ((self.param, "entry"), self.states)}
        return dataset(data, {self.param: self.values, "entry": list(STATE_NAMES), "hopf": self.hopf,
                              "saddle_node": self.saddle_node},
                       base=self.base, interventions=self.interventions, param=self.param)


class _Branch:
    """The parameters of the couple at any value of one parameter, and Newton on its resting states."""

    def __init__(self, ref: ParamRef, base: Couple, interventions: tuple[Intervention, ...]) -> None:
        self.ref, self.base, self.interventions = ref, base, interventions

    def params(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """pa, pb (n, P), delta, ceiling (n,) at the given values."""
        couples = (Grid({self.ref.name: values}, self.base).couples(0, values.size) if values.size > 1
                   else [set_params(self.base, {self.ref.name: float(values[0])})])
        p = effective_param_arrays(couples, self.interventions)
        return (p[:, 0], p[:, 1], np.array([c.fading for c in couples]), np.array([c.fear_ceiling for c in couples]))

    def follow(self, state: np.ndarray, value: float) -> tuple[np.ndarray, dict[str, np.ndarray]] | None:
        """The stay-branch resting state at ``value`` that Newton reaches from ``state``, with its
        linearisation; None if Newton fails or leaves the stay branch (the branch has folded)."""
        pa, pb, dl, ce = self.params(np.array([value]))
        x, ok = follow(state[None], pa, pb, dl, ce)
        if not ok[0] or np.max(x[0, 11:13]) >= 0.5 * TIP:
            return None
        return x[0], linearise(x, pa, pb, dl, ce)


def _bisect_sign(branch: _Branch, lo: float, hi: float, x_lo: np.ndarray, key: str,
                 negative_lo: bool) -> tuple[float, complex]:
    """Refine where ``key`` ("max_real" or "det") changes sign between lo and hi, following the
    branch from ``x_lo`` at lo (where ``key < 0`` is ``negative_lo``).

    Returns the point and the leading eigenvalue at the last evaluation on the side where the
    leading real part is larger (the eigenvalue that crossed).
    """
    leads: dict[bool, complex] = {}
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        got = branch.follow(x_lo, mid)
        if got is None:  # the branch ends inside the bracket
            hi = mid
            continue
        x, lin = got
        value = lin["eigenvalues"][0, 0].real if key == "max_real" else lin["det"][0]
        side = bool(value < 0.0) == negative_lo
        leads[side] = complex(lin["eigenvalues"][0, 0])
        if side:
            lo, x_lo = mid, x
        else:
            hi = mid
    lead = max(leads.values(), key=lambda z: z.real) if leads else 0j
    return 0.5 * (lo + hi), lead


def _bisect_fold(branch: _Branch, here: float, there: float, x_here: np.ndarray) -> float:
    """Refine where the branch followed from ``x_here`` at ``here`` stops existing, toward ``there``."""
    for _ in range(BISECTIONS):
        mid = 0.5 * (here + there)
        got = branch.follow(x_here, mid)
        if got is None:
            there = mid
        else:
            here, x_here = mid, got[0]
    return 0.5 * (here + there)


def continuation(param: str = "a.anxiety", base: Couple | None = None, low: float = 0.0, high: float = 1.0,
                 n: int = 201, interventions: Iterable[Intervention] = ()) -> Continuation:
    """Follow the couple's resting state along one parameter; find its Hopf and saddle-node points.

    Parameters
    ----------
    param : the parameter to vary, see :func:`sim.sweep.resolve` ("a.anxiety", "b.alarm_lag",
        "both.avoidance", "fading", ...)
    base : the couple whose other parameters every point keeps (default: the classic trap,
        ``sim.PRESETS["anxious-avoidant"]``)
    low, high : the range of the parameter (within its declared range), low < high
    n : number of parameter values, evenly spaced (2 .. 10,001)
    interventions : in force, coaching fully learned (as in :func:`sim.stability`)

    Returns
    -------
    Continuation, with arrays of shape (n,) and the Hopf and saddle-node points, each refined by
    bisection to about ``(high - low) / n / 2^48``.
    """
    ref = resolve(param)
    base = base_couple(base)
    lo, hi = _span(ref, low, high)
    n = check_count("n", n, 2, MAX_POINTS)
    interventions = check_items(interventions, Intervention, "interventions")
    branch = _Branch(ref, base, interventions)
    values = np.linspace(lo, hi, n)
    pa, pb, dl, ce = branch.params(values)
    states = np.full((n, N_STATE), np.nan)
    max_real = np.full(n, np.nan)
    det = np.full(n, np.nan)
    stable = np.zeros(n, dtype=bool)
    kind = np.full(n, "break-up", dtype=f"<U{max(map(len, KINDS))}")
    hopf: list[float] = []
    saddle: list[float] = []
    for i in range(n):
        got = branch.follow(states[i - 1], values[i]) if i and np.isfinite(states[i - 1, 0]) else None
        if got is None:  # start, or the branch has folded: the couple's resting state afresh
            res = analyse(pa[i:i + 1], pb[i:i + 1], dl[i:i + 1], ce[i:i + 1], stay_only=True)
            k = int(res["pick"][0])
            if k >= 0:
                x = res["states"][0, k]
                got = x, linearise(x[None], pa[i:i + 1], pb[i:i + 1], dl[i:i + 1], ce[i:i + 1])
            if i and np.isfinite(states[i - 1, 0]):
                saddle.append(_bisect_fold(branch, values[i - 1], values[i], states[i - 1]))
            elif i and got is not None:
                saddle.append(_bisect_fold(branch, values[i], values[i - 1], got[0]))
            jumped = True
        else:
            jumped = False
        if got is None:
            continue
        x, lin = got
        states[i], max_real[i], det[i] = x, lin["eigenvalues"][0, 0].real, lin["det"][0]
        stable[i], kind[i] = bool(lin["stable"][0]), KINDS[int(lin["kind"][0])]
        if jumped or not i or not np.isfinite(max_real[i - 1]):
            continue
        if (max_real[i - 1] < 0.0) != (max_real[i] < 0.0):
            point, lead = _bisect_sign(branch, values[i - 1], values[i], states[i - 1], "max_real",
                                       bool(max_real[i - 1] < 0.0))
            (hopf if is_complex(lead) else saddle).append(point)
        elif (det[i - 1] < 0.0) != (det[i] < 0.0):
            saddle.append(_bisect_sign(branch, values[i - 1], values[i], states[i - 1], "det",
                                       bool(det[i - 1] < 0.0))[0])
    return Continuation(
        param=ref.name, values=frozen(values), states=frozen(states), closeness=frozen(states[:, 0]),
        max_real=frozen(max_real), stable=frozen(stable), kind=frozen(kind), hopf=frozen(sorted(hopf)),
        saddle_node=frozen(sorted(saddle)), base=base, interventions=interventions)


# ------------------------------------------------------------------------------------------------
# Two parameters: the boundary curves
# ------------------------------------------------------------------------------------------------


def zero_contours(x: np.ndarray, y: np.ndarray, field: np.ndarray) -> tuple[np.ndarray, ...]:
    """Zero contour of a field on a grid, as polylines; NaN cells are left out.

    Parameters
    ----------
    x : array (nx,); y : array (ny,), increasing grid values; field : array (ny, nx)

    Returns
    -------
    tuple of read-only arrays (k, 2) of (x, y) points, linearly interpolated between grid points.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size < 2 or y.size < 2:
        return ()
    import contourpy

    z = np.ma.masked_invalid(np.asarray(field, dtype=float))
    gen = contourpy.contour_generator(x, y, z, line_type=contourpy.LineType.Separate)
    return tuple(frozen(np.asarray(line, dtype=float)) for line in gen.lines(0.0) if len(line) > 1)


def _runs(line: np.ndarray, keep: np.ndarray) -> list[np.ndarray]:
    """The pieces of a polyline (k, 2) where ``keep`` (k,) holds, each with at least two points."""
    out = []
    edges = np.flatnonzero(np.diff(np.r_[0, keep.astype(int), 0]))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if stop - start > 1:
            out.append(frozen(line[start:stop]))
    return out


def _cells(x: np.ndarray, y: np.ndarray, line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower-left grid indices (i, j) of the cell each point of ``line`` lies in."""
    i = np.clip(np.searchsorted(x, line[:, 0], side="right") - 1, 0, x.size - 2)
    j = np.clip(np.searchsorted(y, line[:, 1], side="right") - 1, 0, y.size - 2)
    return i, j


def bifurcation_lines(x: np.ndarray, y: np.ndarray, max_real: np.ndarray, lead_complex: np.ndarray,
                      det: np.ndarray) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """The Hopf and saddle-node curves on a grid of analysed couples.

    Parameters
    ----------
    x : array (nx,); y : array (ny,), increasing grid values
    max_real, lead_complex, det : arrays (ny, nx) from :func:`sim.stability.stability_arrays`
        (NaN where no stay-branch resting state exists)

    Returns
    -------
    (hopf, saddle_node): tuples of polylines (k, 2) of (x, y) points. Hopf: the zero contour of
    ``max_real`` where, at the grid point beside it with the smallest positive ``max_real``, the
    leading eigenvalue is complex. Saddle-node: the zero contour of the determinant and the edge
    of the region where a stay state exists (half-way between grid points).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    max_real = np.asarray(max_real, dtype=float)
    if x.size < 2 or y.size < 2:
        return (), ()
    positive = np.where(max_real > 0.0, max_real, np.inf)
    hopf: list[np.ndarray] = []
    for line in zero_contours(x, y, max_real):
        i, j = _cells(x, y, line)
        corners = [(j, i), (j, i + 1), (j + 1, i), (j + 1, i + 1)]
        best = np.argmin(np.stack([positive[c] for c in corners]), axis=0)
        rows = np.choose(best, [c[0] for c in corners])
        cols = np.choose(best, [c[1] for c in corners])
        hopf += _runs(line, np.asarray(lead_complex)[rows, cols])
    saddle = list(zero_contours(x, y, det))
    exists = np.where(np.isfinite(max_real), -1.0, 1.0)
    saddle += list(zero_contours(x, y, exists))
    return tuple(hopf), tuple(saddle)


@dataclass(frozen=True, eq=False)
class BifurcationCurves(ReadOnlyArrays):
    """The Hopf and saddle-node curves of a couple's resting state over two parameters.

    Grid arrays have shape (ny, nx): entry ``[j, i]`` is the couple with ``x[i]`` and ``y[j]``.

    Attributes
    ----------
    x_name, y_name : the parameters; x : array (nx,); y : array (ny,), their values
    max_real : array (ny, nx), leading real part at the resting state (1/day; NaN: no stay state)
    lead_complex : bool array (ny, nx), the leading eigenvalue is complex
    det : array (ny, nx), determinant of the Jacobian there
    hopf, saddle_node : tuples of arrays (k, 2), the curves as polylines of (x, y) points
    base : the base couple; interventions : in force
    """

    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    max_real: np.ndarray
    lead_complex: np.ndarray
    det: np.ndarray
    hopf: tuple[np.ndarray, ...]
    saddle_node: tuple[np.ndarray, ...]
    base: Couple
    interventions: tuple[Intervention, ...]

    def to_frame(self) -> pd.DataFrame:
        """Tidy table, one row per grid point (x fastest): the two parameters by name, ``max_real``,
        ``lead_complex``, ``det``; ``attrs["x"]``, ``attrs["y"]`` say which parameter is which."""
        xx, yy = np.meshgrid(self.x, self.y)
        frame = pd.DataFrame({self.x_name: xx.ravel(), self.y_name: yy.ravel(), "max_real": self.max_real.ravel(),
                              "lead_complex": self.lead_complex.ravel(), "det": self.det.ravel()})
        frame.attrs.update(x=self.x_name, y=self.y_name)
        return frame

    def to_xarray(self) -> Any:
        """An :class:`xarray.Dataset` over the two parameters (dimensions named like ``b.avoidance``,
        ``a.anxiety``): ``max_real``, ``lead_complex``, ``det`` (the curves are in :attr:`hopf` and
        :attr:`saddle_node`)."""
        dims = (self.y_name, self.x_name)
        data = {"max_real": (dims, self.max_real), "lead_complex": (dims, self.lead_complex), "det": (dims, self.det)}
        return dataset(data, {self.y_name: self.y, self.x_name: self.x}, base=self.base,
                       interventions=self.interventions, x=self.x_name, y=self.y_name)


def _axis(ref: ParamRef, count: Any, span: Sequence[float] | None) -> np.ndarray:
    count = check_count("grid size", count, 2, 2000)
    low, high = (ref.low, ref.high) if span is None else _span(ref, span[0], span[1])
    return np.linspace(low, high, count)


def bifurcation_curves(x: str = "a.anxiety", y: str = "b.avoidance", *, base: Couple | None = None,
                       n: int | tuple[int, int] = 41, x_range: Sequence[float] | None = None,
                       y_range: Sequence[float] | None = None,
                       interventions: Iterable[Intervention] = ()) -> BifurcationCurves:
    """The Hopf and saddle-node boundary curves over two parameters (analysis only, no simulation).

    Parameters
    ----------
    x, y : parameter names, see :func:`sim.sweep.resolve`; they must set different parameters
    base : the couple whose other parameters every grid point keeps (default: the classic trap)
    n : grid points per axis, or (nx, ny), each 2 .. 2,000
    x_range, y_range : (low, high) within the parameter's range; default its whole range
    interventions : in force, coaching fully learned

    Returns
    -------
    BifurcationCurves, see :func:`bifurcation_lines` for how the curves are found.
    """
    base = base_couple(base)
    rx, ry = resolve(x), resolve(y)
    if rx.overlaps(ry):
        raise ValueError(f"x and y must set different parameters, got {x!r} and {y!r}")
    nx, ny = n if isinstance(n, tuple | list) and len(n) == 2 else (n, n)
    xs, ys = _axis(rx, nx, x_range), _axis(ry, ny, y_range)
    interventions = check_items(interventions, Intervention, "interventions")
    grid = Grid({ry.name: ys, rx.name: xs}, base)
    couples = grid.couples(0, len(grid))
    p = effective_param_arrays(couples, interventions)
    res = stability_arrays(p[:, 0], p[:, 1], np.array([c.fading for c in couples]),
                           np.array([c.fear_ceiling for c in couples]))
    shape = (ys.size, xs.size)
    max_real, lead, det = (res[k].reshape(shape) for k in ("max_real", "lead_complex", "det"))
    hopf, saddle = bifurcation_lines(xs, ys, max_real, lead, det)
    return BifurcationCurves(x_name=rx.name, y_name=ry.name, x=frozen(xs), y=frozen(ys),
                             max_real=frozen(max_real), lead_complex=frozen(lead), det=frozen(det),
                             hopf=hopf, saddle_node=saddle, base=base, interventions=interventions)
