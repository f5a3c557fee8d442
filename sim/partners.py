"""Partners and couples: the model's parameters, declared once with ranges, units and labels.

A partner is described by the two dimensions of adult attachment (Brennan, Clark & Shaver 1998):
``anxiety`` (fear of being left, *verlatingsangst*) and ``avoidance`` (fear of closeness,
*bindingsangst*), each from 0 to 1. Every dynamic parameter of the model is derived from those two
scores by a linear rule declared on its field, and every one of them can be overridden by keyword.

The metadata on each field (range, unit, English and Dutch label and help, derivation rule and
source) is the single source for validation, the page's sliders and the parameter table in
``docs/model.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np

from .limits import MAX_NAME
from .specs import ChoiceSpec, ParamSpec, TextSpec, check_text, check_value

NAME_FIELD = TextSpec(
    max_length=MAX_NAME,
    label={"en": "Name", "nl": "Naam"},
    help={"en": "What the partner is called in the texts and charts (plain text).",
          "nl": "Hoe de partner heet in de teksten en grafieken (gewone tekst)."})
"""A partner's name, declared once: ``Partner``, scenario files, the link and the page check it."""
WHO_FIELD = ChoiceSpec(
    choices=("a", "b", "both"),
    label={"en": "Who", "nl": "Wie"},
    help={"en": "Partner a, partner b, or both partners.", "nl": "Partner a, partner b, of beide partners."})
"""Which partner(s): who does an intervention, whom a swept parameter name (``a.anxiety``) sets."""
WHO = WHO_FIELD.choices
"""The words of :data:`WHO_FIELD`, in the order pages offer them."""

__all__ = [
    "NAME_FIELD",
    "WHO",
    "WHO_FIELD",
    "Couple",
    "Partner",
    "ParamSpec",
    "PARTNER_PARAMS",
    "COUPLE_PARAMS",
    "couple_arrays",
    "param_matrix",
    "param_spec",
    "style_of",
]


def _spec(**kwargs: Any) -> dict[str, ParamSpec]:
    return {"spec": ParamSpec(**kwargs)}


def _derived(default_spec: dict[str, ParamSpec]) -> Any:
    return field(default=None, metadata=default_spec)


@dataclass(frozen=True, kw_only=True)
class Partner:
    """One partner: two attachment scores, and the model parameters they imply.

    ``anxiety`` and ``avoidance`` (0..1) set every other parameter through the rule on its field;
    pass any of the others by keyword to override it (``Partner(avoidance=0.8, alarm_lag=1.0)``).
    Read the effective values with :meth:`params`.
    """

    name: str = "A"
    anxiety: float = field(default=0.2, metadata=_spec(
        low=0.0, high=1.0, unit="1",
        label={"en": "Fear of being left (anxiety)", "nl": "Angst om verlaten te worden (verlatingsangst)"},
        help={"en": "Attachment anxiety: how strongly distance feels like abandonment.",
              "nl": "Hechtingsangst: hoe sterk afstand voelt als verlaten worden."},
        source="Brennan, Clark & Shaver 1998 (ECR anxiety scale, rescaled to 0..1)"))
    avoidance: float = field(default=0.2, metadata=_spec(
        low=0.0, high=1.0, unit="1",
        label={"en": "Fear of closeness (avoidance)", "nl": "Angst voor nabijheid (bindingsangst)"},
        help={"en": "Attachment avoidance: how strongly closeness feels like losing yourself.",
              "nl": "Vermijding: hoe sterk nabijheid voelt als jezelf verliezen."},
        source="Brennan, Clark & Shaver 1998 (ECR avoidance scale, rescaled to 0..1)"))
    longing: float | None = _derived(_spec(
        low=0.0, high=2.0, unit="1/day", base=0.26, slope=-0.2, driver="avoidance",
        label={"en": "Longing", "nl": "Verlangen"},
        help={"en": "Steady pull toward the partner when no fear is felt; avoidant partners long too, a little less.",
              "nl": "Vaste trek naar de partner zonder angst; ook wie vermijdt verlangt, iets minder."},
        source="Model brief 1.5 (ambivalence); Rinaldi 1998 (appeal term)"))
    comfort_ceiling: float | None = _derived(_spec(
        low=0.0, high=4.0, unit="closeness", base=1.55, slope=-1.2, driver="avoidance",
        label={"en": "Comfort ceiling", "nl": "Comfortgrens"},
        help={"en": "Closeness above this level sets off the inner alarm (fear of being swallowed up).",
              "nl": "Nabijheid boven dit niveau laat het innerlijke alarm afgaan (angst om opgeslokt te worden)."},
        source="Model brief 3 (hi_i); Feeney 1999 on avoidant comfort with closeness"))
    security_floor: float | None = _derived(_spec(
        low=0.0, high=4.0, unit="closeness", base=0.25, slope=1.2, driver="anxiety",
        label={"en": "Security floor", "nl": "Veiligheidsgrens"},
        help={"en": "Closeness below this level raises the fear of being left.",
              "nl": "Nabijheid onder dit niveau wekt verlatingsangst."},
        source="Model brief 3 (lo_i)"))
    closeness_alarm: float | None = _derived(_spec(
        low=0.0, high=12.0, unit="1", base=0.2, slope=6.0, driver="avoidance",
        label={"en": "Alarm at closeness", "nl": "Alarm bij nabijheid"},
        help={"en": "How strongly closeness beyond the ceiling sets off the alarm: the size of the withdrawal reflex.",
              "nl": "Hoe sterk nabijheid boven de grens het alarm laat afgaan: de grootte van de terugtrekreflex."},
        source="Model brief 3 (gE_i); seed article (the withdrawal reflex)"))
    pressure_alarm: float | None = _derived(_spec(
        low=0.0, high=12.0, unit="day", base=0.1, slope=0.8, driver="avoidance",
        label={"en": "Alarm at pursuit", "nl": "Alarm bij najagen"},
        help={"en": "How strongly the partner's pursuit feels like pressure.",
              "nl": "Hoe sterk het najagen van de partner als druk voelt."},
        source="Model brief 3 (hE_i); Christensen & Heavey 1990 (demand-withdraw)"))
    distance_fear: float | None = _derived(_spec(
        low=0.0, high=12.0, unit="1", base=0.2, slope=4.0, driver="anxiety",
        label={"en": "Fear at distance", "nl": "Angst bij afstand"},
        help={"en": "How strongly closeness below the floor raises the fear of being left.",
              "nl": "Hoe sterk te weinig nabijheid de verlatingsangst verhoogt."},
        source="Model brief 3 (gB_i)"))
    withdrawal_fear: float | None = _derived(_spec(
        low=0.0, high=12.0, unit="day", base=0.1, slope=1.0, driver="anxiety",
        label={"en": "Fear at withdrawal", "nl": "Angst bij terugtrekken"},
        help={"en": "How strongly the partner's withdrawal feels like rejection.",
              "nl": "Hoe sterk het terugtrekken van de partner als afwijzing voelt."},
        source="Model brief 3 (hB_i); Christensen & Heavey 1990 (demand-withdraw)"))
    relief: float | None = _derived(_spec(
        low=0.0, high=12.0, unit="day", base=2.0,
        label={"en": "Relief of distance", "nl": "Opluchting door afstand"},
        help={"en": "How much taking distance calms one's own alarm: withdrawal feels safe, back in control.",
              "nl": "Hoe sterk afstand nemen het eigen alarm kalmeert: terugtrekken voelt veilig, weer controle."},
        source="Seed article ('voor degene die zich terugtrekt voelt het veilig (controle)'); model brief 1.2"))
    responsiveness: float | None = _derived(_spec(
        low=0.05, high=5.0, unit="1", base=1.0,
        label={"en": "Responsiveness", "nl": "Reactiviteit"},
        help={"en": "How strongly feelings turn into moves toward or away.",
              "nl": "Hoe sterk gevoelens omslaan in toenadering of afstand."},
        source="Model brief 3 (k_i)"))
    alarm_lag: float | None = _derived(_spec(
        low=0.05, high=20.0, unit="day", base=2.0,
        label={"en": "Alarm delay", "nl": "Vertraging van het alarm"},
        help={"en": "Mean time from closeness to the alarm it sets off: the withdrawal comes shortly after an intimate moment, at full size.",
              "nl": "Gemiddelde tijd van nabijheid tot het alarm dat ze oproept: het terugtrekken komt kort na een intiem moment, op volle sterkte."},
        source="Seed article (withdrawal 'shortly after' closeness); a chain of three stages (linear chain trick)"))
    fear_lag: float | None = _derived(_spec(
        low=0.05, high=20.0, unit="day", base=1.0,
        label={"en": "Fear lag", "nl": "Vertraging van verlatingsangst"},
        help={"en": "Time for the fear of being left to build and fade.",
              "nl": "Tijd waarin verlatingsangst opbouwt en zakt."},
        source="Gottman et al. 2002 (emotional inertia)"))
    move_lag: float | None = _derived(_spec(
        low=0.05, high=20.0, unit="day", base=1.0,
        label={"en": "Behaviour lag", "nl": "Vertraging van gedrag"},
        help={"en": "Time for a feeling to become a move, and for a move to stop.",
              "nl": "Tijd voordat een gevoel gedrag wordt, en voordat gedrag stopt."},
        source="Butler 2011 (coupled oscillators need inertia)"))
    doubt_threshold: float | None = _derived(_spec(
        low=0.0, high=10.0, unit="1", base=1.45,
        label={"en": "Tolerance before doubt", "nl": "Draagkracht voor twijfel"},
        help={"en": "How much fear a partner carries before 'do I stay or do I go?' starts to grow.",
              "nl": "Hoeveel angst iemand draagt voordat 'blijf ik of ga ik?' begint te groeien."},
        source="Seed article ('blijf ik of ga ik?'); Rusbult 1983 (investment model)"))
    doubt_time: float | None = _derived(_spec(
        low=1.0, high=1000.0, unit="day", base=30.0,
        label={"en": "Pace of doubt", "nl": "Tempo van twijfel"},
        help={"en": "Time scale on which doubt about the relationship grows or fades: weeks to months.",
              "nl": "Tijdschaal waarop twijfel over de relatie groeit of zakt: weken tot maanden."},
        source="Kirkpatrick & Davis 1994 (anxious-avoidant couples stable over years); model choice"))

    def __post_init__(self) -> None:
        check_text("name", self.name, NAME_FIELD)
        overridden = False
        for f in fields(self):
            spec = f.metadata.get("spec")
            value = getattr(self, f.name)
            if spec is None or value is None:
                continue
            object.__setattr__(self, f.name, check_value(f.name, value, spec))
            overridden = overridden or f.name in PARTNER_PARAMS
        # not a field: kept out of eq, hash and repr; lets param_matrix skip partners without overrides
        object.__setattr__(self, "_overridden", overridden)

    @classmethod
    def from_checked(cls, values: dict[str, Any]) -> Partner:
        """A partner from a value for every field, each of which has already passed its check.

        For fits and sweeps that build tens of thousands of partners from a base partner and values
        already checked against their ranges (see :meth:`Couple.from_checked`). Anything else:
        ``Partner(...)``.
        """
        partner = object.__new__(cls)
        for name in _PARTNER_FIELDS:
            object.__setattr__(partner, name, values[name])
        object.__setattr__(partner, "_overridden", any(values[name] is not None for name in PARTNER_PARAMS))
        return partner

    def params(self) -> dict[str, float]:
        """The effective dynamic parameters: overrides where given, derived values elsewhere."""
        out = {}
        for name, spec in PARTNER_PARAMS.items():
            value = getattr(self, name)
            out[name] = spec.derive(self.anxiety, self.avoidance) if value is None else value
        return out

    def param_vector(self) -> np.ndarray:
        """Effective parameters as an array of shape (len(PARTNER_PARAMS),), in field order."""
        return param_matrix((self,))[0]

    def overrides(self) -> dict[str, float]:
        """Only the parameters that were set by keyword."""
        return {n: getattr(self, n) for n in PARTNER_PARAMS if getattr(self, n) is not None}

    @property
    def style(self) -> str:
        """Attachment style by quadrant: "secure", "anxious", "avoidant" or "fearful"."""
        return style_of(self.anxiety, self.avoidance)

    def with_scores(self, anxiety: float, avoidance: float) -> Partner:
        """A copy with new attachment scores (overrides kept)."""
        return replace(self, anxiety=anxiety, avoidance=avoidance)


@dataclass(frozen=True, kw_only=True)
class Couple:
    """Two partners and what belongs to the pair: starting closeness, fading of closeness, fear ceiling."""

    a: Partner = field(default_factory=lambda: Partner(name="A"))
    b: Partner = field(default_factory=lambda: Partner(name="B"))
    closeness0: float = field(default=1.0, metadata=_spec(
        low=0.0, high=5.0, unit="closeness", base=1.0,
        label={"en": "Starting closeness", "nl": "Nabijheid bij de start"},
        help={"en": "How close the pair is on day 0.", "nl": "Hoe dicht het paar bij elkaar is op dag 0."},
        source="model choice"))
    fading: float = field(default=0.5, metadata=_spec(
        low=0.01, high=5.0, unit="1/day", base=0.5,
        label={"en": "Fading of closeness", "nl": "Wegebben van nabijheid"},
        help={"en": "How fast closeness fades when neither partner moves toward the other.",
              "nl": "Hoe snel nabijheid wegebt als geen van beiden toenadering zoekt."},
        source="Rinaldi 1998 (forgetting coefficient)"))
    fear_ceiling: float = field(default=4.0, metadata=_spec(
        low=0.5, high=10.0, unit="1", base=4.0,
        label={"en": "Fear ceiling", "nl": "Plafond van angst"},
        help={"en": "Upper bound of every fear; fears approach it but never exceed it.",
              "nl": "Bovengrens van elke angst; angst nadert die maar komt er nooit boven."},
        source="Model brief 3 (F)"))

    def __post_init__(self) -> None:
        for name in ("a", "b"):
            if not isinstance(getattr(self, name), Partner):
                raise ValueError(f"{name} must be a Partner, got {type(getattr(self, name)).__name__}")
        for name, spec in COUPLE_PARAMS.items():
            object.__setattr__(self, name, check_value(name, getattr(self, name), spec))

    @classmethod
    def from_checked(cls, values: dict[str, Any]) -> Couple:
        """A couple from a value for every field, each of which has already passed its check.

        For sweeps that put tens of thousands of couples together from a base couple, partners
        built (and checked) once each, and swept values checked against their ranges once: the
        couple is assembled without checking every field again. Anything else: ``Couple(...)``.
        """
        couple = object.__new__(cls)
        for name in _COUPLE_FIELDS:
            object.__setattr__(couple, name, values[name])
        return couple

    def swapped(self) -> Couple:
        """The same couple with partners a and b exchanged."""
        return replace(self, a=self.b, b=self.a)


_COUPLE_FIELDS = tuple(f.name for f in fields(Couple))
_PARTNER_FIELDS = tuple(f.name for f in fields(Partner))


def _collect(cls: type, derived_only: bool) -> dict[str, ParamSpec]:
    out = {}
    for f in fields(cls):
        spec = f.metadata.get("spec")
        if spec is not None and (not derived_only or f.default is None):
            out[f.name] = spec
    return out


PARTNER_SCORES: dict[str, ParamSpec] = {
    n: s for n, s in _collect(Partner, derived_only=False).items() if n in ("anxiety", "avoidance")
}
"""The two attachment scores, name -> spec."""

PARTNER_PARAMS: dict[str, ParamSpec] = _collect(Partner, derived_only=True)
"""The dynamic parameters of a partner, name -> spec, in the order of :meth:`Partner.param_vector`."""

COUPLE_PARAMS: dict[str, ParamSpec] = _collect(Couple, derived_only=False)
"""Couple-level parameters, name -> spec."""


_BASE = np.array([s.base for s in PARTNER_PARAMS.values()])
_SLOPE = np.array([s.slope for s in PARTNER_PARAMS.values()])
_BY_ANXIETY = np.array([s.driver == "anxiety" for s in PARTNER_PARAMS.values()])
_BY_AVOIDANCE = np.array([s.driver == "avoidance" for s in PARTNER_PARAMS.values()])


def param_matrix(partners: Sequence[Partner]) -> np.ndarray:
    """Effective parameters of many partners at once, shape (len(partners), len(PARTNER_PARAMS)).

    The same values as :meth:`Partner.params`, derived with array arithmetic (a sweep builds the
    parameters of tens of thousands of partners), with each partner's overrides put in place.
    """
    n = len(partners)
    scores = np.fromiter(chain.from_iterable(map(_SCORES_OF, partners)), float, 2 * n).reshape(n, 2)
    driver = np.where(_BY_ANXIETY, scores[:, :1], np.where(_BY_AVOIDANCE, scores[:, 1:], 0.0))
    out = _BASE + _SLOPE * driver
    for k in np.flatnonzero(np.fromiter(map(_OVERRIDDEN, partners), bool, n)).tolist():
        p = partners[k]
        for i, (name, value) in enumerate(zip(PARTNER_PARAMS, out[k], strict=True)):
            own = getattr(p, name)
            out[k, i] = value if own is None else own
    return out


_SCORES_OF = attrgetter("anxiety", "avoidance")
_OVERRIDDEN = attrgetter("_overridden")


def couple_arrays(couples: Sequence[Couple]) -> tuple[np.ndarray, np.ndarray]:
    """Both partners' effective parameters and the pair's values of many couples, in one pass.

    Returns
    -------
    params : array (N, 2, P), partner a then b, as :func:`param_matrix` of each
    pair : array (N, 3), ``closeness0``, ``fading`` and ``fear_ceiling``
    """
    n = len(couples)
    flat = np.fromiter(chain.from_iterable(map(_COUPLE_VALUES, couples)), float, 9 * n).reshape(n, 9)
    scores = flat[:, :4].reshape(n, 2, 2)
    driver = np.where(_BY_ANXIETY, scores[:, :, :1], np.where(_BY_AVOIDANCE, scores[:, :, 1:], 0.0))
    params = _BASE + _SLOPE * driver
    for k, i in zip(*np.nonzero(flat[:, 4:6]), strict=True):
        partner = couples[k].b if i else couples[k].a
        params[k, i] = param_matrix((partner,))[0]
    return params, flat[:, 6:]


_COUPLE_VALUES = attrgetter("a.anxiety", "a.avoidance", "b.anxiety", "b.avoidance", "a._overridden",
                            "b._overridden", "closeness0", "fading", "fear_ceiling")


def param_spec(name: str) -> ParamSpec:
    """The spec of any partner score, partner parameter or couple parameter."""
    for table in (PARTNER_SCORES, PARTNER_PARAMS, COUPLE_PARAMS):
        if name in table:
            return table[name]
    valid = sorted({**PARTNER_SCORES, **PARTNER_PARAMS, **COUPLE_PARAMS})
    raise ValueError(f"unknown parameter {name!r}; valid: {', '.join(valid)}")


def style_of(anxiety: float, avoidance: float, cut: float = 0.5) -> str:
    """Attachment style by the quadrants of the two-dimensional model (Bartholomew & Horowitz 1991)."""
    if anxiety < cut:
        return "secure" if avoidance < cut else "avoidant"
    return "anxious" if avoidance < cut else "fearful"
