"""The guided start "You and your partner": statements, the answer scale, scores with their uncertainty.

A person who knows no maths answers a handful of statements about themselves and about their partner
(as they see them); this module turns the answers into the model's two attachment scores per partner
(``sim.PARTNER_SCORES``: ``anxiety``, the fear of being left, and ``avoidance``, the fear of closeness),
each with a range that says honestly how little a handful of statements can tell, and sums up what the
model does over the couples those ranges allow. Pure Python and numpy, no Streamlit: the page
(``app_pages/guide.py``) draws it, and the texts live in ``ui/locales/guide.<lang>.json``.

The statements are the project's own, written from the two dimensions as the model reads them and from
the signals of the seed article (``sim.SIGNALS``: checking where the partner is, texting again and
again, filling the evenings, needing air after closeness); they are not taken from any published
questionnaire, and the scores they give are a model's input to reflect on, not a measurement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

import sim
from sim.partners import Couple, Partner
from sim.sweep import RandomCouples, sweep_summary
from sim.verdict import VERDICTS

from .i18n import t

__all__ = [
    "CATALOG",
    "COUPLES",
    "LEVELS",
    "LEVEL_NAMES",
    "PEOPLE",
    "SCALE",
    "SD_FLOOR",
    "STATEMENTS",
    "SURE_ALL",
    "SURE_MOST",
    "Z",
    "Estimate",
    "Sureness",
    "Statement",
    "answer_key",
    "central_couple",
    "estimate",
    "item_score",
    "level",
    "nearby",
    "range_levels",
    "score_person",
    "summary",
    "sureness",
    "text",
]

CATALOG = "guide"
"""The page's catalog: ``ui/locales/guide.<lang>.json``."""
PEOPLE = ("me", "partner")
"""Who the answers are about: the person answering (partner a on the main page) and their partner (b)."""
SCALE = (1, 2, 3, 4, 5)
"""The answer scale: 1 "not at all" ... 5 "very much" (texts ``scale.<n>`` of the catalog)."""
SD_FLOOR = 0.2
"""The smallest spread assumed between the item scores of one dimension (0..1 scale, a little under one
step of the answer scale): even four answers that agree are four statements, not a measurement, so the
standard error never falls below ``SD_FLOOR / sqrt(n)``."""
Z = 1.96
"""Half-width of a range in standard errors (a rough 95 % range under a normal approximation)."""
LEVELS = (1.0 / 3.0, 2.0 / 3.0)
"""Bounds between the words of a score: below 1/3 "low", from 1/3 "moderate", from 2/3 "high"."""
LEVEL_NAMES = ("low", "moderate", "high")
COUPLES = 24
"""How many couples inside the ranges the model runs for the "how sure" summary."""
SURE_ALL = 0.9
"""Share of the couples with one verdict from which the picture counts as sure ("almost all")."""
SURE_MOST = 0.6
"""Share of the couples with one verdict from which that verdict counts as "most"."""


class Statement(NamedTuple):
    """One statement to recognise: ``key`` names its texts (``item.<key>.me`` / ``item.<key>.partner``),
    ``dimension`` the score it speaks to (a key of ``sim.PARTNER_SCORES``), ``reverse`` whether agreeing
    means a lower score."""

    key: str
    dimension: str
    reverse: bool = False


STATEMENTS: tuple[Statement, ...] = (
    Statement("distance", "anxiety"),                # distance feels like being left (the model's anxiety)
    Statement("air", "avoidance"),                   # needing air after closeness (signal needs_air)
    Statement("texts", "anxiety"),                   # texting again and again (signal repeated_calls)
    Statement("stays", "avoidance", reverse=True),   # staying in a talk about feelings or the future
    Statement("checks", "anxiety"),                  # checking where the partner is (signal checks)
    Statement("fills", "avoidance"),                 # filling the days after closeness (signal fills_time)
    Statement("lets_be", "anxiety", reverse=True),   # a day apart without worry
    Statement("alone", "avoidance"),                 # sorting things out alone rather than leaning on the other
)
"""The statements, in the order shown (the two dimensions take turns); four per dimension, one
reverse-keyed in each."""


class Estimate(NamedTuple):
    """A score from a few answers: ``score`` (0..1, the mean item score), ``low`` and ``high`` (its
    range, inside 0..1), ``items`` (answers it rests on) and ``se`` (its standard error)."""

    score: float
    low: float
    high: float
    items: int
    se: float


class Sureness(NamedTuple):
    """What the model does over the couples the ranges allow: ``shares`` (verdict -> share of the couples,
    summing to 1), ``key`` (the catalog key of the sentence that sums it up: ``sure.all``, ``sure.most`` or
    ``sure.mixed``), ``verdicts`` (the verdicts that sentence names, most common first) and ``couples``
    (how many were run)."""

    shares: dict[str, float]
    key: str
    verdicts: tuple[str, ...]
    couples: int


def text(key: str, lang: str, **fields: object) -> str:
    """The guide's text ``key`` in ``lang`` (a lookup in ``ui/locales/guide.<lang>.json``)."""
    return t(CATALOG, key, lang, **fields)


def answer_key(who: str, statement: str) -> str:
    """Where the answer of ``who`` ("me" or "partner") to ``statement`` is kept in the answers mapping."""
    return f"{who}.{statement}"


def item_score(answer: int, reverse: bool = False) -> float:
    """One answer on the 1..5 scale as an item score on 0..1: ``(answer - 1) / 4``, or ``1`` minus that
    for a reverse-keyed statement."""
    if answer not in SCALE:
        raise ValueError(f"an answer is one of {SCALE}, got {answer!r}")
    value = (answer - SCALE[0]) / (SCALE[-1] - SCALE[0])
    return 1.0 - value if reverse else value


def estimate(items: Sequence[float]) -> Estimate:
    """A score and its range from item scores (0..1).

    The score is the mean ``m`` of the ``n`` item scores. Its standard error is
    ``se = max(s, SD_FLOOR) / sqrt(n)``, with ``s`` the items' sample standard deviation (``ddof=1``;
    taken as 0 for a single item): answers that disagree widen the range, and a handful of answers
    that agree still leave room. The range is ``m ± Z se`` clipped to 0..1. Without any answer nothing
    is known: score 0.5, range 0..1.
    """
    values = np.asarray(items, dtype=float)
    n = int(values.size)
    if n == 0:
        return Estimate(score=0.5, low=0.0, high=1.0, items=0, se=float("inf"))
    mean = float(values.mean())
    spread = float(values.std(ddof=1)) if n > 1 else 0.0
    se = max(spread, SD_FLOOR) / float(np.sqrt(n))
    low, high = (float(np.clip(mean + sign * Z * se, 0.0, 1.0)) for sign in (-1.0, 1.0))
    return Estimate(score=mean, low=low, high=high, items=n, se=se)


def score_person(answers: Mapping[str, int | None], who: str) -> dict[str, Estimate]:
    """Both scores of ``who`` ("me" or "partner") from the answers (``answer_key`` -> 1..5, or None when
    skipped): dimension (a key of ``sim.PARTNER_SCORES``) -> :class:`Estimate`."""
    items: dict[str, list[float]] = {dimension: [] for dimension in sim.PARTNER_SCORES}
    for statement in STATEMENTS:
        answer = answers.get(answer_key(who, statement.key))
        if answer is not None:
            items[statement.dimension].append(item_score(int(answer), statement.reverse))
    return {dimension: estimate(values) for dimension, values in items.items()}


def level(score: float) -> str:
    """The word for a score: "low" below 1/3, "moderate" from 1/3, "high" from 2/3 (see :data:`LEVELS`)."""
    return LEVEL_NAMES[int(score >= LEVELS[0]) + int(score >= LEVELS[1])]


def range_levels(e: Estimate) -> tuple[str, str]:
    """The words at the two ends of a range: ``("moderate", "high")`` for a range from 0.5 to 0.9."""
    return level(e.low), level(e.high)


def central_couple(me: Mapping[str, Estimate], partner: Mapping[str, Estimate], names: tuple[str, str]) -> Couple:
    """The couple at the centre of the ranges (scores rounded to the main page's hundredths), named."""
    people = [Partner(name=name, **{d: round(e.score, 2) for d, e in scores.items()})
              for name, scores in zip(names, (me, partner), strict=True)]
    return Couple(a=people[0], b=people[1])


def nearby(me: Mapping[str, Estimate], partner: Mapping[str, Estimate], seed: int = 0,
           n: int = COUPLES) -> RandomCouples:
    """``n`` couples drawn uniformly inside the four ranges (each score independently), the other
    parameters those of a default couple: the sweep's population of random couples."""
    ranges = {f"{who}.{d}": (e.low, e.high) for who, scores in (("a", me), ("b", partner)) for d, e in scores.items()}
    return RandomCouples(n, ranges=ranges, base=Couple(), seed=seed)


def sureness(me: Mapping[str, Estimate], partner: Mapping[str, Estimate], seed: int = 0,
             n: int = COUPLES) -> Sureness:
    """How sure the picture is: the model run on the ``n`` couples of :func:`nearby` (the sweep's
    verdict shares, ``sim.sweep.sweep_summary``), summed up by :func:`summary`."""
    return summary(sweep_summary(nearby(me, partner, seed, n)).shares(), n)


def summary(shares: Mapping[str, float], count: int) -> Sureness:
    """The sentence that sums up verdict ``shares`` over ``count`` couples.

    "sure.all" when at least 90 % of the couples share one verdict, "sure.most" when at least 60 % do
    (both name that verdict), else "sure.mixed", which names the two most common verdicts (ties in the
    order of ``sim.VERDICTS``).
    """
    ranked = tuple(sorted(VERDICTS, key=lambda v: (-shares[v], VERDICTS.index(v))))
    top = shares[ranked[0]]
    if top >= SURE_ALL - 1e-12:
        return Sureness(dict(shares), "sure.all", ranked[:1], count)
    if top >= SURE_MOST - 1e-12:
        return Sureness(dict(shares), "sure.most", ranked[:1], count)
    return Sureness(dict(shares), "sure.mixed", ranked[:2], count)
