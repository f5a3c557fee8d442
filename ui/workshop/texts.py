"""Texts of the workshop: the catalog ``ui/locales/workshop.<lang>.json``, and names made safe to show.

Numbers are written the way each language writes them: a decimal point in English, a decimal
comma in Dutch (like the main page).
"""

from __future__ import annotations

from typing import Any

from ui.i18n import t
from ui.text import colored as ui_colored
from ui.text import md

__all__ = ["PAGE", "colored", "md", "plain", "short", "text"]

PAGE = "workshop"
"""Name of the workshop's catalog."""


def text(key: str, lang: str, **fields: Any) -> str:
    """The workshop text ``key`` in ``lang`` ("en" or "nl"), with ``fields`` filled in (:func:`ui.i18n.t`)."""
    return t(PAGE, key, lang, **fields)


def plain(name: str) -> str:
    """A name as literal text for matplotlib (``$`` would start mathtext)."""
    return name.replace("\\", "\\\\").replace("$", r"\$")


def short(name: str, width: int = 12) -> str:
    """A name cut to ``width`` characters (with an ellipsis), for boxes and labels in figures."""
    return name if len(name) <= width else name[: width - 1] + "…"


def colored(name: str, partner: int) -> str:
    """A name as markdown in the colour of partner 0 (A) or 1 (B), made literal first (:func:`ui.text.md`)."""
    return ui_colored(md(name), partner)
