"""The bifurcation figure (sim.plots.bifurcation): every part drawn, in the chosen language."""

from __future__ import annotations

import pytest

import sim
from sim.plots.bifurcation import BIFURCATION_TEXT, bifurcation_figure


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_figure_draws_every_part_in_the_chosen_language(lang: str) -> None:
    diagram = sim.bifurcation_diagram("a.anxiety", n=41)
    fig = bifurcation_figure(diagram, lang=lang)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert BIFURCATION_TEXT["stable"][lang] in labels and BIFURCATION_TEXT["hopf"][lang] in labels
    assert ax.get_ylabel() == BIFURCATION_TEXT["closeness"][lang]
    assert len(ax.collections) >= 2 * 2  # bars and dots of at least two verdicts
