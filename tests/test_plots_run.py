"""Tests of ``sim/plots/run.py``: the run figure, its fast redraw for the page, and the phase portrait."""

from __future__ import annotations

import ast
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

import sim
from sim.dynamics import TIP
from sim.plots import PARTNER_COLORS, figure_png, phase_figure, run_figure
from sim.plots.run import MAX_POINTS, PLOT_TEXT

TRAP = sim.PRESETS["anxious-avoidant"]
STRONG = sim.PRESETS["intense-trap"]
BREAKS = replace(STRONG, a=replace(STRONG.a, doubt_threshold=1.0))
"""A strong trap in which A's doubt tips within 200 days (A carries less fear before doubting)."""
EVENTS = (sim.Event("intimate_moment", at=20.0), sim.Event("conflict", at=45.0))
HELP = (sim.Intervention("safety", start=60.0),)


@pytest.fixture(scope="module")
def runs() -> tuple[sim.Result, sim.Result]:
    """The trap with events, with and without an intervention from day 60."""
    helped = sim.simulate(TRAP, seed=0, events=EVENTS, interventions=HELP)
    plain = sim.simulate(TRAP, seed=0, events=EVENTS)
    return helped, plain


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_run_figure_has_closeness_moves_fears_and_doubt_panels_sharing_the_days(runs) -> None:
    fig = run_figure(runs[1])
    assert len(fig.axes) == 4
    assert all(ax.get_xlim() == (0.0, pytest.approx(float(runs[1].t[-1]))) for ax in fig.axes)
    texts = _texts(fig)
    for key in ("closeness", "moves", "fears", "fear_close", "fear_left", "doubt"):
        assert PLOT_TEXT[key]["en"] in texts
    figure_png(fig)
    shown = [any(label.get_visible() and label.get_text() for label in ax.get_xticklabels()) for ax in fig.axes]
    assert shown == [False, False, False, True]  # the days are written under the last panel only


def test_the_doubt_panel_shows_each_partners_doubt_from_0_to_1_with_the_tipping_point() -> None:
    """In a strong trap whose A carries less fear before doubting, A's doubt climbs past the tipping
    point (a break-up) and B's stays low."""
    result = sim.simulate(BREAKS, seed=0)
    ax = run_figure(result, lang="nl").axes[3]
    assert ax.get_ylim() == (0.0, 1.0)
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
    assert [to_hex(line.get_color()) for line in curves] == [c.lower() for c in PARTNER_COLORS]
    np.testing.assert_array_equal(curves[0].get_ydata(), result.doubt[0])
    assert result.doubt[0].max() > TIP > result.doubt[1].max()
    (tip,) = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert tuple(tip.get_ydata()) == (TIP, TIP)
    assert PLOT_TEXT["doubt_tip"]["nl"] + " " in _texts(run_figure(result, lang="nl"))


def test_each_partner_keeps_their_colour_in_moves_and_fears(runs) -> None:
    fig = run_figure(runs[1])
    _, moves, fears, _ = fig.axes
    move_colors = [to_hex(line.get_color()) for line in moves.get_lines() if len(line.get_xdata()) > 2]
    fear_colors = [to_hex(line.get_color()) for line in fears.get_lines() if len(line.get_xdata()) > 2]
    assert move_colors == [c.lower() for c in PARTNER_COLORS]
    assert fear_colors == [PARTNER_COLORS[0].lower()] * 2 + [PARTNER_COLORS[1].lower()] * 2


def test_curves_are_the_run_itself(runs) -> None:
    result = runs[1]
    fig = run_figure(result)
    closeness = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 2]
    np.testing.assert_array_equal(closeness[0].get_ydata(), result.closeness)
    moves = [line for line in fig.axes[1].get_lines() if len(line.get_xdata()) > 2]
    np.testing.assert_array_equal(moves[1].get_ydata(), result.move[1])


def test_the_run_without_interventions_is_drawn_underneath_and_named(runs) -> None:
    helped, plain = runs
    alone = run_figure(helped)
    both = run_figure(helped, plain)
    assert len(both.axes[0].get_lines()) == len(alone.axes[0].get_lines()) + 1
    assert len(both.axes[2].get_lines()) == len(alone.axes[2].get_lines()) + 4
    assert len(both.axes[3].get_lines()) == len(alone.axes[3].get_lines()) + 2
    assert PLOT_TEXT["closeness_without"]["en"] in _texts(both)
    assert PLOT_TEXT["closeness_without"]["en"] not in _texts(alone)
    assert PLOT_TEXT["interventions"]["en"] + " →" in _texts(both)


def test_events_are_marked_and_named_in_the_legend(runs) -> None:
    texts = _texts(run_figure(runs[1]))
    for kind in ("intimate_moment", "conflict"):
        assert sim.EVENT_KINDS[kind].label["en"] in texts
    assert sim.EVENT_KINDS["stress"].label["en"] not in texts


def test_every_word_follows_the_language(runs) -> None:
    texts = _texts(run_figure(runs[0], runs[1], lang="nl"))
    assert PLOT_TEXT["closeness"]["nl"] in texts
    assert PLOT_TEXT["day"]["nl"] in texts
    assert PLOT_TEXT["closeness"]["en"] not in texts
    assert PLOT_TEXT["fear_left"]["en"] not in texts
    assert set(PLOT_TEXT) and all(set(v) == {"en", "nl"} for v in PLOT_TEXT.values())


def test_large_mode_has_bigger_text_and_thicker_lines(runs) -> None:
    small, large = run_figure(runs[1]), run_figure(runs[1], large=True)
    size = {f: f.axes[0].yaxis.get_ticklabels()[0].get_fontsize() for f in (small, large)}
    width = {f: max(line.get_linewidth() for line in f.axes[0].get_lines()) for f in (small, large)}
    assert size[large] > 1.2 * size[small]
    assert width[large] > width[small]


def test_names_are_drawn_literally_even_with_mathtext_characters() -> None:
    couple = replace(TRAP, a=replace(TRAP.a, name="$\\frac{1"), b=replace(TRAP.b, name="Alex $x$"))
    result = sim.simulate(couple, steps=300)
    png = figure_png(run_figure(result))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Alex \\$x\\$" in _texts(run_figure(result))
    figure_png(phase_figure(result))


def test_long_runs_are_thinned_to_what_a_figure_can_show() -> None:
    result = sim.simulate(TRAP, steps=10_000, dt=0.1)
    fig = run_figure(result)
    longest = max(len(line.get_xdata()) for line in fig.axes[0].get_lines())
    assert MAX_POINTS // 2 < longest <= MAX_POINTS + 1


def test_figure_png_is_deterministic(runs) -> None:
    assert figure_png(run_figure(runs[0], runs[1])) == figure_png(run_figure(runs[0], runs[1]))


def test_phase_portrait_plots_one_partner_against_the_other(runs) -> None:
    result = runs[1]
    fig = phase_figure(result)
    ax = fig.axes[0]
    assert ax.get_xlabel() == PLOT_TEXT["phase_axis"]["en"].format(name="A")
    assert to_hex(ax.xaxis.label.get_color()) == PARTNER_COLORS[0].lower()
    assert to_hex(ax.yaxis.label.get_color()) == PARTNER_COLORS[1].lower()
    low, high = ax.get_xlim()
    assert low == -high and ax.get_ylim() == (low, high)
    assert high >= np.max(np.abs(result.move))
    segments = ax.collections[0].get_segments()
    np.testing.assert_allclose(segments[0][0], result.move[:, 0])
    np.testing.assert_allclose(segments[-1][-1], result.move[:, -1])
    texts = _texts(fig)
    assert PLOT_TEXT["pursue_withdraw"]["en"].format(p="A", w="B") in texts
    assert PLOT_TEXT["phase_title"]["en"] in texts
    assert PLOT_TEXT["phase_title"]["en"] not in _texts(phase_figure(result, title=False))


def test_phase_portrait_draws_the_baseline_only_after_the_interventions_start(runs) -> None:
    helped, plain = runs
    ax = phase_figure(helped, plain, lang="nl").axes[0]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1
    expected = int(np.sum(plain.t >= HELP[0].start))
    assert len(dashed[0].get_xdata()) == expected


def test_the_module_never_uses_pyplot() -> None:
    source = Path(sim.plots.run.__file__).read_text(encoding="utf-8")
    imported = {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names} | {node.module for node in ast.walk(ast.parse(source))
                                             if isinstance(node, ast.ImportFrom) and node.module}
    assert not any("pyplot" in name for name in imported)


def test_drawing_leaves_matplotlibs_global_settings_alone(runs) -> None:
    before = dict(matplotlib.rcParams)
    figure_png(run_figure(runs[0], runs[1], large=True))
    figure_png(phase_figure(runs[0], runs[1], large=True))
    assert dict(matplotlib.rcParams) == before


def test_figures_drawn_at_the_same_time_in_several_threads_keep_their_own_sizes(runs) -> None:
    """A server draws for several users at once: one user's projector mode must not leak into another's figure."""

    def tick_size(large: bool) -> tuple[bool, float]:
        fig = run_figure(runs[1], large=large)
        figure_png(fig)
        return large, fig.axes[3].xaxis.get_ticklabels()[0].get_fontsize()

    with ThreadPoolExecutor(max_workers=4) as pool:
        sizes = list(pool.map(tick_size, [k % 2 == 0 for k in range(16)]))
    assert {size for large, size in sizes if large} == {tick_size(True)[1]}
    assert {size for large, size in sizes if not large} == {tick_size(False)[1]}
