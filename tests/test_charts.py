"""The run as the browser draws it (``ui.charts``): the curves, their words, and names kept as data."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim.dynamics import TIP
from sim.plots import PARTNER_COLORS, PLOT_TEXT
from sim.result import Result
from ui.charts import MAX_POINTS, run_charts

TRAP = sim.PRESETS["anxious-avoidant"]
STRONG = sim.PRESETS["intense-trap"]
BREAKS = replace(STRONG, a=replace(STRONG.a, doubt_threshold=1.0))
"""A strong trap in which A's doubt tips within 200 days (A carries less fear before doubting)."""
HELP = (sim.Intervention("safety", start=60.0),)


@pytest.fixture(scope="module")
def runs() -> tuple[Result, Result]:
    events = (sim.Event("conflict", at=30.0), sim.Event("intimate_moment", at=45.0))
    helped = sim.simulate(TRAP, events=events, interventions=HELP, seed=0)
    plain = sim.simulate(TRAP, events=events, seed=0)
    return helped, plain


def data(spec: dict[str, Any]) -> pd.DataFrame:
    (table,) = spec["datasets"].values()
    return table.to_pandas()


def layers_with(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def close(shown: Any, expected: Any) -> None:
    """Values as sent: float32, three to four digits more than a chart can show."""
    np.testing.assert_allclose(shown, expected, rtol=1e-6, atol=1e-9)


def curve(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame[frame["key"] == key].sort_values("day")


def test_four_panels_closeness_moves_fears_doubt_in_each_language(runs) -> None:
    for lang in ("en", "nl"):
        charts = run_charts(runs[1], lang=lang)
        assert [c["title"] for c in charts] == [PLOT_TEXT[k][lang] for k in ("closeness", "moves", "fears", "doubt")]
        x_axes = [layers_with(c, "line")[0]["encoding"]["x"]["axis"] for c in charts]
        assert [a["labels"] for a in x_axes] == [False, False, False, True]
        assert x_axes[3]["title"] == PLOT_TEXT["day"][lang]
    assert "locale" not in run_charts(runs[1])[0]["config"]
    assert run_charts(runs[1], lang="nl")[0]["config"]["locale"]["number"]["decimal"] == ","


def test_the_curves_are_the_run_at_the_days_sent(runs) -> None:
    result = runs[1]
    closeness, moves, fears, doubt = (data(c) for c in run_charts(result))
    step = int(np.ceil(result.t.shape[0] / MAX_POINTS))
    days = result.t[::step]
    shown = curve(closeness, "closeness")
    assert len(shown) == len(days) <= MAX_POINTS
    close(shown["day"], days)
    close(shown["value"], result.closeness[::step])
    for i, key in enumerate("ab"):
        close(curve(moves, key)["value"], result.move[i][::step])
        close(curve(fears, f"{key}_close")["value"], result.engulfment[i][::step])
        close(curve(fears, f"{key}_left")["value"], result.abandonment[i][::step])
        close(curve(doubt, key)["value"], result.doubt[i][::step])
    assert set(closeness["key"]) == {"closeness"} and set(fears["run"]) == {"now"} == set(doubt["run"])


def test_the_doubt_panel_runs_from_0_to_1_with_the_tipping_point_named(runs) -> None:
    """Doubt in [0, 1], each partner in their colour, and a rule at the tipping point with its words."""
    doubt = run_charts(sim.simulate(BREAKS, seed=0), lang="nl")[3]
    line = layers_with(doubt, "line")[0]["encoding"]
    assert line["y"]["scale"]["domain"] == [0.0, 1.0] and line["color"]["scale"]["range"] == list(PARTNER_COLORS)
    rule = [layer for layer in layers_with(doubt, "rule") if "params" not in layer and "y" in layer["encoding"]]
    assert [layer["data"]["values"][0]["tip"] for layer in rule] == [TIP]
    (words,) = layers_with(doubt, "text")
    assert words["data"]["values"][0]["text"] == PLOT_TEXT["doubt_tip"]["nl"]
    frame = data(doubt)
    assert curve(frame, "a")["value"].max() > TIP > curve(frame, "b")["value"].max()


def test_partners_keep_their_colours_and_the_fears_their_dashes(runs) -> None:
    moves, fears = run_charts(runs[1])[1:3]
    line = layers_with(moves, "line")[0]["encoding"]
    assert line["color"]["scale"] == {"domain": ["A", "B"], "range": list(PARTNER_COLORS)}
    fear = layers_with(fears, "line")[0]["encoding"]
    assert fear["color"]["scale"]["range"] == list(PARTNER_COLORS)
    assert fear["strokeDash"]["scale"]["domain"] == [PLOT_TEXT["fear_close"]["en"], PLOT_TEXT["fear_left"]["en"]]
    solid, dashed = fear["strokeDash"]["scale"]["range"]
    assert solid[1] == 0 and dashed[1] > 0


def test_each_partners_moves_are_shaded_down_to_zero_as_one_area(runs) -> None:
    """One area per partner, not stacked and not split per point (an ``order`` channel would split it)."""
    moves = run_charts(runs[1])[1]
    (area,) = layers_with(moves, "area")
    encoding = area["encoding"]
    assert encoding["y"]["stack"] is None and encoding["y2"] == {"datum": 0.0}
    assert "order" not in encoding and "detail" not in encoding
    assert encoding["color"] == layers_with(moves, "line")[0]["encoding"]["color"]
    assert encoding["color"]["legend"]["symbolType"] == "stroke"


def test_the_run_without_interventions_is_drawn_faded_and_the_help_shaded(runs) -> None:
    helped, plain = runs
    closeness, moves, fears, doubt = run_charts(helped, plain, lang="nl")
    without = curve(data(closeness), "without")
    close(without["value"], plain.closeness[:: int(np.ceil(plain.t.shape[0] / MAX_POINTS))])
    assert set(without["label"]) == {PLOT_TEXT["closeness_without"]["nl"]}
    faded = data(fears)[data(fears)["run"] == "without"]
    assert set(faded["key"]) == {"a_close_without", "a_left_without", "b_close_without", "b_left_without"}
    assert layers_with(fears, "line")[0]["encoding"]["opacity"]["scale"] == {"domain": ["now", "without"],
                                                                             "range": [1.0, 0.3]}
    assert set(data(doubt)[data(doubt)["run"] == "without"]["key"]) == {"a_without", "b_without"}
    for chart in (closeness, moves, fears, doubt):
        (band,) = layers_with(chart, "rect")
        assert band["data"]["values"] == [{"from": 60.0, "to": float(helped.t[-1])}]
    (label,) = layers_with(closeness, "text")
    assert label["data"]["values"][0]["text"].startswith(PLOT_TEXT["interventions"]["nl"])
    for chart in run_charts(plain):
        assert not layers_with(chart, "rect")
    assert "without" not in set(data(run_charts(helped)[0])["key"])


def test_events_are_marked_with_their_kind(runs) -> None:
    closeness = run_charts(runs[1], lang="nl")[0]
    (points,) = layers_with(closeness, "point")
    labels = [sim.EVENT_KINDS[kind].label["nl"] for kind in ("conflict", "intimate_moment")]
    assert [e["day"] for e in points["data"]["values"]] == [30.0, 45.0]
    assert points["encoding"]["shape"]["scale"]["domain"] == labels
    assert not layers_with(run_charts(sim.simulate(TRAP))[0], "point")


def test_the_tooltip_gives_every_curve_at_the_day_under_the_pointer(runs) -> None:
    closeness, moves, fears, doubt = run_charts(runs[0], runs[1])
    for chart, keys in ((closeness, ["closeness", "without"]), (moves, ["a", "b"]),
                        (fears, ["a_close", "a_left", "b_close", "b_left"]), (doubt, ["a", "b"])):
        (rule,) = [layer for layer in layers_with(chart, "rule") if "params" in layer]
        assert rule["params"][0]["select"]["nearest"] is True
        assert [t["field"] for t in rule["encoding"]["tooltip"]] == ["day", *keys]
        assert {"pivot": "key", "value": "value", "groupby": ["day"]} in rule["transform"]


@pytest.mark.parametrize("name", ['Eve "the \\ one"', "a.b[0]", "datum.x || alert(1)", "${x}", "<b>Bo</b>"])
def test_a_typed_name_is_data_or_a_title_and_never_part_of_an_expression(name: str) -> None:
    couple = replace(TRAP, a=replace(TRAP.a, name=name))
    charts = run_charts(sim.simulate(couple, interventions=HELP))
    for chart in charts:
        text = json.dumps({k: v for k, v in chart.items() if k != "datasets"})
        assert '"expr"' not in text and '"calculate"' not in text and "labelExpr" not in text
        for layer in chart["layer"]:
            for step in layer.get("transform", []):
                assert name not in json.dumps(step)
    moves = charts[1]
    assert layers_with(moves, "line")[0]["encoding"]["color"]["scale"]["domain"] == [name, "B"]
    assert set(data(moves)["label"]) == {name, "B"}
    tooltip = [layer for layer in layers_with(moves, "rule") if "params" in layer][0]["encoding"]["tooltip"]
    assert tooltip[1]["title"] == name and tooltip[1]["field"] == "a"


def test_the_same_name_twice_is_told_apart_by_the_letters() -> None:
    couple = replace(TRAP, a=replace(TRAP.a, name="Sam"), b=replace(TRAP.b, name="Sam"))
    moves = run_charts(sim.simulate(couple))[1]
    assert layers_with(moves, "line")[0]["encoding"]["color"]["scale"]["domain"] == ["Sam (A)", "Sam (B)"]


def test_projector_mode_has_bigger_text_thicker_lines_and_taller_panels(runs) -> None:
    small, large = run_charts(runs[1]), run_charts(runs[1], large=True)
    for s, big in zip(small, large, strict=True):
        assert big["height"] > s["height"]
        assert big["config"]["axis"]["labelFontSize"] > s["config"]["axis"]["labelFontSize"]
        assert layers_with(big, "line")[0]["mark"]["strokeWidth"] > layers_with(s, "line")[0]["mark"]["strokeWidth"]


def test_a_long_run_is_thinned_to_what_a_chart_can_show() -> None:
    result = sim.simulate(TRAP, steps=4000)
    for chart in run_charts(result):
        frame = data(chart)
        assert frame.groupby("key").size().max() <= MAX_POINTS
        assert frame["day"].max() >= float(result.t[-1]) - 1.0
