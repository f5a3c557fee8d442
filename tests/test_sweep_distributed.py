"""Sweeps on Dask (sim.sweep.distributed), on Dask's local scheduler inside this process
(processes=False: no sockets, no other machine)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import sim
import sim.stats
from sim.sweep import (
    CoupleList,
    Grid,
    RandomCouples,
    dask_iter_sweep,
    dask_sweep,
    iter_sweep,
    summarize_chunks,
    sweep_summary,
)

TRAP = sim.PRESETS["anxious-avoidant"]


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_sweep_equals_the_local_sweep(dask_client) -> None:
    pop = RandomCouples(1_500, seed=8)
    local = sweep_summary(pop, chunk_size=400, steps=600)
    remote = dask_sweep(pop, client=dask_client, chunk_size=400, steps=600)
    assert remote.counts == local.counts and remote.endings == local.endings
    for name in local.stats:
        assert remote.stats[name]["count"] == local.stats[name]["count"]
        assert remote.stats[name]["sum"] == pytest.approx(local.stats[name]["sum"], rel=1e-12)
        assert remote.stats[name]["max"] == local.stats[name]["max"]


def test_dask_chunks_arrive_complete_with_few_in_flight(dask_client) -> None:
    grid = Grid({"b.avoidance": np.linspace(0, 1, 6), "a.anxiety": np.linspace(0, 1, 7)})
    chunks = list(dask_iter_sweep(grid, client=dask_client, chunk_size=5, max_pending=2, steps=300))
    assert sorted((c.start, c.stop) for c in chunks) == [(s, min(s + 5, 42)) for s in range(0, 42, 5)]
    local = next(iter_sweep(grid, chunk_size=42, steps=300))
    verdict = np.empty(42, dtype=object)
    for c in chunks:
        verdict[c.start:c.stop] = c.verdict
    assert verdict.tolist() == local.verdict.tolist()
    with pytest.raises(ValueError, match="max_pending"):
        list(dask_iter_sweep(grid, client=dask_client, max_pending=0))


def test_dask_uses_the_current_client(dask_client) -> None:
    summary = dask_sweep(CoupleList((TRAP, sim.PRESETS["secure"])), steps=2000)
    assert summary.counts["cycles"] == 1 and summary.counts["settles"] == 1


def test_missing_dask_gives_a_clear_error(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"\.\[dask\]"):
        dask_sweep(RandomCouples(10))
    # the local sweep needs no Dask
    assert summarize_chunks(iter_sweep(RandomCouples(10), steps=50)).n == 10
