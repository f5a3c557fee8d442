"""The dance as an animation: the two partners as figures on a line, moving toward and away.

The gap between the figures shows closeness (close together = much closeness); an arrow above each
figure shows its move (toward or away, its length the speed); a red glow behind each figure grows
with that partner's strongest fear, and two bars under it show both fears. The most recent visible
signal of each partner is written under the line. :func:`dance_figure` draws one moment (for the
page's slider), :func:`dance_gif` exports a scene as an animated GIF for slides
(frames drawn by Agg and joined by Pillow in memory, headless: no pyplot, no ffmpeg, no file).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from PIL import Image

import sim
from sim.plots.palette import CLOSENESS_COLOR, PARTNER_COLORS

from .captions import level_word
from .texts import plain, short, text

__all__ = ["FEAR_COLOR", "FRAMES", "FPS", "PACE", "SCENE_SECONDS", "ScenePlan", "dance_figure", "dance_gif",
           "draw_dance", "frame_days", "gap", "scene_plan"]

FRAMES = 48
"""Frames of an exported GIF when the caller fixes the count (see :func:`scene_plan` for a scene's own)."""
FPS = 10
"""The most frames per second of a scene (and of a GIF with a fixed count)."""
PACE = 3.0
"""Days of the dance per second of animation: about one round of the classic trap in two seconds."""
SCENE_SECONDS = (4.0, 10.0)
"""The shortest and the longest a scene plays, in seconds (short scenes slow down, long ones speed up)."""
HOLD_MS = 1500
"""How long the last frame stays before the scene starts again (so the loop reads as a restart)."""
FEAR_COLOR = "#E8112D"
"""The glow of fear (a red distinct from both partner colours)."""
GAP_MAX = 3.2
"""Gap between the figures at zero closeness (drawing units)."""
GAP_MIN = 0.55
BAR = 1.25
"""Length of a full fear bar (drawing units)."""
SIGNAL_MEMORY = 4.0
"""Days a visible signal stays written under the line."""
WIDTH, HEIGHT = 7.2, 3.6
"""Size of a frame in inches (720 x 360 pixels at 100 dpi): small, so that its text is large when shown."""


def gap(closeness: float) -> float:
    """Distance between the two figures for a closeness (drawing units): shrinks as closeness grows."""
    return float(np.clip(GAP_MAX * np.exp(-max(closeness, 0.0) / 1.3), GAP_MIN, GAP_MAX))


def frame_days(start: float, until: float, result: sim.Result, frames: int = FRAMES) -> np.ndarray:
    """The days shown by the frames of a scene: evenly spread, one per instant at most.

    Returns an array of shape (k,), k = min(frames, instants in the scene), strictly increasing.
    """
    first = int(np.clip(round(start / result.dt), 0, result.steps))
    last = int(np.clip(round(until / result.dt), 0, result.steps))
    count = max(1, min(frames, last - first + 1))
    index = np.unique(np.round(np.linspace(first, last, count)).astype(int))
    return np.asarray(result.t[index], dtype=float)


class ScenePlan(NamedTuple):
    """How a scene plays: the day of each frame and how long each frame shows (ms)."""

    days: np.ndarray
    frame_ms: int


def scene_plan(start: float, until: float, result: sim.Result) -> ScenePlan:
    """The frames of the scene from ``start`` to ``until`` at :data:`PACE`, within :data:`SCENE_SECONDS`.

    The page's Play and the exported GIF both use this plan, so they run at the same pace. A GIF
    counts time in hundredths of a second, so a frame lasts a multiple of 10 ms (20 ms at least).
    """
    seconds = float(np.clip((until - start) / PACE, *SCENE_SECONDS))
    days = frame_days(start, until, result, max(2, round(seconds * FPS)))
    return ScenePlan(days, max(20, int(round(100.0 * seconds / len(days))) * 10))


def _person(ax: Any, x: float, color: str, glow: float, label: str) -> None:
    """One partner: a red glow (its radius and strength grow with fear), a body and a head."""
    if glow > 0.02:
        for ring in (1.0, 0.7):
            ax.add_patch(Circle((x, 0.55), 0.3 + 0.55 * glow * ring, facecolor=FEAR_COLOR,
                                alpha=0.12 + 0.25 * glow, edgecolor="none", zorder=1))
    ax.add_patch(FancyBboxPatch((x - 0.17, 0.02), 0.34, 0.55, boxstyle="round,pad=0.02,rounding_size=0.14",
                                facecolor=color, edgecolor="white", linewidth=2, zorder=3))
    ax.add_patch(Circle((x, 0.82), 0.16, facecolor=color, edgecolor="white", linewidth=2, zorder=3))
    ax.text(x, 0.3, label, ha="center", va="center", color="white", fontsize=22, fontweight="bold", zorder=4)


def _bars(ax: Any, left: float, color: str, name: str, closeness_fear: float, left_fear: float,
          ceiling: float, lang: str) -> None:
    """A partner's two fear bars (fear of closeness, fear of being left; full bar = the ceiling).

    The right partner's name and labels end at the bar's right end, so that the longer Dutch labels
    ("angst om verlaten te worden") stay inside the figure.
    """
    right = left > 0.0
    x, align = (left + BAR, "right") if right else (left, "left")
    ax.text(x, -0.2, name, ha=align, va="center", fontsize=15, fontweight="bold", color=color)
    for row, (key, value) in enumerate((("bar_close", closeness_fear), ("bar_left", left_fear))):
        y = -0.66 - 0.44 * row
        ax.text(x, y + 0.14, text(key, lang), ha=align, va="bottom", fontsize=13.5, color=color)
        ax.add_patch(Rectangle((left, y - 0.08), BAR, 0.16, facecolor="#eeeeee", edgecolor="none", zorder=2))
        share = float(np.clip(value / ceiling, 0.0, 1.0))
        ax.add_patch(Rectangle((left, y - 0.08), BAR * share, 0.16, facecolor=FEAR_COLOR,
                               alpha=0.35 + 0.65 * share, edgecolor="none", zorder=3))


def _arrow(ax: Any, x: float, side: int, move: float, color: str) -> None:
    """The move above a figure: inward (toward the other) when positive, outward when negative."""
    if abs(move) < 0.03:
        return
    length = float(np.clip(abs(move) / 0.6, 0.4, 1.0)) * 0.7
    direction = -side if move > 0 else side
    ax.add_patch(FancyArrowPatch((x, 1.2), (x + direction * length, 1.2), arrowstyle="-|>",
                                 mutation_scale=28, linewidth=5, color=color, zorder=5))


def draw_dance(ax: Any, result: sim.Result, day: float, names: tuple[str, str], lang: str = "en") -> None:
    """Draw the moment nearest to ``day`` of ``result`` on ``ax`` (cleared first)."""
    ax.clear()
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-1.75, 1.55)
    ax.axis("off")
    index = int(np.clip(round(day / result.dt), 0, result.steps))
    now, closeness = float(result.t[index]), float(result.closeness[index])
    move, engulf, abandon = result.move[:, index], result.engulfment[:, index], result.abandonment[:, index]
    ceiling = float(result.couple.fear_ceiling)
    half = gap(closeness) / 2.0
    ax.plot([-2.5, 2.5], [0.0, 0.0], color="#999999", linewidth=2, zorder=0)
    ax.plot([-half, half], [-0.08, -0.08], color=CLOSENESS_COLOR, linewidth=3, zorder=2, solid_capstyle="butt")
    ax.text(0.0, -0.16, level_word("closeness", closeness, lang), ha="center", va="top", fontsize=14,
            color=CLOSENESS_COLOR, zorder=4)
    for i, side in ((0, -1), (1, 1)):
        x = side * half
        fear = max(float(engulf[i]), float(abandon[i])) / ceiling
        _person(ax, x, PARTNER_COLORS[i], float(np.clip(fear, 0.0, 1.0)), plain(names[i])[:2])
        _arrow(ax, x, side, float(move[i]), PARTNER_COLORS[i])
        _bars(ax, -2.5 if i == 0 else 2.5 - BAR, PARTNER_COLORS[i], plain(short(names[i], 16)), float(engulf[i]),
              float(abandon[i]), ceiling, lang)
    ax.text(-2.55, 1.52, text("anim_day", lang, day=now), ha="left", va="top", fontsize=22, fontweight="bold",
            color="#222222")
    ax.text(2.55, 1.52, text("anim_legend", lang), ha="right", va="top", fontsize=13.5, color="#666666")
    recent = _recent_signals(result, now, names, lang)
    if recent:
        i, line = recent[-1]
        ax.text(0.0, -1.5, line, ha="center", va="center", fontsize=14, color=PARTNER_COLORS[i],
                fontweight="bold", zorder=4, linespacing=1.3)


def _recent_signals(result: sim.Result, now: float, names: tuple[str, str], lang: str) -> list[tuple[int, str]]:
    """Visible signals of the last SIGNAL_MEMORY days before ``now``, oldest first: (partner, line)."""
    out = []
    for signal in result.signals:
        if now - SIGNAL_MEMORY <= signal.t <= now + 1e-9:
            words = str(sim.SIGNALS[signal.key][lang])
            out.append((signal.partner, _shorten(f"{plain(short(names[signal.partner]))}: {plain(words)}", 56)))
    return out


def _shorten(line: str, width: int) -> str:
    """Break a signal line in two near the middle when it is longer than ``width`` characters."""
    if len(line) <= width:
        return line
    cut = line.rfind(" ", 0, len(line) // 2 + 8)
    return line if cut < 0 else line[:cut] + "\n" + line[cut + 1:]


def dance_figure(result: sim.Result, day: float, names: tuple[str, str], lang: str = "en") -> Figure:
    """One moment of the dance as a figure (WIDTH x HEIGHT inches)."""
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=100)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    draw_dance(ax, result, day, names, lang)
    return fig


def dance_gif(result: sim.Result, start: float, until: float, names: tuple[str, str], lang: str = "en",
              *, frames: int | None = None, fps: int = FPS, dpi: int = 100,
              progress: Callable[[float], None] | None = None) -> bytes:
    """A scene of the dance as an animated GIF that loops: the page's Play, for slides.

    Parameters
    ----------
    result : the run (it must cover ``until``)
    start, until : the scene, in days
    names : the partners' names (a, b)
    lang : "en" or "nl"
    frames : a fixed number of frames shown at ``fps`` (default: the scene's own plan, :func:`scene_plan`)
    fps : frames per second, with ``frames``
    dpi : resolution (100 dpi gives 720 x 360 pixels)
    progress : called with the share of frames drawn (0..1) after each frame, for a progress bar

    Returns
    -------
    The GIF file's bytes (the last frame held :data:`HOLD_MS` before the loop starts again).
    """
    if frames is None:
        days, frame_ms = scene_plan(start, until, result)
    else:
        days, frame_ms = frame_days(start, until, result, frames), int(round(1000 / fps))
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))

    # drawn in memory, frame by frame, as matplotlib's PillowWriter does, but into bytes: the names
    # are what a user typed, and nothing of theirs is written to the server's disk
    size = tuple(round(v) for v in fig.get_size_inches() * dpi)
    frames_out = []
    for number, day in enumerate(days, start=1):
        draw_dance(ax, result, float(day), names, lang)
        raw = io.BytesIO()
        fig.savefig(raw, format="rgba", dpi=dpi, facecolor="white")
        frames_out.append(Image.frombuffer("RGBA", size, raw.getbuffer(), "raw", "RGBA", 0, 1))
        if progress is not None:
            progress(number / len(days))
    durations = [frame_ms] * len(frames_out)
    durations[-1] = max(frame_ms, HOLD_MS)
    out = io.BytesIO()
    frames_out[0].save(out, format="GIF", save_all=True, append_images=frames_out[1:], duration=durations,
                       loop=0)
    return out.getvalue()
