"""Command line (``python -m sim`` or ``attract-repel``).

``run --preset anxious-avoidant --json``; ``run --scenario FILE --set a.anxiety=0.9 --intervention
coaching:who=a,start=20``; ``sweep OUT.parquet --random 10000`` or ``--grid a.anxiety=0:1:21``;
``fit DATA.csv`` (observed series, wide or long); ``presets``; ``warm``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .batch import simulate
from .fitting import DEFAULT_PARAMS, LONG_COLUMNS, fit, fit_dyads, read_observations
from .interventions import INTERVENTION_KINDS, WHO, Intervention
from .limits import RUN_FIELDS
from .partners import Couple
from .presets import CLASSIC, PRESET_TEXT, PRESETS
from .provenance import csv_text, interventions_data, provenance
from .scenario import Scenario, load_scenario
from .sweep import DEFAULT_CHUNK, Grid, RandomCouples, param_names, set_params, write_sweep

_DEFAULTS: dict[str, Any] = {name: getattr(Scenario(), name) for name in RUN_FIELDS}
"""The run settings of a preset run: a scenario's defaults (a scenario file brings its own)."""


def _couple_options() -> argparse.ArgumentParser:
    """The options that say which couple (and what happens to it): shared by run, sweep and fit."""
    options = argparse.ArgumentParser(add_help=False)
    start = options.add_mutually_exclusive_group()
    start.add_argument("--preset", choices=sorted(PRESETS), help=f"a preset couple (default {CLASSIC})")
    start.add_argument("--scenario", metavar="FILE",
                       help="a scenario file (couple, events, interventions and run settings; docs/scenario_format.md)")
    options.add_argument("--set", metavar="NAME=VALUE", action="append", default=[], dest="changes",
                         help="set one parameter of the couple, e.g. a.anxiety=0.9, both.alarm_lag=2, fading=0.3 "
                              "(repeatable; the names are listed below, the ranges in docs/model.md)")
    options.add_argument("--intervention", metavar="KIND[:who=W,start=DAY,strength=S]", action="append",
                         default=[], dest="interventions",
                         help=f"add an intervention (repeatable); kinds: {', '.join(INTERVENTION_KINDS)}; "
                              f"who: {', '.join(WHO)}")
    return options


def _run_options(only: Sequence[str] = tuple(RUN_FIELDS)) -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    for name in only:  # the run settings, from their declarations
        spec = RUN_FIELDS[name]
        options.add_argument(f"--{name.replace('_', '-')}", type=int if spec.whole else float, dest=name,
                             help=f"{spec.help['en']} {spec.range_text()}; default {_DEFAULTS[name]:g}, "
                                  "or the scenario's")
    return options


def _parser() -> argparse.ArgumentParser:
    called = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(prog="python -m sim" if called in ("__main__.py", "-m", "") else called,
                                     description="Attract & Repel: simulate the pursue-withdraw dance.")
    sub = parser.add_subparsers(dest="command", required=True)
    names = "parameters for --set, --grid and --range: " + ", ".join(param_names())
    run = sub.add_parser("run", help="run one couple and report verdict and metrics", epilog=names,
                         parents=[_couple_options(), _run_options()])
    run.add_argument("--json", action="store_true", help="print verdict, metrics and parameters as JSON")
    run.add_argument("--csv", metavar="FILE", help="write the trajectory, one row per step, to FILE")
    run.add_argument("--lang", choices=("en", "nl"), default="en")
    sweep = sub.add_parser("sweep", help="run many couples around the chosen one and write one row each to a file",
                           epilog=names, parents=[_couple_options(), _run_options()])
    sweep.add_argument("out", metavar="OUT", help="the file to write: .parquet or .csv")
    population = sweep.add_mutually_exclusive_group(required=True)
    population.add_argument("--random", metavar="N", type=int,
                            help="N couples with parameters drawn uniformly (the scores, or the --range given), "
                                 "drawn with --seed")
    population.add_argument("--grid", metavar="NAME=LOW:HIGH:COUNT", action="append",
                            help="an axis of a grid, COUNT values from LOW to HIGH (repeatable)")
    sweep.add_argument("--range", metavar="NAME=LOW:HIGH", action="append", default=[], dest="ranges",
                       help="with --random: a parameter drawn in [LOW, HIGH] (repeatable; default both scores)")
    sweep.add_argument("--draws", choices=RandomCouples.DRAWS, default="uniform",
                       help="with --random: independent uniform draws, a scrambled Sobol sequence or Latin "
                            "hypercubes (default uniform)")
    sweep.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK, help="couples per chunk in memory")
    fit = sub.add_parser("fit", help="fit both partners' scores (or --params) to observed series in a CSV file",
                         epilog=names, parents=[_couple_options(), _run_options(("dt",))])
    fit.add_argument("data", metavar="DATA",
                     help="a CSV file: a column t (days) and observed columns (closeness, move_a, ...), or the "
                          "long format dyad, partner, t, variable, value (each dyad is fitted)")
    fit.add_argument("--params", metavar="NAME,NAME", default=",".join(DEFAULT_PARAMS),
                     help="the parameters to fit (default %(default)s); the others are the chosen couple's")
    fit.add_argument("--n-boot", type=int, default=200, help="bootstrap replicates for the intervals (default 200)")
    fit.add_argument("--level", type=float, default=0.95, help="the intervals' coverage (default 0.95)")
    fit.add_argument("--seed", type=int, default=0, help="seed of the starting points and the bootstrap")
    fit.add_argument("--out", metavar="FILE", help="write the estimates as CSV (with provenance) to FILE")
    fit.add_argument("--json", action="store_true", help="print the fits as JSON")
    sub.add_parser("warm", help="compile the fast kernel now (once per machine; later runs load it from disk)")
    presets = sub.add_parser("presets", help="list the preset couples")
    presets.add_argument("--lang", choices=("en", "nl"), default="en")
    return parser


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path``; a new file that could not be written whole (a full disk) is removed."""
    existed = path.exists()
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(text)
    except OSError:
        if not existed and path.is_file():
            path.unlink(missing_ok=True)
        raise


def _intervention(text: str) -> Intervention:
    """``coaching:who=a,start=20,strength=0.5`` as an Intervention."""
    kind, _, rest = text.partition(":")
    options: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in ("who", "start", "strength"):
            raise ValueError(f"--intervention {text!r}: options are who=..., start=DAY, strength=S")
        try:
            options[key] = value.strip() if key == "who" else float(value)
        except ValueError:
            raise ValueError(f"--intervention {text!r}: {key} needs a number, got {value.strip()!r}") from None
    return Intervention(kind.strip(), **options)


def _numbers(option: str, text: str, count: int) -> tuple[str, list[float]]:
    name, sep, values = text.partition("=")
    parts = values.split(":")
    try:
        if not sep or len(parts) != count:
            raise ValueError
        return name.strip(), [float(v) for v in parts]
    except ValueError:
        shape = "NAME=LOW:HIGH:COUNT" if count == 3 else "NAME=LOW:HIGH"
        raise ValueError(f"{option} needs {shape}, got {text!r}") from None


def _population(args: argparse.Namespace, base: Couple) -> Any:
    if args.grid:
        axes = {}
        for text in args.grid:
            name, (low, high, count) = _numbers("--grid", text, 3)
            if count != int(count) or not 1 <= count <= 100_000:
                raise ValueError(f"--grid {text!r}: COUNT must be a whole number in [1, 100000]")
            axes[name] = np.linspace(low, high, int(count))
        if args.ranges:
            raise ValueError("--range goes with --random, not --grid")
        return Grid(axes, base=base)
    ranges: dict[str, tuple[float, float]] = {}
    for text in args.ranges:
        name, (low, high) = _numbers("--range", text, 2)
        ranges[name] = (low, high)
    return RandomCouples(args.random, ranges=ranges or None, base=base, seed=args.seed or 0, draws=args.draws)


def _couple_and_settings(args: argparse.Namespace) -> tuple[Couple, dict[str, Any]]:
    """The couple and the run settings asked for: a preset or a scenario file, then --set, --intervention
    and the run flags."""
    if args.scenario:
        scenario = load_scenario(Path(args.scenario))
        couple, settings = scenario.couple, scenario.run_kwargs()
    else:
        couple = PRESETS[args.preset or CLASSIC]
        settings = dict(_DEFAULTS)
    changes = {}
    for change in args.changes:
        name, sep, value = change.partition("=")
        if not sep:
            raise ValueError(f"--set needs NAME=VALUE, got {change!r}")
        try:
            changes[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"--set {name.strip()} needs a number, got {value!r}") from None
    couple = set_params(couple, changes) if changes else couple
    settings.update({k: getattr(args, k) for k in RUN_FIELDS if getattr(args, k, None) is not None})
    if args.interventions:
        settings["interventions"] = (*settings.get("interventions", ()), *map(_intervention, args.interventions))
    return couple, settings


def _fit(args: argparse.Namespace) -> int:
    base, settings = _couple_and_settings(args)
    observations = read_observations(args.data)
    options = {"params": [p.strip() for p in args.params.split(",") if p.strip()], "base": base,
               "dt": settings["dt"], "events": settings.get("events", ()),
               "interventions": settings.get("interventions", ()), "n_boot": args.n_boot, "level": args.level,
               "seed": args.seed}
    if set(LONG_COLUMNS) <= set(observations.columns):
        fits = fit_dyads(observations, **options)
    else:
        fits = {"": fit(observations, **options)}
    table = pd.concat([f.to_frame().assign(dyad=dyad) for dyad, f in fits.items()], ignore_index=True)
    table = table[["dyad", *(c for c in table.columns if c != "dyad")]]
    record = provenance(data=str(args.data), params=options["params"], n_boot=args.n_boot, level=args.level,
                        seed=args.seed, dt=settings["dt"], base=asdict(base),
                        interventions=interventions_data(options["interventions"]))
    if args.out:
        try:
            _write(Path(args.out), csv_text(table, record))
        except OSError as err:
            raise ValueError(f"cannot write {args.out}: {err.strerror or err}") from None
    if args.json:
        report = {"fits": {str(dyad): f.summary() for dyad, f in fits.items()}, "provenance": record}
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        for dyad, f in fits.items():
            for warning in f.warnings:
                print(f"warning{f' ({dyad})' if dyad else ''}: {warning}")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    base, settings = _couple_and_settings(args)
    population = _population(args, base)
    try:
        rows = write_sweep(population, args.out, chunk_size=args.chunk_size, **settings)
    except OSError as err:
        raise ValueError(f"cannot write {args.out}: {err.strerror or err}") from None
    print(f"wrote {rows} couples to {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "warm":
        simulate(PRESETS["secure"], steps=10)
        print("kernel ready")
        return 0
    if args.command == "presets":
        for name, text in PRESET_TEXT.items():
            print(f"{name:20s} {text[args.lang]}")
        return 0
    if args.command in ("fit", "sweep"):
        what = {"fit": _fit, "sweep": _sweep}[args.command]
        try:
            return what(args)
        except ValueError as err:  # a ScenarioError is one too; so are the files that cannot be read or written
            print(f"error: {err}", file=sys.stderr)
            return 2
    try:
        couple, settings = _couple_and_settings(args)
        result = simulate(couple, **settings)
    except ValueError as err:  # a ScenarioError is one too
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.csv:
        try:
            _write(Path(args.csv), result.to_csv())
        except OSError as err:
            print(f"error: cannot write {args.csv}: {err.strerror or err}", file=sys.stderr)
            return 2
    if args.json:
        report = {
            "preset": args.preset or (None if args.scenario else CLASSIC),
            "scenario": args.scenario,
            **result.summary(),
            "steps": result.steps,
            "dt": result.dt,
            "seed": result.seed,
            "parameters": {
                "a": {"name": couple.a.name, "anxiety": couple.a.anxiety, "avoidance": couple.a.avoidance,
                      **couple.a.params()},
                "b": {"name": couple.b.name, "anxiety": couple.b.anxiety, "avoidance": couple.b.avoidance,
                      **couple.b.params()},
                "couple": {k: v for k, v in asdict(couple).items() if k not in ("a", "b")},
            },
            "explanation": result.explain(args.lang),
            "provenance": result.provenance(),
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print("\n".join(result.explain(args.lang)))
        for key, value in result.summary().items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
