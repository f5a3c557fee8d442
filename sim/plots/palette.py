"""Colours: one per partner, one per verdict, readable on a projector and for colour-blind viewers.

Partner colours are from the Okabe-Ito palette (Okabe & Ito 2008): blue for partner A, vermilion
for partner B; closeness is drawn in near-black.
"""

__all__ = ["BASELINE_COLOR", "BOUNDARY_COLOR", "CLOSENESS_COLOR", "EVENT_COLOR", "INTERVENTION_COLOR",
           "PARTNER_COLORS", "VERDICT_COLORS"]

PARTNER_COLORS = ("#0072B2", "#D55E00")
"""Partner A, partner B."""
CLOSENESS_COLOR = "#222222"
VERDICT_COLORS = {"settles": "#009E73", "cycles": "#E69F00", "escalates": "#CC3311"}
"""Colour of each verdict on maps and banners."""
EVENT_COLOR = "#555555"
"""Events on the closeness panel."""
BASELINE_COLOR = "#8C8C8C"
"""The faded run without the interventions."""
INTERVENTION_COLOR = "#009E73"
"""The span and line of an intervention."""
BOUNDARY_COLOR = "#000000"
"""Boundaries between regimes on a map."""
