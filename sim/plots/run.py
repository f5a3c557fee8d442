"""Figures of one run: closeness with each partner's moves and fears over time, and a phase portrait.

Shared by the page, the workshop and the notebooks. Every helper draws on a new
:class:`matplotlib.figure.Figure` (never ``pyplot``) and returns it; partner A is always drawn in
``PARTNER_COLORS[0]`` and partner B in ``PARTNER_COLORS[1]``. A second run (``baseline``, usually
the same scenario without interventions) can be drawn underneath, faded, so that the difference
shows at a glance. ``large=True`` sets bigger text and thicker lines for a projector.

Example::

    import sim
    from sim.plots import run_figure, phase_figure
    result = sim.simulate(sim.PRESETS["anxious-avoidant"], interventions=[sim.Intervention("safety", start=60)])
    baseline = sim.simulate(sim.PRESETS["anxious-avoidant"])
    run_figure(result, baseline, lang="nl").savefig("run.png")
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from ..events import EVENT_KINDS
from ..result import Result
from .palette import CLOSENESS_COLOR, PARTNER_COLORS

__all__ = ["PLOT_TEXT", "figure_png", "phase_figure", "run_figure"]

PLOT_TEXT: dict[str, dict[str, str]] = {
    "day": {"en": "day", "nl": "dag"},
    "closeness": {"en": "Closeness", "nl": "Nabijheid"},
    "closeness_without": {"en": "Closeness without interventions", "nl": "Nabijheid zonder interventies"},
    "moves": {"en": "Moves  (+ toward, − away)", "nl": "Bewegingen  (+ toenadering, − afstand)"},
    "fears": {"en": "Fears", "nl": "Angsten"},
    "fear_close": {"en": "{name}: fear of closeness", "nl": "{name}: angst voor nabijheid"},
    "fear_left": {"en": "{name}: fear of being left", "nl": "{name}: angst om verlaten te worden"},
    "without": {"en": "faded: the same run without interventions",
                "nl": "vaag: dezelfde run zonder interventies"},
    "interventions": {"en": "interventions", "nl": "interventies"},
    "phase_title": {"en": "The dance as a loop", "nl": "De dans als lus"},
    "phase_axis": {"en": "{name}:  ← away · toward →", "nl": "{name}:  ← afstand · toenadering →"},
    "both_closer": {"en": "both come closer", "nl": "allebei dichterbij"},
    "both_away": {"en": "both pull away", "nl": "allebei afstand"},
    "pursue_withdraw": {"en": "{p} pursues,\n{w} withdraws", "nl": "{p} jaagt na,\n{w} trekt zich terug"},
    "start": {"en": "start", "nl": "start"},
    "end": {"en": "end", "nl": "eind"},
}
"""Key -> text per language ("en", "nl") of every word drawn in these figures."""

EVENT_MARKERS = {"intimate_moment": "v", "conflict": "X", "stress": "D"}
"""Marker of each event kind on the closeness panel."""
EVENT_COLOR = "#555555"
INTERVENTION_COLOR = "#009E73"
MAX_POINTS = 3000
"""Longer runs are drawn with every k-th point (the figure cannot show more)."""


def _text(key: str, lang: str, **fields: Any) -> str:
    text = PLOT_TEXT[key]["nl" if lang == "nl" else "en"]
    return text.format(**fields) if fields else text


def _plain(name: str) -> str:
    """A partner name as literal text for matplotlib (a ``$`` would start mathtext)."""
    return name.replace("\\", "\\\\").replace("$", r"\$")


def _style(large: bool) -> dict[str, Any]:
    size = 17.0 if large else 11.0
    return {
        "font.size": size,
        "axes.titlesize": size * 1.05,
        "axes.labelsize": size,
        "legend.fontsize": size * 0.9,
        "xtick.labelsize": size * 0.9,
        "ytick.labelsize": size * 0.9,
        "lines.linewidth": 2.8 if large else 1.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.25,
        "legend.frameon": False,
    }


@contextmanager
def _styled(large: bool) -> Iterator[None]:
    with mpl.rc_context(_style(large)):
        yield


def _stride(n: int) -> slice:
    return slice(None, None, max(1, int(np.ceil(n / MAX_POINTS))))


def _names(result: Result) -> tuple[str, str]:
    return (_plain(result.couple.a.name or "A"), _plain(result.couple.b.name or "B"))


def run_figure(result: Result, baseline: Result | None = None, *, lang: str = "en", large: bool = False,
               width: float = 9.0) -> Figure:
    """Closeness over time, each partner's moves toward and away, and both partners' fears.

    Parameters
    ----------
    result : the run to draw (arrays of shape (n + 1,) and (2, n + 1), time in days)
    baseline : optional second run over the same days, drawn faded underneath (for example the
        same scenario without interventions)
    lang : "en" or "nl", the language of every label
    large : bigger text and thicker lines, for a projector
    width : figure width in inches (the height follows)

    Returns
    -------
    Figure with three panels sharing the time axis: closeness (with events and the time the
    interventions are in force), moves (> 0 toward, < 0 away, closeness per day), fears.
    """
    names = _names(result)
    with _styled(large):
        fig = Figure(figsize=(width, width * (0.82 if large else 0.7)), dpi=100)
        grid = fig.add_gridspec(3, 1, height_ratios=(1.25, 1.0, 1.0), hspace=0.55 if large else 0.45,
                                left=0.085 if not large else 0.11, right=0.985, top=0.9, bottom=0.09)
        ax_c = fig.add_subplot(grid[0])
        ax_m = fig.add_subplot(grid[1], sharex=ax_c)
        ax_f = fig.add_subplot(grid[2], sharex=ax_c)
        step = _stride(result.t.shape[0])
        t = result.t[step]
        _draw_closeness(ax_c, result, baseline, step, lang)
        _draw_moves(ax_m, result, t, step, names, lang)
        _draw_fears(ax_f, result, baseline, t, step, names, lang)
        for ax in (ax_c, ax_m):
            ax.tick_params(labelbottom=False)
        ax_f.set_xlabel(_text("day", lang))
        ax_c.set_xlim(float(result.t[0]), float(result.t[-1]))
        _mark_interventions((ax_c, ax_m, ax_f), result, lang)
        if baseline is not None:
            fig.text(0.985, 0.005, _text("without", lang), ha="right", va="bottom", color="#777777",
                     fontsize=mpl.rcParams["legend.fontsize"] * 0.9)
    return fig


def _draw_closeness(ax: Any, result: Result, baseline: Result | None, step: slice, lang: str) -> None:
    if baseline is not None:
        bstep = _stride(baseline.t.shape[0])
        ax.plot(baseline.t[bstep], baseline.closeness[bstep], color="#999999", linestyle="--",
                linewidth=mpl.rcParams["lines.linewidth"] * 0.8, label=_text("closeness_without", lang))
    ax.plot(result.t[step], result.closeness[step], color=CLOSENESS_COLOR, label=_text("closeness", lang))
    ax.set_title(_text("closeness", lang), loc="left", fontweight="bold")
    ax.set_ylim(bottom=0.0)
    top = float(np.max(result.closeness))
    if baseline is not None:
        top = max(top, float(np.max(baseline.closeness)))
    ax.set_ylim(0.0, max(top * 1.18, 0.5))
    shown: set[str] = set()
    y = ax.get_ylim()[1]
    for event in result.events:
        if event.at > result.t[-1]:
            continue
        ax.axvline(event.at, color=EVENT_COLOR, alpha=0.25, linewidth=1.0, zorder=0)
        label = None if event.kind in shown else EVENT_KINDS[event.kind].label["nl" if lang == "nl" else "en"]
        shown.add(event.kind)
        ax.plot([event.at], [y], marker=EVENT_MARKERS[event.kind], color=EVENT_COLOR, linestyle="none",
                markersize=mpl.rcParams["font.size"] * 0.7, clip_on=False, label=label, zorder=3)
    handles, labels = ax.get_legend_handles_labels()
    if len(labels) > 1:
        ax.legend(handles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=min(len(labels), 4),
                  borderaxespad=0.2, handlelength=1.6, columnspacing=1.2)


def _draw_moves(ax: Any, result: Result, t: np.ndarray, step: slice, names: tuple[str, str], lang: str) -> None:
    ax.axhline(0.0, color="#444444", linewidth=0.8)
    for i in (0, 1):
        move = result.move[i][step]
        ax.plot(t, move, color=PARTNER_COLORS[i], label=names[i])
        ax.fill_between(t, move, 0.0, color=PARTNER_COLORS[i], alpha=0.12, linewidth=0)
    ax.set_title(_text("moves", lang), loc="left", fontweight="bold")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, borderaxespad=0.2)
    low, high = float(np.min(result.move)), float(np.max(result.move))
    span = max(abs(low), abs(high), 0.1) * 1.15
    ax.set_ylim(-span, span)


def _draw_fears(ax: Any, result: Result, baseline: Result | None, t: np.ndarray, step: slice,
                names: tuple[str, str], lang: str) -> None:
    width = mpl.rcParams["lines.linewidth"]
    if baseline is not None:
        bstep = _stride(baseline.t.shape[0])
        for i in (0, 1):
            for series, style in ((baseline.engulfment, "-"), (baseline.abandonment, "--")):
                ax.plot(baseline.t[bstep], series[i][bstep], color=PARTNER_COLORS[i], alpha=0.3,
                        linestyle=style, linewidth=width * 0.7)
    for i in (0, 1):
        ax.plot(t, result.engulfment[i][step], color=PARTNER_COLORS[i], linestyle="-",
                label=_text("fear_close", lang, name=names[i]))
        ax.plot(t, result.abandonment[i][step], color=PARTNER_COLORS[i], linestyle="--",
                label=_text("fear_left", lang, name=names[i]))
    ax.set_title(_text("fears", lang), loc="left", fontweight="bold")
    top = float(max(np.max(result.engulfment), np.max(result.abandonment)))
    ax.set_ylim(0.0, max(top * 1.15, 0.3))
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, borderaxespad=0.2, handlelength=2.2,
              columnspacing=1.0)


def _mark_interventions(axes: tuple[Any, ...], result: Result, lang: str) -> None:
    if not result.interventions:
        return
    start = min(iv.start for iv in result.interventions)
    end = float(result.t[-1])
    if start >= end:
        return
    for ax in axes:
        ax.axvspan(start, end, color=INTERVENTION_COLOR, alpha=0.07, linewidth=0, zorder=0)
        ax.axvline(start, color=INTERVENTION_COLOR, linewidth=1.2, alpha=0.8, zorder=1)
    axes[-1].annotate(_text("interventions", lang) + " →", xy=(start, 0.0), xycoords=("data", "axes fraction"),
                      xytext=(4, 4), textcoords="offset points", color=INTERVENTION_COLOR, fontweight="bold",
                      fontsize=mpl.rcParams["legend.fontsize"])


def phase_figure(result: Result, baseline: Result | None = None, *, lang: str = "en", large: bool = False,
                 width: float = 5.2) -> Figure:
    """Phase portrait: partner A's move against partner B's move over the run.

    A loop that keeps its size is the endless dance, a spiral into a point is a couple that
    settles, a spiral outward or a drift into a corner is escalation. The four quadrants are named
    (both come closer, both pull away, one pursues while the other withdraws). Early days are
    drawn light and late days dark; the start and the end are marked.

    Parameters
    ----------
    result : the run (``move`` of shape (2, n + 1), closeness per day)
    baseline : optional second run, drawn as a thin dashed grey line underneath
    lang, large, width : language, projector mode, width in inches (the figure is square)
    """
    names = _names(result)
    with _styled(large):
        fig = Figure(figsize=(width, width), dpi=100)
        ax = fig.add_axes((0.17 if large else 0.15, 0.14 if large else 0.12, 0.8, 0.78))
        step = _stride(result.t.shape[0])
        x, y = result.move[0][step], result.move[1][step]
        moves = [result.move]
        if baseline is not None:
            bstep = _stride(baseline.t.shape[0])
            ax.plot(baseline.move[0][bstep], baseline.move[1][bstep], color="#999999", linestyle="--",
                    linewidth=mpl.rcParams["lines.linewidth"] * 0.6, zorder=1)
            moves.append(baseline.move)
        points = np.column_stack([x, y]).reshape(-1, 1, 2)
        segments = np.concatenate([points[:-1], points[1:]], axis=1)
        shade = np.linspace(0.25, 1.0, max(len(segments), 1))
        colors = np.column_stack([np.full((len(shade), 3), 0.13), shade])
        ax.add_collection(LineCollection(segments, colors=colors, linewidths=mpl.rcParams["lines.linewidth"],
                                         zorder=2))
        marker = mpl.rcParams["font.size"] * 0.8
        ax.plot([x[0]], [y[0]], marker="o", markersize=marker, markerfacecolor="white", color=CLOSENESS_COLOR,
                linestyle="none", zorder=3, label=_text("start", lang))
        ax.plot([x[-1]], [y[-1]], marker="o", markersize=marker, color=CLOSENESS_COLOR, linestyle="none",
                zorder=3, label=_text("end", lang))
        span = max(float(max(np.max(np.abs(m)) for m in moves)), 0.1) * 1.25
        ax.set_xlim(-span, span)
        ax.set_ylim(-span, span)
        ax.set_aspect("equal")
        ax.axhline(0.0, color="#444444", linewidth=0.8, zorder=0)
        ax.axvline(0.0, color="#444444", linewidth=0.8, zorder=0)
        ax.set_xlabel(_text("phase_axis", lang, name=names[0]), color=PARTNER_COLORS[0])
        ax.set_ylabel(_text("phase_axis", lang, name=names[1]), color=PARTNER_COLORS[1])
        ax.set_title(_text("phase_title", lang), loc="left", fontweight="bold")
        small = mpl.rcParams["legend.fontsize"] * 0.95
        corner = {"fontsize": small, "color": "#666666", "transform": ax.transAxes}
        ax.text(0.98, 0.98, _text("both_closer", lang), ha="right", va="top", **corner)
        ax.text(0.02, 0.02, _text("both_away", lang), ha="left", va="bottom", **corner)
        ax.text(0.98, 0.02, _text("pursue_withdraw", lang, p=names[0], w=names[1]), ha="right", va="bottom",
                **corner)
        ax.text(0.02, 0.98, _text("pursue_withdraw", lang, p=names[1], w=names[0]), ha="left", va="top",
                **corner)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, borderaxespad=0.2, handletextpad=0.3)
    return fig


def figure_png(fig: Figure, dpi: float = 110.0) -> bytes:
    """The figure as PNG bytes (what the page shows and offers as a download)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
