"""Matplotlib helpers shared by the page, the workshop and the notebooks.

Every helper draws on a :class:`matplotlib.figure.Figure` (never ``pyplot``: its global state is
not safe under Streamlit's reruns) and uses the same colour for a partner everywhere.
"""

from .palette import PARTNER_COLORS, VERDICT_COLORS

__all__ = ["PARTNER_COLORS", "VERDICT_COLORS"]
