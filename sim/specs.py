"""How an input of a run is declared, and the one check every entry point makes against it.

Every numeric input (a partner's scores and parameters, the couple's parameters, an event's day and
size, an intervention's start and strength, the run's settings) is a :class:`ParamSpec`: its range,
unit, English and Dutch label and help. A partner's name is a :class:`TextSpec` (its longest length),
and an input that takes one of a few words (the language, who does an intervention) a
:class:`ChoiceSpec`. The API (:func:`check_value`, :func:`check_text`, :func:`check_choice`), the
scenario files' JSON Schema and loader, the page's widgets (:meth:`ParamSpec.narrowed`) and the docs
tables all read the same objects. A bad value raises :class:`InputError`: a ``ValueError`` with the field's name and a
stable code, so that a page can say what is wrong in its own language.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, replace
from numbers import Integral, Real
from typing import Any

__all__ = ["CODES", "ChoiceSpec", "InputError", "ParamSpec", "TextSpec", "check_choice", "check_text", "check_value"]

CODES = (
    "wrong_type",     # e.g. text where a number belongs
    "not_finite",     # NaN or infinity
    "out_of_range",   # a number outside its declared range, or a text too long
    "unknown_value",  # a word that is not one of the choices
)
"""Codes :func:`check_value`, :func:`check_text` and :func:`check_choice` give (the scenario loader
adds its own, see ``sim.scenario.ERROR_CODES``)."""


class InputError(ValueError):
    """A bad input value: ``field`` names it, ``code`` says what kind of wrong (see :data:`CODES`)."""

    def __init__(self, field: str, code: str, reason: str) -> None:
        super().__init__(f"{field} {reason}")
        self.field = field
        self.code = code
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class ParamSpec:
    """Metadata of one numeric input.

    Attributes
    ----------
    low, high : float
        Allowed closed range.
    unit : str
        Unit in English ("1" for dimensionless, "day", "1/day", "closeness", "step").
    label : dict[str, str]
        Short name per language code ("en", "nl").
    help : dict[str, str]
        One sentence per language code on what the input does.
    whole : bool
        Whether only whole numbers are allowed (steps, seed).
    base, slope, driver : float, float, str or None
        For derived parameters: ``value = base + slope * partner.<driver>``. ``driver`` is
        "anxiety", "avoidance" or None (a constant ``base``).
    source : str
        Where the idea comes from (literature or model brief).
    """

    low: float
    high: float
    unit: str
    label: dict[str, str]
    help: dict[str, str]
    whole: bool = False
    base: float = 0.0
    slope: float = 0.0
    driver: str | None = None
    source: str = ""

    def derive(self, anxiety: float, avoidance: float) -> float:
        """Value of the parameter for a partner with these attachment scores."""
        score = {"anxiety": anxiety, "avoidance": avoidance, None: 0.0}[self.driver]
        return self.base + self.slope * score

    def narrowed(self, *, low: float | None = None, high: float | None = None) -> ParamSpec:
        """The same input with a narrower range (what a page offers); never wider than declared."""
        new_low = self.low if low is None else low
        new_high = self.high if high is None else high
        if not self.low <= new_low <= new_high <= self.high:
            raise ValueError(f"[{new_low}, {new_high}] is not inside the declared range [{self.low}, {self.high}]")
        return replace(self, low=new_low, high=new_high)

    def range_text(self) -> str:
        """``[low, high]`` with the unit, as error messages and docs show it."""
        unit = "" if self.unit == "1" else f" ({self.unit})"
        if self.whole:
            return f"[{int(self.low):,}, {int(self.high):,}]{unit}"
        return f"[{self.low}, {self.high}]{unit}"


@dataclass(frozen=True, kw_only=True)
class TextSpec:
    """Metadata of one text input (a partner's name): its longest length and its EN/NL label and help."""

    max_length: int
    label: dict[str, str]
    help: dict[str, str]

    def narrowed(self, *, max_length: int) -> TextSpec:
        """The same input with a shorter limit (what a page keeps); never longer than declared."""
        if not 0 < max_length <= self.max_length:
            raise ValueError(f"{max_length} is not inside the declared limit of {self.max_length} characters")
        return replace(self, max_length=max_length)

    def range_text(self) -> str:
        """What the limit is, as error messages and docs show it."""
        return f"at most {self.max_length} characters"


@dataclass(frozen=True, kw_only=True)
class ChoiceSpec:
    """Metadata of one input that takes one of a few words: the words, and an EN/NL label and help."""

    choices: tuple[str, ...]
    label: dict[str, str]
    help: dict[str, str]

    def range_text(self) -> str:
        """The words allowed, as error messages and docs show them."""
        return "one of " + ", ".join(self.choices)


def check_text(name: str, value: Any, spec: TextSpec) -> str:
    """``value`` if it is a text within ``spec``'s length (and valid Unicode), else an :class:`InputError`."""
    if not isinstance(value, str):
        raise InputError(name, "wrong_type", f"must be a text of {spec.range_text()}, got {_short(value)}")
    if len(value) > spec.max_length:
        raise InputError(name, "out_of_range", f"must be {spec.range_text()}, got {len(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(name, "wrong_type", "is not valid Unicode text (a lone surrogate)") from None
    return value


def check_choice(name: str, value: Any, spec: ChoiceSpec) -> str:
    """``value`` if it is one of ``spec``'s words, else an :class:`InputError` naming ``name``."""
    if not isinstance(value, str):
        raise InputError(name, "wrong_type", f"must be {spec.range_text()}, got {_short(value)}")
    if value not in spec.choices:
        raise InputError(name, "unknown_value", f"must be {spec.range_text()}, got {_short(value)}")
    return value


def check_value(name: str, value: Any, spec: ParamSpec) -> float:
    """``value`` as a float (an int for a whole spec), or an :class:`InputError` naming ``name``.

    Accepts real numbers only (Python or numpy; not text, not true/false).
    """
    if spec.whole:
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise InputError(name, "wrong_type", f"must be a whole number in {spec.range_text()}, got {_short(value)}")
        whole = operator.index(value)
        if not spec.low <= whole <= spec.high:
            raise InputError(name, "out_of_range", f"must be in {spec.range_text()}, got {_short(value)}")
        return whole
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InputError(name, "wrong_type", f"must be a number in {spec.range_text()}, got {_short(value)}")
    try:
        number = float(value)
    except OverflowError:  # a whole number too large for a double
        raise InputError(name, "out_of_range", f"must be in {spec.range_text()}, got {_short(value)}") from None
    if not math.isfinite(number):
        raise InputError(name, "not_finite", f"must be in {spec.range_text()}, got {_short(value)}")
    if not spec.low <= number <= spec.high:
        raise InputError(name, "out_of_range", f"must be in {spec.range_text()}, got {_short(value)}")
    return number


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"a number with {len(text)} digits"
