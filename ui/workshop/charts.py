"""The story chart: the run up to a step's moment (the page engineer's ``run_figure``), with the moment marked.

The chart is :func:`sim.plots.run.run_figure` in projector mode (closeness, moves and fears over
time, the run without the intervention faded underneath in the intervention steps); this module
adds what the story needs on top: the step's moment as a labelled vertical line through every
panel, the rounds numbered, and the stretch of stress and quarrels shaded.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure

import sim
from sim.plots.run import run_figure
from sim.story import ESCALATION, StepView, Story

from .captions import intervention_label
from .texts import plain, text

__all__ = ["MOMENT_COLOR", "add_band", "before_chart", "moment_label", "png", "story_chart", "tidy_legend"]

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


def story_chart(view: StepView, story: Story, lang: str = "en", *, width: float = 8.5) -> Figure:
    """The run of ``view`` (day 0 to its end) with the step's moment and marks drawn in.

    Parameters
    ----------
    view : the step
    story : the story it belongs to (names and roles)
    lang : "en" or "nl"
    width : figure width in inches

    Returns
    -------
    Figure (three panels sharing the time axis, projector-sized text).
    """
    fig = run_figure(view.result, view.baseline, lang=lang, large=True, width=width)
    axes = fig.axes
    top = axes[0]
    tidy_legend(top)
    for ax in axes:
        ax.set_xlim(0.0, view.until)
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


def before_chart(result: sim.Result, lang: str = "en", *, width: float = 8.5) -> Figure:
    """The run so far, without marks: what the room sees while it predicts the next step."""
    fig = run_figure(result, None, lang=lang, large=True, width=width)
    tidy_legend(fig.axes[0])
    return fig
