"""Read-only results that stay read-only across a pickle (sim/frozen.py), for every result type."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest

import sim
from sim.frozen import FrozenMap, frozen
from sim.sweep import Grid, RandomCouples, iter_sweep, sweep_summary

TRAP = sim.PRESETS["anxious-avoidant"]


def test_a_frozen_map_refuses_every_change_and_equals_a_dict_with_its_items() -> None:
    items = {"x": np.arange(3.0), "nested": {"low": 1.0}}
    frozen_map: FrozenMap[Any] = FrozenMap(items)
    assert frozen_map == {"x": frozen_map["x"], "nested": {"low": 1.0}} and len(frozen_map) == 2
    with pytest.raises(TypeError):
        frozen_map["x"] = 0  # type: ignore[index]
    with pytest.raises(TypeError):
        del frozen_map["x"]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        frozen_map._items = {}  # type: ignore[misc]
    with pytest.raises(ValueError):
        frozen_map["x"][0] = 9.0
    with pytest.raises(TypeError):
        frozen_map["nested"]["low"] = 2.0
    assert items["x"].flags.writeable, "the caller's own array must stay as it was"
    assert not frozen(items["x"]).flags.writeable and items["x"].flags.writeable


def _walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every array and mapping inside a result (its attributes, mappings and tuples), with where it is."""
    found: list[tuple[str, Any]] = []
    if isinstance(value, np.ndarray):
        found.append((path, value))
    elif isinstance(value, Mapping):
        found.append((path, value))
        for key, item in value.items():
            found += _walk(item, f"{path}[{key!r}]")
    elif isinstance(value, tuple):
        for k, item in enumerate(value):
            found += _walk(item, f"{path}[{k}]")
    return found


RESULTS: dict[str, Callable[[], Any]] = {
    "Result": lambda: sim.simulate(TRAP, steps=300, interventions=[sim.Intervention("safety", start=5.0)]),
    "BatchResult": lambda: sim.simulate_batch([TRAP, sim.PRESETS["secure"]], steps=200, keep="trajectories"),
    "RegimeMap": lambda: sim.regime_map(n=4, steps=100),
    "Stability": lambda: sim.stability(TRAP),
    "Continuation": lambda: sim.continuation("a.anxiety", base=TRAP, n=21),
    "BifurcationCurves": lambda: sim.bifurcation_curves(n=9),
    "SweepChunk": lambda: next(iter(iter_sweep(RandomCouples(20, seed=1), steps=100))),
    "SweepSummary": lambda: sweep_summary(RandomCouples(20, seed=1), steps=100),
    "Grid": lambda: Grid({"a.anxiety": [0.2, 0.8], "b.avoidance": [0.5]}),
    "RandomCouples": lambda: RandomCouples(10, seed=4),
}


@pytest.mark.parametrize("kind", sorted(RESULTS))
def test_every_result_crosses_a_pickle_equal_and_read_only(kind: str) -> None:
    made = RESULTS[kind]()
    back = pickle.loads(pickle.dumps(made))
    assert type(back) is type(made)
    before = {where: v for name, attr in vars(made).items() for where, v in _walk(attr, f".{name}")}
    after = {where: v for name, attr in vars(back).items() for where, v in _walk(attr, f".{name}")}
    assert before.keys() == after.keys() and after, f"{kind}: nothing read-only to check"
    for where, value in after.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, before[where])
            assert not value.flags.writeable, f"{kind}{where} came back writeable"
        else:
            assert isinstance(value, FrozenMap), f"{kind}{where} came back as {type(value).__name__}"
            assert dict(value).keys() == dict(before[where]).keys()
    for where, value in before.items():
        if isinstance(value, np.ndarray):
            assert not value.flags.writeable, f"{kind}{where} is writeable as made"
