"""Thirty phones vote at once over loopback: ``streamlit run app.py`` and thirty sessions of its ``/vote`` page.

Each phone is a session speaking Streamlit's own websocket protocol (``bench/load_test.py``'s
client, as a browser's tab would): it opens the room's link, picks an answer and sends it, all
thirty at the same moment. Then each phone reloads its page (a new session on the same address)
and tries to vote again. The room's tally must hold every first vote exactly once and none of the
second ones; no session may see an error. Bounded: thirty sessions, a deadline per rerun, loopback
only, the server always stopped.

Run alone with ``pytest -m load tests/test_room_load.py -s``.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from ui.room import STORE_ENV, Question, SQLiteRoomStore
from ui.workshop.texts import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import load_test  # noqa: E402

PHONES = 30
CHOICES = ("a", "b", "both", "neither")


class Phone(load_test.Session):
    """A phone's tab on the vote page (the app's ``/vote``), able to press a button."""

    async def open(self) -> load_test.Run:
        self.ws = await load_test.websockets.connect(self.url, subprotocols=["streamlit"], max_size=2**26,
                                                     open_timeout=30, ping_interval=None)
        return await self.send()

    async def send(self, *, page_name: str = "vote", press: str | None = None, choice: str | None = None) -> Any:
        """One rerun holding the radio's ``choice`` (if any) and pressing the button ``press`` (if any)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = page_name  # the page by its address, as a browser opening /vote does
        if choice is not None:
            radio = self.radio()
            state.widget_states.widgets.append(WidgetState(id=radio.id, string_value=choice))
        if press is not None:
            state.widget_states.widgets.append(WidgetState(id=press, trigger_value=True))
        await self.ws.send(msg.SerializeToString())
        self.last = await asyncio.wait_for(self._collect(0.0), load_test.RERUN_TIMEOUT)
        return self.last

    def radio(self) -> Any:
        assert self.last is not None
        radios = [w for w in self.last.widgets() if w.kind == "radio"]
        assert radios, f"no answers on the phone's page: {self.last.texts()!r} {self.last.errors}"
        return radios[0]

    def button(self) -> str:
        assert self.last is not None
        buttons = [el.button.id for _, el in self.last.elements if el.WhichOneof("type") == "button"]
        assert buttons, f"no button on the phone's page: {self.last.texts()!r} {self.last.errors}"
        return buttons[0]

    async def vote(self, choice: str) -> load_test.Run:
        await self.send(choice=choice)
        return await self.send(choice=choice, press=self.button())


async def _crowd(port: int, query: str, picks: list[str], queries: list[str] | None = None) -> list[Phone]:
    phones = [Phone(port, queries[i] if queries else query, fetch_images=False) for i in range(len(picks))]
    try:
        await asyncio.gather(*(phone.open() for phone in phones))
        await asyncio.gather(*(phone.vote(pick) for phone, pick in zip(phones, picks, strict=True)))
    finally:
        await asyncio.gather(*(phone.close() for phone in phones))
    return phones


@pytest.mark.load
def test_thirty_phones_vote_at_once_and_no_vote_is_lost_or_doubled(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rooms.sqlite3"
    monkeypatch.setenv(STORE_ENV, str(path))
    store = SQLiteRoomStore(path)
    code = store.open_room()
    store.ask(code, Question("1-intimate-load", CHOICES, "Who feels uneasy first?", ("A", "B", "Both", "Neither")))
    picks = [random.Random(i).choice(CHOICES) for i in range(PHONES)]
    port = load_test.free_port()
    server = load_test.start_server(ROOT / "app.py", port, tmp_path / "server.log")
    try:
        first = load_test.run_async(_crowd(port, f"room={code}&lang=en", picks))
        assert store.phones(code) == PHONES
        for phone in first:
            assert phone.last is not None and not phone.last.errors, phone.last.errors
            assert text("vote_thanks", "en") in phone.last.texts()
        assert store.tally(code, "1-intimate-load") == {c: picks.count(c) for c in CHOICES}
        assert Counter(picks) == Counter({c: n for c, n in store.tally(code, "1-intimate-load").items() if n})

        again = [next(c for c in CHOICES if c != pick) for pick in picks]  # each phone reloads, tries another answer
        reloaded = load_test.run_async(_crowd(port, "", again, [phone.query for phone in first]))
        for phone in reloaded:
            assert phone.last is not None and not phone.last.errors, phone.last.errors
            assert text("room_err_repeated", "en") in phone.last.texts()
        assert store.phones(code) == PHONES
        assert store.tally(code, "1-intimate-load") == {c: picks.count(c) for c in CHOICES}
    finally:
        load_test.stop_server(server)
    assert "Traceback" not in (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
