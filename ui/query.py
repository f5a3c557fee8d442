"""The scenario in the page's address: query parameters that reopen a run exactly.

A link carries the whole scenario as short, readable parameters::

    ?v=1&lang=nl&a.name=Sam&a.anxiety=0.75&a.avoidance=0.15&b.name=Alex&b.anxiety=0.15
    &b.avoidance=0.75&b.alarm_lag=1.5&closeness0=1&fading=0.5&fear_ceiling=2&seed=0&steps=2000
    &dt=0.1&random=0&events=intimate_moment:20:1.5,conflict:45:1
    &interventions=safety:60:both:1,coaching:30:a:0.5

``a.<param>`` / ``b.<param>`` appear only for parameters set by hand (see ``Partner.overrides``);
numbers are written with ``repr`` so that they read back to the same float. Reading is forgiving:
anything missing takes the page's default (the classic anxious-avoidant trap), anything unreadable
or out of range is left at its default and reported as a notice key of the ``app`` catalog, and
nothing raises. :func:`fit_to_page` also brings scenarios from files within what the page can show
(one intervention of each kind, a duration the page offers) and puts them in the page's order, so
that a scenario read back from a link equals the one the page built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sim import COUPLE_PARAMS, EVENT_KINDS, INTERVENTION_KINDS, PARTNER_PARAMS, PARTNER_SCORES, PRESETS
from sim.events import EVENT_FIELDS, Event
from sim.interventions import INTERVENTION_FIELDS, Intervention
from sim.limits import DURATION, RUN_FIELDS
from sim.partners import NAME_FIELD, WHO, Couple, Partner
from sim.presets import CLASSIC
from sim.scenario import LANGS, Scenario
from sim.specs import ParamSpec, TextSpec

__all__ = [
    "DAYS",
    "DEFAULT_PRESET",
    "MAX_EVENTS",
    "PAGE_FIELDS",
    "PAGE_NAME",
    "QUERY_VERSION",
    "WHO",
    "default_scenario",
    "fit_to_page",
    "scenario_from_query",
    "scenario_to_query",
]

QUERY_VERSION = "1"
DEFAULT_PRESET = CLASSIC
"""The page opens on the classic trap."""

_DURATION = DURATION.narrowed(low=10.0, high=1000.0)
DAYS = (_DURATION.low, _DURATION.high)
"""Durations the page offers, in days (``sim.limits.DURATION`` narrowed)."""
_DT = RUN_FIELDS["dt"].narrowed(low=0.02)  # finer steps would make runs too long to draw
PAGE_FIELDS = {
    "days": _DURATION,
    "seed": RUN_FIELDS["seed"].narrowed(high=2**53 - 1),  # the largest a browser number field holds exactly
    "dt": _DT,
    "steps": RUN_FIELDS["steps"].narrowed(high=int(DAYS[1] / _DT.low)),
    "random_events": RUN_FIELDS["random_events"].narrowed(high=1.0),
    "at": EVENT_FIELDS["at"].narrowed(high=DAYS[1]),
    "size": EVENT_FIELDS["size"],
    "start": INTERVENTION_FIELDS["start"].narrowed(high=DAYS[1]),
    "strength": INTERVENTION_FIELDS["strength"],
}
"""What the page offers of the run's, events' and interventions' inputs: their declarations
(``sim.limits.RUN_FIELDS``, ``sim.events.EVENT_FIELDS``, ``sim.interventions.INTERVENTION_FIELDS``),
narrowed where the page shows less than a run allows; never wider."""
MAX_EVENTS = 30
PAGE_NAME: TextSpec = NAME_FIELD.narrowed(max_length=30)
"""A partner's name as the page keeps it: its declaration (``sim.partners.NAME_FIELD``) narrowed to
half the length, so that names fit the page's headings and labels."""

_RUN_KEYS = ("seed", "steps", "dt", "random")
_KNOWN = {"v", "lang", "events", "interventions", *_RUN_KEYS, *COUPLE_PARAMS}
for _who in ("a", "b"):
    _KNOWN.update(f"{_who}.{name}" for name in ("name", *PARTNER_SCORES, *PARTNER_PARAMS))


def default_scenario(lang: str = "en") -> Scenario:
    """What the page shows when nothing else is asked for: the classic trap, seed 0."""
    return Scenario(couple=PRESETS[DEFAULT_PRESET], lang=lang if lang in LANGS else "en")


def _num(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def scenario_to_query(s: Scenario) -> dict[str, str]:
    """The scenario as query parameters (text values), read back exactly by :func:`scenario_from_query`."""
    query = {"v": QUERY_VERSION, "lang": s.lang}
    for who, partner in (("a", s.couple.a), ("b", s.couple.b)):
        query[f"{who}.name"] = partner.name
        for name in PARTNER_SCORES:
            query[f"{who}.{name}"] = _num(getattr(partner, name))
        for name, value in partner.overrides().items():
            query[f"{who}.{name}"] = _num(value)
    for name in COUPLE_PARAMS:
        query[name] = _num(getattr(s.couple, name))
    query.update(seed=str(s.seed), steps=str(s.steps), dt=_num(s.dt), random=_num(s.random_events))
    if s.events:
        query["events"] = ",".join(f"{e.kind}:{_num(e.at)}:{_num(e.size or 0.0)}" for e in s.events)
    if s.interventions:
        query["interventions"] = ",".join(f"{i.kind}:{_num(i.start)}:{i.who}:{_num(i.strength)}"
                                          for i in s.interventions)
    return query


def scenario_from_query(params: Mapping[str, str | list[str]]) -> tuple[Scenario, list[str]]:
    """Read a scenario from query parameters; never raises.

    Parameters
    ----------
    params : parameter name -> text, or list of texts (the last one counts)

    Returns
    -------
    (scenario, notices): the scenario, with the page's defaults for whatever was missing or
    unreadable, and the ``app`` catalog keys of the notices to show (empty for a clean link).
    """
    try:
        return _from_query(params)
    except Exception:  # noqa: BLE001 - a trust boundary: a link must never break the page
        return default_scenario(), ["notice.query_invalid"]


def _from_query(params: Mapping[str, str | list[str]]) -> tuple[Scenario, list[str]]:
    notices: list[str] = []
    query = {str(k): _last(v) for k, v in dict(params).items()}
    if set(query) - _KNOWN:
        notices.append("notice.query_unknown")
    if query.get("v", QUERY_VERSION) != QUERY_VERSION:
        notices.append("notice.query_version")
    base = default_scenario()
    lang = query.get("lang", base.lang)
    if lang not in LANGS:
        notices.append("notice.query_lang")
        lang = base.lang
    partners = []
    for who, default in (("a", base.couple.a), ("b", base.couple.b)):
        partner, ok = _partner(query, who, default)
        partners.append(partner)
        if not ok:
            notices.append("notice.query_partner")
    couple_kwargs: dict[str, float] = {}
    for name, spec in COUPLE_PARAMS.items():
        if name in query:
            value = _float(query[name], spec)
            if value is None:
                notices.append("notice.query_couple")
            else:
                couple_kwargs[name] = value
    couple = Couple(a=partners[0], b=partners[1], **couple_kwargs)
    run, ok = _run(query, base)
    if not ok:
        notices.append("notice.query_run")
    events, ok = _items(query.get("events", ""), _event)
    if not ok:
        notices.append("notice.query_events")
    interventions, ok = _items(query.get("interventions", ""), _intervention)
    if not ok:
        notices.append("notice.query_interventions")
    # more than a scenario may hold: trimmed as the page trims them (fit_to_page), not the link refused
    if len(events) > MAX_EVENTS:
        events = sorted(events, key=lambda e: (e.at, e.kind, e.size))[:MAX_EVENTS]
        notices.append("notice.fit_events")
    if len(interventions) > len(INTERVENTION_KINDS):
        interventions = list(_one_per_kind(tuple(interventions))[0])
        notices.append("notice.fit_interventions")
    scenario = Scenario(couple=couple, events=tuple(events), interventions=tuple(interventions), lang=lang,
                        **run)
    scenario, fitted = fit_to_page(scenario)
    return scenario, _unique(notices + fitted)


def _last(value: str | list[str]) -> str:
    if isinstance(value, list | tuple):
        return str(value[-1]) if value else ""
    return str(value)


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def _float(text: str, spec: ParamSpec) -> float | None:
    """``text`` as a number in ``spec``'s range, or None."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or not spec.low <= value <= spec.high:
        return None
    return value


def _int(text: str, spec: ParamSpec) -> int | None:
    """``text`` as a whole number (digits only) in ``spec``'s range, or None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 20:
        return None
    value = int(text)
    return value if spec.low <= value <= spec.high else None


def _partner(query: dict[str, str], who: str, default: Partner) -> tuple[Partner, bool]:
    ok = True
    kwargs: dict[str, Any] = {"name": default.name, "anxiety": default.anxiety, "avoidance": default.avoidance}
    name = query.get(f"{who}.name")
    if name is not None:
        clean = name.strip()
        if clean and clean.isprintable() and len(clean) <= PAGE_NAME.max_length:
            kwargs["name"] = clean
        else:
            ok = False
    for field_name, spec in (*PARTNER_SCORES.items(), *PARTNER_PARAMS.items()):
        text = query.get(f"{who}.{field_name}")
        if text is None:
            continue
        value = _float(text, spec)
        if value is None:
            ok = False
        else:
            kwargs[field_name] = value
    return Partner(**kwargs), ok


def _run(query: dict[str, str], base: Scenario) -> tuple[dict[str, Any], bool]:
    ok = True
    seed = _int(query.get("seed", str(base.seed)), PAGE_FIELDS["seed"])
    dt = _float(query.get("dt", _num(base.dt)), PAGE_FIELDS["dt"])
    steps = _int(query.get("steps", str(base.steps)), PAGE_FIELDS["steps"])
    rate = _float(query.get("random", _num(base.random_events)), PAGE_FIELDS["random_events"])
    if seed is None:
        ok, seed = False, base.seed
    if dt is None:
        ok, dt = False, base.dt
    if steps is None:
        ok, steps = False, base.steps
    if rate is None:
        ok, rate = False, base.random_events
    return {"seed": seed, "dt": dt, "steps": steps, "random_events": rate}, ok


def _items(text: str, build: Any) -> tuple[list[Any], bool]:
    items, ok = [], True
    for part in (p for p in text.split(",") if p.strip()):
        item = build(part.strip().split(":"))
        if item is None:
            ok = False
        else:
            items.append(item)
    return items, ok


def _event(fields: list[str]) -> Event | None:
    if not 2 <= len(fields) <= 3 or fields[0] not in EVENT_KINDS:
        return None
    at = _float(fields[1], PAGE_FIELDS["at"])
    size = EVENT_KINDS[fields[0]].default_size if len(fields) == 2 else _float(fields[2], PAGE_FIELDS["size"])
    if at is None or size is None:
        return None
    return Event(fields[0], at=at, size=size)


def _intervention(fields: list[str]) -> Intervention | None:
    if len(fields) != 4 or fields[0] not in INTERVENTION_KINDS or fields[2] not in WHO:
        return None
    start = _float(fields[1], PAGE_FIELDS["start"])
    strength = _float(fields[3], PAGE_FIELDS["strength"])
    if start is None or strength is None:
        return None
    return Intervention(fields[0], start=start, who=fields[2], strength=strength)


def fit_to_page(s: Scenario) -> tuple[Scenario, list[str]]:
    """The scenario within what the page offers, in the page's order; notice keys for every change.

    Names are trimmed to ``PAGE_NAME.max_length`` characters (a blank name becomes "A" or "B"); the time step,
    duration, seed and trigger rate are brought into the page's ranges; events later than the
    longest duration are dropped and the rest sorted by day (at most ``MAX_EVENTS``); interventions
    keep one of each kind (two of a kind for partners a and b with the same start and strength
    become one for both), in the order of ``sim.INTERVENTION_KINDS``.
    """
    notices: list[str] = []
    couple = s.couple
    partners = []
    for letter, partner in (("A", couple.a), ("B", couple.b)):
        name = partner.name.strip() or letter
        if len(name) > PAGE_NAME.max_length or not name.isprintable():
            name = "".join(ch for ch in name if ch.isprintable())[:PAGE_NAME.max_length].strip() or letter
            notices.append("notice.fit_names")
        partners.append(replace(partner, name=name))
    couple = replace(couple, a=partners[0], b=partners[1])
    dt, steps, seed, rate = s.dt, s.steps, s.seed, s.random_events
    if not PAGE_FIELDS["dt"].low <= dt <= PAGE_FIELDS["dt"].high:
        days = steps * dt
        dt = default_scenario().dt
        steps = max(1, round(days / dt))
        notices.append("notice.fit_run")
    days = steps * dt
    if not DAYS[0] <= days <= DAYS[1]:
        steps = round(min(max(days, DAYS[0]), DAYS[1]) / dt)
        notices.append("notice.fit_run")
    # rounding to whole steps may land just outside the range: step back inside it
    while steps * dt < DAYS[0]:
        steps += 1
    while steps * dt > DAYS[1] and steps > 1:
        steps -= 1
    if seed > PAGE_FIELDS["seed"].high:
        seed = 0
        notices.append("notice.fit_run")
    if rate > PAGE_FIELDS["random_events"].high:
        rate = PAGE_FIELDS["random_events"].high
        notices.append("notice.fit_run")
    events = sorted((e for e in s.events if e.at <= DAYS[1]), key=lambda e: (e.at, e.kind, e.size))
    if len(events) != len(s.events) or len(events) > MAX_EVENTS:
        events = events[:MAX_EVENTS]
        notices.append("notice.fit_events")
    interventions, merged = _one_per_kind(s.interventions)
    if merged:
        notices.append("notice.fit_interventions")
    fitted = replace(s, couple=couple, dt=dt, steps=steps, seed=seed, random_events=rate, events=tuple(events),
                     interventions=interventions)
    return fitted, _unique(notices)


def _one_per_kind(interventions: tuple[Intervention, ...]) -> tuple[tuple[Intervention, ...], bool]:
    chosen: dict[str, Intervention] = {}
    changed = False
    for iv in interventions:
        start = min(iv.start, DAYS[1])
        changed = changed or start != iv.start
        iv = replace(iv, start=start)
        have = chosen.get(iv.kind)
        if have is None:
            chosen[iv.kind] = iv
        elif ({have.who, iv.who} == {"a", "b"} and have.start == iv.start and have.strength == iv.strength):
            chosen[iv.kind] = replace(have, who="both")
        else:
            changed = True
    ordered = tuple(chosen[kind] for kind in INTERVENTION_KINDS if kind in chosen)
    return ordered, changed
