"""Sweeps of many couples: parameter names, populations, streaming in chunks, and the same sweep on Dask.

A sweep runs a *population* of couples through :func:`sim.simulate_batch` (summary mode) chunk by
chunk, so that memory stays bounded by the chunk size however many couples there are: the couples
of a chunk are built when the chunk is run and dropped after it. Three ways to consume a sweep:

- :func:`iter_sweep` yields one :class:`SweepChunk` (verdicts and metrics of ``chunk_size``
  couples) at a time;
- :func:`sweep_summary` folds the chunks into a :class:`SweepSummary` (verdict counts and metric
  statistics), and :func:`write_sweep` writes them to a CSV or Parquet file, row group by row group;
- :func:`dask_sweep` and :func:`dask_iter_sweep` run the same chunks as Dask tasks, on a laptop's
  local cluster or on a cluster of many machines.

Populations are small, picklable descriptions that build their couples on demand: a
:class:`Grid` (every combination of some parameter values) or :class:`RandomCouples`
(parameters drawn uniformly, the same couple i however the sweep is chunked). Parameters are
named as in :func:`resolve`: ``"a.anxiety"``, ``"b.alarm_lag"``, ``"both.avoidance"``,
``"fading"``.

Running on a Dask cluster
-------------------------
Dask is an optional extra (``pip install "attract-repel[dask]"``, i.e. ``dask[distributed]``);
it is imported only when a Dask function is called. On one machine::

    from distributed import Client, LocalCluster
    from sim.sweep import RandomCouples, dask_sweep

    with LocalCluster(n_workers=1, threads_per_worker=1) as cluster, Client(cluster) as client:
        summary = dask_sweep(RandomCouples(10_000_000, seed=1), client=client, steps=1000)

On a cluster, start a scheduler (``dask scheduler``, listening on port 8786) and workers on the
other machines, install this package, at the same version, in the environment of every worker
(``pip install /path/to/attract-repel``), and connect to the scheduler instead of a local
cluster. A process runs one chunk at a time (the numba kernel already uses every core), so give
each worker process one thread: with numba one worker process per machine
(``dask worker tcp://scheduler:8786 --nworkers 1 --nthreads 1``), with the numpy backend one per
core (``--nworkers <cores> --nthreads 1``)::

    from distributed import Client
    client = Client("tcp://scheduler:8786")
    summary = dask_sweep(RandomCouples(10_000_000, seed=1), client=client, steps=1000)

Only the population (a few numbers) and the run settings travel to the workers; each task
builds and runs its own chunk and sends back its verdicts and metrics, which the client folds
into the summary as they arrive (at most ``max_pending`` chunks are in flight at once, so the
client's memory is bounded too). Each worker compiles the numba kernel once, or loads it from
the cache next to the installed package. Results equal those of :func:`sweep_summary` run
locally (the same verdict counts; metric sums to rounding, as chunks arrive in another order):
couple i is the same couple, and every chunk meets the same random events.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from .batch import DEFAULT_DT, DEFAULT_STEPS, simulate_batch
from .events import Event
from .interventions import Intervention
from .limits import check_items
from .partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, Couple, ParamSpec, Partner
from .presets import PRESETS
from .verdict import ENDING_TEXT, VERDICTS

__all__ = [
    "DEFAULT_CHUNK",
    "CoupleList",
    "Grid",
    "ParamRef",
    "Population",
    "RandomCouples",
    "SweepChunk",
    "SweepSummary",
    "dask_iter_sweep",
    "dask_sweep",
    "iter_sweep",
    "param_names",
    "resolve",
    "run_chunk",
    "set_params",
    "summarize_chunks",
    "sweep_summary",
    "write_sweep",
]

DEFAULT_CHUNK = 50_000
"""Couples per chunk: about 50 MB of working memory in summary mode."""

WHO = ("a", "b", "both")
"""Prefixes of partner parameters: partner a, partner b, or both partners alike."""


# --------------------------------------------------------------------------------------------
# Parameter names
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamRef:
    """A parameter addressed by name.

    Attributes
    ----------
    name : the full name, e.g. "a.anxiety", "both.alarm_lag" or "fading"
    who : "a", "b" or "both" for a partner's score or parameter; None for a couple parameter
    field : the field of :class:`sim.Partner` or :class:`sim.Couple`
    spec : its metadata (range, unit, labels)
    """

    name: str
    who: str | None
    field: str
    spec: ParamSpec

    @property
    def low(self) -> float:
        """Lower end of the allowed range."""
        return self.spec.low

    @property
    def high(self) -> float:
        """Upper end of the allowed range."""
        return self.spec.high

    def partners(self) -> tuple[int, ...]:
        """Which partners (0 = a, 1 = b) this parameter sets; () for a couple parameter."""
        return {"a": (0,), "b": (1,), "both": (0, 1), None: ()}[self.who]

    def overlaps(self, other: ParamRef) -> bool:
        """Whether the two names set the same field of the same partner (or couple)."""
        if self.field != other.field:
            return False
        if self.who is None or other.who is None:
            return self.who == other.who
        return bool(set(self.partners()) & set(other.partners()))

    def label(self, lang: str = "en", names: tuple[str, str] = ("A", "B")) -> str:
        """Axis label in "en" or "nl", e.g. "A: Fear of being left (anxiety)"."""
        text = self.spec.label[lang]
        if self.who is None:
            return text
        prefix = {"a": names[0], "b": names[1], "both": f"{names[0]} & {names[1]}"}[self.who]
        return f"{prefix}: {text}"

    def value(self, couple: Couple) -> float:
        """The effective value in ``couple`` (a derived parameter as derived; "both" reads partner a)."""
        if self.who is None:
            return float(getattr(couple, self.field))
        partner = couple.b if self.who == "b" else couple.a
        if self.field in PARTNER_SCORES:
            return float(getattr(partner, self.field))
        return partner.params()[self.field]


def param_names() -> tuple[str, ...]:
    """Every name :func:`resolve` accepts: partner scores and parameters with a prefix, then couple parameters."""
    partner = [*PARTNER_SCORES, *PARTNER_PARAMS]
    return tuple(f"{who}.{name}" for who in WHO for name in partner) + tuple(COUPLE_PARAMS)


def resolve(name: str) -> ParamRef:
    """The parameter called ``name``; raise ``ValueError`` listing the valid names otherwise.

    Partner scores and parameters take a prefix, ``"a."``, ``"b."`` or ``"both."``
    (``"a.anxiety"``, ``"b.alarm_lag"``); couple parameters take none (``"fading"``).
    """
    if isinstance(name, str):
        who, dot, rest = name.partition(".")
        if dot and who in WHO:
            spec = PARTNER_SCORES.get(rest) or PARTNER_PARAMS.get(rest)
            if spec is not None:
                return ParamRef(name=name, who=who, field=rest, spec=spec)
        elif not dot and name in COUPLE_PARAMS:
            return ParamRef(name=name, who=None, field=name, spec=COUPLE_PARAMS[name])
    examples = "a.anxiety, b.avoidance, both.alarm_lag, a.<partner parameter>, fading"
    raise ValueError(f"unknown parameter {name!r}; use e.g. {examples}; valid names: {', '.join(param_names())}")


def set_params(couple: Couple, values: Mapping[str, float]) -> Couple:
    """A copy of ``couple`` with the named parameters set (validated against their ranges).

    A derived partner parameter set this way becomes an override (see :class:`sim.Partner`).
    """
    refs = [(resolve(name), value) for name, value in values.items()]
    changes: list[dict[str, Any]] = [{}, {}]
    couple_changes: dict[str, Any] = {}
    for ref, value in refs:
        for i in ref.partners():
            changes[i][ref.field] = value
        if ref.who is None:
            couple_changes[ref.field] = value
    a = replace(couple.a, **changes[0]) if changes[0] else couple.a
    b = replace(couple.b, **changes[1]) if changes[1] else couple.b
    return replace(couple, a=a, b=b, **couple_changes)


def _check_values(ref: ParamRef, values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=float).reshape(-1)
    if array.size == 0:
        raise ValueError(f"{ref.name}: give at least one value")
    if not np.all(np.isfinite(array)) or array.min() < ref.low or array.max() > ref.high:
        raise ValueError(f"{ref.name} must stay in [{ref.low}, {ref.high}] ({ref.spec.unit})")
    array.flags.writeable = False
    return array


# --------------------------------------------------------------------------------------------
# Populations
# --------------------------------------------------------------------------------------------


@runtime_checkable
class Population(Protocol):
    """What a sweep needs: a size, and couples (and their swept values) for a range of indices."""

    def __len__(self) -> int: ...

    def couples(self, start: int, stop: int) -> list[Couple]: ...

    def values(self, start: int, stop: int) -> dict[str, np.ndarray]: ...


def _default_base() -> Couple:
    return PRESETS["anxious-avoidant"]


class _PartnerCache:
    """Builds couples from per-point parameter values, reusing partners that repeat."""

    def __init__(self, base: Couple, refs: Sequence[ParamRef]) -> None:
        self.base = base
        self.base_fields = {f.name: getattr(base, f.name) for f in fields(Couple)}
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
            changed: dict[str, Any] = {self.refs[k].field: v for k, v in zip(self.own[i], key, strict=True)}
            found = replace(partner, **changed)
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
        object.__setattr__(self, "axes", MappingProxyType(axes))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make_grid, (dict(self.axes), self.base))

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


@dataclass(frozen=True, eq=False)
class RandomCouples:
    """``n`` couples with parameters drawn uniformly from ranges, around a base couple.

    The draws come in blocks of ``BLOCK`` couples, block k from ``np.random.default_rng([seed, k])``,
    so couple i is the same however a sweep is chunked or distributed.

    Attributes
    ----------
    n : number of couples
    ranges : read-only mapping name -> (low, high); default: both partners' anxiety and avoidance
        over their whole ranges
    base : the couple whose other parameters every couple keeps (default: the classic trap)
    seed : seed of the draws
    """

    n: int
    ranges: Mapping[str, tuple[float, float]] | None = None
    base: Couple = field(default_factory=_default_base)
    seed: int = 0

    BLOCK: ClassVar[int] = 4096

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, int | np.integer) or self.n < 0:
            raise ValueError(f"n must be a whole number >= 0, got {self.n!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer) or self.seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed!r}")
        if not isinstance(self.base, Couple):
            raise ValueError(f"base must be a sim.Couple, got {self.base!r}")
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
        object.__setattr__(self, "ranges", MappingProxyType(checked))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make_random, (int(self.n), dict(self.ranges or {}), self.base, int(self.seed)))

    def __len__(self) -> int:
        return int(self.n)

    def _table(self, start: int, stop: int) -> np.ndarray:
        _check_span(start, stop, len(self))
        assert self.ranges is not None
        low = np.array([r[0] for r in self.ranges.values()])
        high = np.array([r[1] for r in self.ranges.values()])
        first = start // self.BLOCK
        last = max(stop - 1, start) // self.BLOCK
        blocks = [np.random.default_rng([int(self.seed), k]).random((self.BLOCK, low.size))
                  for k in range(first, last + 1)]
        table = np.concatenate(blocks)[start - first * self.BLOCK: stop - first * self.BLOCK]
        return low + (high - low) * table

    def values(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """The drawn values of couples ``start .. stop - 1``: name -> array (stop - start,)."""
        table = self._table(start, stop)
        assert self.ranges is not None
        return {name: table[:, k] for k, name in enumerate(self.ranges)}

    def couples(self, start: int, stop: int) -> list[Couple]:
        """Couples ``start .. stop - 1``."""
        assert self.ranges is not None
        return _PartnerCache(self.base, _check_refs(self.ranges)).build(self._table(start, stop))


def _make_grid(axes: dict[str, Any], base: Couple) -> Grid:
    return Grid(axes, base)


def _make_random(n: int, ranges: dict[str, tuple[float, float]], base: Couple, seed: int) -> RandomCouples:
    return RandomCouples(n, ranges, base, seed)


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


# --------------------------------------------------------------------------------------------
# Chunks and their reduction
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SweepChunk:
    """Verdicts and metrics of the couples ``start .. stop - 1`` of a sweep.

    Attributes
    ----------
    start, stop : index range in the population
    values : read-only mapping name -> array (k,) of the swept parameter values (k = stop - start)
    verdict : array (k,) of str
    metrics : read-only mapping name -> array (k,), as in :class:`sim.BatchResult`
    """

    start: int
    stop: int
    values: Mapping[str, np.ndarray]
    verdict: np.ndarray
    metrics: Mapping[str, np.ndarray]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "metrics", MappingProxyType(dict(self.metrics)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (SweepChunk, (self.start, self.stop, dict(self.values), self.verdict, dict(self.metrics)))

    def __len__(self) -> int:
        return self.stop - self.start

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per couple (``index`` in the population), values, verdict, metrics."""
        data: dict[str, Any] = {"index": np.arange(self.start, self.stop)}
        data.update(self.values)
        data["verdict"] = self.verdict
        data.update(self.metrics)
        return pd.DataFrame(data)


_RUN_LOCK = threading.Lock()
"""One chunk at a time per process: the numba kernel is already parallel, and numba's default
threading layer must not be entered from two threads at once (as Dask's threaded workers would)."""


def run_chunk(population: Population, start: int, stop: int, run: Mapping[str, Any]) -> SweepChunk:
    """Build and run couples ``start .. stop - 1`` of ``population``; ``run`` holds the keyword
    arguments of :func:`sim.simulate_batch` (summary mode). The unit of work of every sweep."""
    couples = population.couples(start, stop)
    with _RUN_LOCK:
        batch = simulate_batch(couples, keep="summary", **run)
    values = {k: np.asarray(v) for k, v in population.values(start, stop).items()}
    return SweepChunk(start=start, stop=stop, values=values, verdict=batch.verdict, metrics=batch.metrics)


def _run_kwargs(steps: int, dt: float, seed: int, events: Iterable[Event],
                interventions: Iterable[Intervention], random_events: float, backend: str | None
                ) -> dict[str, Any]:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"a sweep needs a fixed seed (a whole number >= 0), got {seed!r}")
    return {"steps": steps, "dt": dt, "seed": int(seed), "events": check_items(events, Event, "events"),
            "interventions": check_items(interventions, Intervention, "interventions"),
            "random_events": random_events, "backend": backend}


def _spans(size: int, chunk_size: int) -> list[tuple[int, int]]:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a whole number >= 1, got {chunk_size!r}")
    return [(s, min(s + int(chunk_size), size)) for s in range(0, size, int(chunk_size))]


def iter_sweep(population: Any, *, chunk_size: int = DEFAULT_CHUNK, steps: int = DEFAULT_STEPS,
               dt: float = DEFAULT_DT, seed: int = 0, events: Iterable[Event] = (),
               interventions: Iterable[Intervention] = (), random_events: float = 0.0,
               backend: str | None = None) -> Iterator[SweepChunk]:
    """Run a population chunk by chunk, in order, holding one chunk at a time.

    Parameters
    ----------
    population : a :class:`Grid`, :class:`RandomCouples`, any :class:`Population`, or couples
    chunk_size : couples per call of :func:`sim.simulate_batch`
    steps, dt, seed, events, interventions, random_events, backend : as in
        :func:`sim.simulate_batch`; the seed is fixed (default 0) so that every chunk meets the
        same random events

    Yields
    ------
    SweepChunk, for couples ``0 .. chunk_size - 1``, then the next ``chunk_size``, and so on.
    """
    pop = as_population(population)
    run = _run_kwargs(steps, dt, seed, events, interventions, random_events, backend)
    for start, stop in _spans(len(pop), chunk_size):
        yield run_chunk(pop, start, stop, run)


_STATS = ("count", "sum", "min", "max")


@dataclass(frozen=True, eq=False)
class SweepSummary:
    """Verdict counts and metric statistics of a sweep, folded chunk by chunk.

    Attributes
    ----------
    n : number of couples
    counts : read-only mapping verdict -> number of couples
    stats : read-only mapping metric -> {"count", "sum", "min", "max"} over the couples where the
        metric applies (not NaN); numeric metrics only
    endings : read-only mapping ending ("growing", "frozen", "break") -> number of escalating couples
    """

    n: int
    counts: Mapping[str, int]
    stats: Mapping[str, Mapping[str, float]]
    endings: Mapping[str, int] = field(default_factory=lambda: dict.fromkeys(ENDING_TEXT, 0))

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))
        stats = {k: MappingProxyType(dict(v)) for k, v in self.stats.items()}
        object.__setattr__(self, "stats", MappingProxyType(stats))
        object.__setattr__(self, "endings", MappingProxyType({e: int(self.endings.get(e, 0)) for e in ENDING_TEXT}))

    def __reduce__(self) -> tuple[Any, ...]:
        return (SweepSummary, (self.n, dict(self.counts), {k: dict(v) for k, v in self.stats.items()},
                               dict(self.endings)))

    @classmethod
    def empty(cls) -> SweepSummary:
        """The summary of no couples."""
        return cls(n=0, counts=dict.fromkeys(VERDICTS, 0), stats={})

    @classmethod
    def of_chunk(cls, chunk: SweepChunk) -> SweepSummary:
        """The summary of one chunk."""
        counts = {v: int(np.count_nonzero(chunk.verdict == v)) for v in VERDICTS}
        ending = chunk.metrics.get("ending")
        endings = {e: int(np.count_nonzero(ending == e)) if ending is not None else 0 for e in ENDING_TEXT}
        stats = {}
        for name, arr in chunk.metrics.items():
            if np.asarray(arr).dtype.kind not in "fiub":
                continue
            ok = np.asarray(arr, dtype=float)
            ok = ok[~np.isnan(ok)]
            stats[name] = {
                "count": float(ok.size), "sum": float(ok.sum()),
                "min": float(ok.min()) if ok.size else math.inf,
                "max": float(ok.max()) if ok.size else -math.inf,
            }
        return cls(n=len(chunk), counts=counts, stats=stats, endings=endings)

    def merge(self, other: SweepSummary) -> SweepSummary:
        """The summary of both sweeps' couples together."""
        counts = {v: self.counts.get(v, 0) + other.counts.get(v, 0) for v in VERDICTS}
        stats = {}
        for name in {**self.stats, **other.stats}:
            a = self.stats.get(name, {"count": 0.0, "sum": 0.0, "min": math.inf, "max": -math.inf})
            b = other.stats.get(name, {"count": 0.0, "sum": 0.0, "min": math.inf, "max": -math.inf})
            stats[name] = {"count": a["count"] + b["count"], "sum": a["sum"] + b["sum"],
                           "min": min(a["min"], b["min"]), "max": max(a["max"], b["max"])}
        endings = {e: self.endings.get(e, 0) + other.endings.get(e, 0) for e in ENDING_TEXT}
        return SweepSummary(n=self.n + other.n, counts=counts, stats=stats, endings=endings)

    def shares(self) -> dict[str, float]:
        """Share of couples per verdict (0..1)."""
        return {v: (self.counts[v] / self.n if self.n else math.nan) for v in VERDICTS}

    def mean(self, metric: str) -> float:
        """Mean of ``metric`` over the couples where it applies (NaN if none)."""
        s = self.stats[metric]
        return s["sum"] / s["count"] if s["count"] else math.nan

    def to_frame(self) -> pd.DataFrame:
        """One row per metric: count, mean, min, max."""
        rows = {name: {"count": int(s["count"]), "mean": self.mean(name),
                       "min": s["min"] if s["count"] else math.nan,
                       "max": s["max"] if s["count"] else math.nan} for name, s in self.stats.items()}
        return pd.DataFrame.from_dict(rows, orient="index")


def summarize_chunks(chunks: Iterable[SweepChunk]) -> SweepSummary:
    """Fold chunks (in any order) into one :class:`SweepSummary`, dropping each after use."""
    total = SweepSummary.empty()
    for chunk in chunks:
        total = total.merge(SweepSummary.of_chunk(chunk))
    return total


def sweep_summary(population: Any, **kwargs: Any) -> SweepSummary:
    """Verdict counts and metric statistics of a population, in bounded memory.

    Takes the keyword arguments of :func:`iter_sweep`.
    """
    return summarize_chunks(iter_sweep(population, **kwargs))


def write_sweep(population: Any, path: str | Path, **kwargs: Any) -> int:
    """Write one row per couple to ``path`` (``.csv``, or ``.parquet`` with pyarrow), chunk by chunk.

    Takes the keyword arguments of :func:`iter_sweep`; returns the number of rows written. Only
    one chunk is in memory at a time, so the file may be larger than memory.
    """
    path = Path(path)
    parquet = path.suffix == ".parquet"
    if not parquet and path.suffix != ".csv":
        raise ValueError(f"write_sweep writes .csv or .parquet files, got {path.name!r}")
    rows = 0
    writer: Any = None
    try:
        for k, chunk in enumerate(iter_sweep(population, **kwargs)):
            frame = chunk.to_frame()
            if parquet:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
            else:
                frame.to_csv(path, mode="w" if k == 0 else "a", header=k == 0, index=False)
            rows += len(frame)
    finally:
        if writer is not None:
            writer.close()
    return rows


# --------------------------------------------------------------------------------------------
# Dask
# --------------------------------------------------------------------------------------------


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "Dask sweeps need the optional extra: pip install 'attract-repel[dask]' "
            "(or pip install 'dask[distributed]'); sim.sweep.iter_sweep runs without it."
        ) from None
    return distributed


def dask_iter_sweep(population: Any, *, client: Any = None, chunk_size: int = DEFAULT_CHUNK,
                    max_pending: int | None = None, steps: int = DEFAULT_STEPS, dt: float = DEFAULT_DT,
                    seed: int = 0, events: Iterable[Event] = (), interventions: Iterable[Intervention] = (),
                    random_events: float = 0.0, backend: str | None = None) -> Iterator[SweepChunk]:
    """The chunks of :func:`iter_sweep`, computed as Dask tasks, yielded as they complete.

    Parameters
    ----------
    population : a :class:`Grid`, :class:`RandomCouples` or other picklable :class:`Population`
        (only this description is sent to the workers, once)
    client : a ``distributed.Client``; None uses the current client (``distributed.get_client()``)
    max_pending : most chunks submitted and not yet consumed (default: twice the workers'
        threads), which bounds the memory of client and cluster
    other arguments : as in :func:`iter_sweep`

    Yields
    ------
    SweepChunk in completion order (``chunk.start`` tells where each belongs).
    """
    distributed = _distributed()
    pop = as_population(population)
    run = _run_kwargs(steps, dt, seed, events, interventions, random_events, backend)
    spans = _spans(len(pop), chunk_size)
    if client is None:
        client = distributed.get_client()
    if max_pending is None:
        max_pending = 2 * max(1, sum(client.nthreads().values()))
    if max_pending < 1:
        raise ValueError(f"max_pending must be >= 1, got {max_pending!r}")
    [pop_future] = client.scatter([pop], broadcast=True)
    todo = iter(spans)
    pending = distributed.as_completed()
    for start, stop in todo:
        pending.add(client.submit(run_chunk, pop_future, start, stop, run, pure=False))
        if pending.count() >= max_pending:
            break
    for future in pending:
        chunk = future.result()
        future.release()
        nxt = next(todo, None)
        if nxt is not None:
            pending.add(client.submit(run_chunk, pop_future, nxt[0], nxt[1], run, pure=False))
        yield chunk


def dask_sweep(population: Any, **kwargs: Any) -> SweepSummary:
    """:func:`sweep_summary` computed on a Dask cluster; takes the arguments of :func:`dask_iter_sweep`.

    Equals ``sweep_summary(population, ...)`` run locally with the same arguments (metric sums to
    rounding: chunks are folded in the order they complete).
    """
    return summarize_chunks(dask_iter_sweep(population, **kwargs))
