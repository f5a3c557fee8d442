"""sim/limits.py: a run's limits, declared once and held by every way in (API, scenario files, events)."""

from __future__ import annotations

import pytest

import sim
from sim.limits import MAX_DAY, MAX_DT, MAX_ITEMS, MAX_RANDOM_RATE, MAX_STEPS, MIN_DT, check_items
from sim.scenario import Scenario, ScenarioError


def test_check_items_names_the_argument_and_keeps_a_valid_sequence() -> None:
    events = [sim.Event("stress", at=1.0), sim.Event("conflict", at=2.0)]
    assert check_items(events, sim.Event, "events") == tuple(events)
    assert check_items(iter(events), sim.Event, "events") == tuple(events)
    assert check_items((), sim.Event, "events") == ()
    for bad in (None, 3, "stress", b"x", sim.Event("stress")):
        with pytest.raises(ValueError, match="^events must be a sequence of sim.Event objects"):
            check_items(bad, sim.Event, "events")
    with pytest.raises(ValueError, match="^events must be sim.Event objects, got 'x'"):
        check_items([events[0], "x"], sim.Event, "events")
    with pytest.raises(ValueError, match=f"at most {MAX_ITEMS} items, got {MAX_ITEMS + 1}"):
        check_items(events[:1] * (MAX_ITEMS + 1), sim.Event, "events")


@pytest.mark.parametrize(("settings", "ok"), [
    ({"dt": MIN_DT}, True), ({"dt": MAX_DT}, True), ({"dt": MIN_DT * 0.999}, False), ({"dt": MAX_DT * 1.001}, False),
    ({"steps": MAX_STEPS, "dt": 0.01}, True), ({"steps": MAX_STEPS + 1}, False),
    ({"random_events": MAX_RANDOM_RATE}, True), ({"random_events": MAX_RANDOM_RATE * 1.01}, False),
])
def test_the_api_and_a_scenario_file_accept_and_refuse_the_same_run_settings(settings: dict, ok: bool) -> None:
    scenario_ok = True
    try:
        Scenario(couple=sim.Couple(), **settings)
    except ScenarioError:
        scenario_ok = False
    api_ok = True
    try:
        sim.batch._check_run(settings.get("steps", 10), settings.get("dt", 0.1), (), (),
                             settings.get("random_events", 0.0))
    except ValueError:
        api_ok = False
    assert scenario_ok == api_ok == ok


def test_events_and_interventions_share_the_latest_day() -> None:
    assert sim.Event("stress", at=MAX_DAY).at == MAX_DAY
    assert sim.Intervention("safety", start=MAX_DAY).start == MAX_DAY
    with pytest.raises(ValueError, match="at"):
        sim.Event("stress", at=MAX_DAY * 1.01)
    with pytest.raises(ValueError, match="start"):
        sim.Intervention("safety", start=MAX_DAY * 1.01)
