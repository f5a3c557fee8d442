"""The vectorised kernel: the same numbers as the scalar kernel it replaced, and as the numpy path.

``data/scalar_kernel_ddcdf91.npz`` holds runs of the scalar numba kernel (one couple per thread,
commit ddcdf91, with the later floor-share change that the script names), made by
``data/make_scalar_reference.py`` for 32 random couples: 300 steps of 0.1 day without help, with two
events, and with events, an intervention and coaching (every 10th instant kept). The block kernel
must give them to rounding: its arithmetic differs only in the order of a few operations (one division
in the saturation instead of two).
"""

from pathlib import Path

import numpy as np
import pytest

import sim
from sim._accel import HAVE_NUMBA, LANES
from sim.engine import run_arrays

REFERENCE = Path(__file__).parent / "data" / "scalar_kernel_ddcdf91.npz"
EVENTS = (sim.Event("intimate_moment", at=3.0), sim.Event("conflict", at=7.5))
HELP = (sim.Intervention("safety", who="both", start=5.0), sim.Intervention("coaching", who="a", start=8.0))
CASES = {"plain": ((), ()), "events": (EVENTS, ()), "help": (EVENTS, HELP)}

pytestmark = pytest.mark.skipif(not HAVE_NUMBA, reason="numba is part of requirements.txt")


def _couples(scores):
    return [sim.Couple(a=sim.Partner(anxiety=a1, avoidance=v1), b=sim.Partner(anxiety=a2, avoidance=v2))
            for a1, v1, a2, v2 in scores]


@pytest.mark.parametrize("case", list(CASES))
def test_block_kernel_reproduces_the_scalar_kernel_on_random_couples(case):
    ref = np.load(REFERENCE)
    events, interventions = CASES[case]
    run = run_arrays(_couples(ref["scores"]), steps=300, dt=0.1, events=events, interventions=interventions,
                     record=True, backend="numba")
    np.testing.assert_allclose(run["traj"][:, :, ::10], ref[f"{case}_traj"], rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(run["learned"][:, :, ::10], ref[f"{case}_learned"], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("n", [1, LANES - 1, LANES, 2 * LANES + 3])
def test_block_kernel_equals_numpy_for_any_batch_size(n):
    """Full and partial blocks: every lane gives what the numpy path gives for that couple."""
    rng = np.random.default_rng(n)
    couples = _couples(rng.uniform(0, 1, (n, 4)))
    kw = {"steps": 400, "dt": 0.1, "events": EVENTS, "interventions": HELP, "record": True}
    fast, slow = run_arrays(couples, backend="numba", **kw), run_arrays(couples, backend="numpy", **kw)
    np.testing.assert_allclose(fast["traj"], slow["traj"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast["acc"], slow["acc"], rtol=1e-9, atol=1e-9)


def test_a_couple_gives_the_same_run_alone_and_in_any_lane_of_a_block():
    rng = np.random.default_rng(7)
    couples = _couples(rng.uniform(0, 1, (LANES + 5, 4)))
    kw = {"steps": 300, "dt": 0.1, "events": EVENTS, "interventions": HELP, "record": False, "backend": "numba"}
    together = run_arrays(couples, **kw)
    for i in (0, 5, LANES - 1, LANES + 4):
        alone = run_arrays([couples[i]], **kw)
        np.testing.assert_array_equal(alone["final"][0], together["final"][i])
        np.testing.assert_array_equal(alone["acc"][0], together["acc"][i])


def test_stiff_couples_take_their_own_substeps_inside_a_shared_block():
    """A fast-alarm couple needs RK4 sub-steps; its block neighbours keep their single step."""
    calm = sim.Couple()
    stiff = sim.Couple(a=sim.Partner(anxiety=0.7, avoidance=0.2, alarm_lag=0.05))
    kw = {"steps": 200, "dt": 0.5, "events": (), "interventions": (), "record": False, "backend": "numba"}
    mixed = run_arrays([calm, stiff, calm], **kw)
    np.testing.assert_array_equal(mixed["final"][0], run_arrays([calm], **kw)["final"][0])
    np.testing.assert_array_equal(mixed["final"][1], run_arrays([stiff], **kw)["final"][0])
    assert np.isfinite(mixed["final"]).all()


def test_fused_multiply_add_changes_no_verdict_of_a_population():
    """The kernel lets LLVM fuse multiply and add (fastmath "contract" only): over 400 random couples
    of 2,000 steps it gives the numpy path's verdicts and, for the steady ones, its swing."""
    rng = np.random.default_rng(2026)
    couples = _couples(rng.uniform(0, 1, (400, 4)))
    fast = sim.simulate_batch(couples, steps=2000, backend="numba")
    slow = sim.simulate_batch(couples, steps=2000, backend="numpy")
    same = fast.verdict == slow.verdict
    assert same.mean() >= 0.995
    steady = same & (fast.metrics["irregularity"] < 0.05)
    np.testing.assert_allclose(fast.metrics["swing"][steady], slow.metrics["swing"][steady], rtol=1e-6, atol=1e-9)
