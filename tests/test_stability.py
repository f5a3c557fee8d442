"""Tests of sim/stability.py: resting states, their eigenvalues, the one rule, and agreement with simulation.

Every check compares with an independent method (central finite differences, the right-hand side
itself, an RK4 run, the simulated verdict) or with a value worked out by hand.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

import numpy as np
import pytest

import sim
from sim.dynamics import DOUBT_GAIN, N_STATE, TIP, jacobian, phi, rhs, to_rates
from sim.partners import param_matrix
from sim.sweep import set_params

st = importlib.import_module("sim.stability")  # the module (sim.stability is the function)

TRAP = sim.PRESETS["anxious-avoidant"]
FOLD = 0.768994
"""a.doubt_threshold of the trap below which its stay state is lost (found by sim.continuation)."""


def _random_couples(n: int, seed: int) -> list[sim.Couple]:
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(anxiety=rng.random(), avoidance=rng.random()),
                       b=sim.Partner(anxiety=rng.random(), avoidance=rng.random())) for _ in range(n)]


def _arrays(couples: list[sim.Couple]) -> tuple[np.ndarray, ...]:
    return (param_matrix([c.a for c in couples]), param_matrix([c.b for c in couples]),
            np.array([c.fading for c in couples]), np.array([c.fear_ceiling for c in couples]))


@pytest.fixture(scope="module")
def drawn() -> dict:
    """300 couples, anxiety and avoidance uniform in [0, 1] for both partners (seed 2026), analysed."""
    couples = _random_couples(300, 2026)
    pa, pb, delta, ceiling = _arrays(couples)
    return {"couples": couples, "pa": pa, "pb": pb, "delta": delta, "ceiling": ceiling,
            "analysis": st.analyse(pa, pb, delta, ceiling)}


def _rhs(x: np.ndarray, pa: np.ndarray, pb: np.ndarray, delta: float, ceiling: float) -> np.ndarray:
    return rhs(np.array(x, dtype=float), to_rates(pa.copy()), to_rates(pb.copy()), delta, ceiling, np.empty(N_STATE))


# ------------------------------------------------------------------------------------------------
# The Jacobians, against central finite differences
# ------------------------------------------------------------------------------------------------


def test_analytic_jacobian_matches_central_differences_of_rhs_at_random_states() -> None:
    rng = np.random.default_rng(11)
    couples = _random_couples(40, 11)
    pa, pb, _, _ = _arrays(couples)
    h = 1e-6
    for i in range(len(couples)):
        x = np.r_[rng.uniform(0.2, 2.0), rng.uniform(-1.0, 1.5, 2), rng.uniform(0.05, 2.0, 8),
                  rng.uniform(0.05, 0.9, 2)]
        delta, ceiling = rng.uniform(0.1, 2.0), rng.uniform(1.0, 6.0)
        numeric = np.empty((N_STATE, N_STATE))
        for k in range(N_STATE):
            e = np.zeros(N_STATE)
            e[k] = h
            plus, minus = (_rhs(x + s * e, pa[i], pb[i], delta, ceiling) for s in (1, -1))
            numeric[:, k] = (plus - minus) / (2 * h)
        np.testing.assert_allclose(jacobian(x, pa[i], pb[i], delta, ceiling), numeric, atol=1e-6, rtol=1e-6)


def test_newton_jacobian_of_the_rest_equations_matches_central_differences() -> None:
    rng = np.random.default_rng(5)
    couples = _random_couples(64, 5)
    pa, pb, delta, ceiling = _arrays(couples)
    z = np.stack([rng.uniform(-0.3, 1.2, 64), rng.uniform(-0.3, 1.2, 64), rng.uniform(0.0, 0.7, 64),
                  rng.uniform(0.0, 0.7, 64)])
    z[1] = np.maximum(z[1], -z[0] + 0.05)  # closeness > 0
    gone = rng.random((2, 64)) < 0.2
    z[2:][gone] = 1.0
    _, _, jac = st._rest(z, pa.T, pb.T, delta, ceiling, gone)
    h = 1e-7
    for k in range(4):
        e = np.zeros((4, 1))
        e[k] = h
        plus = st._rest(z + e, pa.T, pb.T, delta, ceiling, gone)[1]
        minus = st._rest(z - e, pa.T, pb.T, delta, ceiling, gone)[1]
        np.testing.assert_allclose(jac[:, k], (plus - minus) / (2 * h), atol=1e-5)


# ------------------------------------------------------------------------------------------------
# Resting states
# ------------------------------------------------------------------------------------------------


def test_every_resting_state_found_is_a_zero_of_rhs(drawn: dict) -> None:
    res = drawn["analysis"]
    checked = 0
    for i in range(len(drawn["couples"])):
        for k in range(res["count"][i]):
            out = _rhs(res["states"][i, k], drawn["pa"][i], drawn["pb"][i], drawn["delta"][i], drawn["ceiling"][i])
            assert np.max(np.abs(out)) < 1e-9
            checked += 1
    assert checked > 1500  # about six resting states per couple: stay, tipping saddles, break-ups


def test_doubts_sit_on_their_roots_and_the_branches_are_named_by_them(drawn: dict) -> None:
    """At rest D = 1, or D^2 - D/2 + q phi(E + B - theta) = 0: D_low < 1/4 < D_mid <= 1/2."""
    res = drawn["analysis"]
    present = np.arange(res["states"].shape[1])[None, :] < res["count"][:, None]
    d = res["states"][..., 11:13][present]
    branch = res["branch"][present]
    assert np.all((branch == st.ONE) == (d == 1.0))
    assert np.all(d[branch == st.LOW] < 0.5 * TIP) and np.all(d[branch == st.MID] >= 0.5 * TIP)
    assert np.all(d[branch == st.MID] <= TIP + 1e-12)
    assert {0, 1, 2} <= set(np.unique(branch))


def test_the_break_up_is_always_found_and_is_stable(drawn: dict) -> None:
    res = drawn["analysis"]
    for i in range(len(drawn["couples"])):
        states = res["states"][i, :res["count"][i]]
        both_gone = np.flatnonzero((states[:, 11] == 1.0) & (states[:, 12] == 1.0))
        assert both_gone.size == 1
        k = both_gone[0]
        assert res["stable"][i, k] and st.KINDS[res["kind"][i, k]] == "break-up"
        assert states[k, 0] == pytest.approx(0.0, abs=1e-9)  # nobody is near any more


def test_a_doubt_at_rest_below_its_tolerance_relaxes_at_minus_one_over_two_tD() -> None:
    """Hand-worked: with fear below the tolerance, tD D' = D (D - 1/2)(1 - D), slope -1/2 at D = 0;
    closeness feeds nothing at the secure rest (both rectifier slopes are 0 there), so -delta is an
    eigenvalue too. The leading eigenvalues are the two doubts (-1/60); the kind ignores them and
    reads -delta = -0.5, real: a node, although the efforts' modes further down are complex."""
    s = sim.stability(sim.PRESETS["secure"])
    assert s.equilibrium[11] == s.equilibrium[12] == 0.0
    np.testing.assert_allclose(s.eigenvalues[:2], -0.5 / 30.0, atol=1e-12)
    assert np.min(np.abs(s.eigenvalues - (-0.5))) < 1e-9
    assert np.any(np.abs(s.eigenvalues.imag) > 0.1)
    assert s.kind == "stable node" and s.stable


def test_the_kind_reads_the_leading_eigenvalues_in_order() -> None:
    trap = sim.stability(TRAP)
    assert trap.kind == "unstable spiral" and not trap.stable
    assert trap.eigenvalues[0].real > 0 and abs(trap.eigenvalues[0].imag) > 0.5
    assert trap.eigenvalues[0] == np.conj(trap.eigenvalues[1])
    assert np.all(np.diff(trap.eigenvalues.real) <= 0)
    pair = sim.stability(sim.PRESETS["anxious-anxious"])
    assert pair.kind == "stable spiral" and pair.stable
    assert abs(pair.eigenvalues[2].imag) > 0.5  # after the two doubts relaxing on their own


def test_couples_without_a_stay_state_break_up() -> None:
    """Fear at rest above the tolerance for good: no stay root, the couple's state is the break-up."""
    for name in ("intense-trap", "fearful-fearful"):
        s = sim.stability(sim.PRESETS[name])
        assert s.kind == "break-up" and not s.stable and not s.unique
        assert tuple(s.equilibrium[11:13]) == (1.0, 1.0)
        assert s.all_stable[s.index]
        assert all(k == "break-up" for k in s.all_kinds)


def test_a_fold_two_stay_states_meet_with_an_eigenvalue_through_zero_like_a_square_root() -> None:
    """Past the fold there is no stay state; just before it two, a saddle and its partner, whose
    smallest eigenvalue is real and shrinks like the square root of the distance to the fold."""
    assert not sim.stability(set_params(TRAP, {"a.doubt_threshold": FOLD - 1e-3})).unique
    near = []
    for gap in (1e-4, 1e-2):
        s = sim.stability(set_params(TRAP, {"a.doubt_threshold": FOLD + gap}))
        stay = [k for k, x in enumerate(s.all_equilibria) if max(x[11], x[12]) < 0.5 * TIP]
        assert len(stay) == 2 and not s.unique
        p = st.effective_params(set_params(TRAP, {"a.doubt_threshold": FOLD + gap}))
        lin = st.linearise(s.all_equilibria[stay], p[None, 0], p[None, 1], TRAP.fading, TRAP.fear_ceiling)
        small = lin["eigenvalues"][np.arange(2), np.argmin(np.abs(lin["eigenvalues"]), axis=1)]
        assert np.all(np.abs(small.imag) < 1e-9)
        assert np.sign(lin["det"][0]) == -np.sign(lin["det"][1])
        near.append(np.abs(small.real).mean())
    assert near[1] / near[0] == pytest.approx(10.0, rel=0.25)


# ------------------------------------------------------------------------------------------------
# The one rule: stability() and stability_arrays() agree, and the run goes where the rule says
# ------------------------------------------------------------------------------------------------


def test_stability_and_stability_arrays_agree_on_300_random_couples(drawn: dict) -> None:
    couples = drawn["couples"] + [set_params(TRAP, {"a.doubt_threshold": FOLD + 1e-3}),
                                  set_params(TRAP, {"a.doubt_threshold": FOLD + 1e-2})]
    pa, pb, delta, ceiling = _arrays(couples)
    arrays = st.stability_arrays(pa, pb, delta, ceiling)
    several = 0
    for i, couple in enumerate(couples):
        s = sim.stability(couple)
        several += len(s.all_equilibria) > 1
        assert arrays["stable"][i] == s.stable
        assert arrays["kind"][i] == s.kind
        assert arrays["unique"][i] == s.unique
        if s.kind == "break-up":
            assert np.isnan(arrays["max_real"][i]) and np.isnan(arrays["closeness"][i])
        else:
            assert arrays["max_real"][i] == pytest.approx(s.max_real, abs=1e-9)
            assert arrays["closeness"][i] == pytest.approx(s.equilibrium[0], abs=1e-9)
    assert several > 250
    assert not arrays["unique"][-2:].any()  # the two couples next to the fold: two stay states each
    assert 0.2 < arrays["stable"].mean() < 0.8


def test_the_run_from_the_start_ends_at_the_chosen_state_whenever_it_comes_to_rest(drawn: dict) -> None:
    res = drawn["analysis"]
    reached = st._reach(drawn["pa"], drawn["pb"], drawn["delta"], drawn["ceiling"],
                        np.array([c.closeness0 for c in drawn["couples"]]), res["states"], res["count"])
    rows = np.flatnonzero(reached >= 0)
    assert rows.size > 50
    np.testing.assert_array_equal(reached[rows], res["pick"][rows])
    assert np.all(res["stable"][rows, res["pick"][rows]])


def test_reached_names_the_state_the_run_ends_at() -> None:
    secure = sim.stability(sim.PRESETS["secure"])
    assert secure.reached == secure.index
    run = sim.simulate(sim.PRESETS["secure"], steps=2000, dt=0.1)
    assert run.closeness[-1] == pytest.approx(secure.equilibrium[0], abs=1e-3)
    assert sim.stability(TRAP).reached is None  # it dances


def test_the_run_settles_exactly_where_the_resting_state_is_stable(drawn: dict) -> None:
    """Over all 300 drawn couples: the run settles exactly where the couple's resting state is stable.

    Near the boundary (the rounds grow or fade at less than 2 % a day: |Re| of the eigenvalue
    that sets the kind below 0.02 per day) the share is reported in the message.
    """
    verdict = sim.simulate_batch(drawn["couples"]).verdict
    arrays = st.stability_arrays(drawn["pa"], drawn["pb"], drawn["delta"], drawn["ceiling"])
    agree = (verdict == "settles") == arrays["stable"]
    near = np.abs(np.nan_to_num(arrays["lead_real"], nan=1.0)) < 0.02
    message = (f"agreement {agree.mean():.3f} over {agree.size} couples; near the boundary "
               f"{agree[near].mean() if near.any() else float('nan'):.3f} over {near.sum()}")
    assert agree.mean() >= 0.95, message
    assert np.all(verdict[arrays["kind"] == "break-up"] != "settles"), message


# ------------------------------------------------------------------------------------------------
# The face
# ------------------------------------------------------------------------------------------------


def test_results_are_read_only_and_shaped() -> None:
    s = sim.stability(sim.PRESETS["secure-anxious"])
    assert s.equilibrium.shape == (13,) and s.jacobian.shape == (13, 13) and s.eigenvalues.shape == (13,)
    k = len(s.all_equilibria)
    assert s.all_equilibria.shape == (k, 13) and s.all_stable.shape == (k,) and len(s.all_kinds) == k
    np.testing.assert_array_equal(s.all_equilibria[s.index], s.equilibrium)
    for arr in (s.equilibrium, s.jacobian, s.eigenvalues, s.all_equilibria, s.all_stable):
        with pytest.raises(ValueError):
            arr[0] = arr[0]
    with pytest.raises(AttributeError):
        s.stable = False  # type: ignore[misc]


def test_swapping_partners_gives_the_same_resting_state_swapped() -> None:
    couple = sim.PRESETS["secure-anxious"]
    s, t = sim.stability(couple), sim.stability(couple.swapped())
    swap = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11]
    np.testing.assert_allclose(t.equilibrium, s.equilibrium[swap], atol=1e-10)
    np.testing.assert_allclose(np.sort_complex(t.eigenvalues), np.sort_complex(s.eigenvalues), atol=1e-8)


def test_interventions_in_force_make_the_trap_stable() -> None:
    every = tuple(sim.Intervention(k) for k in sim.INTERVENTION_KINDS)
    assert not sim.stability(TRAP).stable
    assert sim.stability(TRAP, interventions=every).stable
    coached = sim.stability(TRAP, interventions=(sim.Intervention("coaching"),))
    secure = replace(TRAP, a=sim.Partner(anxiety=0.1, avoidance=0.1), b=sim.Partner(anxiety=0.1, avoidance=0.1))
    np.testing.assert_allclose(coached.equilibrium, sim.stability(secure).equilibrium, atol=1e-10)


def test_kinds_are_described_in_english_and_dutch() -> None:
    assert set(st.KIND_TEXT) == set(st.KINDS)
    for texts in st.KIND_TEXT.values():
        assert set(texts) == {"en", "nl"} and texts["en"] != texts["nl"]
    assert sim.stability(sim.PRESETS["secure"]).describe("nl").startswith("stabiel")
    assert sim.stability(sim.PRESETS["intense-trap"]).describe("nl").startswith("breuk")
    with pytest.raises(ValueError, match="lang"):
        sim.stability(TRAP).describe("de")


@pytest.mark.parametrize("args, name", [
    (("x",), "couple"),
    ((None,), "couple"),
    ((TRAP, "coaching"), "interventions"),
    ((TRAP, [1]), "interventions"),
    ((TRAP, 3), "interventions"),
])
def test_wrong_arguments_raise_value_errors_that_name_them(args: tuple, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        sim.stability(*args)


def test_analysis_of_many_couples_is_the_analysis_of_each(drawn: dict) -> None:
    """The batch contract: slice i of a batch equals the analysis of couple i alone."""
    res = drawn["analysis"]
    for i in (0, 7, 123):
        one = st.analyse(drawn["pa"][i:i + 1], drawn["pb"][i:i + 1], drawn["delta"][i], drawn["ceiling"][i])
        k = one["count"][0]
        assert k == res["count"][i] and one["pick"][0] == res["pick"][i]
        np.testing.assert_allclose(one["states"][0, :k], res["states"][i, :k], atol=1e-12)


def test_the_stay_doubt_is_the_low_root_of_the_module_docstring() -> None:
    """D_low = (1/2 - sqrt(1/4 - 4 q phi)) / 2 at a stay state with fear above the tolerance."""
    theta = FOLD + 0.05
    s = sim.stability(set_params(TRAP, {"a.doubt_threshold": theta}))
    x = s.equilibrium
    fear = phi(x[7] + x[9] - theta)
    assert fear > 0.05 and x[11] > 0.05
    assert x[11] == pytest.approx((TIP - np.sqrt(TIP ** 2 - 4 * DOUBT_GAIN * fear)) / 2, abs=1e-10)


# ------------------------------------------------------------------------------------------------
# The compiled Newton kernel against the numpy one
# ------------------------------------------------------------------------------------------------


def test_compiled_newton_finds_the_numpy_resting_states_on_drawn_couples(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every branch pair (break-ups and tipping states too) from every start, fading and fear
    ceiling drawn as well: the compiled lanes end where numpy's do, to rounding."""
    rng = np.random.default_rng(31)
    couples = [replace(c, fading=float(rng.uniform(0.05, 3.0)), fear_ceiling=float(rng.uniform(1.0, 8.0)))
               for c in _random_couples(120, 31)]
    pa, pb, delta, ceiling = _arrays(couples)
    monkeypatch.setattr(st, "COMPILED_LANES", 1)
    fast = st.equilibria(pa, pb, delta, ceiling)
    monkeypatch.setattr(st, "COMPILED_LANES", 10**12)
    slow = st.equilibria(pa, pb, delta, ceiling)
    assert np.array_equal(fast[2], slow[2])  # the same number of resting states per couple
    assert np.array_equal(fast[1], slow[1])
    assert np.array_equal(np.isnan(fast[0]), np.isnan(slow[0]))
    assert np.nanmax(np.abs(fast[0] - slow[0])) < 1e-9
    assert fast[2].sum() > 2 * len(couples)  # more than the stay state: other branches were found
