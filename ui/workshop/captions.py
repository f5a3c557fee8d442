"""What the coach reads out: each step's title, question, choices and caption, in English or Dutch.

Texts come from the catalog (``ui/locales/workshop.<lang>.json``); numbers and names come from the
step's run (:class:`sim.story.StepView`), and the visible signals and feelings from the
model's own texts (``sim.SIGNALS``, ``sim.FEELINGS``). Names are passed through ``escape`` so that
the page can make them safe (and coloured) for markdown and the handout safe for matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import sim
from sim.signals import DOUBT_AT
from sim.story import CHOICES, ESCALATION, INTIMATE_AT, STEPS, StepView, Story

from .texts import text

__all__ = ["caption", "choice_label", "couple_label", "intervention_label", "question", "step_title",
           "summary", "verdict_line"]

Escape = Callable[[str, int], str]
"""How a name is written: ``escape(name, partner index)``."""


def _same(name: str, partner: int) -> str:
    return name


def intervention_label(kind: str, lang: str) -> str:
    """The model's name of an intervention kind in ``lang``."""
    return sim.INTERVENTION_KINDS[kind].label[lang]


def _names(story: Story, escape: Escape) -> dict[str, str]:
    names = story.names()
    w, p = story.withdrawer, story.pursuer
    return {"a": escape(names[0], 0), "b": escape(names[1], 1), "w": escape(names[w], w), "p": escape(names[p], p)}


def step_title(index: int, lang: str) -> str:
    """The title of step ``index`` (0..6)."""
    return text(f"step_{STEPS[index]}", lang)


def question(view: StepView, story: Story, lang: str, escape: Escape = _same) -> str:
    """The predict-then-reveal question of a step."""
    return text(f"q_{view.key}", lang, **_names(story, escape), day=view.moment, intimate=INTIMATE_AT,
                start=ESCALATION[0][1], iv=intervention_label(story.intervention, lang))


def choice_label(view: StepView, story: Story, choice: str, lang: str, escape: Escape = _same) -> str:
    """The text of one answer the room can choose (``choice`` is one of ``CHOICES[view.key]``)."""
    if choice not in CHOICES[view.key]:
        raise ValueError(f"{choice!r} is not a choice of step {view.key!r}")
    return text(f"choice_{view.key}_{choice}", lang, **_names(story, escape))


def verdict_line(verdict: str, lang: str) -> str:
    """The model's sentence for a verdict."""
    return sim.VERDICT_TEXT[verdict][lang]


def couple_label(couple: sim.Couple, lang: str, escape: Escape = _same) -> str:
    """"A (anxious) and B (avoidant)": both partners with their attachment style."""
    return text("couple_desc", lang, a=escape(couple.a.name or "A", 0), b=escape(couple.b.name or "B", 1),
                style_a=text(f"style_{couple.a.style}", lang), style_b=text(f"style_{couple.b.style}", lang))


def _fields(view: StepView, story: Story, lang: str, escape: Escape) -> dict[str, Any]:
    """Everything a caption or a summary of ``view`` may name: the step's numbers, names, the intervention."""
    names = _names(story, escape)
    f: dict[str, Any] = dict(view.fields)
    f.update(names)
    f["iv"] = intervention_label(story.intervention, lang)
    if view.key == "intimate":
        f["first"] = names["ab"[int(view.fields["first"])]]
    if view.key == "rounds" and not math.isfinite(float(f.get("period", math.nan))):
        f["period"] = _mean_gap(view.marks)
    if view.key == "intervention":
        f["change"] = abs(float(view.fields["change"]))
    if view.key == "settling":
        f["without_text"] = text(f"short_{view.fields['without']}", lang)
    if "doubter" in view.fields:
        doubter = int(view.fields["doubter"])
        f["who"] = names["ab"[doubter]] if doubter < 2 else text("both_names", lang, a=names["a"], b=names["b"])
    return f


def caption(view: StepView, story: Story, lang: str, escape: Escape = _same) -> list[str]:
    """The caption of a revealed step: one to three short sentences a coach can speak to.

    The first line says what happened at the step's moment; for the withdrawal and the pursuit the
    next lines give the visible signal and how it feels to each partner; for a run that escalates,
    how it escalates (:func:`sim.story.course`); for coaching, how far it has come; for a
    run that calms down while a doubt is still felt, that doubt.
    """
    names = _names(story, escape)
    fields = _fields(view, story, lang, escape)
    lines = [text(f"cap_{view.key}_{view.variant}", lang, **fields)]
    if view.key == "escalation" and view.fields.get("floor"):
        lines[0] += " " + text("cap_escalation_floor", lang)
    if view.fields.get("course"):
        lines.append(text(f"course_{view.fields['course']}", lang, **fields))
    if view.key == "intervention" and view.fields.get("gradual"):
        lines.append(text("cap_intervention_gradual", lang, **fields))
    if view.key == "settling" and view.result.verdict != "escalates" and view.fields["doubt"] > DOUBT_AT:
        lines.append(text("cap_settling_doubt", lang, **fields))
    if view.key in ("withdrawal", "pursuit") and "signal_key" in view.fields:
        actor = names["w"] if view.key == "withdrawal" else names["p"]
        other = names["p"] if view.key == "withdrawal" else names["w"]
        lines.append(text("seen", lang, who=actor, signal=view.fields[f"signal_{lang}"]))
        lines.append(text("felt", lang, who=actor, other=other, self_feel=view.fields[f"signal_self_{lang}"],
                          other_feel=view.fields[f"signal_other_{lang}"]))
    return lines


def summary(view: StepView, story: Story, lang: str, escape: Escape = _same) -> str:
    """The step in one short line (for the handout)."""
    return text(f"sum_{view.key}_{view.variant}", lang, **_fields(view, story, lang, escape))


def _mean_gap(days: tuple[float, ...]) -> float:
    if len(days) < 2:
        return math.nan
    return (days[-1] - days[0]) / (len(days) - 1)
