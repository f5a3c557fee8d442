"""Verdicts in plain words: what a run did, which loop drove it, and a hedge.

The verdict itself is decided in :func:`sim.metrics.summarize` from the late window of the run
(see ``docs/model.md``): **settles** (the state comes to rest, or its rounds die out), **cycles**
(rounds of steady size: the endless dance), **escalates** (rounds grow, and end in a frozen
distance or a break-up). This module says it in words.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ENDING_TEXT", "HEDGE", "LOOP_TEXT", "VERDICTS", "VERDICT_TEXT", "driving_loop", "explain"]

VERDICTS = ("settles", "cycles", "escalates")

VERDICT_TEXT: dict[str, dict[str, str]] = {
    "settles": {
        "en": "The dance settles: after a few moves the two find a closeness both can live with.",
        "nl": "De dans komt tot rust: na een paar bewegingen vinden ze een nabijheid waar ze allebei mee kunnen leven.",
    },
    "cycles": {
        "en": "The dance goes on: the same rounds of closeness, withdrawal and pursuit keep coming back, neither growing nor fading.",
        "nl": "De dans gaat door: dezelfde rondes van nabijheid, terugtrekken en najagen komen steeds terug, zonder te groeien of uit te doven.",
    },
    "escalates": {
        "en": "The dance escalates: it does not calm down, and it wears the bond down.",
        "nl": "De dans escaleert: hij komt niet tot rust, en hij slijt de band.",
    },
}

ENDING_TEXT: dict[str, dict[str, str]] = {
    "growing": {
        "en": "At the end of the run it is still getting worse: bigger rounds, or a growing doubt whether to stay.",
        "nl": "Aan het eind van de run wordt het nog steeds erger: grotere rondes, of een groeiende twijfel of blijven nog kan.",
    },
    "frozen": {
        "en": "It ends in a frozen distance: nobody moves any more, and the fear stays high.",
        "nl": "Het eindigt in een bevroren afstand: niemand beweegt nog, en de angst blijft hoog.",
    },
    "break": {
        "en": "It ends in a break-up: the doubt 'do I stay or do I go?' tipped, and the bond is gone.",
        "nl": "Het eindigt in een breuk: de twijfel 'blijf ik of ga ik?' sloeg om, en de band is weg.",
    },
}
"""Ending of an escalating run -> one sentence in English and Dutch."""

LOOP_TEXT: dict[str, dict[str, str]] = {
    "pursue_withdraw": {
        "en": "What drives it: closeness sets off {w}'s alarm, and {w} withdraws; that makes {p} afraid of being left, and {p} reaches out harder; the pressure keeps {w}'s alarm going. Once {w} has some distance, the alarm calms, {w} comes back, and the next round starts.",
        "nl": "Wat het aandrijft: nabijheid zet het alarm van {w} aan, en {w} trekt zich terug; daardoor wordt {p} bang verlaten te worden en zoekt {p} harder contact; die druk houdt het alarm van {w} aan. Als {w} wat afstand heeft, zakt het alarm, komt {w} terug en begint de volgende ronde.",
    },
    "mutual_distance": {
        "en": "What drives it: both partners guard their distance; closeness alarms each of them, so neither comes near for long.",
        "nl": "Wat het aandrijft: beide partners bewaken hun afstand; nabijheid zet bij allebei het alarm aan, dus geen van beiden blijft lang dichtbij.",
    },
    "mutual_pursuit": {
        "en": "What drives it: both fear being left; each one's worry feeds the other's.",
        "nl": "Wat het aandrijft: allebei zijn ze bang verlaten te worden; de zorg van de een voedt die van de ander.",
    },
    "buffered": {
        "en": "Why it settles: there is a closeness at which neither alarm goes off, and a move of one is absorbed by the other.",
        "nl": "Waarom het tot rust komt: er is een nabijheid waarbij bij geen van beiden het alarm afgaat, en een beweging van de een wordt door de ander opgevangen.",
    },
}

UNEASY_TEXT: dict[str, dict[str, str]] = {
    "engulfment": {
        "en": "But not at ease: at rest {name} still fears the closeness, so the calm has a price.",
        "nl": "Maar niet ontspannen: ook in rust blijft {name} bang voor de nabijheid, dus de rust heeft een prijs.",
    },
    "abandonment": {
        "en": "But not at ease: at rest {name} still fears being left, so the calm has a price.",
        "nl": "Maar niet ontspannen: ook in rust blijft {name} bang verlaten te worden, dus de rust heeft een prijs.",
    },
}
"""A run that settles while a fear stays at or above ``sim.metrics.SAFE`` -> the sentence that says so."""

HELD_TEXT: dict[str, str] = {
    "en": "Why it settles: a move of one is absorbed by the other, but not because the fear is gone.",
    "nl": "Waarom het tot rust komt: een beweging van de een wordt door de ander opgevangen, maar niet omdat de angst weg is.",
}
"""The loop sentence of a run that settles uneasily (instead of ``LOOP_TEXT["buffered"]``)."""

HEDGE: dict[str, str] = {
    "en": "This is a model to learn from, not a diagnosis: real people are more than two numbers.",
    "nl": "Dit is een model om van te leren, geen diagnose: echte mensen zijn meer dan twee getallen.",
}


def driving_loop(verdict: str, scores: np.ndarray) -> tuple[str, int, int]:
    """Name the loop behind a verdict, and who withdraws (w) and who pursues (p).

    Parameters
    ----------
    verdict : "settles", "cycles" or "escalates"
    scores : array (2, 2), rows partner a and b, columns anxiety and avoidance

    Returns
    -------
    (loop key into LOOP_TEXT, index of the withdrawer, index of the pursuer)

    The withdrawer is the partner whose avoidance most exceeds their anxiety; the other pursues.
    """
    lean = scores[:, 1] - scores[:, 0]
    w = int(np.argmax(lean))
    p = 1 - w
    if verdict == "settles":
        return "buffered", w, p
    if lean[w] > 0 > lean[p]:
        return "pursue_withdraw", w, p
    return ("mutual_distance" if lean.min() >= 0 else "mutual_pursuit"), w, p


def explain(verdict: str, loop: str, names: tuple[str, str], withdrawer: int, pursuer: int,
            lang: str = "en", ending: str = "", uneasy: tuple[int, str] | None = None) -> list[str]:
    """The verdict (with its ending), the loop and the hedge as sentences in "en" or "nl".

    ``uneasy`` is (partner, "engulfment" or "abandonment") for a run that settles while that
    partner's fear stays up (see :func:`uneasy_rest`): the text then says so.
    """
    text = LOOP_TEXT[loop][lang].format(w=names[withdrawer], p=names[pursuer])
    head = VERDICT_TEXT[verdict][lang]
    if ending in ENDING_TEXT:
        head = f"{head} {ENDING_TEXT[ending][lang]}"
    if verdict == "settles" and uneasy is not None:
        head = f"{head} {UNEASY_TEXT[uneasy[1]][lang].format(name=names[uneasy[0]])}"
        text = HELD_TEXT[lang]
    return [head, text, HEDGE[lang]]


def uneasy_rest(engulfment: np.ndarray, abandonment: np.ndarray, safe: float) -> tuple[int, str] | None:
    """The partner and the fear that stay at or above ``safe`` at the end of a run, or None.

    Parameters
    ----------
    engulfment, abandonment : arrays (2,), each partner's fear at the last instant
    """
    fears = np.stack([engulfment, abandonment])  # (fear, partner)
    kind, who = np.unravel_index(int(np.argmax(fears)), fears.shape)
    if fears[kind, who] < safe:
        return None
    return int(who), ("engulfment", "abandonment")[int(kind)]
