"""What the coach's projected view shows now, so that the speaker notes in another tab can follow it.

The workshop page publishes its slide (couple, intervention, step, whether the step is revealed,
language, room) under a deck code each time it draws; the notes page (``/notes?deck=CODE``) reads it
every second. Both run in the same server process, so a dictionary behind a lock is enough; a
deck nobody has drawn for :data:`TTL` seconds is forgotten. The code is random and nothing
personal is in a slide (the couple is the coach's chosen scores and names).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

__all__ = ["TTL", "Decks", "Slide", "shared"]

TTL = 12 * 3600.0
"""Seconds a deck is kept after the presenter last drew it."""


class Slide(NamedTuple):
    """One state of the projected view."""

    couple_key: str
    intervention: str
    step: int
    revealed: bool
    lang: str
    room: str | None = None
    quiz: tuple[str, int] | None = None


class Decks:
    """The decks of this server process (thread-safe)."""

    def __init__(self, ttl: float = TTL, clock: Callable[[], float] | None = None) -> None:
        self._ttl = ttl
        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self._slides: dict[str, tuple[float, Slide]] = {}

    @staticmethod
    def new_code() -> str:
        """A fresh, unguessable deck code (URL-safe)."""
        return secrets.token_urlsafe(9)

    def publish(self, code: str, slide: Slide) -> None:
        """Show ``slide`` as the current slide of deck ``code``."""
        now = self._clock()
        with self._lock:
            self._slides = {c: entry for c, entry in self._slides.items() if now - entry[0] < self._ttl}
            self._slides[code] = (now, slide)

    def current(self, code: str) -> Slide | None:
        """The slide deck ``code`` shows now (None: no such deck, or it expired)."""
        with self._lock:
            entry = self._slides.get(code)
        if entry is None or self._clock() - entry[0] >= self._ttl:
            return None
        return entry[1]


_SHARED = Decks()


def shared() -> Decks:
    """The decks of this server process: one object for every page (a module is imported once per process)."""
    return _SHARED
