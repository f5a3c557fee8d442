"""The page's state: what the controls show, loaded from a scenario in one place.

The page builds its scenario from its controls; this module does the reverse, writing a scenario
into the state (from a link, an uploaded file, a preset, or when coming back from another page).
It works on any mutable mapping, so it is tested without Streamlit.

Controls that are always drawn keep their value under their own key: ``lang``, ``preset``,
``a.name``, ``a.anxiety``, ``a.avoidance`` (and ``b.*``), ``seed``, ``days``. Controls inside
sections that are drawn only while open (expert parameters, the pair, events, interventions) keep
their value in a store that outlives them, and are seeded from it each time they are drawn:
``a.overrides`` / ``b.overrides`` (parameter -> value set by hand), ``pair`` (couple parameter ->
value), ``random`` (rate of random triggers), ``events`` (list of (kind, day, size)) and
``iv.<kind>`` (dict with ``on``, ``start``, ``who``, ``strength``). ``dt`` is kept as loaded.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from sim import COUPLE_PARAMS, EVENT_KINDS, INTERVENTION_KINDS, PARTNER_PARAMS, PARTNER_SCORES, PRESETS
from sim.partners import Couple
from sim.scenario import Scenario

from .query import DAYS, default_scenario, scenario_from_query

__all__ = [
    "PARTNERS",
    "READY",
    "add_event",
    "derived_value",
    "ensure",
    "event_size_default",
    "hand_over",
    "load",
    "load_preset",
    "matching_preset",
    "param_key",
    "remove_event",
    "seed",
    "write_back",
]

PARTNERS = ("a", "b")
SEEDED = "_seeded"
"""Per control key, the last values the page itself put in that control (see :func:`seed`)."""
SEEDS_KEPT = 32
"""Values kept per control: a rerun sent before the browser saw the page's writes may carry any of them
back; with 4 kept, eight fast key presses on a loaded machine (CI with both cores busy) brought back
values older than that, and the expert sliders were taken as set by hand."""
READY = "_page_ready"
"""Set once the page has read its link in this session."""
IV_START = 60.0
"""Start day an intervention switch proposes (day 60 of the default 200: a before and an after)."""
FIRST_EVENT_DAY = 20.0


def param_key(who: str, name: str) -> str:
    """Key of the expert slider of parameter ``name`` of partner ``who``."""
    return f"{who}.p.{name}"


def derived_value(name: str, anxiety: float, avoidance: float) -> float:
    """The value a parameter takes from the two scores, within its range."""
    spec = PARTNER_PARAMS[name]
    return float(min(max(spec.derive(anxiety, avoidance), spec.low), spec.high))


def event_size_default(kind: str) -> float:
    """The size an event of ``kind`` has unless told otherwise."""
    return float(EVENT_KINDS[kind].default_size)


def load(state: MutableMapping[Any, Any], s: Scenario, *, with_lang: bool = True) -> None:
    """Write scenario ``s`` into the state (call before the controls are drawn, or in a callback)."""
    _load_couple(state, s.couple, with_names=True)
    state["seed"] = int(s.seed)
    state["dt"] = float(s.dt)
    state["days"] = float(s.steps * s.dt)
    state["random"] = float(s.random_events)
    state["events"] = [(e.kind, float(e.at), float(e.size or 0.0)) for e in s.events]
    chosen = {iv.kind: iv for iv in s.interventions}
    for kind in INTERVENTION_KINDS:
        iv = chosen.get(kind)
        state[f"iv.{kind}"] = {"on": iv is not None, "start": float(iv.start) if iv else IV_START,
                               "who": iv.who if iv else "both", "strength": float(iv.strength) if iv else 1.0}
    if with_lang:
        state["lang"] = s.lang
    state["preset"] = None


def _load_couple(state: MutableMapping[Any, Any], couple: Couple, *, with_names: bool) -> None:
    for who, partner in zip(PARTNERS, (couple.a, couple.b), strict=True):
        if with_names:
            state[f"{who}.name"] = partner.name
        for name in PARTNER_SCORES:
            state[f"{who}.{name}"] = float(getattr(partner, name))
        state[f"{who}.overrides"] = {name: float(value) for name, value in partner.overrides().items()}
    state["pair"] = {name: float(getattr(couple, name)) for name in COUPLE_PARAMS}


def load_preset(state: MutableMapping[Any, Any], name: str) -> None:
    """Put preset couple ``name`` in the partner panels; names, events and interventions stay."""
    if name in PRESETS:
        _load_couple(state, PRESETS[name], with_names=False)


def matching_preset(state: MutableMapping[Any, Any]) -> str | None:
    """The preset whose couple the panels show now (same scores, nothing set by hand), else None."""
    pair = state.get("pair", {})
    for name, couple in PRESETS.items():
        same = all(
            state.get(f"{who}.{score}") == getattr(partner, score) and not state.get(f"{who}.overrides")
            for who, partner in zip(PARTNERS, (couple.a, couple.b), strict=True)
            for score in PARTNER_SCORES
        ) and all(pair.get(p) == getattr(couple, p) for p in COUPLE_PARAMS)
        if same:
            return name
    return None


def seed(state: MutableMapping[Any, Any], key: str, value: Any) -> None:
    """Put ``value`` in control ``key`` only when the control shows something else.

    Writing a control's value makes the browser show it even when the person has moved the control
    on since the rerun began: on a busy server fast key presses then see the thumb jump back to a
    value the page no longer holds (the thumb, the link and the results disagree). So the page
    writes only what changed, and remembers what it wrote: a rerun the browser sent before it had
    seen the write carries the old value back, and :func:`write_back` knows it for an echo.
    """
    if key in state and state[key] == value:
        return
    state[key] = value
    seeds = state.setdefault(SEEDED, {})
    seeds[key] = (*seeds.get(key, ())[-(SEEDS_KEPT - 1):], value)


def write_back(state: MutableMapping[Any, Any], store: str, field: str | None, widget_key: str) -> None:
    """Callback of a control drawn only while its section is open: keep its value in ``store``.

    ``field`` None: the store is the value itself; else the store is a dict and ``field`` its entry.
    A value the page put in the control itself before its latest one (:func:`seed`) is the echo of
    a rerun sent before the browser saw the newer one, not a person's choice: it is not kept.
    """
    value = state[widget_key]
    earlier = state.get(SEEDED, {}).get(widget_key, ())[:-1]
    if value in earlier:
        return
    state[store] = value if field is None else {**state.get(store, {}), field: value}


def ensure(state: MutableMapping[Any, Any], query: dict[str, Any]) -> list[str]:
    """Fill the widget keys at the start of a run; returns notice keys to show.

    On a session's first run the scenario comes from the link (``query``). When the page's widgets
    lost their state (the user visited another page), the last scenario is put back from
    ``state["scenario"]``.
    """
    if READY not in state:
        scenario, notices = scenario_from_query(query) if query else (default_scenario(), [])
        load(state, scenario)
        state[READY] = True
        return notices
    if "a.anxiety" not in state:
        # back from another page: its language choice (e.g. the workshop's) wins over the scenario's
        last = state.get("scenario")
        load(state, last if isinstance(last, Scenario) else default_scenario(str(state.get("lang", "en"))),
             with_lang="lang" not in state)
    return []


def hand_over(state: MutableMapping[Any, Any], scenario: Scenario) -> None:
    """Make the main page show ``scenario`` when it runs next (another page, such as the guided start, hands it over).

    It works whether or not the main page has run in this session: the controls' keys are written
    (:func:`load`), the scenario is kept where the main page looks for it after a visit elsewhere
    (``state["scenario"]``), and the page counts as having read its link, so that :func:`ensure`
    neither reads the address bar nor loads the default couple over it. The language is the
    scenario's.
    """
    load(state, scenario)
    state["scenario"] = scenario
    state[READY] = True


def add_event(state: MutableMapping[Any, Any], max_events: int) -> bool:
    """Append the event in the ``ev.*`` fields to ``events``; False when the list is full."""
    events = list(state.get("events", []))
    if len(events) >= max_events:
        return False
    day = min(max(float(state.get("ev.day", FIRST_EVENT_DAY)), 0.0), DAYS[1])
    kind = str(state.get("ev.kind", "intimate_moment"))
    size = float(state.get("ev.size", event_size_default(kind)))
    events.append((kind, day, size))
    events.sort(key=lambda e: (e[1], e[0], e[2]))
    state["events"] = events
    return True


def remove_event(state: MutableMapping[Any, Any], index: int) -> None:
    """Drop event number ``index`` from ``events``."""
    events = list(state.get("events", []))
    if 0 <= index < len(events):
        del events[index]
    state["events"] = events
