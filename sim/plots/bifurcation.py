"""Bifurcation-diagram figure: resting closeness with its stability, the simulated rounds, Hopf and saddle-node points.

Along the parameter: the resting state's closeness as a black line, solid where it is stable and
dashed where it is not; for each simulated couple a vertical bar from the lowest to the highest
closeness of its late window, in its verdict's colour (a dot where it settles); the Hopf points as
solid and the saddle-node points as dashed vertical grey lines. Draws on
:class:`matplotlib.figure.Figure`, never ``pyplot``.

Example::

    import sim
    from sim.plots.bifurcation import bifurcation_figure
    bifurcation_figure(sim.bifurcation_diagram("a.anxiety"), lang="nl").savefig("bifurcation.png")
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..bifurcation import BifurcationDiagram
from ..sweep import resolve
from ..verdict import VERDICTS
from .palette import VERDICT_COLORS
from .regime import REGIME_TEXT

__all__ = ["BIFURCATION_TEXT", "bifurcation_figure", "draw_bifurcation"]

BIFURCATION_TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Resting state and rounds along {param}", "nl": "Rustpunt en rondes langs {param}"},
    "closeness": {"en": "Closeness", "nl": "Nabijheid"},
    "stable": {"en": "resting state, stable", "nl": "rustpunt, stabiel"},
    "unstable": {"en": "resting state, unstable", "nl": "rustpunt, instabiel"},
    "rounds": {"en": "simulated range of closeness ({verdict})", "nl": "gesimuleerde nabijheid ({verdict})"},
    "hopf": {"en": "Hopf point: rounds start to grow", "nl": "Hopf-punt: rondes gaan groeien"},
    "saddle_node": {"en": "saddle-node: a resting point vanishes", "nl": "zadel-knoop: een rustpunt verdwijnt"},
}
"""Key -> text per language ("en", "nl") of every word drawn in this figure (the verdicts' words
come from :data:`sim.plots.regime.REGIME_TEXT`)."""


def _masked(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    out = np.array(values, dtype=float)
    out[~keep] = np.nan
    return out


def _widened(mask: np.ndarray) -> np.ndarray:
    """``mask`` and its neighbours: a stretch of the line with one more point at each end."""
    return mask | np.r_[mask[1:], False] | np.r_[False, mask[:-1]]


def draw_bifurcation(ax: Any, diagram: BifurcationDiagram, *, lang: str = "en", size: float = 11.0) -> None:
    """Draw ``diagram`` on ``ax`` (see the module docstring), with axis labels and a legend."""
    x = diagram.values
    rest = diagram.continuation.closeness
    stable = diagram.continuation.stable
    handles: list[Any] = []
    for verdict in VERDICTS:
        own = diagram.verdict == verdict
        if not own.any():
            continue
        color = VERDICT_COLORS[verdict]
        ax.vlines(x[own], diagram.low[own], diagram.high[own], color=color, linewidth=2.0, alpha=0.8)
        ax.scatter(x[own], diagram.low[own], color=color, s=6, zorder=3)
        ax.scatter(x[own], diagram.high[own], color=color, s=6, zorder=3)
        handles.append(Line2D([], [], color=color, linewidth=3.0, label=BIFURCATION_TEXT["rounds"][lang].format(
            verdict=REGIME_TEXT[verdict][lang])))
    # the resting state: solid where stable, dashed where not (each line carries one point beyond
    # its stretch, so that the two meet)
    ax.plot(x, _masked(rest, _widened(stable)), color="black", linewidth=2.0, zorder=4)
    ax.plot(x, _masked(rest, _widened(~stable)), color="black", linewidth=1.6, linestyle=(0, (4.0, 2.0)), zorder=4)
    handles += [Line2D([], [], color="black", linewidth=2.0, label=BIFURCATION_TEXT["stable"][lang]),
                Line2D([], [], color="black", linewidth=1.6, linestyle=(0, (4.0, 2.0)),
                       label=BIFURCATION_TEXT["unstable"][lang])]
    lines: list[tuple[np.ndarray, Any, str]] = [(diagram.hopf, "-", "hopf"),
                                                (diagram.saddle_node, (0, (4.0, 2.0)), "saddle_node")]
    for points, style, key in lines:
        for point in points:
            ax.axvline(point, color="#777777", linewidth=1.2, linestyle=style, zorder=1)
        if len(points):
            handles.append(Line2D([], [], color="#777777", linewidth=1.2, linestyle=style,
                                  label=BIFURCATION_TEXT[key][lang]))
    ax.set_xlabel(resolve(diagram.param).label(lang), fontsize=size)
    ax.set_ylabel(BIFURCATION_TEXT["closeness"][lang], fontsize=size)
    ax.set_xlim(x[0], x[-1])
    ax.tick_params(labelsize=size - 1)
    ax.legend(handles=handles, fontsize=size - 2, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2,
              frameon=False)  # below the axes: inside, it would hide the rounds


def bifurcation_figure(diagram: BifurcationDiagram, *, lang: str = "en", large: bool = False) -> Figure:
    """A new figure of ``diagram`` with a title naming the parameter."""
    fig = Figure(figsize=(10.0, 7.0) if large else (7.5, 5.6), layout="constrained")
    ax = fig.add_subplot()
    size = 15.0 if large else 11.0
    draw_bifurcation(ax, diagram, lang=lang, size=size)
    ax.set_title(BIFURCATION_TEXT["title"][lang].format(param=resolve(diagram.param).label(lang)), fontsize=size)
    return fig
