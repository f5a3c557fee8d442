"""Text helpers of the page: catalog lookups bound to a language, numbers per language, safe markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .i18n import number, t

__all__ = ["PAGE", "colored", "md", "number", "texts"]

PAGE = "app"
"""The page's catalog: ``ui/locales/app.<lang>.json``."""

_MARKDOWN = set("\\`*_{}[]()#+-.!|<>~$:=")
_PARTNER_MARKUP = ("blue", "orange")
"""Streamlit's named colours for partner A and B; ``.streamlit/config.toml`` sets them to the
partner colours of ``sim/plots/palette.py``."""


def texts(lang: str) -> Callable[..., str]:
    """``tr(key, **fields)``: the page's text ``key`` in ``lang``."""

    def tr(key: str, **fields: Any) -> str:
        return t(PAGE, key, lang, **fields)

    return tr


_JOIN = "\u2060"
"""WORD JOINER: invisible, and not a character of a web address or an e-mail address."""
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//)|(?=@)")
"""The points inside ``www.``, ``scheme://`` and ``name@host`` where GitHub-flavoured markdown would
start a bare link: escaping the characters does not stop it, the renderer finds such links in the text."""


def md(text: str) -> str:
    """``text`` (a name typed by a user, or a sentence holding one) as literal markdown: every
    markdown character escaped, and no bare web or e-mail address that the renderer would make a link."""
    unlinked = _AUTOLINK.sub(_JOIN, text)
    return "".join("\\" + ch if ch in _MARKDOWN else ch for ch in unlinked)


def colored(text: str, partner: int) -> str:
    """Markdown of ``text`` (already escaped) in the colour of partner 0 (A) or 1 (B)."""
    return f":{_PARTNER_MARKUP[partner]}[{text}]"
