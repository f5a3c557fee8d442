"""Figures of one run: closeness with each partner's moves, fears and doubt over time, and a phase portrait.

Shared by the page, the workshop and the notebooks. Every helper draws on a new
:class:`matplotlib.figure.Figure` (never ``pyplot``) and returns it; partner A is always drawn in
``PARTNER_COLORS[0]`` and partner B in ``PARTNER_COLORS[1]``. A second run (``baseline``, usually
the same scenario without interventions) can be drawn underneath, faded, so that the difference
shows at a glance. ``large=True`` sets bigger text and thicker lines for a projector.

The page draws the same panels in the browser (``ui.charts``); this figure is its PNG download.

Example::

    import sim
    from sim.plots import run_figure, phase_figure
    baseline = sim.simulate(sim.PRESETS["anxious-avoidant"])
    helped = sim.simulate(sim.PRESETS["anxious-avoidant"], interventions=[sim.Intervention("safety", start=60)])
    run_figure(helped, baseline, lang="nl").savefig("run.png")
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from PIL import Image

from ..dynamics import TIP
from ..events import EVENT_KINDS
from ..result import Result
from .palette import BASELINE_COLOR, CLOSENESS_COLOR, EVENT_COLOR, INTERVENTION_COLOR, PARTNER_COLORS

__all__ = ["PLOT_TEXT", "figure_png", "phase_figure", "plot_text", "run_figure"]

PLOT_TEXT: dict[str, dict[str, str]] = {
    "day": {"en": "day", "nl": "dag"},
    "closeness": {"en": "Closeness", "nl": "Nabijheid"},
    "closeness_without": {"en": "without help", "nl": "zonder hulp"},
    "moves": {"en": "Moves  (+ reaching out, − pulling away)", "nl": "Bewegingen  (+ contact zoeken, − afstand nemen)"},
    "fears": {"en": "Fears", "nl": "Angsten"},
    "fear_close": {"en": "fear of closeness", "nl": "angst voor nabijheid"},
    "fear_left": {"en": "fear of being left", "nl": "angst om verlaten te worden"},
    "of_closeness": {"en": "of closeness", "nl": "voor nabijheid"},
    "of_being_left": {"en": "of being left", "nl": "om verlaten te worden"},
    "doubt": {"en": "Doubt: do I stay or do I go?", "nl": "Twijfel: blijf ik of ga ik?"},
    "doubt_tip": {"en": "above this it tips into a break-up", "nl": "hierboven slaat het om in een breuk"},
    "without": {"en": "lighter: the same couple without help",
                "nl": "lichter getekend: hetzelfde paar zonder hulp"},
    "interventions": {"en": "help", "nl": "hulp"},
    "phase_title": {"en": "The dance as a loop", "nl": "De dans als lus"},
    "phase_axis": {"en": "{name}:  ← pulling away · reaching out →", "nl": "{name}:  ← afstand · contact zoeken →"},
    "both_closer": {"en": "both come closer", "nl": "allebei dichterbij"},
    "both_away": {"en": "both pull away", "nl": "allebei afstand"},
    "pursue_withdraw": {"en": "{p} pursues,\n{w} withdraws", "nl": "{p} jaagt na,\n{w} trekt zich terug"},
    "start": {"en": "start", "nl": "start"},
    "end": {"en": "end", "nl": "eind"},
}
"""Key -> text per language ("en", "nl") of every word drawn in these figures."""

EVENT_MARKERS = {"intimate_moment": "v", "conflict": "X", "stress": "D"}
"""Marker of each event kind on the closeness panel."""
MAX_POINTS = 3000
"""Longer runs are drawn with every k-th point (the figure cannot show more)."""
DPI = 140.0
"""Resolution of the PNG images (pixels per inch of figure width)."""


def plot_text(key: str, lang: str, **fields: Any) -> str:
    """Text ``key`` of :data:`PLOT_TEXT` in ``lang`` ("nl", else English), with ``fields`` filled in."""
    text = PLOT_TEXT[key]["nl" if lang == "nl" else "en"]
    return text.format(**fields) if fields else text


def _plain(name: str) -> str:
    """A partner name as literal text for matplotlib (a ``$`` would start mathtext)."""
    return name.replace("\\", "\\\\").replace("$", r"\$")


@dataclass(frozen=True)
class _Look:
    """Sizes of text and lines, in points, passed to every artist.

    Matplotlib's ``rc_context`` would be simpler but changes global settings: not safe while
    several users' figures are drawn at once in the threads of one server.
    """

    text: float
    line: float

    @property
    def title(self) -> float:
        return self.text * 1.05

    @property
    def small(self) -> float:
        return self.text * 0.9

    @classmethod
    def of(cls, large: bool) -> _Look:
        return cls(text=16.0, line=2.6) if large else cls(text=12.0, line=1.7)

    @property
    def legend(self) -> float:
        return self.text * (0.85 if self.text >= 16.0 else 0.9)

    def axes(self, ax: Any, grid: str = "y") -> None:
        """Ticks, spines and grid of one axes."""
        ax.tick_params(labelsize=self.small)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(True, axis=grid, alpha=0.3)
        ax.set_axisbelow(True)


def _stride(n: int) -> slice:
    return slice(None, None, max(1, math.ceil(n / MAX_POINTS)))


def _names(result: Result) -> tuple[str, str]:
    return (_plain(result.couple.a.name or "A"), _plain(result.couple.b.name or "B"))


def _title(ax: Any, text: str, look: _Look) -> None:
    """A bold panel title at the top left (cheaper than ``set_title``, which measures the axes)."""
    ax.text(0.0, 1.04, text, transform=ax.transAxes, ha="left", va="bottom", fontweight="bold", fontsize=look.title)


def _legend_grid(fig: Figure, labels: list[str], width: float, size: float) -> tuple[int, int]:
    """Columns and rows of a legend of ``labels`` that fits ``width`` inches at font ``size`` (points).

    Entries are laid out row by row (see :func:`_row_major`); the most columns that fit are taken.
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    font = FontProperties(size=size)
    extra = (1.8 + 0.8 + 1.4) * size / 72.0  # handle, gap to the text, space between columns (in font sizes)
    entries = [renderer.get_text_width_height_descent(label, font, ismath=False)[0] / fig.dpi + extra
               for label in labels]
    for ncol in range(len(labels), 1, -1):
        columns = [entries[c::ncol] for c in range(ncol)]
        if sum(max(column) for column in columns) <= width:
            return ncol, math.ceil(len(labels) / ncol)
    return 1, len(labels)


def _row_major(items: list[Any], ncol: int) -> list[Any]:
    """``items`` reordered so that matplotlib's column-by-column legend reads row by row."""
    rows = math.ceil(len(items) / ncol)
    cells: list[Any] = []
    for c in range(ncol):
        cells.extend(items[r * ncol + c] for r in range(rows) if r * ncol + c < len(items))
    return cells


def _ceil(value: float, floor: float) -> float:
    """``value`` rounded up to a step that suits its size (0.25, 0.5 or 1), at least ``floor``."""
    value = max(value, floor)
    step = 0.25 if value <= 2.0 else 0.5 if value <= 5.0 else 1.0
    return round(math.ceil(value / step - 1e-9) * step, 10)


@dataclass(frozen=True)
class _Frame:
    """Everything of the run figure that is not a curve: names, language, sizes, axis limits, events."""

    names: tuple[str, str]
    lang: str
    large: bool
    width: float
    t_end: float
    closeness_top: float
    move_span: float
    fear_top: float
    events: tuple[tuple[str, float], ...]
    intervention_start: float | None
    baseline: bool

    @classmethod
    def of(cls, result: Result, baseline: Result | None, lang: str, large: bool, width: float) -> _Frame:
        runs = [result] if baseline is None else [result, baseline]
        end = float(result.t[-1])
        starts = [iv.start for iv in result.interventions if iv.start < end]
        return cls(
            names=_names(result), lang=lang, large=large, width=width, t_end=end,
            closeness_top=_ceil(1.12 * max(float(np.max(r.closeness)) for r in runs), 0.5),
            move_span=_ceil(1.12 * max(float(np.max(np.abs(r.move))) for r in runs), 0.1),
            fear_top=_ceil(1.12 * max(float(max(np.max(r.engulfment), np.max(r.abandonment))) for r in runs), 0.3),
            events=tuple((e.kind, float(e.at)) for e in result.events if e.at <= end),
            intervention_start=min(starts) if starts else None,
            baseline=baseline is not None,
        )


class _RunArtists:
    """The run figure of one frame: axes, ticks, legends and events, and the curves to fill in."""

    def __init__(self, frame: _Frame) -> None:
        self.frame = frame
        self.look = look = _Look.of(frame.large)
        height = frame.width * (1.12 if frame.large else 0.97)
        fig = Figure(figsize=(frame.width, height), dpi=DPI)
        handles = self._legend_handles()
        left = 0.12 if frame.large else 0.095
        ncol, rows = _legend_grid(fig, [str(h.get_label()) for h in handles], frame.width * (1.0 - left), look.legend)
        top = 1.0 - 0.012 - (rows * look.legend * 1.75 + 1.9 * look.title) / 72.0 / height
        fig.legend(handles=_row_major(handles, ncol), loc="upper left", bbox_to_anchor=(left - 0.01, 0.995),
                   ncol=ncol, borderaxespad=0.0, handlelength=1.8, columnspacing=1.4, fontsize=look.legend,
                   frameon=False)
        grid = fig.add_gridspec(4, 1, height_ratios=(1.25, 1.0, 1.0, 0.6), hspace=0.62 if frame.large else 0.52,
                                left=left, right=0.97, top=top, bottom=0.085 if frame.large else 0.075)
        ax_c = fig.add_subplot(grid[0])
        ax_m = fig.add_subplot(grid[1], sharex=ax_c)
        ax_f = fig.add_subplot(grid[2], sharex=ax_c)
        ax_d = fig.add_subplot(grid[3], sharex=ax_c)
        width = look.line
        empty: list[float] = []
        self.base_lines = []
        if frame.baseline:
            self.base_lines.append(ax_c.plot(empty, empty, color=BASELINE_COLOR, linestyle="--",
                                             linewidth=width * 0.8)[0])
            for i in (0, 1):
                for style in ("-", "--"):
                    self.base_lines.append(ax_f.plot(empty, empty, color=PARTNER_COLORS[i], alpha=0.3,
                                                     linestyle=style, linewidth=width * 0.7)[0])
            for i in (0, 1):
                self.base_lines.append(ax_d.plot(empty, empty, color=PARTNER_COLORS[i], alpha=0.3,
                                                 linewidth=width * 0.7)[0])
        self.closeness = ax_c.plot(empty, empty, color=CLOSENESS_COLOR, linewidth=width)[0]
        ax_m.axhline(0.0, color="#444444", linewidth=0.8)
        self.moves = [ax_m.plot(empty, empty, color=PARTNER_COLORS[i], linewidth=width)[0] for i in (0, 1)]
        self.fills = [ax_m.fill_between([0.0, 0.0], [0.0, 0.0], 0.0, color=PARTNER_COLORS[i], alpha=0.12,
                                        linewidth=0) for i in (0, 1)]
        self.fears = []
        for i in (0, 1):
            self.fears.append(ax_f.plot(empty, empty, color=PARTNER_COLORS[i], linestyle="-", linewidth=width)[0])
            self.fears.append(ax_f.plot(empty, empty, color=PARTNER_COLORS[i], linestyle="--", linewidth=width)[0])
        self.doubts = [ax_d.plot(empty, empty, color=PARTNER_COLORS[i], linewidth=width)[0] for i in (0, 1)]
        self._decorate(fig, ax_c, ax_m, ax_f, ax_d)
        self.fig = fig

    def _legend_handles(self) -> list[Line2D]:
        """Entries of the legend at the top: the partners, the two fears, the run without interventions, the events."""
        frame = self.frame
        width = _Look.of(frame.large).line
        handles = [Line2D([], [], color=PARTNER_COLORS[i], linewidth=width, label=frame.names[i]) for i in (0, 1)]
        handles += [Line2D([], [], color="#555555", linestyle="-", linewidth=width,
                           label=plot_text("fear_close", frame.lang)),
                    Line2D([], [], color="#555555", linestyle="--", linewidth=width,
                           label=plot_text("fear_left", frame.lang))]
        if frame.baseline:
            handles.append(Line2D([], [], color=BASELINE_COLOR, linestyle="--", linewidth=width * 0.8,
                                  label=plot_text("closeness_without", frame.lang)))
        for kind in dict.fromkeys(kind for kind, _ in frame.events):
            handles.append(Line2D([], [], color=EVENT_COLOR, marker=EVENT_MARKERS[kind], linestyle="none",
                                  markersize=_Look.of(frame.large).text * 0.7,
                                  label=EVENT_KINDS[kind].label["nl" if frame.lang == "nl" else "en"]))
        return handles

    def _decorate(self, fig: Figure, ax_c: Any, ax_m: Any, ax_f: Any, ax_d: Any) -> None:
        frame, lang, look = self.frame, self.frame.lang, self.look
        ax_c.set_xlim(0.0, frame.t_end)
        ax_c.set_ylim(0.0, frame.closeness_top)
        ax_m.set_ylim(-frame.move_span, frame.move_span)
        ax_f.set_ylim(0.0, frame.fear_top)
        ax_d.set_ylim(0.0, 1.0)
        for ax, key in ((ax_c, "closeness"), (ax_m, "moves"), (ax_f, "fears"), (ax_d, "doubt")):
            look.axes(ax)
            _title(ax, plot_text(key, lang), look)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=2))
        ax_d.set_yticks([0.0, TIP, 1.0])
        ax_d.axhline(TIP, color="#777777", linestyle=":", linewidth=1.2, zorder=1)
        ax_d.text(1.0, TIP, plot_text("doubt_tip", lang) + " ", transform=ax_d.get_yaxis_transform(), ha="right",
                  va="bottom", color="#666666", fontsize=look.legend * 0.9)
        ax_d.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        for ax in (ax_c, ax_m, ax_f):
            ax.tick_params(labelbottom=False)
        ax_d.set_xlabel(plot_text("day", lang), loc="right", fontsize=look.text)
        if frame.events:
            dense = len(frame.events) > 40
            ax_c.vlines([at for _, at in frame.events], 0.0, frame.closeness_top, color=EVENT_COLOR,
                        alpha=0.08 if dense else 0.25, linewidth=0.6 if dense else 1.0, zorder=0)
        for kind in dict.fromkeys(kind for kind, _ in frame.events):
            days = [at for k, at in frame.events if k == kind]
            ax_c.plot(days, [frame.closeness_top] * len(days), marker=EVENT_MARKERS[kind], color=EVENT_COLOR,
                      linestyle="none", markersize=look.text * 0.7, clip_on=False, zorder=3)
        if frame.intervention_start is not None:
            start = frame.intervention_start
            for ax in (ax_c, ax_m, ax_f, ax_d):
                ax.axvspan(start, frame.t_end, color=INTERVENTION_COLOR, alpha=0.07, linewidth=0, zorder=0)
                ax.axvline(start, color=INTERVENTION_COLOR, linewidth=1.2, alpha=0.8, zorder=1)
            ax_c.annotate(plot_text("interventions", lang) + " →", xy=(start, 0.0), xycoords=("data", "axes fraction"),
                          xytext=(4, 4), textcoords="offset points", color=INTERVENTION_COLOR, fontweight="bold",
                          fontsize=look.legend)
        if frame.baseline:
            fig.text(0.01, 0.005, plot_text("without", lang), ha="left", va="bottom", color="#777777",
                     fontsize=look.legend * 0.9)

    def fill(self, result: Result, baseline: Result | None) -> None:
        """Put the curves of ``result`` (and ``baseline``, when the frame has one) in place."""
        step = _stride(result.t.shape[0])
        t = result.t[step]
        self.closeness.set_data(t, result.closeness[step])
        for i in (0, 1):
            move = result.move[i][step]
            self.moves[i].set_data(t, move)
            self.fills[i].set_data(t, move, 0.0)
            self.fears[2 * i].set_data(t, result.engulfment[i][step])
            self.fears[2 * i + 1].set_data(t, result.abandonment[i][step])
            self.doubts[i].set_data(t, result.doubt[i][step])
        if baseline is not None and self.base_lines:
            bstep = _stride(baseline.t.shape[0])
            tb = baseline.t[bstep]
            self.base_lines[0].set_data(tb, baseline.closeness[bstep])
            for i in (0, 1):
                self.base_lines[1 + 2 * i].set_data(tb, baseline.engulfment[i][bstep])
                self.base_lines[2 + 2 * i].set_data(tb, baseline.abandonment[i][bstep])
                self.base_lines[5 + i].set_data(tb, baseline.doubt[i][bstep])


def run_figure(result: Result, baseline: Result | None = None, *, lang: str = "en", large: bool = False,
               width: float = 7.0) -> Figure:
    """Closeness over time, each partner's moves toward and away, both partners' fears and their doubt.

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
    Figure with four panels sharing the time axis: closeness (with events, and the days the
    interventions are in force shaded), moves (the effort beyond the calm pull of longing: > 0
    reaching out harder, < 0 pulling away; closeness per day), the fears (fear of closeness solid,
    fear of being left dashed), and each partner's stay-or-go doubt (0..1, with the tipping point
    ``sim.dynamics.TIP`` above which it turns into a break-up).
    """
    artists = _RunArtists(_Frame.of(result, baseline, lang, large, width))
    artists.fill(result, baseline)
    return artists.fig


def _encode(canvas: FigureCanvasAgg) -> bytes:
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def phase_figure(result: Result, baseline: Result | None = None, *, lang: str = "en", large: bool = False,
                 width: float = 5.0, title: bool = True) -> Figure:
    """Phase portrait: partner A's move against partner B's move over the run.

    A loop that keeps its size is the endless dance, a spiral into a point is a couple that
    settles, a spiral outward or a drift into a corner is escalation. The four quadrants are named
    (both come closer, both pull away, one pursues while the other withdraws). Early days are
    drawn light and late days dark; the start and the end are marked.

    Parameters
    ----------
    result : the run (``move`` of shape (2, n + 1), closeness per day)
    baseline : optional second run, drawn as a dashed grey line underneath from the day the first
        intervention of ``result`` starts (before that day the two runs are the same)
    lang, large, width : language, projector mode, width in inches (the figure is square)
    title : whether to write the title above the axes (a page may write its own)
    """
    names = _names(result)
    look = _Look.of(large)
    height = width * 1.08
    fig = Figure(figsize=(width, height), dpi=DPI)
    entries = [plot_text("start", lang), plot_text("end", lang)]
    if baseline is not None:
        entries.append(plot_text("closeness_without", lang))
    left, bottom = (0.19, 0.13) if large else (0.16, 0.11)
    ncol, rows = _legend_grid(fig, entries, width * (1.0 - left), look.legend)
    line = rows * look.legend * 1.75 / 72.0 / height
    top = 0.985 - line - (1.8 * look.title / 72.0 / height if title else 0.01)
    ax = fig.add_axes((left, bottom, 0.97 - left, top - bottom))
    step = _stride(result.t.shape[0])
    x, y = result.move[0][step], result.move[1][step]
    moves = [result.move]
    if baseline is not None:
        since = min((iv.start for iv in result.interventions), default=0.0)
        bstep = _stride(baseline.t.shape[0])
        keep = baseline.t[bstep] >= since
        ax.plot(baseline.move[0][bstep][keep], baseline.move[1][bstep][keep], color=BASELINE_COLOR,
                linestyle="--", linewidth=look.line * 0.7, zorder=1,
                label=plot_text("closeness_without", lang))
        moves.append(baseline.move)
    points = np.column_stack([x, y]).reshape(-1, 1, 2)
    segments = np.concatenate([points[:-1], points[1:]], axis=1)
    shade = np.linspace(0.3, 1.0, max(len(segments), 1))
    colors = np.column_stack([np.full((len(shade), 3), 0.13), shade])
    ax.add_collection(LineCollection(list(segments), colors=colors, linewidths=look.line, zorder=2))
    marker = look.text * 0.8
    ax.plot([x[0]], [y[0]], marker="o", markersize=marker, markerfacecolor="white", color=CLOSENESS_COLOR,
            linestyle="none", zorder=3, label=plot_text("start", lang))
    ax.plot([x[-1]], [y[-1]], marker="o", markersize=marker, color=CLOSENESS_COLOR, linestyle="none",
            zorder=3, label=plot_text("end", lang))
    span = _ceil(1.15 * max(float(np.max(np.abs(m))) for m in moves), 0.1)
    ax.set_xlim(-span, span)
    ax.set_ylim(-span, span)
    ax.set_aspect("equal", adjustable="box", anchor="W")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(nbins=5, symmetric=True))
    look.axes(ax, grid="both")
    ax.axhline(0.0, color="#444444", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="#444444", linewidth=0.8, zorder=0)
    ax.set_xlabel(plot_text("phase_axis", lang, name=names[0]), color=PARTNER_COLORS[0], fontsize=look.text)
    ax.set_ylabel(plot_text("phase_axis", lang, name=names[1]), color=PARTNER_COLORS[1], fontsize=look.text)
    if title:
        _title(ax, plot_text("phase_title", lang), look)
    small = look.legend * 0.95
    corner: dict[str, Any] = {"fontsize": small, "color": "#666666", "transform": ax.transAxes}
    ax.text(0.98, 0.98, plot_text("both_closer", lang), ha="right", va="top", **corner)
    ax.text(0.02, 0.02, plot_text("both_away", lang), ha="left", va="bottom", **corner)
    ax.text(0.98, 0.02, plot_text("pursue_withdraw", lang, p=names[0], w=names[1]), ha="right", va="bottom",
            **corner)
    ax.text(0.02, 0.98, plot_text("pursue_withdraw", lang, p=names[1], w=names[0]), ha="left", va="top",
            **corner)
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(plot_text(key, lang)) for key in ("start", "end")]
    order += [k for k in range(len(labels)) if k not in order]
    fig.legend(_row_major([handles[k] for k in order], ncol), _row_major([labels[k] for k in order], ncol),
               loc="upper left", bbox_to_anchor=(left - 0.01, 0.995), ncol=ncol, borderaxespad=0.0,
               handletextpad=0.3, columnspacing=1.0, fontsize=look.legend, frameon=False)
    return fig


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, at :data:`DPI` (what the page shows and offers as a download)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return _encode(canvas)
