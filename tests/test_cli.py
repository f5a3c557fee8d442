"""Tests of sim/__main__.py: the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
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
