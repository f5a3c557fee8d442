"""Verdicts in plain words: what a run did, which loop drove it, and a hedge.

The verdict itself is decided in :func:`sim.metrics.summarize` from the late window of the run
(see ``docs/model.md``): **settles** (the state comes to rest, or its rounds die out), **cycles**
(rounds of steady size: the endless dance), **escalates** (rounds grow, fears reach the ceiling,
or closeness freezes at the floor: a frozen distance or a break). This module says it in words.
"""

from __future__ import annotations

import numpy as np

__all__ = ["VERDICTS", "VERDICT_TEXT", "LOOP_TEXT", "HEDGE", "driving_loop", "explain"]

VERDICTS = ("settles", "cycles", "escalates")

VERDICT_TEXT: dict[str, dict[str, str]] = {
    "settles": {
        "en": "The dance settles: after a few moves the two find a closeness both can live with.",
        "nl": "De dans komt tot rust: na een paar bewegingen vinden ze een nabijheid waar ze allebei mee kunnen leven.",
    },
    "cycles": {
        "en": "The dance goes on: the same rounds of closeness, withdrawal and pursuit keep coming back, neither growing nor fading.",
        "nl": "De dans gaat door: dezelfde rondes van nabijheid, terugtrekken en najagen komen steeds terug, zonder te groeien of te verdwijnen.",
    },
    "escalates": {
        "en": "The dance escalates: each withdrawal is met by harder pursuit, until the fears run high and the distance freezes.",
        "nl": "De dans escaleert: elk terugtrekken wordt beantwoord met harder najagen, tot de angsten hoog oplopen en de afstand bevriest.",
    },
}

LOOP_TEXT: dict[str, dict[str, str]] = {
    "pursue_withdraw": {
        "en": "What drives it: {w}'s withdrawal raises {p}'s fear of being left; {p}'s pursuit feels like pressure to {w}, who withdraws further.",
        "nl": "Wat het aandrijft: het terugtrekken van {w} verhoogt de verlatingsangst van {p}; het najagen van {p} voelt voor {w} als druk, en {w} trekt zich verder terug.",
    },
    "protest_despair": {
        "en": "What keeps it turning: {p}'s pursuit wears out into despair; then {w} feels safe, comes back, hope returns, and the next round starts.",
        "nl": "Wat het laat doordraaien: het najagen van {p} slijt tot wanhoop; dan voelt {w} zich veilig, komt terug, de hoop keert terug en de volgende ronde begint.",
    },
    "frozen_despair": {
        "en": "What drives it: {w}'s withdrawals met {p}'s pursuit until {p}'s protest wore out into despair; now both keep their distance, and it freezes.",
        "nl": "Wat het aandrijft: het terugtrekken van {w} ontmoette het najagen van {p}, tot het protest van {p} opraakte in wanhoop; nu houden beiden afstand, en die bevriest.",
    },
    "mutual_distance": {
        "en": "What drives it: both partners guard their distance; closeness alarms each of them, so neither comes near.",
        "nl": "Wat het aandrijft: beide partners bewaken hun afstand; nabijheid zet bij allebei het alarm aan, dus geen van beiden komt dichtbij.",
    },
    "mutual_pursuit": {
        "en": "What drives it: both fear being left; each one's worry feeds the other's.",
        "nl": "Wat het aandrijft: allebei zijn ze bang verlaten te worden; de zorg van de een voedt die van de ander.",
    },
    "buffered": {
        "en": "Why it settles: the fears stay small or are absorbed; a move of one does not set off an alarm in the other.",
        "nl": "Waarom het tot rust komt: de angsten blijven klein of worden opgevangen; een beweging van de een laat bij de ander geen alarm afgaan.",
    },
}

HEDGE: dict[str, str] = {
    "en": "This is a model to learn from, not a diagnosis: real people are more than two numbers.",
    "nl": "Dit is een model om van te leren, geen diagnose: echte mensen zijn meer dan twee getallen.",
}


def driving_loop(verdict: str, scores: np.ndarray, energy_min: np.ndarray, floor_share: float
                 ) -> tuple[str, int, int]:
    """Name the loop behind a verdict, and who withdraws (w) and who pursues (p).

    Parameters
    ----------
    verdict : "settles", "cycles" or "escalates"
    scores : array (2, 2), rows partner a and b, columns anxiety and avoidance
    energy_min : lowest energy to pursue per partner in the run, shape (2,)
    floor_share : share of the late window spent at the closeness floor

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
        if energy_min[p] < 0.5 and (verdict == "escalates" or floor_share > 0):
            return "frozen_despair" if verdict == "escalates" else "protest_despair", w, p
        if verdict == "cycles" and energy_min[p] < 0.6:
            return "protest_despair", w, p
        return "pursue_withdraw", w, p
    return ("mutual_distance" if lean.min() >= 0 else "mutual_pursuit"), w, p


def explain(verdict: str, loop: str, names: tuple[str, str], withdrawer: int, pursuer: int,
            lang: str = "en") -> list[str]:
    """The verdict, the loop and the hedge as sentences in "en" or "nl"."""
    text = LOOP_TEXT[loop][lang].format(w=names[withdrawer], p=names[pursuer])
    return [VERDICT_TEXT[verdict][lang], text, HEDGE[lang]]
