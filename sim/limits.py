"""The limits of a run, declared once.

``simulate``/``simulate_batch``, scenario files and the page's link all check against these, so
that the work and the memory of one run are bounded by its inputs' documented ranges.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

__all__ = ["MAX_DAY", "MAX_DT", "MAX_ITEMS", "MAX_NAME", "MAX_RANDOM_EVENTS", "MAX_RANDOM_RATE", "MAX_STEPS", "MIN_DT",
           "check_items"]

T = TypeVar("T")

MAX_STEPS = 1_000_000
"""Steps of one run."""
MIN_DT = 0.001
"""Smallest step (days): about a minute and a half; finer steps change nothing the model can show."""
MAX_DT = 1.0
"""Largest step (days); stiff couples take RK4 sub-steps inside it by themselves."""
MAX_RANDOM_RATE = 10.0
"""Largest rate of random triggers, per day."""
MAX_RANDOM_EVENTS = 100_000
"""Largest expected number of random triggers in one run (rate times days): each becomes an event
of the result. 10 a day over 10,000 days is the most."""
MAX_DAY = 1e6
"""Latest day an event or an intervention's start may be set to."""
MAX_NAME = 60
"""Longest partner name, in characters."""
MAX_ITEMS = 200
"""Most events, or interventions, listed for one run (and most items of any list of a scenario file)."""


def check_items(value: Any, kind: type[T], name: str) -> tuple[T, ...]:
    """``value`` (events or interventions) as a tuple of at most MAX_ITEMS ``kind`` objects, or a
    ValueError naming the argument ``name``."""
    if isinstance(value, str | bytes | kind) or not isinstance(value, Iterable):
        raise ValueError(f"{name} must be a sequence of sim.{kind.__name__} objects, got {value!r}")
    items = tuple(value)
    if len(items) > MAX_ITEMS:
        raise ValueError(f"{name} must list at most {MAX_ITEMS} items, got {len(items)}")
    for item in items:
        if not isinstance(item, kind):
            raise ValueError(f"{name} must be sim.{kind.__name__} objects, got {item!r}")
    return items
