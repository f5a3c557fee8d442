"""The room's votes (ui.room): one vote per phone and question, clear refusals, rooms that expire,
and thirty phones voting at once without a lost or doubled vote."""

from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import sim
from sim import story as stories
from ui.room import CODE_ALPHABET, CODE_LENGTH, Question, RoomError, SQLiteRoomStore, new_token
from ui.text import md
from ui.workshop import captions, quiz
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


# --- the room check: the same questions before and after the story -------------------------------

def _trap_couples(n: int, seed: int) -> list[sim.Couple]:
    """Couples across the trap quadrant: A anxious and hardly avoidant, B avoidant and hardly anxious."""
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(anxiety=rng.uniform(0.65, 1.0), avoidance=rng.uniform(0.0, 0.3)),
                       b=sim.Partner(anxiety=rng.uniform(0.0, 0.3), avoidance=rng.uniform(0.65, 1.0)))
            for _ in range(n)]


def test_the_room_checks_answers_are_what_the_story_shows_across_the_trap() -> None:
    """Each answer of the room check is the answer of a story step, for every couple drawn in the trap."""
    answers = {item.key: item.answer for item in quiz.QUIZ}
    for couple in _trap_couples(10, seed=141):
        story = stories.build_story(couple, "safety")
        steps = {view.key: view.answer for view in story.steps}
        shown = {"reflex": {"distance": "pulls_away", "closer": "closer", "stays": "no_change"}[steps["withdrawal"]],
                 "pursuit": {"pursues": "pursues", "space": "gives_space", "withdraws": "withdraws"}[steps["pursuit"]],
                 "course": "settles" if steps["rounds"] == "settles" else "goes_on",
                 "safety": steps["intervention"]}
        assert shown == answers, couple


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_room_check_asks_the_same_questions_twice_under_other_ids(lang) -> None:
    for number, item in enumerate(quiz.QUIZ):
        before, after = quiz.question("pre", number, lang), quiz.question("post", number, lang)
        assert before.qid != after.qid and before.choices == after.choices == item.choices
        assert item.answer in item.choices and before.prompt == after.prompt and before.prompt
        assert len(set(before.labels)) == len(item.choices)
    assert quiz.right_share({}, quiz.QUIZ[0]) is None
    assert quiz.right_share({"pulls_away": 3, "closer": 1}, quiz.QUIZ[0]) == 0.75
    with pytest.raises(ValueError):
        quiz.question("during", 0, lang)


def _vote_all(store: SQLiteRoomStore, code: str, picks: list[str]) -> str:
    """Phones p0.. vote ``picks`` on the question asked now; returns its id."""
    asked = store.current(code)
    for i, pick in enumerate(picks):
        store.join(code, f"p{i}")
        store.vote(code, f"p{i}", asked.qid, pick)
    return asked.qid


def test_the_coach_asks_the_room_before_and_after_and_sees_what_changed(rooms_file) -> None:
    coach = _coach()
    code = coach.session_state["ws_room"]
    store = SQLiteRoomStore(rooms_file)
    coach.button(key="ws_quiz_pre").click().run()
    assert coach.title[0].value == text("quiz_counter", "en", n=1, total=len(quiz.QUIZ))
    for number, item in enumerate(quiz.QUIZ):  # before: one of four phones right on each question
        assert store.current(code).qid == f"pre-{number + 1}-{item.key}"
        wrong = next(c for c in item.choices if c != item.answer)
        _vote_all(store, code, [item.answer, wrong, wrong, wrong])
        coach.button(key="ws_quiz_next").click().run()
    assert coach.session_state["ws_quiz"] is None and coach.session_state["ws_step"] == 0
    assert coach.title[0].value == captions.step_title(0, "en")  # the story starts
    assert store.current(code).qid.startswith("1-intimate-")

    coach.button(key="ws_quiz_post").click().run()
    for number, item in enumerate(quiz.QUIZ):  # after: three of four right
        assert store.current(code).qid == f"post-{number + 1}-{item.key}"
        wrong = next(c for c in item.choices if c != item.answer)
        _vote_all(store, code, [item.answer, item.answer, item.answer, wrong])
        coach.button(key="ws_quiz_next").click().run()
    assert coach.title[0].value == text("quiz_results_title", "en")
    lines = [p.proto.text for p in coach.get("progress")]
    assert lines.count(text("quiz_result_pre", "en", share="25 %", n=4)) == len(quiz.QUIZ)
    assert lines.count(text("quiz_result_post", "en", share="75 %", n=4)) == len(quiz.QUIZ)
    coach.button(key="ws_quiz_back").click().run()
    assert coach.session_state["ws_quiz"] is None and not coach.exception


def test_a_clicker_reveals_a_step_then_moves_on() -> None:
    """Page Down shows the answer of a step not yet revealed and goes on from one that is; Page Up goes back."""
    at = AppTest.from_file(WORKSHOP, default_timeout=30)
    at.session_state["ws_step"] = 1
    at.session_state["ws_predict"] = True
    at.run()
    assert at.button(key="ws_reveal").proto.shortcut == "pagedown"
    assert at.button(key="ws_next").proto.shortcut != "pagedown"
    assert at.button(key="ws_back").proto.shortcut == "pageup"
    at.button(key="ws_reveal").click().run()
    assert at.button(key="ws_next").proto.shortcut == "pagedown"
    assert not [b for b in at.button if b.key == "ws_reveal"]


def test_a_phone_that_reloads_its_page_is_the_same_phone_and_cannot_vote_twice(rooms_file) -> None:
    coach = _coach()
    code = coach.session_state["ws_room"]
    store = SQLiteRoomStore(rooms_file)
    qid = store.current(code).qid
    phone = _phone(code)
    token = phone.query_params["phone"]
    assert token == phone.session_state["vote_token"]
    phone.radio(key=f"vote_choice_{qid}").set_value("b").run()
    phone.button(key=f"vote_send_{qid}").click().run()
    assert phone.success[0].value == text("vote_thanks", "en")
    reloaded = AppTest.from_file(VOTE, default_timeout=30)  # a new session from the same address
    reloaded.query_params.update({"room": code, "lang": "en", "phone": token})
    reloaded.run()
    assert reloaded.session_state["vote_token"] == token and store.phones(code) == 1
    reloaded.radio(key=f"vote_choice_{qid}").set_value("a").run()
    reloaded.button(key=f"vote_send_{qid}").click().run()
    assert reloaded.error[0].value == text("room_err_repeated", "en")
    counts = store.tally(code, qid)
    assert counts["b"] == 1 and sum(counts.values()) == 1
    forged = AppTest.from_file(VOTE, default_timeout=30)  # an address with something else is not taken as a token
    forged.query_params.update({"room": code, "phone": "x' OR 1=1"})
    forged.run()
    assert re.fullmatch(r"[0-9a-f]{32}", forged.session_state["vote_token"])
