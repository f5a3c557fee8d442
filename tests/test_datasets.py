"""The teaching data set shipped with the package (sim.datasets): what the model makes, and that it fits back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim
import sim.datasets
from sim.fitting import LONG_COLUMNS


def test_the_shipped_diary_is_what_the_model_makes_and_says_how() -> None:
    made, truth = sim.datasets.make_diary(**sim.datasets.DIARY_SETTINGS)
    shipped, couples = sim.datasets.diary(), sim.datasets.diary_couples()
    assert tuple(shipped.columns) == LONG_COLUMNS and set(shipped["partner"]) == {"", "a", "b"}
    pd.testing.assert_frame_equal(shipped, made, check_dtype=False, atol=1e-9)
    pd.testing.assert_frame_equal(couples, truth, check_dtype=False)
    assert couples["verdict"].nunique() >= 3, "the diary holds couples that settle, cycle and escalate"
    record = sim.provenance.read_provenance(Path(sim.datasets.__file__).parent / "data" / "diary.csv")
    assert record["settings"]["seed"] == sim.datasets.DIARY_SETTINGS["seed"]
    assert record["model"] == sim.provenance.model_id(), "written again (python -m sim.datasets) after a model change"


def test_the_shipped_diary_fits_back_to_its_couples() -> None:
    table, truth = sim.datasets.diary(), sim.datasets.diary_couples().set_index("dyad")
    fits = sim.fit_dyads(table[table["dyad"].isin(["d02", "d11"])], n_boot=0)  # two that cycle
    for dyad, fitted in fits.items():
        for name, value in fitted.estimates.items():
            assert value == pytest.approx(truth.loc[dyad, name], abs=0.04), (dyad, name)
