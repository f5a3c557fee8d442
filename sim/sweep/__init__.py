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
Dask is an optional extra (``pip install ".[dask]"`` in the repository, i.e. ``dask[distributed]``);
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

from .chunks import (
    DEFAULT_CHUNK,
    SweepChunk,
    SweepSummary,
    grouped_shares,
    iter_sweep,
    run_chunk,
    summarize_chunks,
    sweep_summary,
    write_sweep,
)
from .distributed import dask_iter_sweep, dask_sweep
from .params import ParamRef, param_names, resolve, set_params
from .populations import CoupleList, Grid, Population, RandomCouples, as_population

__all__ = [
    "DEFAULT_CHUNK",
    "CoupleList",
    "Grid",
    "ParamRef",
    "Population",
    "RandomCouples",
    "SweepChunk",
    "SweepSummary",
    "as_population",
    "dask_iter_sweep",
    "dask_sweep",
    "grouped_shares",
    "iter_sweep",
    "param_names",
    "resolve",
    "run_chunk",
    "set_params",
    "summarize_chunks",
    "sweep_summary",
    "write_sweep",
]
