"""Global sensitivity of the dance to its parameters: Morris screening and Sobol indices (SALib).

Which parameters decide whether a couple cycles, how long its rounds are, how large its swings and
how tense it is, across whole ranges of the parameters at once (not one at a time around a preset):

- :func:`morris`: elementary effects along random trajectories (Morris 1991, Campolongo et al.
  2007): ``mu_star`` ranks the parameters by their overall influence, ``sigma`` shows how much of it
  is through interactions or curvature. Cheap: ``trajectories * (parameters + 1)`` runs.
- :func:`sobol`: variance-based indices (Sobol 2001, Saltelli et al. 2010): ``S1`` the share of an
  output's variance a parameter explains alone, ``ST`` with all its interactions. Costly:
  ``n * (parameters + 2)`` runs.

The outputs, one number per couple:

- ``cycles``, ``settles``, ``escalates``: 1 when the couple's verdict is this one, else 0, so an
  index says what decides the verdict shares;
- ``period`` (days; 0 for a couple without rounds), ``swing`` (0 without rounds) and ``tension``,
  the metrics of :attr:`sim.Result.metrics`.

Needs the optional extra: ``pip install ".[sensitivity]"`` (SALib).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .batch import DEFAULT_DT, simulate_batch
from .partners import PARTNER_SCORES, Couple
from .presets import base_couple
from .sweep.params import check_range, resolve
from .sweep.populations import _PartnerCache
from .verdict import VERDICTS

__all__ = ["OUTPUTS", "morris", "outputs_of", "sobol"]

OUTPUTS = (*VERDICTS, "period", "swing", "tension")
"""What the indices are computed for (see the module docstring)."""
STEPS = 2000
CHUNK = 4096


def _salib() -> Any:
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise ImportError("global sensitivity needs the optional extra: pip install '.[sensitivity]' in the "
                          "repository (or pip install SALib)") from None
    import SALib.analyze.morris
    import SALib.analyze.sobol
    import SALib.sample.morris
    import SALib.sample.sobol

    return SALib


def _problem(ranges: Mapping[str, tuple[float, float]] | None) -> tuple[dict[str, Any], list[Any]]:
    if ranges is None:
        ranges = {f"{w}.{s}": (PARTNER_SCORES[s].low, PARTNER_SCORES[s].high) for w in "ab" for s in PARTNER_SCORES}
    refs = [resolve(name) for name in ranges]
    bounds = [list(check_range(ref, ranges[ref.name], strict=True)) for ref in refs]
    if len(refs) < 2:
        raise ValueError("a sensitivity analysis needs at least two parameters")
    return {"num_vars": len(refs), "names": [r.name for r in refs], "bounds": bounds}, refs


def outputs_of(samples: np.ndarray, refs: Sequence[Any], base: Couple, steps: int, dt: float) -> dict[str, np.ndarray]:
    """Each output of :data:`OUTPUTS` for the couples of ``samples`` (rows; columns in ``refs`` order)."""
    builder = _PartnerCache(base, refs)
    low = np.array([r.low for r in refs])
    high = np.array([r.high for r in refs])
    parts: dict[str, list[np.ndarray]] = {name: [] for name in OUTPUTS}
    for start in range(0, len(samples), CHUNK):
        couples = builder.build(np.clip(samples[start:start + CHUNK], low, high))
        batch = simulate_batch(couples, steps=steps, dt=dt)
        for verdict in VERDICTS:
            parts[verdict].append((batch.verdict == verdict).astype(float))
        parts["period"].append(np.nan_to_num(np.asarray(batch.metrics["period"], dtype=float), nan=0.0))
        parts["swing"].append(np.asarray(batch.metrics["swing"], dtype=float))
        parts["tension"].append(np.asarray(batch.metrics["tension"], dtype=float))
    return {name: np.concatenate(values) for name, values in parts.items()}


def _check_outputs(outputs: Sequence[str]) -> list[str]:
    if isinstance(outputs, str) or not outputs or any(o not in OUTPUTS for o in outputs):
        raise ValueError(f"outputs must be a non-empty sequence of {', '.join(OUTPUTS)}, got {outputs!r}")
    return list(outputs)


def morris(ranges: Mapping[str, tuple[float, float]] | None = None, *, base: Couple | None = None,
           outputs: Sequence[str] = OUTPUTS, trajectories: int = 100, levels: int = 4, steps: int = STEPS,
           dt: float = DEFAULT_DT, seed: int = 0) -> pd.DataFrame:
    """Morris screening of the parameters in ``ranges`` (default: both partners' two scores over their
    whole ranges; the other parameters are ``base``'s, default the classic trap's).

    Returns one row per output and parameter: ``mu_star`` (mean absolute elementary effect, in the
    output's unit per whole range), its ``mu_star_conf`` (half-width of a bootstrap 95 % interval),
    ``sigma`` and ``mu``; sorted by ``mu_star`` within each output.
    """
    salib = _salib()
    problem, refs = _problem(ranges)
    outputs = _check_outputs(outputs)
    base = base_couple(base)
    samples = salib.sample.morris.sample(problem, trajectories, num_levels=levels, seed=seed)
    values = outputs_of(samples, refs, base, steps, dt)
    rows = []
    for output in outputs:
        found = salib.analyze.morris.analyze(problem, samples, values[output], num_levels=levels, seed=seed)
        for k, name in enumerate(problem["names"]):
            rows.append({"output": output, "param": name, "mu_star": float(found["mu_star"][k]),
                         "mu_star_conf": float(found["mu_star_conf"][k]), "sigma": float(found["sigma"][k]),
                         "mu": float(found["mu"][k])})
    table = pd.DataFrame(rows)
    return table.sort_values(["output", "mu_star"], ascending=[True, False], key=_output_order).reset_index(drop=True)


def sobol(ranges: Mapping[str, tuple[float, float]] | None = None, *, base: Couple | None = None,
          outputs: Sequence[str] = OUTPUTS, n: int = 512, steps: int = STEPS, dt: float = DEFAULT_DT,
          seed: int = 0) -> pd.DataFrame:
    """Sobol indices of the parameters in ``ranges`` (as :func:`morris`), from ``n * (parameters + 2)``
    runs (``n`` a power of two).

    Returns one row per output and parameter: ``S1`` and ``ST`` with ``S1_conf`` and ``ST_conf``
    (half-widths of bootstrap 95 % intervals); an output that does not vary (every couple cycles,
    say) has NaN indices. Sorted by ``ST`` within each output.
    """
    salib = _salib()
    problem, refs = _problem(ranges)
    outputs = _check_outputs(outputs)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2 or n & (n - 1):
        raise ValueError(f"n must be a power of two >= 2, got {n!r}")
    base = base_couple(base)
    samples = salib.sample.sobol.sample(problem, n, calc_second_order=False, seed=seed)
    values = outputs_of(samples, refs, base, steps, dt)
    rows = []
    for output in outputs:
        y = values[output]
        if np.ptp(y) == 0:
            found: dict[str, Any] = {key: np.full(len(refs), np.nan) for key in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            found = salib.analyze.sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        for k, name in enumerate(problem["names"]):
            rows.append({"output": output, "param": name, **{key: float(found[key][k])
                                                              for key in ("S1", "S1_conf", "ST", "ST_conf")}})
    table = pd.DataFrame(rows)
    return table.sort_values(["output", "ST"], ascending=[True, False], key=_output_order).reset_index(drop=True)


def _output_order(column: pd.Series) -> pd.Series:
    """Sort outputs in :data:`OUTPUTS` order (other columns as they are)."""
    return column.map(OUTPUTS.index) if column.name == "output" else column
