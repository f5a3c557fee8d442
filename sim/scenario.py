"""Scenario files: a versioned JSON format for everything that defines a run.

A scenario holds the couple (both partners, couple parameters), events, interventions, random
trigger rate, seed, duration (steps and dt) and the display language. ``save_scenario`` and
``load_scenario`` round-trip it exactly. Loading is strict: unknown keys, wrong types, values out
of range or not finite, documents over 1 MB, nesting deeper than the format, and text that is not
JSON all raise ``ValueError`` naming the field; nothing else is raised.

Format (version 1)::

    {"format": "attract-repel-scenario", "version": 1,
     "couple": {"a": {"name": "A", "anxiety": 0.75, "avoidance": 0.15, ...overrides},
                "b": {...}, "closeness0": 1.0, "fading": 0.5, "fear_ceiling": 2.0},
     "events": [{"kind": "intimate_moment", "at": 10.0, "size": 1.5}],
     "interventions": [{"kind": "safety", "start": 30.0, "who": "both", "strength": 1.0}],
     "random_events": 0.0, "seed": 0, "steps": 2000, "dt": 0.1, "lang": "en"}
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch import DEFAULT_DT, DEFAULT_STEPS, MAX_STEPS
from .events import Event
from .interventions import Intervention
from .partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, Couple, Partner

__all__ = ["FORMAT", "LANGS", "MAX_BYTES", "VERSION", "Scenario", "load_scenario", "save_scenario"]

FORMAT = "attract-repel-scenario"
VERSION = 1
MAX_BYTES = 1_000_000
MAX_DEPTH = 4
MAX_ITEMS = 200
LANGS = ("en", "nl")


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """Everything that defines a run, plus the language it is shown in."""

    couple: Couple = field(default_factory=Couple)
    events: tuple[Event, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    random_events: float = 0.0
    seed: int = 0
    steps: int = DEFAULT_STEPS
    dt: float = DEFAULT_DT
    lang: str = "en"

    def __post_init__(self) -> None:
        _check_run_fields(self.random_events, self.seed, self.steps, self.dt, self.lang)
        object.__setattr__(self, "events", tuple(self.events))
        object.__setattr__(self, "interventions", tuple(self.interventions))

    def run_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`sim.simulate` (everything but the couple and the language)."""
        return {"steps": self.steps, "dt": self.dt, "seed": self.seed, "events": self.events,
                "interventions": self.interventions, "random_events": self.random_events}

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain JSON-ready data (the file format)."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "couple": _couple_dict(self.couple),
            "events": [{"kind": e.kind, "at": e.at, "size": e.size} for e in self.events],
            "interventions": [{"kind": i.kind, "start": i.start, "who": i.who, "strength": i.strength}
                              for i in self.interventions],
            "random_events": self.random_events,
            "seed": self.seed,
            "steps": self.steps,
            "dt": self.dt,
            "lang": self.lang,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Build and validate a scenario from parsed JSON; ``ValueError`` names the bad field."""
        _check_depth(data, 0, "scenario")
        doc = _mapping(data, "scenario")
        _only(doc, {"format", "version", "couple", "events", "interventions", "random_events",
                    "seed", "steps", "dt", "lang"}, "scenario")
        if doc.get("format") != FORMAT:
            raise ValueError(f"format must be {FORMAT!r}, got {doc.get('format')!r}")
        version = doc.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise ValueError(f"version must be a whole number, got {version!r}")
        if version > VERSION:
            raise ValueError(f"version {version} is newer than this program reads (up to {VERSION}); update the program")
        if version < 1:
            raise ValueError(f"version must be >= 1, got {version}")
        return cls(
            couple=_couple_from(doc.get("couple", {})),
            events=tuple(_event_from(e, f"events[{k}]") for k, e in enumerate(_list(doc.get("events", []), "events"))),
            interventions=tuple(_intervention_from(i, f"interventions[{k}]")
                                for k, i in enumerate(_list(doc.get("interventions", []), "interventions"))),
            random_events=_number(doc.get("random_events", 0.0), "random_events"),
            seed=_whole(doc.get("seed", 0), "seed"),
            steps=_whole(doc.get("steps", DEFAULT_STEPS), "steps"),
            dt=_number(doc.get("dt", DEFAULT_DT), "dt"),
            lang=_text(doc.get("lang", "en"), "lang"),
        )


def save_scenario(scenario: Scenario, path: str | os.PathLike[str] | None = None) -> str:
    """The scenario as JSON text; also written to ``path`` when one is given."""
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a sim.scenario.Scenario, got {type(scenario).__name__}")
    text = json.dumps(scenario.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def load_scenario(source: str | bytes | os.PathLike[str]) -> Scenario:
    """Read a scenario from JSON text or bytes, or from a file path (``pathlib.Path``).

    Raises
    ------
    ValueError
        For anything that is not a valid scenario, naming the field; no other exception.
    """
    if isinstance(source, os.PathLike):
        try:
            size = os.path.getsize(source)
            if size > MAX_BYTES:
                raise ValueError(f"scenario file is {size} bytes; the limit is {MAX_BYTES}")
            raw: str | bytes = Path(source).read_bytes()
        except OSError as err:
            raise ValueError(f"scenario file cannot be read: {err}") from None
    else:
        raw = source
    if not isinstance(raw, str | bytes):
        raise ValueError(f"scenario must be JSON text, bytes or a path, got {type(raw).__name__}")
    if len(raw) > MAX_BYTES:
        raise ValueError(f"scenario is {len(raw)} bytes; the limit is {MAX_BYTES}")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("scenario is not UTF-8 text") from None
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("scenario is nested too deeply") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"scenario is not valid JSON: {err.msg} at line {err.lineno}") from None
    try:
        return Scenario.from_dict(data)
    except RecursionError:  # pragma: no cover - depth is checked first
        raise ValueError("scenario is nested too deeply") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"scenario holds {name}, which is not a finite number")


def _check_run_fields(random_events: Any, seed: Any, steps: Any, dt: Any, lang: Any) -> None:
    _range(random_events, "random_events", 0.0, 10.0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a whole number in [0, 2^63), got {seed!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be a whole number in [1, {MAX_STEPS}], got {steps!r}")
    if isinstance(dt, bool) or not isinstance(dt, int | float) or not math.isfinite(dt) or not 0 < dt <= 1:
        raise ValueError(f"dt must be in (0, 1] (days), got {dt!r}")
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")


def _check_depth(value: Any, depth: int, where: str) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"{where} is nested too deeply (more than {MAX_DEPTH} levels)")
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"{where} has {len(value)} keys; at most {MAX_ITEMS}")
        for key, item in value.items():
            _check_depth(item, depth + 1, f"{where}.{key}")
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"{where} has {len(value)} items; at most {MAX_ITEMS}")
        for k, item in enumerate(value):
            _check_depth(item, depth + 1, f"{where}[{k}]")


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list, got {type(value).__name__}")
    return value


def _only(doc: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise ValueError(f"{where} has unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{where} must be finite, got {value!r}")
    return number


def _range(value: Any, where: str, low: float, high: float) -> float:
    number = _number(value, where)
    if not low <= number <= high:
        raise ValueError(f"{where} must be in [{low}, {high}], got {value!r}")
    return number


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where} must be a whole number, got {value!r}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} must be text, got {value!r}")
    return value


def _wrap(where: str, build: Any, **kwargs: Any) -> Any:
    try:
        return build(**kwargs)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


def _partner_dict(p: Partner) -> dict[str, Any]:
    return {"name": p.name, "anxiety": p.anxiety, "avoidance": p.avoidance, **p.overrides()}


def _couple_dict(c: Couple) -> dict[str, Any]:
    return {"a": _partner_dict(c.a), "b": _partner_dict(c.b),
            **{name: getattr(c, name) for name in COUPLE_PARAMS}}


def _partner_from(data: Any, where: str) -> Partner:
    doc = _mapping(data, where)
    allowed = {"name", *PARTNER_SCORES, *PARTNER_PARAMS}
    _only(doc, allowed, where)
    kwargs: dict[str, Any] = {}
    if "name" in doc:
        kwargs["name"] = _text(doc["name"], f"{where}.name")
    for name in (*PARTNER_SCORES, *PARTNER_PARAMS):
        if name in doc:
            kwargs[name] = _number(doc[name], f"{where}.{name}")
    return _wrap(where, Partner, **kwargs)


def _couple_from(data: Any) -> Couple:
    doc = _mapping(data, "couple")
    _only(doc, {"a", "b", *COUPLE_PARAMS}, "couple")
    kwargs: dict[str, Any] = {
        "a": _partner_from(doc.get("a", {"name": "A"}), "couple.a"),
        "b": _partner_from(doc.get("b", {"name": "B"}), "couple.b"),
    }
    for name in COUPLE_PARAMS:
        if name in doc:
            kwargs[name] = _number(doc[name], f"couple.{name}")
    return _wrap("couple", Couple, **kwargs)


def _event_from(data: Any, where: str) -> Event:
    doc = _mapping(data, where)
    _only(doc, {"kind", "at", "size"}, where)
    kwargs: dict[str, Any] = {"at": _number(doc.get("at", 10.0), f"{where}.at")}
    if doc.get("size") is not None:
        kwargs["size"] = _number(doc["size"], f"{where}.size")
    return _wrap(where, Event, kind=_text(doc.get("kind"), f"{where}.kind"), **kwargs)


def _intervention_from(data: Any, where: str) -> Intervention:
    doc = _mapping(data, where)
    _only(doc, {"kind", "start", "who", "strength"}, where)
    return _wrap(where, Intervention, kind=_text(doc.get("kind"), f"{where}.kind"),
                 start=_number(doc.get("start", 0.0), f"{where}.start"),
                 who=_text(doc.get("who", "both"), f"{where}.who"),
                 strength=_number(doc.get("strength", 1.0), f"{where}.strength"))
