"""Runs for the page: the scenario as a small hashable cache key, and the run of a key.

``st.cache_data`` keys on the arguments and stores the returned ``sim.Result`` by pickling it.
"""

from __future__ import annotations

import json
from dataclasses import replace

import sim
from sim.result import Result
from sim.scenario import Scenario

__all__ = ["baseline_key", "run", "run_key"]


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
