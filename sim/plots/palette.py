"""Colours: one per partner, one per verdict, readable on a projector and for colour-blind viewers.

Partner colours are from the Okabe-Ito palette (Okabe & Ito 2008): blue for partner A, vermilion
for partner B; closeness is drawn in near-black.
"""

PARTNER_COLORS = ("#0072B2", "#D55E00")
"""Partner A, partner B."""
CLOSENESS_COLOR = "#222222"
VERDICT_COLORS = {"settles": "#009E73", "cycles": "#E69F00", "escalates": "#CC3311"}
"""Colour of each verdict on maps and banners."""
