"""Events: moments that jolt the couple's state (an intimate moment, a conflict, stress).

An event happens at a day ``at`` and changes the state at once, by an amount proportional to its
``size``. Random triggers are drawn as a Poisson process with a given rate (events per day) from
the run's own seeded generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .limits import MAX_DAY, MAX_RANDOM_RATE

__all__ = ["EVENT_KINDS", "SIZE_RANGE", "Event", "EventKind", "draw_random_events", "event_table"]

SIZE_RANGE = (0.0, 5.0)
"""Allowed event sizes (multiples of the kind's effect per unit size)."""


@dataclass(frozen=True, kw_only=True)
class EventKind:
    """What one kind of event does to the state, per unit of size.

    Attributes
    ----------
    closeness : change of closeness
    engulfment, abandonment : change of both partners' fears
    default_size : the size used when none is given
    label : English and Dutch name
    story : where the idea comes from and why it acts like this
    """

    closeness: float
    engulfment: float
    abandonment: float
    default_size: float
    label: dict[str, str]
    story: str


EVENT_KINDS: dict[str, EventKind] = {
    "intimate_moment": EventKind(
        closeness=1.0, engulfment=0.0, abandonment=0.0, default_size=1.5,
        label={"en": "Intimate moment", "nl": "Intiem moment"},
        story="A deep talk or a night together: closeness jumps. For a partner with commitment "
              "anxiety this can overshoot the comfort ceiling and set off the withdrawal reflex "
              "(seed article, opening scene)."),
    "conflict": EventKind(
        closeness=-0.5, engulfment=0.4, abandonment=0.4, default_size=1.0,
        label={"en": "Conflict", "nl": "Conflict"},
        story="A quarrel: distance grows and both fears rise at once (Gottman 2002: negative "
              "influence events)."),
    "stress": EventKind(
        closeness=0.0, engulfment=0.3, abandonment=0.3, default_size=1.0,
        label={"en": "Stress", "nl": "Stress"},
        story="Outside pressure (work, health, money) that raises both partners' alarm without "
              "changing closeness itself (stress spill-over; Neff & Karney 2004)."),
}


@dataclass(frozen=True)
class Event:
    """One event: ``Event("intimate_moment", at=10.0)``; ``size`` defaults to the kind's default."""

    kind: str
    at: float = field(default=10.0, kw_only=True)
    size: float | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(
                f"unknown event kind {self.kind!r}; valid kinds: {', '.join(EVENT_KINDS)}"
            )
        at = _finite("at", self.at, 0.0, MAX_DAY)
        object.__setattr__(self, "at", at)
        size = EVENT_KINDS[self.kind].default_size if self.size is None else self.size
        object.__setattr__(self, "size", _finite("size", size, *SIZE_RANGE))


def _finite(name: str, value: object, low: float, high: float) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"event {name} must be a number in [{low}, {high}], got {value!r}") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"event {name} must be in [{low}, {high}], got {value!r}")
    return number


def draw_random_events(rate: float, duration: float, rng: np.random.Generator) -> tuple[Event, ...]:
    """Random triggers: a Poisson process with ``rate`` events per day over ``duration`` days.

    Kinds are drawn uniformly from :data:`EVENT_KINDS`, sizes at each kind's default.
    """
    rate = _finite("rate", rate, 0.0, MAX_RANDOM_RATE)
    if rate == 0.0:
        return ()
    count = int(rng.poisson(rate * duration))
    times = np.sort(rng.uniform(0.0, duration, size=count))
    kinds = rng.integers(0, len(EVENT_KINDS), size=count)
    names = list(EVENT_KINDS)
    return tuple(Event(names[k], at=float(t)) for t, k in zip(times, kinds, strict=True))


def event_table(events: tuple[Event, ...], dt: float, steps: int) -> np.ndarray:
    """Events as an array of shape (K, 4): step index, d closeness, d engulfment, d abandonment.

    An event at day ``at`` is applied at the start of step ``round(at / dt)``; events past the
    end of the run are dropped.
    """
    rows = []
    for ev in events:
        step = int(round(ev.at / dt))
        if step >= steps:
            continue
        kind = EVENT_KINDS[ev.kind]
        size = float(ev.size)  # type: ignore[arg-type]
        rows.append((step, kind.closeness * size, kind.engulfment * size, kind.abandonment * size))
    rows.sort(key=lambda r: r[0])
    return np.array(rows, dtype=float).reshape(-1, 4)
