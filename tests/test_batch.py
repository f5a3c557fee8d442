"""Tests of sim/batch.py and sim/engine.py: one code path for one couple and for many."""


import numpy as np
import pytest

import sim
from sim._accel import HAVE_NUMBA
from sim.limits import MAX_ITEMS, MAX_RANDOM_EVENTS, MAX_RANDOM_RATE, MIN_DT

COUPLES = [sim.PRESETS[name] for name in ("anxious-avoidant", "secure", "intense-trap", "secure-avoidant")]
RUN = dict(steps=800, dt=0.1, seed=5, random_events=0.05,
           events=(sim.Event("intimate_moment", at=12.0),),
           interventions=(sim.Intervention("safety", start=30.0, who="b"), sim.Intervention("coaching", start=10.0)))


def test_couple_i_of_a_batch_equals_its_single_run():
    batch = sim.simulate_batch(COUPLES, keep="trajectories", **RUN)
    assert batch.trajectories is not None
    for i, couple in enumerate(COUPLES):
        single = sim.simulate(couple, **RUN)
        assert batch.verdict[i] == single.verdict
        np.testing.assert_array_equal(batch.trajectories["closeness"][i], single.closeness)
        np.testing.assert_array_equal(batch.trajectories["move"][i], single.move)
        np.testing.assert_array_equal(batch.trajectories["learned"][i], single.learned)
        for name, value in single.metrics.items():
            if isinstance(value, str):
                assert batch.metrics[name][i] == value, name
                continue
            batch_value = float(batch.metrics[name][i])
            assert (value is None and np.isnan(batch_value)) or value == batch_value, name


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed")
def test_small_batches_run_on_the_calling_thread_and_give_the_numbers_of_a_large_one():
    """A few couples skip numba's worker threads (cheaper); the caller's thread count is left as it was."""
    import numba

    from sim.engine import SERIAL_BELOW

    before = numba.get_num_threads()
    many = sim.simulate_batch(COUPLES * SERIAL_BELOW, keep="trajectories", **RUN)
    few = sim.simulate_batch(COUPLES, keep="trajectories", **RUN)
    assert len(COUPLES) < SERIAL_BELOW <= len(COUPLES) * SERIAL_BELOW
    assert numba.get_num_threads() == before
    assert few.trajectories is not None and many.trajectories is not None
    np.testing.assert_array_equal(few.trajectories["closeness"], many.trajectories["closeness"][: len(COUPLES)])


def test_summary_mode_keeps_no_trajectories_and_gives_the_same_verdicts():
    summary = sim.simulate_batch(COUPLES, **RUN)
    full = sim.simulate_batch(COUPLES, keep="trajectories", **RUN)
    assert summary.trajectories is None
    assert (summary.verdict == full.verdict).all()
    np.testing.assert_array_equal(summary.metrics["tension"], full.metrics["tension"])
    plain = sim.simulate_batch(COUPLES, steps=2000)
    assert set(plain.verdict) == {"settles", "cycles", "escalates"}


@pytest.mark.skipif(not HAVE_NUMBA, reason="the numba backend needs numba installed (requirements.txt has it)")
def test_numba_and_numpy_backends_give_the_same_numbers():
    a = sim.simulate_batch(COUPLES, keep="trajectories", backend="numba", **RUN)
    b = sim.simulate_batch(COUPLES, keep="trajectories", backend="numpy", **RUN)
    assert (a.verdict == b.verdict).all()
    for name in ("closeness", "move", "engulfment", "abandonment", "doubt", "learned"):
        np.testing.assert_allclose(a.trajectories[name], b.trajectories[name], atol=1e-9, rtol=0)








def test_bare_simulate_runs_the_default_couple():
    r = sim.simulate()
    assert r.verdict in sim.VERDICTS and r.steps == sim.DEFAULT_STEPS


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"steps": 0}, "steps"), ({"steps": 2.5}, "steps"), ({"dt": 0.0}, "dt"), ({"dt": float("nan")}, "dt"),
    ({"dt": 2.0}, "dt"), ({"seed": -1}, "seed"), ({"random_events": -0.1}, "random_events"),
    ({"events": ["hug"]}, "events"), ({"interventions": [1]}, "interventions"),
    ({"events": None}, "^events"), ({"interventions": 5}, "^interventions"), ({"events": "conflict"}, "^events"),
    ({"interventions": sim.Intervention("safety")}, "^interventions"), ({"dt": 5e-324}, "^dt"),
    ({"dt": MIN_DT / 2}, "^dt"), ({"events": [sim.Event("stress")] * (MAX_ITEMS + 1)}, "^events .* at most"),
    ({"steps": 10**6, "dt": 1.0, "random_events": 10.0}, "^random_events .* at most"),
])
def test_bad_run_arguments_raise_value_errors_naming_them(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sim.simulate(COUPLES[0], **kwargs)
    with pytest.raises(ValueError, match=match):
        sim.simulate_batch(COUPLES, **kwargs)


@pytest.mark.parametrize("call", ["stability", "regime_map", "sweep_grid"])
def test_every_public_run_names_a_wrong_events_or_interventions_argument(call):
    run = {"stability": lambda **kw: sim.stability(sim.Couple(), **kw),
           "regime_map": lambda **kw: sim.regime_map(n=3, steps=10, analytic=False, **kw),
           "sweep_grid": lambda **kw: sim.sweep.sweep_summary(sim.sweep.Grid({"a.anxiety": [0.2, 0.8]}), steps=10,
                                                              seed=0, **kw)}[call]
    with pytest.raises(ValueError, match="^interventions"):
        run(interventions=None)
    if call != "stability":
        with pytest.raises(ValueError, match="^events"):
            run(events=None)


def test_the_most_random_triggers_a_run_allows_are_drawn_quickly():
    """At the cap (MAX_RANDOM_EVENTS expected over the run) a run is still a run, not a memory blow-up."""
    days = MAX_RANDOM_EVENTS / MAX_RANDOM_RATE
    result = sim.simulate(COUPLES[0], steps=int(days), dt=1.0, seed=1, random_events=0.99 * MAX_RANDOM_RATE)
    assert 0.9 * MAX_RANDOM_EVENTS < len(result.events) <= MAX_RANDOM_EVENTS
    assert result.verdict in sim.VERDICTS


def test_bad_batch_arguments():
    with pytest.raises(ValueError, match="keep"):
        sim.simulate_batch(COUPLES, keep="everything")
    with pytest.raises(ValueError, match="couples"):
        sim.simulate_batch([1, 2])
    with pytest.raises(ValueError, match="backend"):
        sim.simulate_batch(COUPLES, backend="gpu")




