"""Colours (sim.plots.palette): lines readable on a white page or projector, and told apart."""

from __future__ import annotations

import pytest

from sim.plots import palette


def _luminance(color: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.1)."""
    channels = [int(color[i:i + 2], 16) / 255.0 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LINES = {"partner a": palette.PARTNER_COLORS[0], "partner b": palette.PARTNER_COLORS[1],
         "closeness": palette.CLOSENESS_COLOR, "event": palette.EVENT_COLOR,
         "without": palette.BASELINE_COLOR, "intervention": palette.INTERVENTION_COLOR,
         "boundary": palette.BOUNDARY_COLOR}


def test_contrast_follows_wcag() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("what", sorted(LINES))
def test_every_line_has_the_contrast_of_a_graphic_on_white(what: str) -> None:
    """WCAG 1.4.11: graphical objects need 3:1 against what is next to them."""
    assert contrast(LINES[what], "#FFFFFF") >= 3.0


def test_the_colours_that_share_a_chart_are_told_apart() -> None:
    charts = [(*palette.PARTNER_COLORS, palette.CLOSENESS_COLOR, palette.BASELINE_COLOR, palette.INTERVENTION_COLOR,
               palette.EVENT_COLOR), tuple(palette.VERDICT_COLORS.values())]
    for colors in charts:
        assert len(set(colors)) == len(colors)
    # the two partners differ in lightness as well as hue, so they part in grey print too
    assert contrast(*palette.PARTNER_COLORS) >= 1.2
