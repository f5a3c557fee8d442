"""Parameter names of a sweep: ``"a.anxiety"``, ``"b.alarm_lag"``, ``"both.avoidance"``, ``"fading"``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..frozen import frozen
from ..partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, WHO, Couple, ParamSpec


@dataclass(frozen=True)
class ParamRef:
    """A parameter addressed by name.

    Attributes
    ----------
    name : the full name, e.g. "a.anxiety", "both.alarm_lag" or "fading"
    who : "a", "b" or "both" for a partner's score or parameter; None for a couple parameter
    field : the field of :class:`sim.Partner` or :class:`sim.Couple`
    spec : its metadata (range, unit, labels)
    """

    name: str
    who: str | None
    field: str
    spec: ParamSpec

    @property
    def low(self) -> float:
        """Lower end of the allowed range."""
        return self.spec.low

    @property
    def high(self) -> float:
        """Upper end of the allowed range."""
        return self.spec.high

    def partners(self) -> tuple[int, ...]:
        """Which partners (0 = a, 1 = b) this parameter sets; () for a couple parameter."""
        return {"a": (0,), "b": (1,), "both": (0, 1), None: ()}[self.who]

    def overlaps(self, other: ParamRef) -> bool:
        """Whether the two names set the same field of the same partner (or couple)."""
        if self.field != other.field:
            return False
        if self.who is None or other.who is None:
            return self.who == other.who
        return bool(set(self.partners()) & set(other.partners()))

    def label(self, lang: str = "en", names: tuple[str, str] = ("A", "B")) -> str:
        """Axis label in "en" or "nl", e.g. "A: Fear of being left (anxiety)"."""
        text = self.spec.label[lang]
        if self.who is None:
            return text
        prefix = {"a": names[0], "b": names[1], "both": f"{names[0]} & {names[1]}"}[self.who]
        return f"{prefix}: {text}"

    def value(self, couple: Couple) -> float:
        """The effective value in ``couple`` (a derived parameter as derived; "both" reads partner a)."""
        if self.who is None:
            return float(getattr(couple, self.field))
        partner = couple.b if self.who == "b" else couple.a
        if self.field in PARTNER_SCORES:
            return float(getattr(partner, self.field))
        return partner.params()[self.field]


def param_names() -> tuple[str, ...]:
    """Every name :func:`resolve` accepts: partner scores and parameters with a prefix, then couple parameters."""
    partner = [*PARTNER_SCORES, *PARTNER_PARAMS]
    return tuple(f"{who}.{name}" for who in WHO for name in partner) + tuple(COUPLE_PARAMS)


def resolve(name: str) -> ParamRef:
    """The parameter called ``name``; raise ``ValueError`` listing the valid names otherwise.

    Partner scores and parameters take a prefix, ``"a."``, ``"b."`` or ``"both."``
    (``"a.anxiety"``, ``"b.alarm_lag"``); couple parameters take none (``"fading"``).
    """
    if isinstance(name, str):
        who, dot, rest = name.partition(".")
        if dot and who in WHO:
            spec = PARTNER_SCORES.get(rest) or PARTNER_PARAMS.get(rest)
            if spec is not None:
                return ParamRef(name=name, who=who, field=rest, spec=spec)
        elif not dot and name in COUPLE_PARAMS:
            return ParamRef(name=name, who=None, field=name, spec=COUPLE_PARAMS[name])
    examples = "a.anxiety, b.avoidance, both.alarm_lag, a.<partner parameter>, fading"
    raise ValueError(f"unknown parameter {name!r}; use e.g. {examples}; valid names: {', '.join(param_names())}")


def set_params(couple: Couple, values: Mapping[str, float]) -> Couple:
    """A copy of ``couple`` with the named parameters set (validated against their ranges).

    A derived partner parameter set this way becomes an override (see :class:`sim.Partner`).
    """
    refs = [(resolve(name), value) for name, value in values.items()]
    changes: list[dict[str, Any]] = [{}, {}]
    couple_changes: dict[str, Any] = {}
    for ref, value in refs:
        for i in ref.partners():
            changes[i][ref.field] = value
        if ref.who is None:
            couple_changes[ref.field] = value
    a = replace(couple.a, **changes[0]) if changes[0] else couple.a
    b = replace(couple.b, **changes[1]) if changes[1] else couple.b
    return replace(couple, a=a, b=b, **couple_changes)


def check_range(ref: ParamRef, pair: Any, *, strict: bool = False) -> tuple[float, float]:
    """``pair`` as a range (low, high) of ``ref`` inside its declared range, low <= high (low < high
    when ``strict``), or a ValueError naming the parameter."""
    try:
        low, high = (float(v) for v in pair)
    except (TypeError, ValueError):
        raise ValueError(f"the range of {ref.name} must be two numbers (low, high), got {pair!r}") from None
    if not (ref.low <= low < high <= ref.high if strict else ref.low <= low <= high <= ref.high):
        raise ValueError(f"the range of {ref.name} must lie in [{ref.low:g}, {ref.high:g}] with low "
                         f"{'<' if strict else '<='} high, got {pair!r}")
    return (low, high)


def _check_values(ref: ParamRef, values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=float).reshape(-1)
    if array.size == 0:
        raise ValueError(f"{ref.name}: give at least one value")
    if not np.all(np.isfinite(array)) or array.min() < ref.low or array.max() > ref.high:
        raise ValueError(f"{ref.name} must stay in [{ref.low}, {ref.high}] ({ref.spec.unit})")
    return frozen(array)
