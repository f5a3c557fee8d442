"""Shared test set-up: compile the numba kernel once, before any timed test runs.

The first ``sim.simulate`` in a fresh process compiles (or loads from the on-disk cache) the fast
kernel. Doing it here keeps that one-off cost out of tests with timeouts, such as AppTest runs.
"""

from typing import Any

import pytest

import sim


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``): the browser tests run one after another on one worker,
    so that two pages never wait for two servers on a two-core machine; every other test runs on the
    worker of its file, so that a file's module fixtures are built once."""
    for item in items:
        group = "browser" if item.get_closest_marker("e2e") else str(item.path)
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session", autouse=True)
def warm_numba_kernel() -> None:
    sim.simulate(sim.PRESETS["secure"], steps=10)


@pytest.fixture(scope="session")
def trap_story() -> Any:
    """The workshop's story of the classic trap with "create safety" from day 150 (sim.story)."""
    from sim import story

    return story.build_story(sim.PRESETS["anxious-avoidant"], "safety")


@pytest.fixture(scope="session")
def secure_story() -> Any:
    """The workshop's story of the secure couple with "create safety"."""
    from sim import story

    return story.build_story(sim.PRESETS["secure"], "safety")


@pytest.fixture
def rooms_file(tmp_path, monkeypatch):
    """A fresh SQLite file of rooms for the pages (their store is cached per server process)."""
    import streamlit as st

    from ui.room import STORE_ENV

    path = tmp_path / "rooms.sqlite3"
    monkeypatch.setenv(STORE_ENV, str(path))
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()
