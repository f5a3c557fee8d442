"""The room's votes (ui.room): one vote per phone and question, clear refusals, rooms that expire,
and thirty phones voting at once without a lost or doubled vote."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.room import CODE_ALPHABET, CODE_LENGTH, STORE_ENV, Question, RoomError, SQLiteRoomStore, new_token
from ui.text import md
from ui.workshop.texts import text

Q1 = Question("step1", ("a", "b", "both", "neither"))
Q2 = Question("step2", ("closer", "distance", "stays"))


@pytest.fixture
def store(tmp_path):
    return SQLiteRoomStore(tmp_path / "rooms.sqlite3")


def _refused(code: str, call, *args) -> None:
    with pytest.raises(RoomError) as err:
        call(*args)
    assert err.value.code == code


def test_a_room_counts_one_vote_per_phone_and_question(store) -> None:
    code = store.open_room()
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    phones = [new_token() for _ in range(3)]
    for phone in phones:
        store.join(code, phone)
    _refused("no_question", store.vote, code, phones[0], "step1", "a")
    store.ask(code, Q1)
    assert store.current(code) == Q1
    store.vote(code, phones[0], "step1", "a")
    store.vote(code.lower(), phones[1], "step1", "both")  # a code typed in lower case is the same room
    _refused("repeated", store.vote, code, phones[0], "step1", "b")
    _refused("bad_choice", store.vote, code, phones[2], "step1", "maybe")
    _refused("stale", store.vote, code, phones[2], "step0", "a")
    assert store.tally(code, "step1") == {"a": 1, "b": 0, "both": 1, "neither": 0}
    store.ask(code, Q2)  # the next step: a new question, the old tally kept
    store.vote(code, phones[0], "step2", "closer")
    assert store.tally(code, "step2") == {"closer": 1, "distance": 0, "stays": 0}
    assert store.tally(code, "step1") == {"a": 1, "both": 1}
    assert store.phones(code) == 3


def test_refusals_name_why(store, tmp_path) -> None:
    _refused("unknown", store.vote, "ZZZZZ", new_token(), "q", "a")
    _refused("unknown", store.join, "not a code", new_token())
    code = store.open_room()
    stranger = new_token()
    store.ask(code, Q1)
    _refused("bad_input", store.vote, code, stranger, "step1", "a")  # never joined
    _refused("bad_input", store.ask, code, Question("q", ("only one",)))
    _refused("bad_input", store.join, code, "")
    small = SQLiteRoomStore(tmp_path / "small.sqlite3", max_phones=2)
    room = small.open_room()
    small.join(room, "p1")
    small.join(room, "p2")
    small.join(room, "p1")  # joining again is no second phone
    _refused("full", small.join, room, "p3")
    store.join(code, stranger)
    store.close(code)
    _refused("closed", store.vote, code, stranger, "step1", "a")
    _refused("closed", store.join, code, new_token())
    assert store.tally(code, "step1") == dict.fromkeys(Q1.choices, 0)  # still readable


def test_rooms_expire_with_their_votes(tmp_path) -> None:
    now = [1000.0]
    store = SQLiteRoomStore(tmp_path / "rooms.sqlite3", hours=1.0, clock=lambda: now[0])
    old = store.open_room()
    store.join(old, "p")
    store.ask(old, Q1)
    store.vote(old, "p", "step1", "a")
    now[0] += 3601.0
    _refused("expired", store.tally, old, "step1")
    _refused("expired", store.vote, old, "p", "step1", "b")
    store.open_room()  # opening a room clears the expired ones, with their phones and votes
    _refused("unknown", store.tally, old, "step1")
    import sqlite3

    with sqlite3.connect(tmp_path / "rooms.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM phones").fetchone()[0] == 0


def test_thirty_phones_voting_at_once_lose_and_double_nothing(store) -> None:
    """Thirty threads, each a phone with its own connection, join and vote at the same instant, and
    each tries a second vote: every first vote is counted once and every second one refused."""
    code = store.open_room()
    store.ask(code, Q1)
    phones = [new_token() for _ in range(30)]
    wanted = {phone: Q1.choices[i % len(Q1.choices)] for i, phone in enumerate(phones)}
    start = threading.Barrier(len(phones))
    refused: list[str] = []
    failed: list[BaseException] = []

    def phone(token: str) -> None:
        try:
            start.wait(timeout=30)
            store.join(code, token)
            store.vote(code, token, "step1", wanted[token])
            try:
                store.vote(code, token, "step1", wanted[token])
            except RoomError as err:
                refused.append(err.code)
        except BaseException as err:  # noqa: BLE001 - reported below
            failed.append(err)

    threads = [threading.Thread(target=phone, args=(p,)) for p in phones]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failed, failed
    assert refused == ["repeated"] * 30
    assert store.tally(code, "step1") == dict(Counter(wanted.values()))
    assert store.phones(code) == 30


def test_phones_see_the_words_the_coach_asked_with(store) -> None:
    code = store.open_room()
    store.ask(code, Question("step1", ("a", "b"), "Who feels\nuneasy first?", ("Ik", "[Mijn](x) partner")))
    asked = store.current(code)
    assert asked.prompt == "Who feels uneasy first?"
    assert asked.label("b") == "[Mijn](x) partner"  # kept as typed: the page escapes it
    _refused("bad_input", store.ask, code, Question("step1", ("a", "b"), "?", ("only one",)))


# --- the pages: the coach's room in the workshop, a phone on /vote (AppTest) -----------------------

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = str(ROOT / "app_pages" / "workshop.py")
VOTE = str(ROOT / "app_pages" / "vote.py")


@pytest.fixture
def rooms_file(tmp_path, monkeypatch):
    """A fresh SQLite file of rooms for the pages (their store is cached per server process)."""
    import streamlit as st

    path = tmp_path / "rooms.sqlite3"
    monkeypatch.setenv(STORE_ENV, str(path))
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def _coach(**state) -> AppTest:
    at = AppTest.from_file(WORKSHOP, default_timeout=30)
    at.session_state["ws_step"] = 0
    at.session_state["ws_predict"] = True
    at.session_state["ws_room_on"] = True
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def _phone(code: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(VOTE, default_timeout=30)
    if code:
        at.query_params["room"] = code
    at.query_params["lang"] = lang
    return at.run()


def test_the_coach_opens_a_room_phones_vote_and_the_reveal_shows_the_tally(rooms_file) -> None:
    coach = _coach()
    assert not coach.exception
    code = coach.session_state["ws_room"]
    assert text("room_code", "en", code=code) in "\n".join(m.value for m in coach.sidebar.markdown)
    assert any(text("room_phones", "en", n=0) == c.value for c in coach.sidebar.caption)
    store = SQLiteRoomStore(rooms_file)
    asked = store.current(code)
    assert asked.qid.startswith("1-intimate-") and asked.choices == ("a", "b", "both", "neither")

    phone = _phone(code)  # joins from the QR code's link and sees the coach's question
    assert not phone.exception
    assert phone.subheader[0].value == md(asked.prompt)
    radio = phone.radio(key=f"vote_choice_{asked.qid}")
    assert radio.options == ["A", "B", "Both", "Neither"]
    radio.set_value("b").run()
    phone.button(key=f"vote_send_{asked.qid}").click().run()
    assert phone.success[0].value == text("vote_thanks", "en")
    for token, pick in (("p2", "b"), ("p3", "a")):
        store.join(code, token)
        store.vote(code, token, asked.qid, pick)

    coach.radio(key="ws_guess_0").set_value("a")
    coach.button(key="ws_reveal").click().run()
    lines = [p.proto.text for p in coach.get("progress")]
    assert text("room_tally_line", "en", label="B", n=2, share="67 %") in " ".join(lines)
    assert any(text("room_tally_model", "en") in line and "B: 2" in line for line in lines)  # the model says B
    assert store.phones(code) == 3


def test_a_phone_is_told_why_it_cannot_vote(rooms_file) -> None:
    phone = _phone("ZZZZZ", "nl")
    assert phone.error[0].value == text("room_err_unknown", "nl")
    store = SQLiteRoomStore(rooms_file)
    code = store.open_room()
    phone = _phone(code)
    assert phone.info[0].value == text("vote_waiting", "en")  # in, and no question yet
    store.close(code)
    phone = _phone(code)
    assert phone.error[0].value == text("room_err_closed", "en")
    typed = _phone()  # no code in the link: a field to type it in
    typed.text_input(key="vote_code").input("zz zzz")
    typed.button[0].click().run()
    assert typed.error[0].value == text("room_err_unknown", "en")


def test_the_coach_closes_the_room_and_its_votes_stay(rooms_file) -> None:
    coach = _coach()
    code = coach.session_state["ws_room"]
    store = SQLiteRoomStore(rooms_file)
    qid = store.current(code).qid
    store.join(code, "p1")
    store.vote(code, "p1", qid, "b")
    coach.button(key="ws_room_close").click().run()
    assert any(c.value == text("room_closed", "en") for c in coach.sidebar.caption)
    _refused("closed", store.vote, code, "p1", qid, "a")
    assert coach.warning[0].value == text("room_err_closed", "en")  # the step's question is not asked any more
    coach.button(key="ws_reveal").click().run()
    assert any("B: 1" in p.proto.text for p in coach.get("progress"))
