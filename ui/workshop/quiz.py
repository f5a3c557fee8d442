"""The room check: a few questions the room answers on its phones before the story and again after it.

The same questions, with the same choices, are asked twice: as the room's *before* set (at the start,
nothing shown yet) and its *after* set (once the story has been told). The share of the room that
chose the model's answer, before and after, shows what the room understood. The answers are what the
story shows for a couple in the classic trap (one partner anxious, the other avoidant), a claim
``tests/test_room.py`` checks on couples drawn across that region: the withdrawal step, the pursuit
step, the rounds without help, and the step where one partner creates safety.

Texts live in the workshop catalog: ``quiz_q_<key>`` and ``quiz_<key>_<choice>``.
"""

from __future__ import annotations

from typing import NamedTuple

from ui.room import Question

from .texts import text

__all__ = ["PHASES", "QUIZ", "QuizItem", "question", "right_share"]

PHASES = ("pre", "post")
"""The two rounds of the same questions: before the story and after it."""


class QuizItem(NamedTuple):
    """One question of the room check: its key, its choices (keys) and the model's answer."""

    key: str
    choices: tuple[str, ...]
    answer: str


QUIZ = (
    QuizItem("reflex", ("closer", "pulls_away", "no_change"), "pulls_away"),
    QuizItem("pursuit", ("gives_space", "pursues", "withdraws"), "pursues"),
    QuizItem("course", ("settles", "goes_on"), "goes_on"),
    QuizItem("safety", ("lower", "same", "higher"), "lower"),
)
"""The questions, in the order the room is asked them."""


def question(phase: str, number: int, lang: str) -> Question:
    """Question ``number`` (0-based) of the ``phase`` set ("pre" or "post") as the phones see it."""
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {PHASES}, not {phase!r}")
    item = QUIZ[number]
    return Question(f"{phase}-{number + 1}-{item.key}", item.choices, text(f"quiz_q_{item.key}", lang),
                    tuple(text(f"quiz_{item.key}_{choice}", lang) for choice in item.choices))


def right_share(counts: dict[str, int], item: QuizItem) -> float | None:
    """The share of the votes ``counts`` that chose the model's answer (None when nobody voted)."""
    total = sum(counts.values())
    return counts.get(item.answer, 0) / total if total else None
