"""The cycle map: the loop of the dance as a diagram, with the link that is active at a moment lit up.

The loop itself (six nodes, clockwise: closeness -> alarm -> withdrawal -> abandonment fear ->
pursuit -> pressure, and which link is active at an instant of a run) is read from the model by
:mod:`sim.loop`, whose names this module passes on; here it is drawn, with the nodes in the colour of
the partner whose feeling or behaviour they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from sim.loop import CALM, EBB, LINK_RATE, NODES, OWNER, REST, choose_links, link_rates, link_states
from sim.plots.palette import CLOSENESS_COLOR, PARTNER_COLORS

from .texts import plain, short, text

__all__ = ["CALM", "EBB", "LINK_RATE", "NODES", "REST", "choose_links", "draw_cycle_map", "link_rates",
           "link_states"]

INACTIVE = "#c8c8c8"
ACTIVE_GLOW = "#FFD23F"



RADII = (1.5, 1.22)
"""Half-axes of the (slightly wide) ring of nodes, in drawing units."""
XLIM, YLIM = 2.12, 1.72
"""Half-width and half-height of the drawing area."""
BOX = (1.0, 0.46)
"""Width and height of a node's box (drawing units), for a label of up to three lines."""
LINE = 0.17
"""Height a node's box grows by for each line of its label past the third ("angst om / verlaten / te worden")."""


def _node_angle(k: int) -> float:
    """Nodes go clockwise from the upper left (closeness), so that no two boxes crowd at the top or bottom."""
    return 2.0 * np.pi / 3.0 - 2.0 * np.pi * k / len(NODES)


def _on_ring(angle: float) -> tuple[float, float]:
    return RADII[0] * float(np.cos(angle)), RADII[1] * float(np.sin(angle))


def _box(label: str) -> tuple[float, float]:
    """Width and height of the box of a node whose label is ``label`` (BOX, taller past three lines)."""
    return BOX[0], BOX[1] + LINE * max(0, label.count("\n") - 2)


def _exit_angle(k: int, direction: int, box: tuple[float, float] = BOX, margin: float = 0.05) -> float:
    """The angle at which the ring leaves node k's ``box``, going clockwise (-1) or counter-clockwise (+1)."""
    center = np.array(_on_ring(_node_angle(k)))
    half = np.array(box) / 2.0 + margin
    for step in np.linspace(0.0, np.pi / 3.0, 400):
        angle = _node_angle(k) + direction * step
        if np.any(np.abs(np.array(_on_ring(angle)) - center) > half):
            return angle
    return _node_angle(k) + direction * np.pi / 6.0


def _arc(k: int, boxes: list[tuple[float, float]]) -> Path:
    """The ring between node k and node k + 1 (clockwise), from box edge to box edge (``boxes``: each node's)."""
    nxt = (k + 1) % len(NODES)
    angles = np.linspace(_exit_angle(k, -1, boxes[k]), _exit_angle(k + 1, +1, boxes[nxt]), 40)
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
    labels = [text(f"node_{node}", lang) + (f"\n({who[owner]})" if owner is not None else "")
              for node, owner in zip(NODES, OWNER, strict=True)]
    boxes = [_box(label) for label in labels]
    for k in range(len(NODES)):
        lit = active == k
        color = _owner_color(OWNER[(k + 1) % len(NODES)], withdrawer, pursuer) if lit else INACTIVE
        if lit:
            ax.add_patch(FancyArrowPatch(path=_arc(k, boxes), arrowstyle="-", linewidth=24 * scale, color=ACTIVE_GLOW,
                                         alpha=0.75, zorder=1))
        head = "head_length=0.9,head_width=0.6" if lit else "head_length=0.6,head_width=0.35"
        ax.add_patch(FancyArrowPatch(path=_arc(k, boxes), arrowstyle=f"-|>,{head}",
                                     mutation_scale=(26 if lit else 18) * scale, linewidth=(7 if lit else 3) * scale,
                                     color=color, zorder=2))
    for k, (label, (width, height)) in enumerate(zip(labels, boxes, strict=True)):
        x, y = _on_ring(_node_angle(k))
        color = _owner_color(OWNER[k], withdrawer, pursuer)
        touched = active >= 0 and k in (active, (active + 1) % len(NODES))
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
