"""Speaker notes: the coach's second tab beside the projected workshop (a page of the app, ``/notes?deck=CODE``).

The workshop's sidebar links here with its deck code; this page then follows the projected view
by itself (a fragment reads the deck every second): the step, the question, the model's answer
while the room still guesses, a tip for the talk and what comes next. Nothing here is projected.
"""

from __future__ import annotations

import streamlit as st

from sim import story as stories
from sim.scenario import load_scenario
from ui.i18n import LANGS
from ui.text import md
from ui.workshop import deck, notes, quiz
from ui.workshop.texts import text

POLL_SECONDS = 1.0  # how often the notes look at the projected view


def main() -> None:
    """The page, top to bottom."""
    code = st.query_params.get("deck")
    slide = deck.shared().current(str(code)) if code else None
    lang = slide.lang if slide else page_lang()
    st.set_page_config(page_title=text("notes_title", lang), page_icon="💞", layout="centered")
    if not code:
        st.title(text("notes_title", lang))
        st.warning(text("notes_no_deck", lang))
        return
    st.fragment(run_every=POLL_SECONDS)(notes_ui)(str(code))


def page_lang() -> str:
    """The link's ``?lang=``, else English (until the projected view says which)."""
    wanted = st.query_params.get("lang")
    return str(wanted) if wanted in LANGS else LANGS[0]


@st.cache_resource(max_entries=16, show_spinner=False)
def cached_story(key: str, intervention: str) -> stories.Story:
    """The story the projected view tells (the same runs: the model is deterministic)."""
    return stories.build_story(load_scenario(key).couple, intervention)


def notes_ui(code: str) -> None:
    """The notes of the slide on the projector now."""
    slide = deck.shared().current(code)
    if slide is None:
        lang = page_lang()
        st.title(text("notes_title", lang))
        st.info(text("notes_waiting", lang))
        return
    lang = slide.lang
    if slide.quiz is not None:
        phase, number = slide.quiz
        st.caption(text("notes_title", lang))
        st.title(text(f"quiz_title_{phase}", lang))
        if number < len(quiz.QUIZ):
            item = quiz.QUIZ[number]
            st.markdown(text("notes_quiz", lang, n=number + 1, total=len(quiz.QUIZ)))
            st.markdown(text(f"quiz_q_{item.key}", lang))
            st.markdown(text("notes_answer", lang, answer=text(f"quiz_{item.key}_{item.answer}", lang)))
        st.markdown(text("notes_tip_quiz", lang))
        return
    page = notes.speaker_notes(cached_story(slide.couple_key, slide.intervention), slide.step, slide.revealed, lang,
                               lambda name, partner: md(name))
    st.caption(text("notes_title", lang) + " · " + page.counter)
    st.title(page.title)
    (st.success if slide.revealed else st.warning)(page.status)
    st.subheader(text("notes_ask", lang))
    st.markdown(page.question)
    st.markdown("\n".join(f"- {choice}" for choice in page.choices))
    st.markdown(text("notes_answer", lang, answer=page.answer))
    st.subheader(text("notes_tip", lang))
    st.markdown(page.tip)
    st.subheader(text("notes_says", lang))
    for line in page.caption:
        st.markdown(line)
    if page.next_title:
        st.caption(text("notes_next", lang, title=page.next_title))


if __name__ == "__main__":
    main()
