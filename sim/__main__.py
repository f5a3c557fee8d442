"""Command line: ``python -m sim run --preset anxious-avoidant --json``, ``python -m sim run --scenario FILE
--set a.anxiety=0.9``, ``python -m sim presets`` and ``python -m sim warm``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .batch import simulate
from .limits import RUN_FIELDS
from .partners import Couple
from .presets import CLASSIC, PRESET_TEXT, PRESETS
from .scenario import Scenario, load_scenario
from .sweep import param_names, set_params

_DEFAULTS: dict[str, Any] = {name: getattr(Scenario(), name) for name in RUN_FIELDS}
"""The run settings of a preset run: a scenario's defaults (a scenario file brings its own)."""


def _parser() -> argparse.ArgumentParser:
    called = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(prog="python -m sim" if called in ("__main__.py", "-m", "") else called,
                                     description="Attract & Repel: simulate the pursue-withdraw dance.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one couple and report verdict and metrics",
                         epilog="parameters for --set: " + ", ".join(param_names()))
    start = run.add_mutually_exclusive_group()
    start.add_argument("--preset", choices=sorted(PRESETS), help=f"a preset couple (default {CLASSIC})")
    start.add_argument("--scenario", metavar="FILE",
                       help="a scenario file (couple, events, interventions and run settings; docs/scenario_format.md)")
    run.add_argument("--set", metavar="NAME=VALUE", action="append", default=[], dest="changes",
                     help="set one parameter of the couple, e.g. a.anxiety=0.9, both.alarm_lag=2, fading=0.3 "
                          "(repeatable; the names are listed below, the ranges in docs/model.md)")
    for name, spec in RUN_FIELDS.items():  # the run settings, from their declarations
        run.add_argument(f"--{name.replace('_', '-')}", type=int if spec.whole else float, dest=name,
                         help=f"{spec.help['en']} {spec.range_text()}; default {_DEFAULTS[name]:g}, or the scenario's")
    run.add_argument("--json", action="store_true", help="print verdict, metrics and parameters as JSON")
    run.add_argument("--csv", metavar="FILE", help="write the trajectory, one row per step, to FILE")
    run.add_argument("--lang", choices=("en", "nl"), default="en")
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


def _couple_and_settings(args: argparse.Namespace) -> tuple[Couple, dict[str, Any]]:
    """The couple and the run settings asked for: a preset or a scenario file, then --set and the run flags."""
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
    settings.update({k: getattr(args, k) for k in RUN_FIELDS if getattr(args, k) is not None})
    return couple, settings


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
