"""Language catalogs: every user-facing text of the pages, in English and Dutch.

Each page has one JSON catalog per language, ``ui/locales/<page>.<lang>.json``, mapping a key to a
text (``str.format`` fields allowed). Both languages of a page must hold the same keys; a test checks
it. Texts of the model itself (labels of parameters, signals, verdicts, presets) live in ``sim``
next to what they describe.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Any

from sim.scenario import LANG_FIELD

__all__ = ["LANGS", "LOCALES", "catalog", "number", "t"]

LANGS = LANG_FIELD.choices
"""The languages of the catalogs: the display languages declared in ``sim.scenario.LANG_FIELD``."""
LOCALES = Path(__file__).with_name("locales")


@cache
def catalog(page: str, lang: str) -> dict[str, str]:
    """The catalog of ``page`` ("app", "workshop", ...) in ``lang``; unknown languages fall back to English."""
    if lang not in LANGS:
        lang = "en"
    path = LOCALES / f"{page}.{lang}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path.name} must map keys to texts")
    return data


class _Formatter(string.Formatter):
    """``str.format`` that writes numbers the way the language does: a decimal comma in Dutch."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.comma = lang == "nl"

    def format_field(self, value: Any, format_spec: str) -> str:
        out = super().format_field(value, format_spec)
        return out.replace(".", ",") if self.comma and isinstance(value, float) else out


def t(page: str, key: str, lang: str, **fields: Any) -> str:
    """The text ``key`` of ``page`` in ``lang``, with ``fields`` filled in (floats with a decimal comma
    in Dutch): the one text lookup of every page."""
    text = catalog(page, lang)[key]
    return _Formatter(lang).format(text, **fields) if fields else text


def number(value: float, digits: int, lang: str) -> str:
    """``value`` with ``digits`` decimals, with a decimal comma in Dutch: the one number formatter."""
    return _Formatter(lang).format("{0:.{1}f}", float(value), digits)
