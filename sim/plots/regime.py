"""Regime-map figure: the simulated verdict over two parameters, with the analytic boundary drawn over it.

Each grid point of a :class:`sim.regime.RegimeMap` is painted in its verdict's colour
(``VERDICT_COLORS``: settles, cycles, escalates); the analytic boundary is drawn over it in its two
parts, each a black line with a white edge: the Hopf curve solid (where the rounds start to grow),
the saddle-node curve dashed (where a resting state appears or vanishes, as where the couple can no
longer stay). Grid points with several resting states are hatched (there the analysis follows one
of them, and the boundary can jump), and the base couple is a star. Draws on
:class:`matplotlib.figure.Figure`, never ``pyplot``.

Example::

    import sim
    from sim.regime import regime_map
    from sim.plots.regime import regime_figure
    regime_figure(regime_map(), lang="nl").savefig("regime.png")
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..regime import RegimeMap
from ..verdict import VERDICTS
from .palette import BOUNDARY_COLOR, VERDICT_COLORS

__all__ = ["REGIME_TEXT", "draw_regime_map", "regime_figure"]

REGIME_TEXT: dict[str, dict[str, str]] = {
    "settles": {"en": "settles", "nl": "komt tot rust"},
    "cycles": {"en": "cycles (the dance goes on)", "nl": "blijft rondgaan (de dans gaat door)"},
    "escalates": {"en": "escalates", "nl": "escaleert"},
    "hopf": {"en": "Hopf curve: rounds start to grow", "nl": "Hopf-grens: rondes gaan groeien"},
    "saddle_node": {"en": "saddle-node: a resting point vanishes", "nl": "zadel-knoop: een rustpunt verdwijnt"},
    "base": {"en": "base couple", "nl": "uitgangspaar"},
    "several": {"en": "several resting states (analysis shows one)",
                "nl": "meerdere rustpunten (de analyse toont er één)"},
    "title": {"en": "Where couples settle, cycle or escalate",
              "nl": "Waar paren tot rust komen, blijven rondgaan of escaleren"},
    "agreement": {"en": "simulation and analysis agree at {share:.1%} of the points",
                  "nl": "simulatie en analyse komen overeen op {share:.1%} van de punten"},
    "agreement_near": {
        "en": "simulation and analysis agree at {share:.1%} of the points, {near:.1%} next to the boundary",
        "nl": "simulatie en analyse komen overeen op {share:.1%} van de punten, {near:.1%} vlak bij de grens"},
}
"""Key -> text per language ("en", "nl") of every word drawn in this figure."""

HOPF_STYLE: Any = "-"
SADDLE_NODE_STYLE: Any = (0, (4.0, 2.0))
"""Line styles of the Hopf curve (solid) and the saddle-node curve (dashed)."""
BASE_MARKER = "*"
SEVERAL_HATCH = "///"
"""Hatching of the grid points with several resting states, where the analysis shows one of them."""

_CMAP = ListedColormap([VERDICT_COLORS[v] for v in VERDICTS])


def _edges(values: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """Outer edges of a grid axis: half a cell beyond the first and last value."""
    span = values[-1] - values[0] if values.size > 1 else 0.1 * max(high - low, 1e-9)
    half = 0.5 * span / max(values.size - 1, 1)
    return float(values[0] - half), float(values[-1] + half)


def draw_regime_map(ax: Any, regime: RegimeMap, *, lang: str = "en", boundary: bool = True,
                    base: bool = True, legend: bool = True, large: bool = False, legend_columns: int = 1) -> Any:
    """Draw ``regime`` into the matplotlib axes ``ax``; returns the image artist.

    Parameters
    ----------
    ax : a matplotlib Axes (of a :class:`~matplotlib.figure.Figure`)
    regime : the map to draw (arrays (ny, nx))
    lang : "en" or "nl"
    boundary : draw the analytic boundary, its Hopf and saddle-node curves (when the map was analysed)
    base : mark the base couple where it lies inside the map
    legend : add a legend of the verdict colours, the boundary and the base couple, below the axes
    large : bigger text and thicker lines, for a projector
    legend_columns : columns of the legend (2 fits under a map about 7 inches wide)
    """
    if lang not in ("en", "nl"):
        raise ValueError(f"lang must be 'en' or 'nl', got {lang!r}")
    rx, ry = regime.x_param, regime.y_param
    index = np.zeros(regime.shape)
    for i, verdict in enumerate(VERDICTS):
        index[regime.verdict == verdict] = i
    x0, x1 = _edges(regime.x, rx.low, rx.high)
    y0, y1 = _edges(regime.y, ry.low, ry.high)
    image = ax.imshow(index, cmap=_CMAP, vmin=-0.5, vmax=len(VERDICTS) - 0.5, origin="lower",
                      extent=(x0, x1, y0, y1), aspect="auto", interpolation="nearest")
    width = 3.0 if large else 2.0
    halo = [patheffects.Stroke(linewidth=width + 2.5, foreground="white"), patheffects.Normal()]
    several = boundary and regime.analysed and bool(regime.several.any()) and min(regime.shape) > 1
    if several:
        ax.contourf(regime.x, regime.y, regime.several.astype(float), levels=[0.5, 1.5], colors="none",
                    hatches=[SEVERAL_HATCH])
    curves = [(key, style, lines) for key, style, lines in (("hopf", HOPF_STYLE, regime.hopf),
                                                            ("saddle_node", SADDLE_NODE_STYLE, regime.saddle_node))
              if boundary and regime.analysed and lines]
    for key, style, lines in curves:
        for line in lines:
            ax.plot(line[:, 0], line[:, 1], color=BOUNDARY_COLOR, linewidth=width, linestyle=style,
                    path_effects=halo, gid=key)
    bx, by = rx.value(regime.base), ry.value(regime.base)
    show_base = base and x0 <= bx <= x1 and y0 <= by <= y1
    if show_base:
        ax.plot([bx], [by], marker=BASE_MARKER, markersize=18 if large else 14, color="white",
                markeredgecolor="black", linestyle="none")
    names = (regime.base.a.name, regime.base.b.name)
    size = 15 if large else 10
    ax.set_xlabel(rx.label(lang, names), fontsize=size)
    ax.set_ylabel(ry.label(lang, names), fontsize=size)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.tick_params(labelsize=size - 1)
    if legend:
        handles: list[Any] = [Patch(facecolor=VERDICT_COLORS[v], label=REGIME_TEXT[v][lang]) for v in VERDICTS]
        for key, style, _ in curves:
            handles.append(Line2D([], [], color=BOUNDARY_COLOR, linewidth=width, linestyle=style, path_effects=halo,
                                  label=REGIME_TEXT[key][lang]))
        if several:
            handles.append(Patch(facecolor="none", edgecolor="black", hatch=SEVERAL_HATCH,
                                 label=REGIME_TEXT["several"][lang]))
        if show_base:
            handles.append(Line2D([], [], marker=BASE_MARKER, markersize=12, color="white",
                                  markeredgecolor="black", linestyle="none", label=REGIME_TEXT["base"][lang]))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=legend_columns,
                  fontsize=size - 1, frameon=False)
    return image


def regime_figure(regime: RegimeMap, *, lang: str = "en", large: bool = False, boundary: bool = True,
                  base: bool = True, title: bool = True) -> Figure:
    """A new figure of ``regime``: verdict colours, the analytic boundary, the base couple, a legend.

    The title names what the map shows and, for an analysed map, how often simulation and
    analysis agree, over the whole map and next to the boundary.
    """
    fig = Figure(figsize=(9.0, 8.0) if large else (7.0, 6.4), layout="constrained")
    ax = fig.add_subplot()
    draw_regime_map(ax, regime, lang=lang, boundary=boundary, base=base, large=large,
                    legend_columns=1 if large else 2)
    if title:
        lines = [REGIME_TEXT["title"][lang]]
        if regime.analysed and np.isfinite(regime.agreement):
            key = "agreement_near" if np.isfinite(regime.agreement_near) else "agreement"
            text = REGIME_TEXT[key][lang].format(share=regime.agreement, near=regime.agreement_near)
            lines += textwrap.wrap(text, 60)
        ax.set_title("\n".join(lines), fontsize=15 if large else 11)
    return fig
