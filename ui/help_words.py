"""What helps you two, in words: each kind of help for this couple as something to try and what it changed.

:func:`sim.helps.what_helps` runs the five kinds of help done by A, by B and by both. This module
turns one of them into what the page shows: a level (how much it changes), what to try (chosen by
the kind and by the role of the one who does it: the one who pulls back, the one who comes after,
or both), and one sentence of what the model's run did: how much of the fear went and whose, and
what became of the rounds. No model numbers: words for levels, and time in weeks or months. The
sentences are addressed to the one who does it ("you", "your partner") so that any name reads
naturally, "Ik" and "Mijn partner" too. Texts from the app catalog (``helps.*``).
"""

from __future__ import annotations

from typing import NamedTuple

from sim.helps import Help, HelpRanking

from .i18n import t

__all__ = ["HELP_LEVELS", "HelpWords", "help_words", "level", "role_of"]

HELP_LEVELS = (0.03, 0.15, 0.4, 0.7)
"""Shares of the fear that go, dividing: hardly anything, a little, some, a good part, most."""
LEVEL_NAMES = ("none", "little", "some", "good", "most")
BADGES = {"none": "none", "little": "little", "some": "some", "good": "much", "most": "much"}
"""The badge of a level: changes hardly anything, a little, some, a lot."""
WHOSE = 0.1
"""When one partner's share of relief exceeds the other's by more than this, the relief is mostly theirs."""
CALMER = (-0.1, 0.3)
"""Shares of the swing that go: below the first the rounds grow, above the second they shrink."""


class HelpWords(NamedTuple):
    """One kind of help as the page shows it."""

    kind: str
    badge: str
    """``none``, ``little``, ``some`` or ``much``: the key of the badge ``helps.badge.<badge>``."""
    attempt: str
    """What to try, addressed to the one who does it."""
    effect: str
    """What it changed in the model's run."""


def level(relief: float) -> str:
    """The name of the level of a share of fear that goes (see :data:`HELP_LEVELS`)."""
    return LEVEL_NAMES[sum(relief >= bound for bound in HELP_LEVELS)]


def role_of(who: str, withdrawer: int) -> str:
    """``withdrawer``, ``pursuer`` or ``both``: the part in the dance of the one who does it."""
    if who == "both":
        return "both"
    return "withdrawer" if ("ab".index(who) == withdrawer) else "pursuer"


def _whose(help_: Help, withdrawer: int) -> str:
    """Whose fear goes most: ``own``, ``other`` or ``alike``; for both partners ``withdrawer`` or ``pursuer``."""
    gap = help_.own_relief - help_.other_relief  # for "both": A's minus B's
    if abs(gap) <= WHOSE:
        return "alike"
    if help_.who != "both":
        return "own" if gap > 0 else "other"
    return "withdrawer" if (gap > 0) == (withdrawer == 0) else "pursuer"


def _duration(days: float, lang: str) -> str:
    """A time span in words: days, weeks or months, rounded the way people say it."""
    if days < 10.5:
        return t("app", "helps.time.days", lang)
    if days < 75:
        return t("app", "helps.time.weeks", lang, count=max(2, round(days / 7)))
    return t("app", "helps.time.months", lang, count=max(3, round(days / 30.4)))


def _rounds(help_: Help, untreated: str, lang: str) -> str:
    """What became of the rounds of closeness and distance."""
    if help_.verdict == "settles":
        if untreated == "settles":
            return t("app", "helps.rounds.calm", lang)
        if help_.settled_after is None:
            return t("app", "helps.rounds.fade", lang)
        return t("app", "helps.rounds.stop", lang, time=_duration(help_.settled_after, lang))
    if untreated == "escalates" and help_.verdict == "escalates":
        return t("app", "helps.rounds.escalates", lang)
    if untreated == "escalates":
        return t("app", "helps.rounds.no_longer", lang)
    if help_.verdict == "escalates":
        return t("app", "helps.rounds.worse", lang)
    if help_.calmer >= CALMER[1]:
        return t("app", "helps.rounds.smaller", lang)
    if help_.calmer < CALMER[0]:
        return t("app", "helps.rounds.larger", lang)
    return t("app", "helps.rounds.same", lang)


def help_words(help_: Help, ranking: HelpRanking, withdrawer: int, lang: str) -> HelpWords:
    """``help_`` (one of ``ranking``'s) in words, for a couple whose withdrawer is partner ``withdrawer``."""
    name = level(help_.relief)
    attempt = t("app", f"helps.try.{help_.kind}.{role_of(help_.who, withdrawer)}", lang)
    if name == "none":
        fear = t("app", "helps.fear.none", lang)
    else:
        fear = t("app", "helps.fear.gone", lang, amount=t("app", f"helps.amount.{name}", lang),
                 whose=t("app", f"helps.whose.{_whose(help_, withdrawer)}", lang))
    effect = t("app", "helps.effect", lang, fear=fear, rounds=_rounds(help_, ranking.verdict, lang))
    return HelpWords(kind=help_.kind, badge=BADGES[name], attempt=attempt, effect=effect)
