"""The guided story of the dance: seven steps, each a run of the model up to a moment worth pausing on.

The story follows one couple along a fixed timeline (in days)::

    day 1            an intimate moment (closeness jumps)
    shortly after    the withdrawal reflex (the first visible withdrawal of the withdrawer)
    then             the pursuit (the first visible pursuit of the pursuer)
    up to day 100    the rounds of the dance (the natural course: settles, cycles or escalates)
    days 100-124     stress and quarrels pile up: does the dance escalate?
    from day 150     an intervention, chosen by the coach, by both partners
    up to day 500    settling (or not): long enough for the late window to miss the stress

The intimate moment comes on day 1 because in the classic trap the rounds start by themselves
within days: on day 1 the avoidant partner's alarm is still low, so the evening, not the trap's
own first round, sets off the alarm, and the anxious partner's pursuit after it comes days earlier
than it would without the evening (checked against the same days without it in
``tests/test_workshop.py``).

Every step runs :func:`sim.simulate` from day 0 to the step's end (``until``) with the events and the
intervention known at that point, marks the step's moment, and derives the answer to the step's
predict-then-reveal question from the run itself, so the answer is right for any couple. Moments
use the model's own visible signals (:mod:`sim.signals`), so a coach can say "this is the moment
B stops answering". Nothing here imports Streamlit: the page and the tests call the same functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .batch import simulate
from .dynamics import TIP
from .events import Event
from .interventions import INTERVENTION_KINDS, Intervention
from .metrics import FLOOR, RISING_DOUBT
from .partners import Couple
from .result import Result
from .scenario import Scenario
from .signals import FEELINGS, SIGNALS, Signal

__all__ = [
    "CHOICES",
    "DT",
    "END",
    "ESCALATION",
    "INTERVENTION_AT",
    "INTIMATE_AT",
    "LOWER",
    "ROUNDS_UNTIL",
    "STEPS",
    "Story",
    "StepView",
    "before_day",
    "before_step",
    "shown_until",
    "build_story",
    "roles",
    "story_events",
    "story_scenario",
]

DT = 0.1
"""Step of every story run (days)."""
INTIMATE_AT = 1.0
"""Day of the intimate moment that opens the story."""
ROUNDS_UNTIL = 100.0
"""End of the natural course (the rounds step)."""
ESCALATION: tuple[tuple[str, float, float], ...] = (
    ("stress", 100.0, 2.0), ("conflict", 108.0, 2.0), ("stress", 116.0, 2.0), ("conflict", 124.0, 2.0),
)
"""Stress and quarrels that pile up in the escalation step: (kind, day, size)."""
ESCALATION_UNTIL = 145.0
INTERVENTION_AT = 150.0
"""Day from which both partners apply the chosen intervention."""
INTERVENTION_UNTIL = 195.0
END = 500.0
"""Last day of the story: the verdict reads days 250-500, long after the stress, and coaching from day
150 has had almost a year (86 % of the way). With 400 days the classic trap with coaching, whose
rounds have faded to a swing of about 0.01 by day 260, was still read as cycling."""
REACTION_WINDOW = 15.0
"""Days after a trigger in which the story looks for the reaction (withdrawal, pursuit)."""
LOWER = 0.85
"""A fear below this share of the fear without the intervention is lower; above 1 / LOWER, higher."""
AFTERMATH = 6.0
"""Days after the last stressor before the escalation step judges whether the dance got worse."""
RISE = 0.1
"""A fear that rises by less than this after the intimate moment counts as no alarm."""
CLOSER = 0.2
"""A withdrawer whose move grows by more than this (closeness per day) within CLOSER_DAYS of the
intimate moment, without a visible withdrawal, comes even closer."""
CLOSER_DAYS = 3.0
HIDE = 0.5
"""Days before the next step's moment at which a revealed step stops (see :func:`shown_until`)."""
SAME_DOUBT = 0.01
"""Doubts closer than this are the same: both partners doubt alike."""
COURSES = ("break", "frozen", "doubt", "growing", "drift")
"""How an escalating run escalates (see :func:`course`): a break-up, a frozen distance, a doubt that
keeps rising, rounds that grow, or a state that keeps drifting."""

STEPS = ("intimate", "withdrawal", "pursuit", "rounds", "escalation", "intervention", "settling")
"""The story's steps, in order."""

CHOICES: dict[str, tuple[str, ...]] = {
    "intimate": ("a", "b", "both", "neither"),
    "withdrawal": ("closer", "distance", "stays"),
    "pursuit": ("space", "pursues", "withdraws"),
    "rounds": ("settles", "cycles", "escalates"),
    "escalation": ("absorbed", "grows", "closer"),
    "intervention": ("lower", "same", "higher"),
    "settling": ("settles", "cycles", "escalates"),
}
"""Step -> the answers the room can choose from (keys into the catalog, ``choice_<step>_<key>``)."""


@dataclass(frozen=True, eq=False)
class StepView:
    """One step of the story, ready to show.

    Attributes
    ----------
    key : one of :data:`STEPS`
    index : position in the story, 0..6
    result : the run from day 0 to ``until`` (arrays of ``round(until / DT) + 1`` instants)
    baseline : for the intervention steps, the same run without the intervention; else None
    start, until : the scene (days) that the animation and the moment slider cover
    moment : the day the step marks on the chart
    marks : further days to mark (the peaks of the rounds), possibly empty
    answer : the right choice, one of ``CHOICES[key]``
    variant : which caption fits what the model did (a key suffix, e.g. "yes" or "none")
    fields : values for the caption (names, days, levels, signal texts per language)
    """

    key: str
    index: int
    result: Result
    baseline: Result | None
    start: float
    until: float
    moment: float
    marks: tuple[float, ...]
    answer: str
    variant: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Story:
    """The whole story of one couple with one intervention.

    Attributes
    ----------
    couple : the couple
    intervention : the intervention kind (a key of ``sim.INTERVENTION_KINDS``)
    withdrawer, pursuer : partner index (0 = a, 1 = b) in the roles of the dance
    steps : the seven :class:`StepView`, in story order
    treated, untreated : the full runs (day 0 to END) with and without the intervention
    """

    couple: Couple
    intervention: str
    withdrawer: int
    pursuer: int
    steps: tuple[StepView, ...]
    treated: Result
    untreated: Result

    def step(self, key: str) -> StepView:
        """The step named ``key``."""
        return self.steps[STEPS.index(key)]

    def names(self) -> tuple[str, str]:
        """The partners' names (a, b)."""
        return (self.couple.a.name or "A", self.couple.b.name or "B")


def story_events(escalation: bool = True) -> tuple[Event, ...]:
    """The story's events: the intimate moment, and the escalation's stress and quarrels."""
    events = [Event("intimate_moment", at=INTIMATE_AT)]
    if escalation:
        events += [Event(kind, at=at, size=size) for kind, at, size in ESCALATION]
    return tuple(events)


def story_interventions(kind: str) -> tuple[Intervention, ...]:
    """The chosen intervention, by both partners, at full strength, from INTERVENTION_AT."""
    return (Intervention(kind, start=INTERVENTION_AT, who="both", strength=1.0),)


def story_scenario(couple: Couple, intervention: str, lang: str = "en") -> Scenario:
    """The whole story as a scenario file (the couple, the story's events, the intervention, END days)."""
    return Scenario(couple=couple, events=story_events(), interventions=story_interventions(intervention),
                    random_events=0.0, seed=0, steps=_steps(END), dt=DT, lang=lang)


def _steps(until: float) -> int:
    return max(1, int(round(until / DT)))


def _run(couple: Couple, until: float, events: tuple[Event, ...] = (),
         interventions: tuple[Intervention, ...] = ()) -> Result:
    """Run the model from day 0 to ``until`` (deterministic: no random events, seed 0)."""
    return simulate(couple, steps=_steps(until), dt=DT, seed=0, events=events, interventions=interventions)


def roles(couple: Couple, result: Result) -> tuple[int, int]:
    """Who plays the withdrawer and who the pursuer: ``(withdrawer, pursuer)``, two different indices.

    The withdrawer is the partner whose fear of closeness outweighs the fear of being left the most
    (avoidance minus anxiety); on a tie, the one with the higher mean fear of closeness in
    ``result``. In couples where both fear the same thing the roles are still named, and the story
    tells that no one withdraws or pursues where that is what the model does.
    """
    lean = np.array([p.avoidance - p.anxiety for p in (couple.a, couple.b)])
    if abs(lean[0] - lean[1]) > 1e-9:
        withdrawer = int(np.argmax(lean))
    else:
        withdrawer = int(np.argmax(result.engulfment.mean(axis=1)))
    return withdrawer, 1 - withdrawer


def _index(result: Result, day: float) -> int:
    return int(np.clip(round(day / result.dt), 0, result.steps))


def _window(result: Result, start: float, end: float) -> slice:
    return slice(_index(result, start), _index(result, end) + 1)


def _first_signal(result: Result, who: int, kinds: tuple[str, ...], after: float,
                  before: float) -> Signal | None:
    for signal in result.signals:
        if signal.partner == who and after <= signal.t <= before and SIGNALS[signal.key]["kind"] in kinds:
            return signal
    return None


def _signal_fields(signal: Signal | None, prefix: str) -> dict[str, Any]:
    """The texts of a signal in both languages (the caption picks one)."""
    if signal is None:
        return {}
    entry = SIGNALS[signal.key]
    kind = str(entry["kind"])
    out: dict[str, Any] = {f"{prefix}_key": signal.key}
    for lang in ("en", "nl"):
        out[f"{prefix}_{lang}"] = str(entry[lang])
        out[f"{prefix}_self_{lang}"] = FEELINGS[kind]["self"][lang]
        out[f"{prefix}_other_{lang}"] = FEELINGS[kind]["other"][lang]
    return out


def _tension(result: Result, window: slice) -> float:
    """Mean fear (the metrics' tension: half the sum of the four fears) over a window."""
    fears = result.engulfment[:, window].sum(axis=0) + result.abandonment[:, window].sum(axis=0)
    return float(0.5 * fears.mean())


def _max_fear(result: Result, window: slice) -> float:
    return float(max(result.engulfment[:, window].max(), result.abandonment[:, window].max()))


def _peaks(closeness: np.ndarray, t: np.ndarray, start: float) -> tuple[float, ...]:
    """Days of the local maxima of closeness after ``start`` that stand out (the rounds)."""
    inner = closeness[1:-1]
    is_peak = (inner > closeness[:-2]) & (inner >= closeness[2:])
    days = t[1:-1][is_peak]
    heights = inner[is_peak]
    span = float(closeness.max() - closeness.min())
    keep = (days >= start) & (heights >= closeness.min() + 0.25 * span) & (span > 0.05)
    return tuple(float(d) for d in days[keep])


def _intimate(couple: Couple, w: int, p: int) -> StepView:
    until = INTIMATE_AT + 2.0
    result = _run(couple, until, story_events(False))
    window = _window(result, INTIMATE_AT, until)
    rise = result.engulfment[:, window].max(axis=1) - result.engulfment[:, _index(result, INTIMATE_AT)]
    if rise.max() < RISE:
        answer = "neither"
    elif rise.min() >= 0.8 * rise.max():
        answer = "both"
    else:
        answer = "ab"[int(np.argmax(rise))]
    i0 = _index(result, INTIMATE_AT)
    fields = {"day": INTIMATE_AT, "before": float(result.closeness[max(i0 - 1, 0)]),
              "after": float(result.closeness[window].max()),
              "first": int(np.argmax(rise)), "alarm": float(result.engulfment[:, window].max())}
    return StepView(key="intimate", index=0, result=result, baseline=None, start=0.0, until=until,
                    moment=INTIMATE_AT, marks=(), answer=answer,
                    variant={"neither": "none", "both": "both"}.get(answer, "one"), fields=fields)


def _withdrawal(couple: Couple, w: int, p: int) -> StepView:
    probe = _run(couple, INTIMATE_AT + REACTION_WINDOW, story_events(False))
    signal = _first_signal(probe, w, ("withdraw",), INTIMATE_AT, INTIMATE_AT + REACTION_WINDOW)
    window = _window(probe, INTIMATE_AT, INTIMATE_AT + REACTION_WINDOW)
    if signal is not None:
        moment, answer = signal.t, "distance"
    else:
        moment = float(probe.t[window][np.argmax(probe.engulfment[w, window])])
        before = float(probe.move[w, _index(probe, INTIMATE_AT)])
        soon = _window(probe, INTIMATE_AT, INTIMATE_AT + CLOSER_DAYS)
        answer = "closer" if float(probe.move[w, soon].max()) > before + CLOSER else "stays"
    until = moment + 3.0
    result = _run(couple, until, story_events(False))
    fields = {"day": moment, "alarm": float(result.engulfment[w, _index(result, moment)]),
              **_signal_fields(signal, "signal")}
    return StepView(key="withdrawal", index=1, result=result, baseline=None, start=INTIMATE_AT - 1.0,
                    until=until, moment=moment, marks=(), answer=answer,
                    variant="yes" if signal is not None else "none", fields=fields)


def _pursuit(couple: Couple, w: int, p: int, after: float) -> StepView:
    probe = _run(couple, after + REACTION_WINDOW, story_events(False))
    pursue = _first_signal(probe, p, ("pursue",), after, after + REACTION_WINDOW)
    retreat = _first_signal(probe, p, ("withdraw",), after, after + REACTION_WINDOW)
    window = _window(probe, after, after + REACTION_WINDOW)
    if pursue is not None:
        signal, answer = pursue, "pursues"
    elif retreat is not None:
        signal, answer = retreat, "withdraws"
    else:
        signal, answer = None, "space"
    moment = signal.t if signal is not None else float(probe.t[window][np.argmax(probe.abandonment[p, window])])
    until = moment + 4.0
    result = _run(couple, until, story_events(False))
    i = _index(result, moment)
    fields = {"day": moment, "fear": float(result.abandonment[p, i]), **_signal_fields(signal, "signal")}
    variant = {"pursues": "yes", "withdraws": "away", "space": "none"}[answer]
    return StepView(key="pursuit", index=2, result=result, baseline=None, start=max(after - 1.0, 0.0),
                    until=until, moment=moment, marks=(), answer=answer, variant=variant, fields=fields)


def _rounds(couple: Couple, w: int, p: int, after: float) -> StepView:
    result = _run(couple, ROUNDS_UNTIL, story_events(False))
    peaks = _peaks(result.closeness, result.t, INTIMATE_AT + 1.0) if result.verdict != "settles" else ()
    moment = peaks[-1] if peaks else ROUNDS_UNTIL
    period = result.metrics.get("period")
    fields = {"rounds": len(peaks), "period": float(period) if period is not None else math.nan,
              "verdict": result.verdict, **_course_fields(result)}
    return StepView(key="rounds", index=3, result=result, baseline=None, start=max(after - 1.0, 0.0),
                    until=ROUNDS_UNTIL, moment=moment, marks=peaks, answer=result.verdict,
                    variant=result.verdict, fields=fields)


def course(result: Result) -> str:
    """How a run escalates, one of :data:`COURSES` ("" when it does not escalate).

    The model's ending says "break" or "frozen"; a run that escalates otherwise does so because a
    doubt above ``sim.metrics.RISING_DOUBT`` still rises at its end ("doubt"), because its rounds
    grow (a fitted growth rate above 0: "growing"), or else because it keeps drifting ("drift").
    """
    if result.verdict != "escalates":
        return ""
    ending = str(result.metrics.get("ending") or "")
    if ending in ("break", "frozen"):
        return ending
    doubt = result.doubt[np.argmax(result.doubt[:, -1])]
    if doubt[-1] > RISING_DOUBT and doubt[-1] > doubt[-2]:
        return "doubt"
    rate = result.metrics.get("growth_rate")
    return "growing" if rate is not None and rate > 0.0 else "drift"


def _course_fields(result: Result) -> dict[str, Any]:
    """How the run escalates, who doubts most at its end (0, 1, or 2 for both alike), that doubt, the tipping point."""
    end = result.doubt[:, -1]
    doubter = 2 if abs(float(end[0] - end[1])) < SAME_DOUBT else int(np.argmax(end))
    return {"course": course(result), "doubter": doubter, "doubt": float(end.max()), "tip": TIP}


def _escalation(couple: Couple, w: int, p: int) -> StepView:
    result = _run(couple, ESCALATION_UNTIL, story_events())
    first, last = ESCALATION[0][1], ESCALATION[-1][1]
    before = _window(result, ROUNDS_UNTIL - 45.0, first)
    during = _window(result, first, ESCALATION_UNTIL)
    after = _window(result, last + AFTERMATH, ESCALATION_UNTIL)
    tension_before, tension_after = _tension(result, before), _tension(result, after)
    floor_before = bool((result.closeness[before] < FLOOR).any())
    floor_after = bool((result.closeness[after] < FLOOR).any())
    closer = float(result.closeness[after].mean()) - float(result.closeness[before].mean())
    if tension_after > 1.25 * tension_before + 0.02 or (floor_after and not floor_before):
        answer = "grows"
    elif closer > 0.2:
        answer = "closer"
    else:
        answer = "absorbed"
    fears = np.maximum(result.engulfment[:, during].max(axis=0), result.abandonment[:, during].max(axis=0))
    moment = float(result.t[during][np.argmax(fears)])
    fields = {"tension_before": tension_before, "tension_after": tension_after, "start": first, "end": last,
              "floor": floor_after and not floor_before, "fear_top": float(fears.max())}
    return StepView(key="escalation", index=4, result=result, baseline=None, start=first - 10.0,
                    until=ESCALATION_UNTIL, moment=moment, marks=tuple(at for _, at, _ in ESCALATION),
                    answer=answer, variant=answer, fields=fields)


def _intervention(couple: Couple, kind: str, untreated: Result) -> StepView:
    result = _run(couple, INTERVENTION_UNTIL, story_events(), story_interventions(kind))
    baseline = _run(couple, INTERVENTION_UNTIL, story_events())
    after = _window(result, INTERVENTION_AT + 10.0, INTERVENTION_UNTIL)
    with_it, without = _tension(result, after), _tension(baseline, after)
    ratio = with_it / without if without > 1e-9 else 1.0
    answer = "lower" if ratio < LOWER else ("higher" if ratio > 1.0 / LOWER else "same")
    fields = {"kind": kind, "day": INTERVENTION_AT, "with": with_it, "without": without,
              "change": 100.0 * (ratio - 1.0), "gradual": INTERVENTION_KINDS[kind].gradual,
              "until": INTERVENTION_UNTIL, "learned": 100.0 * float(result.learned[:, -1].max())}
    return StepView(key="intervention", index=5, result=result, baseline=baseline, start=ESCALATION_UNTIL - 5.0,
                    until=INTERVENTION_UNTIL, moment=INTERVENTION_AT, marks=(), answer=answer, variant=answer,
                    fields=fields)


def _settling(couple: Couple, kind: str, treated: Result, untreated: Result) -> StepView:
    """The long run with the intervention, against the one without.

    Variants: "settles" (at rest by END), "settles_late" (rounds that fade, at rest only after END:
    the model's settle time extrapolates the fitted fading), "cycles" (the rounds go on with less
    fear), "cycles_same" (with about the same fear), "escalates" (as it does without), and
    "escalates_worse" (it escalates only with the intervention).
    """
    settle = treated.metrics.get("settle_time")
    at_rest = float(settle) if treated.verdict == "settles" and settle is not None else END
    tension, tension_without = float(treated.metrics["tension"]), float(untreated.metrics["tension"])
    variant = treated.verdict
    if variant == "settles" and at_rest > END:
        variant = "settles_late"
    elif variant == "cycles" and tension > LOWER * tension_without:
        variant = "cycles_same"
    elif variant == "escalates" and untreated.verdict != "escalates":
        variant = "escalates_worse"
    moment = min(at_rest, END)
    fields = {"kind": kind, "verdict": treated.verdict, "without": untreated.verdict, "settle": at_rest,
              "tension": tension, "tension_without": tension_without, **_course_fields(treated)}
    return StepView(key="settling", index=6, result=treated, baseline=untreated,
                    start=INTERVENTION_AT - 5.0, until=END, moment=moment, marks=(),
                    answer=treated.verdict, variant=variant, fields=fields)


def build_story(couple: Couple, intervention: str = "safety") -> Story:
    """Run the whole story for ``couple`` with ``intervention`` (a key of ``sim.INTERVENTION_KINDS``).

    About eleven runs of the model (under 0.2 s with numba).
    """
    if intervention not in INTERVENTION_KINDS:
        raise ValueError(f"unknown intervention {intervention!r}; valid: {', '.join(INTERVENTION_KINDS)}")
    natural = _run(couple, ROUNDS_UNTIL, story_events(False))
    w, p = roles(couple, natural)
    treated = _run(couple, END, story_events(), story_interventions(intervention))
    untreated = _run(couple, END, story_events())
    intimate = _intimate(couple, w, p)
    withdrawal = _withdrawal(couple, w, p)
    pursuit = _pursuit(couple, w, p, withdrawal.moment)
    steps = (intimate, withdrawal, pursuit, _rounds(couple, w, p, pursuit.moment), _escalation(couple, w, p),
             _intervention(couple, intervention, untreated), _settling(couple, intervention, treated, untreated))
    return Story(couple=couple, intervention=intervention, withdrawer=w, pursuer=p, steps=steps,
                 treated=treated, untreated=untreated)


def shown_until(story: Story, index: int) -> float:
    """The last day a revealed step ``index`` shows (its chart and its scene), so that the next answer stays hidden.

    A step's run goes on for a few days past its moment, and the next step's answer can lie in
    them (the withdrawal run shows the pursuit starting). A revealed step therefore stops
    :data:`HIDE` days before the next step's moment, but never before its own moment.
    """
    view = story.steps[index]
    if index + 1 == len(story.steps):
        return view.until
    ahead = story.steps[index + 1].moment - HIDE
    return float(min(view.until, max(ahead, view.moment)))


def before_day(story: Story, index: int) -> float:
    """The last day the room sees before step ``index`` is revealed: as far as the step before was shown.

    Never past the step's own moment: what the room is asked about has not happened yet on screen.
    """
    if index == 0:
        return INTIMATE_AT
    return min(shown_until(story, index - 1), story.steps[index].moment)


def before_step(story: Story, index: int, couple: Couple | None = None) -> tuple[Result, float]:
    """What the room sees while it predicts step ``index``: the run up to the step's start, and that day.

    For the first step this is the couple before the intimate moment. ``couple`` (default: the
    story's) lets a caller that keeps stories across module reloads pass a fresh one.
    """
    view = story.steps[index]
    start = before_day(story, index)
    events = story_events(view.key not in ("intimate", "withdrawal", "pursuit", "rounds"))
    interventions = story_interventions(story.intervention) if view.key == "settling" else ()
    return _run(story.couple if couple is None else couple, start, events, interventions), start
