"""Provenance: every file the package writes says what made it.

A scenario file (JSON), a run's or a sweep's table (CSV, Parquet) and the command line's JSON report
carry the same record: the software and its version, the model (an identifier of the model's source
code, so two files made by different equations never look alike) and the run's settings (steps,
dt, seed, events, interventions, random triggers; the couple or the population).

Where it sits: a ``"provenance"`` key in JSON; the first line of a CSV file, ``# provenance: {...}``
(read the table with ``pandas.read_csv(path, comment="#")``); the Parquet schema's metadata under
``attract_repel.provenance``. :func:`read_provenance` reads it back from any of the three.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ._version import __version__
from .limits import MAX_ITEMS

__all__ = ["CSV_PREFIX", "MODEL_SOURCES", "PARQUET_KEY", "SOFTWARE", "csv_text", "model_id", "provenance",
           "interventions_data", "read_provenance", "run_settings"]

SOFTWARE = "attract-repel"
MODEL_SOURCES = ("dynamics.py", "engine.py", "metrics.py", "partners.py", "interventions.py", "events.py",
                 "batch.py", "verdict.py", "signals.py")
"""The files of :mod:`sim` whose code decides what a run gives (its equations, integration and verdict)."""
CSV_PREFIX = "# provenance: "
PARQUET_KEY = b"attract_repel.provenance"


@cache
def model_id() -> str:
    """``"<version>+<digest>"``: the version and the first 12 hex digits of the SHA-256 of :data:`MODEL_SOURCES`."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in MODEL_SOURCES:
        digest.update(name.encode())
        digest.update((here / name).read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def provenance(**settings: Any) -> dict[str, Any]:
    """The record for a file: software, version, model and, when given, the run's ``settings``."""
    record: dict[str, Any] = {"software": SOFTWARE, "version": __version__, "model": model_id()}
    if settings:
        record["settings"] = settings
    return record


def interventions_data(interventions: Iterable[Any]) -> list[dict[str, Any]]:
    """Interventions as plain JSON data, as the scenario format writes them."""
    return [{"kind": i.kind, "start": float(i.start), "who": i.who, "strength": float(i.strength)}
            for i in interventions]


def run_settings(*, steps: int, dt: float, seed: int, events: Iterable[Any] = (),
                 interventions: Iterable[Any] = (), random_events: float = 0.0, **more: Any) -> dict[str, Any]:
    """A run's settings as plain JSON data (events and interventions as the scenario format writes them;
    more than ``MAX_ITEMS`` events, as random triggers give, by their count only)."""
    events = tuple(events)
    listed: Any = [{"kind": e.kind, "at": float(e.at), "size": e.size} for e in events]
    if len(events) > MAX_ITEMS:  # random triggers drawn from the seed: the seed and rate say which
        listed = {"count": len(events)}
    return {
        "steps": int(steps), "dt": float(dt), "seed": int(seed), "random_events": float(random_events),
        "events": listed,
        "interventions": interventions_data(interventions),
        **more,
    }


def csv_text(frame: Any, record: dict[str, Any], **to_csv: Any) -> str:
    """``frame`` as CSV text whose first line is the provenance ``record`` (a ``#`` comment)."""
    return f"{CSV_PREFIX}{json.dumps(record, ensure_ascii=False, allow_nan=False)}\n" + frame.to_csv(index=False,
                                                                                                  **to_csv)


def read_provenance(path: str | Path) -> dict[str, Any]:
    """The provenance record of a ``.json``, ``.csv``, ``.parquet`` or ``.nc`` file this package wrote.

    Raises
    ------
    ValueError
        When the file carries none (or is of another kind).
    """
    path = Path(path)
    found: Any = None
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        raw = (pq.read_schema(path).metadata or {}).get(PARQUET_KEY)
        found = json.loads(raw) if raw else None
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8") as lines:
            first = lines.readline()
        found = json.loads(first[len(CSV_PREFIX):]) if first.startswith(CSV_PREFIX) else None
    elif path.suffix == ".nc":
        import xarray

        with xarray.open_dataset(path) as ds:
            raw = ds.attrs.get("provenance")
        found = json.loads(raw) if isinstance(raw, str) else None
    elif path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        found = doc.get("provenance") if isinstance(doc, dict) else None
    if not isinstance(found, dict) or found.get("software") != SOFTWARE:
        raise ValueError(f"{path.name} carries no {SOFTWARE} provenance")
    return found
