"""The story chart: the run up to a step's moment (the page engineer's ``run_figure``), with the moment marked.

The chart is :func:`sim.plots.run.run_figure` in projector mode (closeness, moves and fears over
time, the run without the intervention faded underneath in the intervention steps); this module
adds what the story needs on top: the step's moment as a labelled vertical line through every
panel, the rounds numbered, and the stretch of stress and quarrels shaded.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

import sim
from sim.plots.palette import BASELINE_COLOR, CLOSENESS_COLOR, INTERVENTION_COLOR, PARTNER_COLORS
from sim.plots.run import plot_text, run_figure
from sim.story import ESCALATION, StepView, Story

from .captions import intervention_label
from .texts import plain, text

__all__ = ["MIN_TEXT_PX", "MOMENT_COLOR", "STAGE_DPI", "add_band", "before_chart", "moment_label", "png",
           "stage_chart", "story_chart", "text_px", "tidy_legend"]

MOMENT_COLOR = "#7B2CBF"
"""The colour of the marked moment (distinct from both partners, the verdicts and the interventions)."""
STRESS_COLOR = "#CC3311"
BAND = 0.55
"""Inches added on top of the chart for the moment's label."""


def png(fig: Figure, dpi: float = 100.0) -> bytes:
    """A figure as PNG bytes on white, at ``dpi`` (the workshop's pictures and the handout's insets)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def add_band(fig: Figure, inches: float) -> float:
    """Make ``fig`` taller by ``inches`` with an empty band on top; returns the band's height (figure fraction).

    Axes, figure texts and figure legends keep their size and place relative to each other.
    """
    width, height = fig.get_size_inches()
    scale = height / (height + inches)
    anchors = []
    for legend in fig.legends:
        box = legend.get_bbox_to_anchor().transformed(fig.transFigure.inverted())
        anchors.append((legend, box.x0, box.y0))
    fig.set_size_inches(width, height + inches)
    for ax in fig.axes:
        pos = ax.get_position()
        ax.set_position((pos.x0, pos.y0 * scale, pos.width, pos.height * scale))
    for label in fig.texts:
        x, y = label.get_position()
        label.set_position((x, y * scale))
    for legend, x, y in anchors:
        legend.set_bbox_to_anchor((x, y * scale), transform=fig.transFigure)
    return 1.0 - scale


def moment_label(view: StepView, story: Story, lang: str) -> str:
    """The short label of a step's moment ("B withdraws", "day 150: safety", ...)."""
    names = story.names()
    fields: dict[str, Any] = {"w": plain(names[story.withdrawer]), "p": plain(names[story.pursuer]),
                              "day": view.moment, "iv": plain(intervention_label(story.intervention, lang))}
    return text(f"mark_{view.key}_{view.variant}", lang, **fields)


def tidy_legend(ax: Any, fontsize: float = 15.0) -> None:
    """Keep only the event markers in the closeness panel's legend, in one row above the panel.

    The panel's title already names closeness and the figure's footnote the faded run, and a
    legend of five entries wraps into the title on a projector-sized figure.
    """
    handles, labels = ax.get_legend_handles_labels()
    keep = [(h, lab) for h, lab in zip(handles, labels, strict=True)
            if getattr(h, "get_linestyle", lambda: "-")() == "None"]
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    if keep:
        ax.legend([h for h, _ in keep], [lab for _, lab in keep], loc="lower right", bbox_to_anchor=(1.0, 1.0),
                  ncol=len(keep), borderaxespad=0.2, handletextpad=0.3, columnspacing=1.0, frameon=False,
                  fontsize=fontsize)


def story_chart(view: StepView, story: Story, lang: str = "en", *, width: float = 8.5,
                until: float | None = None) -> Figure:
    """The run of ``view`` (day 0 to its end, or to ``until``) with the step's moment and marks drawn in.

    Parameters
    ----------
    view : the step
    story : the story it belongs to (names and roles)
    lang : "en" or "nl"
    width : figure width in inches
    until : the last day shown (default: the step's end; the page passes :func:`sim.story.shown_until`)

    Returns
    -------
    Figure (three panels sharing the time axis, projector-sized text).
    """
    fig = run_figure(view.result, view.baseline, lang=lang, large=True, width=width)
    axes = fig.axes
    top = axes[0]
    tidy_legend(top)
    for ax in axes:
        ax.set_xlim(0.0, view.until if until is None else until)
        ax.axvline(view.moment, color=MOMENT_COLOR, linewidth=3.0, alpha=0.9, zorder=5)
        if view.key == "escalation":
            ax.axvspan(ESCALATION[0][1], ESCALATION[-1][1], color=STRESS_COLOR, alpha=0.08, linewidth=0, zorder=0)
    if view.key == "rounds" and view.marks:
        closeness = view.result.closeness
        for number, day in enumerate(view.marks, start=1):
            i = int(round(day / view.result.dt))
            top.annotate(str(number), xy=(day, float(closeness[i])), xytext=(0, 8), textcoords="offset points",
                         ha="center", va="bottom", fontsize=14, fontweight="bold", color=MOMENT_COLOR)
    band = add_band(fig, BAND)
    fig.text(0.11, 1.0 - 0.5 * band, "┃ " + moment_label(view, story, lang), ha="left", va="center", fontsize=20,
             fontweight="bold", color=MOMENT_COLOR)
    return fig


STAGE_DPI = 100.0
"""Pixels per inch of the stage charts: shown at their own size, so that a point is 100/72 pixels on screen."""
MIN_TEXT_PX = 18.0
"""The smallest text of a stage chart on a 1280 x 720 projector, in pixels."""
STAGE_PANELS = ("closeness", "moves", "fears")
"""The panels of a revealed step on the stage: what the partners feel and do, and what it does to closeness."""
_HEIGHTS = {"closeness": 1.2, "moves": 1.0, "fears": 1.0}


def _pt(px: float) -> float:
    """A text size in points that is ``px`` pixels at :data:`STAGE_DPI`."""
    return px * 72.0 / STAGE_DPI


TEXT_PT = _pt(19.5)
SMALL_PT = _pt(18.5)
_LINE = 1.45 * TEXT_PT / 72.0
"""Height of one line of stage text, in inches."""
TITLE_LIFT = 15.0
"""Points between a panel's top and its title (the top tick label reaches above the panel)."""


def text_px(fig: Figure) -> list[float]:
    """The size in pixels of every visible, non-empty text of ``fig`` at its own dpi (what a test measures)."""
    fig.canvas.draw()
    return [t.get_fontsize() * fig.dpi / 72.0 for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()]


def stage_chart(result: sim.Result, names: tuple[str, str], lang: str = "en", *, until: float, start: float = 0.0,
                panels: tuple[str, ...] = STAGE_PANELS, baseline: sim.Result | None = None,
                moment: float | None = None, label: str = "", band: tuple[float, float] | None = None,
                width: float = 5.1, height: float = 5.6) -> Figure:
    """The run from day ``start`` to ``until`` for a projector: few panels, every text at least 18 pixels.

    Drawn at :data:`STAGE_DPI` to be shown at its own size (``width`` x ``height`` inches, 510 x 560
    pixels by default), so the sizes hold on a 1280 x 720 screen. Closeness on top; the partners'
    moves and fears below it (``panels`` picks which); ``baseline`` faded underneath; ``moment`` as a
    labelled vertical line (``label``); ``band`` (first and last day) shaded, as the stress and quarrels are.

    Returns
    -------
    Figure (panels sharing the time axis; the partners named in their colours when their lines are drawn).
    """
    for name in panels:
        if name not in _HEIGHTS:
            raise ValueError(f"unknown panel {name!r}; valid: {', '.join(_HEIGHTS)}")
    fig = Figure(figsize=(width, height), dpi=STAGE_DPI)
    partners = any(name != "closeness" for name in panels)
    lines = _wrap(fig, "┃ " + label, TEXT_PT, 0.96 * width * STAGE_DPI) if label else []
    rows = len(lines) + int(partners)
    top = 0.06 + rows * _LINE + 1.15 * _LINE + TITLE_LIFT / 72.0
    bottom = 0.08 + 2.6 * SMALL_PT / 72.0
    gap = 1.3 * _LINE + TITLE_LIFT / 72.0
    inner = height - top - bottom
    axes_height = (inner - (len(panels) - 1) * gap) / len(panels)
    grid = fig.add_gridspec(len(panels), 1, height_ratios=[_HEIGHTS[p] for p in panels], hspace=gap / axes_height,
                            left=0.15, right=0.94, top=1.0 - top / height, bottom=bottom / height)
    end = int(np.clip(round(until / result.dt), 1, result.steps))
    first = int(np.clip(round(start / result.dt), 0, end - 1))
    axes: list[Any] = []
    for row, name in enumerate(panels):
        ax = fig.add_subplot(grid[row], sharex=axes[0] if axes else None)
        axes.append(ax)
        _panel(ax, name, result, baseline, slice(first, end + 1), lang)
        ax.set_xlim(min(start, float(result.t[end]) - result.dt), float(result.t[end]))
        ax.tick_params(labelsize=SMALL_PT, labelbottom=row == len(panels) - 1)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(True, axis="y", alpha=0.3)
        ax.locator_params(axis="y", nbins=3)
        ax.locator_params(axis="x", nbins=5)
        if moment is not None:
            ax.axvline(moment, color=MOMENT_COLOR, linewidth=3.0, alpha=0.9, zorder=5)
        if band is not None:
            ax.axvspan(*band, color=STRESS_COLOR, alpha=0.08, linewidth=0, zorder=0)
        starts = [iv.start for iv in result.interventions if iv.start < result.t[end]]
        if starts:
            ax.axvspan(min(starts), float(result.t[end]), color=INTERVENTION_COLOR, alpha=0.08, linewidth=0,
                       zorder=0)
    axes[-1].tick_params(axis="x", pad=7.0)  # clear of the lowest y tick label in the corner
    axes[-1].set_xlabel(plot_text("day", lang), loc="right", fontsize=SMALL_PT, labelpad=2)
    y = 1.0 - 0.06 / height
    for line in lines:
        fig.text(0.02, y, line, color=MOMENT_COLOR, fontsize=TEXT_PT, fontweight="bold", ha="left", va="top")
        y -= _LINE / height
    if partners:
        for i, (x, ha) in enumerate(((0.02, "left"), (0.98, "right"))):
            fig.text(x, y, "━ " + plain(names[i]) if i == 0 else plain(names[i]) + " ━", color=PARTNER_COLORS[i],
                     fontsize=TEXT_PT, fontweight="bold", ha=ha, va="top")
    return fig


def _wrap(fig: Figure, words: str, size: float, width_px: float) -> list[str]:
    """``words`` in bold at ``size`` points, broken into lines no wider than ``width_px`` (a long word stays whole)."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    font = FontProperties(size=size, weight="bold")
    lines: list[str] = []
    for word in words.split():
        wider = f"{lines[-1]} {word}" if lines else word
        if lines and renderer.get_text_width_height_descent(wider, font, ismath=False)[0] <= width_px:
            lines[-1] = wider
        else:
            lines.append(word)
    return lines


def _panel(ax: Any, name: str, result: sim.Result, baseline: sim.Result | None, shown: slice, lang: str) -> None:
    """One panel of a stage chart, over the instants ``shown``."""
    t = result.t[shown]
    width = 3.0
    if name == "closeness":
        if baseline is not None:
            ax.plot(baseline.t[shown], baseline.closeness[shown], color=BASELINE_COLOR, linestyle="--",
                    linewidth=2.2)
        ax.plot(t, result.closeness[shown], color=CLOSENESS_COLOR, linewidth=width)
        ax.set_ylim(0.0, max(0.5, 1.15 * float(result.closeness[shown].max())))
        title = plot_text("closeness", lang)
    elif name == "moves":
        ax.axhline(0.0, color="#444444", linewidth=0.8)
        for i in (0, 1):
            ax.plot(t, result.move[i, shown], color=PARTNER_COLORS[i], linewidth=width)
        span = max(0.1, 1.15 * float(np.abs(result.move[:, shown]).max()))
        ax.set_ylim(-span, span)
        title = text("stage_moves", lang)
    else:
        for i in (0, 1):
            ax.plot(t, result.engulfment[i, shown], color=PARTNER_COLORS[i], linewidth=width)
            ax.plot(t, result.abandonment[i, shown], color=PARTNER_COLORS[i], linewidth=width, linestyle="--")
        fears = max(float(result.engulfment[:, shown].max()), float(result.abandonment[:, shown].max()))
        ax.set_ylim(0.0, max(0.3, 1.15 * fears))
        title = text("stage_fears", lang)
        styles = [Line2D([], [], color="#555555", linewidth=2.4, linestyle=style) for style in ("-", "--")]
        # beside the panel's title ("Fears"), each fear by what it is of: the whole names do not fit at 18 px
        labels = [plot_text("of_closeness", lang), plot_text("of_being_left", lang)]
        ax.legend(styles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False,
                  fontsize=SMALL_PT, borderaxespad=0.1, handlelength=1.3, handletextpad=0.3, columnspacing=0.7)
    lift = ScaledTranslation(0.0, TITLE_LIFT / 72.0, ax.figure.dpi_scale_trans)  # clear of the top tick label
    where = blended_transform_factory(ax.figure.transFigure, ax.transAxes) + lift
    ax.text(0.02, 1.0, title, transform=where, ha="left", va="bottom", fontweight="bold", fontsize=TEXT_PT)


def before_chart(result: sim.Result, lang: str = "en", *, width: float = 8.5) -> Figure:
    """The run so far, without marks: what the room sees while it predicts the next step.

    Closeness only: the partners' moves and fears are what the questions ask about.
    """
    return stage_chart(result, (result.couple.a.name or "A", result.couple.b.name or "B"), lang,
                       until=float(result.t[-1]), panels=("closeness",), width=width, height=3.0)
