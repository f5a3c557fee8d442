"""Parameter names of sweeps (sim.sweep.params): every score and parameter addressed by one name, set and checked."""

from __future__ import annotations

import pytest

import sim
import sim.stats
from sim.sweep import (
    param_names,
    resolve,
    set_params,
)

TRAP = sim.PRESETS["anxious-avoidant"]


def test_names_address_partner_scores_partner_params_and_couple_params() -> None:
    names = param_names()
    assert len(names) == 3 * (2 + len(sim.PARTNER_PARAMS)) + len(sim.COUPLE_PARAMS)
    for name in ("a.anxiety", "b.avoidance", "both.alarm_lag", "a.doubt_time", "b.relief", "fading", "fear_ceiling"):
        assert name in names
        assert resolve(name).name == name
    ref = resolve("b.alarm_lag")
    assert (ref.who, ref.field, ref.partners()) == ("b", "alarm_lag", (1,))
    assert (ref.low, ref.high) == (sim.PARTNER_PARAMS["alarm_lag"].low, sim.PARTNER_PARAMS["alarm_lag"].high)
    assert resolve("fading").partners() == ()
    assert resolve("both.anxiety").overlaps(resolve("a.anxiety"))
    assert not resolve("a.anxiety").overlaps(resolve("b.anxiety"))
    assert resolve("a.anxiety").label("nl", ("Sam", "Kim")) == "Sam: " + sim.PARTNER_SCORES["anxiety"].label["nl"]
    for bad in ("anxiety", "a.fading", "x.anxiety", "a.nothing", "", 3):
        with pytest.raises(ValueError, match="unknown parameter"):
            resolve(bad)  # type: ignore[arg-type]


def test_set_params_sets_and_validates() -> None:
    c = set_params(TRAP, {"a.anxiety": 0.3, "b.alarm_lag": 2.0, "fading": 0.8})
    assert (c.a.anxiety, c.b.alarm_lag, c.fading) == (0.3, 2.0, 0.8)
    assert c.a.avoidance == TRAP.a.avoidance and c.b.anxiety == TRAP.b.anxiety
    both = set_params(TRAP, {"both.avoidance": 0.4})
    assert both.a.avoidance == both.b.avoidance == 0.4
    assert resolve("b.alarm_lag").value(c) == 2.0
    assert resolve("a.alarm_lag").value(c) == c.a.params()["alarm_lag"]
    with pytest.raises(ValueError, match="anxiety"):
        set_params(TRAP, {"a.anxiety": 1.5})
