"""Shared test set-up: compile the numba kernel once, before any timed test runs.

The first ``sim.simulate`` in a fresh process compiles (or loads from the on-disk cache) the fast
kernel. Doing it here keeps that one-off cost out of tests with timeouts, such as AppTest runs.
"""

import pytest

import sim


@pytest.fixture(scope="session", autouse=True)
def warm_numba_kernel() -> None:
    sim.simulate(sim.PRESETS["secure"], steps=10)
