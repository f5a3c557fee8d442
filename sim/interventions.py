"""Interventions: what partners and coaches do, as changes of the model's parameters.

The five kinds are the ones the seed article names. Each is a small named unit: which parameters
of the partner who does it (``self``) and of the other partner (``other``) change, by how much at
full strength, and why. Four act from their start day on; coaching is gradual learning toward a
secure partner's parameters, and what is learned stays with the partner (see
:meth:`sim.Result.partners_after`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

import numpy as np

from .limits import MAX_DAY
from .partners import PARTNER_PARAMS, WHO, WHO_FIELD, Partner
from .specs import ParamSpec, check_choice, check_value

__all__ = [
    "COACHING_RATE",
    "INTERVENTION_FIELDS",
    "INTERVENTION_KINDS",
    "STRENGTH_RANGE",
    "Intervention",
    "InterventionKind",
    "SECURE_SCORE",
    "WHO",
    "apply_interventions",
    "in_force_at",
    "in_force_by_start",
    "learned_partner",
    "long_run",
    "secure_params",
    "segments",
]

COACHING_RATE = 1.0 / 180.0
"""Learning rate of coaching at strength 1 (per day): a share ``1 - exp(-t / 180)`` of the way to a
secure partner after t days of coaching, 15 % after a month, half way after four months, 87 % after
a year. Couples therapy changes attachment-related behaviour over months, not days: emotionally
focused therapy runs 8-20 weekly sessions with gains that keep growing at follow-up (Johnson et al.
1999; Wiebe et al. 2017), and earned security is a change over years (Roisman et al. 2002)."""

SECURE_SCORE = 0.1
"""Anxiety and avoidance of the secure partner that coaching moves toward."""

INTERVENTION_FIELDS: dict[str, ParamSpec] = {
    "start": ParamSpec(
        low=0.0, high=MAX_DAY, unit="day",
        label={"en": "From day", "nl": "Vanaf dag"},
        help={"en": "The day the partners start doing it.", "nl": "De dag waarop de partners ermee beginnen."}),
    "strength": ParamSpec(
        low=0.0, high=1.0, unit="1",
        label={"en": "Strength", "nl": "Sterkte"},
        help={"en": "How fully it is done: 0 changes nothing, 1 is the full effect.",
              "nl": "Hoe volledig het gebeurt: 0 verandert niets, 1 is het volle effect."}),
}
"""An intervention's numeric fields, declared once (kind and who are from their lists)."""
STRENGTH_RANGE = (INTERVENTION_FIELDS["strength"].low, INTERVENTION_FIELDS["strength"].high)
"""Allowed strengths: 0 does nothing, 1 is the full effect in the table."""


@dataclass(frozen=True, kw_only=True)
class InterventionKind:
    """Parameter effects of one kind at full strength.

    ``self_effects`` and ``other_effects`` map a parameter name to ``(mode, amount)``:
    mode "scale" multiplies the parameter by ``1 + amount * strength``; mode "shift" adds
    ``amount * strength``. Results are clipped to the parameter's range.
    """

    self_effects: dict[str, tuple[str, float]]
    other_effects: dict[str, tuple[str, float]]
    label: dict[str, str]
    why: str
    gradual: bool = False


INTERVENTION_KINDS: dict[str, InterventionKind] = {
    "acknowledge": InterventionKind(
        self_effects={"pressure_alarm": ("scale", -0.5), "withdrawal_fear": ("scale", -0.5)},
        other_effects={},
        label={"en": "Acknowledge the mechanism", "nl": "Erken het mechanisme"},
        why="Seeing withdrawal as a survival reflex rather than a lack of love, and pursuit as fear "
            "rather than control, halves how much the partner's move alarms you: the loop gain "
            "hE * hB * k^2 falls (emotionally focused therapy: reframing the cycle, Johnson 2004)."),
    "safety": InterventionKind(
        self_effects={"comfort_ceiling": ("shift", 0.5), "closeness_alarm": ("scale", -0.3),
                      "security_floor": ("shift", -0.3)},
        other_effects={"pressure_alarm": ("scale", -0.3)},
        label={"en": "Create safety", "nl": "Creëer veiligheid"},
        why="Clarity, boundaries and doubts voiced without reproach widen the comfort zone "
            "(ceiling up, floor down, less alarm at closeness) and make one's own pursuit feel "
            "less like pressure to the other (Gottman 2002: softened start-up)."),
    "commitment": InterventionKind(
        self_effects={"alarm_lag": ("scale", -0.3), "relief": ("scale", 0.5), "closeness_alarm": ("scale", -0.25)},
        other_effects={"withdrawal_fear": ("scale", -0.4)},
        label={"en": "Stay committed", "nl": "Blijf trouw"},
        why="Staying, and coming back, even while fear is felt: withdrawals are shorter (a shorter "
            "alarm runs its course sooner, and a little distance is enough to calm it: more relief, "
            "so the return comes sooner), smaller (less alarm at closeness), and announced returns "
            "make the other's fear of being left at a withdrawal smaller (Rusbult 1983, investment "
            "and commitment). It is mostly the withdrawer's part: a pursuer, who hardly withdraws, "
            "changes little by it."),
    "responsibility": InterventionKind(
        self_effects={"alarm_lag": ("scale", -0.4), "fear_lag": ("scale", -0.4),
                      "closeness_alarm": ("scale", -0.3), "pressure_alarm": ("scale", -0.3),
                      "distance_fear": ("scale", -0.3), "withdrawal_fear": ("scale", -0.3)},
        other_effects={},
        label={"en": "Take your own share", "nl": "Pak je eigen verantwoordelijkheid"},
        why="Looking at one's own part and soothing one's own fear: fears fade faster (shorter "
            "lags) and every alarm reacts less, to closeness, distance and the partner's moves "
            "alike (self-regulation; Butler 2011: co-regulation damps the coupled oscillation)."),
    "coaching": InterventionKind(
        self_effects={}, other_effects={}, gradual=True,
        label={"en": "Get coaching", "nl": "Zoek begeleiding"},
        why="Practised new responses: from its start day every parameter drifts toward those of a "
            "secure partner at a rate proportional to strength (COACHING_RATE per day at full "
            "strength); what is learned is kept and carried into a next relationship "
            "(earned security, Roisman et al. 2002)."),
}


@dataclass(frozen=True)
class Intervention:
    """``Intervention("acknowledge", start=20.0, who="both", strength=1.0)``."""

    kind: str
    start: float = field(default=0.0, kw_only=True)
    who: str = field(default="both", kw_only=True)
    strength: float = field(default=1.0, kw_only=True)

    def __post_init__(self) -> None:
        if self.kind not in INTERVENTION_KINDS:
            raise ValueError(
                f"unknown intervention kind {self.kind!r}; valid kinds: {', '.join(INTERVENTION_KINDS)}"
            )
        check_choice("intervention who", self.who, WHO_FIELD)
        for name, spec in INTERVENTION_FIELDS.items():
            object.__setattr__(self, name, check_value(f"intervention {name}", getattr(self, name), spec))

    def applies_to(self, partner: int) -> bool:
        """Whether partner 0 (a) or 1 (b) takes part."""
        return self.who == "both" or self.who == "ab"[partner]


_LOW = np.array([s.low for s in PARTNER_PARAMS.values()])
_HIGH = np.array([s.high for s in PARTNER_PARAMS.values()])
_INDEX = {name: i for i, name in enumerate(PARTNER_PARAMS)}


def _apply(p: np.ndarray, effects: dict[str, tuple[str, float]], strength: float) -> None:
    for name, (mode, amount) in effects.items():
        i = _INDEX[name]
        if mode == "scale":
            p[..., i] *= 1.0 + amount * strength
        else:
            p[..., i] += amount * strength


def apply_interventions(pab: np.ndarray, interventions: tuple[Intervention, ...]) -> np.ndarray:
    """Parameters after the (non-gradual) interventions are in force.

    They take effect in the order they start (in the order listed when they start together), so
    that a run's parameters after each start (:func:`in_force_by_start`) and in the long run agree.

    Parameters
    ----------
    pab : array, shape (..., 2, P): parameters of partner a (row 0) and b (row 1)
    interventions : the interventions to apply (all of them, regardless of start)

    Returns
    -------
    array of the same shape, clipped to each parameter's range.
    """
    out = np.array(pab, dtype=float, copy=True)
    for iv in sorted(interventions, key=attrgetter("start")):
        _add_effects(out, iv)
    return np.clip(out, _LOW, _HIGH)


def in_force_by_start(pab: np.ndarray, interventions: tuple[Intervention, ...], starts: list[int],
                      first_steps: list[int]) -> np.ndarray:
    """The parameters in force from each of ``first_steps`` on, in one pass over the interventions.

    ``starts[j]`` is the first step of intervention j; segment k holds ``apply_interventions`` of
    those with ``starts[j] <= first_steps[k]`` (``first_steps`` ascending). Linear in the number of
    interventions: each is applied once, to a running copy.

    Returns
    -------
    array (len(first_steps),) + pab.shape.
    """
    order = sorted(range(len(interventions)), key=lambda j: (starts[j], interventions[j].start))
    running = np.array(pab, dtype=float, copy=True)
    out = np.empty((len(first_steps),) + running.shape)
    j = 0
    for k, first in enumerate(first_steps):
        while j < len(order) and starts[order[j]] <= first:
            _add_effects(running, interventions[order[j]])
            j += 1
        out[k] = np.clip(running, _LOW, _HIGH)
    return out


def _add_effects(out: np.ndarray, iv: Intervention) -> None:
    """Add one intervention's effects to ``out`` (..., 2, P) in place, unclipped."""
    kind = INTERVENTION_KINDS[iv.kind]
    for i in (0, 1):
        if iv.applies_to(i):
            _apply(out[..., i, :], kind.self_effects, iv.strength)
            _apply(out[..., 1 - i, :], kind.other_effects, iv.strength)


def coaching_rates(interventions: tuple[Intervention, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per partner: learning rate (1/day) and start day of coaching (inf when not coached).

    Several coaching interventions for one partner add their rates; learning starts at the
    earliest of their start days.
    """
    rate = np.zeros(2)
    start = np.full(2, np.inf)
    for iv in interventions:
        if INTERVENTION_KINDS[iv.kind].gradual:
            for i in (0, 1):
                if iv.applies_to(i):
                    rate[i] += COACHING_RATE * iv.strength
                    start[i] = min(start[i], iv.start)
    return rate, start


# Effective parameters: the one place that says which parameters are in force, for the engine
# (per segment), the recorded run and the cycle map (per instant), and the analysis (long run).

def secure_params() -> np.ndarray:
    """Parameter vector of a secure partner (anxiety = avoidance = SECURE_SCORE), shape (P,): what coaching
    moves a partner toward."""
    return Partner(anxiety=SECURE_SCORE, avoidance=SECURE_SCORE).param_vector()


def learned_partner(partner: Partner, learned: float) -> Partner:
    """``partner`` moved toward a secure partner by the share ``learned`` (0..1) in every score and override."""
    if learned <= 0.0:
        return partner
    secure = dict(zip(PARTNER_PARAMS, secure_params(), strict=True))
    changes: dict[str, Any] = {
        "anxiety": partner.anxiety + learned * (SECURE_SCORE - partner.anxiety),
        "avoidance": partner.avoidance + learned * (SECURE_SCORE - partner.avoidance),
    }
    for name, value in partner.overrides().items():
        changes[name] = value + learned * (secure[name] - value)
    return replace(partner, **changes)


def start_step(iv: Intervention, dt: float) -> int:
    """The first step at which ``iv`` is in force: its start day rounded up to a whole step."""
    return int(np.ceil(iv.start / dt - 1e-9))


def segments(base: np.ndarray, interventions: tuple[Intervention, ...], dt: float,
             steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-constant parameters of a run: one segment from each distinct intervention start.

    Parameters
    ----------
    base : array (N, 2, P), the couples' own parameters (lag form)

    Returns
    -------
    seg_params : array (N, S, 2, P); seg_steps : int array (S,), the first step of each segment.
    Coaching is not in them: it drifts the parameters toward :func:`secure_params` as it is learned.
    """
    fixed = tuple(iv for iv in interventions if not INTERVENTION_KINDS[iv.kind].gradual)
    firsts = [start_step(iv, dt) for iv in fixed]
    bounds = [0] + sorted({s for s in firsts if 0 < s <= steps})
    seg_params = np.moveaxis(in_force_by_start(base, fixed, firsts, bounds), 0, 1)
    return np.ascontiguousarray(seg_params), np.array(bounds, dtype=np.int64)


def in_force_at(seg_params: np.ndarray, seg_steps: np.ndarray, learned: np.ndarray,
                which: Any = slice(None)) -> np.ndarray:
    """The parameters in force at every instant, shape (N, n + 1, 2, P), as the time loop uses them.

    Parameters
    ----------
    seg_params, seg_steps : from :func:`segments`; learned : array (N, 2, n + 1), the share of the way
        to a secure partner that coaching has taught each partner.
    which : the parameter positions wanted (default all): a batch's trajectories need only a few of
        them, and the full array is N x (n + 1) x 2 x P numbers.
    """
    seg = np.searchsorted(seg_steps, np.arange(learned.shape[-1]), side="right") - 1
    p = seg_params[..., which][:, seg]  # (N, n + 1, 2, len(which))
    frac = np.moveaxis(learned, 1, 2)[..., None]  # (N, n + 1, 2, 1)
    return p + frac * (secure_params()[which] - p)


def long_run(base: np.ndarray, interventions: tuple[Intervention, ...]) -> np.ndarray:
    """Long-run parameters, shape like ``base`` (..., 2, P): every intervention in force, coaching fully
    learned (a coached partner has a secure partner's parameters)."""
    out = apply_interventions(base, tuple(iv for iv in interventions if not INTERVENTION_KINDS[iv.kind].gradual))
    rate, _ = coaching_rates(interventions)
    out[..., rate > 0, :] = secure_params()
    return out
