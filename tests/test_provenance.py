"""Every file the package writes says what made it (sim/provenance.py), and reads back the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim import provenance as prov
from sim.sweep import RandomCouples, write_sweep

TRAP = sim.PRESETS["anxious-avoidant"]
SETTINGS = {"steps": 120, "dt": 0.05, "seed": 9, "interventions": (sim.Intervention("coaching", start=2.0, who="a"),),
            "events": (sim.Event("conflict", at=1.0),)}


def test_the_model_id_is_the_version_and_a_digest_of_the_models_sources(tmp_path: Path, monkeypatch) -> None:
    version, digest = prov.model_id().split("+")
    assert version == sim.__version__ and len(digest) == 12 and int(digest, 16) >= 0
    copy = tmp_path / "sim"
    shutil.copytree(Path(prov.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "dynamics.py").open("a", encoding="utf-8") as out:
        out.write("\n# an edit of the equations\n")
    monkeypatch.setattr(prov, "__file__", str(copy / "provenance.py"))
    prov.model_id.cache_clear()
    try:
        assert prov.model_id() != f"{version}+{digest}", "another model must get another identifier"
    finally:
        prov.model_id.cache_clear()


def test_a_runs_csv_carries_its_settings_and_still_reads_as_a_table(tmp_path: Path) -> None:
    result = sim.simulate(TRAP, **SETTINGS)
    path = tmp_path / "run.csv"
    result.to_csv(path)
    record = prov.read_provenance(path)
    assert record["software"] == "attract-repel" and record["model"] == prov.model_id()
    settings = record["settings"]
    assert (settings["steps"], settings["dt"], settings["seed"]) == (120, 0.05, 9)
    assert settings["interventions"] == [{"kind": "coaching", "start": 2.0, "who": "a", "strength": 1.0}]
    assert settings["events"][0]["kind"] == "conflict" and settings["couple"]["b"]["avoidance"] == TRAP.b.avoidance
    again = sim.simulate(sim.Couple(**{k: v for k, v in settings["couple"].items() if k not in ("a", "b")},
                                    a=sim.Partner(**settings["couple"]["a"]), b=sim.Partner(**settings["couple"]["b"])),
                         steps=settings["steps"], dt=settings["dt"], seed=settings["seed"], events=SETTINGS["events"],
                         interventions=SETTINGS["interventions"])
    frame = pd.read_csv(path, comment="#")
    assert len(frame) == 121
    pd.testing.assert_frame_equal(frame, again.to_frame(), check_exact=False, rtol=1e-12)


def test_many_random_triggers_are_recorded_by_their_count_and_the_seed() -> None:
    result = sim.simulate(TRAP, steps=5000, dt=0.1, seed=3, random_events=1.0)
    assert len(result.events) > sim.limits.MAX_ITEMS
    settings = result.provenance()["settings"]
    assert settings["events"] == {"count": len(result.events)} and settings["seed"] == 3


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_sweep_file_carries_the_run_and_the_population(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sweep{suffix}"
    events = iter([sim.Event("stress", at=3.0)])  # an iterator: the record must not use it up
    rows = write_sweep(RandomCouples(70, seed=5), path, steps=150, chunk_size=32, events=events)
    record = prov.read_provenance(path)
    population = record["settings"]["population"]
    assert (population["kind"], population["size"], population["seed"], population["draws"]) == (
        "RandomCouples", 70, 5, "uniform") and rows == 70
    assert population["ranges"] == {f"{w}.{s}": [0.0, 1.0] for w in "ab" for s in ("anxiety", "avoidance")}
    assert record["settings"]["steps"] == 150 and record["settings"]["events"][0]["kind"] == "stress"
    frame = pd.read_csv(path, comment="#") if suffix == ".csv" else pd.read_parquet(path)
    direct = sim.simulate_batch(RandomCouples(70, seed=5).couples(0, 70), steps=150, seed=0,
                                events=[sim.Event("stress", at=3.0)])
    assert list(frame["verdict"]) == list(direct.verdict), "the events reached the runs, not only the record"


def test_a_scenario_file_says_what_wrote_it_and_loads_back_the_same(tmp_path: Path) -> None:
    scenario = sim.Scenario(couple=TRAP, **SETTINGS)
    path = tmp_path / "s.json"
    text = sim.save_scenario(scenario, path)
    assert json.loads(text)["provenance"] == prov.provenance()
    assert prov.read_provenance(path)["version"] == sim.__version__
    assert sim.load_scenario(text) == scenario


def test_a_file_without_provenance_is_told_apart(tmp_path: Path) -> None:
    for name, text in (("a.csv", "t,closeness\n0,1\n"), ("b.json", "{}"), ("c.txt", "")):
        (tmp_path / name).write_text(text)
        with pytest.raises(ValueError, match="carries no attract-repel provenance"):
            prov.read_provenance(tmp_path / name)
    table_file = tmp_path / "g.parquet"
    pd.DataFrame({"x": [1]}).to_parquet(table_file)
    with pytest.raises(ValueError, match="no attract-repel provenance"):
        prov.read_provenance(table_file)
