"""Preset couples: named pairings of attachment styles, each with a one-line description."""

from __future__ import annotations

from .partners import Couple, Partner

__all__ = ["CLASSIC", "PRESETS", "PRESET_TEXT", "base_couple"]


def _couple(a: tuple[float, float], b: tuple[float, float], names: tuple[str, str] = ("A", "B")) -> Couple:
    return Couple(a=Partner(name=names[0], anxiety=a[0], avoidance=a[1]),
                  b=Partner(name=names[1], anxiety=b[0], avoidance=b[1]))


PRESETS: dict[str, Couple] = {
    "anxious-avoidant": _couple((0.75, 0.15), (0.15, 0.75)),
    "secure": _couple((0.1, 0.1), (0.1, 0.1)),
    "anxious-anxious": _couple((0.75, 0.15), (0.75, 0.15)),
    "avoidant-avoidant": _couple((0.15, 0.75), (0.15, 0.75)),
    "secure-anxious": _couple((0.1, 0.1), (0.85, 0.15)),
    "secure-avoidant": _couple((0.1, 0.1), (0.15, 0.7)),
    "intense-trap": _couple((1.0, 0.05), (0.05, 1.0)),
    "fearful-fearful": _couple((0.9, 0.9), (0.9, 0.9)),
}
"""Name -> Couple. "anxious-avoidant" is the classic trap (partner A pursues, B withdraws)."""
CLASSIC = "anxious-avoidant"
"""The classic trap: the couple every page, the command line and the analysis start from."""

PRESET_TEXT: dict[str, dict[str, str]] = {
    "anxious-avoidant": {
        "en": "The classic trap: A fears being left, B fears closeness; they dance in endless rounds.",
        "nl": "De klassieke valkuil: A is bang verlaten te worden, B is bang voor nabijheid; ze dansen in eindeloze rondes.",
    },
    "secure": {
        "en": "Two secure partners: closeness feels safe to both, and small moves are absorbed.",
        "nl": "Twee veilig gehechte partners: nabijheid voelt voor allebei veilig, kleine bewegingen worden opgevangen.",
    },
    "anxious-anxious": {
        "en": "Two partners who fear being left: close together, watchful, quickly worried.",
        "nl": "Twee partners die bang zijn verlaten te worden: dicht bij elkaar, waakzaam, snel ongerust.",
    },
    "avoidant-avoidant": {
        "en": "Two partners who guard their freedom: calm, but at a careful distance.",
        "nl": "Twee partners die hun vrijheid bewaken: rustig, maar op een voorzichtige afstand.",
    },
    "secure-anxious": {
        "en": "A secure partner with an anxious one: reassurance keeps the fear small.",
        "nl": "Een veilig gehechte partner met een angstige: geruststelling houdt de angst klein.",
    },
    "secure-avoidant": {
        "en": "A secure partner with an avoidant one: room is given, and the pair finds its distance.",
        "nl": "Een veilig gehechte partner met een vermijdende: er wordt ruimte gegeven en het paar vindt zijn afstand.",
    },
    "intense-trap": {
        "en": "A strong trap: the highest fear on both sides; the rounds wear the bond down, and over months the doubt grows until it tips into a break-up.",
        "nl": "Een sterke valkuil: de grootste angst aan beide kanten; de rondes slijten de band, en in de loop van maanden groeit de twijfel tot die omslaat in een breuk.",
    },
    "fearful-fearful": {
        "en": "Two fearful partners, each both longing and afraid: closeness and distance both hurt.",
        "nl": "Twee angstig-vermijdende partners, allebei verlangend en bang: nabijheid en afstand doen allebei pijn.",
    },
}
"""Name -> one-line description in English and Dutch."""


def base_couple(base: object = None) -> Couple:
    """``base``, or the classic trap when it is None; a ValueError for anything but a :class:`Couple`.

    The default couple of every analysis that varies parameters around one (maps, continuation,
    diagrams, fits, sensitivity)."""
    base = PRESETS[CLASSIC] if base is None else base
    if not isinstance(base, Couple):
        raise ValueError(f"base must be a sim.Couple, got {base!r}")
    return base
