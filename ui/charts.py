"""The run drawn in the browser: Vega-Lite specs of closeness, moves, fears and doubt over time.

The page draws its main chart with ``st.vega_lite_chart``: the server sends a few hundred numbers
per curve and each visitor's browser draws them, with a tooltip that reads the values at the day
under the pointer. Drawing the same chart with matplotlib took about 140 ms of server CPU per
rerun, which a server shared by a room of thirty cannot afford (``bench/load_test.py``). The
matplotlib figure (``sim.plots.run_figure``) stays the picture behind the PNG download, the
workshop and the notebooks; both show the same panels in the same colours and words
(``sim.plots.PLOT_TEXT``).

Every text a user typed (the partner names) goes into the data or into plain titles, never into a
Vega expression, so no name can change what a chart does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa

import sim
from sim.plots import PARTNER_COLORS, plot_text
from sim.plots.palette import BASELINE_COLOR, CLOSENESS_COLOR, EVENT_COLOR, INTERVENTION_COLOR
from sim.result import Result
from sim.signals import TIP

__all__ = ["MAX_POINTS", "SPARK_HEIGHT", "run_charts", "sparkline"]

MAX_POINTS = 500
"""Points per curve sent to the browser: a chart a few hundred pixels wide cannot show more."""
EVENT_SHAPES = {"intimate_moment": "triangle-down", "conflict": "cross", "stress": "diamond"}
"""Marker of each event kind along the top of the closeness panel (as in ``sim.plots``)."""
SOLID, DASHED = [1, 0], [6, 4]
SPARK_HEIGHT = 44
"""Pixels of the small closeness line that stays in sight on a phone."""
NL_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}}


def _labels(result: Result) -> tuple[str, str]:
    """The two partners' names as shown in legends; the same name twice gets the letters added."""
    a, b = (name.strip() or letter for name, letter in ((result.couple.a.name, "A"), (result.couple.b.name, "B")))
    return (f"{a} (A)", f"{b} (B)") if a == b else (a, b)


def _stride(n: int) -> slice:
    return slice(None, None, max(1, math.ceil(n / MAX_POINTS)))


def _series(t: np.ndarray, curves: dict[str, np.ndarray], labels: dict[str, str], **columns: dict[str, str]) -> \
        pa.Table:
    """Long table of curves: one row per (day, curve) with the curve's key, its label and extra columns.

    An Arrow table, as the browser receives it: numbers as float32 (a chart shows 3 digits), the
    text columns dictionary-encoded (each label once, not once per row). Half the bytes of a
    DataFrame of float64 and strings, and no conversion on the server.
    """
    step = _stride(t.shape[0])
    days = np.asarray(t[step], dtype=np.float32)
    n = days.shape[0]
    keys = list(curves)

    def text(by_key: dict[str, str]) -> pa.DictionaryArray:
        words = list(dict.fromkeys(by_key[k] for k in keys))
        index = np.repeat(np.array([words.index(by_key[k]) for k in keys], dtype=np.int8), n)
        return pa.DictionaryArray.from_arrays(pa.array(index), pa.array(words))

    table = {
        "day": np.tile(days, len(keys)),
        "value": np.concatenate([np.asarray(curves[k], dtype=np.float32)[step] for k in keys]),
        "key": text({k: k for k in keys}),
        "label": text(labels),
    }
    table.update({name: text(by_key) for name, by_key in columns.items()})
    return pa.table(table)


class _Look:
    """Sizes for the screen or, with ``large``, for a projector."""

    def __init__(self, large: bool) -> None:
        self.large = large
        self.text = 16 if large else 12
        self.line = 3.0 if large else 2.0
        self.heights = (270, 200, 200, 130) if large else (200, 140, 150, 90)

    def config(self, lang: str) -> dict[str, Any]:
        config: dict[str, Any] = {
            "axis": {"labelFontSize": self.text - 1, "titleFontSize": self.text, "gridOpacity": 0.5},
            "axisY": {"minExtent": 44 if self.large else 36, "maxExtent": 44 if self.large else 36},
            "axisX": {"tickCount": 8},
            "legend": {"labelFontSize": self.text - 1, "titleFontSize": self.text, "orient": "top",
                       "symbolStrokeWidth": self.line, "labelLimit": 260},
            "title": {"fontSize": self.text + 1, "anchor": "start", "fontWeight": "bold"},
            "view": {"stroke": None},
        }
        if lang == "nl":
            config["locale"] = NL_LOCALE
        return config


def _x(end: float, lang: str, *, labels: bool) -> dict[str, Any]:
    axis: dict[str, Any] = {"title": plot_text("day", lang) if labels else None, "labels": labels, "ticks": labels,
                            "titleAnchor": "end"}
    return {"field": "day", "type": "quantitative", "scale": {"domain": [0.0, end], "nice": False}, "axis": axis}


def _hover(name: str, keys: list[str], labels: dict[str, str], lang: str, *, only: str | None = None) -> \
        dict[str, Any]:
    """A rule at the day nearest the pointer, whose tooltip gives every curve's value on that day."""
    transform: list[dict[str, Any]] = []
    if only is not None:
        transform.append({"filter": {"field": "run", "equal": only}})
    transform.append({"pivot": "key", "value": "value", "groupby": ["day"]})
    tooltip = [{"field": "day", "type": "quantitative", "title": plot_text("day", lang), "format": ".1f"}]
    tooltip += [{"field": key, "type": "quantitative", "title": labels[key], "format": ".2f"} for key in keys]
    return {
        "transform": transform,
        "mark": {"type": "rule", "color": "#777777", "strokeWidth": 1},
        "encoding": {"x": {"field": "day", "type": "quantitative"},
                     "opacity": {"condition": {"param": name, "empty": False, "value": 0.6}, "value": 0},
                     "tooltip": tooltip},
        "params": [{"name": name, "select": {"type": "point", "fields": ["day"], "nearest": True,
                                             "on": "pointerover", "clear": "pointerout"}}],
    }


def _intervention_layers(start: float | None, end: float, lang: str, look: _Look, *, label: bool) -> \
        list[dict[str, Any]]:
    """The days the interventions are in force, shaded, with a line where they start."""
    if start is None:
        return []
    band = {"data": {"values": [{"from": start, "to": end}]},
            "mark": {"type": "rect", "color": INTERVENTION_COLOR, "opacity": 0.07},
            "encoding": {"x": {"field": "from", "type": "quantitative"}, "x2": {"field": "to"}}}
    rule = {"data": {"values": [{"from": start}]},
            "mark": {"type": "rule", "color": INTERVENTION_COLOR, "strokeWidth": 1.5, "opacity": 0.8},
            "encoding": {"x": {"field": "from", "type": "quantitative"}}}
    layers = [band, rule]
    if label:
        layers.append({"data": {"values": [{"from": start, "text": plot_text("interventions", lang) + " →"}]},
                       "mark": {"type": "text", "color": INTERVENTION_COLOR, "fontWeight": "bold", "align": "left",
                                "baseline": "bottom", "dx": 4, "dy": -4, "fontSize": look.text - 1},
                       "encoding": {"x": {"field": "from", "type": "quantitative"}, "y": {"value": look.heights[0]},
                                    "text": {"field": "text"}}})
    return layers


def _chart(title: str, height: int, layers: list[dict[str, Any]], config: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "title": title, "height": height,
            "autosize": {"type": "fit-x", "contains": "padding"}, "layer": layers, "config": config}


def sparkline(result: Result) -> dict[str, Any]:
    """Closeness over the run, small and without axes: the line on a phone's card that stays in sight."""
    data = _series(result.t, {"closeness": result.closeness}, {"closeness": ""})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "height": SPARK_HEIGHT,
            "autosize": {"type": "fit-x", "contains": "padding"}, "datasets": {"closeness": data},
            "data": {"name": "closeness"}, "mark": {"type": "line", "color": CLOSENESS_COLOR, "strokeWidth": 1.5},
            "encoding": {"x": {"field": "day", "type": "quantitative", "axis": None},
                         "y": {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": True}}},
            "config": {"view": {"stroke": None}}}


def run_charts(result: Result, baseline: Result | None = None, *, lang: str = "en", large: bool = False) -> \
        list[dict[str, Any]]:
    """Four Vega-Lite specs with their data: closeness, each partner's moves, both partners' fears, their doubt.

    Parameters
    ----------
    result : the run to draw
    baseline : optional run over the same days (the scenario without interventions), drawn faded
    lang : "en" or "nl", the language of every word
    large : bigger text, thicker lines and taller panels, for a projector

    Returns
    -------
    Specs for ``st.vega_lite_chart`` (each holds its data in ``datasets``), top to bottom. They
    share the time axis: the day axis is labelled on the last one only, and every panel reserves
    the same width for its value axis so the days line up.
    """
    look = _Look(large)
    end = float(result.t[-1])
    starts = [iv.start for iv in result.interventions if iv.start < end]
    start = min(starts) if starts else None

    def helped(label: bool) -> list[dict[str, Any]]:
        return _intervention_layers(start, end, lang, look, label=label)

    return [_closeness_chart(result, baseline, lang, look, helped(True)),
            _moves_chart(result, lang, look, helped(False)),
            _fears_chart(result, baseline, lang, look, helped(False)),
            _doubt_chart(result, baseline, lang, look, helped(False))]


def _closeness_chart(result: Result, baseline: Result | None, lang: str, look: _Look,
                     layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Closeness, the run without interventions (dashed), the events along the top, the interventions' days."""
    end = float(result.t[-1])
    curves = {"closeness": result.closeness}
    labels = {"closeness": plot_text("closeness", lang)}
    if baseline is not None:
        curves["without"] = np.interp(result.t, baseline.t, baseline.closeness)
        labels["without"] = plot_text("closeness_without", lang)
    keys = list(curves)
    colors = {"closeness": CLOSENESS_COLOR, "without": BASELINE_COLOR}
    dashes = {"closeness": SOLID, "without": DASHED}
    word = "nl" if lang == "nl" else "en"
    shown = [e for e in result.events if e.at <= end]
    layers = list(layers)
    if shown:
        events = [{"day": float(e.at), "kind": sim.EVENT_KINDS[e.kind].label[word]} for e in shown]
        kinds = list(dict.fromkeys(e.kind for e in shown))
        layers.append({"data": {"values": events},
                       "mark": {"type": "rule", "color": EVENT_COLOR, "opacity": 0.08 if len(events) > 40 else 0.25},
                       "encoding": {"x": {"field": "day", "type": "quantitative"}}})
        layers.append({"data": {"values": events},
                       "mark": {"type": "point", "filled": True, "color": EVENT_COLOR, "size": 9 * look.text,
                                "opacity": 0.9},
                       "encoding": {
                           "x": {"field": "day", "type": "quantitative"}, "y": {"value": 0},
                           "shape": {"field": "kind", "type": "nominal", "title": None,
                                     "scale": {"domain": [sim.EVENT_KINDS[k].label[word] for k in kinds],
                                               "range": [EVENT_SHAPES[k] for k in kinds]}},
                           "tooltip": [{"field": "kind", "type": "nominal", "title": " "},
                                       {"field": "day", "type": "quantitative", "title": plot_text("day", lang),
                                        "format": ".1f"}]}})
    layers.append({
        "data": {"name": "closeness"},
        "mark": {"type": "line", "strokeWidth": look.line, "clip": True},
        "encoding": {
            "x": _x(end, lang, labels=False),
            "y": {"field": "value", "type": "quantitative", "title": None, "scale": {"zero": True},
                  "axis": {"tickCount": 3}},
            "color": {"field": "label", "type": "nominal", "title": None, "legend": None if len(keys) == 1 else {},
                      "scale": {"domain": [labels[k] for k in keys], "range": [colors[k] for k in keys]}},
            "strokeDash": {"field": "label", "type": "nominal", "legend": None,
                           "scale": {"domain": [labels[k] for k in keys], "range": [dashes[k] for k in keys]}},
            "order": {"field": "day"},
        },
    })
    layers.append({"data": {"name": "closeness"}, **_hover("at_day_c", keys, labels, lang)})
    spec = _chart(plot_text("closeness", lang), look.heights[0], layers, look.config(lang))
    spec["datasets"] = {"closeness": _series(result.t, curves, labels)}
    return spec


def _moves_chart(result: Result, lang: str, look: _Look, layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Each partner's moves toward (+) and away (-), shaded down to zero."""
    names = _labels(result)
    curves = {"a": result.move[0], "b": result.move[1]}
    labels = {"a": names[0], "b": names[1]}
    color = {"field": "label", "type": "nominal", "title": None,
             "scale": {"domain": list(names), "range": list(PARTNER_COLORS)},
             "legend": {"symbolType": "stroke", "symbolOpacity": 1}}  # as a line, not the faint fill
    x = _x(float(result.t[-1]), lang, labels=False)
    layers = [
        *layers,
        {"data": {"values": [{"zero": 0.0}]}, "mark": {"type": "rule", "color": "#444444", "strokeWidth": 0.8},
         "encoding": {"y": {"field": "zero", "type": "quantitative"}}},
        {"data": {"name": "moves"}, "mark": {"type": "area", "opacity": 0.12, "clip": True},
         "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "stack": None}, "y2": {"datum": 0.0},
                      "color": color}},
        {"data": {"name": "moves"}, "mark": {"type": "line", "strokeWidth": look.line, "clip": True},
         "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "title": None,
                                    "axis": {"tickCount": 3}},
                      "color": color, "order": {"field": "day"}}},
        {"data": {"name": "moves"}, **_hover("at_day_m", ["a", "b"], labels, lang)},
    ]
    spec = _chart(plot_text("moves", lang), look.heights[1], layers, look.config(lang))
    spec["datasets"] = {"moves": _series(result.t, curves, labels)}
    return spec


def _fears_chart(result: Result, baseline: Result | None, lang: str, look: _Look,
                 layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Both partners' fears: of closeness (solid) and of being left (dashed); the run without help faded."""
    names = _labels(result)
    fear_close, fear_left = plot_text("fear_close", lang), plot_text("fear_left", lang)
    runs = [("now", result)] + ([("without", baseline)] if baseline is not None else [])
    curves, labels, partner, fear, run = {}, {}, {}, {}, {}
    for tag, source in runs:
        for i, who in enumerate("ab"):
            for kind, values, text in (("close", source.engulfment[i], fear_close),
                                       ("left", source.abandonment[i], fear_left)):
                key = f"{who}_{kind}" + ("" if tag == "now" else "_without")
                curves[key] = values if source is result else np.interp(result.t, source.t, values)
                labels[key] = f"{names[i]}: {text}"
                partner[key], fear[key], run[key] = names[i], text, tag
    layers = [
        *layers,
        {"data": {"name": "fears"}, "mark": {"type": "line", "strokeWidth": look.line, "clip": True},
         "encoding": {
             "x": _x(float(result.t[-1]), lang, labels=False),
             "y": {"field": "value", "type": "quantitative", "title": None, "scale": {"zero": True},
                   "axis": {"tickCount": 3}},
             "color": {"field": "partner", "type": "nominal", "title": None,
                       "scale": {"domain": list(names), "range": list(PARTNER_COLORS)}},
             "strokeDash": {"field": "fear", "type": "nominal", "title": None,
                            "scale": {"domain": [fear_close, fear_left], "range": [SOLID, DASHED]}},
             "opacity": {"field": "run", "type": "nominal", "legend": None,
                         "scale": {"domain": ["now", "without"], "range": [1.0, 0.3]}},
             "detail": {"field": "key", "type": "nominal"},
             "order": {"field": "day"},
         }},
        {"data": {"name": "fears"},
         **_hover("at_day_f", [k for k in curves if run[k] == "now"], labels, lang, only="now")},
    ]
    spec = _chart(plot_text("fears", lang), look.heights[2], layers, look.config(lang))
    spec["datasets"] = {"fears": _series(result.t, curves, labels, partner=partner, fear=fear, run=run)}
    return spec


def _doubt_chart(result: Result, baseline: Result | None, lang: str, look: _Look,
                 layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Each partner's stay-or-go doubt (0..1), with the tipping point above which it turns into a break-up."""
    names = _labels(result)
    runs = [("now", result)] + ([("without", baseline)] if baseline is not None else [])
    curves, labels, partner, run = {}, {}, {}, {}
    for tag, source in runs:
        for i, who in enumerate("ab"):
            key = who + ("" if tag == "now" else "_without")
            values = source.doubt[i]
            curves[key] = values if source is result else np.interp(result.t, source.t, values)
            labels[key], partner[key], run[key] = names[i], names[i], tag
    tip = {"data": {"values": [{"tip": TIP, "text": plot_text("doubt_tip", lang)}]}}
    layers = [
        *layers,
        {**tip, "mark": {"type": "rule", "color": "#777777", "strokeDash": [2, 3], "strokeWidth": 1.2},
         "encoding": {"y": {"field": "tip", "type": "quantitative"}}},
        {**tip, "mark": {"type": "text", "color": "#666666", "align": "right", "baseline": "bottom", "dy": -2,
                         "fontSize": look.text - 2},
         "encoding": {"x": {"value": "width"}, "y": {"field": "tip", "type": "quantitative"},
                      "text": {"field": "text"}}},
        {"data": {"name": "doubt"}, "mark": {"type": "line", "strokeWidth": look.line, "clip": True},
         "encoding": {
             "x": _x(float(result.t[-1]), lang, labels=True),
             "y": {"field": "value", "type": "quantitative", "title": None, "scale": {"domain": [0.0, 1.0]},
                   "axis": {"values": [0.0, TIP, 1.0]}},
             "color": {"field": "partner", "type": "nominal", "title": None, "legend": None,
                       "scale": {"domain": list(names), "range": list(PARTNER_COLORS)}},
             "opacity": {"field": "run", "type": "nominal", "legend": None,
                         "scale": {"domain": ["now", "without"], "range": [1.0, 0.3]}},
             "detail": {"field": "key", "type": "nominal"},
             "order": {"field": "day"},
         }},
        {"data": {"name": "doubt"},
         **_hover("at_day_d", [k for k in curves if run[k] == "now"], labels, lang, only="now")},
    ]
    spec = _chart(plot_text("doubt", lang), look.heights[3], layers, look.config(lang))
    spec["datasets"] = {"doubt": _series(result.t, curves, labels, partner=partner, run=run)}
    return spec
