"""Running a population chunk by chunk, and folding the chunks into a summary or a file."""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..batch import DEFAULT_DT, DEFAULT_STEPS, simulate_batch
from ..engine import threads_may_overlap
from ..events import Event
from ..frozen import FrozenMap, ReadOnlyArrays, frozen
from ..interventions import Intervention
from ..limits import check_items
from ..partners import Couple
from ..provenance import PARQUET_KEY, csv_text, provenance, run_settings
from ..stats import mean_interval, wilson
from ..verdict import ENDING_TEXT, VERDICTS
from .populations import Grid, Population, RandomCouples, as_population

DEFAULT_CHUNK = 50_000
"""Couples per chunk: about 50 MB of working memory in summary mode."""


@dataclass(frozen=True, eq=False)
class SweepChunk(ReadOnlyArrays):
    """Verdicts and metrics of the couples ``start .. stop - 1`` of a sweep.

    Attributes
    ----------
    start, stop : index range in the population
    values : read-only mapping name -> array (k,) of the swept parameter values (k = stop - start)
    verdict : array (k,) of str
    metrics : read-only mapping name -> array (k,), as in :class:`sim.BatchResult`
    analysis : read-only mapping name -> array (k,) from the sweep's ``analyse`` function (empty
        without one), e.g. the analytic stability of each couple for :func:`sim.regime_map`
    """

    start: int
    stop: int
    values: Mapping[str, np.ndarray]
    verdict: np.ndarray
    metrics: Mapping[str, np.ndarray]
    analysis: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", FrozenMap(self.values))
        object.__setattr__(self, "verdict", frozen(self.verdict))
        object.__setattr__(self, "metrics", FrozenMap(self.metrics))
        object.__setattr__(self, "analysis", FrozenMap(self.analysis))

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


Analyse = Callable[[tuple[Couple, ...]], Mapping[str, np.ndarray]]
"""What a sweep may compute besides the run, from the chunk's couples (arrays of one entry per couple)."""


def run_chunk(population: Population, start: int, stop: int, run: Mapping[str, Any],
              analyse: Analyse | None = None) -> SweepChunk:
    """Build and run couples ``start .. stop - 1`` of ``population``; ``run`` holds the keyword
    arguments of :func:`sim.simulate_batch` (summary mode), ``analyse`` what else to compute from
    the same couples. The unit of work of every sweep."""
    couples = tuple(population.couples(start, stop))
    analysis: Mapping[str, np.ndarray] = {}
    if analyse is not None and threads_may_overlap():
        # the analysis (mostly numpy on one core) runs beside the batch, whose kernel frees the
        # interpreter: the two fill both cores instead of taking turns
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="analyse") as pool:
            later = pool.submit(analyse, couples)
            with _RUN_LOCK:
                batch = simulate_batch(couples, keep="summary", **run)
            analysis = later.result()
    else:
        with _RUN_LOCK:
            batch = simulate_batch(couples, keep="summary", **run)
        if analyse is not None:
            analysis = analyse(couples)
    values = {k: np.asarray(v) for k, v in population.values(start, stop).items()}
    return SweepChunk(start=start, stop=stop, values=values, verdict=batch.verdict, metrics=batch.metrics,
                      analysis=analysis)


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
               backend: str | None = None, analyse: Analyse | None = None) -> Iterator[SweepChunk]:
    """Run a population chunk by chunk, in order, holding one chunk at a time.

    Parameters
    ----------
    population : a :class:`Grid`, :class:`RandomCouples`, any :class:`Population`, or couples
    chunk_size : couples per call of :func:`sim.simulate_batch`
    steps, dt, seed, events, interventions, random_events, backend : as in
        :func:`sim.simulate_batch`; the seed is fixed (default 0) so that every chunk meets the
        same random events
    analyse : optional function of a chunk's couples whose arrays land in ``SweepChunk.analysis``

    Yields
    ------
    SweepChunk, for couples ``0 .. chunk_size - 1``, then the next ``chunk_size``, and so on.
    """
    pop = as_population(population)
    run = _run_kwargs(steps, dt, seed, events, interventions, random_events, backend)
    for start, stop in _spans(len(pop), chunk_size):
        yield run_chunk(pop, start, stop, run, analyse)


_STATS = ("count", "sum", "min", "max")


@dataclass(frozen=True, eq=False)
class SweepSummary:
    """Verdict counts and metric statistics of a sweep, folded chunk by chunk.

    Attributes
    ----------
    n : number of couples
    counts : read-only mapping verdict -> number of couples
    stats : read-only mapping metric -> {"count", "sum", "sumsq", "min", "max"} over the couples
        where the metric applies (not NaN); numeric metrics only
    endings : read-only mapping ending ("growing", "frozen", "break") -> number of escalating couples
    """

    n: int
    counts: Mapping[str, int]
    stats: Mapping[str, Mapping[str, float]]
    endings: Mapping[str, int] = field(default_factory=lambda: dict.fromkeys(ENDING_TEXT, 0))

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", FrozenMap(self.counts))
        object.__setattr__(self, "stats", FrozenMap({k: dict(v) for k, v in self.stats.items()}))
        object.__setattr__(self, "endings", FrozenMap({e: int(self.endings.get(e, 0)) for e in ENDING_TEXT}))

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
                "count": float(ok.size), "sum": float(ok.sum()), "sumsq": float(np.dot(ok, ok)),
                "min": float(ok.min()) if ok.size else math.inf,
                "max": float(ok.max()) if ok.size else -math.inf,
            }
        return cls(n=len(chunk), counts=counts, stats=stats, endings=endings)

    def merge(self, other: SweepSummary) -> SweepSummary:
        """The summary of both sweeps' couples together."""
        counts = {v: self.counts.get(v, 0) + other.counts.get(v, 0) for v in VERDICTS}
        stats = {}
        for name in {**self.stats, **other.stats}:
            none = {"count": 0.0, "sum": 0.0, "sumsq": 0.0, "min": math.inf, "max": -math.inf}
            a, b = self.stats.get(name, none), other.stats.get(name, none)
            stats[name] = {"count": a["count"] + b["count"], "sum": a["sum"] + b["sum"],
                           "sumsq": a["sumsq"] + b["sumsq"],
                           "min": min(a["min"], b["min"]), "max": max(a["max"], b["max"])}
        endings = {e: self.endings.get(e, 0) + other.endings.get(e, 0) for e in ENDING_TEXT}
        return SweepSummary(n=self.n + other.n, counts=counts, stats=stats, endings=endings)

    def shares(self) -> dict[str, float]:
        """Share of couples per verdict (0..1)."""
        return {v: (self.counts[v] / self.n if self.n else math.nan) for v in VERDICTS}

    def share_intervals(self, level: float = 0.95) -> dict[str, tuple[float, float]]:
        """Per verdict, the Wilson interval of its share (:func:`sim.stats.wilson`): how sure the
        share is, for couples drawn at random from the population's ranges."""
        return {v: wilson(self.counts[v], self.n, level) for v in VERDICTS}

    def shares_frame(self, level: float = 0.95) -> pd.DataFrame:
        """One row per verdict: count, share and its interval (``low``, ``high``)."""
        intervals = self.share_intervals(level)
        shares = self.shares()
        return pd.DataFrame({"verdict": list(VERDICTS), "count": [self.counts[v] for v in VERDICTS],
                             "share": [shares[v] for v in VERDICTS],
                             "low": [intervals[v][0] for v in VERDICTS], "high": [intervals[v][1] for v in VERDICTS]})

    def mean(self, metric: str) -> float:
        """Mean of ``metric`` over the couples where it applies (NaN if none)."""
        s = self.stats[metric]
        return s["sum"] / s["count"] if s["count"] else math.nan

    def mean_interval(self, metric: str, level: float = 0.95) -> tuple[float, float]:
        """The normal interval of ``metric``'s mean (:func:`sim.stats.mean_interval`)."""
        s = self.stats[metric]
        return mean_interval(s["count"], s["sum"], s["sumsq"], level)

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """One row per metric: count, mean, the mean's interval (``low``, ``high``), min, max."""
        rows = {}
        for name, s in self.stats.items():
            low, high = self.mean_interval(name, level)
            rows[name] = {"count": int(s["count"]), "mean": self.mean(name), "low": low, "high": high,
                          "min": s["min"] if s["count"] else math.nan, "max": s["max"] if s["count"] else math.nan}
        return pd.DataFrame.from_dict(rows, orient="index")


def _describe(population: Population) -> dict[str, Any]:
    """A population as plain JSON data for a file's provenance: its kind, size and how it was drawn."""
    out: dict[str, Any] = {"kind": type(population).__name__, "size": len(population)}
    if isinstance(population, RandomCouples):
        out.update(draws=population.draws, seed=int(population.seed),
                   ranges={k: list(v) for k, v in (population.ranges or {}).items()})
    elif isinstance(population, Grid):
        out["axes"] = {k: {"low": float(np.min(v)), "high": float(np.max(v)), "count": int(np.size(v))}
                       for k, v in population.axes.items()}
    return out


def grouped_shares(table: pd.DataFrame, by: Any, level: float = 0.95) -> pd.DataFrame:
    """Verdict shares with their Wilson intervals within groups of a sweep's table.

    ``table``: a sweep's rows (:meth:`SweepChunk.to_frame`, or a file of :func:`write_sweep` read
    back); ``by``: what :meth:`pandas.DataFrame.groupby` takes (a column such as ``"a.anxiety"``, a
    list of them, or a Series such as ``pd.cut(table["a.anxiety"], 4)``). One row per group and
    verdict: the group's keys, ``verdict``, ``count``, ``n`` (couples in the group), ``share``,
    ``low``, ``high``.
    """
    if not isinstance(table, pd.DataFrame) or "verdict" not in table.columns:
        raise ValueError("grouped_shares takes a sweep's table, with a 'verdict' column")
    counts = pd.crosstab(_keys(table, by), table["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    rows = []
    for key, row in counts.iterrows():
        n = int(row.sum())
        keys = key if isinstance(key, tuple) else (key,)
        for verdict in VERDICTS:
            low, high = wilson(int(row[verdict]), n, level)
            rows.append((*keys, verdict, int(row[verdict]), n, row[verdict] / n if n else math.nan, low, high))
    names = list(counts.index.names)
    return pd.DataFrame(rows, columns=[*names, "verdict", "count", "n", "share", "low", "high"])


def _keys(table: pd.DataFrame, by: Any) -> Any:
    if isinstance(by, str):
        return table[by]
    if isinstance(by, list | tuple) and all(isinstance(b, str) for b in by):
        return [table[b] for b in by]
    return by


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
    one chunk is in memory at a time, so the file may be larger than memory. The file carries its
    provenance (:mod:`sim.provenance`: version, model, the run's settings and the population): in the
    Parquet schema's metadata, or as the first line of the CSV (``# provenance: {...}``).
    """
    path = Path(path)
    parquet = path.suffix == ".parquet"
    if not parquet and path.suffix != ".csv":
        raise ValueError(f"write_sweep writes .csv or .parquet files, got {path.name!r}")
    population = as_population(population)
    for name, kind in (("events", Event), ("interventions", Intervention)):
        if name in kwargs:  # once, so that an iterator given is not used up by the record
            kwargs[name] = check_items(kwargs[name], kind, name)
    run = {k: kwargs[k] for k in ("steps", "dt", "seed", "events", "interventions", "random_events") if k in kwargs}
    record = provenance(**run_settings(**{"steps": DEFAULT_STEPS, "dt": DEFAULT_DT, "seed": 0, **run},
                                       population=_describe(population)))
    rows = 0
    writer: Any = None
    final, path = path, path.with_name(f".{path.name}.partial")  # a sweep that fails leaves what was there
    try:
        for k, chunk in enumerate(iter_sweep(population, **kwargs)):
            frame = chunk.to_frame()
            if parquet:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(frame, preserve_index=False)
                meta = {**(table.schema.metadata or {}), PARQUET_KEY: json.dumps(record).encode()}
                table = table.replace_schema_metadata(meta)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
            else:
                if k == 0:
                    path.write_text(csv_text(frame, record), encoding="utf-8")
                else:
                    frame.to_csv(path, mode="a", header=False, index=False)
            rows += len(frame)
        if writer is not None:
            writer.close()
            writer = None
        if path.exists():  # an empty population writes nothing
            os.replace(path, final)
    finally:
        if writer is not None:
            writer.close()
        path.unlink(missing_ok=True)
    return rows
