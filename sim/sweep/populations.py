"""Populations: small, picklable descriptions of many couples that build them on demand."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from ..frozen import FrozenMap
from ..partners import PARTNER_SCORES, Couple, Partner
from ..presets import CLASSIC, PRESETS
from .params import ParamRef, _check_values, resolve


@runtime_checkable
class Population(Protocol):
    """What a sweep needs: a size, and couples (and their swept values) for a range of indices."""

    def __len__(self) -> int: ...

    def couples(self, start: int, stop: int) -> list[Couple]: ...

    def values(self, start: int, stop: int) -> dict[str, np.ndarray]: ...


def _default_base() -> Couple:
    return PRESETS[CLASSIC]


class _PartnerCache:
    """Builds couples from per-point parameter values, reusing partners that repeat."""

    def __init__(self, base: Couple, refs: Sequence[ParamRef]) -> None:
        self.base = base
        self.base_fields = {f.name: getattr(base, f.name) for f in fields(Couple)}
        self.partner_fields = [{f.name: getattr(p, f.name) for f in fields(Partner)} for p in (base.a, base.b)]
        self.refs = tuple(refs)
        self.cache: list[dict[tuple[float, ...], Partner]] = [{}, {}]
        self.own = [[k for k, r in enumerate(self.refs) if i in r.partners()] for i in (0, 1)]
        self.couple_refs = [k for k, r in enumerate(self.refs) if r.who is None]

    def partner(self, i: int, key: tuple[float, ...]) -> Partner:
        """Partner i (0: a, 1: b) with the values ``key`` of its own parameters (in ``own[i]`` order)."""
        partner = self.base.b if i else self.base.a
        if not key:
            return partner
        found = self.cache[i].get(key)
        if found is None:
            if len(self.cache[i]) > 100_000:
                self.cache[i].clear()
            changed = {self.refs[k].field: v for k, v in zip(self.own[i], key, strict=True)}
            found = Partner.from_checked({**self.partner_fields[i], **changed})
            self.cache[i][key] = found
        return found

    def build(self, table: np.ndarray) -> list[Couple]:
        """Couples for the rows of ``table`` (k, n_params), columns in the order of ``refs``.

        Each distinct partner is built (and checked) once; the swept values have been checked
        against their ranges, so the couples are assembled without checking again
        (:meth:`Couple.from_checked`): a 200 x 200 map has 40,000 couples but 400 partners.
        """
        n = table.shape[0]
        sides = []
        for i in (0, 1):
            own = self.own[i]
            if not own:
                sides.append([self.partner(i, ())] * n)
                continue
            keys, inverse = np.unique(table[:, own], axis=0, return_inverse=True)
            made = [self.partner(i, tuple(key)) for key in keys.tolist()]
            sides.append([made[j] for j in inverse.ravel().tolist()])
        columns = [(self.refs[k].field, table[:, k].tolist()) for k in self.couple_refs]
        out = []
        for r in range(n):
            values = {**self.base_fields, "a": sides[0][r], "b": sides[1][r]}
            for name, column in columns:
                values[name] = column[r]
            out.append(Couple.from_checked(values))
        return out


def _check_refs(names: Iterable[str]) -> tuple[ParamRef, ...]:
    refs = tuple(resolve(n) for n in names)
    for i, r in enumerate(refs):
        for other in refs[:i]:
            if r.overlaps(other):
                raise ValueError(f"parameters {other.name!r} and {r.name!r} set the same thing")
    return refs


def _check_span(start: int, stop: int, size: int) -> None:
    if not 0 <= start <= stop <= size:
        raise ValueError(f"index range [{start}, {stop}) outside the population of {size}")


@dataclass(frozen=True, eq=False)
class Grid:
    """Every combination of some parameter values, around a base couple.

    ``Grid({"b.avoidance": ys, "a.anxiety": xs})`` holds ``len(ys) * len(xs)`` couples in C order:
    the last axis varies fastest, so couple ``j * len(xs) + i`` has ``b.avoidance = ys[j]`` and
    ``a.anxiety = xs[i]``.

    Attributes
    ----------
    axes : read-only mapping name -> values (read-only float array)
    base : the couple whose other parameters every grid point keeps (default: the classic trap)
    """

    axes: Mapping[str, Any]
    base: Couple = field(default_factory=_default_base)

    def __post_init__(self) -> None:
        if not isinstance(self.base, Couple):
            raise ValueError(f"base must be a sim.Couple, got {self.base!r}")
        if not self.axes:
            raise ValueError("a grid needs at least one axis")
        refs = _check_refs(self.axes)
        axes = {r.name: _check_values(r, self.axes[r.name]) for r in refs}
        object.__setattr__(self, "axes", FrozenMap(axes))

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values on each axis."""
        return tuple(v.size for v in self.axes.values())

    def __len__(self) -> int:
        return math.prod(self.shape)

    def values(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """The swept values of couples ``start .. stop - 1``: name -> array (stop - start,)."""
        _check_span(start, stop, len(self))
        index = np.unravel_index(np.arange(start, stop), self.shape)
        return {name: vals[i] for (name, vals), i in zip(self.axes.items(), index, strict=True)}

    def couples(self, start: int, stop: int) -> list[Couple]:
        """Couples ``start .. stop - 1`` of the grid."""
        table = np.column_stack(list(self.values(start, stop).values()))
        return _PartnerCache(self.base, _check_refs(self.axes)).build(table)


    def to_xarray(self, table: pd.DataFrame) -> Any:
        """A sweep's table of this grid (e.g. ``pd.concat(c.to_frame() for c in iter_sweep(grid))``)
        as an :class:`xarray.Dataset` with one dimension per axis, named like the parameters; every
        other column of the table becomes a data variable."""
        import xarray

        if not isinstance(table, pd.DataFrame) or len(table) != len(self):
            raise ValueError(f"the table must be a DataFrame of this grid's {len(self)} rows")
        rows = table.sort_values("index") if "index" in table.columns else table
        names = list(self.axes)
        shape = self.shape
        data = {}
        for column in rows.columns:
            if column in names or column == "index":
                continue
            values = rows[column].to_numpy()
            data[column] = (names, (values.astype(str) if values.dtype.kind == "O" else values).reshape(shape))
        return xarray.Dataset(data, coords={name: np.asarray(v) for name, v in self.axes.items()})


@dataclass(frozen=True, eq=False)
class RandomCouples:
    """``n`` couples with parameters drawn from ranges, around a base couple.

    ``draws`` says how the points spread over the ranges:

    - ``"uniform"`` (default): independent uniform draws, in blocks of ``BLOCK`` couples, block k
      from ``np.random.default_rng([seed, k])``;
    - ``"sobol"``: a scrambled Sobol sequence (``scipy.stats.qmc``), quasi-random points that fill
      the ranges evenly, so shares and means converge faster than with independent draws (best
      with ``n`` a power of two);
    - ``"latin"``: Latin hypercubes, one per block of ``BLOCK`` couples (the last one smaller):
      within a block every parameter's range is cut into as many slices as couples and each slice
      holds one couple.

    Couple i is the same however a sweep is chunked or distributed.

    Attributes
    ----------
    n : number of couples
    ranges : read-only mapping name -> (low, high); default: both partners' anxiety and avoidance
        over their whole ranges
    base : the couple whose other parameters every couple keeps (default: the classic trap)
    seed : seed of the draws
    draws : "uniform", "sobol" or "latin" (see above)
    """

    n: int
    ranges: Mapping[str, tuple[float, float]] | None = None
    base: Couple = field(default_factory=_default_base)
    seed: int = 0
    draws: str = "uniform"

    BLOCK: ClassVar[int] = 4096
    DRAWS: ClassVar[tuple[str, ...]] = ("uniform", "sobol", "latin")

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, int | np.integer) or self.n < 0:
            raise ValueError(f"n must be a whole number >= 0, got {self.n!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer) or self.seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed!r}")
        if not isinstance(self.base, Couple):
            raise ValueError(f"base must be a sim.Couple, got {self.base!r}")
        if self.draws not in self.DRAWS:
            raise ValueError(f"draws must be one of {', '.join(self.DRAWS)}, got {self.draws!r}")
        ranges = self.ranges
        if ranges is None:
            ranges = {f"{w}.{s}": (PARTNER_SCORES[s].low, PARTNER_SCORES[s].high)
                      for w in ("a", "b") for s in PARTNER_SCORES}
        checked = {}
        for r in _check_refs(ranges):
            span = _check_values(r, ranges[r.name])
            if span.size != 2 or not span[0] <= span[1]:
                raise ValueError(f"{r.name}: give a range (low, high) with low <= high")
            checked[r.name] = (float(span[0]), float(span[1]))
        object.__setattr__(self, "ranges", FrozenMap(checked))

    def __len__(self) -> int:
        return int(self.n)

    def _table(self, start: int, stop: int) -> np.ndarray:
        _check_span(start, stop, len(self))
        assert self.ranges is not None
        low = np.array([r[0] for r in self.ranges.values()])
        high = np.array([r[1] for r in self.ranges.values()])
        if self.draws == "sobol":
            from scipy.stats import qmc

            sequence = qmc.Sobol(d=low.size, scramble=True, seed=np.random.default_rng([int(self.seed), 1 << 20]))
            if start:
                sequence.fast_forward(start)
            with warnings.catch_warnings():  # chunks are rarely powers of two; the whole sequence is what counts
                warnings.simplefilter("ignore", UserWarning)
                return low + (high - low) * sequence.random(stop - start)
        first = start // self.BLOCK
        last = max(stop - 1, start) // self.BLOCK
        blocks = [self._block(k, low.size) for k in range(first, last + 1)]
        table = np.concatenate(blocks)[start - first * self.BLOCK: stop - first * self.BLOCK]
        return low + (high - low) * table

    def _block(self, k: int, d: int) -> np.ndarray:
        rng = np.random.default_rng([int(self.seed), k])
        if self.draws == "uniform":
            return rng.random((self.BLOCK, d))
        from scipy.stats import qmc

        size = max(min(self.BLOCK, len(self) - k * self.BLOCK), 1)
        return qmc.LatinHypercube(d=d, seed=rng).random(size)

    def values(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """The drawn values of couples ``start .. stop - 1``: name -> array (stop - start,)."""
        table = self._table(start, stop)
        assert self.ranges is not None
        return {name: table[:, k] for k, name in enumerate(self.ranges)}

    def couples(self, start: int, stop: int) -> list[Couple]:
        """Couples ``start .. stop - 1``."""
        assert self.ranges is not None
        return _PartnerCache(self.base, _check_refs(self.ranges)).build(self._table(start, stop))


@dataclass(frozen=True, eq=False)
class CoupleList:
    """A population of given couples (kept in memory; for sweeps that fit)."""

    items: tuple[Couple, ...]

    def __post_init__(self) -> None:
        items = tuple(self.items)
        for c in items:
            if not isinstance(c, Couple):
                raise ValueError(f"couples must be sim.Couple objects, got {c!r}")
        object.__setattr__(self, "items", items)

    def __len__(self) -> int:
        return len(self.items)

    def couples(self, start: int, stop: int) -> list[Couple]:
        """Couples ``start .. stop - 1``."""
        _check_span(start, stop, len(self))
        return list(self.items[start:stop])

    def values(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Both partners' attachment scores of couples ``start .. stop - 1``."""
        part = self.items[start:stop]
        return {f"{w}.{s}": np.array([getattr(getattr(c, w), s) for c in part], dtype=float)
                for w in ("a", "b") for s in PARTNER_SCORES}


def as_population(population: Any) -> Population:
    """``population`` itself when it is a :class:`Population`, else its couples as a :class:`CoupleList`."""
    if isinstance(population, Population):
        return population
    if isinstance(population, Iterable):
        return CoupleList(tuple(population))
    raise ValueError(f"a sweep needs a Grid, RandomCouples or a list of couples, got {population!r}")
