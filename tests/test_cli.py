"""Tests of sim/__main__.py: the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
import sim.datasets
from sim.__main__ import main
from sim.provenance import model_id, read_provenance
from sim.scenario import save_scenario

ROOT = Path(__file__).resolve().parents[1]


def test_run_prints_verdict_metrics_and_parameters_as_json(capsys):
    assert main(["run", "--preset", "anxious-avoidant", "--steps", "2000", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == sim.simulate(sim.PRESETS["anxious-avoidant"], seed=0).verdict == "cycles"
    assert report["period"] > 0 and report["settle_time"] is None
    assert report["parameters"]["a"]["anxiety"] == 0.75
    assert set(sim.PARTNER_PARAMS) <= set(report["parameters"]["b"])
    assert report["parameters"]["couple"]["fading"] == 0.5
    assert report["provenance"]["model"] == model_id() and report["provenance"]["settings"]["seed"] == 0


def test_csv_writes_the_trajectory(tmp_path, capsys):
    out = tmp_path / "run.csv"
    assert main(["run", "--preset", "secure", "--steps", "300", "--csv", str(out)]) == 0
    frame = pd.read_csv(out, comment="#")
    assert len(frame) == 301 and "closeness" in frame.columns
    made = read_provenance(out)
    assert made["version"] == sim.__version__ and made["settings"]["steps"] == 300
    assert made["settings"]["couple"]["a"]["anxiety"] == sim.PRESETS["secure"].a.anxiety


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "full-disk", "unwritable"])
def test_a_csv_that_cannot_be_written_gives_one_line_and_status_2(where, tmp_path, capsys):
    """No traceback: one line naming the file and the reason, exit status 2, and no half-written file."""
    path = {"missing-folder": tmp_path / "no" / "such" / "run.csv", "a-folder": tmp_path,
            "full-disk": Path("/dev/full"), "unwritable": Path("/proc/version")}[where]
    assert main(["run", "--preset", "secure", "--steps", "300", "--csv", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {path}: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "no").exists()


def test_a_scenario_file_runs_as_saved_and_set_changes_parameters_by_name(tmp_path, capsys):
    """--scenario runs the file's couple, events, interventions and settings; --set NAME=VALUE (names of
    sim.sweep.resolve) changes one parameter; a run flag given overrides the file's."""
    trap = sim.PRESETS["anxious-avoidant"]
    scenario = sim.Scenario(couple=trap, events=(sim.Event("conflict", at=20.0),),
                            interventions=(sim.Intervention("safety", who="b", start=30.0),), steps=800, seed=4)
    path = tmp_path / "trap.json"
    save_scenario(scenario, path)
    assert main(["run", "--scenario", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    expected = sim.simulate(scenario.couple, **scenario.run_kwargs())
    assert (report["verdict"], report["steps"], report["seed"]) == (expected.verdict, 800, 4)
    assert report["tension"] == pytest.approx(expected.metrics["tension"])
    assert main(["run", "--scenario", str(path), "--set", "a.anxiety=0.2", "--set", "both.alarm_lag=2",
                 "--steps", "500", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    changed = sim.sweep.set_params(trap, {"a.anxiety": 0.2, "both.alarm_lag": 2.0})
    assert report["steps"] == 500 and report["parameters"]["a"]["anxiety"] == 0.2
    assert report["parameters"]["b"]["alarm_lag"] == 2.0 == report["parameters"]["a"]["alarm_lag"]
    assert report["tension"] == pytest.approx(sim.simulate(changed, **{**scenario.run_kwargs(), "steps": 500})
                                              .metrics["tension"])


@pytest.mark.parametrize(("args", "says"), [
    (["--set", "a.anxiety=1.5"], "anxiety must be in"), (["--set", "x.y=1"], "unknown parameter"),
    (["--set", "a.anxiety"], "NAME=VALUE"), (["--set", "a.anxiety=high"], "needs a number"),
    (["--scenario", "/no/such/file.json"], "cannot be read"),
])
def test_a_bad_couple_on_the_command_line_gives_one_line_and_status_2(args, says, capsys):
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err and err.count("\n") == 1


def test_presets_lists_every_preset_in_the_chosen_language(capsys):
    assert main(["presets", "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    for name, text in sim.PRESET_TEXT.items():
        assert name in out and text["nl"] in out


def test_bad_input_exits_with_status_2_and_a_message(capsys):
    assert main(["run", "--steps", "0"]) == 2
    assert "steps must be" in capsys.readouterr().err


def test_python_dash_m_sim_runs_as_a_program():
    done = subprocess.run([sys.executable, "-m", "sim", "run", "--preset", "intense-trap", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, check=True)
    assert json.loads(done.stdout)["verdict"] == "escalates"


def test_warm_compiles_the_kernel(capsys):
    assert main(["warm"]) == 0
    assert "kernel ready" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(sim.limits.RUN_FIELDS))
def test_each_run_setting_is_an_option_from_its_declaration(name, capsys):
    spec = sim.limits.RUN_FIELDS[name]
    flag = f"--{name.replace('_', '-')}"
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert flag in capsys.readouterr().out
    too_big = int(spec.high) + 1 if spec.whole else spec.high * 2
    assert main(["run", flag, str(too_big)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0] and spec.range_text() in err[0]


def test_run_takes_interventions_by_kind_who_start_and_strength(capsys):
    assert main(["run", "--preset", "anxious-avoidant", "--steps", "1500", "--json",
                 "--intervention", "coaching:who=a,start=10", "--intervention", "safety:strength=0.5"]) == 0
    report = json.loads(capsys.readouterr().out)
    wanted = (sim.Intervention("coaching", who="a", start=10.0), sim.Intervention("safety", strength=0.5))
    expected = sim.simulate(sim.PRESETS["anxious-avoidant"], steps=1500, interventions=wanted)
    assert report["verdict"] == expected.verdict and report["tension"] == pytest.approx(expected.metrics["tension"])
    assert [i["kind"] for i in report["provenance"]["settings"]["interventions"]] == ["coaching", "safety"]


@pytest.mark.parametrize(("args", "says"), [
    (["--intervention", "hug"], "unknown intervention kind 'hug'"),
    (["--intervention", "coaching:who=c"], "who must be one of"),
    (["--intervention", "coaching:start=soon"], "start needs a number"),
    (["--intervention", "coaching:when=3"], "options are"),
])
def test_a_bad_intervention_gives_one_line_and_status_2(args, says, capsys):
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err and err.count("\n") == 1


def test_sweep_writes_a_random_population_or_a_grid_with_provenance(tmp_path, capsys):
    out = tmp_path / "random.parquet"
    assert main(["sweep", str(out), "--random", "40", "--range", "a.anxiety=0.2:0.9", "--steps", "300",
                 "--seed", "3", "--preset", "secure", "--intervention", "safety:who=b"]) == 0
    assert "wrote 40 couples" in capsys.readouterr().out
    frame = pd.read_parquet(out)
    population = sim.sweep.RandomCouples(40, ranges={"a.anxiety": (0.2, 0.9)}, base=sim.PRESETS["secure"], seed=3)
    expected = sim.simulate_batch(population.couples(0, 40), steps=300, seed=3,
                                  interventions=(sim.Intervention("safety", who="b"),))
    assert frame["verdict"].tolist() == list(expected.verdict)
    assert frame["a.anxiety"].between(0.2, 0.9).all()
    assert read_provenance(out)["settings"]["population"] == {"kind": "RandomCouples", "size": 40, "draws": "uniform",
                                                             "seed": 3, "ranges": {"a.anxiety": [0.2, 0.9]}}
    grid = tmp_path / "grid.csv"
    assert main(["sweep", str(grid), "--grid", "a.anxiety=0:1:5", "--grid", "b.avoidance=0.2:0.8:3",
                 "--steps", "200"]) == 0
    table = pd.read_csv(grid, comment="#")
    assert len(table) == 15 and sorted(set(table["a.anxiety"])) == [0.0, 0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize(("args", "says"), [
    (["--grid", "a.anxiety=0:1"], "NAME=LOW:HIGH:COUNT"),
    (["--grid", "a.anxiety=0:1:2.5"], "COUNT must be a whole number"),
    (["--grid", "a.anxiety=0:2:3"], "a.anxiety"),
    (["--random", "5", "--range", "a.anxiety=0.5"], "NAME=LOW:HIGH"),
    (["--grid", "a.anxiety=0:1:3", "--range", "b.anxiety=0:1"], "--range goes with --random"),
])
def test_a_bad_sweep_gives_one_line_and_status_2(args, says, tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "s.csv"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_a_sweep_to_a_missing_folder_gives_one_line_and_status_2(tmp_path, capsys):
    path = tmp_path / "no" / "s.parquet"
    assert main(["sweep", str(path), "--random", "3", "--steps", "50"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {path}: ") and err.count("\n") == 1


def test_fit_reads_a_csv_of_many_dyads_and_writes_the_estimates(tmp_path, capsys):
    data = tmp_path / "diary.csv"
    long = sim.datasets.diary()
    long[long["dyad"].isin(["d02", "d11"])].to_csv(data, index=False)
    out = tmp_path / "estimates.csv"
    assert main(["fit", str(data), "--n-boot", "20", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    truth = sim.datasets.diary_couples().set_index("dyad")
    assert set(report["fits"]) == {"d02", "d11"}
    for dyad, fitted in report["fits"].items():
        assert fitted["estimates"]["b.anxiety"] == pytest.approx(truth.loc[dyad, "b.anxiety"], abs=0.04)
        low, high = fitted["intervals"]["b.anxiety"]
        assert low <= fitted["estimates"]["b.anxiety"] <= high
    table = pd.read_csv(out, comment="#")
    assert list(table.columns) == ["dyad", "param", "estimate", "low", "high", "se"] and len(table) == 8
    assert read_provenance(out)["settings"]["n_boot"] == 20


def test_fit_reads_a_wide_table_and_fits_named_parameters(tmp_path, capsys):
    run = sim.simulate(sim.PRESETS["anxious-avoidant"], steps=500)
    path = tmp_path / "one.csv"
    run.to_csv(path)  # with its provenance line, which fit skips
    assert main(["fit", str(path), "--params", "a.anxiety,b.avoidance", "--n-boot", "0"]) == 0
    out = capsys.readouterr().out
    assert "a.anxiety" in out and "b.avoidance" in out and "a.avoidance" not in out
    assert " 0.75 " in out or " 0.7500" in out


@pytest.mark.parametrize(("setup", "says"), [
    (lambda p: None, "cannot read"),
    (lambda p: p.write_text("t,pursuit\n0,1\n1,2\n"), "unknown columns"),
    (lambda p: p.write_text(""), "cannot read"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00t"), "cannot read"),
])
def test_a_bad_data_file_gives_one_line_and_status_2(setup, says, tmp_path, capsys):
    path = tmp_path / "data.csv"
    setup(path)
    assert main(["fit", str(path), "--n-boot", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err and err.count("\n") == 1
