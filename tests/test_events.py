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


@pytest.mark.parametrize("kind", list(EVENT_KINDS))
def test_every_event_of_size_zero_is_a_no_op(kind):
    """The shared contract of every kind: size 0 leaves the run exactly as it was."""
    plain = sim.simulate(sim.PRESETS["anxious-avoidant"], steps=600)
    r = sim.simulate(sim.PRESETS["anxious-avoidant"], steps=600, events=(sim.Event(kind, at=30.0, size=0.0),))
    for name in ("closeness", "move", "engulfment", "abandonment", "doubt"):
        np.testing.assert_array_equal(getattr(r, name), getattr(plain, name))


@pytest.mark.parametrize("kind", list(EVENT_KINDS))
def test_every_event_keeps_the_state_in_its_domain_even_at_the_largest_size(kind):
    """A jolt of the largest size is put back in range at once: fears stay below the ceiling, closeness >= 0."""
    couple = sim.PRESETS["intense-trap"]
    r = sim.simulate(couple, steps=600, events=(sim.Event(kind, at=30.0, size=5.0),) * 3)
    assert (r.closeness >= 0).all()
    assert (r.engulfment <= couple.fear_ceiling).all() and (r.abandonment <= couple.fear_ceiling).all()
    assert (r.engulfment >= 0).all() and (r.abandonment >= 0).all()


def test_the_event_table_applies_each_event_at_its_step_and_drops_late_ones():
    table = sim.events.event_table((sim.Event("conflict", at=2.04, size=2.0), sim.Event("stress", at=0.5),
                                    sim.Event("intimate_moment", at=99.0)), dt=0.1, steps=100)
    # conflict: closeness -0.5 x 2, fears +0.4 x 2, at step round(2.04 / 0.1) = 20; stress +0.3 at step 5;
    # the intimate moment on day 99 falls after the last step (100 steps of 0.1 day = day 10) and is dropped
    np.testing.assert_allclose(table, [[5, 0.0, 0.3, 0.3], [20, -1.0, 0.8, 0.8]])


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


def test_drawn_triggers_as_arrays_give_the_run_the_same_events_as_listing_them():
    """A batch keeps random triggers in arrays; the same events listed as objects give the same run."""
    rng_seed, couples = 7, [SECURE, sim.PRESETS["anxious-avoidant"]]
    drawn = sim.simulate(couples[1], steps=3000, dt=0.05, random_events=0.4, seed=rng_seed)
    listed = sim.simulate_batch(couples, steps=3000, dt=0.05, events=drawn.events, keep="trajectories")
    arrays = sim.simulate_batch(couples, steps=3000, dt=0.05, random_events=0.4, seed=rng_seed, keep="trajectories")
    assert len(drawn.events) > 50
    assert listed.trajectories is not None and arrays.trajectories is not None
    np.testing.assert_array_equal(listed.trajectories["closeness"], arrays.trajectories["closeness"])
    np.testing.assert_array_equal(arrays.trajectories["closeness"][1], drawn.closeness)


def test_the_event_table_orders_listed_and_drawn_events_by_day():
    listed = (sim.Event("conflict", at=3.0, size=2.0), sim.Event("stress", at=1.0))
    drawn = (np.array([0.5, 3.0, 50.0]), np.array([0, 2, 1]))
    table = sim.events.event_table(listed, dt=1.0, steps=10, drawn=drawn)
    # day 0.5 intimate moment (step 0), day 1 stress, day 3 conflict then the drawn stress of day 3; day 50 dropped
    np.testing.assert_allclose(table[:, 0], [0, 1, 3, 3])
    np.testing.assert_allclose(table[:, 1:], [[1.5, 0, 0], [0, 0.3, 0.3], [-1.0, 0.8, 0.8], [0, 0.3, 0.3]])
    assert sim.events.events_from_arrays(*drawn) == (sim.Event("intimate_moment", at=0.5),
                                                     sim.Event("stress", at=3.0), sim.Event("conflict", at=50.0))
