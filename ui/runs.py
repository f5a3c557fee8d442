"""Runs for the page: the scenario as a cache key, and the run of a key.

``st.cache_data`` keys on the arguments (a frozen :class:`Scenario` hashes by its fields) and stores the
returned ``sim.Result`` by pickling it.
"""

from __future__ import annotations

from dataclasses import replace

import sim
from sim.result import Result
from sim.scenario import Scenario

__all__ = ["baseline_key", "run", "run_key"]


def run_key(scenario: Scenario) -> Scenario:
    """The scenario without its language: the same run in English and Dutch shares a key."""
    return replace(scenario, lang="en")


def baseline_key(scenario: Scenario) -> Scenario | None:
    """Key of the same scenario without interventions; None when it has none."""
    return run_key(replace(scenario, interventions=())) if scenario.interventions else None


def run(key: Scenario) -> Result:
    """Simulate the scenario of a key made by :func:`run_key`."""
    return sim.simulate(key.couple, **key.run_kwargs())
