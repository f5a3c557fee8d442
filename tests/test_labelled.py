"""Labelled arrays (sim.labelled): maps, curves, continuations, diagrams and grid sweeps as xarray, through netCDF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import sim
from sim.provenance import model_id, read_provenance
from sim.sweep import Grid, iter_sweep


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
