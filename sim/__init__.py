"""Attract & Repel: an agent model of the pursue-withdraw dance between two partners.

Quick start::

    import sim
    result = sim.simulate(sim.PRESETS["anxious-avoidant"])
    result.verdict          # "cycles": the endless dance
    result.metrics["period"]
    fitted = sim.fit(observations)  # a couple's scores from observed series, with intervals
    sim.what_helps(couple).by_who["both"]  # the five kinds of help, ranked for this couple

Time is in days. See ``docs/model.md`` for the equations and every parameter.
"""

from ._version import __version__
from .batch import DEFAULT_DT, DEFAULT_STEPS, simulate, simulate_batch
from .bifurcation import BifurcationDiagram, bifurcation_diagram
from .continuation import BifurcationCurves, Continuation, bifurcation_curves, continuation
from .events import EVENT_KINDS, Event
from .fitting import Fit, Recovery, fit, fit_dyads, recovery, to_long
from .helps import HelpRanking, what_helps
from .interventions import INTERVENTION_KINDS, Intervention
from .partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, Couple, Partner, param_spec, style_of
from .presets import PRESET_TEXT, PRESETS
from .regime import RegimeMap, regime_map
from .result import BatchResult, Result
from .scenario import Scenario, ScenarioError, load_scenario, save_scenario
from .signals import FEELINGS, SIGNALS, Signal
from .stability import Stability, stability
from .verdict import HEDGE, VERDICT_TEXT, VERDICTS

__all__ = [
    "__version__",
    "COUPLE_PARAMS",
    "DEFAULT_DT",
    "DEFAULT_STEPS",
    "EVENT_KINDS",
    "FEELINGS",
    "HEDGE",
    "INTERVENTION_KINDS",
    "PARTNER_PARAMS",
    "PARTNER_SCORES",
    "PRESETS",
    "PRESET_TEXT",
    "SIGNALS",
    "VERDICTS",
    "VERDICT_TEXT",
    "BatchResult",
    "BifurcationDiagram",
    "BifurcationCurves",
    "Continuation",
    "Couple",
    "Event",
    "Fit",
    "HelpRanking",
    "Intervention",
    "Partner",
    "Recovery",
    "RegimeMap",
    "Result",
    "Scenario",
    "ScenarioError",
    "Signal",
    "Stability",
    "bifurcation_curves",
    "bifurcation_diagram",
    "continuation",
    "fit",
    "fit_dyads",
    "load_scenario",
    "param_spec",
    "recovery",
    "regime_map",
    "save_scenario",
    "simulate",
    "simulate_batch",
    "stability",
    "style_of",
    "to_long",
    "what_helps",
]
