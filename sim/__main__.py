"""Command line: ``python -m sim run --preset anxious-avoidant --json`` and ``python -m sim presets``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from .batch import DEFAULT_DT, DEFAULT_STEPS, simulate
from .presets import PRESET_TEXT, PRESETS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sim",
                                     description="Attract & Repel: simulate the pursue-withdraw dance.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one preset couple and report verdict and metrics")
    run.add_argument("--preset", default="anxious-avoidant", choices=sorted(PRESETS))
    run.add_argument("--steps", type=int, default=DEFAULT_STEPS)
    run.add_argument("--dt", type=float, default=DEFAULT_DT, help="step in days")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--random-events", type=float, default=0.0, help="expected random triggers per day")
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
    couple = PRESETS[args.preset]
    try:
        result = simulate(couple, steps=args.steps, dt=args.dt, seed=args.seed,
                          random_events=args.random_events)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.csv:
        try:
            _write(Path(args.csv), result.to_frame().to_csv(index=False))
        except OSError as err:
            print(f"error: cannot write {args.csv}: {err.strerror or err}", file=sys.stderr)
            return 2
    if args.json:
        report = {
            "preset": args.preset,
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
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print("\n".join(result.explain(args.lang)))
        for key, value in result.summary().items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
