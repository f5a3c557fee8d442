"""Speaker notes: what the coach needs beside the projected view, and the room does not see.

For the step on the projector: its question and the choices, the model's answer for this couple
(while the room still guesses), a tip for leading the talk, what the screen says once revealed,
and what comes next. The notes page (``/notes``) shows them and follows the projected view
(:mod:`ui.workshop.deck`).
"""

from __future__ import annotations

from typing import NamedTuple

from sim import story as stories

from . import captions
from .captions import Escape, same
from .texts import text

__all__ = ["Notes", "speaker_notes"]


class Notes(NamedTuple):
    """The notes for one step, every text in the coach's language (names written by the caller's ``escape``)."""

    counter: str
    title: str
    status: str
    question: str
    choices: tuple[str, ...]
    answer: str
    tip: str
    caption: tuple[str, ...]
    next_title: str | None


def speaker_notes(story: stories.Story, index: int, revealed: bool, lang: str, escape: Escape = same) -> Notes:
    """The notes for step ``index`` of ``story`` (0..6), while the room guesses or after the reveal.

    ``escape(name, partner)`` writes each name (the page makes them literal markdown).
    """
    view = story.steps[index]
    last = index == len(stories.STEPS) - 1
    return Notes(
        counter=text("step_counter", lang, n=index + 1, total=len(stories.STEPS)),
        title=captions.step_title(index, lang),
        status=text("notes_status_shown" if revealed else "notes_status_asking", lang),
        question=captions.question(view, story, lang, escape),
        choices=tuple(captions.choice_label(view, story, c, lang, escape) for c in stories.CHOICES[view.key]),
        answer=captions.choice_label(view, story, view.answer, lang, escape),
        tip=text(f"notes_tip_{view.key}", lang),
        caption=tuple(captions.caption(view, story, lang, escape)),
        next_title=None if last else captions.step_title(index + 1, lang),
    )
