"""sim/loop.py: the loop read from a run lives in the model, and the workshop only draws it."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

import sim
from sim import loop
from ui.workshop import cycle

ROOT = Path(__file__).resolve().parents[1]


def test_the_cycle_map_draws_the_models_reading_of_the_loop() -> None:
    assert cycle.link_states is loop.link_states and cycle.NODES is loop.NODES
    imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse((ROOT / "sim" / "loop.py").read_text()))
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(ast.parse((ROOT / "sim" / "loop.py").read_text()))
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert imported <= {"__future__", "numpy"}  # no drawing, no page


def test_the_classic_trap_goes_round_its_loop_and_a_secure_couple_stays_calm() -> None:
    trap = sim.simulate(sim.PRESETS["anxious-avoidant"])
    _, withdrawer, pursuer = trap.loop()
    states = loop.link_states(trap, withdrawer, pursuer)
    assert states.shape == (trap.steps + 1,)
    late = states[states.size // 2:]
    assert {0, 1, 2, 3} <= set(late.tolist())
    secure = sim.simulate(sim.PRESETS["secure"])
    assert np.all(loop.link_states(secure, 1, 0)[secure.steps // 2:] == loop.CALM)
