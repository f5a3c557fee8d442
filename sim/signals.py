"""Visible signals: the model's state turned into what a partner would visibly do.

The article lists concrete signs of withdrawal and, by implication, of pursuit. A signal is emitted
when a behaviour starts: a partner's move crosses into clear withdrawal, into fear-driven pursuit,
into doubt (whether to stay or go), or back toward the other after a withdrawal. Which
sign is named depends on how strong the driving fear is; within one strength the signs take turns,
so a run reads like a story rather than one phrase repeated.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["FEELINGS", "SIGNALS", "Signal", "detect_signals", "signal_text"]

WITHDRAW_AT = -0.1
"""A move below this (closeness per day) is a visible withdrawal."""
PURSUE_AT = 0.25
"""A move above this, driven by abandonment fear above PURSUIT_FEAR, is visible pursuit."""
PURSUIT_FEAR = 0.3
DOUBT_AT = 0.3
"""Doubt above this: 'do I stay or do I go?' is felt and shows."""
LEVELS = (0.4, 0.8)
"""Fear levels separating mild, clear and strong signals."""


class Signal(NamedTuple):
    """One visible behaviour: day ``t``, ``partner`` 0 (a) or 1 (b), and a key into SIGNALS."""

    t: float
    partner: int
    key: str


def _s(kind: str, level: int, en: str, nl: str) -> dict[str, object]:
    return {"kind": kind, "level": level, "en": en, "nl": nl}


SIGNALS: dict[str, dict[str, object]] = {
    # withdrawal, mild
    "reply_late": _s("withdraw", 0, "answers messages late, or not at all",
                     "reageert laat op berichten, of helemaal niet"),
    "cuts_talk_short": _s("withdraw", 0, "cuts a conversation short", "kapt een gesprek af"),
    "screen_escape": _s("withdraw", 0, "disappears into the phone or the TV",
                        "verdwijnt in de telefoon of de tv"),
    "jokes_depth_away": _s("withdraw", 0, "makes a joke when the talk gets deep",
                           "maakt een grapje zodra het gesprek diep wordt"),
    # withdrawal, clear
    "fills_time": _s("withdraw", 1, "fills the evenings with work, sport or friends",
                     "vult de avonden met werk, sport of vrienden"),
    "needs_air": _s("withdraw", 1, "says 'I need some air' and goes for a walk alone",
                    "zegt 'ik moet er even uit' en gaat alleen wandelen"),
    "sits_apart": _s("withdraw", 1, "sits apart, touches less, arms crossed",
                     "zit apart, raakt minder aan, armen over elkaar"),
    "needs_space": _s("withdraw", 1, "says vaguely 'I need space'", "zegt vaag 'ik heb ruimte nodig'"),
    "dodges_future": _s("withdraw", 1, "changes the subject when the future comes up",
                        "ontwijkt het gesprek zodra het over de toekomst gaat"),
    # withdrawal, strong
    "silent_treatment": _s("withdraw", 2, "goes silent and keeps it up", "valt stil en houdt dat vol"),
    "stays_out": _s("withdraw", 2, "stays out late to avoid coming home",
                    "blijft laat weg om thuis niets te hoeven"),
    "snaps": _s("withdraw", 2, "snaps to end the conversation", "reageert geïrriteerd om het gesprek te stoppen"),
    "nothing_wrong": _s("withdraw", 2, "says nothing is wrong while the distance is felt",
                        "zegt dat er niets aan de hand is terwijl de afstand voelbaar is"),
    # pursuit, mild
    "extra_message": _s("pursue", 0, "sends one more message to check in",
                        "stuurt nog een berichtje om te horen hoe het gaat"),
    "asks_reassurance": _s("pursue", 0, "asks 'are we okay?'", "vraagt 'is alles goed tussen ons?'"),
    # pursuit, clear
    "repeated_calls": _s("pursue", 1, "calls and texts again and again",
                         "belt en appt steeds opnieuw"),
    "follows": _s("pursue", 1, "follows the partner into the other room",
                  "loopt de partner achterna naar de andere kamer"),
    "checks": _s("pursue", 1, "checks where the partner is and with whom",
                 "checkt waar de partner is en met wie"),
    # pursuit, strong
    "reproach": _s("pursue", 2, "criticises and reproaches: 'you never...'",
                   "bekritiseert en verwijt: 'jij doet nooit...'"),
    "demands_talk": _s("pursue", 2, "demands a talk, now", "eist een gesprek, nu meteen"),
    # despair and return
    "gives_up": _s("despair", 1, "gives up reaching out and goes quiet, hurt",
                   "geeft het op om contact te zoeken en wordt stil, gekwetst"),
    "doubts_staying": _s("despair", 1, "wonders out loud whether to stay or to go",
                         "vraagt zich hardop af of blijven nog zin heeft"),
    "comes_back": _s("return", 0, "comes back: seeks contact again", "komt terug: zoekt weer contact"),
}
"""Signal key -> kind ("withdraw", "pursue", "despair", "return"), strength level and texts."""

FEELINGS: dict[str, dict[str, dict[str, str]]] = {
    "withdraw": {
        "self": {"en": "relief: distance feels safe, back in control",
                 "nl": "opluchting: afstand voelt veilig, weer controle"},
        "other": {"en": "rejection: as if there is no room for connection",
                  "nl": "afwijzing: alsof er geen plek meer is voor verbinding"},
    },
    "pursue": {
        "self": {"en": "fear of losing the other; reaching out is the only way to calm down",
                 "nl": "angst om de ander kwijt te raken; contact zoeken is de enige manier om rustig te worden"},
        "other": {"en": "pressure: as if there is no air, the alarm goes off",
                  "nl": "druk: alsof er geen lucht meer is, het alarm gaat af"},
    },
    "despair": {
        "self": {"en": "hopeless and tired: what is the use",
                 "nl": "hopeloos en moe: wat heeft het voor zin"},
        "other": {"en": "calm at last, and a little lonely",
                  "nl": "eindelijk rust, en een beetje eenzaam"},
    },
    "return": {
        "self": {"en": "longing again, now that it feels safe",
                 "nl": "weer verlangen, nu het veilig voelt"},
        "other": {"en": "hope: the other is back", "nl": "hoop: de ander is terug"},
    },
}
"""Signal kind -> how it feels to the one who does it ("self") and to the partner ("other")."""

_BY_BAND: dict[tuple[str, int], list[str]] = {}
for _key, _entry in SIGNALS.items():
    _BY_BAND.setdefault((str(_entry["kind"]), int(_entry["level"])), []).append(_key)  # type: ignore[call-overload]


def signal_text(key: str, lang: str = "en") -> str:
    """The text of a signal in "en" or "nl"."""
    return str(SIGNALS[key][lang])


def _level(fear: float) -> int:
    return int(fear >= LEVELS[0]) + int(fear >= LEVELS[1])


def detect_signals(t: np.ndarray, move: np.ndarray, engulfment: np.ndarray, abandonment: np.ndarray,
                   doubt: np.ndarray) -> tuple[Signal, ...]:
    """Signals of one run, in time order.

    Parameters
    ----------
    t : array (n + 1,), days
    move, engulfment, abandonment, doubt : arrays (2, n + 1), rows partner a and b
    """
    out: list[Signal] = []
    turns: dict[tuple[int, str, int], int] = {}

    def emit(step: int, who: int, kind: str, fear: float) -> None:
        level = _level(fear)
        band = _BY_BAND.get((kind, level)) or _BY_BAND[(kind, 1 if kind == "despair" else 0)]
        k = turns.get((who, kind, level), 0)
        turns[(who, kind, level)] = k + 1
        out.append(Signal(float(t[step]), who, band[k % len(band)]))

    for who in (0, 1):
        m = move[who]
        withdrawing = m < WITHDRAW_AT
        pursuing = (m > PURSUE_AT) & (abandonment[who] > PURSUIT_FEAR)
        despair = doubt[who] > DOUBT_AT
        for mask, kind, fear in ((withdrawing, "withdraw", engulfment[who]),
                                 (pursuing, "pursue", abandonment[who]),
                                 (despair, "despair", abandonment[who])):
            starts = np.flatnonzero(mask[1:] & ~mask[:-1]) + 1
            for s in starts:
                emit(int(s), who, kind, float(fear[s]))
        ends = np.flatnonzero(~withdrawing[1:] & withdrawing[:-1]) + 1
        for s in ends:
            later = np.flatnonzero(m[s:] > 0.0)
            if later.size:
                emit(int(s + later[0]), who, "return", 0.0)
    out.sort(key=lambda sig: (sig.t, sig.partner))
    return tuple(out)
