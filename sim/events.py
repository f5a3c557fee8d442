"""Events: moments that jolt the couple's state (an intimate moment, a conflict, stress).

An event happens at a day ``at`` and changes the state at once, by an amount proportional to its
``size``. Random triggers are drawn as a Poisson process with a given rate (events per day) from
the run's own seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .limits import MAX_DAY, RUN_FIELDS
from .specs import ParamSpec, check_value

__all__ = ["EVENT_FIELDS", "EVENT_KINDS", "SIZE_RANGE", "Event", "EventKind", "draw_random", "draw_random_events",
           "event_table", "events_from_arrays"]

EVENT_FIELDS: dict[str, ParamSpec] = {
    "at": ParamSpec(
        low=0.0, high=MAX_DAY, unit="day",
        label={"en": "On day", "nl": "Op dag"},
        help={"en": "The day the event happens.", "nl": "De dag waarop de gebeurtenis plaatsvindt."}),
    "size": ParamSpec(
        low=0.0, high=5.0, unit="1",
        label={"en": "Size", "nl": "Grootte"},
        help={"en": "How strong the event is; each kind proposes its usual size.",
              "nl": "Hoe sterk de gebeurtenis is; elke soort stelt zijn gebruikelijke grootte voor."}),
}
"""An event's numeric fields, declared once (the kind is one of :data:`EVENT_KINDS`)."""
SIZE_RANGE = (EVENT_FIELDS["size"].low, EVENT_FIELDS["size"].high)
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
        object.__setattr__(self, "at", check_value("event at", self.at, EVENT_FIELDS["at"]))
        size = EVENT_KINDS[self.kind].default_size if self.size is None else self.size
        object.__setattr__(self, "size", check_value("event size", size, EVENT_FIELDS["size"]))


_NAMES = tuple(EVENT_KINDS)
_DEFAULT_SIZE = np.array([kind.default_size for kind in EVENT_KINDS.values()])
_EFFECT = np.array([[kind.closeness, kind.engulfment, kind.abandonment] for kind in EVENT_KINDS.values()])


def draw_random(rate: float, duration: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random triggers as arrays: their days (sorted) and kinds (indices into :data:`EVENT_KINDS`).

    A Poisson process with ``rate`` events per day over ``duration`` days; kinds are drawn uniformly,
    sizes are each kind's default. Nothing per event is built, so a run's work stays in arrays.
    """
    rate = check_value("random_events", rate, RUN_FIELDS["random_events"])
    if rate == 0.0:
        return np.empty(0), np.empty(0, dtype=np.intp)
    count = int(rng.poisson(rate * duration))
    times = np.sort(rng.uniform(0.0, duration, size=count))
    kinds = rng.integers(0, len(EVENT_KINDS), size=count)
    return times, kinds


def draw_random_events(rate: float, duration: float, rng: np.random.Generator) -> tuple[Event, ...]:
    """Random triggers (:func:`draw_random`) as :class:`Event` objects."""
    return events_from_arrays(*draw_random(rate, duration, rng))


def events_from_arrays(times: np.ndarray, kinds: np.ndarray) -> tuple[Event, ...]:
    """Events at ``times`` of the kinds ``kinds`` (indices into :data:`EVENT_KINDS`), at their default
    sizes. The arrays come from :func:`draw_random`, whose values are valid by construction, so the
    events are built without checking each one again."""
    out = []
    for at, kind in zip(times.tolist(), kinds.tolist(), strict=True):
        event = object.__new__(Event)
        object.__setattr__(event, "kind", _NAMES[kind])
        object.__setattr__(event, "at", at)
        object.__setattr__(event, "size", float(_DEFAULT_SIZE[kind]))
        out.append(event)
    return tuple(out)


def event_table(events: tuple[Event, ...], dt: float, steps: int,
                drawn: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Events as an array of shape (K, 4): step index, d closeness, d engulfment, d abandonment.

    ``drawn`` adds random triggers as arrays (:func:`draw_random`). Events are taken in order of
    their day (listed ones before drawn ones on the same day); an event at day ``at`` is applied at
    the start of step ``round(at / dt)``; events past the end of the run are dropped.
    """
    at = np.array([ev.at for ev in events], dtype=float)
    kind = np.array([_NAMES.index(ev.kind) for ev in events], dtype=np.intp)
    size = np.array([ev.size for ev in events], dtype=float)
    if drawn is not None:
        at = np.concatenate([at, drawn[0]])
        kind = np.concatenate([kind, drawn[1]])
        size = np.concatenate([size, _DEFAULT_SIZE[drawn[1]]])
    order = np.argsort(at, kind="stable")
    step = np.rint(at[order] / dt)
    keep = step < steps
    table = np.empty((int(keep.sum()), 4))
    table[:, 0] = step[keep]
    table[:, 1:] = _EFFECT[kind[order][keep]] * size[order][keep, None]
    return table
