"""What the coach reads out: each step's title, question, choices and caption, in English or Dutch.

Texts come from the catalog (``ui/locales/workshop.<lang>.json``); names, days and counts come from
the step's run (:class:`sim.story.StepView`), and the visible signals and feelings from the
model's own texts (``sim.SIGNALS``, ``sim.FEELINGS``). Names are passed through ``escape`` so that
the page can make them safe (and coloured) for markdown and the handout safe for matplotlib.

No sentence quotes one of the model's numbers. A level (closeness, a fear, a swing, how far coaching
has come, a doubt) is said in words by :func:`level_word`, with the bounds of the main page's chart
words (:mod:`ui.chart_words`); a change in fear (with against without, after against before) by
:func:`change_key`, with the story's own "about the same" (``sim.story.LOWER``) and the bounds
declared here (:data:`CLEARLY`, :data:`MUCH`). Days, rounds and days per round are time and counts:
they stay numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import sim
from sim.signals import DOUBT_AT
from sim.story import CHOICES, ESCALATION, INTERVENTION_AT, INTIMATE_AT, LOWER, STEPS, StepView, Story
from ui.chart_words import CLOSENESS_LEVELS, FEAR_LEVELS, SWING_LEVELS

from .texts import text

__all__ = ["CLEARLY", "LEARNED_LEVELS", "LEVELS", "MUCH", "caption", "caption_keys", "change_key", "choice_label",
           "compare_words", "couple_label", "intervention_label", "level_key", "level_word", "question", "same",
           "step_title", "summary", "verdict_line"]

CLEARLY = 1.5
"""A change in fear by this factor (half as much again), or by its inverse (a third less), is clear; a
smaller one, beyond the story's "about the same" (between ``LOWER`` and ``1 / LOWER``), is somewhat."""
MUCH = 2.0
"""A change in fear by this factor (twice as much), or by its inverse (half as much), is much."""
LEARNED_LEVELS = (1.0 / 3.0, 2.0 / 3.0)
"""Shares of the way to a secure partner's responses that divide a small part, a good part and most of it."""
LEVELS: dict[str, tuple[tuple[float, ...], tuple[str, ...]]] = {
    "closeness": (CLOSENESS_LEVELS, ("little", "some", "much")),
    "fear": (FEAR_LEVELS, ("low", "moderate", "high")),
    "swing": (SWING_LEVELS, ("hardly", "little", "strongly")),
    "learned": (LEARNED_LEVELS, ("small", "good", "most")),
    "doubt": ((DOUBT_AT,), ("hidden", "shown")),
}
"""Kind of level -> (its bounds, its bands, lowest first); the words are the catalog's ``level_<kind>_<band>``.

Closeness is the model's closeness and a swing its peak to trough (the page's bounds); a fear is a
share of the couple's fear ceiling (the page's ``FEAR_LEVELS``); learning is the share of the way
to a secure partner; a doubt below ``sim.signals.DOUBT_AT`` does not show yet, above it it shows."""


def level_key(kind: str, value: float) -> str:
    """The band of ``value`` among the levels of ``kind`` (a key of :data:`LEVELS`), e.g. "high"."""
    bounds, bands = LEVELS[kind]
    return bands[sum(value >= bound for bound in bounds)]


def level_word(kind: str, value: float, lang: str) -> str:
    """The level of ``value`` in words (the catalog's ``level_<kind>_<band>``): "very close", "moderate"..."""
    return text(f"level_{kind}_{level_key(kind, value)}", lang)


def change_key(new: float, old: float) -> tuple[str, str]:
    """How ``new`` compares with ``old`` (two mean fears): its direction, "lower", "same" or "higher", and
    its size, "little", "clearly" or "much" ("" when about the same: the story's LOWER to 1 / LOWER)."""
    ratio = new / old if old > 1e-9 else 1.0
    if LOWER <= ratio <= 1.0 / LOWER:
        return "same", ""
    factor = max(ratio, 1.0 / ratio) if ratio > 0.0 else math.inf
    size = "much" if factor >= MUCH else "clearly" if factor >= CLEARLY else "little"
    return ("lower" if ratio < 1.0 else "higher"), size


def compare_words(new: float, old: float, lang: str) -> str:
    """``new`` against ``old`` as the start of a comparison that "before" or "without it" ends: "somewhat
    lower than", "about as high as", "much higher than"."""
    direction, size = change_key(new, old)
    return text(f"compare_{direction}", lang, size=text(f"change_{size}", lang) if size else "")


def _change_size(new: float, old: float, lang: str) -> str:
    """The size of a change, for a sentence that gives its direction itself ("{change} less fear")."""
    return text(f"change_{change_key(new, old)[1] or 'little'}", lang)

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
    """Everything a caption or a summary of ``view`` may name: names, days and counts, the intervention,
    and the step's levels and changes in words (see the module's docstring)."""
    names = _names(story, escape)
    v = view.fields
    f: dict[str, Any] = dict(v)
    f.update(names)
    f["iv"] = intervention_label(story.intervention, lang)
    ceiling = float(story.couple.fear_ceiling)
    if view.key == "intimate":
        f["first"] = names["ab"[int(v["first"])]]
        before, after = (level_key("closeness", float(v[k])) for k in ("before", "after"))
        f["jump"] = text("jump_same" if before == after else "jump", lang,
                         before=text(f"level_closeness_{before}", lang), after=text(f"level_closeness_{after}", lang))
    if view.key == "withdrawal":
        f["level"] = level_word("fear", float(v["alarm"]) / ceiling, lang)
    if view.key == "pursuit":
        f["level"] = level_word("fear", float(v["fear"]) / ceiling, lang)
    if view.key == "rounds" and not math.isfinite(float(f.get("period", math.nan))):
        f["period"] = _mean_gap(view.marks)
    if view.key == "escalation":
        f["compare"] = compare_words(float(v["tension_after"]), float(v["tension_before"]), lang)
    if view.key == "intervention":
        f["change"] = _change_size(float(v["with"]), float(v["without"]), lang)
        f["learned"] = level_word("learned", float(v["learned"]) / 100.0, lang)
    if view.key == "settling":
        f["without_text"] = text(f"short_{v['without']}", lang)
        f["change"] = _change_size(float(v["tension"]), float(v["tension_without"]), lang)
    if "doubt" in v:
        f["stage"] = level_word("doubt", float(v["doubt"]), lang)
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
