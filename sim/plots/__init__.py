"""Matplotlib helpers shared by the page, the workshop and the notebooks.

Every helper draws on a :class:`matplotlib.figure.Figure` (never ``pyplot``: its global state is
not safe under Streamlit's reruns) and uses the same colour for a partner everywhere.
"""

from .palette import PARTNER_COLORS, VERDICT_COLORS
from .regime import REGIME_TEXT, draw_regime_map, regime_figure
from .run import PLOT_TEXT, figure_png, phase_figure, plot_text, run_figure

__all__ = ["PARTNER_COLORS", "PLOT_TEXT", "REGIME_TEXT", "VERDICT_COLORS", "draw_regime_map",
           "figure_png", "phase_figure", "plot_text", "regime_figure", "run_figure"]
