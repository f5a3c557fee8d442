"""Sweeps in chunks (sim.sweep.chunks): chunks that equal one batch, summaries that fold like one table, files
written whole, uncertainty of shares, and memory that does not grow with the population."""

from __future__ import annotations

import pickle
import tracemalloc

import numpy as np
import pandas as pd
import pytest

import sim
import sim.stats
from sim.sweep import (
    Grid,
    RandomCouples,
    SweepSummary,
    iter_sweep,
    sweep_summary,
    write_sweep,
)

TRAP = sim.PRESETS["anxious-avoidant"]












def test_chunks_cover_the_population_and_equal_one_batch() -> None:
    pop = RandomCouples(530, seed=3)
    chunks = list(iter_sweep(pop, chunk_size=200, steps=600))
    assert [(c.start, c.stop) for c in chunks] == [(0, 200), (200, 400), (400, 530)]
    batch = sim.simulate_batch(pop.couples(0, 530), steps=600, seed=0)
    np.testing.assert_array_equal(np.concatenate([c.verdict for c in chunks]), batch.verdict)
    for name in ("tension", "amplitude", "period"):
        np.testing.assert_array_equal(np.concatenate([c.metrics[name] for c in chunks]), batch.metrics[name])
    frame = chunks[1].to_frame()
    assert frame["index"].tolist() == list(range(200, 400))
    assert {"a.anxiety", "b.avoidance", "verdict", "tension"} <= set(frame.columns)
    back = pickle.loads(pickle.dumps(chunks[2]))
    np.testing.assert_array_equal(back.verdict, chunks[2].verdict)


def test_random_events_are_the_same_in_every_chunk() -> None:
    """Common random numbers: every chunk meets the random triggers drawn from the same seed."""
    couples = [TRAP] * 6
    chunks = list(iter_sweep(couples, chunk_size=2, steps=800, seed=11, random_events=0.2))
    tension = np.concatenate([c.metrics["tension"] for c in chunks])
    assert np.all(tension == tension[0])
    single = sim.simulate(TRAP, steps=800, seed=11, random_events=0.2)
    assert tension[0] == pytest.approx(single.metrics["tension"])


def test_summary_folds_chunks_like_one_table() -> None:
    pop = RandomCouples(900, seed=4)
    summary = sweep_summary(pop, chunk_size=250, steps=500)
    frame = pd.concat([c.to_frame() for c in iter_sweep(pop, chunk_size=900, steps=500)])
    assert summary.n == 900 and sum(summary.counts.values()) == 900
    assert summary.counts == frame["verdict"].value_counts().reindex(sim.VERDICTS, fill_value=0).to_dict()
    assert summary.mean("tension") == pytest.approx(frame["tension"].mean(), rel=1e-12)
    assert summary.stats["period"]["count"] == frame["period"].notna().sum()
    assert summary.stats["amplitude"]["max"] == frame["amplitude"].max()
    assert "ending" not in summary.stats, "words are counted, not summed"
    escalating = frame[frame["verdict"] == "escalates"]
    assert summary.endings == escalating["ending"].value_counts().reindex(list(summary.endings), fill_value=0).to_dict()
    assert sum(summary.endings.values()) == summary.counts["escalates"] > 0
    assert sum(summary.shares().values()) == pytest.approx(1.0)
    table = summary.to_frame()
    assert table.loc["tension", "mean"] == pytest.approx(frame["tension"].mean())
    half = 1.959964 * frame["tension"].std(ddof=1) / np.sqrt(900)
    assert table.loc["tension", "high"] - table.loc["tension", "low"] == pytest.approx(2 * half, rel=1e-6)
    shares = summary.shares_frame().set_index("verdict")
    for verdict, row in shares.iterrows():
        assert row["low"] <= row["share"] <= row["high"] and row["count"] == summary.counts[verdict]
        assert (row["low"], row["high"]) == sim.stats.wilson(summary.counts[verdict], 900)
    assert SweepSummary.empty().merge(summary).counts == summary.counts
    assert pickle.loads(pickle.dumps(summary)).counts == summary.counts
    assert pickle.loads(pickle.dumps(summary)).endings == summary.endings


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_write_sweep_streams_rows_to_a_file(tmp_path, suffix: str) -> None:
    pop = Grid({"b.avoidance": np.linspace(0, 1, 7), "a.anxiety": np.linspace(0, 1, 9)})
    path = tmp_path / f"sweep{suffix}"
    rows = write_sweep(pop, path, chunk_size=10, steps=300)
    assert rows == 63
    frame = pd.read_csv(path, comment="#") if suffix == ".csv" else pd.read_parquet(path)
    assert frame["index"].tolist() == list(range(63))
    whole = next(iter_sweep(pop, chunk_size=63, steps=300)).to_frame()
    assert frame["verdict"].tolist() == whole["verdict"].tolist()
    np.testing.assert_allclose(frame["tension"], whole["tension"], rtol=1e-12)
    with pytest.raises(ValueError, match="csv or .parquet"):
        write_sweep(pop, tmp_path / "sweep.xlsx")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_sweep_that_fails_part_way_leaves_the_file_that_was_there(tmp_path, suffix: str, monkeypatch) -> None:
    path = tmp_path / f"sweep{suffix}"
    path.write_text("the earlier sweep\n")
    real = sim.sweep.chunks.iter_sweep

    def breaks(*args, **kwargs):
        for k, chunk in enumerate(real(*args, **kwargs)):
            if k == 2:
                raise OSError(28, "No space left on device")
            yield chunk

    monkeypatch.setattr(sim.sweep.chunks, "iter_sweep", breaks)
    with pytest.raises(OSError, match="No space"):
        write_sweep(RandomCouples(50), path, chunk_size=10, steps=50)
    assert path.read_text() == "the earlier sweep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], "no partial file is left"
    monkeypatch.setattr(sim.sweep.chunks, "iter_sweep", real)
    assert write_sweep(RandomCouples(50), path, chunk_size=10, steps=50) == 50
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_share_intervals_cover_the_populations_share_as_often_as_they_say() -> None:
    """The share of couples that cycle in a large population is the truth; small sweeps drawn from
    the same ranges with other seeds hold it inside their 95 % interval about 95 % of the time."""
    truth = sweep_summary(RandomCouples(20_000, seed=1), steps=400).shares()["cycles"]
    covered = 0
    for seed in range(2, 42):
        low, high = sweep_summary(RandomCouples(150, seed=seed), steps=400).share_intervals()["cycles"]
        covered += low <= truth <= high
    assert covered >= 34, f"{covered} of 40"  # 40 intervals at 95 %: fewer than 35 happens 1 time in 20


def test_grouped_shares_split_the_verdicts_by_a_column_or_by_bins() -> None:
    table = pd.concat([c.to_frame() for c in iter_sweep(RandomCouples(600, seed=3), steps=500)])
    grouped = sim.sweep.grouped_shares(table, pd.cut(table["a.anxiety"], [0.0, 0.5, 1.0]).rename("a.anxiety"))
    assert len(grouped) == 2 * len(sim.VERDICTS)
    for _, group in grouped.groupby("a.anxiety", observed=True):
        assert group["count"].sum() == group["n"].iloc[0] and group["share"].sum() == pytest.approx(1.0)
        assert ((group["low"] <= group["share"]) & (group["share"] <= group["high"])).all()
    assert grouped["count"].sum() == 600
    two = sim.sweep.grouped_shares(table.assign(hi_a=table["a.anxiety"] > 0.5, hi_b=table["b.avoidance"] > 0.5),
                                   ["hi_a", "hi_b"])
    assert set(two.columns) >= {"hi_a", "hi_b", "verdict", "share"} and len(two) == 4 * len(sim.VERDICTS)
    corner = two[two["hi_a"] & two["hi_b"] & (two["verdict"] == "settles")]["share"].iloc[0]
    calm = two[~two["hi_a"] & ~two["hi_b"] & (two["verdict"] == "settles")]["share"].iloc[0]
    assert calm > corner, "low anxiety and low avoidance settle more often than both high"
    with pytest.raises(ValueError, match="verdict"):
        sim.sweep.grouped_shares(table.drop(columns="verdict"), "a.anxiety")






def _peak_bytes(n: int) -> int:
    pop = RandomCouples(n, seed=9)
    tracemalloc.start()
    try:
        summary = sweep_summary(pop, chunk_size=250, steps=10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert summary.n == n
    return peak


def test_streaming_memory_does_not_grow_with_the_population() -> None:
    """A sweep 8 times larger peaks at about the same memory: only one chunk is held at a time."""
    _peak_bytes(250)  # warm up: first-call allocations are not the sweep's
    # the lower of two runs each: one-off allocations (caches filled on first use) are not the sweep's either
    small, large = min(_peak_bytes(1_500) for _ in range(2)), min(_peak_bytes(12_000) for _ in range(2))
    tracemalloc.start()
    try:
        held = RandomCouples(12_000, seed=9).couples(0, 12_000)
        all_couples = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(held) == 12_000
    assert large < 1.5 * small
    assert large < 0.25 * all_couples


def test_bad_sweep_arguments() -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        list(iter_sweep([TRAP], chunk_size=0))
    with pytest.raises(ValueError, match="fixed seed"):
        list(iter_sweep([TRAP], seed=None))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sim.Couple"):
        list(iter_sweep(["trap"]))
    with pytest.raises(ValueError, match="Grid, RandomCouples"):
        list(iter_sweep(42))












def test_a_sweep_computes_what_it_is_asked_besides_the_run_per_couple_and_it_pickles():
    grid = sim.sweep.Grid({"a.anxiety": [0.1, 0.5, 0.9], "b.avoidance": [0.2, 0.8]})
    chunks = list(sim.sweep.iter_sweep(grid, chunk_size=4, steps=50,
                                       analyse=lambda couples: {"anx": np.array([c.a.anxiety for c in couples])}))
    assert [len(c) for c in chunks] == [4, 2]
    np.testing.assert_array_equal(np.concatenate([c.analysis["anx"] for c in chunks]),
                                  np.concatenate([c.values["a.anxiety"] for c in chunks]))
    back = pickle.loads(pickle.dumps(chunks[1]))
    np.testing.assert_array_equal(back.analysis["anx"], chunks[1].analysis["anx"])


def test_the_regime_map_is_the_sweep_of_its_grid():
    m = sim.regime_map(n=4, steps=300, chunk_size=5)
    grid = sim.sweep.Grid({"b.avoidance": m.y, "a.anxiety": m.x}, sim.PRESETS["anxious-avoidant"])
    chunks = list(sim.sweep.iter_sweep(grid, steps=300))
    np.testing.assert_array_equal(m.verdict.ravel(), np.concatenate([c.verdict for c in chunks]))
    np.testing.assert_array_equal(m.metrics["tension"].ravel(), np.concatenate([c.metrics["tension"] for c in chunks]))


def test_the_analysis_beside_the_batch_gives_what_it_gives_after_it(monkeypatch):
    """Where the threading layer allows it, a chunk's analysis runs in a second thread while the
    batch runs; the regime map (run and analytic boundary) is the same either way."""
    import sim.sweep.chunks as chunks

    beside = sim.regime_map(n=5, steps=200, chunk_size=10)
    monkeypatch.setattr(chunks, "threads_may_overlap", lambda: False)
    after = sim.regime_map(n=5, steps=200, chunk_size=10)
    for name in ("verdict", "stable", "max_real", "rest_closeness"):
        np.testing.assert_array_equal(getattr(beside, name), getattr(after, name))


def test_threads_overlap_only_on_a_threading_layer_that_allows_it(monkeypatch):
    from sim import engine

    monkeypatch.setenv("ATTRACT_REPEL_BACKEND", "numpy")
    assert engine.threads_may_overlap()
    monkeypatch.delenv("ATTRACT_REPEL_BACKEND")
    if engine.default_backend() == "numba":
        import numba

        assert engine.threads_may_overlap() == (numba.threading_layer() in engine.SAFE_LAYERS)
