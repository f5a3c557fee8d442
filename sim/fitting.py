"""Fitting the model to a couple's observed series, with intervals and warnings about what the data cannot tell.

``sim.fit(observations)`` estimates both partners' attachment scores (and, on request, any named
parameter, see :func:`sim.sweep.param_names`) from observed series of one couple: a table with a ``t``
column in days and any of :meth:`sim.Result.to_frame`'s columns (``closeness``, ``move_a``,
``move_b``, ``engulfment_a``, ...), at irregular times and with missing values; or the long format
``dyad, partner, t, variable, value`` that dyadic tools (rties, ctsem) read. :func:`fit_dyads` fits
every couple of a long table.

The method:

- **Model of the data**: each observed value is the model's value at that time (linear between the
  run's steps) plus Gaussian noise, one standard deviation per variable, estimated from the residuals.
- **Estimate**: weighted least squares by a Levenberg-Marquardt search inside the parameters'
  declared ranges, from the best few of a seeded spread of starting points (the dance's rounds make
  the fit's landscape rugged), and vectorised: all starts step together, each step one
  :func:`sim.simulate_batch` call.
- **Intervals**: a parametric bootstrap. New data sets are drawn from the fitted run with the
  estimated noise and the same missing pattern, each is fitted again from the estimate, and the
  intervals are the percentiles of those estimates (all replicates step together, as above).
- **Warnings** (identifiability): an estimate at the edge of its range, two parameters that trade
  off (|correlation| of the bootstrap estimates above 0.9), and an interval wider than half the
  parameter's range.

A fit is a model of a model: a way to ask which couple of this model behaves most like the data, and
how sure the data let one be; not a measurement of real people.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from .batch import DEFAULT_DT, simulate, simulate_batch
from .events import Event
from .frozen import FrozenMap, ReadOnlyArrays, frozen
from .interventions import Intervention
from .limits import MAX_DAY, check_count, check_items
from .partners import Couple
from .presets import base_couple
from .provenance import CSV_PREFIX
from .result import Result
from .stats import wilson
from .sweep.params import ParamRef, check_range, resolve
from .sweep.populations import RandomCouples, _PartnerCache

__all__ = ["DEFAULT_PARAMS", "DIARY", "LONG_COLUMNS", "OBSERVABLE", "Fit", "Recovery", "fit", "fit_dyads",
           "observe", "read_observations", "recovery", "to_long"]

DEFAULT_PARAMS = ("a.anxiety", "a.avoidance", "b.anxiety", "b.avoidance")
"""What :func:`fit` estimates unless told otherwise: both partners' two attachment scores."""
OBSERVABLE = ("closeness", *(f"{name}_{w}" for name in ("move", "engulfment", "abandonment", "doubt", "learned")
                             for w in "ab"))
"""The columns of :meth:`sim.Result.to_frame` (besides ``t``) that observations may hold."""
LONG_COLUMNS = ("dyad", "partner", "t", "variable", "value")
"""The long format: one row per observed value; ``partner`` is "a", "b" or empty (for closeness)."""
STARTS = 512
"""Starting points spread over the ranges (a scrambled Sobol sequence); the best :data:`REFINED` of
them are refined. The dance's rounds make the landscape rugged: with 64 starts and 6 refined, one
cycling couple in 40 of a recovery study ended in a local fit with five times the noise."""
REFINED = 16
OTHER_MINIMA = 2
"""Besides the estimate, the best other local fits each bootstrap replicate starts from."""
RIVAL_COST = 100.0
"""A local fit whose weighted cost exceeds the best by more than this is no rival: new noise moves a
cost difference D by about 2 sqrt(D) (one standard deviation), so such a fit wins no replicate (it
would take five standard deviations), and the bootstrap does not start from it."""
MAX_ITERATIONS = 60
CHUNK = 512
"""Couples per simulate_batch call inside a fit (bounds the memory of the kept trajectories)."""


# --- observations --------------------------------------------------------------------------------

def read_observations(path: str | Path) -> pd.DataFrame:
    """A CSV file of observations (wide or long) as a table; a provenance line this package wrote
    first (``# provenance: ...``) is skipped. A file that cannot be read is a ValueError."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as source:
            first = source.readline()
        return pd.read_csv(path, skiprows=1 if first.startswith(CSV_PREFIX) else 0,
                           dtype={"dyad": str, "partner": str})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ValueError(f"cannot read {path}: {getattr(err, 'strerror', None) or err}") from None


def _table(observations: Any) -> pd.DataFrame:
    """``observations`` as a table: a DataFrame as it is, a path (text or Path) to a CSV file read."""
    if isinstance(observations, str | Path):
        return read_observations(observations)
    if not isinstance(observations, pd.DataFrame):
        raise ValueError(f"observations must be a pandas DataFrame or the path of a CSV file, "
                         f"got {type(observations).__name__}")
    return observations


def _wide(observations: Any) -> pd.DataFrame:
    """The observations of one couple as a wide table: ``t`` and observable columns."""
    observations = _table(observations)
    frame = observations
    if set(LONG_COLUMNS) <= set(frame.columns):
        dyads = frame["dyad"].unique()
        if len(dyads) != 1:
            raise ValueError(f"observations hold {len(dyads)} dyads; fit one at a time, or use sim.fit_dyads")
        frame = _long_to_wide(frame)
    if "t" not in frame.columns:
        raise ValueError("observations need a column 't' (days)")
    unknown = [c for c in frame.columns if c != "t" and c not in OBSERVABLE]
    if unknown:
        raise ValueError(f"observations have unknown columns {unknown}; known: t, {', '.join(OBSERVABLE)}")
    observed = [c for c in OBSERVABLE if c in frame.columns]
    if not observed:
        raise ValueError(f"observations need at least one of {', '.join(OBSERVABLE)}")
    t = pd.to_numeric(frame["t"], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(t)) or t.min() < 0 or t.max() > MAX_DAY:
        raise ValueError(f"observations' t must be finite days in [0, {MAX_DAY:g}]")
    values = frame[observed].apply(pd.to_numeric, errors="coerce")
    if int(values.notna().to_numpy().sum()) == 0:
        raise ValueError("observations hold no value (all missing)")
    return pd.concat([pd.Series(t, name="t", index=frame.index), values], axis=1).reset_index(drop=True)


def _long_to_wide(frame: pd.DataFrame) -> pd.DataFrame:
    partner = frame["partner"].fillna("").astype(str).str.strip()
    bad = sorted(set(partner) - {"", "a", "b"})
    if bad:
        raise ValueError(f"partner must be 'a', 'b' or empty, got {bad}")
    column: Any = frame["variable"].astype(str) + np.where(partner == "", "", "_" + partner)
    table = pd.DataFrame({"t": frame["t"].to_numpy(), "column": column.to_numpy(), "value": frame["value"].to_numpy()})
    wide = table.pivot_table(index="t", columns="column", values="value", aggfunc="mean")
    return wide.reset_index().rename_axis(columns=None)


def to_long(results: Result | Iterable[Result], dyads: Sequence[Any] | None = None,
            variables: Sequence[str] = OBSERVABLE, every: float = 1.0) -> pd.DataFrame:
    """Runs as the long format ``dyad, partner, t, variable, value`` (as rties and ctsem read it).

    ``every`` days apart (the nearest steps; default daily); ``variables`` from :data:`OBSERVABLE`.
    Dyads are numbered from 1 unless ``dyads`` names them.
    """
    runs = [results] if isinstance(results, Result) else list(results)
    names = list(dyads) if dyads is not None else list(range(1, len(runs) + 1))
    if len(names) != len(runs):
        raise ValueError(f"{len(names)} dyad names for {len(runs)} runs")
    unknown = [v for v in variables if v not in OBSERVABLE]
    if unknown:
        raise ValueError(f"unknown variables {unknown}; known: {', '.join(OBSERVABLE)}")
    if not every > 0:
        raise ValueError(f"every must be > 0 days, got {every!r}")
    parts = []
    for name, run in zip(names, runs, strict=True):
        frame = run.to_frame().iloc[_every(run, every)]
        for var in variables:
            base, _, who = var.rpartition("_") if var != "closeness" else (var, "", "")
            parts.append(pd.DataFrame({"dyad": name, "partner": who, "t": frame["t"].to_numpy(),
                                       "variable": base, "value": frame[var].to_numpy()}))
    return pd.concat(parts, ignore_index=True)[list(LONG_COLUMNS)]


def _every(run: Result, every: float) -> np.ndarray:
    """The steps of ``run`` nearest to every ``every`` days from day 0."""
    return np.unique(np.rint(np.arange(0.0, run.t[-1] + 1e-9, every) / run.dt).astype(int))


# --- the model's predictions at the observed times -----------------------------------------------

class _Problem:
    """What a fit needs again and again: the observed values, their weights, and predictions for many parameter sets."""

    def __init__(self, data: pd.DataFrame, base: Couple, refs: Sequence[ParamRef], dt: float,
                 events: tuple[Event, ...], interventions: tuple[Intervention, ...]) -> None:
        self.refs = tuple(refs)
        self.base, self.dt, self.events, self.interventions = base, dt, events, interventions
        self.columns = [c for c in OBSERVABLE if c in data.columns]
        t = data["t"].to_numpy(dtype=float)
        values = data[self.columns].to_numpy(dtype=float)  # (m, v)
        self.mask = np.isfinite(values)
        rows, cols = np.nonzero(self.mask)
        self.t, self.var = t[rows], cols  # one entry per observed value
        self.y = values[rows, cols]
        self.steps = max(1, math.ceil(t.max() / dt - 1e-9))
        where = self.t / dt
        self.i0 = np.minimum(np.floor(where).astype(int), self.steps - 1)
        self.w = where - self.i0
        self.low = np.array([r.low for r in self.refs])
        self.high = np.array([r.high for r in self.refs])
        self.builder = _PartnerCache(base, self.refs)

    @property
    def n(self) -> int:
        return int(self.y.size)

    def predict(self, thetas: np.ndarray) -> np.ndarray:
        """Model values at the observed points for each row of ``thetas`` (K, p): (K, n)."""
        out = np.empty((thetas.shape[0], self.n))
        for start in range(0, thetas.shape[0], CHUNK):
            block = np.clip(thetas[start:start + CHUNK], self.low, self.high)
            couples = self.builder.build(block)
            batch = simulate_batch(couples, steps=self.steps, dt=self.dt, events=self.events,
                                   interventions=self.interventions, keep="trajectories")
            assert batch.trajectories is not None
            series = np.empty((len(couples), len(self.columns), self.steps + 1))
            for k, column in enumerate(self.columns):
                name, _, who = column.rpartition("_") if column != "closeness" else (column, "", "")
                values = batch.trajectories[name]
                series[:, k] = values if not who else values[:, "ab".index(who)]
            lo = series[:, self.var, self.i0]
            hi = series[:, self.var, self.i0 + 1]
            out[start:start + CHUNK] = lo + self.w * (hi - lo)
        return out


def _levenberg_marquardt(problem: _Problem, theta: np.ndarray, y: np.ndarray, sigma: np.ndarray,
                         iterations: int = MAX_ITERATIONS) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares for many problems at once: rows of ``theta`` (K, p) start, rows of ``y``
    (K, n) are the data (or one row for all). Returns the estimates (K, p) and their costs (K,)."""
    theta = np.clip(np.array(theta, dtype=float), problem.low, problem.high)
    K, p = theta.shape
    span = problem.high - problem.low
    weight = 1.0 / sigma[problem.var]  # (n,)

    def residuals(th: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return (problem.predict(th) - y[rows]) * weight

    everyone = np.arange(K) if y.shape[0] == K else np.zeros(K, dtype=int)
    r = residuals(theta, everyone)
    cost = np.einsum("kn,kn->k", r, r)
    lam = np.full(K, 1e-2)
    active = np.ones(K, dtype=bool)
    for _ in range(iterations):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        th = theta[idx]
        h = 1e-4 * span * np.where(th + 1e-4 * span > problem.high, -1.0, 1.0)  # (k, p): step inward at the top
        probe = th[:, None, :] + h[:, :, None] * np.eye(p)[None]  # (k, p, p)
        rp = residuals(probe.reshape(-1, p), np.repeat(everyone[idx], p)).reshape(idx.size, p, -1)
        jac = (rp - r[idx][:, None, :]) / h[:, :, None]  # (k, p, n): the Jacobian, transposed
        grad = np.einsum("kpn,kn->kp", jac, r[idx])
        normal = np.einsum("kpn,kqn->kpq", jac, jac)
        scale = np.maximum(np.einsum("kpp->kp", normal), 1e-12)
        damped = normal + lam[idx][:, None, None] * scale[:, :, None] * np.eye(p)[None]
        step = np.linalg.solve(damped, -grad[..., None])[..., 0]
        trial = np.clip(th + step, problem.low, problem.high)
        rt = residuals(trial, everyone[idx])
        ct = np.einsum("kn,kn->k", rt, rt)
        better = ct < cost[idx]
        gain = (cost[idx] - ct) / np.maximum(cost[idx], 1e-300)
        took = idx[better]
        theta[took], r[took], cost[took] = trial[better], rt[better], ct[better]
        lam[took] = np.maximum(lam[took] / 3.0, 1e-9)
        lam[idx[~better]] *= 6.0
        moved = np.abs(trial - th).max(axis=1) / span.max()
        done = (better & (gain < 1e-10)) | (lam[idx] > 1e8) | (better & (moved < 1e-9))
        active[idx[done]] = False
    return theta, cost


# --- the fit ---------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Fit(ReadOnlyArrays):
    """The fitted couple, how sure the data let one be, and how well the model meets the data.

    Attributes
    ----------
    estimates : read-only mapping parameter name ("a.anxiety", ...) -> estimate
    intervals : read-only mapping parameter name -> (low, high), the ``level`` percentile interval of
        the bootstrap
    level : coverage the intervals aim at (0.95)
    noise : read-only mapping observed column -> estimated noise standard deviation
    goodness : read-only mapping: ``rmse`` and ``r2`` per column (mappings), ``n`` observed values,
        ``loglik``, ``aic``, ``bic``
    couple : the fitted couple; run : its run, from day 0 past the last observation
    warnings : plain sentences on what the data cannot tell (see the module docstring)
    replicates : array (B, p), the bootstrap estimates (columns in ``params`` order)
    params : the fitted parameters' names
    """

    estimates: FrozenMap[float]
    intervals: FrozenMap[tuple[float, float]]
    level: float
    noise: FrozenMap[float]
    goodness: FrozenMap[Any]
    couple: Couple
    run: Result
    warnings: tuple[str, ...]
    replicates: np.ndarray
    params: tuple[str, ...]

    def summary(self) -> dict[str, Any]:
        """The fit as plain JSON data: estimates, intervals, level, noise, goodness and warnings."""
        return {"estimates": dict(self.estimates), "intervals": {k: list(v) for k, v in self.intervals.items()},
                "level": self.level, "noise": dict(self.noise),
                "goodness": {k: dict(v) if isinstance(v, Mapping) else v for k, v in self.goodness.items()},
                "warnings": list(self.warnings)}

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: estimate, interval, and the bootstrap's standard error."""
        return pd.DataFrame({
            "param": list(self.params),
            "estimate": [self.estimates[p] for p in self.params],
            "low": [self.intervals[p][0] for p in self.params],
            "high": [self.intervals[p][1] for p in self.params],
            "se": self.replicates.std(axis=0, ddof=1) if len(self.replicates) > 1 else np.nan,
        })


def fit(observations: pd.DataFrame | str | Path, *, params: Sequence[str] = DEFAULT_PARAMS, base: Couple | None = None,
        dt: float = DEFAULT_DT, events: Iterable[Event] = (), interventions: Iterable[Intervention] = (),
        n_boot: int = 200, level: float = 0.95, seed: int = 0) -> Fit:
    """Estimate ``params`` of a couple from its observed series (see the module docstring).

    Parameters
    ----------
    observations : a wide table (``t`` in days and columns of :data:`OBSERVABLE`; NaN for missing) or
        the long format of one dyad (:data:`LONG_COLUMNS`): a DataFrame, or the path of a CSV file
    params : names of the parameters to estimate (default both partners' two scores); the others
        keep ``base``'s values
    base : the couple whose other parameters are held (default the classic trap's, with derived
        parameters following the scores)
    dt : the run's step, days; events, interventions : what happened to the couple, as in
        :func:`sim.simulate`
    n_boot : bootstrap replicates for the intervals (0: no intervals); level : their coverage
    seed : seed of the starting points and of the bootstrap's noise

    Returns
    -------
    Fit
    """
    data = _wide(observations)
    base = base_couple(base)
    if isinstance(params, str) or not params:
        raise ValueError("params must be a non-empty sequence of parameter names")
    refs = [resolve(name) for name in params]
    names = tuple(r.name for r in refs)
    if len(set(names)) != len(names) or any(a.overlaps(b) for i, a in enumerate(refs) for b in refs[i + 1:]):
        raise ValueError(f"params name one parameter twice: {list(params)}")
    n_boot = check_count("n_boot", n_boot, 0, 10_000)
    seed = check_count("seed", seed, 0, 2**63 - 1)
    if not isinstance(level, float | int) or not 0.5 <= level < 1.0:
        raise ValueError(f"level must be in [0.5, 1), got {level!r}")
    problem = _Problem(data, base, refs, float(dt), check_items(events, Event, "events"),
                       check_items(interventions, Intervention, "interventions"))
    p = len(refs)
    if problem.n <= p:
        raise ValueError(f"{problem.n} observed values cannot determine {p} parameters")
    rng = np.random.default_rng([seed, 1])
    y = problem.y[None]

    # first pass: weights from each column's spread; second: from the residuals of the first
    spread = np.array([np.nanstd(data[c].to_numpy(dtype=float)) for c in problem.columns])
    sigma = np.where(spread > 1e-9, spread, 1.0)
    spread_out = qmc.Sobol(d=p, scramble=True, seed=rng).random(STARTS)
    starts = problem.low + spread_out * (problem.high - problem.low)
    starts = np.vstack([[r.value(base) for r in refs], starts])
    first = _cost(problem, starts, y, sigma)
    best = starts[np.argsort(first)[:REFINED]]
    theta, cost = _levenberg_marquardt(problem, best, y, sigma)
    estimate = theta[np.argmin(cost)]
    sigma = _noise(problem, estimate, p)
    theta, cost = _levenberg_marquardt(problem, np.vstack([estimate, theta]), y, sigma)
    estimate = theta[np.argmin(cost)]
    sigma = _noise(problem, estimate, p)

    fitted = problem.predict(estimate[None])[0]
    replicates = np.empty((0, p))
    if n_boot:
        # each replicate is fitted as the data were: from the estimate and from the other local
        # best fits found (a couple that settles can often be told by several score pairs)
        order = np.argsort(cost)
        rivals = order[cost[order] - cost[order[0]] <= RIVAL_COST]
        origins = _distinct(theta[rivals], problem.high - problem.low)[:1 + OTHER_MINIMA]
        noise = rng.standard_normal((n_boot, problem.n)) * sigma[problem.var]
        draws = np.repeat(fitted[None] + noise, len(origins), axis=0)
        found, costs = _levenberg_marquardt(problem, np.tile(origins, (n_boot, 1)), draws, sigma)
        pick = costs.reshape(n_boot, len(origins)).argmin(axis=1)
        replicates = found.reshape(n_boot, len(origins), p)[np.arange(n_boot), pick]
    tail = (1.0 - level) / 2.0
    intervals = {name: ((float(np.quantile(replicates[:, k], tail)), float(np.quantile(replicates[:, k], 1 - tail)))
                        if n_boot else (math.nan, math.nan)) for k, name in enumerate(names)}
    couple = problem.builder.build(estimate[None])[0]
    run = simulate(couple, steps=problem.steps, dt=problem.dt, seed=0, events=problem.events,
                   interventions=problem.interventions)
    return Fit(
        estimates=FrozenMap({name: float(v) for name, v in zip(names, estimate, strict=True)}),
        intervals=FrozenMap(intervals), level=float(level),
        noise=FrozenMap({c: float(s) for c, s in zip(problem.columns, sigma, strict=True)}),
        goodness=FrozenMap(_goodness(problem, fitted, sigma, p)), couple=couple, run=run,
        warnings=_warnings(refs, estimate, replicates, intervals), replicates=frozen(replicates), params=names,
    )


def fit_dyads(observations: pd.DataFrame | str | Path, **kwargs: Any) -> dict[Any, Fit]:
    """:func:`fit` for every dyad of a long table (:data:`LONG_COLUMNS`; a DataFrame or a CSV file's
    path); a mapping dyad -> Fit."""
    observations = _table(observations)
    if not set(LONG_COLUMNS) <= set(observations.columns):
        raise ValueError(f"fit_dyads takes the long format with columns {', '.join(LONG_COLUMNS)}")
    return {dyad: fit(group, **kwargs) for dyad, group in observations.groupby("dyad", sort=False)}


def _distinct(thetas: np.ndarray, span: np.ndarray) -> np.ndarray:
    """The rows of ``thetas`` (best first) that differ from every earlier row by more than 1 % of a range."""
    kept: list[np.ndarray] = []
    for row in thetas:
        if all(np.abs(row - other).max(initial=0.0) > 0.01 * span.max() for other in kept):
            kept.append(row)
    return np.array(kept)


def _cost(problem: _Problem, thetas: np.ndarray, y: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    r = (problem.predict(thetas) - y) / sigma[problem.var]
    return np.einsum("kn,kn->k", r, r)


def _noise(problem: _Problem, theta: np.ndarray, p: int) -> np.ndarray:
    """Each column's noise standard deviation from the residuals, corrected for the fitted parameters."""
    r = problem.predict(theta[None])[0] - problem.y
    correction = problem.n / max(problem.n - p, 1)
    sd = np.array([math.sqrt(max(np.mean(r[problem.var == k] ** 2) * correction, 0.0))
                   for k in range(len(problem.columns))])
    floor = 1e-6 * np.maximum(np.array([np.abs(problem.y[problem.var == k]).max()
                                        for k in range(len(problem.columns))]), 1.0)
    return np.maximum(sd, floor)


def _goodness(problem: _Problem, fitted: np.ndarray, sigma: np.ndarray, p: int) -> dict[str, Any]:
    r = fitted - problem.y
    rmse, r2 = {}, {}
    for k, column in enumerate(problem.columns):
        own = problem.var == k
        rmse[column] = float(np.sqrt(np.mean(r[own] ** 2)))
        total = float(np.sum((problem.y[own] - problem.y[own].mean()) ** 2))
        r2[column] = float(1.0 - np.sum(r[own] ** 2) / total) if total > 0 else math.nan
    loglik = float(-0.5 * np.sum((r / sigma[problem.var]) ** 2 + np.log(2 * np.pi * sigma[problem.var] ** 2)))
    k = p + len(problem.columns)  # the parameters and one noise level per column
    return {"rmse": rmse, "r2": r2, "n": problem.n, "loglik": loglik, "aic": 2 * k - 2 * loglik,
            "bic": k * math.log(problem.n) - 2 * loglik}


def _warnings(refs: Sequence[ParamRef], estimate: np.ndarray, replicates: np.ndarray,
              intervals: dict[str, tuple[float, float]]) -> tuple[str, ...]:
    out = []
    for k, ref in enumerate(refs):
        span = ref.high - ref.low
        if min(estimate[k] - ref.low, ref.high - estimate[k]) < 1e-3 * span:
            out.append(f"{ref.name} = {estimate[k]:.3g} lies at the edge of its range [{ref.low:g}, {ref.high:g}]: "
                       "the data may want a value the model does not allow")
        low, high = intervals[ref.name]
        if math.isfinite(low) and high - low > 0.5 * span:
            out.append(f"{ref.name} is barely determined by these data: its interval [{low:.3g}, {high:.3g}] "
                       f"covers more than half its range")
    if len(replicates) > 2:
        spread = replicates.std(axis=0)
        varied = spread > 1e-12
        if varied.sum() > 1:
            corr = np.corrcoef(replicates[:, varied].T)
            names = [r.name for r, v in zip(refs, varied, strict=True) if v]
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    if abs(corr[i, j]) > 0.9:
                        out.append(f"{names[i]} and {names[j]} trade off (correlation {corr[i, j]:+.2f}): "
                                   "these data tell their combination better than each")
    return tuple(out)


# --- a recovery study ----------------------------------------------------------------------------

DIARY = ("closeness", "move_a", "move_b")
"""What a daily diary of a couple could record: how close they felt, and each partner's moves."""


@dataclass(frozen=True, eq=False)
class Recovery:
    """A recovery study: couples of known parameters, observed with noise and gaps, and fitted again.

    Attributes
    ----------
    table : one row per couple and parameter: ``couple``, ``param``, ``true``, ``estimate``,
        ``low``, ``high``, ``covered`` (the true value inside the interval), ``verdict`` (of the
        true couple's run), ``warned`` (the fit gave an identifiability warning)
    settings : what the study drew and how it observed and fitted (read-only mapping)
    """

    table: pd.DataFrame
    settings: FrozenMap[Any]

    def summary(self) -> pd.DataFrame:
        """Per parameter (and ``all``): mean bias, median absolute error, the coverage of the
        intervals and its 95 % Wilson interval, and the share of fits that warned."""
        rows = []
        for name, group in [*self.table.groupby("param", sort=False), ("all", self.table)]:
            error = group["estimate"] - group["true"]
            low, high = wilson(int(group["covered"].sum()), len(group))
            rows.append({"param": name, "n": len(group), "bias": float(error.mean()),
                         "median_abs_error": float(error.abs().median()),
                         "coverage": float(group["covered"].mean()), "coverage_low": low, "coverage_high": high,
                         "warned": float(group["warned"].mean())})
        return pd.DataFrame(rows)


def recovery(n: int = 40, *, ranges: Mapping[str, tuple[float, float]] | None = None, base: Couple | None = None,
             days: float = 80.0, every: float = 1.0, variables: Sequence[str] = DIARY, noise: float = 0.05,
             missing: float = 0.2, dt: float = DEFAULT_DT, n_boot: int = 200, level: float = 0.95,
             seed: int = 0) -> Recovery:
    """Draw ``n`` couples, observe them as a diary would, fit them, and compare with the truth.

    Each couple's parameters are drawn uniformly from ``ranges`` (default: both partners' two
    scores in [0.1, 0.9]; the other parameters are ``base``'s, default the classic trap's). Its run
    is observed every ``every`` days up to ``days`` in ``variables`` (default :data:`DIARY`), with
    Gaussian noise of standard deviation ``noise`` on every value and a share ``missing`` of the
    values dropped at random; then :func:`fit` estimates the drawn parameters with ``n_boot``
    bootstrap replicates. Seeded: the same arguments give the same study.
    """
    ranges = dict(ranges) if ranges is not None else {name: (0.1, 0.9) for name in DEFAULT_PARAMS}
    base = base_couple(base)
    n = check_count("n", n, 1, 10_000)
    _check_observing(every, variables, noise, missing)
    if not isinstance(days, float | int) or not 0 < days <= MAX_DAY:
        raise ValueError(f"days must be in (0, {MAX_DAY:g}], got {days!r}")
    refs = [resolve(name) for name in ranges]
    drawn = RandomCouples(n, ranges={r.name: check_range(r, ranges[r.name]) for r in refs}, base=base, seed=seed)
    values = drawn.values(0, n)
    truths = np.column_stack([values[r.name] for r in refs])
    couples = drawn.couples(0, n)
    rng = np.random.default_rng([seed, 2])  # the noise and the gaps
    steps = max(1, math.ceil(days / dt - 1e-9))
    rows = []
    for k, couple in enumerate(couples):
        run = simulate(couple, steps=steps, dt=dt, seed=0)
        frame = observe(run, every=every, variables=variables, noise=noise, missing=missing, seed=rng)
        result = fit(frame, params=[r.name for r in refs], base=base, dt=dt, n_boot=n_boot, level=level,
                     seed=k)
        for j, ref in enumerate(refs):
            low, high = result.intervals[ref.name]
            rows.append({"couple": k, "param": ref.name, "true": float(truths[k, j]),
                         "estimate": result.estimates[ref.name], "low": low, "high": high,
                         "covered": bool(low <= truths[k, j] <= high), "verdict": run.verdict,
                         "warned": bool(result.warnings)})
    settings = {"n": n, "ranges": {name: list(r) for name, r in ranges.items()}, "days": float(days),
                "every": float(every), "variables": list(variables), "noise": float(noise),
                "missing": float(missing), "dt": float(dt), "n_boot": n_boot, "level": float(level), "seed": seed}
    return Recovery(table=pd.DataFrame(rows), settings=FrozenMap(settings))


def observe(run: Result, *, every: float = 1.0, variables: Sequence[str] = DIARY, noise: float = 0.05,
            missing: float = 0.2, seed: int | np.random.Generator = 0) -> pd.DataFrame:
    """A run as a diary would record it: a wide table (``t`` and ``variables``) every ``every`` days
    (the nearest steps), with Gaussian noise of standard deviation ``noise`` on each value and a
    share ``missing`` of the values left out at random (NaN). ``seed``: a seed or a numpy Generator."""
    _check_observing(every, variables, noise, missing)
    if not isinstance(seed, np.random.Generator):
        seed = np.random.default_rng(check_count("seed", seed, 0, 2**63 - 1))
    rng = seed
    frame = run.to_frame()[["t", *variables]].iloc[_every(run, every)].reset_index(drop=True)
    for column in variables:
        values = frame[column].to_numpy() + rng.normal(0.0, noise, len(frame))
        values[rng.random(len(frame)) < missing] = np.nan
        frame[column] = values
    return frame


def _check_observing(every: Any, variables: Sequence[str], noise: Any, missing: Any) -> None:
    if isinstance(variables, str) or not variables or any(v not in OBSERVABLE for v in variables):
        raise ValueError(f"variables must be a non-empty sequence of {', '.join(OBSERVABLE)}, got {variables!r}")
    if not isinstance(every, float | int) or not 0 < every <= MAX_DAY:
        raise ValueError(f"every must be a number of days > 0, got {every!r}")
    if not isinstance(noise, float | int) or not 0 <= noise < math.inf:
        raise ValueError(f"noise must be a standard deviation >= 0, got {noise!r}")
    if not isinstance(missing, float | int) or not 0 <= missing < 1:
        raise ValueError(f"missing must be a share in [0, 1), got {missing!r}")


