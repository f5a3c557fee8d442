"""Generate the parameter tables of ``docs/model.md`` from the field metadata.

``python -m sim.docs`` rewrites the part of docs/model.md between the markers
``<!-- parameters:start -->`` and ``<!-- parameters:end -->``; a test checks that the committed
file is up to date.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from pathlib import Path

from .interventions import INTERVENTION_KINDS
from .partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, Couple, ParamSpec, Partner

__all__ = ["MODEL_DOC", "parameter_tables", "update_model_doc"]

MODEL_DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"
START, END = "<!-- parameters:start -->", "<!-- parameters:end -->"


def _field_defaults() -> dict[str, object]:
    return {f.name: f.default for cls in (Partner, Couple) for f in fields(cls)}


def _default(name: str, spec: ParamSpec) -> str:
    if spec.driver is None or spec.slope == 0:
        value = _field_defaults()[name]
        return f"{spec.base if value is None else value:g}"
    sign = "+" if spec.slope > 0 else "−"
    return f"{spec.base:g} {sign} {abs(spec.slope):g} × {spec.driver}"


def _table(specs: dict[str, ParamSpec], default_column: str) -> list[str]:
    rows = [f"| parameter | English | Dutch | meaning | range | unit | {default_column} | source |",
            "|---|---|---|---|---|---|---|---|"]
    for name, spec in specs.items():
        rows.append(f"| `{name}` | {spec.label['en']} | {spec.label['nl']} | {spec.help['en']} | "
                    f"{spec.low:g} – {spec.high:g} | {spec.unit} | {_default(name, spec)} | {spec.source} |")
    return rows


def parameter_tables() -> str:
    """The three tables (attachment scores, derived partner parameters, couple parameters) as Markdown."""
    lines = ["**Attachment scores** (per partner; the two user-facing dimensions)", ""]
    lines += _table(PARTNER_SCORES, "default")
    lines += ["", "**Partner parameters** (derived from the scores by the rule shown; each can be overridden)", ""]
    lines += _table(PARTNER_PARAMS, "default (rule)")
    lines += ["", "**Couple parameters**", ""]
    lines += _table(COUPLE_PARAMS, "default")
    lines += ["", "**Interventions** (effects at strength 1 on the partner who takes part, and on the other)", ""]
    lines += ["| kind | English | Dutch | own parameters | the other's parameters | why |", "|---|---|---|---|---|---|"]
    for name, kind in INTERVENTION_KINDS.items():
        own = _effects(kind.self_effects) or ("drift toward a secure partner" if kind.gradual else "–")
        other = _effects(kind.other_effects) or "–"
        lines.append(f"| `{name}` | {kind.label['en']} | {kind.label['nl']} | {own} | {other} | {kind.why} |")
    return "\n".join(lines)


def _effects(effects: dict[str, tuple[str, float]]) -> str:
    parts = []
    for name, (mode, amount) in effects.items():
        parts.append(f"`{name}` × {1 + amount:g}" if mode == "scale" else f"`{name}` {amount:+g}")
    return ", ".join(parts)


def update_model_doc(path: Path = MODEL_DOC) -> bool:
    """Rewrite the generated section of ``path``; True if the file changed."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{parameter_tables()}\n{END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    changed = update_model_doc()
    print("docs/model.md updated" if changed else "docs/model.md already up to date")
    sys.exit(0)
