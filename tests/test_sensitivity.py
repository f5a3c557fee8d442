"""Global sensitivity (sim/sensitivity.py): SALib's Morris and Sobol methods on the model's outputs."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import sim
from sim import sensitivity
from sim.sensitivity import OUTPUTS, morris, sobol


def test_the_indices_name_the_parameters_that_drive_a_known_output(monkeypatch) -> None:
    """With the model replaced by y = 4 x1 + x2^2 (x3 idle), Sobol and Morris put each parameter
    where it belongs: the plumbing from samples to named rows is right."""
    def known(samples, refs, base, steps, dt):
        y = 4 * samples[:, 0] + samples[:, 1] ** 2
        return {name: y for name in OUTPUTS}

    monkeypatch.setattr(sensitivity, "outputs_of", known)
    ranges = {"a.anxiety": (0.0, 1.0), "b.avoidance": (0.0, 1.0), "fading": (0.1, 1.0)}
    table = sobol(ranges, outputs=["tension"], n=1024).set_index("param")
    assert list(table.index) == ["a.anxiety", "b.avoidance", "fading"], "sorted by ST"
    # variances: 16/12 for 4 x1, 4/45 for x2^2
    assert table.loc["a.anxiety", "S1"] == pytest.approx((16 / 12) / (16 / 12 + 4 / 45), abs=0.03)
    assert table.loc["fading", "ST"] == pytest.approx(0.0, abs=0.01)
    screened = morris(ranges, outputs=["tension"], trajectories=40).set_index("param")
    assert screened.loc["a.anxiety", "mu_star"] == pytest.approx(4.0, rel=1e-6)
    assert screened.loc["fading", "mu_star"] == pytest.approx(0.0, abs=1e-12)


def test_the_model_is_as_sensitive_to_each_partners_score_as_to_the_mirror_one() -> None:
    """The model treats the partners alike: exchanging them exchanges their scores, so a symmetric
    output (tension, the verdict) is as sensitive to A's anxiety as to B's, within the intervals."""
    table = sobol(n=512, steps=1500, outputs=["tension", "cycles"], seed=3)
    for output in ("tension", "cycles"):
        rows = table[table["output"] == output].set_index("param")
        for score in ("anxiety", "avoidance"):
            a, b = rows.loc[f"a.{score}"], rows.loc[f"b.{score}"]
            assert abs(a["ST"] - b["ST"]) <= a["ST_conf"] + b["ST_conf"], (output, score)
        assert (rows["ST"] >= rows["S1"] - rows["S1_conf"] - rows["ST_conf"]).all()
    # the verdict is decided by the pair, not by one score: interactions carry most of its variance
    cycles = table[table["output"] == "cycles"]
    assert cycles["ST"].sum() > 1.5 * max(cycles["S1"].sum(), 0.0) + 0.5


def test_morris_ranks_by_mu_star_and_gives_every_output() -> None:
    table = morris(trajectories=20, steps=800, seed=2)
    assert set(table["output"]) == set(OUTPUTS) and len(table) == 4 * len(OUTPUTS)
    assert list(dict.fromkeys(table["output"])) == list(OUTPUTS)
    for _, rows in table.groupby("output"):
        assert rows["mu_star"].is_monotonic_decreasing and (rows["mu_star"] >= 0).all()
    assert table[table["output"] == "tension"]["mu_star"].max() > 0


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"ranges": {"a.anxiety": (0.0, 1.0)}}, "at least two"),
    ({"ranges": {"a.anxiety": (0.0, 2.0), "b.anxiety": (0.0, 1.0)}}, "must lie in"),
    ({"ranges": {"a.anxiety": (0.5, 0.5), "b.anxiety": (0.0, 1.0)}}, "low < high"),
    ({"ranges": {"a.shyness": (0.0, 1.0), "b.anxiety": (0.0, 1.0)}}, "shyness"),
    ({"outputs": ["happiness"]}, "outputs must be"),
    ({"outputs": "tension"}, "outputs must be"),
])
def test_bad_settings_get_a_clear_error(kwargs, says) -> None:
    with pytest.raises(ValueError, match=says):
        morris(trajectories=2, steps=10, **kwargs)
    with pytest.raises(ValueError, match=says):
        sobol(n=4, steps=10, **kwargs)


def test_sobol_wants_a_power_of_two_and_a_missing_salib_says_how_to_get_it(monkeypatch) -> None:
    with pytest.raises(ValueError, match="power of two"):
        sobol(n=100)
    monkeypatch.setitem(sys.modules, "SALib", None)
    with pytest.raises(ImportError, match=r"\.\[sensitivity\]"):
        morris()


def test_an_output_that_does_not_vary_has_no_index() -> None:
    narrow = {"a.anxiety": (0.0, 0.05), "b.avoidance": (0.0, 0.05)}
    table = sobol(narrow, base=sim.PRESETS["secure"], outputs=["escalates"], n=8, steps=500)
    assert table["ST"].isna().all() and np.isnan(table["S1"]).all()
