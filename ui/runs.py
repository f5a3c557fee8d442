"""Runs for the page: cache keys, and results packed into plain data for ``st.cache_data``.

``st.cache_data`` stores what a cached function returns by pickling it; a ``sim.Result`` holds a
read-only mapping that does not pickle, so the page caches :func:`pack` of a result and rebuilds it
with :func:`unpack` (cheap: the arrays are kept as they are).
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from types import MappingProxyType
from typing import Any

import sim
from sim.result import Result
from sim.scenario import Scenario

__all__ = ["baseline_key", "pack", "run", "run_key", "unpack"]


def run_key(scenario: Scenario) -> str:
    """The scenario as JSON without its language: the same run in English and Dutch shares a key."""
    return json.dumps(replace(scenario, lang="en").to_dict(), sort_keys=True)


def baseline_key(scenario: Scenario) -> str | None:
    """Key of the same scenario without interventions; None when it has none."""
    return run_key(replace(scenario, interventions=())) if scenario.interventions else None


def run(key: str) -> Result:
    """Simulate the scenario of a key made by :func:`run_key`."""
    scenario = Scenario.from_dict(json.loads(key))
    return sim.simulate(scenario.couple, **scenario.run_kwargs())


def pack(result: Result) -> dict[str, Any]:
    """The result's fields as plain, picklable data."""
    data = {f.name: getattr(result, f.name) for f in fields(result)}
    data["metrics"] = dict(result.metrics)
    return data


def unpack(data: dict[str, Any]) -> Result:
    """The result packed by :func:`pack`."""
    return Result(**{**data, "metrics": MappingProxyType(dict(data["metrics"]))})
