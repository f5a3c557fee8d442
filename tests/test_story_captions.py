"""One story: what the captions of the seven steps say agrees with the runs they stand on (issue 14).

Couples are drawn across the whole score plane (both partners' anxiety and avoidance uniform in
[0, 1], a seeded generator), each told with every intervention. For every step the test reads
which texts the room is shown (:func:`ui.workshop.captions.caption_keys`) and checks each one's
claim on the runs, measured from their arrays: what a line says happened, happened; every number
it quotes (days and counts only: no model number) is the run's, to the digits shown; every level
word it uses ("the fear of being left is high", "very close") names the band the run's value lies
in, and every change word ("clearly lower than without it") the band of the measured change, in
both languages; and what one step says is not contradicted by the runs a later step shows (step
7's faded line is the untreated run to day 500, of which steps 5 and 6 show the start). A claim's
wording is quoted beside its check in :data:`CLAIMS`. The bands themselves are pinned to
hand-picked values in :func:`test_level_words_name_the_pages_bands` and
:func:`test_change_words_name_the_size_of_a_change`.

The partners are Sam (A) and Noor (B), so that a line's names can be read.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

import numpy as np
import pytest

import sim
from sim import story as stories
from sim.dynamics import TIP
from sim.metrics import FLOOR, FROZEN_CLOSENESS, MOVE_TOL, REST_SWING, RISING_DOUBT, SAFE
from sim.signals import DOUBT_AT, FEELINGS, PURSUE_AT, PURSUIT_FEAR, SIGNALS, WITHDRAW_AT
from ui.workshop import captions, handout
from ui.workshop.captions import CLEARLY, LEVELS, MUCH
from ui.workshop.texts import text

SEED = 14
COUPLES = 160
"""Couples drawn uniformly over the score plane; each is told with every intervention."""
RARE = ((0.27, 0.07, 0.47, 0.26), (0.31, 0.32, 0.09, 0.17), (0.05, 0.0, 0.05, 0.0))
"""Scores (A's anxiety, A's avoidance, B's anxiety, B's avoidance) of couples whose texts the draw
misses: the pursuer takes distance while the withdrawer stays close (twice), and an evening that
sets off no alarm (a corner of the plane)."""
NEVER_DRAWN = {"cap_escalation_closer", "cap_escalation_floor"}
"""Texts no couple was found to need: in 2,800 couples drawn over the plane (and its corners) no
stress brought a couple closer, and every couple whose closeness dropped to zero after the stress
did so with less fear than before (``cap_escalation_grows_floor``). Their claims are checked here
all the same, should one turn up."""
LANGS = ("en", "nl")
NUMBER = re.compile(r"(?<![\w.,])(\d+)(?:([.,])(\d+))?")
SLACK = 2e-3
"""A quoted number may differ from the run's by half its last digit and this (window edges); a measured
value (or a ratio of two) may lie this far outside the band its word names."""
VISIBLE = 0.05
"""A swing of closeness (peak to trough) a room can see on the chart (2 % of its axis): less is at rest."""
KNOWN = "[needs sim] "
"""Prefix of a disagreement whose cure lies in ``sim`` (the story's fields, the verdict), not in the
wording; the tests below leave those out (they are listed in the issue's notes, not hidden here)."""

Problems = Iterator[str]


def _couple(scores: tuple[float, ...]) -> sim.Couple:
    x = [float(s) for s in scores]
    return sim.Couple(a=sim.Partner(name="Sam", anxiety=x[0], avoidance=x[1]),
                      b=sim.Partner(name="Noor", anxiety=x[2], avoidance=x[3]))


@pytest.fixture(scope="module")
def told() -> list[stories.Story]:
    """Every drawn couple's story with every intervention (about 0.02 s a story once compiled)."""
    rng = np.random.default_rng(SEED)
    drawn = [tuple(row) for row in rng.uniform(0.0, 1.0, size=(COUPLES, 4))]
    return [stories.build_story(_couple(scores), kind) for scores in (*drawn, *RARE)
            for kind in sim.INTERVENTION_KINDS]


# --- measuring the runs ---------------------------------------------------------------------------

def _i(r: sim.Result, day: float) -> int:
    return int(np.clip(round(day / r.dt), 0, r.steps))


def _span(r: sim.Result, start: float, end: float) -> slice:
    return slice(_i(r, start), _i(r, end) + 1)


def _fear(r: sim.Result, start: float, end: float) -> float:
    """Mean fear over days [start, end]: each partner's two fears added, averaged over the partners."""
    w = _span(r, start, end)
    return float((r.engulfment[:, w] + r.abandonment[:, w]).sum(axis=0).mean() / 2.0)


def _swing(r: sim.Result, start: float, end: float) -> float:
    return float(np.ptp(r.closeness[_span(r, start, end)]))


def _at_rest(r: sim.Result, start: float, end: float, swing: float = VISIBLE) -> bool:
    """No rounds left from ``start`` on: closeness moves by less than ``swing`` in any ten days."""
    days = np.arange(start, max(end - 10.0, start) + 1e-9, 2.0)
    return all(_swing(r, d, min(d + 10.0, end)) < swing for d in days)


def _speed(r: sim.Result, start: float, end: float) -> float:
    """The fastest any part of the state (closeness, fears, doubts) moves in days [start, end], per day."""
    w = _span(r, start, end)
    return max(float(np.abs(np.diff(x[..., w], axis=-1)).max()) / r.dt
               for x in (r.closeness, r.engulfment, r.abandonment, r.doubt))


def _signals(r: sim.Result, who: int, kind: str, start: float, end: float) -> list[sim.Signal]:
    return [s for s in r.signals if s.partner == who and start <= s.t <= end and SIGNALS[s.key]["kind"] == kind]


def _ups(r: sim.Result, start: float, end: float, level_from: float) -> np.ndarray:
    """Days closeness rises through the middle of its range over [level_from, end], within [start, end]."""
    late = r.closeness[_span(r, level_from, end)]
    mid = 0.5 * (late.max() + late.min())
    c, t = r.closeness[_span(r, start, end)], r.t[_span(r, start, end)]
    return t[1:][(c[:-1] < mid) & (c[1:] >= mid)]


def _numbers(line: str) -> list[tuple[float, int, str]]:
    """The numbers in a line: (value, decimals shown, decimal mark or "")."""
    return [(float(f"{m[1]}.{m[3]}" if m[3] else m[1]), len(m[3] or ""), m[2] or "") for m in NUMBER.finditer(line)]


def _quotes(lines: dict[str, str], *expected: float) -> Problems:
    """The numbers each language's line quotes are ``expected`` (in any order), to the digits shown."""
    for lang, line in lines.items():
        found = sorted(_numbers(line))
        if len(found) != len(expected):
            yield f"{lang}: quotes {[f[0] for f in found]}, the runs give {list(expected)}: {line!r}"
            continue
        for (value, digits, mark), want in zip(found, sorted(expected), strict=True):
            if abs(value - want) > 0.5 * 10.0 ** -digits + SLACK:
                yield f"{lang}: quotes {value}, the run gives {want:.4f}: {line!r}"
            if digits and mark != {"en": ".", "nl": ","}[lang]:
                yield f"{lang}: decimal mark {mark!r} in {line!r}"


def _found(line: str, words: dict[str, str]) -> list[str]:
    """The keys of ``words`` whose text ``line`` holds as whole words, in the order they appear."""
    hits = [(m.start(), key) for key, word in words.items()
            for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", line)]
    return [key for _, key in sorted(hits)]


def _bands(kind: str, lang: str) -> dict[str, str]:
    """Band -> its word in ``lang``, for a kind of level (the catalog's ``level_<kind>_<band>``)."""
    return {band: text(f"level_{kind}_{band}", lang) for band in LEVELS[kind][1]}


def _in_band(kind: str, band: str, value: float) -> bool:
    """``value`` lies in ``band`` of the levels of ``kind`` (give or take SLACK)."""
    bounds, bands = LEVELS[kind]
    edges = (-np.inf, *bounds, np.inf)
    at = bands.index(band)
    return edges[at] - SLACK <= value <= edges[at + 1] + SLACK


def _levels(lines: dict[str, str], kind: str, *values: float) -> Problems:
    """Each language's line names, in order, one level word of ``kind`` per value, in the value's band."""
    for lang, line in lines.items():
        said = _found(line, _bands(kind, lang))
        if len(said) != len(values):
            yield f"{lang}: {len(said)} words for the {kind} ({said}), the runs give {np.round(values, 3)}: {line!r}"
            continue
        for band, value in zip(said, values, strict=True):
            if not _in_band(kind, band, value):
                yield f"{lang}: calls the {kind} {band!r}, but it is {value:.3f}: {line!r}"


CHANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("lower", "much"): (0.0, 1.0 / MUCH),
    ("lower", "clearly"): (1.0 / MUCH, 1.0 / CLEARLY),
    ("lower", "little"): (1.0 / CLEARLY, stories.LOWER),
    ("same", ""): (stories.LOWER, 1.0 / stories.LOWER),
    ("higher", "little"): (1.0 / stories.LOWER, CLEARLY),
    ("higher", "clearly"): (CLEARLY, MUCH),
    ("higher", "much"): (MUCH, np.inf),
}
"""(direction, size) of a change -> the ratios (new / old) it may name."""


def _change_phrases(lang: str) -> dict[tuple[str, str], str]:
    """(direction, size) -> its words in ``lang``: "somewhat lower than", "about as high as"..."""
    return {(d, size): text(f"compare_{d}", lang, size=text(f"change_{size}", lang) if size else "")
            for d, size in CHANGES}


def _ratio_in(change: tuple[str, str], ratio: float) -> bool:
    low, high = CHANGES[change]
    return low * (1.0 - SLACK) <= ratio <= high * (1.0 + SLACK)


def _compares(lines: dict[str, str], new: float, old: float, what: str = "the fear") -> Problems:
    """Each line compares ``new`` with ``old`` once ("clearly lower than"), in the band of their ratio."""
    ratio = new / old if old > 1e-9 else 1.0
    for lang, line in lines.items():
        said = _found(line, _change_phrases(lang))
        if len(said) != 1:
            yield f"{lang}: {len(said)} comparisons ({said}) of {what}, ratio {ratio:.3f}: {line!r}"
        elif not _ratio_in(said[0], ratio):
            yield (f"{lang}: {what} is {' '.join(said[0])}, but the ratio is {ratio:.3f} ({new:.3f} / {old:.3f}): "
                   f"{line!r}")


def _sized(lines: dict[str, str], direction: str, new: float, old: float) -> Problems:
    """Each line says how much ``new`` is ``direction`` than ``old`` with one size word ("clearly less fear"),
    in the band of their ratio; "same" lines use none."""
    ratio = new / old if old > 1e-9 else 1.0
    for lang, line in lines.items():
        said = _found(line, {size: text(f"change_{size}", lang) for size in ("little", "clearly", "much")})
        if direction == "same":
            if said or not _ratio_in(("same", ""), ratio):
                yield f"{lang}: about the same ({said}), but the ratio is {ratio:.3f}: {line!r}"
        elif len(said) != 1:
            yield f"{lang}: {len(said)} size words ({said}), ratio {ratio:.3f}: {line!r}"
        elif not _ratio_in((direction, said[0]), ratio):
            yield f"{lang}: {said[0]} {direction}, but the ratio is {ratio:.3f} ({new:.3f} / {old:.3f}): {line!r}"


def _after_pursuit_window(story: stories.Story) -> tuple[float, float]:
    start = story.step("withdrawal").moment
    return start, start + stories.REACTION_WINDOW


# --- the claims, one per text the room can be shown --------------------------------------------------
# Each takes the story, the step and the line in both languages, and yields what disagrees.

Claim = Callable[[stories.Story, stories.StepView, dict[str, str]], Problems]


def _intimate(kind: str) -> Claim:
    def check(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
        r = view.result
        i0 = _i(r, stories.INTIMATE_AT)
        window = _span(r, stories.INTIMATE_AT, stories.INTIMATE_AT + 2.0)
        yield from _quotes(lines, stories.INTIMATE_AT)
        before, after = float(r.closeness[i0 - 1]), float(r.closeness[window].max())
        if _same_band("closeness", before, after):  # "from very close to closer still"
            yield from _levels(lines, "closeness", before)
            yield from _levels(lines, "closeness", after)
        else:  # "from fairly close to very close"
            yield from _levels(lines, "closeness", before, after)
        rise = r.engulfment[:, window].max(axis=1) - r.engulfment[:, i0]
        if kind == "one":  # "For Sam this is more than feels safe: the inner alarm starts to rise."
            first = int(np.argmax(rise))
            if rise[first] < stories.RISE or any(story.names()[first] not in line for line in lines.values()):
                yield f"names {story.names()[first]}'s alarm as rising; the alarms rise by {rise.round(2)}"
        elif kind == "both":  # "both alarms start to rise"
            if rise.min() < 0.5 * stories.RISE:
                yield f"both alarms rise, but by {rise.round(2)}"
        elif rise.max() >= stories.RISE:  # "no alarm goes off"
            yield f"no alarm goes off, but the alarms rise by {rise.round(2)}"
    return check


def _same_band(kind: str, *values: float) -> bool:
    """The values lie in one band of ``kind`` (then a line names it once)."""
    return len({sum(v >= b for b in LEVELS[kind][0]) for v in values}) == 1


def _withdrawal_yes(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"Day 2.7: Noor takes distance. ... the fear of closeness has risen to a moderate level, and distance
    brings it down." (the fear at that moment, as a share of the couple's fear ceiling)."""
    w, r = story.withdrawer, story.untreated
    seen = _signals(r, w, "withdraw", stories.INTIMATE_AT, stories.INTIMATE_AT + stories.REACTION_WINDOW)
    if not seen:
        yield "takes distance, but no visible withdrawal follows the evening"
        return
    day = seen[0].t
    yield from _quotes(lines, day)
    fear = float(r.engulfment[w, _i(r, day)])
    yield from _levels(lines, "fear", fear / float(r.couple.fear_ceiling))
    if fear <= r.engulfment[w, _i(r, stories.INTIMATE_AT)]:
        yield f"the fear of closeness has risen, but it is {fear:.3f}, as low as on the evening"
    peak = _i(r, day) + int(np.argmax(r.engulfment[w, _span(r, day, day + 5.0)]))
    if r.engulfment[w, peak:peak + _i(r, 5.0)].min() > 0.9 * r.engulfment[w, peak]:
        yield "distance brings the alarm down, but it stays within 10 % of its peak for five days"
    if story.step("intimate").variant == "none":
        yield "step 1 said no alarm goes off; this step names the alarm"


def _withdrawal_none(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"Noor stays close: the extra closeness is absorbed, and no withdrawal follows.\""""
    w = story.withdrawer
    seen = _signals(story.untreated, w, "withdraw", stories.INTIMATE_AT, stories.INTIMATE_AT + stories.REACTION_WINDOW)
    if seen:
        yield f"no withdrawal follows, but {story.names()[w]} withdraws on day {seen[0].t:.1f}"
    yield from _quotes(lines)


def _withdrew_before(story: stories.Story, day: float) -> bool:
    return bool(_signals(story.untreated, story.withdrawer, "withdraw", stories.INTIMATE_AT, day))


def _pursuit(kind: str, after_distance: bool) -> Claim:
    """The pursuer's answer; after a visible withdrawal ("the distance feels like rejection", "too"),
    or, when the withdrawer stayed close, without one ("although Noor has not pulled away")."""
    def check(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
        p, r = story.pursuer, story.untreated
        start, end = _after_pursuit_window(story)
        if kind == "space":
            day = end
            yield from _quotes(lines)
            if _signals(r, p, "pursue", start, end) or _signals(r, p, "withdraw", start, end):
                yield "stays calm, but pursues or withdraws"
            fear = r.abandonment[p, _span(r, start, end)].max()
            if fear >= 2.0 * PURSUIT_FEAR:
                yield f"nothing feels like being left, but the fear of being left reaches {fear:.2f}"
        else:
            seen = _signals(r, p, kind, start, end)
            if not seen:
                yield f"{kind}, but no such signal in days {start:.1f}-{end:.1f}"
                return
            day = seen[0].t
            i = _i(r, day)
            if kind == "pursue":
                yield from _quotes(lines, day)  # "... the fear of being left is high, and it drives Sam ..."
                yield from _levels(lines, "fear", float(r.abandonment[p, i]) / float(r.couple.fear_ceiling))
                if r.move[p, i] <= PURSUE_AT:
                    yield "pursues, but does not move toward"
            else:
                yield from _quotes(lines, day)
                if r.move[p, i] >= WITHDRAW_AT:
                    yield "takes distance, but does not move away"
                if after_distance and r.closeness[_span(r, day, day + 4.0)].min() >= r.closeness[i]:
                    yield "the gap grows, but closeness does not fall"
        if _withdrew_before(story, day) != after_distance:
            yield ("speaks of the withdrawer's distance, but there was none" if after_distance else
                   "says the withdrawer stayed close, but the withdrawer withdrew")
    return check


def _rounds_cycles(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"The dance has begun: 17 rounds in 100 days, one about every 6 days: closer, then apart, and
    closer again." (the rounds are the chart's marks, and an independent count: closeness rising
    through the middle of its range; no "withdrawal, fear, pursuit": in some couples that cycle
    nobody visibly pursues)."""
    r, n = view.result, int(view.fields["rounds"])
    ups = _ups(r, stories.INTIMATE_AT + 1.0, stories.ROUNDS_UNTIL, stories.ROUNDS_UNTIL / 2)
    late = ups[ups >= stories.ROUNDS_UNTIL / 2]
    gap = float(np.median(np.diff(late))) if len(late) > 1 else np.nan
    period = captions._fields(view, story, "en", lambda name, i: name)["period"]
    yield from _quotes(lines, n, stories.ROUNDS_UNTIL, period)
    if n != len(view.marks) or n < 3:
        yield f"{n} rounds, {len(view.marks)} marked"
    if abs(n - len(ups)) > 2:
        yield f"{n} rounds, but closeness rises through its middle {len(ups)} times"
    if not abs(period - gap) <= 0.2 * gap:
        yield f"a round every {period:.1f} days, but they come every {gap:.1f}"
    swing = _swing(r, stories.ROUNDS_UNTIL / 2, stories.ROUNDS_UNTIL)
    if swing < VISIBLE:  # "closer, then apart, and closer again"
        yield f"closer and apart, but closeness swings {swing:.3f}"


def _rounds_small(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"The dance has begun in small rounds: one about every 6 days." (too small to mark: under a
    quarter of the evening's jump)."""
    r = view.result
    late = _ups(r, stories.ROUNDS_UNTIL / 2, stories.ROUNDS_UNTIL, stories.ROUNDS_UNTIL / 2)
    gap = float(np.median(np.diff(late))) if len(late) > 1 else np.nan
    yield from _quotes(lines, view.fields["period"])
    if not abs(view.fields["period"] - gap) <= 0.2 * gap:
        yield f"a round every {view.fields['period']:.1f} days, but they come every {gap:.1f}"
    if not 0.0 < _swing(r, 50.0, 100.0) < 0.25 * _swing(r, 0.0, 100.0):
        yield f"small rounds, but they swing {_swing(r, 50.0, 100.0):.2f} of {_swing(r, 0.0, 100.0):.2f}"


def _rounds_settles(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"After the first moves the swings die down: the dance is coming to rest." (at rest by day
    100, or swinging less in its last ten days than forty days before)."""
    r = view.result
    yield from _quotes(lines)
    end, earlier = _swing(r, 90.0, 100.0), _swing(r, 50.0, 60.0)
    if end >= VISIBLE and end > 0.9 * earlier:
        yield f"the swings die down, but closeness swings {end:.3f} in the last ten days, {earlier:.3f} on days 50-60"


def _rounds_escalates(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"In the first 100 days the dance escalates instead of calming down." (of those 100 days only)."""
    yield from _quotes(lines, stories.ROUNDS_UNTIL)
    if view.result.verdict != "escalates":
        yield f"escalates, but the 100 days {view.result.verdict}"


def _doubter(r: sim.Result) -> int:
    return int(np.argmax(r.doubt[:, -1]))


def _names_doubter(story: stories.Story, r: sim.Result, lines: dict[str, str]) -> Problems:
    end = r.doubt[:, -1]
    names = story.names()
    who = [n for n, d in zip(names, end, strict=True) if d > end.max() - 0.01]
    for lang, line in lines.items():
        if not all(name in line for name in who):
            yield f"{lang}: names the wrong doubter ({who}): {line!r}"


def _course_break(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"For Sam the doubt has tipped into a break-up: the decision to leave is made, and the bond is gone."
    A bond gone in the rounds stays gone in every later run."""
    yield from _quotes(lines)
    yield from _names_doubter(story, view.result, lines)
    later = (story.untreated, story.treated) if view.key == "rounds" else (view.result,)
    for run in later:
        if run.doubt[:, -1].max() <= TIP:
            yield f"the bond is gone, but on day {run.t[-1]:.0f} the doubt is {run.doubt[:, -1].max():.2f}"


def _course_frozen(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"At the end they are far apart, and the fear is high." (of the last day only: the model's
    "frozen" ending also takes the trough of big rounds that fade, so no "nobody moves")."""
    r = view.result
    yield from _quotes(lines)
    if r.closeness[-1] >= FROZEN_CLOSENESS:
        yield f"far apart at the end, but closeness is {r.closeness[-1]:.2f}"
    if max(r.engulfment[:, -1].max(), r.abandonment[:, -1].max()) < SAFE:
        yield "the fear is high, but every fear is below the safe level"


def _course_doubt(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"The rounds wear the bond down: for Sam the doubt whether to stay or to go keeps growing to the end;
    it does not show yet." / "...; it shows, and it is nearing the point where it tips into a break-up."
    (below or above the doubt that shows, ``sim.signals.DOUBT_AT``; below the tipping point)."""
    r = view.result
    d = r.doubt[_doubter(r)]
    yield from _quotes(lines)
    yield from _levels(lines, "doubt", float(d[-1]))
    yield from _names_doubter(story, r, lines)
    if not RISING_DOUBT < d[-1] < TIP:
        yield f"a growing doubt below the tipping point, but it is {d[-1]:.3f}"
    quarter = len(d) // 4
    if d[-quarter:].mean() <= d[-2 * quarter:-quarter].mean() or d[-1] <= d[-2]:
        yield (f"{KNOWN}still rising, but over the last quarter it falls ({d[-2 * quarter:-quarter].mean():.3f} "
               f"-> {d[-quarter:].mean():.3f}): course() reads the doubt's last step only")
    if _swing(r, r.t[-1] / 2, r.t[-1]) < VISIBLE:
        yield "the rounds wear the bond down, but there are no rounds"


def _course_growing(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"Each round is bigger than the last." (the late half's rounds, peak to trough)."""
    r = view.result
    yield from _quotes(lines)
    ups = _ups(r, r.t[-1] / 2, r.t[-1], r.t[-1] / 2)
    swings = [_swing(r, a, b) for a, b in zip(ups, ups[1:], strict=False)]
    if len(swings) < 2 or swings[-1] <= swings[0]:
        yield f"the rounds grow, but they swing {np.round(swings, 2)}"


def _course_drift(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"By the end it has not come to rest: closeness and the fears are still shifting.\""""
    r = view.result
    yield from _quotes(lines)
    speed = _speed(r, r.t[-1] - 5.0, r.t[-1])
    if speed < MOVE_TOL:
        yield f"still shifting, but the state moves {speed:.5f} a day"


def _escalation(kind: str) -> Claim:
    """"Stress and quarrels from day 100 to 124 ... afterwards the fear is somewhat higher than before";
    mean fear before (the 45 days before the stress) and after (from six days after the last quarrel
    to day 145), in the untreated run."""
    def check(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
        r = story.untreated
        first, last = stories.ESCALATION[0][1], stories.ESCALATION[-1][1]
        before = _fear(r, stories.ROUNDS_UNTIL - 45.0, first)
        after = _fear(r, last + stories.AFTERMATH, 145.0)
        yield from _quotes(lines, first, last)
        if kind != "closer":
            yield from _compares(lines, after, before)
        if kind == "grows" and after <= before:  # "... worse for a while: ... the fear is still clearly higher"
            yield f"worse for a while, but mean fear after is {after:.3f} against {before:.3f}"
        if kind == "grows_floor":  # "... worse for a while: in the weeks after ... closeness drops to zero"
            yield from _drops_to_zero(r)
        if kind == "absorbed" and after > 1.25 * before + 0.02:  # "... shake them, and then the old pattern returns"
            yield f"the old pattern returns, but mean fear is {after:.3f} against {before:.3f}"
        if kind == "closer":  # "afterwards they are closer than before"
            c_before = r.closeness[_span(r, stories.ROUNDS_UNTIL - 45.0, first)].mean()
            c_after = r.closeness[_span(r, last + stories.AFTERMATH, 145.0)].mean()
            if c_after <= c_before:
                yield f"closer than before, but closeness is {c_after:.2f} against {c_before:.2f}"
    return check


def _escalation_floor(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"In those weeks closeness even drops to zero.\""""
    yield from _quotes(lines)
    yield from _drops_to_zero(story.untreated)


def _drops_to_zero(r: sim.Result) -> Problems:
    """Closeness reaches the floor in the weeks after the last quarrel, and had not before the stress."""
    if r.closeness[_span(r, stories.ESCALATION[-1][1] + stories.AFTERMATH, 145.0)].min() >= FLOOR:
        yield "closeness drops to zero, but it does not"
    if r.closeness[_span(r, stories.ROUNDS_UNTIL - 45.0, stories.ESCALATION[0][1])].min() < FLOOR:
        yield "closeness drops to zero, but it was there before the stress"


def _intervention(kind: str) -> Claim:
    """"From day 150 both work on ... In the weeks after, the fear is clearly lower / about as high /
    somewhat higher than without it": mean fear of days 160-195, with against without."""
    def check(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
        start, end = stories.INTERVENTION_AT + 10.0, stories.INTERVENTION_UNTIL
        with_it, without = _fear(story.treated, start, end), _fear(story.untreated, start, end)
        change = 100.0 * (with_it / without - 1.0)
        yield from _quotes(lines, stories.INTERVENTION_AT)
        yield from _compares(lines, with_it, without)
        bounds = {"lower": (-100.0, 100.0 * (stories.LOWER - 1.0)), "same": (100.0 * (stories.LOWER - 1.0),
                  100.0 * (1.0 / stories.LOWER - 1.0)), "higher": (100.0 * (1.0 / stories.LOWER - 1.0), np.inf)}[kind]
        if not bounds[0] <= change <= bounds[1]:
            yield f"{kind}, but the fear changes by {change:+.1f} %"
    return check


def _gradual(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"Coaching works slowly: by day 195 each of them has come a small part of the way ...\""""
    learned = 100.0 * view.result.learned[:, -1]
    yield from _quotes(lines, stories.INTERVENTION_UNTIL)
    yield from _levels(lines, "learned", float(learned.max()) / 100.0)
    if learned.max() - learned.min() > 1.0 or learned.max() >= 50.0:
        yield f"each has slowly learned the same, but they learned {learned.round(1)} %"


def _without(story: stories.Story, lines: dict[str, str]) -> Problems:
    """"... Without it, the rounds go on.": the untreated run's course, which the earlier steps foretold."""
    u = story.untreated
    for lang, line in lines.items():
        if not line.endswith(text(f"short_{u.verdict}", lang) + "."):
            yield f"{lang}: without it the run {u.verdict}s, but the line says {line!r}"
    swing = _swing(u, stories.END - 10.0, stories.END)
    if u.verdict == "settles" and swing >= VISIBLE:
        yield (f"{KNOWN}without it, it settles, but closeness still swings {swing:.3f} at the end: the untreated"
               " run has no variant of its own (settles_late)")


def _late_fears(story: stories.Story) -> tuple[float, float]:
    half = stories.END / 2
    return _fear(story.treated, half, stories.END), _fear(story.untreated, half, stories.END)


def _settling_settles(before_intervention: bool) -> Claim:
    """"With ... the dance settles: from about day 212 the two stay at a closeness both can live
    with." or, when it was at rest already, "The dance had already come to rest by about day 134,
    before ... began, and it stays at rest.\""""
    def check(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
        r, day = story.treated, float(view.fields["settle"])
        yield from _quotes(lines, day)
        yield from _without(story, lines)
        if (day < stories.INTERVENTION_AT) != before_intervention:
            yield f"at rest from day {day:.1f}, {'after' if before_intervention else 'before'} the intervention"
        if not _at_rest(r, day, stories.END):
            worst = max(_swing(r, d, d + 10.0) for d in np.arange(day, stories.END - 10.0, 2.0))
            yield (f"{KNOWN}at rest from about day {day:.0f}, but closeness still swings {worst:.3f} in ten days after "
                   "it: the settle time extrapolates the last, already tiny swing")
        fear = max(r.engulfment[:, -1].max(), r.abandonment[:, -1].max())
        if fear >= SAFE:
            yield f"a closeness both can live with, but a fear is {fear:.2f} at rest"
    return check


def _settling_late(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"With ... the dance slowly comes to rest: its moves keep getting smaller." (No day: the
    model's extrapolated day lay past day 500 for runs already at rest by then.)"""
    r = story.treated
    yield from _quotes(lines)
    yield from _without(story, lines)
    speed = [_speed(r, a, a + 50.0) for a in (stories.INTERVENTION_AT + 50.0, stories.END - 50.0)]
    if speed[1] >= speed[0]:
        yield f"slowly comes to rest, but moves faster at the end ({speed[1]:.4f} against {speed[0]:.4f} a day)"


def _settling_cycles(kind: str) -> Claim:
    """"With ... the rounds go on, but with clearly less fear" / "..., in the long run with about the
    same fear" / "..., with somewhat more fear": days 250-500, against the run without it."""
    def check(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
        with_it, without = _late_fears(story)
        yield from _quotes(lines)
        yield from _sized(lines, {"less": "lower", "same": "same", "more": "higher"}[kind], with_it, without)
        yield from _without(story, lines)
        ratio = with_it / without
        if not {"less": ratio < stories.LOWER, "same": stories.LOWER <= ratio <= 1.0 / stories.LOWER,
                "more": ratio > 1.0 / stories.LOWER}[kind]:
            yield f"{kind} fear, but {with_it:.3f} against {without:.3f}"
        swing = _swing(story.treated, stories.END - 50.0, stories.END)
        if swing < REST_SWING:
            yield f"{KNOWN}the rounds go on, but closeness swings {swing:.6f}: the verdict counts such rounds as cycles"
        if _swing(story.untreated, stories.INTERVENTION_AT - 25.0, stories.INTERVENTION_AT) < REST_SWING:
            yield "the rounds go on, but there were none before the intervention"
    return check


def _settling_escalates(worse: bool) -> Claim:
    """"... alone is not enough here: the dance still escalates." / "With ... the dance escalates,
    while without it the rounds go on: here it upsets the old balance.\""""
    def check(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
        yield from _quotes(lines)
        if story.treated.verdict != "escalates" or (story.untreated.verdict == "escalates") == worse:
            yield f"with it the run {story.treated.verdict}s, without it {story.untreated.verdict}s"
        if worse:
            yield from (f"{lang}: {p}" for lang, p in _without_texts(story, lines))
    return check


def _without_texts(story: stories.Story, lines: dict[str, str]) -> Iterator[tuple[str, str]]:
    for lang, line in lines.items():
        if text(f"short_{story.untreated.verdict}", lang) not in line:
            yield lang, f"does not say what the run without it does: {line!r}"


def _settling_doubt(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"But a doubt lingers: at the end, for Sam the doubt whether to stay or to go is still felt, though
    it has not tipped into a break-up." (above the doubt that shows, below the tipping point)."""
    r = story.treated
    yield from _quotes(lines)
    yield from _names_doubter(story, r, lines)
    if not DOUBT_AT < r.doubt[:, -1].max() < TIP or r.verdict == "escalates":
        yield f"a lingering doubt, but it is {r.doubt[:, -1].max():.3f} and the run {r.verdict}s"


def _seen(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"What you would see: Noor fills the evenings with work, sport or friends." (the actor's signal at the moment)."""
    actor = story.withdrawer if view.key == "withdrawal" else story.pursuer
    at = [s.key for s in view.result.signals if s.partner == actor and abs(s.t - view.moment) < 1e-6]
    if view.fields["signal_key"] not in at:
        yield f"names {view.fields['signal_key']}, but the signals at day {view.moment:.1f} are {at}"
    for lang, line in lines.items():
        if str(SIGNALS[view.fields["signal_key"]][lang]) not in line or story.names()[actor] not in line:
            yield f"{lang}: {line!r}"


def _felt(story: stories.Story, view: stories.StepView, lines: dict[str, str]) -> Problems:
    """"For Noor: relief ... For Sam: rejection ...": the signal's feelings, the actor's first."""
    kind = str(SIGNALS[view.fields["signal_key"]]["kind"])
    actor = story.withdrawer if view.key == "withdrawal" else story.pursuer
    names = story.names()
    for lang, line in lines.items():
        parts = (names[actor], FEELINGS[kind]["self"][lang], names[1 - actor], FEELINGS[kind]["other"][lang])
        at = [line.find(part) for part in parts]
        if min(at) < 0 or at != sorted(at):
            yield f"{lang}: {line!r}"


CLAIMS: dict[str, Claim] = {
    "cap_intimate_one": _intimate("one"),
    "cap_intimate_both": _intimate("both"),
    "cap_intimate_none": _intimate("none"),
    "cap_withdrawal_yes": _withdrawal_yes,
    "cap_withdrawal_none": _withdrawal_none,
    "cap_pursuit_yes": _pursuit("pursue", True),
    "cap_pursuit_away": _pursuit("withdraw", True),
    "cap_pursuit_none": _pursuit("space", True),
    "cap_pursuit_yes_close": _pursuit("pursue", False),
    "cap_pursuit_away_close": _pursuit("withdraw", False),
    "cap_pursuit_none_close": _pursuit("space", False),
    "seen": _seen,
    "felt": _felt,
    "cap_rounds_cycles": _rounds_cycles,
    "cap_rounds_cycles_small": _rounds_small,
    "cap_rounds_settles": _rounds_settles,
    "cap_rounds_escalates": _rounds_escalates,
    "course_break": _course_break,
    "course_frozen": _course_frozen,
    "course_doubt": _course_doubt,
    "course_growing": _course_growing,
    "course_drift": _course_drift,
    "cap_escalation_grows": _escalation("grows"),
    "cap_escalation_grows_floor": _escalation("grows_floor"),
    "cap_escalation_absorbed": _escalation("absorbed"),
    "cap_escalation_closer": _escalation("closer"),
    "cap_escalation_floor": _escalation_floor,
    "cap_intervention_lower": _intervention("lower"),
    "cap_intervention_same": _intervention("same"),
    "cap_intervention_higher": _intervention("higher"),
    "cap_intervention_gradual": _gradual,
    "cap_settling_settles": _settling_settles(False),
    "cap_settling_settled": _settling_settles(True),
    "cap_settling_settles_late": _settling_late,
    "cap_settling_cycles": _settling_cycles("less"),
    "cap_settling_cycles_same": _settling_cycles("same"),
    "cap_settling_cycles_higher": _settling_cycles("more"),
    "cap_settling_escalates": _settling_escalates(False),
    "cap_settling_escalates_worse": _settling_escalates(True),
    "cap_settling_doubt": _settling_doubt,
}
"""Catalog key of a caption line -> its claim, checked on the runs."""


def _shown(story: stories.Story) -> Iterator[tuple[stories.StepView, str, dict[str, str]]]:
    """Every caption line of the story: (step, catalog key, the line in each language)."""
    for view in story.steps:
        keys = captions.caption_keys(view, story)
        spoken = {lang: captions.caption(view, story, lang) for lang in LANGS}
        merged = [k for k in keys if k != "cap_escalation_floor"]
        for n, key in enumerate(merged):
            yield view, key, {lang: spoken[lang][n] for lang in LANGS}
        if "cap_escalation_floor" in keys:
            yield view, "cap_escalation_floor", {lang: text("cap_escalation_floor", lang) for lang in LANGS}


@pytest.fixture(scope="module")
def disagreements(told: list[stories.Story]) -> dict[str, list[str]]:
    """Catalog key -> what disagrees with the runs, one entry per (couple, intervention, problem)."""
    found: dict[str, list[str]] = defaultdict(list)
    for story in told:
        for view, key, lines in _shown(story):
            problems = CLAIMS[key](story, view, lines) if key in CLAIMS else ()
            found[key] += [f"{_who(story)}: {problem}" for problem in problems]
    return found


def _who(story: stories.Story) -> str:
    a, b = story.couple.a, story.couple.b
    return f"({a.anxiety:.2f}, {a.avoidance:.2f}, {b.anxiety:.2f}, {b.avoidance:.2f}) {story.intervention}"


def test_every_caption_line_the_story_shows_has_a_claim_checked_here(disagreements):
    """A new text must come with its check, and every check here meets its text in the sample."""
    assert set(disagreements) <= set(CLAIMS)
    assert set(CLAIMS) - set(disagreements) == NEVER_DRAWN


@pytest.mark.parametrize("key", list(CLAIMS))
def test_each_caption_line_says_what_its_runs_show(key, disagreements):
    problems = [p for p in disagreements.get(key, []) if KNOWN not in p]
    assert not problems, f"{len(problems)} disagreements, e.g.:\n" + "\n".join(problems[:8])


def _old_pattern_lost(told: list[stories.Story]) -> Iterator[tuple[stories.Story, str]]:
    """Stories whose step 4 says the dance cycles (or comes to rest), whose step 5 says the old
    pattern returns after the stress, and whose step 7 says the run without it does otherwise."""
    for story in told:
        rounds, without = story.step("rounds").variant, story.untreated.verdict
        if story.step("escalation").variant == "absorbed" and rounds != "escalates" and without != rounds:
            yield story, f"{_who(story)}: step 4 {rounds}, step 5 the old pattern returns, step 7 without it {without}"


def _doubt_grows_slowly(r: sim.Result) -> bool:
    """A doubt above RISING_DOUBT that is higher in the run's last quarter than in the one before."""
    d = r.doubt[_doubter(r)]
    quarter = len(d) // 4
    return bool(d[-1] > RISING_DOUBT and d[-quarter:].mean() > d[-2 * quarter:-quarter].mean())


def test_after_the_old_pattern_returns_the_run_without_the_intervention_keeps_the_old_course(told):
    """Step 4 says the dance cycles (or comes to rest), step 5 that after the stress the old pattern
    returns: then step 7's "without it ..." says the same course. (A run that escalates in its first
    100 days is said to do so in those days only: its doubt may level off later.) Left to the
    known defects of sim (see KNOWN): rounds that go on while a doubt slowly grows, which step 7 can only call "it
    escalates" (story.course() reads that doubt's last step, and calls it a drift)."""
    wrong = [why for story, why in _old_pattern_lost(told) if not _doubt_grows_slowly(story.untreated)]
    assert not wrong, wrong[:5]


def test_a_step_does_not_contradict_another_steps_words(told):
    """Words one step uses are not undone by the next: "no alarm goes off" is not followed by a
    withdrawal "the alarm" sets off, and after "Noor stays close" the pursuer does not answer "the
    distance" (nor take distance "too")."""
    wrong = []
    for story in told:
        keys = {view.key: captions.caption_keys(view, story) for view in story.steps}
        if "cap_intimate_none" in keys["intimate"] and "cap_withdrawal_yes" in keys["withdrawal"]:
            wrong.append(f"{_who(story)}: no alarm, then the alarm's withdrawal")
        if "cap_withdrawal_none" in keys["withdrawal"] and not keys["pursuit"][0].endswith("_close"):
            wrong.append(f"{_who(story)}: stays close, then {keys['pursuit'][0]}")
    assert not wrong, wrong[:5]


def test_every_step_has_a_caption_in_both_languages_with_nothing_left_to_fill_in(told):
    """For every step and variant the sample shows, both languages give a caption (Dutch of its
    own, not the English), a summary and the answers, with no ``{field}`` left, and numbers written
    the language's way."""
    variants: Counter[tuple[str, str]] = Counter()
    for story in told:
        for view in story.steps:
            spoken = {}
            for lang in LANGS:
                spoken[lang] = captions.caption(view, story, lang)
                words = [*spoken[lang], captions.summary(view, story, lang), captions.question(view, story, lang),
                         *(captions.choice_label(view, story, c, lang) for c in stories.CHOICES[view.key])]
                assert all(w.strip() and "{" not in w and "}" not in w for w in words), (view.key, view.variant, words)
                wrong_mark = r"\d\.\d" if lang == "nl" else r"\d,\d"
                assert not any(re.search(wrong_mark, w) for w in words), (lang, words)
            assert len(spoken["en"]) == len(spoken["nl"]) and spoken["en"][0] != spoken["nl"][0], spoken
            variants[(view.key, view.variant)] += 1
    assert {key for key, _ in variants} == set(stories.STEPS)


def _words_of_levels(line: str, lang: str) -> set[str]:
    """The level and change words a line uses ("very close", "clearly"), as catalog keys."""
    words = {f"level_{kind}_{band}": word for kind in LEVELS for band, word in _bands(kind, lang).items()}
    words |= {f"change_{size}": text(f"change_{size}", lang) for size in ("little", "clearly", "much")}
    return set(_found(line, words))


def test_the_summaries_quote_the_captions_numbers_and_words(told):
    """The handout's one-line summary of a step quotes only numbers its caption quotes, and uses only
    level and change words its caption uses ("clearly less fear" after "clearly lower than without it")."""
    wrong = []
    for story in told:
        for view in story.steps:
            for lang in LANGS:
                caption, summary = captions.caption(view, story, lang), captions.summary(view, story, lang)
                said = {n[:2] for line in caption for n in _numbers(line)}
                summed = {n[:2] for n in _numbers(summary)}
                words = set().union(*(_words_of_levels(line, lang) for line in caption))
                if not summed <= said or not _words_of_levels(summary, lang) <= words:
                    wrong.append((view.key, view.variant, lang, summary))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize(("kind", "value", "band"), [
    ("closeness", 0.3, "little"), ("closeness", 0.9, "some"), ("closeness", 2.4, "much"),
    ("fear", 0.1, "low"), ("fear", 0.3, "moderate"), ("fear", 0.6, "high"),
    ("swing", 0.05, "hardly"), ("swing", 0.3, "little"), ("swing", 1.2, "strongly"),
    ("learned", 0.22, "small"), ("learned", 0.5, "good"), ("learned", 0.86, "most"),
    ("doubt", 0.2, "hidden"), ("doubt", 0.4, "shown"),
])
def test_level_words_name_the_pages_bands(kind, value, band):
    """Hand-picked values on either side of each bound: closeness below 0.5 is little, from 1.2 much (the
    main page's bounds); a fear below a fifth of the ceiling is low, from half of it high; a swing below
    0.1 is hardly one, from 0.5 strong; coaching's 22 % is a small part of the way; a doubt shows from 0.3."""
    assert captions.level_key(kind, value) == band
    assert all(captions.level_word(kind, value, lang) == _bands(kind, lang)[band] for lang in LANGS)


@pytest.mark.parametrize(("new", "old", "change"), [
    (0.4, 1.0, ("lower", "much")), (0.6, 1.0, ("lower", "clearly")), (0.8, 1.0, ("lower", "little")),
    (0.9, 1.0, ("same", "")), (1.1, 1.0, ("same", "")), (1.3, 1.0, ("higher", "little")),
    (1.6, 1.0, ("higher", "clearly")), (2.5, 1.0, ("higher", "much")), (0.3, 0.0, ("same", "")),
])
def test_change_words_name_the_size_of_a_change(new, old, change):
    """Hand-worked: within 15 % either way (the story's LOWER) is about the same; a third less or half as
    much again is a clear change; half or twice as much is much. Nothing to compare with is the same."""
    assert captions.change_key(new, old) == change
    for lang in LANGS:
        assert captions.compare_words(new, old, lang) == _change_phrases(lang)[change]


def test_the_handouts_words_on_the_second_half_agree_with_the_runs(told):
    """"From day 250 on: the fear is clearly lower than without it, and closeness swings hardly at all
    (without it: strongly).": mean fear and closeness peak to trough of days 250-500, both runs."""
    wrong = []
    for story in told[::5]:
        lines = {lang: handout.late_words(story, lang) for lang in LANGS}
        with_it, without = (_fear(r, handout.LATE, stories.END) for r in (story.treated, story.untreated))
        swings = [_swing(r, handout.LATE, stories.END) for r in (story.treated, story.untreated)]
        problems = [*_quotes(lines, handout.LATE), *_compares(lines, with_it, without),
                    *_levels(lines, "swing", *swings)]
        wrong += [f"{_who(story)}: {p}" for p in problems]
    assert not wrong, wrong[:5]
