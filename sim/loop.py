"""The loop of the dance read from a run: which of its six links is active at each instant.

The workshop draws it as a cycle map (``ui/workshop/cycle.py``).

The loop has six nodes and six links, read clockwise::

    closeness -> alarm -> withdrawal -> abandonment fear -> pursuit -> pressure -> (closeness)

Alarm, withdrawal and pressure belong to the withdrawer (w), abandonment fear and pursuit to the
pursuer (p). Which link is active is read from the model, not from the clock: a link is active when
its cause is present and its effect is growing, and the active one is the link whose effect grows
fastest (all rates per day, with the partners' effective parameters; an event's jump is never
counted as growth):

=====  ================================  =====================================================
link   cause -> effect                   growth rate counted for it
=====  ================================  =====================================================
0      closeness -> alarm                rise of w's fear of closeness, share due to closeness
1      alarm -> withdrawal               fall of w's move, while w's alarm is above SAFE
2      withdrawal -> abandonment fear    rise of p's fear of being left, share due to w's withdrawal
3      abandonment fear -> pursuit       rise of p's move, while p's fear is above the pursuit level
4      pursuit -> pressure               rise of w's fear of closeness, share due to p's pursuit
5      pressure -> closeness             rise of closeness, while p pursues
=====  ================================  =====================================================

The moves, the fear of being left and closeness change as the model's own equations say
(``sim.dynamics.feel`` and ``sim.dynamics.act`` at each recorded instant). The fear of closeness
is the last stage of a delay chain whose first stages a :class:`Result` does not keep, so its
rise is read from the recorded curve (central differences, one-sided next to an event's jump).

No link is active (:data:`CALM`) while both roles' fears are below ``sim.metrics.SAFE`` or the
state is at rest; when fears are in play but no link grows faster than :data:`LINK_RATE`, the loop
pauses (:data:`EBB`: the fear lingers, but nothing grows). In the classic trap the loop never
pauses: it goes round 0, 1, 2, 3, 5 (the pursuit raises closeness faster than it raises pressure);
pauses come in strong traps after a break-up, while the one who stays still fears being left.
"""

from __future__ import annotations

import numpy as np

from .dynamics import GB, GE, HB, HE, HI, LO, TB, TM, K, W, act, feel, phi
from .metrics import SAFE
from .result import Result
from .signals import PURSUE_AT, PURSUIT_FEAR

__all__ = ["CALM", "EBB", "LINK_RATE", "NODES", "OWNER", "REST", "choose_links", "link_rates", "link_states"]

NODES = ("closeness", "alarm", "withdrawal", "abandonment", "pursuit", "pressure")
"""The loop's nodes, clockwise; link k runs from NODES[k] to NODES[(k + 1) % 6]."""
OWNER = (None, "w", "w", "p", "p", "w")
"""Whose feeling or behaviour each node is (None: shared)."""
CALM = -1
"""No link active: fears are low or the state is at rest."""
EBB = -2
"""Fears are in play but nothing grows: the loop pauses."""
LINK_RATE = 0.02
"""A link counts as active when its effect grows faster than this (per day)."""
REST = 0.01
"""The state is at rest when nothing changes faster than this (per day)."""

def _efforts(result: Result, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each partner's effort ``m`` and move ``n = m - k w`` as the equations see them, shapes (2, n + 1).

    ``Result.move`` is the effort beyond the calm pull ``k w`` of the partners as given; the
    equations measure a move from the calm pull of the parameters in force (``params``, shape
    (n + 1, 2, P)), which coaching changes.
    """
    calm = [p.params()["responsiveness"] * p.params()["longing"] for p in (result.couple.a, result.couple.b)]
    effort = np.asarray(result.move) + np.array(calm)[:, None]
    return effort, effort - (params[:, :, K] * params[:, :, W]).T


def _slope(values: np.ndarray, result: Result) -> np.ndarray:
    """Time derivative (per day) of a recorded curve (..., n + 1), without the jumps of events.

    Central differences, one-sided on either side of an event (applied between instant
    ``round(at / dt)`` and the next), one-sided at the ends.
    """
    dt = result.dt
    forward = np.diff(values, axis=-1, append=values[..., -1:]) / dt
    backward = np.diff(values, axis=-1, prepend=values[..., :1]) / dt
    out = 0.5 * (forward + backward)
    out[..., 0], out[..., -1] = forward[..., 0], backward[..., -1]
    for event in result.events:
        k = int(round(event.at / dt))
        if 0 <= k < result.steps:
            out[..., k] = backward[..., k]
            if k + 1 < result.steps:
                out[..., k + 1] = forward[..., k + 1]
    return out


def _rates(result: Result, params: np.ndarray) -> dict[str, np.ndarray]:
    """Time derivatives (per day) of closeness, efforts and fears.

    Closeness, the efforts and the fear of being left from the model's equations, evaluated at every
    recorded instant with the parameters in force then (so that the jump of an event is not mistaken
    for growth); the fear of closeness from its recorded curve (see :func:`_slope`). Returns arrays:
    ``c`` (n + 1,), ``m``, ``e``, ``b`` (2, n + 1).
    """
    ceiling = float(result.couple.fear_ceiling)
    c = np.asarray(result.closeness)
    (m, n), e, b, d = _efforts(result, params), result.engulfment, result.abandonment, result.doubt
    out: dict[str, np.ndarray] = {"c": m[0] + m[1] - float(result.couple.fading) * c}
    dm, db = np.empty_like(m), np.empty_like(b)
    for i in (0, 1):
        p = params[:, i, :].T
        _, fear = feel(c, n[i], n[1 - i], p, ceiling)
        dm[i] = (act(c, e[i], b[i], d[i], d[1 - i], p) - m[i]) / p[TM]
        db[i] = (fear - b[i]) / p[TB]
    out.update(m=dm, e=_slope(np.asarray(e), result), b=db)
    return out


def link_rates(result: Result, withdrawer: int, pursuer: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How fast each link's effect grows now, whether the state moves, and whether fear is in play.

    Parameters
    ----------
    result : a run (arrays of n + 1 instants)
    withdrawer, pursuer : partner indices (0 = a, 1 = b) in the roles of the loop

    Returns
    -------
    rates : array (6, n + 1), growth per day of each link's effect (>= 0), see the module table
    moving : array (n + 1,), the fastest change of closeness, the moves and the fears (per day)
    in_play : array (n + 1,) of bool, the withdrawer's fear of closeness or the pursuer's fear of
        being left is above SAFE
    """
    w, p = withdrawer, pursuer
    params = result.params_in_force()
    pw, pp = params[:, w, :], params[:, p, :]
    c = np.asarray(result.closeness)
    _, move = _efforts(result, params)
    e_w, b_p = result.engulfment[w], result.abandonment[p]
    close = pw[:, GE] * phi(c - pw[:, HI])
    press = pw[:, HE] * phi(move[p])
    far = pp[:, GB] * phi(pp[:, LO] - c)
    left = pp[:, HB] * phi(-move[w])
    d = _rates(result, params)
    share_close = close / np.maximum(close + press, 1e-12)
    share_left = left / np.maximum(far + left, 1e-12)
    rates = np.stack([
        np.maximum(d["e"][w], 0.0) * share_close * (close > 0.0),
        np.maximum(-d["m"][w], 0.0) * (e_w > SAFE),
        np.maximum(d["b"][p], 0.0) * share_left * (left > 0.0),
        np.maximum(d["m"][p], 0.0) * (b_p > PURSUIT_FEAR),
        np.maximum(d["e"][w], 0.0) * (1.0 - share_close) * (press > 0.0),
        np.maximum(d["c"], 0.0) * (result.move[p] > PURSUE_AT),
    ])
    moving = np.max(np.abs(np.vstack([d["c"][None, :], d["m"], d["e"], d["b"]])), axis=0)
    in_play = (e_w > SAFE) | (b_p > SAFE)
    return rates, moving, in_play


def choose_links(rates: np.ndarray, moving: np.ndarray, in_play: np.ndarray) -> np.ndarray:
    """The active link at each instant: 0..5, :data:`EBB` or :data:`CALM`.

    Parameters
    ----------
    rates : array (6, n), growth per day of each link's effect
    moving : array (n,), fastest change of the state (per day)
    in_play : array (n,) of bool, fear above the safe level

    Returns
    -------
    array (n,) of int
    """
    rates = np.asarray(rates, dtype=float)
    best = np.argmax(rates, axis=0)
    top = np.max(rates, axis=0)
    out = np.where(top > LINK_RATE, best, EBB)
    calm = ~np.asarray(in_play, dtype=bool) | (np.asarray(moving) < REST)
    return np.where(calm, CALM, out).astype(int)


def link_states(result: Result, withdrawer: int, pursuer: int) -> np.ndarray:
    """The active link of the loop at every instant of ``result``, shape (n + 1,); see :func:`choose_links`."""
    return choose_links(*link_rates(result, withdrawer, pursuer))
