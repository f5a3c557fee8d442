"""Small data sets shipped for teaching: couples' diaries made by the model, not by people.

``diary()`` is a synthetic daily diary of twelve couples over eight weeks in the long format
(``dyad, partner, t, variable, value``) that dyadic tools (rties, ctsem) and :func:`sim.fit_dyads`
read: how close the two felt each day (``closeness``) and each partner's moves toward or away
(``move``, partner "a" or "b"), with noise and missing days. ``diary_couples()`` holds the scores the
couples were drawn with, so a student can check what a fit recovers.

The files are made by :func:`make_diary` (run ``python -m sim.datasets`` to write them again after a
change of the model); a test checks that the shipped files are what it makes.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .batch import DEFAULT_DT, simulate
from .fitting import DEFAULT_PARAMS, DIARY, LONG_COLUMNS, observe
from .presets import CLASSIC, PRESETS
from .provenance import csv_text, provenance
from .sweep.params import resolve
from .sweep.populations import _PartnerCache

__all__ = ["DIARY_SETTINGS", "diary", "diary_couples", "make_diary"]

DIARY_SETTINGS: dict[str, Any] = {"couples": 12, "days": 56.0, "noise": 0.05, "missing": 0.15, "low": 0.1, "high": 0.9,
                  "seed": 2026}
"""How the shipped diary was made: scores drawn uniformly in [low, high], a daily diary of
``days`` days with Gaussian noise of sd ``noise`` and a share ``missing`` of the values left out."""
_DIARY_FILE = "diary.csv"
_COUPLES_FILE = "diary_couples.csv"


def diary() -> pd.DataFrame:
    """The shipped diary in the long format (see the module docstring)."""
    return _read(_DIARY_FILE, {"dyad": str, "partner": str}).fillna({"partner": ""})


def diary_couples() -> pd.DataFrame:
    """The shipped diary's couples: ``dyad``, the four scores ("a.anxiety", ...) and the verdict of their run."""
    return _read(_COUPLES_FILE, {"dyad": str})


def _read(name: str, dtypes: dict[str, type]) -> pd.DataFrame:
    with files("sim").joinpath("data", name).open(encoding="utf-8") as source:
        return pd.read_csv(source, comment="#", dtype=dtypes)


def make_diary(couples: int = 12, *, days: float = 56.0, noise: float = 0.05, missing: float = 0.15,
               low: float = 0.1, high: float = 0.9, seed: int = 2026) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic diary (long format) and its couples' true scores, as :func:`diary` and
    :func:`diary_couples` return them; the other parameters are the classic trap's."""
    rng = np.random.default_rng([seed, 3])
    refs = [resolve(name) for name in DEFAULT_PARAMS]
    scores = np.round(low + rng.random((couples, len(refs))) * (high - low), 2)
    drawn = _PartnerCache(PRESETS[CLASSIC], refs).build(scores)
    steps = int(round(days / DEFAULT_DT))
    parts, truth = [], []
    for k, couple in enumerate(drawn):
        dyad = f"d{k + 1:02d}"
        run = simulate(couple, steps=steps)
        frame = observe(run, variables=DIARY, noise=noise, missing=missing, seed=rng)
        long = frame.melt(id_vars="t", var_name="column", value_name="value").dropna()
        name, _, who = long["column"].str.rpartition("_").T.to_numpy()
        closeness = long["column"].to_numpy() == "closeness"
        parts.append(pd.DataFrame({"dyad": dyad, "partner": np.where(closeness, "", who), "t": long["t"].to_numpy(),
                                   "variable": np.where(closeness, "closeness", name),
                                   "value": long["value"].round(4).to_numpy()}))
        truth.append({"dyad": dyad, **{r.name: float(v) for r, v in zip(refs, scores[k], strict=True)},
                      "verdict": run.verdict})
    long_table = pd.concat(parts, ignore_index=True)[list(LONG_COLUMNS)].sort_values(["dyad", "t"], kind="stable")
    return long_table.reset_index(drop=True), pd.DataFrame(truth)


def write_diary(folder: str | Path | None = None) -> tuple[Path, Path]:
    """Write the diary's two files (default: the package's data folder), each with its provenance."""
    target = Path(folder) if folder is not None else Path(__file__).parent / "data"
    target.mkdir(parents=True, exist_ok=True)
    long_table, truth = make_diary(**DIARY_SETTINGS)
    record = provenance(dataset="diary", **DIARY_SETTINGS)
    written = (target / _DIARY_FILE, target / _COUPLES_FILE)
    written[0].write_text(csv_text(long_table, record), encoding="utf-8")
    written[1].write_text(csv_text(truth, record), encoding="utf-8")
    return written


if __name__ == "__main__":
    for path in write_diary():
        print(f"wrote {path}")
