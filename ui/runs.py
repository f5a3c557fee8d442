"""Runs for the page: the scenario as a cache key, and the run of a key.

``st.cache_data`` keys on the arguments (a frozen :class:`Scenario` hashes by its fields) and stores the
returned ``sim.Result`` by pickling it.
"""

from __future__ import annotations

from dataclasses import replace

import sim
from sim.helps import HelpRanking, what_helps
from sim.result import Result
from sim.scenario import Scenario

from .state import IV_START

__all__ = ["HELP_START_SHARE", "baseline_key", "help_start", "helps", "run", "run_key"]

HELP_START_SHARE = 0.3
"""The help of "What helps you two" starts at this share of the run, and never after day IV_START."""


def run_key(scenario: Scenario) -> Scenario:
    """The scenario without its language: the same run in English and Dutch shares a key."""
    return replace(scenario, lang="en")


def baseline_key(scenario: Scenario) -> Scenario | None:
    """Key of the same scenario without interventions; None when it has none."""
    return run_key(replace(scenario, interventions=())) if scenario.interventions else None


def run(key: Scenario) -> Result:
    """Simulate the scenario of a key made by :func:`run_key`."""
    return sim.simulate(key.couple, **key.run_kwargs())


def help_start(key: Scenario) -> float:
    """The whole day from which "What helps you two" tries each kind of help: a day of the run's first third."""
    return float(min(IV_START, round(HELP_START_SHARE * key.steps * key.dt)))


def helps(key: Scenario) -> HelpRanking:
    """The five kinds of help tried on the couple of a key, by A, by B and by both (the key's own
    interventions left out: each kind is compared with the dance without any help)."""
    kwargs = key.run_kwargs()
    kwargs.pop("interventions")
    return what_helps(key.couple, start=help_start(key), **kwargs)
