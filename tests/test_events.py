"""Tests of sim/events.py: what each event does, random triggers from the run's seeded generator."""

import numpy as np
import pytest

import sim
from sim.events import EVENT_KINDS, draw_random_events

SECURE = sim.PRESETS["secure"]


def test_an_intimate_moment_raises_closeness_at_its_day():
    r = sim.simulate(SECURE, steps=600, events=(sim.Event("intimate_moment", at=30.0),))
    i = 300
    jump = r.closeness[i + 1] - r.closeness[i - 1]
    assert jump == pytest.approx(EVENT_KINDS["intimate_moment"].default_size, abs=0.1)


def test_a_conflict_lowers_closeness_and_raises_both_fears():
    plain = sim.simulate(SECURE, steps=600)
    r = sim.simulate(SECURE, steps=600, events=(sim.Event("conflict", at=30.0, size=2.0),))
    i = 301
    assert r.closeness[i] < plain.closeness[i] - 0.5
    assert (r.engulfment[:, i] > plain.engulfment[:, i] + 0.5).all()
    assert (r.abandonment[:, i] > plain.abandonment[:, i] + 0.5).all()


def test_stress_raises_fears_without_touching_closeness_at_once():
    plain = sim.simulate(SECURE, steps=600)
    r = sim.simulate(SECURE, steps=600, events=(sim.Event("stress", at=30.0),))
    assert r.closeness[300] == plain.closeness[300]
    assert (r.abandonment[:, 301] > plain.abandonment[:, 301] + 0.2).all()


def test_size_defaults_to_the_kinds_default():
    for name, kind in EVENT_KINDS.items():
        assert sim.Event(name).size == kind.default_size
        assert kind.label["en"] and kind.label["nl"]


def test_random_triggers_come_from_the_seed():
    a = sim.simulate(SECURE, random_events=0.2, seed=3)
    b = sim.simulate(SECURE, random_events=0.2, seed=3)
    c = sim.simulate(SECURE, random_events=0.2, seed=4)
    assert a.events == b.events and (a.closeness == b.closeness).all()
    assert a.events != c.events
    assert a.seed == 3


def test_random_trigger_count_follows_the_rate():
    rng = np.random.default_rng(0)
    counts = [len(draw_random_events(0.5, 200.0, rng)) for _ in range(200)]
    assert np.mean(counts) == pytest.approx(100, rel=0.05)


def test_without_a_seed_the_drawn_seed_is_recorded_and_reproduces_the_run():
    r = sim.simulate(SECURE, random_events=0.3)
    again = sim.simulate(SECURE, random_events=0.3, seed=r.seed)
    assert r.events == again.events and (r.closeness == again.closeness).all()


@pytest.mark.parametrize(("args", "match"), [
    (("hug",), "valid kinds: intimate_moment, conflict, stress"),
    (("conflict",), None),
])
def test_unknown_event_kind_lists_the_valid_ones(args, match):
    if match is None:
        with pytest.raises(ValueError, match="size"):
            sim.Event(*args, size=-1.0)
        with pytest.raises(ValueError, match="at"):
            sim.Event(*args, at=float("inf"))
    else:
        with pytest.raises(ValueError, match=match):
            sim.Event(*args)
