"""A one-page handout of a workshop scenario (PNG or PDF, A4 portrait), in English or Dutch.

The page holds: the couple, a chart of the whole story (closeness and the two fears that drive
the dance, with the run without the intervention faded underneath), the verdict with and without the
intervention, the story in seven lines, the loop, what the chosen intervention does, how the fear
and the swings of the second half compare (in words, no model numbers), and the model's hedge. The
file's metadata carries the verdict, the language and the intervention, so that a program can check
a handout without reading its pixels.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.patches import FancyBboxPatch

import sim
from sim.plots.palette import CLOSENESS_COLOR, PARTNER_COLORS, VERDICT_COLORS
from sim.story import END, ESCALATION, INTERVENTION_AT, INTIMATE_AT, Story

from .captions import compare_words, couple_label, intervention_label, level_word, step_title, summary, verdict_line
from .charts import STRESS_COLOR, png
from .cycle import describe, draw_cycle_map, link_states
from .texts import plain, short, text

__all__ = ["A4", "FORMATS", "handout", "handout_metadata", "late_words", "preset_name"]

A4 = (8.27, 11.69)
"""Page size in inches (portrait)."""
FORMATS = ("png", "pdf")
PNG_DPI = 150
"""Resolution of the PNG handout: 1240 x 1754 pixels."""
INK = "#222222"
LOOP_SIZE = 8.6
"""Type size of the two loop texts: two of the model's longest loops (the pursue-withdraw one, with
and without the intervention) must end above the footer in Dutch too."""
LATE = END / 2.0
"""The handout's late words (fear, swing) cover the second half of the story (the late window of the verdict)."""


def preset_name(couple: sim.Couple) -> str | None:
    """The name of the preset equal to ``couple``, or None for a couple of one's own."""
    for name, preset in sim.PRESETS.items():
        if preset == couple:
            return name
    return None


def handout_metadata(story: Story, lang: str) -> dict[str, str]:
    """Title, subject and keywords written into the file (the verdict, the language, the intervention)."""
    title = text("handout_title", lang, couple=couple_label(story.couple, lang))
    return {
        "Title": title,
        "Subject": verdict_line(story.treated.verdict, lang),
        "Keywords": f"verdict={story.treated.verdict}; without={story.untreated.verdict}; lang={lang}; "
                    f"intervention={story.intervention}",
    }


def _image(fig: Figure, dpi: float) -> np.ndarray:
    return imread(io.BytesIO(png(fig, dpi)), format="png")


def _wrap(words: str, width: int) -> str:
    return "\n".join(textwrap.fill(part, width) for part in words.split("\n"))


def _box(fig: Figure, rect: tuple[float, float, float, float], color: str, fill: float = 0.12) -> None:
    fig.add_artist(FancyBboxPatch(rect[:2], rect[2], rect[3], boxstyle="round,pad=0.004,rounding_size=0.01",
                                  transform=fig.transFigure, facecolor=color, alpha=fill, edgecolor=color,
                                  linewidth=1.5))


def _plain(name: str, partner: int) -> str:
    return plain(name)


def _late(result: sim.Result, start: float) -> tuple[float, float]:
    """Mean fear (half the sum of the four fears) and the swing of closeness from day ``start`` on."""
    window = slice(int(round(start / result.dt)), None)
    fears = result.engulfment[:, window].sum(axis=0) + result.abandonment[:, window].sum(axis=0)
    return float(0.5 * fears.mean()), float(np.ptp(result.closeness[window]))


def late_words(story: Story, lang: str) -> str:
    """The handout's line on the second half of the story: the fear with the intervention against without
    it, and how strongly closeness swings with and without it, in words (``handout_late``)."""
    tension, swing = _late(story.treated, LATE)
    tension_without, swing_without = _late(story.untreated, LATE)
    return text("handout_late", lang, day=LATE, fear=compare_words(tension, tension_without, lang),
                swing=level_word("swing", swing, lang), swing_without=level_word("swing", swing_without, lang))


def _heading(fig: Figure, x: float, y: float, words: str, width: int = 60) -> float:
    """Write a bold heading from the top at ``y``, wrapped at ``width`` characters; return the y below it."""
    wrapped = _wrap(words, width)
    fig.text(x, y, wrapped, fontsize=12.5, fontweight="bold", va="top", color=INK, transform=fig.transFigure,
             linespacing=1.2)
    return y - (wrapped.count("\n") + 1) * 12.5 * 1.2 / 72.0 / A4[1] - 0.008


def _body(fig: Figure, x: float, y: float, words: str, width: int, size: float = 9.5, gap: float = 0.006) -> float:
    """Write wrapped text from the top at ``y``; return the y below it."""
    wrapped = _wrap(words, width)
    fig.text(x, y, wrapped, fontsize=size, va="top", color=INK, transform=fig.transFigure, linespacing=1.35)
    return y - (wrapped.count("\n") + 1) * size * 1.35 / 72.0 / A4[1] - gap


def _chart(top: Any, bottom: Any, story: Story, lang: str) -> None:
    """Closeness, and the two fears that drive the dance, over the whole story; faded: without the intervention."""
    iv = intervention_label(story.intervention, lang)
    names = story.names()
    w, p = story.withdrawer, story.pursuer
    treated, untreated = story.treated, story.untreated
    top.plot(untreated.t, untreated.closeness, color="#999999", linestyle="--", linewidth=1.2,
             label=text("chart_without", lang))
    top.plot(treated.t, treated.closeness, color=CLOSENESS_COLOR, linewidth=1.8, label=text("chart_with", lang, iv=iv))
    for run, alpha, width in ((untreated, 0.3, 1.0), (treated, 1.0, 1.6)):
        bottom.plot(run.t, run.engulfment[w], color=PARTNER_COLORS[w], alpha=alpha, linewidth=width,
                    label=text("chart_fear_close", lang, name=plain(short(names[w], 16))) if alpha == 1.0 else None)
        bottom.plot(run.t, run.abandonment[p], color=PARTNER_COLORS[p], alpha=alpha, linewidth=width, linestyle="--",
                    label=text("chart_fear_left", lang, name=plain(short(names[p], 16))) if alpha == 1.0 else None)
    for ax in (top, bottom):
        ax.axvspan(ESCALATION[0][1], ESCALATION[-1][1], color=STRESS_COLOR, alpha=0.08, linewidth=0)
        ax.axvspan(INTERVENTION_AT, END, color=VERDICT_COLORS["settles"], alpha=0.06, linewidth=0)
        ax.axvline(INTERVENTION_AT, color=VERDICT_COLORS["settles"], linewidth=1.0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.25)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False, fontsize=8,
                  borderaxespad=0.1)
    top.set_xlim(0.0, END)
    top.set_ylim(bottom=0.0)
    bottom.set_ylim(0.0, max(float(treated.couple.fear_ceiling), 0.5))
    top.tick_params(labelbottom=False)
    top.set_title(text("chart_closeness", lang), loc="left", fontsize=10, fontweight="bold")
    bottom.set_title(text("chart_fears", lang), loc="left", fontsize=10, fontweight="bold")
    bottom.set_xlabel(text("chart_day", lang), fontsize=9)
    top.annotate(text("chart_stress", lang), xy=(ESCALATION[0][1], 1.0), xycoords=("data", "axes fraction"),
                 xytext=(0, 2), textcoords="offset points", va="bottom", fontsize=8, color=STRESS_COLOR)
    top.annotate(iv + " →", xy=(INTERVENTION_AT, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
                 textcoords="offset points", va="top", fontsize=8, fontweight="bold",
                 color=VERDICT_COLORS["settles"])


def _draw(story: Story, lang: str) -> Figure:
    fig = Figure(figsize=A4, dpi=100)
    names = story.names()
    iv = intervention_label(story.intervention, lang)
    fig.text(0.06, 0.975, text("handout_kicker", lang), fontsize=10, color="#666666", va="top",
             transform=fig.transFigure)
    fig.text(0.06, 0.957, _wrap(text("handout_title", lang, couple=couple_label(story.couple, lang, _plain)), 52),
             fontsize=19, fontweight="bold", va="top", color=INK, transform=fig.transFigure)
    preset = preset_name(story.couple)
    intro = sim.PRESET_TEXT[preset][lang] if preset else text("handout_own_couple", lang)
    plan = text("handout_plan", lang, iv=iv, day=INTERVENTION_AT, intimate=INTIMATE_AT, start=ESCALATION[0][1])
    _body(fig, 0.06, 0.925, intro + " " + plan, 98, 9.5)

    top = fig.add_axes((0.1, 0.725, 0.86, 0.115))
    bottom = fig.add_axes((0.1, 0.573, 0.86, 0.11), sharex=top)
    _chart(top, bottom, story, lang)

    verdict = story.treated.verdict
    _box(fig, (0.06, 0.45, 0.88, 0.088), VERDICT_COLORS[verdict])
    y = _body(fig, 0.08, 0.53, text("handout_with", lang, iv=iv) + " " + verdict_line(verdict, lang), 78, 10.5)
    fig.texts[-1].set_fontweight("bold")
    _body(fig, 0.08, y, text("handout_without", lang, verdict=text(f"short_{story.untreated.verdict}", lang)) + " "
          + late_words(story, lang), 100, 9.5)

    _heading(fig, 0.06, 0.43, text("handout_story", lang))
    y = 0.406
    for index, view in enumerate(story.steps):
        y = _body(fig, 0.06, y, f"{index + 1}. {step_title(index, lang)}: {summary(view, story, lang, _plain)}", 58,
                  gap=0.004)
    y -= 0.01
    _heading(fig, 0.06, y, text("handout_explain", lang))
    y -= 0.024
    y = _body(fig, 0.06, y, text("handout_loop_without", lang, loop=plain(story.untreated.explain(lang)[1])), 64,
              LOOP_SIZE)
    _body(fig, 0.06, y, text("handout_loop_with", lang, loop=plain(story.treated.explain(lang)[1])), 64, LOOP_SIZE)

    pursuit = story.step("pursuit")
    index = int(round(pursuit.moment / pursuit.result.dt))
    active = int(link_states(pursuit.result, story.withdrawer, story.pursuer)[index])
    loop = draw_cycle_map(active, names, story.withdrawer, story.pursuer, lang, size=6.4)
    ax = fig.add_axes((0.57, 0.215, 0.38, 0.235))
    ax.imshow(_image(loop, 110), interpolation="lanczos")
    ax.axis("off")
    note = text("handout_cycle_note", lang, day=pursuit.moment,
                text=plain(describe(active, names, story.withdrawer, story.pursuer, lang)))
    y = _body(fig, 0.59, 0.215, note, 46, 8.5) - 0.006
    y = _heading(fig, 0.59, y, text("handout_helps", lang, iv=iv), 26)
    _body(fig, 0.59, y, text(f"iv_{story.intervention}", lang), 44)

    fig.text(0.06, 0.018, _wrap(sim.HEDGE[lang] + " " + text("handout_footer", lang), 115), fontsize=8.5,
             color="#555555", va="bottom", transform=fig.transFigure)
    return fig


def handout(story: Story, lang: str = "en", fmt: str = "png") -> bytes:
    """The handout of ``story`` in ``lang`` as PNG (150 dpi) or PDF bytes.

    Parameters
    ----------
    story : the workshop story (couple, intervention and every run)
    lang : "en" or "nl"
    fmt : "png" or "pdf"

    Returns
    -------
    The file's bytes: one A4 page, with :func:`handout_metadata` written into it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    fig = _draw(story, lang)
    meta = handout_metadata(story, lang)
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white",
                    metadata={"Title": meta["Title"], "Description": meta["Subject"], "Keywords": meta["Keywords"]})
    else:
        fig.savefig(buffer, format="pdf", facecolor="white", metadata=meta)
    return buffer.getvalue()
