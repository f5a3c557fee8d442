"""Vote: a participant's phone in a workshop room (a page of the app, ``/vote?room=CODE``).

The phone joins the room the coach opened (by the code on the screen, or the QR code that carries
it), then shows the question the coach is asking and takes one vote per question. It follows the
coach by itself: a fragment asks the room's store every few seconds what is asked now. The phone
is an anonymous token made in this browser session and kept in the page's address (``&phone=``), so
that reloading the page is the same phone and cannot vote twice; nothing about the person is kept.
"""

from __future__ import annotations

import re

import streamlit as st

from ui.i18n import LANGS
from ui.room import RoomError, RoomStore, default_store, new_token, normalise_code
from ui.text import md
from ui.workshop.texts import text

TOKEN = re.compile(r"[0-9a-f]{32}")  # the form of ui.room.new_token()
POLL_SECONDS = 2.0  # how often a phone asks what the coach is asking now


def main() -> None:
    """The page, top to bottom."""
    lang = page_lang()
    st.set_page_config(page_title=text("vote_title", lang), page_icon="💞", layout="centered")
    st.title(text("vote_title", lang))
    st.caption(text("vote_intro", lang))
    code = join_ui(store(), lang)
    if code:
        st.fragment(run_every=POLL_SECONDS)(question_ui)(store(), code, lang)


@st.cache_resource(show_spinner=False)
def store() -> RoomStore:
    """The rooms of this server (shared by every session)."""
    return default_store()


def page_lang() -> str:
    """The link's ``?lang=`` (the QR code carries the coach's), else English."""
    wanted = st.query_params.get("lang")
    return str(wanted) if wanted in LANGS else LANGS[0]


def refusal(err: RoomError, lang: str) -> str:
    """The notice for a refused join or vote, in ``lang``."""
    return text(f"room_err_{err.code}", lang)


def phone_token() -> str:
    """This phone's token: the one in the address after a reload, else a new one."""
    kept = str(st.query_params.get("phone", ""))
    return kept if TOKEN.fullmatch(kept) else new_token()


def join_ui(rooms: RoomStore, lang: str) -> str | None:
    """Join the room of the link, or of the code typed; returns the room's code once in it."""
    token = st.session_state.setdefault("vote_token", phone_token())
    joined = st.session_state.get("vote_room")
    if joined:
        st.caption(text("vote_joined", lang, code=joined))
        return str(joined)
    typed = st.query_params.get("room")
    if not typed:
        with st.form("vote_join_form", border=False):
            typed = st.text_input(text("vote_code_label", lang), max_chars=12, key="vote_code")
            if not st.form_submit_button(text("vote_join", lang), type="primary") or not typed:
                return None
    try:
        code = normalise_code(typed)
        rooms.join(code, token)
    except RoomError as err:
        st.error(refusal(err, lang))
        return None
    st.session_state["vote_room"] = code
    st.query_params["room"] = code
    st.query_params["phone"] = token
    st.caption(text("vote_joined", lang, code=code))
    return code


def question_ui(rooms: RoomStore, code: str, lang: str) -> None:
    """The question asked now, its answers and the vote (reruns on its own to follow the coach)."""
    try:
        asked = rooms.current(code)
    except RoomError as err:
        st.error(refusal(err, lang))
        return
    if asked is None:
        st.info(text("vote_waiting", lang))
        return
    st.subheader(md(asked.prompt))
    refused = st.session_state.pop("vote_refused", None)
    if refused:
        st.error(text(f"room_err_{refused}", lang))
    if asked.qid in st.session_state.get("vote_done", {}):
        if refused != "repeated":
            st.success(text("vote_thanks", lang))
        return
    choice = st.radio(text("vote_choice_label", lang), options=list(asked.choices), index=None,
                      key=f"vote_choice_{asked.qid}", format_func=lambda c: md(asked.label(c)))
    st.button(text("vote_send", lang), key=f"vote_send_{asked.qid}", type="primary", disabled=choice is None,
              width="stretch", on_click=cast_vote, args=(rooms, code, asked.qid))


def cast_vote(rooms: RoomStore, code: str, qid: str) -> None:
    """Send the phone's answer to question ``qid`` (before the rerun that shows the thanks or the refusal)."""
    choice = st.session_state.get(f"vote_choice_{qid}")
    done = st.session_state.setdefault("vote_done", {})
    try:
        rooms.vote(code, str(st.session_state["vote_token"]), qid, str(choice))
    except RoomError as err:
        st.session_state["vote_refused"] = err.code
        if err.code != "repeated":
            return
    done[qid] = choice


if __name__ == "__main__":
    main()
