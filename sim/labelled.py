"""Grids and maps as labelled arrays (xarray), written to netCDF with their provenance.

``RegimeMap.to_xarray()``, ``BifurcationCurves.to_xarray()``, ``Continuation.to_xarray()`` and
``Grid.to_xarray(table)`` give :class:`xarray.Dataset` objects whose dimensions are the swept
parameters by name (``a.anxiety``, ``b.avoidance``, ...), the same names as every table of the
package. Their ``to_netcdf(path)`` writes the dataset with its provenance in the attribute
``provenance`` (JSON text; :func:`sim.provenance.read_provenance` reads it back).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .interventions import Intervention
from .partners import Couple
from .provenance import interventions_data, provenance

__all__ = ["NETCDF_KEY", "dataset", "write_netcdf"]

NETCDF_KEY = "provenance"
"""The dataset attribute that holds the provenance record (JSON text)."""


def _xarray() -> Any:
    try:
        import xarray
    except ImportError:  # pragma: no cover - xarray is a dependency of the package
        raise ImportError("labelled arrays need xarray: pip install xarray") from None
    return xarray


def dataset(data: Mapping[str, tuple[tuple[str, ...], Any]], coords: Mapping[str, Any], *,
            base: Couple, interventions: tuple[Intervention, ...] = (), **attrs: Any) -> Any:
    """An :class:`xarray.Dataset` of ``data`` (name -> (dims, array)) over ``coords``, its
    attributes the scalar ``attrs`` and the provenance (base couple, interventions and ``attrs``)."""
    xr = _xarray()
    settings = {**attrs, "couple": asdict(base),
                "interventions": interventions_data(interventions)}
    plain = {k: v for k, v in attrs.items() if isinstance(v, str | int | float) and not isinstance(v, bool)}
    return xr.Dataset({name: (dims, values) for name, (dims, values) in data.items()}, coords=dict(coords),
                      attrs={**plain, NETCDF_KEY: json.dumps(provenance(**settings), allow_nan=True)})


def write_netcdf(ds: Any, path: str | Path) -> Path:
    """Write ``ds`` to a netCDF file (``.nc``); read it back with ``xarray.load_dataset(path)``."""
    path = Path(path)
    if path.suffix != ".nc":
        raise ValueError(f"netCDF files end in .nc, got {path.name!r}")
    ds.to_netcdf(path)
    return path
