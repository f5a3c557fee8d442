"""Scenario files: a versioned JSON format for everything that defines a run.

A scenario holds the couple (both partners and the couple parameters), events, interventions,
random trigger rate, seed, duration (``steps`` of ``dt`` days) and the display language.
:func:`save_scenario` and :func:`load_scenario` round-trip it exactly:
``load_scenario(save_scenario(s)) == s`` for every valid ``s``.

Loading is strict and total: unknown keys, repeated keys, wrong types, values out of range or not
finite, documents over :data:`MAX_BYTES`, nesting deeper than the format, and text that is not
JSON all raise :class:`ScenarioError` (a ``ValueError``) whose ``field`` names the dotted path of
the culprit (``"couple.a.anxiety"``, ``"events[2].at"``, or ``"scenario"`` for the document as a
whole); nothing else is raised. A version 2 document is validated against the JSON Schema that
:func:`scenario_schema` builds from the inputs' declarations (:mod:`sim.specs`), so the ranges are
the ones ``simulate`` checks.

Format (version 2, the current one; the full description is ``docs/scenario_format.md``)::

    {"format": "attract-repel-scenario", "version": 2,
     "couple": {"a": {"name": "A", "anxiety": 0.75, "avoidance": 0.15, ...overrides},
                "b": {...}, "closeness0": 1.0, "fading": 0.5, "fear_ceiling": 4.0},
     "events": [{"kind": "intimate_moment", "at": 10.0, "size": 1.5}],
     "interventions": [{"kind": "safety", "start": 30.0, "who": "both", "strength": 1.0}],
     "random_events": 0.0, "seed": 0, "steps": 2000, "dt": 0.1, "lang": "en",
     "provenance": {"software": "attract-repel", "version": "0.2.0", "model": "0.2.0+..."}}

``provenance`` (what wrote the file, :mod:`sim.provenance`) is written by :func:`save_scenario`
and not read back.

Older versions are upgraded one step at a time by the functions in :data:`MIGRATIONS` (version 0
is the pre-release shape of the prototype notebooks, version 1 the files of the first model, with
its energy to pursue); a file that cannot be upgraded is refused with the reason.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .batch import DEFAULT_DT, DEFAULT_STEPS
from .events import EVENT_FIELDS, EVENT_KINDS, Event
from .interventions import INTERVENTION_FIELDS, INTERVENTION_KINDS, Intervention
from .limits import MAX_ITEMS, RUN_FIELDS, check_run
from .partners import COUPLE_PARAMS, NAME_FIELD, PARTNER_PARAMS, PARTNER_SCORES, WHO_FIELD, Couple, Partner
from .provenance import provenance
from .specs import ChoiceSpec, InputError, ParamSpec, TextSpec, check_choice, check_value

__all__ = [
    "ERROR_CODES",
    "FORMAT",
    "LANGS",
    "LANG_FIELD",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MIGRATIONS",
    "Migration",
    "OLDEST_VERSION",
    "VERSION",
    "Scenario",
    "ScenarioError",
    "field_table",
    "load_scenario",
    "save_scenario",
    "scenario_schema",
    "upgrade",
]

FORMAT = "attract-repel-scenario"
"""Value of the ``format`` key: marks a JSON document as a scenario."""
VERSION = 2
"""The version this program writes."""
OLDEST_VERSION = 0
"""The oldest version this program still reads (by upgrading it)."""
MAX_BYTES = 1_000_000
"""Largest document accepted, in bytes of UTF-8."""
MAX_DEPTH = 4
"""Deepest nesting accepted (the format itself needs 3: ``couple.a.name``)."""
MAX_SEED = RUN_FIELDS["seed"].high + 1
"""Seeds are whole numbers in ``[0, MAX_SEED)`` (``sim.limits.RUN_FIELDS["seed"]``)."""
LANG_FIELD = ChoiceSpec(
    choices=("en", "nl"),
    label={"en": "Language", "nl": "Taal"},
    help={"en": "The language of the texts and charts.", "nl": "De taal van de teksten en grafieken."})
"""The display language, declared once: scenario files, the link and both pages offer these."""
LANGS = LANG_FIELD.choices
"""Display languages (the words of :data:`LANG_FIELD`)."""

_BIG_DIGITS = 40
"""Integers in the JSON text with more digits than this are refused (no field needs them)."""
_SHOW = 40


class ScenarioError(InputError):
    """A document that is not a valid scenario.

    Attributes
    ----------
    field : str
        Dotted path of the culprit: ``"couple.a.anxiety"``, ``"events[2].at"``, ``"version"``, or
        ``"scenario"`` when the document as a whole is at fault (not JSON, too large).
    code : str
        The class of error, for choosing a translated notice: one of :data:`ERROR_CODES`.
    reason : str
        What is wrong, in English.
    """

    def __init__(self, field: str, code: str, reason: str) -> None:
        super().__init__(field, code, reason)
        self.args = (f"{field}: {reason}",)


ERROR_CODES = (
    "not_json",       # not JSON text, not UTF-8, or a repeated key
    "too_large",      # over MAX_BYTES
    "too_deep",       # nested deeper than MAX_DEPTH, or more than MAX_ITEMS keys or items
    "not_scenario",   # JSON, but the format marker is missing or wrong
    "version",        # version missing, unknown, newer than this program, or not upgradable
    "unknown_key",    # a key the format does not have
    "missing",        # a required key is absent
    "wrong_type",     # e.g. text where a number belongs
    "not_finite",     # NaN or infinity
    "out_of_range",   # a number outside its declared range
    "unknown_value",  # a kind, who or lang outside its list
)


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """Everything that defines a run, plus the language it is shown in.

    Construction validates every field (``ScenarioError`` names the bad one), so any Scenario can
    be saved and loaded back unchanged.
    """

    couple: Couple = field(default_factory=Couple)
    events: tuple[Event, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    random_events: float = 0.0
    seed: int = 0
    steps: int = DEFAULT_STEPS
    dt: float = DEFAULT_DT
    lang: str = "en"

    def __post_init__(self) -> None:
        if not isinstance(self.couple, Couple):
            raise ScenarioError("couple", "wrong_type", f"must be a sim.Couple, got {type(self.couple).__name__}")
        object.__setattr__(self, "events", _items(self.events, Event, "events"))
        object.__setattr__(self, "interventions", _items(self.interventions, Intervention, "interventions"))
        try:
            steps, dt, rate = check_run(self.steps, self.dt, self.random_events)
            seed = check_value("seed", self.seed, RUN_FIELDS["seed"])
            check_choice("lang", self.lang, LANG_FIELD)
        except InputError as err:
            raise ScenarioError(err.field, err.code, err.reason) from None
        for name, value in (("steps", steps), ("dt", dt), ("random_events", rate), ("seed", seed)):
            object.__setattr__(self, name, value)

    def run_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`sim.simulate` (everything but the couple and the language)."""
        return {"steps": self.steps, "dt": self.dt, "seed": self.seed, "events": self.events,
                "interventions": self.interventions, "random_events": self.random_events}

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain JSON-ready data in the current format (see the module docstring)."""
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
        """Build a scenario from parsed JSON of any supported version.

        Raises
        ------
        ScenarioError
            (a ``ValueError``) naming the bad field; no other exception.
        """
        try:
            doc, version = _upgrade(data)
        except RecursionError:
            raise ScenarioError("scenario", "too_deep", "is nested too deeply") from None
        try:
            return _from_current(doc)
        except ScenarioError as err:
            if version == VERSION:
                raise
            where = err.field
            for v in range(VERSION - 1, version - 1, -1):
                for pattern, old in MIGRATIONS[v].renames:
                    where = re.sub(pattern, old, where)
            raise ScenarioError(where, err.code, f"{err.reason} (in a version {version} file)") from None


def save_scenario(scenario: Scenario, path: str | os.PathLike[str] | None = None) -> str:
    """The scenario as JSON text (UTF-8, indented); also written to ``path`` when one is given.

    The file is replaced atomically: a crash while writing leaves the old file intact.

    Raises
    ------
    ValueError
        When ``scenario`` is not a :class:`Scenario`.
    OSError
        When ``path`` cannot be written.
    """
    if not isinstance(scenario, Scenario):
        raise ScenarioError("scenario", "wrong_type",
                            f"must be a sim.scenario.Scenario, got {type(scenario).__name__}")
    text = json.dumps({**scenario.to_dict(), "provenance": provenance()}, indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"
    if path is not None:
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return text


def load_scenario(source: str | bytes | bytearray | os.PathLike[str]) -> Scenario:
    """Read a scenario from JSON text (``str``), UTF-8 bytes, or a file (``pathlib.Path``, or a ``str``
    naming an existing file).

    A ``str`` that starts with ``{`` is always read as the JSON text itself; any other ``str`` is a file
    name when such a file exists (``load_scenario("couple.json")``), else JSON text (and so an error).
    Bytes are never a file name (the page hands uploads over as bytes).

    Raises
    ------
    ScenarioError
        (a ``ValueError``) for anything that is not a valid scenario, naming the field in
        ``.field``; no other exception.
    """
    raw = _read(source)
    try:
        data = json.loads(raw, object_pairs_hook=_no_repeats, parse_int=_int)
    except ScenarioError:
        raise
    except RecursionError:
        raise ScenarioError("scenario", "too_deep", "is nested too deeply") from None
    except json.JSONDecodeError as err:
        raise ScenarioError("scenario", "not_json",
                            f"is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except ValueError as err:  # pragma: no cover - json raises only the above with these hooks
        raise ScenarioError("scenario", "not_json", f"is not valid JSON: {err}") from None
    return Scenario.from_dict(data)


def upgrade(data: Any) -> dict[str, Any]:
    """Bring parsed JSON of any supported version to the current version, one step at a time.

    Checks the size and nesting, the format marker and the version; the result still has to be
    validated (:meth:`Scenario.from_dict` does both).
    """
    return _upgrade(data)[0]


def _upgrade(data: Any) -> tuple[dict[str, Any], int]:
    """The document in the current version, and the version it came in."""
    _check_depth(data, 0, "scenario")
    doc = _mapping(data, "scenario")
    marker = doc.get("format")
    if "format" in doc and marker != FORMAT:
        raise ScenarioError("format", "not_scenario",
                            f"this is not an Attract & Repel scenario (expected {FORMAT!r}, got {_show(marker)})")
    if "version" not in doc:
        raise ScenarioError("version", "missing", f"is missing; a scenario names its version (current: {VERSION})")
    version = doc["version"]
    if isinstance(version, _BigInt):
        raise ScenarioError("version", "version", f"a number with {len(version)} digits is not a known version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ScenarioError("version", "wrong_type", f"must be a whole number, got {_show(version)}")
    if version > VERSION:
        raise ScenarioError("version", "version",
                            f"{version} is newer than this program reads (up to {VERSION}); "
                            "update Attract & Repel to open this file")
    if version < OLDEST_VERSION:
        raise ScenarioError("version", "version",
                            f"{_show(version)} is not a known version (known: {OLDEST_VERSION} to {VERSION})")
    if version >= 1 and "format" not in doc:
        raise ScenarioError("format", "not_scenario", f"is missing; a scenario file starts with format {FORMAT!r}")
    for step in range(version, VERSION):
        doc = MIGRATIONS[step].apply(doc)
    return doc, version


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a version 2 scenario file, built from the declarations
    (:mod:`sim.specs`): every input's range, unit and meaning, the kinds, the run's limits.

    The loader validates every current-version document against it (with whole numbers written
    without a fraction), so it is the format's definition; published as
    ``docs/scenario.schema.json`` for other tools. A few things no schema can say are checked
    around it: a key named twice, the nesting and size caps, numbers too long or not finite,
    text that is not Unicode, the random triggers' cap over the run's length, older versions.
    """
    def spec(s: ParamSpec) -> dict[str, Any]:
        unit = "" if s.unit == "1" else f" ({s.unit})"
        low, high = (int(s.low), int(s.high)) if s.whole else (s.low, s.high)
        return {"type": "integer" if s.whole else "number", "minimum": low, "maximum": high,
                "description": f"{s.label['en']}{unit}: {s.help['en']}"}

    def choice(s: ChoiceSpec) -> dict[str, Any]:
        return {"type": "string", "enum": list(s.choices), "description": f"{s.label['en']}: {s.help['en']}"}

    def record(kinds: dict[str, Any], fields: dict[str, ParamSpec], **extra: Any) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": ["kind"],
                "properties": {"kind": {"type": "string", "enum": list(kinds)}, **extra,
                               **{key: spec(s) for key, s in fields.items()}}}

    partner = {
        "type": "object", "additionalProperties": False,
        "properties": {"name": {"type": "string", "maxLength": NAME_FIELD.max_length,
                                "description": f"{NAME_FIELD.label['en']}: {NAME_FIELD.help['en']}"},
                       **{key: spec(s) for key, s in {**PARTNER_SCORES, **PARTNER_PARAMS}.items()}},
    }
    event = record(EVENT_KINDS, EVENT_FIELDS)
    event["properties"]["size"] = {"anyOf": [spec(EVENT_FIELDS["size"]), {"type": "null"}],
                                   "description": "null or absent: the kind's own size"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Attract & Repel scenario, version 2",
        "type": "object", "additionalProperties": False, "required": ["format", "version"],
        "maxProperties": MAX_ITEMS,
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "couple": {"type": "object", "additionalProperties": False,
                       "properties": {"a": partner, "b": partner,
                                      **{key: spec(s) for key, s in COUPLE_PARAMS.items()}}},
            "events": {"type": "array", "maxItems": MAX_ITEMS, "items": event},
            "interventions": {"type": "array", "maxItems": MAX_ITEMS,
                              "items": record(INTERVENTION_KINDS, INTERVENTION_FIELDS,
                                              who=choice(WHO_FIELD))},
            **{key: spec(s) for key, s in RUN_FIELDS.items()},
            "lang": choice(LANG_FIELD),
            "provenance": {"type": "object", "description": "What wrote the file (sim.provenance); not read back"},
        },
    }


# --- version 2 (current) ----------------------------------------------------------------------


@cache
def _validator() -> Any:
    """The schema's validator, with whole numbers that are written without a fraction (JSON Schema
    counts 2000.0 as an integer; this format does not)."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    whole = base.TYPE_CHECKER.redefine("integer", lambda _checker, value: type(value) is int)
    return jsonschema.validators.extend(base, type_checker=whole)(scenario_schema())


_SCHEMA_CODES = {"type": "wrong_type", "minimum": "out_of_range", "maximum": "out_of_range",
                 "maxLength": "out_of_range", "enum": "unknown_value", "const": "unknown_value",
                 "additionalProperties": "unknown_key", "required": "missing", "maxItems": "too_deep",
                 "maxProperties": "too_deep", "anyOf": "wrong_type"}
_TYPE_WORDS = {"object": "an object", "array": "a list", "string": "text", "number": "a number",
               "integer": "a whole number"}


def _path(parts: Any) -> str:
    where = ""
    for part in parts:
        where += f"[{part}]" if isinstance(part, int) else (f".{_key(part)}" if where else _key(part))
    return where or "scenario"


def _schema_error(err: Any) -> ScenarioError:
    """A schema validation error as the ScenarioError of the field it is about."""
    where, value, rule = _path(err.absolute_path), err.instance, err.validator
    code = _SCHEMA_CODES.get(rule, "wrong_type")
    if rule == "additionalProperties":
        allowed = tuple(err.schema.get("properties", {}))
        key = next(k for k in value if k not in allowed)
        return ScenarioError(_join(where, key), code, f"is not a key of {where}; allowed: {', '.join(sorted(allowed))}")
    if rule == "required":
        return ScenarioError(_join(where, next(k for k in err.validator_value if k not in value)), code, "is missing")
    if rule in ("minimum", "maximum"):
        low, high = err.schema["minimum"], err.schema["maximum"]
        return ScenarioError(where, code, f"must be in [{low}, {high}], got {_show(value)}")
    if rule == "maxLength":
        return ScenarioError(where, code, f"must be at most {err.validator_value} characters, got {len(value)}")
    if rule in ("enum", "const"):
        options = err.validator_value if rule == "enum" else [err.validator_value]
        return ScenarioError(where, code, f"must be one of {', '.join(map(str, options))}, got {_show(value)}")
    if rule in ("maxItems", "maxProperties"):
        return ScenarioError(where, code, f"has {len(value)} entries; at most {err.validator_value}")
    if rule == "anyOf":  # an event's size: a number in range, or null
        for sub in err.context:
            if sub.validator != "type":
                return _schema_error(sub)
    wanted = err.validator_value if rule == "type" else "number"
    return ScenarioError(where, code, f"must be {_TYPE_WORDS.get(wanted, wanted)}, got {_kind(value)}")


def _join(where: str, key: Any) -> str:
    return _key(key) if where == "scenario" else f"{where}.{_key(key)}"


def _from_current(doc: dict[str, Any]) -> Scenario:
    for err in _validator().iter_errors(doc):
        raise _schema_error(err)
    couple = doc.get("couple", {})

    def partner(slot: str) -> Partner:
        values = {"name": slot.upper(), **couple.get(slot, {})}
        try:
            return Partner(**values)
        except InputError as err:
            raise ScenarioError(f"couple.{slot}.{err.field}", err.code, err.reason) from None

    return Scenario(
        couple=Couple(a=partner("a"), b=partner("b"), **{k: v for k, v in couple.items() if k in COUPLE_PARAMS}),
        events=tuple(Event(e["kind"], at=e.get("at", 10.0), size=e.get("size")) for e in doc.get("events", [])),
        interventions=tuple(Intervention(i.pop("kind"), **i) for i in map(dict, doc.get("interventions", []))),
        random_events=doc.get("random_events", 0.0),
        seed=doc.get("seed", 0),
        steps=doc.get("steps", DEFAULT_STEPS),
        dt=doc.get("dt", DEFAULT_DT),
        lang=doc.get("lang", "en"),
    )


def _partner_dict(p: Partner) -> dict[str, Any]:
    return {"name": p.name, "anxiety": p.anxiety, "avoidance": p.avoidance, **p.overrides()}


def _couple_dict(c: Couple) -> dict[str, Any]:
    return {"a": _partner_dict(c.a), "b": _partner_dict(c.b),
            **{name: getattr(c, name) for name in COUPLE_PARAMS}}


# --- version 0 (pre-release) ------------------------------------------------------------------

_TOP_V0 = ("format", "version", "partners", "closeness0", "fading", "fear_ceiling", "events", "interventions",
           "random_events", "seed", "days", "dt", "language")
_DAYS_V0 = DEFAULT_STEPS * DEFAULT_DT
_RENAMED_V0 = (  # (version-1 path, version-0 path), for error messages about an upgraded file
    (r"^couple\.a(?=\.|$)", "partners[0]"),
    (r"^couple\.b(?=\.|$)", "partners[1]"),
    (r"^couple\.(?=closeness0|fading|fear_ceiling)", ""),
    (r"^(events\[\d+\])\.at$", r"\1.day"),
    (r"^(interventions\[\d+\])\.start$", r"\1.day"),
    (r"^steps$", "days"),
    (r"^lang$", "language"),
)


def _upgrade_v0(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 0 -> 1: the prototype notebooks' shape.

    Version 0 listed the two partners in ``partners`` (name and scores only: expert overrides came
    with version 1), kept the couple parameters at the top, gave the duration in ``days``, event
    and intervention times as ``day``, and the language as ``language``; ``format`` was optional.
    The duration becomes ``steps = days / dt``, which must be a whole number: a file whose duration
    is not a whole number of steps is refused rather than changed.
    """
    _only(doc, _TOP_V0, "scenario")
    partners = _list(doc.get("partners", [{"name": "A"}, {"name": "B"}]), "partners")
    if len(partners) != 2:
        raise ScenarioError("partners", "out_of_range", f"must list exactly 2 partners, got {len(partners)}")
    for k, p in enumerate(partners):
        _only(_mapping(p, f"partners[{k}]"), ("name", "anxiety", "avoidance"), f"partners[{k}]")
    dt = _number(doc.get("dt", DEFAULT_DT), "dt")
    if not RUN_FIELDS["dt"].low <= dt <= RUN_FIELDS["dt"].high:
        raise ScenarioError("dt", "out_of_range",
                            f"must be in {RUN_FIELDS['dt'].range_text()}, got {_show(doc.get('dt'))}")
    days = _number(doc.get("days", _DAYS_V0), "days")
    steps = days / dt
    whole = round(steps) if abs(steps) < 1e15 else 0
    if not 1 <= whole <= RUN_FIELDS["steps"].high:
        raise ScenarioError("days", "out_of_range",
                            f"must give between 1 and {RUN_FIELDS['steps'].high:,} steps of dt = {_show(dt)} days, "
                            f"got {_show(days)}")
    if abs(steps - whole) > 1e-9 * whole:
        raise ScenarioError("days", "version",
                            f"a version 0 file ran {_show(days)} days in steps of {_show(dt)} days, which is not "
                            "a whole number of steps (at least 1); it cannot be converted exactly. Change 'days' "
                            "or 'dt' so that days / dt is whole, or set the duration again and save anew")

    def renamed(items: Any, where: str, old: str, new: str) -> list[Any]:
        out = []
        for k, item in enumerate(_list(items, where)):
            entry = dict(_mapping(item, f"{where}[{k}]"))
            if new in entry:
                raise ScenarioError(f"{where}[{k}]", "unknown_key", f"has unknown key {new!r} (version 0 used {old!r})")
            if old in entry:
                entry[new] = entry.pop(old)
            out.append(entry)
        return out

    couple: dict[str, Any] = {"a": partners[0], "b": partners[1]}
    couple.update({key: doc[key] for key in COUPLE_PARAMS if key in doc})
    new: dict[str, Any] = {"format": FORMAT, "version": 1, "couple": couple,
                           "events": renamed(doc.get("events", []), "events", "day", "at"),
                           "interventions": renamed(doc.get("interventions", []), "interventions", "day", "start"),
                           "steps": whole, "dt": dt}
    new.update({key: doc[key] for key in ("random_events", "seed") if key in doc})
    if "language" in doc:
        new["lang"] = doc["language"]
    return new


@dataclass(frozen=True)
class Migration:
    """One step of upgrading: ``apply`` turns a version-v document into a version-(v + 1) one.

    ``renames`` maps field paths of version v + 1 back to version v ((regex, replacement) pairs),
    so that an error found after upgrading names the field as the file itself spells it.
    """

    apply: Callable[[dict[str, Any]], dict[str, Any]]
    renames: tuple[tuple[str, str], ...] = ()


# --- version 1 (the first model) ---------------------------------------------------------------

DROPPED_V1 = {"despair_rate": (0.0, 30.0), "recovery_time": (0.1, 60.0)}
"""Partner overrides of version 1 that version 2 no longer has, with the ranges version 1 allowed."""
NEW_IN_V2 = ("relief", "doubt_threshold", "doubt_time")
"""Partner overrides that came with version 2: a genuine version 1 file has none of them."""


def _upgrade_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 1 -> 2: the first model's files, read by the second model.

    Version 1 partners could override ``despair_rate`` and ``recovery_time``: the energy to pursue
    that burnt out under fear (protest turning into despair) and came back slowly. The second model
    has no such energy: its rounds come from a delayed alarm and relief by distance, and its slow
    variable is the stay-or-go doubt, which is a different thing (a fear that lasts, not a pursuit
    that tires), so neither number has a place to go and both are dropped. They are still checked
    against the ranges version 1 allowed, and the overrides that came with version 2 are refused in a
version 1 file, so a file that was never valid stays refused.

    Everything else keeps its number and its meaning: ``alarm_lag`` is still the time in days from
    closeness to the alarm it sets off (now the mean delay of a chain of three stages rather than
    the time of one lag), and an explicit ``fear_ceiling`` is kept as it is (version 1 files that
    leave it out get today's default, as any file that leaves a value out does). Three parameters are
    new (``relief``, ``doubt_threshold``, ``doubt_time``): an old file has no overrides for them, so
    they are derived from the scores. A version 1 file therefore describes the same couple, but it
    does not replay the old model's run: the model itself changed.
    """
    couple = doc.get("couple")
    if not isinstance(couple, dict):
        return {**doc, "version": 2}
    new_couple = dict(couple)
    for slot in ("a", "b"):
        partner = couple.get(slot)
        if not isinstance(partner, dict):
            continue
        kept = dict(partner)
        for key in NEW_IN_V2:
            if key in kept:
                raise ScenarioError(f"couple.{slot}.{key}", "unknown_key",
                                    "is not a key of version 1 files (it came with version 2)")
        for key, (low, high) in DROPPED_V1.items():
            if key in kept:
                _range(kept.pop(key), f"couple.{slot}.{key}", low, high)
        new_couple[slot] = kept
    return {**doc, "version": 2, "couple": new_couple}


MIGRATIONS: dict[int, Migration] = {0: Migration(_upgrade_v0, _RENAMED_V0), 1: Migration(_upgrade_v1)}
"""Version v -> the step that upgrades a version-v document to version v + 1."""


# --- checks -----------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """A short repr for error messages."""
    text = repr(value)
    return text if len(text) <= _SHOW else f"{text[:_SHOW]}... ({len(text)} characters)"


class _BigInt(str):
    """Digits of an integer too long for any field (kept as text so parsing stays cheap)."""


def _int(digits: str) -> int | _BigInt:
    return _BigInt(digits) if len(digits) > _BIG_DIGITS else int(digits)


class _Repeated(dict[str, Any]):
    """A JSON object that named a key twice (``repeated``): refused by :func:`_check_depth`, which
    knows where the object is (the parser's hook does not)."""

    repeated: str = ""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out and not isinstance(out, _Repeated):
            out = _Repeated(out)
            out.repeated = key
        out[key] = value
    return out


def _names_a_file(text: str) -> bool:
    """Whether ``text`` is a file name rather than JSON text: not an object's text (a scenario is
    one), short, one line, and the name of an existing file."""
    if len(text) > 4096 or "\n" in text or text.lstrip().startswith("{"):
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _read(source: Any) -> str:
    """The document as text, after checking its size and encoding."""
    if isinstance(source, str) and _names_a_file(source):
        source = Path(source)
    if isinstance(source, os.PathLike):
        try:
            with open(source, "rb") as handle:
                raw: Any = handle.read(MAX_BYTES + 1)
        except (OSError, ValueError) as err:
            raise ScenarioError("scenario", "not_json", f"file cannot be read: {err}") from None
    else:
        raw = source
    if isinstance(raw, bytearray | memoryview):
        raw = bytes(raw)
    if isinstance(raw, str):
        if len(raw) > MAX_BYTES or len(raw.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise ScenarioError("scenario", "too_large", f"is larger than the limit of {MAX_BYTES} bytes")
        return raw
    if not isinstance(raw, bytes):
        raise ScenarioError("scenario", "wrong_type", f"must be JSON text, bytes or a path, got {type(raw).__name__}")
    if len(raw) > MAX_BYTES:
        raise ScenarioError("scenario", "too_large", f"is larger than the limit of {MAX_BYTES} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioError("scenario", "not_json", f"is not UTF-8 text (byte {err.start})") from None


def _key(key: Any) -> str:
    return key if isinstance(key, str) and len(key) <= _SHOW and key.isidentifier() else _show(key)


def _check_depth(value: Any, depth: int, where: str) -> None:
    if depth > MAX_DEPTH:
        raise ScenarioError(where, "too_deep", f"is nested too deeply (more than {MAX_DEPTH} levels)")
    if isinstance(value, _BigInt):
        raise ScenarioError(where, "out_of_range", f"is a number with {len(value)} digits, far out of range")
    if isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(where, "not_finite", f"must be a finite number, got {_show(value)}")
    if isinstance(value, _Repeated):
        path = f"{where}.{_key(value.repeated)}" if depth else _key(value.repeated)
        raise ScenarioError(path, "not_json", "appears twice in one object")
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise ScenarioError(where, "too_deep", f"has {len(value)} keys; at most {MAX_ITEMS}")
        for key, item in value.items():
            _check_depth(item, depth + 1, f"{where}.{_key(key)}" if depth else _key(key))
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise ScenarioError(where, "too_deep", f"has {len(value)} items; at most {MAX_ITEMS}")
        for k, item in enumerate(value):
            _check_depth(item, depth + 1, f"{where}[{k}]")


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(where, "wrong_type", f"must be an object, got {_kind(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise ScenarioError(where, "wrong_type", f"must be a list, got {_kind(value)}")
    if len(value) > MAX_ITEMS:
        raise ScenarioError(where, "too_deep", f"has {len(value)} items; at most {MAX_ITEMS}")
    return list(value)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
             int: "a number", float: "a number", _BigInt: "a number"}
    return f"{names.get(type(value), type(value).__name__)} ({_show(value)})"


def _only(doc: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [key for key in doc if key not in allowed]
    if unknown:
        raise ScenarioError(f"{where}.{_key(unknown[0])}" if where != "scenario" else _key(unknown[0]),
                            "unknown_key", f"is not a key of {where}; allowed: {', '.join(sorted(allowed))}")


def _number(value: Any, where: str) -> float:
    if isinstance(value, _BigInt):
        raise ScenarioError(where, "out_of_range", f"is a number with {len(value)} digits, far out of range")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(where, "wrong_type", f"must be a number, got {_kind(value)}")
    if isinstance(value, int) and abs(value) > 1e300:
        raise ScenarioError(where, "out_of_range", "is far out of range")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(where, "not_finite", f"must be a finite number, got {_show(value)}")
    return number


def _range(value: Any, where: str, low: float, high: float) -> float:
    number = _number(value, where)
    if not low <= number <= high:
        raise ScenarioError(where, "out_of_range", f"must be in [{low}, {high}], got {_show(value)}")
    return number


def _items(values: Any, cls: type, where: str) -> tuple[Any, ...]:
    try:
        items = tuple(values)
    except TypeError:
        raise ScenarioError(where, "wrong_type", f"must be a sequence of {cls.__name__}, got {_kind(values)}") from None
    if len(items) > MAX_ITEMS:
        raise ScenarioError(where, "too_deep", f"has {len(items)} items; at most {MAX_ITEMS}")
    for k, item in enumerate(items):
        if not isinstance(item, cls):
            raise ScenarioError(f"{where}[{k}]", "wrong_type", f"must be a sim.{cls.__name__}, got {_kind(item)}")
    return items


def field_table() -> str:
    """Every declared field of a scenario as a Markdown table (for ``docs/scenario_format.md``).

    Built from the declarations (:mod:`sim.partners`, :mod:`sim.events`, :mod:`sim.interventions`,
    :mod:`sim.limits`), so the documented ranges are the ones the loader enforces; a test checks
    the document against it.
    """
    rows = ["| key | where | range | unit | default | meaning |", "|---|---|---|---|---|---|"]
    defaults = {**{f.name: f.default for cls in (Partner, Couple, Scenario, Event, Intervention)
                   for f in dataclasses.fields(cls)}}
    groups = (("couple.a / couple.b", PARTNER_SCORES), ("couple.a / couple.b", PARTNER_PARAMS),
              ("couple", COUPLE_PARAMS), ("top level", RUN_FIELDS), ("events[k]", EVENT_FIELDS),
              ("interventions[k]", INTERVENTION_FIELDS))
    for where, table in groups:
        for key, spec in table.items():
            default = defaults[key]
            if table is PARTNER_PARAMS:
                sign = "+" if spec.slope >= 0 else "-"
                rule = f"{spec.base:g}"
                if spec.driver is not None:
                    rule += f" {sign} {abs(spec.slope):g} × {spec.driver}"
                shown = f"derived: {rule}"
            elif default is None:
                shown = "the kind's own"
            else:
                shown = f"{default:,}" if spec.whole else f"{default:g}"
            low, high = (f"{int(spec.low):,}", f"{int(spec.high):,}") if spec.whole else (f"{spec.low:g}",
                                                                                           f"{spec.high:g}")
            rows.append(f"| `{key}` | {where} | [{low}, {high}] | {spec.unit} | {shown} | {spec.help['en']} |")
    words: tuple[tuple[str, str, TextSpec | ChoiceSpec, str, str], ...] = (
        ("name", "couple.a / couple.b", NAME_FIELD, "text", '"A" / "B"'),
        ("who", "interventions[k]", WHO_FIELD, "word", f'"{defaults["who"]}"'),
        ("lang", "top level", LANG_FIELD, "word", f'"{defaults["lang"]}"'))
    for key, where, word, unit, shown in words:
        rows.append(f"| `{key}` | {where} | {word.range_text()} | {unit} | {shown} | {word.help['en']} |")
    return "\n".join(rows)
