"""Fitting the model to observed series (sim/fitting.py): input, the long format, recovery and intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim
import sim.datasets
from sim.fitting import DIARY, LONG_COLUMNS, OBSERVABLE, _long_to_wide, observe

TRAP = sim.PRESETS["anxious-avoidant"]


def couple(a_anx: float, a_avo: float, b_anx: float, b_avo: float) -> sim.Couple:
    return sim.Couple(a=sim.Partner(anxiety=a_anx, avoidance=a_avo), b=sim.Partner(anxiety=b_anx, avoidance=b_avo))


@pytest.fixture(scope="module")
def observed() -> tuple[sim.Couple, pd.DataFrame]:
    true = couple(0.3, 0.75, 0.8, 0.35)
    run = sim.simulate(true, steps=600, seed=0)
    return true, observe(run, seed=5)


# --- what a fit takes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    (42, "must be a pandas DataFrame or the path of a CSV file"),
    ("/no/such/diary.csv", "cannot read /no/such/diary.csv"),
    (pd.DataFrame({"closeness": [1.0, 2.0]}), "need a column 't'"),
    (pd.DataFrame({"t": [0.0, 1.0], "pursuit": [1.0, 2.0]}), "unknown columns \\['pursuit'\\]"),
    (pd.DataFrame({"t": [0.0, 1.0]}), "at least one of"),
    (pd.DataFrame({"t": [0.0, 1.0], "closeness": [np.nan, np.nan]}), "no value"),
    (pd.DataFrame({"t": [-1.0, 1.0], "closeness": [1.0, 2.0]}), "finite days"),
    (pd.DataFrame({"t": [0.0, np.nan], "closeness": [1.0, 2.0]}), "finite days"),
    (pd.DataFrame({"t": [0.0, 1.0], "closeness": [1.0, 2.0]}), "2 observed values cannot determine 4"),
    (pd.DataFrame({"dyad": [1, 2], "partner": ["", ""], "t": [0.0, 1.0], "variable": ["closeness"] * 2,
                   "value": [1.0, 2.0]}), "2 dyads"),
    (pd.DataFrame({"dyad": [1, 1], "partner": ["c", ""], "t": [0.0, 1.0], "variable": ["move"] * 2,
                   "value": [1.0, 2.0]}), "partner must be"),
])
def test_bad_observations_get_a_clear_error(bad, message) -> None:
    with pytest.raises(ValueError, match=message):
        sim.fit(bad)


@pytest.mark.parametrize("kwargs, message", [
    ({"params": "a.anxiety"}, "non-empty sequence"),
    ({"params": []}, "non-empty sequence"),
    ({"params": ["a.anxiety", "a.anxiety"]}, "twice"),
    ({"params": ["a.shyness"]}, "shyness"),
    ({"n_boot": -1}, "n_boot"),
    ({"n_boot": 2.5}, "n_boot"),
    ({"level": 1.0}, "level"),
    ({"seed": "x"}, "seed"),
    ({"base": "classic"}, "base must be a sim.Couple"),
    ({"events": None}, "events"),
])
def test_bad_settings_get_a_clear_error(observed, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        sim.fit(observed[1], **kwargs)


# --- the long format ----------------------------------------------------------------------------------

def test_runs_export_to_the_long_format_and_back() -> None:
    runs = [sim.simulate(c, steps=300, seed=0) for c in (TRAP, sim.PRESETS["secure"])]
    long = sim.to_long(runs, dyads=["trap", "secure"], every=2.0)
    assert tuple(long.columns) == LONG_COLUMNS
    assert set(long["dyad"]) == {"trap", "secure"}
    assert set(long["partner"]) == {"", "a", "b"}
    assert set(long.loc[long["partner"] == "", "variable"]) == {"closeness"}
    back = _long_to_wide(long[long["dyad"] == "trap"])
    frame = runs[0].to_frame().iloc[::20].reset_index(drop=True)
    assert back["t"].to_numpy() == pytest.approx(np.arange(0.0, 30.0 + 1e-9, 2.0))
    for column in OBSERVABLE:
        assert back[column].to_numpy() == pytest.approx(frame[column].to_numpy(), abs=1e-12), column


def test_the_long_format_refuses_what_it_cannot_write() -> None:
    run = sim.simulate(TRAP, steps=50)
    with pytest.raises(ValueError, match="unknown variables"):
        sim.to_long(run, variables=["pursuit"])
    with pytest.raises(ValueError, match="every"):
        sim.to_long(run, every=0)
    with pytest.raises(ValueError, match="2 dyad names for 1 runs"):
        sim.to_long(run, dyads=[1, 2])


def test_a_diary_observes_a_run_every_day_with_noise_and_gaps() -> None:
    run = sim.simulate(TRAP, steps=4000, dt=0.05)
    frame = observe(run, every=0.5, noise=0.1, missing=0.25, seed=1)
    assert list(frame.columns) == ["t", *DIARY]
    assert frame["t"].to_numpy() == pytest.approx(np.arange(0.0, 200.0 + 1e-9, 0.5))
    gaps = frame[list(DIARY)].isna().to_numpy().mean()
    assert 0.22 < gaps < 0.28
    truth = run.to_frame().iloc[::10].reset_index(drop=True)
    errors = (frame[list(DIARY)] - truth[list(DIARY)]).to_numpy()
    assert np.nanstd(errors) == pytest.approx(0.1, rel=0.06) and abs(np.nanmean(errors)) < 0.01
    pd.testing.assert_frame_equal(frame, observe(run, every=0.5, noise=0.1, missing=0.25, seed=1))
    exact = observe(run, noise=0.0, missing=0.0)
    assert exact["closeness"].to_numpy() == pytest.approx(truth["closeness"].to_numpy()[::2])
    for bad in ({"every": 0}, {"noise": -1}, {"missing": 1.0}, {"variables": ["pursuit"]}, {"variables": "closeness"}):
        with pytest.raises(ValueError):
            observe(run, **bad)


def test_a_fit_of_the_long_format_equals_the_fit_of_the_same_wide_table(observed) -> None:
    _, wide = observed
    long = wide.melt(id_vars="t", var_name="column", value_name="value").dropna()
    split = long["column"].str.rpartition("_")
    long = pd.DataFrame({"dyad": "d1", "partner": np.where(long["column"] == "closeness", "", split[2]),
                         "t": long["t"], "variable": np.where(long["column"] == "closeness", "closeness", split[0]),
                         "value": long["value"]})
    from_wide = sim.fit(wide, n_boot=8, seed=3)
    from_long = sim.fit(long.sample(frac=1.0, random_state=1), n_boot=8, seed=3)  # row order does not matter
    assert from_long.estimates == pytest.approx(dict(from_wide.estimates), abs=1e-9)
    (only,) = sim.fit_dyads(long, n_boot=0).values()
    assert only.estimates == pytest.approx(dict(from_wide.estimates), abs=1e-6)


def test_a_fit_takes_the_path_of_a_csv_file_as_well_as_a_table(observed, tmp_path) -> None:
    _, frame = observed
    path = tmp_path / "diary.csv"
    frame.to_csv(path, index=False)
    from_table = sim.fit(frame, n_boot=0)
    for given in (path, str(path)):
        assert dict(sim.fit(given, n_boot=0).estimates) == pytest.approx(dict(from_table.estimates), abs=1e-12)
    long = tmp_path / "long.csv"
    sim.datasets.diary().query("dyad == 'd02'").to_csv(long, index=False)
    assert list(sim.fit_dyads(str(long), n_boot=0)) == ["d02"]


def test_fit_dyads_fits_each_dyad_of_a_long_table() -> None:
    rng = np.random.default_rng(11)
    truths = {"p": couple(0.2, 0.7, 0.75, 0.3), "q": couple(0.6, 0.4, 0.5, 0.6)}
    long = sim.to_long([sim.simulate(c, steps=500) for c in truths.values()], dyads=list(truths),
                       variables=DIARY)
    long["value"] += rng.normal(0.0, 0.03, len(long))
    fits = sim.fit_dyads(long, n_boot=0)
    assert list(fits) == ["p", "q"]
    for name, fitted in fits.items():
        true = truths[name]
        assert fitted.estimates["a.anxiety"] == pytest.approx(true.a.anxiety, abs=0.05)
        assert fitted.estimates["b.avoidance"] == pytest.approx(true.b.avoidance, abs=0.05)
    with pytest.raises(ValueError, match="long format"):
        sim.fit_dyads(pd.DataFrame({"t": [0.0]}))


# --- what a fit gives ---------------------------------------------------------------------------------

def test_a_fit_gives_estimates_intervals_noise_goodness_and_its_run(observed) -> None:
    true, frame = observed
    fitted = sim.fit(frame, n_boot=60, seed=2)
    truth = {"a.anxiety": true.a.anxiety, "a.avoidance": true.a.avoidance,
             "b.anxiety": true.b.anxiety, "b.avoidance": true.b.avoidance}
    assert set(fitted.estimates) == set(truth) == set(fitted.intervals)
    for name, value in truth.items():
        low, high = fitted.intervals[name]
        assert low <= fitted.estimates[name] <= high
        assert abs(fitted.estimates[name] - value) < 0.05, name
    # the noise the data were made with (0.05) is recovered
    assert all(0.035 < s < 0.07 for s in fitted.noise.values()), dict(fitted.noise)
    assert set(fitted.goodness["rmse"]) == set(DIARY)
    assert all(r2 > 0.8 for r2 in fitted.goodness["r2"].values())
    assert fitted.goodness["n"] == int(frame[list(DIARY)].notna().to_numpy().sum())
    assert fitted.goodness["bic"] > fitted.goodness["aic"]  # log(n) > 2 for n > 7
    assert fitted.run.couple == fitted.couple and fitted.run.t[-1] >= frame["t"].max()
    assert fitted.couple.a.anxiety == pytest.approx(fitted.estimates["a.anxiety"])
    table = fitted.to_frame()
    assert list(table["param"]) == list(fitted.params)
    assert (table["se"] > 0).all() and (table["low"] <= table["high"]).all()
    assert fitted.replicates.shape == (60, 4) and not fitted.replicates.flags.writeable


def test_named_parameters_are_fitted_and_the_rest_held_at_the_base(observed) -> None:
    true = couple(0.3, 0.75, 0.8, 0.35)
    base = true
    slowed = sim.Couple(a=sim.Partner(anxiety=0.3, avoidance=0.75, alarm_lag=3.0), b=true.b)
    run = sim.simulate(slowed, steps=600)
    frame = observe(run, seed=8, noise=0.03, missing=0.1)
    fitted = sim.fit(frame, params=["a.alarm_lag"], base=base, n_boot=30)
    assert fitted.params == ("a.alarm_lag",)
    assert fitted.estimates["a.alarm_lag"] == pytest.approx(3.0, rel=0.05)
    low, high = fitted.intervals["a.alarm_lag"]
    assert low < 3.0 < high
    assert fitted.couple.b == base.b and fitted.couple.a.anxiety == 0.3


def test_without_bootstrap_there_are_no_intervals(observed) -> None:
    fitted = sim.fit(observed[1], n_boot=0)
    assert all(math.isnan(lo) and math.isnan(hi) for lo, hi in fitted.intervals.values())
    assert fitted.replicates.shape == (0, 4)


def test_a_fit_is_seeded(observed) -> None:
    one, two = (sim.fit(observed[1], n_boot=10, seed=4) for _ in range(2))
    assert dict(one.estimates) == dict(two.estimates) and dict(one.intervals) == dict(two.intervals)


def test_data_that_cannot_tell_a_parameter_are_flagged() -> None:
    # only partner a's moves, two weeks, heavy noise: b's scores are barely seen
    run = sim.simulate(couple(0.4, 0.6, 0.6, 0.4), steps=140)
    frame = observe(run, seed=3, noise=0.3, missing=0.3, variables=("move_a",))
    fitted = sim.fit(frame, n_boot=40)
    assert any("barely determined" in w or "trade off" in w or "edge of its range" in w for w in fitted.warnings)
    wide = [hi - lo for lo, hi in fitted.intervals.values()]
    assert max(wide) > 0.3


# --- recovery across the score plane ------------------------------------------------------------------

def test_couples_drawn_across_the_score_plane_are_recovered_with_honest_intervals() -> None:
    """The recovery study of notebook 06, smaller: a daily diary of closeness and both partners'
    moves over 80 days, noise sd 0.05, a fifth of the values missing, all four scores fitted."""
    study = sim.recovery(n=RECOVERY_COUPLES, n_boot=RECOVERY_BOOT, seed=RECOVERY_SEED)
    table, summary = study.table, study.summary().set_index("param")
    assert len(table) == 4 * RECOVERY_COUPLES and table["verdict"].nunique() >= 2  # several kinds of couple
    assert summary.loc["all", "coverage"] >= 0.90, summary
    for name in sim.fitting.DEFAULT_PARAMS:
        assert abs(summary.loc[name, "bias"]) < 0.05, summary
        assert summary.loc[name, "median_abs_error"] < 0.02, summary
    # where a fit gives no warning, it is close: the large errors are the ones it warns of
    quiet = table[~table["warned"]]
    assert len(quiet) >= len(table) / 3 and (quiet["estimate"] - quiet["true"]).abs().quantile(0.9) < 0.05
    assert summary.loc["all", "coverage_low"] <= summary.loc["all", "coverage"] <= summary.loc["all", "coverage_high"]


RECOVERY_COUPLES = 40
RECOVERY_BOOT = 100
RECOVERY_SEED = 2026


def test_a_recovery_study_refuses_bad_settings() -> None:
    with pytest.raises(ValueError, match="range of a.anxiety"):
        sim.recovery(n=1, ranges={"a.anxiety": (0.5, 1.5)})
    with pytest.raises(ValueError, match="missing"):
        sim.recovery(n=1, missing=1.0)
    with pytest.raises(ValueError, match="noise"):
        sim.recovery(n=1, noise=-0.1)
    with pytest.raises(ValueError, match="n must be"):
        sim.recovery(n=0)
    with pytest.raises(ValueError, match="days"):
        sim.recovery(n=1, days=0)


# --- the teaching data set ----------------------------------------------------------------------------



