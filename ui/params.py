"""Sliders built from field metadata (``sim.PARTNER_SCORES``, ``PARTNER_PARAMS``, ``COUPLE_PARAMS``).

Ranges, labels and help come from the ``ParamSpec`` of each field; this module only adds what a
slider needs besides: a step that suits the range, and the unit in words.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sim.partners import ParamSpec

__all__ = ["UNIT_KEYS", "slider_format", "slider_step", "spec_help"]

UNIT_KEYS = {"day": "unit.day", "1/day": "unit.per_day", "closeness": "unit.closeness"}
"""Unit of a spec -> key of its name in the page catalog; dimensionless ("1") has none."""


def slider_step(spec: ParamSpec) -> float:
    """A round step of about 1/100 of the range (1, 2 or 5 times a power of ten)."""
    raw = (spec.high - spec.low) / 100.0
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * power >= raw:
            return round(factor * power, 10)
    return raw  # pragma: no cover - the loop always returns


def slider_format(spec: ParamSpec) -> str:
    """printf format showing the step's decimals (at least two)."""
    decimals = max(2, -math.floor(math.log10(slider_step(spec))))
    return f"%.{decimals}f"


def spec_help(spec: ParamSpec, lang: str, tr: Callable[..., str]) -> str:
    """The spec's help sentence, with its unit in words when it has one."""
    text = spec.help["nl" if lang == "nl" else "en"]
    key = UNIT_KEYS.get(spec.unit)
    return tr("param.help_unit", help=text, unit=tr(key)) if key else text
