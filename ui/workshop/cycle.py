"""The cycle map: the loop of the dance as a diagram, with the link that is active at a moment lit up.

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
is the last stage of a delay chain whose first stages a :class:`sim.Result` does not keep, so its
rise is read from the recorded curve (central differences, one-sided next to an event's jump).

No link is active (:data:`CALM`) while both roles' fears are below ``sim.metrics.SAFE`` or the
state is at rest; when fears are in play but no link grows faster than :data:`LINK_RATE`, the loop
pauses (:data:`EBB`: the fear lingers, but nothing grows). In the classic trap the loop never
pauses: it goes round 0, 1, 2, 3, 5 (the pursuit raises closeness faster than it raises pressure);
pauses come in strong traps after a break-up, while the one who stays still fears being left.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

import sim
from sim.dynamics import GB, GE, HB, HE, HI, LO, TB, TM, K, W, act, feel, phi
from sim.metrics import SAFE
from sim.plots.palette import CLOSENESS_COLOR, PARTNER_COLORS
from sim.signals import PURSUE_AT, PURSUIT_FEAR

from .texts import plain, short, text

__all__ = ["CALM", "EBB", "LINK_RATE", "NODES", "REST", "choose_links", "draw_cycle_map", "link_rates",
           "link_states"]

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

INACTIVE = "#c8c8c8"
ACTIVE_GLOW = "#FFD23F"


def _efforts(result: sim.Result, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each partner's effort ``m`` and move ``n = m - k w`` as the equations see them, shapes (2, n + 1).

    ``Result.move`` is the effort beyond the calm pull ``k w`` of the partners as given; the
    equations measure a move from the calm pull of the parameters in force (``params``, shape
    (n + 1, 2, P)), which coaching changes.
    """
    calm = [p.params()["responsiveness"] * p.params()["longing"] for p in (result.couple.a, result.couple.b)]
    effort = np.asarray(result.move) + np.array(calm)[:, None]
    return effort, effort - (params[:, :, K] * params[:, :, W]).T


def _slope(values: np.ndarray, result: sim.Result) -> np.ndarray:
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


def _rates(result: sim.Result, params: np.ndarray) -> dict[str, np.ndarray]:
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


def link_rates(result: sim.Result, withdrawer: int, pursuer: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def link_states(result: sim.Result, withdrawer: int, pursuer: int) -> np.ndarray:
    """The active link of the loop at every instant of ``result``, shape (n + 1,); see :func:`choose_links`."""
    return choose_links(*link_rates(result, withdrawer, pursuer))


RADII = (1.5, 1.22)
"""Half-axes of the (slightly wide) ring of nodes, in drawing units."""
XLIM, YLIM = 2.12, 1.72
"""Half-width and half-height of the drawing area."""
BOX = (1.0, 0.46)
"""Width and height of a node's box (drawing units)."""


def _node_angle(k: int) -> float:
    """Nodes go clockwise from the upper left (closeness), so that no two boxes crowd at the top or bottom."""
    return 2.0 * np.pi / 3.0 - 2.0 * np.pi * k / len(NODES)


def _on_ring(angle: float) -> tuple[float, float]:
    return RADII[0] * float(np.cos(angle)), RADII[1] * float(np.sin(angle))


def _exit_angle(k: int, direction: int, margin: float = 0.05) -> float:
    """The angle at which the ring leaves node k's box, going clockwise (-1) or counter-clockwise (+1)."""
    center = np.array(_on_ring(_node_angle(k)))
    half = np.array(BOX) / 2.0 + margin
    for step in np.linspace(0.0, np.pi / 3.0, 400):
        angle = _node_angle(k) + direction * step
        if np.any(np.abs(np.array(_on_ring(angle)) - center) > half):
            return angle
    return _node_angle(k) + direction * np.pi / 6.0


def _arc(k: int) -> Path:
    """The ring between node k and node k + 1 (clockwise), from box edge to box edge."""
    angles = np.linspace(_exit_angle(k, -1), _exit_angle(k + 1, +1), 40)
    return Path(np.column_stack([RADII[0] * np.cos(angles), RADII[1] * np.sin(angles)]))


def _owner_color(owner: str | None, withdrawer: int, pursuer: int) -> str:
    if owner is None:
        return CLOSENESS_COLOR
    return PARTNER_COLORS[withdrawer if owner == "w" else pursuer]


def draw_cycle_map(active: int, names: tuple[str, str], withdrawer: int, pursuer: int, lang: str = "en",
                   *, size: float = 6.4, title: bool = True) -> Figure:
    """Draw the loop with link ``active`` (0..5, EBB or CALM) highlighted.

    Parameters
    ----------
    active : the active link (see :func:`link_states`)
    names : the partners' names (a, b)
    withdrawer, pursuer : partner indices in the roles of the loop
    lang : "en" or "nl"
    size : width of the square figure in inches
    title : draw the title above the loop

    Returns
    -------
    Figure, a little wider than high, white background. The lit link is thick, in the colour of the partner whose
    feeling or behaviour it drives, over a yellow glow; the nodes it joins are filled.
    """
    band = 0.5 if title else 0.0
    tall = size * YLIM / XLIM + band
    fig = Figure(figsize=(size, tall), dpi=100)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0 - band / tall))
    ax.set_xlim(-XLIM, XLIM)
    ax.set_ylim(-YLIM, YLIM)
    ax.set_aspect("equal")
    ax.axis("off")
    scale = size / 6.4
    who = {"w": plain(short(names[withdrawer], 9)), "p": plain(short(names[pursuer], 9))}
    for k in range(len(NODES)):
        lit = active == k
        color = _owner_color(OWNER[(k + 1) % len(NODES)], withdrawer, pursuer) if lit else INACTIVE
        if lit:
            ax.add_patch(FancyArrowPatch(path=_arc(k), arrowstyle="-", linewidth=24 * scale, color=ACTIVE_GLOW,
                                         alpha=0.75, zorder=1))
        head = "head_length=0.9,head_width=0.6" if lit else "head_length=0.6,head_width=0.35"
        ax.add_patch(FancyArrowPatch(path=_arc(k), arrowstyle=f"-|>,{head}", mutation_scale=(26 if lit else 18) * scale,
                                     linewidth=(7 if lit else 3) * scale, color=color, zorder=2))
    for k, node in enumerate(NODES):
        x, y = _on_ring(_node_angle(k))
        owner = OWNER[k]
        color = _owner_color(owner, withdrawer, pursuer)
        touched = active >= 0 and k in (active, (active + 1) % len(NODES))
        label = text(f"node_{node}", lang)
        if owner is not None:
            label = f"{label}\n({who[owner]})"
        width, height = BOX
        ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                    boxstyle="round,pad=0.03,rounding_size=0.1",
                                    facecolor=color if touched else "white", edgecolor=color,
                                    linewidth=3.0 * scale, zorder=3))
        ax.text(x, y, label, ha="center", va="center", fontsize=16.5 * scale, fontweight="bold",
                color="white" if touched else color, zorder=4, linespacing=1.05)
    if active >= 0:
        middle = text(f"link_{active}", lang, w=who["w"], p=who["p"])
    else:
        middle = text("link_calm" if active == CALM else "link_ebb", lang, w=who["w"], p=who["p"])
    ax.text(0.0, 0.0, middle, ha="center", va="center", fontsize=16.5 * scale, color="#222222",
            linespacing=1.25, zorder=4)
    if title:
        fig.text(0.5, 1.0 - 0.5 * band / tall, text("cycle_title", lang), ha="center", va="center",
                 fontsize=21 * scale, fontweight="bold", color="#222222")
    return fig


def describe(active: int, names: tuple[str, str], withdrawer: int, pursuer: int, lang: str = "en") -> str:
    """The sentence of the active link (or of the calm or ebbing loop), for the page under the map."""
    fields: dict[str, Any] = {"w": names[withdrawer], "p": names[pursuer]}
    if active >= 0:
        return text(f"link_{active}", lang, **fields).replace("\n", " ")
    return text("link_calm" if active == CALM else "link_ebb", lang, **fields).replace("\n", " ")
