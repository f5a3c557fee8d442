"""The same sweep as Dask tasks, on a local cluster or on many machines (see :mod:`sim.sweep`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..batch import DEFAULT_DT, DEFAULT_STEPS
from ..events import Event
from ..interventions import Intervention
from .chunks import DEFAULT_CHUNK, SweepChunk, SweepSummary, _run_kwargs, _spans, run_chunk, summarize_chunks
from .populations import as_population


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "Dask sweeps need the optional extra: pip install '.[dask]' in the repository "
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
