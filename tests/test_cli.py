"""Tests of sim/__main__.py: the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def test_run_prints_verdict_metrics_and_parameters_as_json(capsys):
    assert main(["run", "--preset", "anxious-avoidant", "--steps", "2000", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == sim.simulate(sim.PRESETS["anxious-avoidant"], seed=0).verdict == "cycles"
    assert report["period"] > 0 and report["settle_time"] is None
    assert report["parameters"]["a"]["anxiety"] == 0.75
    assert set(sim.PARTNER_PARAMS) <= set(report["parameters"]["b"])
    assert report["parameters"]["couple"]["fading"] == 0.5


def test_csv_writes_the_trajectory(tmp_path, capsys):
    out = tmp_path / "run.csv"
    assert main(["run", "--preset", "secure", "--steps", "300", "--csv", str(out)]) == 0
    frame = pd.read_csv(out)
    assert len(frame) == 301 and "closeness" in frame.columns


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "full-disk", "unwritable"])
def test_a_csv_that_cannot_be_written_gives_one_line_and_status_2(where, tmp_path, capsys):
    """No traceback: one line naming the file and the reason, exit status 2, and no half-written file."""
    path = {"missing-folder": tmp_path / "no" / "such" / "run.csv", "a-folder": tmp_path,
            "full-disk": Path("/dev/full"), "unwritable": Path("/proc/version")}[where]
    assert main(["run", "--preset", "secure", "--steps", "300", "--csv", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {path}: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "no").exists()


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
