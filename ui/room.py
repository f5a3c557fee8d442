"""The room's votes: a coach opens a room, phones join by a short code and vote on the question shown.

State shared by every session of the server lives behind :class:`RoomStore`, a small interface
(open, ask, join, vote, tally, close) that a real server (Redis, PostgreSQL) can implement for
several processes. :class:`SQLiteRoomStore` is the embedded default, for one server process: one
file, a transaction per call, a primary key that makes a second vote of the same phone on the same
question impossible.

Nothing personal is kept: a phone is a random token made in its browser session, a vote is
(room, question, token, choice), and a room with all its votes is deleted once it expires.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import NamedTuple, Protocol

__all__ = ["CODE_ALPHABET", "CODE_LENGTH", "MAX_PHONES", "ROOM_HOURS", "STORE_ENV", "Question", "RoomError",
           "RoomStore", "SQLiteRoomStore", "default_store", "new_token"]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits of a room code, without the ones a room misreads (0/O, 1/I)."""
CODE_LENGTH = 5
MAX_PHONES = 200
"""Phones one room takes."""
ROOM_HOURS = 6.0
"""A room expires this long after it was opened, with all its votes."""
STORE_ENV = "ATTRACT_REPEL_ROOMS"
"""Path of the SQLite file of the rooms (default: in the temporary folder)."""
MAX_CHOICES = 8
MAX_ID = 64
MAX_WORDS = 300
"""Characters of a question's prompt or of one label (line breaks become spaces)."""


class RoomError(ValueError):
    """A vote or a join that cannot be taken; ``code`` names why, for a translated notice.

    Codes: ``unknown`` (no such room), ``closed``, ``expired``, ``full``, ``no_question`` (the coach
    has not asked one), ``stale`` (the question is no longer the one asked), ``bad_choice``,
    ``repeated`` (this phone already voted on this question), ``bad_input``.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class Question(NamedTuple):
    """A question a room is asked: its id, its choices (ids), and the words the phones show (the
    coach's language; plain text, names as typed)."""

    qid: str
    choices: tuple[str, ...]
    prompt: str = ""
    labels: tuple[str, ...] = ()

    def label(self, choice: str) -> str:
        """The words of ``choice`` (its id where the question has no labels)."""
        return self.labels[self.choices.index(choice)] if self.labels else choice


class RoomStore(Protocol):
    """What the pages need of the rooms' shared state."""

    def open_room(self) -> str:
        """Open a room; returns its code."""

    def ask(self, code: str, question: Question) -> None:
        """Make ``question`` the one the room's phones see (a repeated ask keeps its votes)."""

    def current(self, code: str) -> Question | None:
        """The question asked now (None before the first); RoomError if the room cannot be used."""

    def join(self, code: str, token: str) -> None:
        """Let the phone ``token`` in (RoomError ``full``, ``closed``, ``expired``, ``unknown``)."""

    def vote(self, code: str, token: str, qid: str, choice: str) -> None:
        """Count one vote of a phone that joined; RoomError says why one is refused."""

    def tally(self, code: str, qid: str) -> dict[str, int]:
        """Votes per choice of question ``qid`` (every choice, 0 where none)."""

    def phones(self, code: str) -> int:
        """How many phones joined."""

    def close(self, code: str) -> None:
        """Take no more votes; the tallies stay readable until the room expires."""


def new_token() -> str:
    """A phone's anonymous token: random, nothing about the person."""
    return secrets.token_hex(16)


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise RoomError("bad_input", f"{what} must be a text of 1 to {MAX_ID} characters")
    return value


def normalise_code(code: object) -> str:
    """A code as typed (any case, spaces) in its canonical form; RoomError ``unknown`` if it cannot be one."""
    text = "".join(str(code).split()).upper() if isinstance(code, str) else ""
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        raise RoomError("unknown", "a room code has 5 letters and digits")
    return text


class SQLiteRoomStore:
    """:class:`RoomStore` in one SQLite file (one server process; several threads).

    Every call is one transaction on its own connection, so Streamlit's session threads need no
    lock of their own; ``BEGIN IMMEDIATE`` serialises writers, and SQLite's busy timeout makes a
    phone wait a moment rather than fail when thirty vote at once.
    """

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, expires REAL NOT NULL, closed INTEGER NOT NULL,
                                      qid TEXT, choices TEXT, prompt TEXT, labels TEXT);
    CREATE TABLE IF NOT EXISTS phones (code TEXT NOT NULL, token TEXT NOT NULL, PRIMARY KEY (code, token));
    CREATE TABLE IF NOT EXISTS votes (code TEXT NOT NULL, qid TEXT NOT NULL, token TEXT NOT NULL,
                                      choice TEXT NOT NULL, PRIMARY KEY (code, qid, token));
    """

    def __init__(self, path: str | os.PathLike[str], *, hours: float = ROOM_HOURS, max_phones: int = MAX_PHONES,
                 clock: object = time.time) -> None:
        self.path = Path(path)
        self.hours = float(hours)
        self.max_phones = int(max_phones)
        self._clock = clock
        with closing(self._connect()) as db, db:
            db.executescript(self.SCHEMA)

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _write(self) -> sqlite3.Connection:
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        return db

    def _room(self, db: sqlite3.Connection, code: object, *, writing: bool) -> tuple[str, Question | None]:
        code = normalise_code(code)
        row = db.execute("SELECT expires, closed, qid, choices, prompt, labels FROM rooms WHERE code = ?",
                         (code,)).fetchone()
        if row is None:
            raise RoomError("unknown", code)
        expires, closed, qid, choices, prompt, labels = row
        if expires <= self._now():
            raise RoomError("expired", code)
        if writing and closed:
            raise RoomError("closed", code)
        if qid is None:
            return code, None
        return code, Question(qid, tuple(choices.split("\n")), prompt, tuple(labels.split("\n")) if labels else ())

    def _run(self, work: object, *, write: bool = True) -> object:
        db = self._write() if write else self._connect()
        try:
            out = work(db)  # type: ignore[operator]
            if write:
                db.execute("COMMIT")
            return out
        except BaseException:
            if write:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def open_room(self) -> str:
        def work(db: sqlite3.Connection) -> str:
            now = self._now()
            for table in ("votes", "phones"):  # expired rooms go, with everything in them
                db.execute(f"DELETE FROM {table} WHERE code IN (SELECT code FROM rooms WHERE expires <= ?)", (now,))
            db.execute("DELETE FROM rooms WHERE expires <= ?", (now,))
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if db.execute("SELECT 1 FROM rooms WHERE code = ?", (code,)).fetchone() is None:
                    break
            db.execute("INSERT INTO rooms VALUES (?, ?, 0, NULL, NULL, NULL, NULL)", (code, now + self.hours * 3600.0))
            return code
        return str(self._run(work))

    def ask(self, code: str, question: Question) -> None:
        qid = _check_id(question.qid, "question id")
        choices = [_check_id(c, "choice") for c in question.choices]
        if not 2 <= len(choices) <= MAX_CHOICES or len(set(choices)) != len(choices) or any("\n" in c for c in choices):
            raise RoomError("bad_input", f"a question has 2 to {MAX_CHOICES} distinct choices")
        labels = [" ".join(str(label).split())[:MAX_WORDS] for label in question.labels]
        if labels and len(labels) != len(choices):
            raise RoomError("bad_input", "a question has one label per choice")
        prompt = " ".join(str(question.prompt).split())[:MAX_WORDS]

        def work(db: sqlite3.Connection) -> None:
            room, _ = self._room(db, code, writing=True)
            db.execute("UPDATE rooms SET qid = ?, choices = ?, prompt = ?, labels = ? WHERE code = ?",
                       (qid, "\n".join(choices), prompt, "\n".join(labels), room))
        self._run(work)

    def current(self, code: str) -> Question | None:
        return self._run(lambda db: self._room(db, code, writing=False)[1], write=False)  # type: ignore[return-value]

    def join(self, code: str, token: str) -> None:
        token = _check_id(token, "token")

        def work(db: sqlite3.Connection) -> None:
            room, _ = self._room(db, code, writing=True)
            if db.execute("SELECT 1 FROM phones WHERE code = ? AND token = ?", (room, token)).fetchone():
                return
            (count,) = db.execute("SELECT COUNT(*) FROM phones WHERE code = ?", (room,)).fetchone()
            if count >= self.max_phones:
                raise RoomError("full", room)
            db.execute("INSERT INTO phones VALUES (?, ?)", (room, token))
        self._run(work)

    def vote(self, code: str, token: str, qid: str, choice: str) -> None:
        token, qid, choice = _check_id(token, "token"), _check_id(qid, "question id"), _check_id(choice, "choice")

        def work(db: sqlite3.Connection) -> None:
            room, asked = self._room(db, code, writing=True)
            if not db.execute("SELECT 1 FROM phones WHERE code = ? AND token = ?", (room, token)).fetchone():
                raise RoomError("bad_input", "join the room first")
            if asked is None:
                raise RoomError("no_question", room)
            if asked.qid != qid:
                raise RoomError("stale", qid)
            if choice not in asked.choices:
                raise RoomError("bad_choice", choice)
            try:
                db.execute("INSERT INTO votes VALUES (?, ?, ?, ?)", (room, qid, token, choice))
            except sqlite3.IntegrityError:
                raise RoomError("repeated", qid) from None
        self._run(work)

    def tally(self, code: str, qid: str) -> dict[str, int]:
        def work(db: sqlite3.Connection) -> dict[str, int]:
            room, asked = self._room(db, code, writing=False)
            rows = db.execute("SELECT choice, COUNT(*) FROM votes WHERE code = ? AND qid = ? GROUP BY choice",
                              (room, qid)).fetchall()
            counts = dict.fromkeys(asked.choices if asked is not None and asked.qid == qid else (), 0)
            counts.update({choice: int(n) for choice, n in rows})
            return counts
        return self._run(work, write=False)  # type: ignore[return-value]

    def phones(self, code: str) -> int:
        def work(db: sqlite3.Connection) -> int:
            room, _ = self._room(db, code, writing=False)
            return int(db.execute("SELECT COUNT(*) FROM phones WHERE code = ?", (room,)).fetchone()[0])
        return self._run(work, write=False)  # type: ignore[return-value]

    def close(self, code: str) -> None:
        def work(db: sqlite3.Connection) -> None:
            room, _ = self._room(db, code, writing=False)
            db.execute("UPDATE rooms SET closed = 1 WHERE code = ?", (room,))
        self._run(work)


def default_store() -> SQLiteRoomStore:
    """The server's rooms: the SQLite file named by ``$ATTRACT_REPEL_ROOMS``, else one in the temporary folder."""
    path = os.environ.get(STORE_ENV) or os.path.join(tempfile.gettempdir(), "attract-repel-rooms.sqlite3")
    return SQLiteRoomStore(path)
