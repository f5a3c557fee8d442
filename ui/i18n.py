"""Language catalogs: every user-facing text of the pages, in English and Dutch.

Each page has one JSON catalog per language, ``ui/locales/<page>.<lang>.json``, mapping a key to a
text (``str.format`` fields allowed). Both languages of a page must hold the same keys; a test checks
it. Texts of the model itself (labels of parameters, signals, verdicts, presets) live in ``sim``
next to what they describe.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGS", "LOCALES", "catalog", "t"]

LANGS = ("en", "nl")
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


def t(page: str, key: str, lang: str, **fields: Any) -> str:
    """The text ``key`` of ``page`` in ``lang``, with ``fields`` filled in."""
    text = catalog(page, lang)[key]
    return text.format(**fields) if fields else text
