"""Tests of sim/plots/regime.py: verdict colours per grid point, the Hopf and saddle-node curves over
them in two line styles, texts in both languages."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import sim
from sim.plots import VERDICT_COLORS, draw_regime_map, regime_figure
from sim.plots.palette import BOUNDARY_COLOR
from sim.plots.regime import REGIME_TEXT
from sim.regime import RegimeMap, regime_map


@pytest.fixture(scope="module")
def rmap() -> RegimeMap:
    return regime_map(n=25)


def _image(fig: Figure):
    [ax] = fig.axes
    [image] = ax.get_images()
    return ax, image


def test_every_grid_point_has_its_verdict_colour(rmap: RegimeMap) -> None:
    fig = regime_figure(rmap)
    _, image = _image(fig)
    rgba = image.to_rgba(image.get_array())
    assert rgba.shape[:2] == rmap.shape
    for j in range(rmap.shape[0]):
        for i in range(rmap.shape[1]):
            assert to_hex(rgba[j, i]) == VERDICT_COLORS[rmap.verdict[j, i]].lower()
    assert len({rmap.verdict[j, i] for j in range(25) for i in range(25)}) == 3


def test_image_spans_the_grid_with_x_and_y_in_place(rmap: RegimeMap) -> None:
    ax, image = _image(regime_figure(rmap))
    x0, x1, y0, y1 = image.get_extent()
    half = 0.5 / 24
    assert (x0, x1, y0, y1) == pytest.approx((-half, 1 + half, -half, 1 + half))
    assert image.origin == "lower"


def test_hopf_and_saddle_node_curves_are_drawn_over_the_map_in_two_styles(rmap: RegimeMap) -> None:
    ax, _ = _image(regime_figure(rmap))
    drawn = {key: [line for line in ax.get_lines() if line.get_gid() == key] for key in ("hopf", "saddle_node")}
    for key, curves in (("hopf", rmap.hopf), ("saddle_node", rmap.saddle_node)):
        assert len(drawn[key]) == len(curves) > 0, key
        for line, curve in zip(drawn[key], curves, strict=True):
            np.testing.assert_allclose(line.get_xydata(), curve)
            assert line.get_color() == BOUNDARY_COLOR and line.get_marker() == "None"
    assert {line.get_linestyle() for line in drawn["hopf"]} == {"-"}
    assert {line.get_linestyle() for line in drawn["saddle_node"]} == {"--"}
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    [star] = stars
    assert tuple(star.get_xydata()[0]) == pytest.approx((0.75, 0.75))


def test_no_boundary_when_not_analysed_or_not_wanted(rmap: RegimeMap) -> None:
    plain = regime_map(n=5, steps=300, analytic=False)
    ax, _ = _image(regime_figure(plain))
    assert not [line for line in ax.get_lines() if line.get_marker() == "None"]
    assert "agree" not in ax.get_title()
    ax, _ = _image(regime_figure(rmap, boundary=False, base=False))
    assert ax.get_lines() == []


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_texts_come_from_the_catalog_in_each_language(rmap: RegimeMap, lang: str) -> None:
    ax, _ = _image(regime_figure(rmap, lang=lang))
    assert ax.get_xlabel() == "A: " + sim.PARTNER_SCORES["anxiety"].label[lang]
    assert ax.get_ylabel() == "B: " + sim.PARTNER_SCORES["avoidance"].label[lang]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for key in ("settles", "cycles", "escalates", "hopf", "saddle_node", "base"):
        assert REGIME_TEXT[key][lang] in legend
    assert (REGIME_TEXT["several"][lang] in legend) == bool(rmap.several.any())
    title = ax.get_title().replace("\n", " ")
    assert f"{rmap.agreement:.1%}" in title and f"{rmap.agreement_near:.1%}" in title
    assert REGIME_TEXT["title"][lang] in ax.get_title()


def test_catalog_has_both_languages_and_they_differ() -> None:
    for key, texts in REGIME_TEXT.items():
        assert set(texts) == {"en", "nl"}, key
    assert REGIME_TEXT["settles"]["en"] != REGIME_TEXT["settles"]["nl"]


def test_draws_into_given_axes_and_renders_the_same_bytes(rmap: RegimeMap) -> None:
    def png() -> bytes:
        fig = Figure(figsize=(8, 4))
        left, right = fig.subplots(1, 2)
        draw_regime_map(left, rmap, legend=False)
        draw_regime_map(right, rmap, lang="nl", large=True)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=50)
        return buf.getvalue()

    first = png()
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and len(first) > 5_000
    assert png() == first


def test_bad_language(rmap: RegimeMap) -> None:
    with pytest.raises(ValueError, match="lang"):
        regime_figure(rmap, lang="de")
