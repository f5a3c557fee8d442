"""The page's charts in words: one plain sentence per chart, the text alternative of each.

A screen reader cannot see a line; a person who does not read charts may not want to. Each
sentence says what its chart shows in the second half of the run (where the page's verdict and
metrics look), in words for levels and changes rather than the model's numbers: closeness and how
it swings (with the rounds' length in days), what each partner mostly does, each partner's strongest
fear and how high it is, and where each partner's doubt ends. Texts from the app catalog (``words.*``).
"""

from __future__ import annotations

import math

from sim.result import Result

from .i18n import t
from .text import md

__all__ = ["chart_words"]

MOVE_LEAN = 0.1
"""A mean move beyond this (closeness per day) is a partner's lean: reaching out, or pulling away."""
MOVE_SWAY = 0.2
"""A move that spreads more than this around a small mean goes back and forth."""
FEAR_LEVELS = (0.2, 0.5)
"""Shares of the fear ceiling that divide a low, a moderate and a high fear."""
CLOSENESS_LEVELS = (0.5, 1.2)
"""Mean closeness that divides little, some and much closeness."""
SWING_LEVELS = (0.1, 0.5)
"""Closeness swings (peak to trough) that divide hardly, a little and strongly."""
DOUBT_LEVELS = (0.1, 0.5)
"""An end doubt above the first is there; above the second it has tipped into a break-up."""


def _level(value: float, bounds: tuple[float, float], words: tuple[str, str, str]) -> str:
    return words[0] if value < bounds[0] else words[1] if value < bounds[1] else words[2]


def chart_words(result: Result, lang: str) -> list[str]:
    """One sentence per chart of the page (closeness, moves, fears, doubt), in ``lang``."""
    def tr(key: str, **fields: object) -> str:
        return t("app", key, lang, **fields)

    late = slice(result.t.shape[0] // 2, None)
    names = (md(result.couple.a.name or "A"), md(result.couple.b.name or "B"))
    closeness = result.closeness[late]
    swing = float(closeness.max() - closeness.min())
    period = result.metrics.get("period")
    rounds = (tr("words.rounds", days=round(float(period)))
              if period is not None and math.isfinite(float(period)) and swing >= SWING_LEVELS[0] else "")
    lines = [tr("words.closeness",
                level=tr(_level(float(closeness.mean()), CLOSENESS_LEVELS,
                                ("words.level.little", "words.level.some", "words.level.much"))),
                swing=tr(_level(swing, SWING_LEVELS, ("words.swing.hardly", "words.swing.little",
                                                      "words.swing.strongly"))),
                rounds=rounds)]
    moves = []
    for i, name in enumerate(names):
        move = result.move[i, late]
        mean, spread = float(move.mean()), float(move.std())
        kind = ("out" if mean > MOVE_LEAN else "away" if mean < -MOVE_LEAN
                else "both" if spread > MOVE_SWAY else "calm")
        moves.append(tr("words.partner", name=name, what=tr(f"words.move.{kind}")))
    lines.append(tr("words.moves", a=moves[0], b=moves[1]))
    ceiling = float(result.couple.fear_ceiling)
    fears = []
    for i, name in enumerate(names):
        close, left = float(result.engulfment[i, late].max()), float(result.abandonment[i, late].max())
        which = "close" if close >= left else "left"
        level = _level(max(close, left) / ceiling, FEAR_LEVELS,
                       ("words.fear_level.low", "words.fear_level.moderate", "words.fear_level.high"))
        fears.append(tr("words.fear", name=name, which=tr(f"words.fear.{which}"), level=tr(level)))
    lines.append(tr("words.fears", a=fears[0], b=fears[1]))
    doubts = [tr("words.partner_doubt", name=name,
                 what=tr(_level(float(result.doubt[i, -1]), DOUBT_LEVELS,
                                ("words.doubt.low", "words.doubt.there", "words.doubt.tipped"))))
              for i, name in enumerate(names)]
    lines.append(tr("words.doubts", a=doubts[0], b=doubts[1]))
    return lines
