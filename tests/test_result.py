"""Results (sim.result): read-only, pickled, shaped by contract, and what their arrays mean."""

import pickle

import numpy as np
import pytest

import sim

COUPLES = [sim.PRESETS[name] for name in ("anxious-avoidant", "secure", "intense-trap", "secure-avoidant")]
RUN = dict(steps=800, dt=0.1, seed=5, random_events=0.05,
           events=(sim.Event("intimate_moment", at=12.0),),
           interventions=(sim.Intervention("safety", start=30.0, who="b"), sim.Intervention("coaching", start=10.0)))


def test_results_are_read_only():
    r = sim.simulate(COUPLES[0], steps=50)
    with pytest.raises(ValueError):
        r.closeness[0] = 5.0
    with pytest.raises(TypeError):
        r.metrics["tension"] = 0.0  # type: ignore[index]
    b = sim.simulate_batch(COUPLES, steps=50)
    with pytest.raises(ValueError):
        b.metrics["tension"][0] = 0.0


def test_results_cross_a_pickle_unchanged_and_still_read_only():
    """A process pool or a cache pickles results: they must come back equal, and read-only again."""
    one = sim.simulate(sim.PRESETS["anxious-avoidant"], interventions=[sim.Intervention("safety", start=20.0)])
    back = pickle.loads(pickle.dumps(one))
    assert dict(back.metrics) == dict(one.metrics) and back.verdict == one.verdict
    assert (back.couple, back.signals, back.events, back.interventions) == (one.couple, one.signals, one.events,
                                                                            one.interventions)
    np.testing.assert_array_equal(back.move, one.move)
    assert back.explain("nl") == one.explain("nl")
    with pytest.raises(ValueError):
        back.closeness[0] = 1.0
    with pytest.raises(TypeError):
        back.metrics["tension"] = 0.0  # type: ignore[index]
    batch = sim.simulate_batch([sim.PRESETS["secure"], sim.PRESETS["intense-trap"]], steps=200, keep="trajectories")
    again = pickle.loads(pickle.dumps(batch))
    assert again.trajectories is not None and batch.trajectories is not None
    np.testing.assert_array_equal(again.trajectories["closeness"], batch.trajectories["closeness"])
    np.testing.assert_array_equal(again.metrics["tension"], batch.metrics["tension"])
    with pytest.raises(ValueError):
        again.trajectories["move"][0, 0, 0] = 1.0
    with pytest.raises(TypeError):
        again.metrics["tension"] = np.zeros(2)  # type: ignore[index]


def test_shapes_follow_the_contract():
    r = sim.simulate(COUPLES[0], steps=120, dt=0.05)
    n = 121
    assert r.t.shape == (n,) and r.closeness.shape == (n,)
    for name in ("move", "engulfment", "abandonment", "doubt", "learned"):
        assert getattr(r, name).shape == (2, n)
    assert r.t[-1] == pytest.approx(6.0)
    frame = r.to_frame()
    assert len(frame) == n and {"t", "closeness", "move_a", "move_b", "engulfment_b"} <= set(frame.columns)
    table = sim.simulate_batch(COUPLES, steps=120).to_frame()
    assert len(table) == len(COUPLES) and {"verdict", "tension", "a.anxiety", "b.avoidance"} <= set(table.columns)


def test_move_is_the_effort_beyond_the_calm_pull_of_longing():
    """At rest closeness is held where the efforts balance its fading: delta c = m_a + m_b, with each
    effort m = move + k w (the calm pull of longing k w plus the move beyond it)."""
    couple = sim.PRESETS["secure"]
    r = sim.simulate(couple, steps=4000)
    assert r.verdict == "settles"
    calm = [p.params()["responsiveness"] * p.params()["longing"] for p in (couple.a, couple.b)]
    efforts = r.move[:, -1] + np.array(calm)
    assert couple.fading * r.closeness[-1] == pytest.approx(efforts.sum(), abs=1e-6)
    assert abs(r.move[:, -1]).max() < 0.05, "a secure couple at rest neither pursues nor withdraws"


def test_batch_trajectories_are_attributes_and_only_with_keep_trajectories():
    full = sim.simulate_batch(COUPLES, keep="trajectories", **RUN)
    assert full.trajectories is not None
    for name in ("closeness", "move", "engulfment", "abandonment", "doubt", "learned"):
        np.testing.assert_array_equal(getattr(full, name), full.trajectories[name])
    assert full.closeness.shape == (len(COUPLES), RUN["steps"] + 1)
    assert full.doubt.shape == (len(COUPLES), 2, RUN["steps"] + 1)
    summary = sim.simulate_batch(COUPLES, **RUN)
    with pytest.raises(ValueError, match="keep='trajectories'"):
        _ = summary.closeness
