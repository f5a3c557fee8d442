"""Visible signals: the model's state turned into what a partner would visibly do.

The article lists concrete signs of withdrawal and, by implication, of pursuit. A signal is emitted
when a behaviour starts. A partner's ``move`` (the effort beyond the calm pull of longing, see
:attr:`sim.Result.move`) is read as a zig-zag of rounds: a turn counts once the move has come back
from its last extreme by ``TURN``, so every round of the dance is a falling phase (pulling away)
and a rising phase (reaching out). A falling phase that goes below ``WITHDRAW_AT`` is a visible
withdrawal, and the turn that ends it a return; a rising phase above ``PURSUE_AT`` while the fear
of being left is above ``PURSUIT_FEAR`` is visible pursuit; a doubt above ``DOUBT_AT`` shows as
wondering whether to stay or go. Rounds matter because in a strong trap the withdrawer never comes
all the way back to calm between rounds, nor does the pursuer calm down: a fixed level alone would
name the first round and miss every later one. Which sign is named depends on how strong the
driving fear is; within one strength the signs take turns, so a run reads like a story rather
than one phrase repeated.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .dynamics import TIP
from .partners import PARTNER_PARAMS

__all__ = ["DOUBT_AT", "FEELINGS", "SIGNALS", "TIP", "Signal", "detect_signals", "signal_text"]

# TIP (the doubt past which a partner has decided to go) is the model's; it is named here because
# it is read, like DOUBT_AT, as a signal.

AWAY = 0.1
"""An effort this far below 0 (closeness per day) is a visible move away: not answering, leaving the room."""
CALM_PULL = max(PARTNER_PARAMS["longing"].derive(x, y) * PARTNER_PARAMS["responsiveness"].derive(x, y)
                for x in (0.0, 1.0) for y in (0.0, 1.0))
"""The largest calm pull ``k w`` of a partner with derived parameters (0.26 closeness per day)."""
WITHDRAW_AT = -(AWAY + CALM_PULL)
"""A move below this (closeness per day beyond the calm pull; -0.36) is a visible withdrawal.

``move`` is measured from the calm pull ``k w``, so a move of ``-k w`` is no effort at all; only
below ``-(k w + AWAY)`` does a partner actually move away. Taking the largest derived calm pull
means a withdrawal signal always is a real move away, never only a little less warmth: a secure
partner who feels the rush of an intimate moment and reaches out a little less does not
'withdraw'."""
PURSUE_AT = 0.25
"""A move above this (beyond the calm pull), driven by abandonment fear above PURSUIT_FEAR, is visible pursuit."""
PURSUIT_FEAR = 0.3
TURN = 0.1
"""A move has turned once it has come back from its last extreme by this much (closeness per day):
smaller wiggles are not a new round."""
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


def _turns(m: np.ndarray, h: float) -> tuple[list[int], int]:
    """Prominent turning points of ``m`` (shape (n + 1,)), with hysteresis ``h``.

    Returns the indices at which the phases begin (0 first) and the direction of the first phase
    (+1 rising, -1 falling; phases alternate). A phase ends at the extreme from which ``m`` has
    come back by more than ``h``. Only local extremes can be turning points, so the loop runs over
    those, not over every step.
    """
    d = np.diff(m)
    local = np.flatnonzero(((d[:-1] > 0) & (d[1:] <= 0)) | ((d[:-1] < 0) & (d[1:] >= 0))) + 1
    candidates = [*local.tolist(), m.size - 1]
    starts = [0]
    first = 0
    direction = 0
    hi = lo = 0
    for i in candidates:
        v = m[i]
        if direction >= 0 and v > m[hi]:
            hi = i
        if direction <= 0 and v < m[lo]:
            lo = i
        if direction == 0:
            if m[hi] > m[lo] + h:  # the first phase ends at the earlier of the two extremes
                direction = 1 if lo < hi else -1
                first = -direction
                starts.append(min(lo, hi))
                lo = hi = max(lo, hi)
        elif direction > 0 and v < m[hi] - h:
            starts.append(hi)
            direction, lo = -1, i
        elif direction < 0 and v > m[lo] + h:
            starts.append(lo)
            direction, hi = 1, i
    if direction == 0:
        first = 1 if m[-1] >= m[0] else -1
    return starts, first


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
        m = np.asarray(move[who], dtype=float)
        starts, direction = _turns(m, TURN)
        bounds = [*starts, m.size]
        withdrew = False
        for begin, end in zip(bounds[:-1], bounds[1:], strict=True):
            phase = slice(begin, end)
            if direction < 0:
                hits = np.flatnonzero(m[phase] < WITHDRAW_AT)
                withdrew = bool(hits.size)
                if withdrew:
                    emit(begin + int(hits[0]), who, "withdraw", float(engulfment[who][begin + int(hits[0])]))
            else:
                if withdrew:
                    back = np.flatnonzero(m[phase] > m[begin] + TURN)
                    if back.size:
                        emit(begin + int(back[0]), who, "return", 0.0)
                hits = np.flatnonzero((m[phase] > PURSUE_AT) & (abandonment[who][phase] > PURSUIT_FEAR))
                if hits.size:
                    emit(begin + int(hits[0]), who, "pursue", float(abandonment[who][begin + int(hits[0])]))
                withdrew = False
            direction = -direction
        doubting = doubt[who] > DOUBT_AT
        for s in np.flatnonzero(doubting[1:] & ~doubting[:-1]) + 1:
            emit(int(s), who, "despair", float(abandonment[who][s]))
    out.sort(key=lambda sig: (sig.t, sig.partner))
    return tuple(out)
