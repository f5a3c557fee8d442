"""The bifurcation diagram (sim/bifurcation.py) and grids as labelled arrays (sim/labelled.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import sim
from sim.plots.bifurcation import BIFURCATION_TEXT, bifurcation_figure
from sim.provenance import model_id, read_provenance
from sim.sweep import Grid, iter_sweep


def _bases(count: int, seed: int) -> list[sim.Couple]:
    """Couples drawn from the calmer half of the score plane (each score in [0.05, 0.5]), where a
    couple settles until one score rises far enough; further out most couples never settle."""
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(anxiety=a, avoidance=b), b=sim.Partner(anxiety=c, avoidance=d))
            for a, b, c, d in rng.uniform(0.05, 0.5, (count, 4))]


@pytest.mark.parametrize("param", ["a.anxiety", "b.avoidance"])
def test_simulation_and_analysis_meet_on_the_diagram_across_the_score_plane(param: str) -> None:
    """Along one score, from calm couples: the resting state loses its stability at a Hopf point;
    where it is stable the run settles at its closeness, past the Hopf point the rounds open up around it."""
    settled = opened = stable_runs = settling_runs = 0
    for base in _bases(5, seed=len(param)):
        diagram = sim.bifurcation_diagram(param, base, n=41)
        assert diagram.hopf.size >= 1, "the dance begins as the score rises"
        rest, stable = diagram.continuation.closeness, diagram.continuation.stable
        points = np.r_[diagram.hopf, diagram.saddle_node]
        # not right at a bifurcation point, where runs take long to settle or to open up
        clear = np.abs(diagram.values[:, None] - points[None, :]).min(axis=1, initial=1.0) > 0.05
        for k in np.flatnonzero(stable & clear & (diagram.verdict == "settles")):
            assert diagram.low[k] == pytest.approx(rest[k], abs=0.02)
            assert diagram.high[k] == pytest.approx(rest[k], abs=0.02)
            settled += 1
        past_hopf = ~stable & clear & np.isfinite(rest) & (diagram.verdict == "cycles")
        for k in np.flatnonzero(past_hopf):
            assert diagram.low[k] < rest[k] < diagram.high[k]
            opened += 1
        stable_runs += int((stable & clear).sum())
        settling_runs += int((diagram.verdict[stable & clear] == "settles").sum())
    assert settling_runs >= 0.9 * stable_runs, (settling_runs, stable_runs)
    assert settled > 20 and opened > 5, (settled, opened)


def test_the_diagram_of_the_trap_finds_its_hopf_point_where_the_rounds_begin() -> None:
    diagram = sim.bifurcation_diagram("a.anxiety", n=81)
    (hopf,) = diagram.hopf
    before, after = diagram.values < hopf - 0.03, diagram.values > hopf + 0.03
    assert (diagram.verdict[before] == "settles").all() and (diagram.high - diagram.low)[before].max() < 0.01
    assert (diagram.verdict[after] != "settles").all() and (diagram.high - diagram.low)[after].min() > 0.1
    frame = diagram.to_frame()
    assert list(frame.columns[:2]) == ["a.anxiety", "rest_closeness"] and frame.attrs["hopf"] == [hopf]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_figure_draws_every_part_in_the_chosen_language(lang: str) -> None:
    diagram = sim.bifurcation_diagram("a.anxiety", n=41)
    fig = bifurcation_figure(diagram, lang=lang)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert BIFURCATION_TEXT["stable"][lang] in labels and BIFURCATION_TEXT["hopf"][lang] in labels
    assert ax.get_ylabel() == BIFURCATION_TEXT["closeness"][lang]
    assert len(ax.collections) >= 2 * 2  # bars and dots of at least two verdicts


def _roundtrip(ds: xr.Dataset, path: Path) -> xr.Dataset:
    ds.to_netcdf(path)
    back = xr.load_dataset(path)
    xr.testing.assert_identical(ds, back)
    return back


def test_maps_curves_continuations_and_diagrams_are_labelled_arrays_that_survive_netcdf(tmp_path: Path) -> None:
    rmap = sim.regime_map(n=(9, 7), steps=300)
    ds = rmap.to_xarray()
    assert ds["verdict"].dims == ("b.avoidance", "a.anxiety") and ds["tension"].shape == (7, 9)
    assert ds["verdict"].sel({"a.anxiety": rmap.x[5], "b.avoidance": rmap.y[3]}).item() == rmap.verdict[3, 5]
    assert ds["stable"].dtype == bool and ds.attrs["steps"] == 300
    rmap.to_netcdf(tmp_path / "map.nc")
    xr.testing.assert_identical(ds, xr.load_dataset(tmp_path / "map.nc"))
    record = read_provenance(tmp_path / "map.nc")
    assert record["model"] == model_id() and record["settings"]["couple"]["a"]["anxiety"] == 0.75

    along = sim.continuation("b.avoidance", n=31)
    back = _roundtrip(along.to_xarray(), tmp_path / "continuation.nc")
    assert back["state"].sel(entry="m_a").shape == (31,) and back["hopf"].size == along.hopf.size
    curves = sim.bifurcation_curves(n=(11, 9))
    assert _roundtrip(curves.to_xarray(), tmp_path / "curves.nc")["det"].dims == ("b.avoidance", "a.anxiety")
    diagram = sim.bifurcation_diagram(n=21)
    diagram.to_netcdf(tmp_path / "diagram.nc")
    xr.testing.assert_identical(diagram.to_xarray(), xr.load_dataset(tmp_path / "diagram.nc"))
    with pytest.raises(ValueError, match=r"\.nc"):
        diagram.to_netcdf(tmp_path / "diagram.cdf")


def test_a_grid_sweep_becomes_an_array_over_its_axes() -> None:
    grid = Grid({"b.avoidance": np.linspace(0.1, 0.9, 3), "fading": np.linspace(0.2, 1.0, 5)})
    table = pd.concat([c.to_frame() for c in iter_sweep(grid, chunk_size=4, steps=200)])
    ds = grid.to_xarray(table.sample(frac=1.0, random_state=2))  # row order does not matter
    assert ds["verdict"].dims == ("b.avoidance", "fading") and ds["tension"].shape == (3, 5)
    y, x = grid.axes["b.avoidance"][1], grid.axes["fading"][2]
    row = table[(table["b.avoidance"] == y) & (table["fading"] == x)].iloc[0]
    assert ds["tension"].sel({"b.avoidance": y, "fading": x}).item() == row["tension"]
    assert ds["verdict"].isel({"b.avoidance": 1, "fading": 2}).item() == row["verdict"]
    with pytest.raises(ValueError, match="15 rows"):
        grid.to_xarray(table.iloc[:4])
