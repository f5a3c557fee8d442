"""The limits of a run, declared once.

``simulate``/``simulate_batch``, scenario files and the page's link all check against these, so
that the work and the memory of one run are bounded by its inputs' documented ranges.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np

from .specs import InputError, ParamSpec, check_value

__all__ = ["DURATION", "MAX_DAY", "MAX_DT", "MAX_ITEMS", "MAX_NAME", "MAX_RANDOM_EVENTS", "MAX_RANDOM_RATE", "MAX_SEED",
           "MAX_STEPS", "MIN_DT", "RUN_FIELDS", "check_items", "check_run"]

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
MAX_SEED = 2**63 - 1
"""Largest seed (a signed 64-bit whole number, as every JSON reader and numpy hold it)."""

RUN_FIELDS: dict[str, ParamSpec] = {
    "steps": ParamSpec(
        low=1, high=MAX_STEPS, unit="step", whole=True,
        label={"en": "Steps", "nl": "Stappen"},
        help={"en": "How many time steps the run takes.", "nl": "Hoeveel tijdstappen de run neemt."}),
    "dt": ParamSpec(
        low=MIN_DT, high=MAX_DT, unit="day",
        label={"en": "Time step", "nl": "Tijdstap"},
        help={"en": "Length of one step of the run.", "nl": "Lengte van één stap van de run."}),
    "seed": ParamSpec(
        low=0, high=MAX_SEED, unit="1", whole=True,
        label={"en": "Seed", "nl": "Seed"},
        help={"en": "The same seed gives the same random triggers, so a run can be repeated exactly.",
              "nl": "Dezelfde seed geeft dezelfde willekeurige aanleidingen, zodat een run precies te herhalen is."}),
    "random_events": ParamSpec(
        low=0.0, high=MAX_RANDOM_RATE, unit="1/day",
        label={"en": "Random triggers per day", "nl": "Willekeurige aanleidingen per dag"},
        help={"en": "Everyday moments that come at random: on average this many per day, drawn from the seed.",
              "nl": "Alledaagse momenten die willekeurig komen: gemiddeld zoveel per dag, getrokken uit de seed."}),
}
"""The run's settings, declared once: ``simulate``, scenario files, the link and the page check these."""

DURATION = ParamSpec(
    low=MIN_DT, high=MAX_STEPS * MAX_DT, unit="day",
    label={"en": "Duration (days)", "nl": "Duur (dagen)"},
    help={"en": "How many days the run covers: its steps times the time step.",
          "nl": "Hoeveel dagen de run beslaat: het aantal stappen maal de tijdstap."})
"""A run's length in days (``steps * dt``): not an argument of ``simulate`` but what a person sets."""


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


def check_count(name: str, value: Any, low: int, high: int) -> int:
    """``value`` as an int in [low, high] (Python or numpy, not true/false), or a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(value)


def check_run(steps: Any, dt: Any, random_events: Any) -> tuple[int, float, float]:
    """The run's settings checked against :data:`RUN_FIELDS` and against each other.

    Raises
    ------
    InputError
        (a ``ValueError``) naming the setting: one outside its range, or ``random_events`` when
        rate times days would draw more than MAX_RANDOM_EVENTS events.
    """
    steps_i = int(check_value("steps", steps, RUN_FIELDS["steps"]))
    dt_f = check_value("dt", dt, RUN_FIELDS["dt"])
    rate = check_value("random_events", random_events, RUN_FIELDS["random_events"])
    days = steps_i * dt_f
    if rate * days > MAX_RANDOM_EVENTS:
        raise InputError("random_events", "out_of_range",
                         f"= {rate:g} per day over {days:g} days would draw about {rate * days:,.0f} events; "
                         f"at most {MAX_RANDOM_EVENTS:,} in one run (lower random_events, or run fewer days)")
    return steps_i, dt_f, rate
