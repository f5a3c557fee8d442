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
from sim.story import CHOICES, ESCALATION, INTERVENTION_AT, INTIMATE_AT, LOWER, STEPS, StepView, Story

from .texts import text

__all__ = ["caption", "caption_keys", "choice_label", "couple_label", "intervention_label", "question", "same",
           "step_title", "summary", "verdict_line"]

Escape = Callable[[str, int], str]
"""How a name is written: ``escape(name, partner index)``."""


def same(name: str, partner: int) -> str:
    """Names as typed (the default :data:`Escape`)."""
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


def question(view: StepView, story: Story, lang: str, escape: Escape = same) -> str:
    """The predict-then-reveal question of a step."""
    return text(f"q_{view.key}", lang, **_names(story, escape), day=view.moment, intimate=INTIMATE_AT,
                start=ESCALATION[0][1], iv=intervention_label(story.intervention, lang))


def choice_label(view: StepView, story: Story, choice: str, lang: str, escape: Escape = same) -> str:
    """The text of one answer the room can choose (``choice`` is one of ``CHOICES[view.key]``)."""
    if choice not in CHOICES[view.key]:
        raise ValueError(f"{choice!r} is not a choice of step {view.key!r}")
    return text(f"choice_{view.key}_{choice}", lang, **_names(story, escape))


def verdict_line(verdict: str, lang: str) -> str:
    """The model's sentence for a verdict."""
    return sim.VERDICT_TEXT[verdict][lang]


def couple_label(couple: sim.Couple, lang: str, escape: Escape = same) -> str:
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


def caption_keys(view: StepView, story: Story) -> list[str]:
    """The catalog keys of a revealed step's caption, one per line, in order (see :func:`caption`).

    ``cap_escalation_floor`` is spoken as part of the line before it.
    """
    keys = [_head_key(view, story)]
    if view.key == "escalation" and view.fields.get("floor") and keys[0] != "cap_escalation_grows_floor":
        keys.append("cap_escalation_floor")
    if view.fields.get("course"):
        keys.append(f"course_{view.fields['course']}")
    if view.key == "intervention" and view.fields.get("gradual"):
        keys.append("cap_intervention_gradual")
    if view.key == "settling" and view.result.verdict != "escalates" and view.fields["doubt"] > DOUBT_AT:
        keys.append("cap_settling_doubt")
    if view.key in ("withdrawal", "pursuit") and "signal_key" in view.fields:
        keys += ["seen", "felt"]
    return keys


def _head_key(view: StepView, story: Story) -> str:
    """The key of a caption's first line: what happened at the step's moment.

    Mostly ``cap_<step>_<variant>``; where that wording would say more than the run shows, the
    line it would need instead: after a withdrawer who stayed close, the pursuer's answer does not
    speak of distance (``_close``); rounds too few to mark (the verdict "cycles" counts at least
    three in its late window) are not counted; a dance made worse only by closeness dropping to
    zero does not call its fear higher; a dance at rest before the intervention is not said to
    settle with it; and rounds with more fear than without it are not "about the same".
    """
    key, f = f"cap_{view.key}_{view.variant}", view.fields
    if view.key == "pursuit" and story.step("withdrawal").variant == "none":
        return f"{key}_close"
    if key == "cap_rounds_cycles" and int(f["rounds"]) < 3:
        return "cap_rounds_cycles_small"
    if key == "cap_escalation_grows" and f["floor"] and f["tension_after"] <= f["tension_before"]:
        return "cap_escalation_grows_floor"
    if key == "cap_settling_settles" and f["settle"] < INTERVENTION_AT:
        return "cap_settling_settled"
    if key == "cap_settling_cycles_same" and f["tension"] > f["tension_without"] / LOWER:
        return "cap_settling_cycles_higher"
    return key


def caption(view: StepView, story: Story, lang: str, escape: Escape = same) -> list[str]:
    """The caption of a revealed step: one to three short sentences a coach can speak to.

    The first line says what happened at the step's moment; for the withdrawal and the pursuit the
    next lines give the visible signal and how it feels to each partner; for a run that escalates,
    how it escalates (:func:`sim.story.course`); for coaching, how far it has come; for a
    run that calms down while a doubt is still felt, that doubt. The lines' catalog keys are
    :func:`caption_keys`.
    """
    names = _names(story, escape)
    fields = _fields(view, story, lang, escape)
    actor = names["w"] if view.key == "withdrawal" else names["p"]
    other = names["p"] if view.key == "withdrawal" else names["w"]
    lines: list[str] = []
    for key in caption_keys(view, story):
        if key == "seen":
            lines.append(text("seen", lang, who=actor, signal=view.fields[f"signal_{lang}"]))
        elif key == "felt":
            lines.append(text("felt", lang, who=actor, other=other, self_feel=view.fields[f"signal_self_{lang}"],
                              other_feel=view.fields[f"signal_other_{lang}"]))
        elif key == "cap_escalation_floor":
            lines[-1] += " " + text(key, lang, **fields)
        else:
            lines.append(text(key, lang, **fields))
    return lines


def summary(view: StepView, story: Story, lang: str, escape: Escape = same) -> str:
    """The step in one short line (for the handout); it quotes no number its caption does not."""
    small = _head_key(view, story) == "cap_rounds_cycles_small"
    key = "sum_rounds_cycles_small" if small else f"sum_{view.key}_{view.variant}"
    return text(key, lang, **_fields(view, story, lang, escape))


def _mean_gap(days: tuple[float, ...]) -> float:
    if len(days) < 2:
        return math.nan
    return (days[-1] - days[0]) / (len(days) - 1)
