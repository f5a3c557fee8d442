"""The Streamlit page, headless (``streamlit.testing.v1.AppTest``), and its helpers in ``ui/``.

Every control is driven as a user would drive it; the page must never show an exception, whatever
arrives through the address bar or an uploaded file. The helpers behind the page (``ui/query.py``,
``ui/files.py``, ``ui/state.py``) are tested at the end, without Streamlit.
"""

from __future__ import annotations

import io
import json
import math
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

import sim
from sim.plots import PARTNER_COLORS, PLOT_TEXT
from sim.scenario import Scenario, load_scenario, save_scenario
from ui import files, query, state
from ui.chart_words import chart_words
from ui.charts import run_charts
from ui.i18n import catalog, t
from ui.text import md

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TRAP = sim.PRESETS["anxious-avoidant"]


def tr(key: str, lang: str = "en", **fields: Any) -> str:
    return t("app", key, lang, **fields)


def run_app(params: dict[str, str] | None = None) -> AppTest:
    """The page after its first run, opened with query parameters ``params``."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params or {})
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(markdown: str) -> str:
    """Markdown without the backslashes that escape literal characters, and without the invisible word
    joiners that keep a bare address from becoming a link (see ``ui.text.md``): the text a reader sees."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def scenario(at: AppTest) -> Scenario:
    value = at.session_state["scenario"]
    assert isinstance(value, Scenario)
    return value


def alerts(at: AppTest) -> dict[str, list[str]]:
    return {kind: [plain(a.value) for a in getattr(at, kind)] for kind in ("success", "warning", "error", "info")}


def banner(at: AppTest) -> tuple[str, str]:
    """The verdict banner: (alert kind, its text). The verdict may be followed by how the run ends."""
    verdicts = {text[lang] for text in sim.VERDICT_TEXT.values() for lang in ("en", "nl")}
    found = [(kind, text) for kind, texts in alerts(at).items() for text in texts
             if any(text.startswith(f"**{v}") for v in verdicts)]
    assert len(found) == 1, alerts(at)
    return found[0]


def notices(at: AppTest, lang: str = "en") -> set[str]:
    """Catalog keys of the notices on the page."""
    shown = {a.value for kind in ("success", "warning") for a in getattr(at, kind)}
    return {key for key, text in catalog("app", lang).items() if key.startswith("notice.") and text in shown}


def open_section(at: AppTest, key: str) -> AppTest:
    at.session_state[key] = True
    return ok(at.run())


def charts(at: AppTest) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    """The run's charts as the browser receives them: each spec with its data (the phone's closeness
    line, a chart without a title, is :func:`card` instead)."""
    return [chart for chart in _all_charts(at) if "title" in chart[0]]


def _all_charts(at: AppTest) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    out = []
    for element in at.get("vega_lite_chart"):
        (dataset,) = element.proto.datasets
        out.append((json.loads(element.proto.spec), convert_arrow_bytes_to_pandas_df(dataset.data.data)))
    return out


def card(at: AppTest) -> tuple[dict[str, Any], pd.DataFrame]:
    """The closeness line of the card a phone keeps in sight."""
    (found,) = [chart for chart in _all_charts(at) if "title" not in chart[0]]
    return found


BOX = {"settles": "success", "cycles": "warning", "escalates": "error"}


# --- opening ---------------------------------------------------------------------------------------

def test_the_page_opens_on_the_classic_trap_already_run() -> None:
    at = ok(run_app())
    assert at.title[0].value == tr("title")
    assert at.markdown[0].value == tr("intro")
    assert scenario(at) == query.default_scenario()
    result = sim.simulate(TRAP, seed=0)
    kind, text = banner(at)
    verdict, loop, hedge = result.explain("en")
    assert (kind, result.verdict) == ("warning", "cycles")
    assert text == f"**{verdict}**\n\n{loop}"
    assert hedge in [plain(c.value) for c in at.caption]
    assert [spec["title"] for spec, _ in charts(at)] == [PLOT_TEXT[k]["en"] for k in ("closeness", "moves", "fears",
                                                                                       "doubt")]
    expected = [spec["datasets"] for spec in run_charts(result)]
    for (_, shown), sent in zip(charts(at), expected, strict=True):
        (table,) = sent.values()
        np.testing.assert_allclose(shown["value"], table.column("value").to_numpy())
    assert not at.get("image")
    assert [m.label for m in at.metric] == [tr(f"metric.{name}") for name in
                                            ("tension", "amplitude", "period", "settle_time", "safe_share",
                                             "mean_closeness")]
    assert at.metric[2].value == tr("metric.days", value=f"{result.metrics['period']:.0f}")
    table = at.table[0].value
    assert len(table) == len(result.signals) > 0
    assert plain(table.iloc[0, 2]) == sim.SIGNALS[result.signals[0].key]["en"]
    assert notices(at) == set()
    assert dict(at.query_params) == query.scenario_to_query(query.default_scenario())


def test_the_sidebar_links_the_pages_in_the_page_language_and_the_page_offers_the_guided_start() -> None:
    at = ok(run_app())
    links = at.sidebar.get("page_link")
    assert [(link.proto.label, link.proto.page) for link in links] == [
        (tr("nav.main"), ""), (tr("nav.workshop"), "workshop"), (t("guide", "nav", "en"), "guide")]
    (entry,) = at.main.get("page_link")
    assert (entry.proto.label, entry.proto.page) == (tr("guide.entry"), "guide")
    at.segmented_control(key="lang").set_value("nl").run()
    assert [link.proto.label for link in ok(at).sidebar.get("page_link")] == [
        tr("nav.main", "nl"), tr("nav.workshop", "nl"), t("guide", "nav", "nl")]
    assert at.main.get("page_link")[0].proto.label == tr("guide.entry", "nl")
    assert tr("nav.main", "nl") != tr("nav.main")


def test_a_short_calm_safety_note_is_on_the_page() -> None:
    at = ok(run_app())
    assert tr("about.title") in [m.value for m in at.markdown]
    assert tr("about.body") in [c.value for c in at.caption]
    assert "violence" in tr("about.body") and "geweld" in tr("about.body", "nl")


# --- language --------------------------------------------------------------------------------------

def test_lang_nl_in_the_link_shows_the_page_in_dutch() -> None:
    at = ok(run_app({"lang": "nl"}))
    assert at.title[0].value == tr("title", "nl")
    assert at.markdown[0].value == tr("intro", "nl")
    assert banner(at)[1].startswith("**" + sim.VERDICT_TEXT["cycles"]["nl"])
    label = sim.PARTNER_SCORES["anxiety"].label["nl"]
    assert at.slider(key="a.anxiety").label == tr("partner.control", "nl", label=label, name="A")
    assert scenario(at).lang == "nl"
    assert at.table[0].value.columns[0] == tr("signals.day", "nl")


def test_the_language_switch_changes_every_text_and_keeps_the_scenario() -> None:
    at = ok(run_app())
    at.slider(key="a.anxiety").set_value(0.6).run()
    at.segmented_control(key="lang").set_value("nl").run()
    ok(at)
    assert at.title[0].value == tr("title", "nl")
    assert at.slider(key="a.anxiety").value == 0.6
    assert scenario(at).lang == "nl" and scenario(at).couple.a.anxiety == 0.6
    assert at.query_params["lang"] == "nl"
    assert [m.label for m in at.metric][0] == tr("metric.tension", "nl")
    at.segmented_control(key="lang").set_value("en").run()
    assert ok(at).title[0].value == tr("title")


# --- partners --------------------------------------------------------------------------------------

def test_partner_panels_hold_a_name_two_felt_scores_and_a_style_that_follows_them() -> None:
    at = ok(run_app())
    for who in ("a", "b"):
        for name, spec in sim.PARTNER_SCORES.items():
            slider = at.slider(key=f"{who}.{name}")
            assert (slider.label, slider.help) == (tr("partner.control", label=spec.label["en"], name=who.upper()),
                                                   spec.help["en"])
            assert (slider.min, slider.max) == (spec.low, spec.high)
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges == [f":violet-badge[{tr('style.anxious')}]", f":gray-badge[{tr('style.avoidant')}]"]
    at.text_input(key="a.name").set_value("Sam").run()
    at.slider(key="b.anxiety").set_value(0.2).run()
    at.slider(key="b.avoidance").set_value(0.1).run()
    ok(at)
    couple = scenario(at).couple
    assert (couple.a.name, couple.b.anxiety, couple.b.avoidance) == ("Sam", 0.2, 0.1)
    assert ":blue[**Partner Sam**]" in [m.value for m in at.markdown]
    assert f":green-badge[{tr('style.secure')}]" in [m.value for m in at.markdown]
    assert at.selectbox(key="preset").value is None
    at.slider(key="a.avoidance").set_value(0.8).run()
    assert f":red-badge[{tr('style.fearful')}]" in [m.value for m in ok(at).markdown]


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours ``#rrggbb``."""
    def lum(colour: str) -> float:
        c = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_theme_colours_text_in_the_partner_colours_readable_on_white() -> None:
    import colorsys

    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    for name, colour in zip(("blue", "orange"), PARTNER_COLORS, strict=True):
        assert theme[f"{name}Color"] == colour
        text = theme[f"{name}TextColor"]
        assert _contrast(text, "#ffffff") >= 4.5, (name, text)  # WCAG 1.4.3, normal text
        hues = [colorsys.rgb_to_hls(*(int(c.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)))[0]
                for c in (text, colour)]
        assert abs(hues[0] - hues[1]) < 0.02, (name, text, colour)  # the same hue: still the partner's colour


def test_a_blank_name_falls_back_to_the_letter() -> None:
    at = ok(run_app())
    at.text_input(key="b.name").set_value("   ").run()
    assert scenario(ok(at)).couple.b.name == "B"


def test_the_expert_section_is_built_from_the_metadata_and_keeps_what_is_set_by_hand() -> None:
    at = ok(run_app())
    assert not [s for s in at.slider if s.key.startswith("a.p.")]
    open_section(at, "open.expert.a")
    partner = scenario(at).couple.a
    derived = partner.params()
    sliders = {s.key: s for s in at.slider if s.key.startswith("a.p.")}
    assert set(sliders) == {f"a.p.{name}" for name in sim.PARTNER_PARAMS}
    for name, spec in sim.PARTNER_PARAMS.items():
        slider = sliders[f"a.p.{name}"]
        assert (slider.label, slider.min, slider.max) == (tr("partner.control", label=spec.label["en"], name="A"),
                                                          spec.low, spec.high)
        assert slider.help.startswith(spec.help["en"])
        assert slider.value == pytest.approx(derived[name])
    at.slider(key="a.p.alarm_lag").set_value(3.0).run()
    at.slider(key="a.anxiety").set_value(0.5).run()
    ok(at)
    a = scenario(at).couple.a
    assert a.overrides() == {"alarm_lag": 3.0}
    assert at.slider(key="a.p.security_floor").value == pytest.approx(
        sim.PARTNER_PARAMS["security_floor"].derive(0.5, a.avoidance))
    label = sim.PARTNER_PARAMS["alarm_lag"].label["en"]
    assert at.slider(key="a.p.alarm_lag").label == tr("partner.control", label=tr("expert.set_by_hand", label=label),
                                                      name="A")
    assert tr("expert.set", count=1, names=label.lower()) in [c.value for c in at.caption]
    at.session_state["open.expert.a"] = False
    at.run()
    assert scenario(ok(at)).couple.a.overrides() == {"alarm_lag": 3.0}
    open_section(at, "open.expert.a")
    at.button(key="a.reset").click().run()
    assert scenario(ok(at)).couple.a.overrides() == {}


def test_the_pair_section_holds_the_couple_parameters() -> None:
    at = open_section(ok(run_app()), "open.pair")
    for name, spec in sim.COUPLE_PARAMS.items():
        slider = at.slider(key=f"c.{name}")
        assert (slider.label, slider.min, slider.max) == (spec.label["en"], spec.low, spec.high)
    at.slider(key="c.fading").set_value(1.0).run()
    at.session_state["open.pair"] = False
    at.run()
    assert scenario(ok(at)).couple.fading == 1.0


@pytest.mark.parametrize("name", list(sim.PRESETS))
def test_each_preset_puts_its_couple_in_the_panels_and_shows_its_verdict(name: str) -> None:
    at = ok(run_app())
    at.text_input(key="a.name").set_value("Sam").run()
    at.selectbox(key="preset").set_value(name).run()
    ok(at)
    preset = sim.PRESETS[name]
    couple = scenario(at).couple
    assert couple == replace(preset, a=replace(preset.a, name="Sam"))
    assert at.selectbox(key="preset").value is None  # a pick is an action: the picker waits for the next one
    now = tr("preset.now", text=md(sim.PRESET_TEXT[name]["en"]))
    assert now in [c.value for c in at.caption]
    verdict = sim.simulate(couple, seed=0).verdict
    kind, text = banner(at)
    assert kind == BOX[verdict] and text.startswith("**" + sim.VERDICT_TEXT[verdict]["en"])


def test_seed_and_duration_set_the_run() -> None:
    at = ok(run_app())
    at.number_input(key="seed").set_value(7).run()
    at.slider(key="days").set_value(300.0).run()
    ok(at)
    assert (scenario(at).seed, scenario(at).steps) == (7, 3000)
    assert at.query_params["steps"] == "3000"


# --- events and interventions ------------------------------------------------------------------------

def test_events_go_on_chosen_days_and_random_triggers_have_a_rate() -> None:
    at = open_section(ok(run_app()), "open.events")
    at.selectbox(key="ev.kind").set_value("conflict").run()
    assert at.number_input(key="ev.size").value == sim.EVENT_KINDS["conflict"].default_size
    at.number_input(key="ev.day").set_value(30.0).run()
    at.number_input(key="ev.size").set_value(1.2).run()
    at.button(key="ev.add").click().run()
    at.selectbox(key="ev.kind").set_value("intimate_moment").run()
    at.number_input(key="ev.day").set_value(10.0).run()
    at.button(key="ev.add").click().run()
    ok(at)
    assert scenario(at).events == (sim.Event("intimate_moment", at=10.0), sim.Event("conflict", at=30.0, size=1.2))
    assert tr("events.item", day="30.0", kind="Conflict", size="1.2") in [m.value for m in at.markdown]
    assert tr("summary.events", items="day 10 intimate moment, day 30 conflict") in [plain(c.value) for c in at.caption]
    at.button(key="ev.del.0").click().run()
    assert scenario(ok(at)).events == (sim.Event("conflict", at=30.0, size=1.2),)
    at.slider(key="rnd").set_value(0.2).run()
    at.session_state["open.events"] = False
    at.run()
    assert scenario(ok(at)).random_events == 0.2
    assert scenario(at).events == (sim.Event("conflict", at=30.0, size=1.2),)


def test_each_intervention_is_a_switch_with_start_day_who_and_strength() -> None:
    at = open_section(ok(run_app()), "open.interventions")
    for kind, spec in sim.INTERVENTION_KINDS.items():
        switch = at.toggle(key=f"iv.{kind}.on")
        assert (switch.label, switch.help, switch.value) == (spec.label["en"], tr(f"iv.{kind}.help"), False)
    assert not [w for w in [*at.number_input, *at.slider] if w.key.startswith("iv.")]
    assert not [tg for tg in at.toggle if tg.key == "view.baseline"]
    at.toggle(key="iv.safety.on").set_value(True).run()
    assert at.segmented_control(key="iv.safety.who").options == ["A", "B", tr("who.both")]
    assert at.number_input(key="iv.safety.start").value == state.IV_START
    at.number_input(key="iv.safety.start").set_value(40.0).run()
    at.segmented_control(key="iv.safety.who").set_value("b").run()
    at.slider(key="iv.safety.strength").set_value(0.5).run()
    at.toggle(key="iv.coaching.on").set_value(True).run()
    ok(at)
    assert scenario(at).interventions == (sim.Intervention("safety", start=40.0, who="b", strength=0.5),
                                          sim.Intervention("coaching", start=state.IV_START))
    without = sim.simulate(TRAP, seed=0).verdict
    assert banner(at)[1].endswith(tr("verdict.without", verdict=tr(f"verdict.short.{without}")).strip())
    assert any(m.delta for m in at.metric)
    assert at.toggle(key="view.baseline").value is True
    summary = tr("summary.interventions", items="Create safety from day 40 (B); Get coaching from day 60 (both)")
    assert summary in [plain(c.value) for c in at.caption]
    at.session_state["open.interventions"] = False
    at.run()
    assert len(scenario(ok(at)).interventions) == 2


def test_with_random_triggers_the_banner_says_what_the_drawn_run_did_when_the_verdict_differs() -> None:
    """The verdict describes the couple without the random jolts; the chart shows the run with them.

    A secure pair with 0.2 random triggers a day settles without them and keeps being shaken with
    them (``sim.simulate_batch``): the banner then adds what the drawn run did.
    """
    calm = sim.simulate_batch([sim.PRESETS["secure"]], seed=0, random_events=0.2)
    assert (calm.verdict[0], calm.metrics["verdict_with_jolts"][0]) == ("settles", "cycles")
    at = ok(run_app(query.scenario_to_query(Scenario(couple=sim.PRESETS["secure"], random_events=0.2))))
    shown = sim.simulate(scenario(at).couple, **scenario(at).run_kwargs())
    jolted = shown.metrics.get("verdict_with_jolts")
    line = tr("verdict.jolts", verdict=tr(f"verdict.short.{jolted or shown.verdict}")).strip()
    assert (line in banner(at)[1]) == (jolted is not None and jolted != shown.verdict)


def test_the_run_without_interventions_can_be_hidden_and_projector_mode_redraws() -> None:
    at = ok(run_app({"interventions": "safety:60:both:1"}))
    assert set(charts(at)[0][1]["key"]) == {"closeness", "without"}
    height = charts(at)[0][0]["height"]
    at.toggle(key="view.baseline").set_value(False).run()
    assert set(charts(ok(at))[0][1]["key"]) == {"closeness"}
    assert not any(m.delta for m in at.metric)
    at.toggle(key="view.large").set_value(True).run()
    assert charts(ok(at))[0][0]["height"] > height


def test_the_phase_portrait_tab_draws_the_loop() -> None:
    at = ok(run_app())
    assert tr("chart.run_caption") in [c.value for c in at.caption]
    at.session_state["chart"] = tr("chart.tab_loop")
    at.run()
    ok(at)
    assert len(at.get("image")) == 1
    assert tr("phase.caption") in [c.value for c in at.caption]
    assert tr("chart.run_caption") not in [c.value for c in at.caption]


def _shown_helps(at: AppTest, lang: str) -> list[tuple[str, str, str]]:
    """What helps, as the tab shows it: (kind label, what to try, what the model did), top to bottom."""
    labels = {kind.label[lang] for kind in sim.INTERVENTION_KINDS.values()}
    out, current = [], None
    for element in at.markdown:
        value = element.value
        if value.startswith("**") and plain(value).strip("*").split(". ", 1)[-1] in labels:
            current = plain(value).strip("*").split(". ", 1)[-1]
        elif current and value.startswith(f"**{tr('helps.try_label', lang)}:**"):
            attempt, effect = (plain(line).split(":** ", 1)[1].strip() for line in value.split("  \n"))
            out.append((current, attempt, effect))
            current = None
    return out


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_what_helps_ranks_the_five_kinds_for_the_one_who_does_them_from_this_couples_own_runs(lang: str) -> None:
    from sim.helps import what_helps
    from sim.story import roles
    from ui.help_words import help_words

    names = {"a.name": "Ik", "b.name": "Mijn partner"}
    at = ok(run_app({"lang": lang, "a.anxiety": "0.81", "b.avoidance": "0.9", **names}))
    at.session_state["chart"] = tr("helps.tab", lang)
    ok(at.run())
    couple = scenario(at).couple
    ranking = what_helps(couple, start=60.0, seed=0)
    withdrawer = roles(couple, sim.simulate(couple, seed=0))[0]
    assert tr("helps.intro", lang, day="60") in [c.value for c in at.caption]
    for who in ("both", "a", "b"):
        at.segmented_control(key="helps.who").set_value(who).run()
        expected = [(sim.INTERVENTION_KINDS[h.kind].label[lang], *help_words(h, ranking, withdrawer, lang)[2:])
                    for h in ranking.by_who[who]]
        assert _shown_helps(ok(at), lang) == expected
    assert tr("chart.run_caption", lang) not in [c.value for c in at.caption], "the other tabs are not drawn"


def test_what_helps_says_a_calm_couple_has_little_to_change() -> None:
    at = ok(run_app({"a.anxiety": "0.1", "a.avoidance": "0.1", "b.anxiety": "0.1", "b.avoidance": "0.1"}))
    at.session_state["chart"] = tr("helps.tab")
    ok(at.run())
    assert sim.simulate(scenario(at).couple, seed=0).verdict == "settles"
    assert tr("helps.calm") in [plain(i.value) for i in at.info]
    assert len(_shown_helps(at, "en")) == 5


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_phone_card_tells_the_verdict_and_draws_closeness_as_the_results_do(lang: str) -> None:
    at = ok(run_app({"lang": lang}))
    for value in (0.75, 0.2):
        at.slider(key="b.avoidance").set_value(value).run()
        result = sim.simulate(scenario(ok(at)).couple, seed=0)
        verdict = tr("now.verdict", lang, verdict=tr(f"verdict.short.{result.verdict}", lang))
        assert any(plain(m.value).endswith(f"**{verdict}**") for m in at.markdown), verdict
        spec, data = card(at)
        assert spec["description"] == chart_words(result, lang)[0]
        np.testing.assert_allclose(data["value"], run_charts(result)[0]["datasets"]["closeness"].column("value"))
    assert {"settles", "cycles"} == {sim.simulate(replace(TRAP, b=TRAP.b.with_scores(TRAP.b.anxiety, v)),
                                                  seed=0).verdict for v in (0.75, 0.2)}


def test_a_slider_change_redraws_the_chart() -> None:
    at = ok(run_app())
    before = charts(at)[0][1]
    at.slider(key="a.anxiety").set_value(0.5).run()
    after = charts(ok(at))[0][1]
    moved = replace(TRAP, a=TRAP.a.with_scores(0.5, TRAP.a.avoidance))
    assert not np.allclose(after["value"], before["value"])
    expected = run_charts(sim.simulate(moved, seed=0))[0]["datasets"]["closeness"]
    np.testing.assert_allclose(after["value"], expected.column("value").to_numpy())


# --- share and save ----------------------------------------------------------------------------------

def _configure(at: AppTest) -> AppTest:
    """Change something in every part of the scenario, as a user would."""
    at.text_input(key="a.name").set_value("Sam").run()
    at.text_input(key="b.name").set_value("Alex & co").run()
    at.slider(key="a.anxiety").set_value(0.63).run()
    at.slider(key="b.avoidance").set_value(0.91).run()
    open_section(at, "open.expert.b")
    at.slider(key="b.p.alarm_lag").set_value(2.2).run()
    open_section(at, "open.pair")
    at.slider(key="c.fear_ceiling").set_value(3.0).run()
    at.number_input(key="seed").set_value(11).run()
    at.slider(key="days").set_value(150.0).run()
    open_section(at, "open.events")
    at.number_input(key="ev.day").set_value(12.5).run()
    at.button(key="ev.add").click().run()
    at.slider(key="rnd").set_value(0.05).run()
    open_section(at, "open.interventions")
    at.toggle(key="iv.acknowledge.on").set_value(True).run()
    at.segmented_control(key="iv.acknowledge.who").set_value("a").run()
    at.segmented_control(key="lang").set_value("nl").run()
    return ok(at)


def test_a_copied_link_reopens_the_scenario_exactly() -> None:
    at = _configure(ok(run_app()))
    made = scenario(at)
    assert made.couple.b.overrides() == {"alarm_lag": 2.2} and made.events and made.interventions
    link = dict(at.query_params)
    assert link == query.scenario_to_query(made)
    again = ok(run_app(link))
    assert scenario(again) == made
    assert notices(again, "nl") == set()
    assert banner(again) == banner(at)


def test_numbers_in_a_link_read_back_to_the_same_float() -> None:
    params = {"a.anxiety": "0.123456789", "b.avoidance": repr(0.1 + 0.2), "steps": "2005", "random": "0.07"}
    at = ok(run_app(params))
    s = scenario(at)
    assert (s.couple.a.anxiety, s.couple.b.avoidance, s.steps, s.random_events) == (0.123456789, 0.1 + 0.2, 2005,
                                                                                     0.07)
    assert {k: at.query_params[k] for k in params} == params


TAMPERED = [
    ({"a.anxiety": "2"}, "notice.query_partner"),
    ({"a.anxiety": "nan"}, "notice.query_partner"),
    ({"b.alarm_lag": "-1"}, "notice.query_partner"),
    ({"a.name": "x" * 500}, "notice.query_partner"),
    ({"lang": "fr"}, "notice.query_lang"),
    ({"fading": "abc"}, "notice.query_couple"),
    ({"seed": "-1"}, "notice.query_run"),
    ({"seed": "9" * 40}, "notice.query_run"),
    ({"steps": "99999999"}, "notice.query_run"),
    ({"dt": "0"}, "notice.query_run"),
    ({"random": "50"}, "notice.query_run"),
    ({"events": "boom:1,conflict:x"}, "notice.query_events"),
    ({"events": "conflict:5000:1"}, "notice.query_events"),
    ({"interventions": "safety:x:both:1"}, "notice.query_interventions"),
    ({"interventions": "safety:10:c:1"}, "notice.query_interventions"),
    ({"interventions": "safety:10:a:1,safety:20:b:1"}, "notice.fit_interventions"),
    ({"steps": "50"}, "notice.fit_run"),
    ({"evil": "<script>alert(1)</script>"}, "notice.query_unknown"),
    ({"v": "99"}, "notice.query_version"),
]


@pytest.mark.parametrize(("params", "notice"), TAMPERED)
def test_a_tampered_link_gives_a_notice_and_sensible_defaults(params: dict[str, str], notice: str) -> None:
    at = ok(run_app(params))
    assert notice in notices(at)
    made = scenario(at)
    assert dict(at.query_params) == query.scenario_to_query(made)
    banner(at)
    assert len(charts(at)) == 4


def test_notices_of_a_link_are_shown_until_the_next_change() -> None:
    at = ok(run_app({"lang": "fr"}))
    assert notices(at) == {"notice.query_lang"}
    at.slider(key="a.anxiety").set_value(0.5).run()
    assert notices(ok(at)) == set()


def test_names_with_markup_are_shown_as_typed() -> None:
    at = ok(run_app({"a.name": "[click](http://x) *Eve*", "b.name": ":red[Bo] $x$"}))
    couple = scenario(at).couple
    assert (couple.a.name, couple.b.name) == ("[click](http://x) *Eve*", ":red[Bo] $x$")
    headings = [m.value for m in at.markdown if m.value.startswith((":blue[", ":orange["))]
    assert [plain(h) for h in headings] == [":blue[**Partner [click](http://x) *Eve***]",
                                            ":orange[**Partner :red[Bo] $x$**]"]
    assert "\\[click\\]" in headings[0] and "\\:red\\[Bo\\] \\$x\\$" in headings[1]
    who = set(at.table[0].value.iloc[:, 1])
    assert who and who <= {":blue[**\\[click\\]\\(http\\:\u2060//x\\) \\*Eve\\***]",
                           ":orange[**\\:red\\[Bo\\] \\$x\\$**]"}
    assert set(charts(at)[1][1]["label"]) == {couple.a.name, couple.b.name}
    open_section(at, "open.interventions")
    at.toggle(key="iv.safety.on").set_value(True).run()
    options = ok(at).segmented_control(key="iv.safety.who").options
    assert [plain(o) for o in options[:2]] == [couple.a.name, couple.b.name] and options[0] != couple.a.name


def _upload(at: AppTest, data: bytes) -> AppTest:
    at.file_uploader(key="upload").set_value(("scenario.json", data, "application/json")).run()
    return ok(at)


def test_an_uploaded_scenario_is_shown_and_the_page_keeps_its_language() -> None:
    made = Scenario(couple=replace(sim.PRESETS["secure-avoidant"], a=replace(sim.PRESETS["secure-avoidant"].a,
                                                                             name="Kim")),
                    events=(sim.Event("stress", at=15.0),), interventions=(sim.Intervention("commitment", start=20.0),),
                    seed=4, steps=1500, lang="en")
    at = _upload(ok(run_app({"lang": "nl"})), save_scenario(made).encode())
    assert notices(at, "nl") == {"notice.upload_ok"}
    assert scenario(at) == replace(made, lang="nl")
    assert at.text_input(key="a.name").value == "Kim"
    at.slider(key="a.anxiety").set_value(0.3).run()
    assert notices(ok(at), "nl") == set()


BAD_FILES = [
    (b"not json at all", "notice.upload_bad.not_json"),
    (b"{}", "notice.upload_bad.missing"),
    (b"\xff\xfe\x00", "notice.upload_bad.not_json"),
    (b"[" * 50_000, "notice.upload_bad.too_deep"),
    (json.dumps({**Scenario().to_dict(), "seed": -3}).encode(), "notice.upload_bad.out_of_range"),
    (json.dumps({**Scenario().to_dict(), "extra": 1}).encode(), "notice.upload_bad.unknown_key"),
    (json.dumps({**Scenario().to_dict(), "format": "x"}).encode(), "notice.upload_bad.not_scenario"),
    (json.dumps({**Scenario().to_dict(), "steps": "many"}).encode(), "notice.upload_bad.wrong_type"),
    (json.dumps({**Scenario().to_dict(), "lang": "fr"}).encode(), "notice.upload_bad.unknown_value"),
    (json.dumps({**Scenario().to_dict(), "version": 99}).encode(), "notice.upload_bad.version"),
    (b'{"format": "attract-repel-scenario", "version": 2, "dt": NaN}', "notice.upload_bad.not_finite"),
    (b" " * 1_000_001, "notice.upload_big"),
]


@pytest.mark.parametrize(("data", "notice"), BAD_FILES)
def test_a_bad_file_gives_a_notice_and_changes_nothing(data: bytes, notice: str) -> None:
    at = ok(run_app())
    before = scenario(at)
    _upload(at, data)
    assert notices(at) == {notice}
    assert scenario(at) == before


def test_a_file_beyond_what_the_page_offers_is_opened_and_adjusted() -> None:
    made = Scenario(couple=TRAP, random_events=5.0, steps=20_000, dt=0.1)
    at = _upload(ok(run_app()), save_scenario(made).encode())
    assert notices(at) == {"notice.upload_ok", "notice.upload_adjusted"}
    assert (scenario(at).random_events, scenario(at).steps) == (query.PAGE_FIELDS["random_events"].high, 10_000)


def test_downloads_offer_the_scenario_the_run_and_the_chart() -> None:
    at = ok(run_app())
    assert [d.label for d in at.download_button] == [tr("share.scenario"), tr("share.csv"), tr("share.png")]
    made = scenario(at)
    assert load_scenario(files.scenario_json(made)) == made
    lines = files.trajectory_csv(sim.simulate(made.couple, **made.run_kwargs())).splitlines()
    record = json.loads(lines[0].removeprefix("# provenance: "))
    assert record["settings"]["steps"] == made.steps and record["settings"]["seed"] == made.seed
    assert lines[1].split(",")[:3] == ["day", "closeness", "move (A)"]
    assert len(lines) == made.steps + 3
    assert tr("share.link_intro") in [m.value for m in at.markdown]
    assert at.code[0].value == "?" + "&".join(f"{k}={v}" for k, v in query.scenario_to_query(made).items()).replace(
        ":", "%3A").replace(",", "%2C")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_run_downloads_in_the_pages_words_and_a_spreadsheets_numbers(lang: str) -> None:
    couple = replace(TRAP, a=replace(TRAP.a, name="Ik"), b=replace(TRAP.b, name="Mijn partner"))
    result = sim.simulate(couple, steps=300, seed=2)
    text = files.trajectory_csv(result, lang)
    table = pd.read_csv(io.StringIO(text), comment="#", **files.CSV_FORMAT[lang])
    fear_close = sim.plots.plot_text("fear_close", lang)
    assert f"{fear_close} (Mijn partner)" in table.columns
    np.testing.assert_allclose(table[f"{fear_close} (Mijn partner)"], result.engulfment[1], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(table[tr("csv.t", lang)], result.t, atol=1e-9)
    assert all(tr(f"csv.{k}", lang, name="x").split(" (")[0] in " ".join(table.columns) for k in ("move", "doubt"))
    assert text.splitlines()[3].startswith({"en": "0.1,", "nl": "0,1;"}[lang])  # day 0.1, as a spreadsheet reads it



def test_the_workshop_contract_scenario_is_in_session_state() -> None:
    at = ok(run_app({"a.anxiety": "0.5"}))
    assert scenario(at).couple.a.anxiety == 0.5
    at.slider(key="b.anxiety").set_value(0.4).run()
    assert scenario(ok(at)).couple.b.anxiety == 0.4


# --- helpers: ui/query.py ------------------------------------------------------------------------------

FULL = Scenario(
    couple=sim.Couple(a=sim.Partner(name="Sam", anxiety=0.63, avoidance=0.2, alarm_lag=2.5),
                      b=sim.Partner(name="Alex", anxiety=0.1, avoidance=0.9, doubt_time=45.0), fading=0.7),
    events=(sim.Event("intimate_moment", at=12.5), sim.Event("conflict", at=40.0, size=0.3)),
    interventions=(sim.Intervention("acknowledge", start=10.0, who="a"), sim.Intervention("coaching", strength=0.25)),
    random_events=0.1, seed=123, steps=1234, dt=0.05, lang="nl")


@pytest.mark.parametrize("made", [FULL, query.default_scenario(), *(Scenario(couple=c) for c in sim.PRESETS.values())])
def test_query_round_trip_is_exact(made: Scenario) -> None:
    params = query.scenario_to_query(made)
    assert all(isinstance(v, str) for v in params.values())
    assert query.scenario_from_query(params) == (made, [])


def test_query_parameters_may_come_as_lists_and_the_last_counts() -> None:
    params: dict[str, str | list[str]] = {**query.scenario_to_query(FULL), "seed": ["1", "5"]}
    assert query.scenario_from_query(params) == (replace(FULL, seed=5), [])


def test_an_empty_link_gives_the_default_and_a_partial_link_fills_in_defaults() -> None:
    assert query.scenario_from_query({}) == (query.default_scenario(), [])
    made, found = query.scenario_from_query({"b.anxiety": "0.5", "lang": "nl"})
    assert found == []
    assert made == replace(query.default_scenario("nl"), couple=replace(TRAP, b=TRAP.b.with_scores(0.5, 0.75)))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(query._KNOWN) + ["x", "a.zzz", ""]),
                       st.one_of(st.text(max_size=40), st.lists(st.text(max_size=10), max_size=3)), max_size=8))
def test_reading_a_link_never_raises(params: dict[str, Any]) -> None:
    made, found = query.scenario_from_query(params)
    assert isinstance(made, Scenario)
    keys = set(catalog("app", "en"))
    assert set(found) <= keys
    assert query.fit_to_page(made) == (made, [])


def test_a_link_with_more_events_than_a_scenario_holds_is_trimmed_not_dropped() -> None:
    """More than 200 events (or interventions) in a link kept nothing of it, names included; now the
    rest of the link is read and the events are trimmed as the page trims them, with a notice."""
    many = ",".join(f"stress:{day % 900 + 0.5:g}" for day in range(450))
    helps = ",".join(f"safety:{day}:a:1" for day in range(250))
    made, found = query.scenario_from_query({"a.name": "Sam", "b.name": "Alex", "events": many,
                                             "interventions": helps, "lang": "nl"})
    assert (made.couple.a.name, made.couple.b.name, made.lang) == ("Sam", "Alex", "nl")
    assert len(made.events) == query.MAX_EVENTS and [e.at for e in made.events] == sorted(e.at for e in made.events)
    assert made.events[0].at == 0.5 and len(made.interventions) == 1
    assert {"notice.fit_events", "notice.fit_interventions"} <= set(found)
    assert "notice.query_invalid" not in found


@settings(max_examples=100, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.05, 20.0),
       st.integers(0, int(query.PAGE_FIELDS["seed"].high)))
def test_any_page_scenario_survives_the_link(anxiety: float, avoidance: float, lag: float, seed: int) -> None:
    made = Scenario(couple=sim.Couple(a=sim.Partner(anxiety=anxiety, avoidance=avoidance, alarm_lag=lag)), seed=seed)
    assert query.scenario_from_query(query.scenario_to_query(made)) == (made, [])


def test_fit_to_page_brings_a_scenario_within_the_page() -> None:
    wide = Scenario(couple=replace(TRAP, a=replace(TRAP.a, name=" " * 3), b=replace(TRAP.b, name="B" * 50)),
                    events=(*(sim.Event("stress", at=float(day)) for day in range(40)), sim.Event("stress", at=5e3)),
                    interventions=(sim.Intervention("safety", who="a"), sim.Intervention("safety", who="b"),
                                   sim.Intervention("coaching", start=2e3), sim.Intervention("coaching")),
                    random_events=3.0, seed=2**60, steps=3, dt=0.001)
    fitted, found = query.fit_to_page(wide)
    assert (fitted.couple.a.name, fitted.couple.b.name) == ("A", "B" * query.PAGE_NAME.max_length)
    days = [e.at for e in fitted.events]
    assert len(days) == query.MAX_EVENTS and days == sorted(days)
    assert fitted.interventions == (sim.Intervention("safety", who="both"),
                                    sim.Intervention("coaching", start=query.DAYS[1]))
    assert (fitted.random_events, fitted.seed, fitted.dt) == (query.PAGE_FIELDS["random_events"].high, 0, 0.1)
    assert math.isclose(fitted.steps * fitted.dt, query.DAYS[0])
    assert set(found) == {"notice.fit_names", "notice.fit_run", "notice.fit_events", "notice.fit_interventions"}
    assert query.fit_to_page(fitted) == (fitted, [])


# --- helpers: ui/files.py and ui/state.py -------------------------------------------------------------

@pytest.mark.parametrize("data", [None, "text", 12, b"", b"null", b'{"format": "attract-repel-scenario"'])
def test_an_upload_never_raises(data: Any) -> None:
    made, notice = files.scenario_from_upload(data)
    assert made is None and notice is not None and notice.startswith("notice.upload_bad")
    assert notice in catalog("app", "en") and notice in catalog("app", "nl")


def test_a_good_upload_is_read() -> None:
    assert files.scenario_from_upload(save_scenario(FULL).encode()) == (FULL, None)
    assert files.scenario_from_upload(bytearray(save_scenario(FULL).encode())) == (FULL, None)


def test_state_load_and_preset_matching() -> None:
    box: dict[str, Any] = {}
    state.load(box, FULL)
    assert box["a.overrides"] == {"alarm_lag": 2.5} and box["b.overrides"] == {"doubt_time": 45.0}
    assert box["events"] == [("intimate_moment", 12.5, 1.5), ("conflict", 40.0, 0.3)]
    assert box["iv.acknowledge"] == {"on": True, "start": 10.0, "who": "a", "strength": 1.0}
    assert box["iv.safety"]["on"] is False and box["lang"] == "nl" and box["preset"] is None
    assert box["days"] == pytest.approx(1234 * 0.05)
    state.load_preset(box, "secure")
    assert state.matching_preset(box) == "secure" and box["a.name"] == "Sam"
    box["a.p.fear_lag"] = 1.0
    state.write_back(box, "a.overrides", "fear_lag", "a.p.fear_lag")
    assert box["a.overrides"] == {"fear_lag": 1.0} and state.matching_preset(box) is None


def test_state_events_are_added_in_day_order_up_to_a_limit_and_removed() -> None:
    box: dict[str, Any] = {"events": [], "ev.kind": "conflict", "ev.day": 50.0, "ev.size": 1.0}
    assert state.add_event(box, 2)
    box.update({"ev.kind": "stress", "ev.day": 5.0})
    assert state.add_event(box, 2)
    assert not state.add_event(box, 2)
    assert box["events"] == [("stress", 5.0, 1.0), ("conflict", 50.0, 1.0)]
    state.remove_event(box, 0)
    state.remove_event(box, 7)
    assert box["events"] == [("conflict", 50.0, 1.0)]


def test_state_ensure_reads_the_link_once_and_restores_after_another_page() -> None:
    box: dict[str, Any] = {}
    assert state.ensure(box, {"lang": "fr"}) == ["notice.query_lang"]
    assert state.ensure(box, {"lang": "fr"}) == []
    box["scenario"] = FULL
    del box["a.anxiety"]
    assert state.ensure(box, {}) == []
    # the scenario comes back; the language stays the session's (it may have been switched elsewhere)
    assert box["a.anxiety"] == 0.63 and box["lang"] == "en"


def test_coming_back_from_another_page_keeps_the_language_chosen_there():
    from sim.scenario import Scenario
    from ui import state as page_state

    state = {page_state.READY: True, "scenario": Scenario(lang="en"), "lang": "nl"}
    page_state.ensure(state, {})
    assert state["lang"] == "nl" and "a.anxiety" in state


def test_the_preset_picker_is_an_action_and_the_caption_says_which_couple_the_panels_show() -> None:
    """A pick puts the couple in the panels and the picker goes back to its placeholder; the page
    never sets the picker while someone moves a slider (a rerun the browser sent before it saw such
    a change would carry the old pick back and reload the preset: see tests/e2e/test_one_state_browser.py)."""
    at = ok(run_app())
    at.selectbox(key="preset").set_value("secure").run()
    assert at.selectbox(key="preset").value is None
    now = tr("preset.now", text=md(sim.PRESET_TEXT["secure"]["en"]))
    assert now in [c.value for c in at.caption]
    at.slider(key="a.anxiety").set_value(0.55).run()
    assert scenario(ok(at)).couple.a.anxiety == 0.55
    assert at.selectbox(key="preset").value is None
    assert tr("preset.custom_text") in [c.value for c in at.caption]


def test_a_stale_echo_of_a_derived_parameter_is_not_kept_as_set_by_hand() -> None:
    """With the expert section open, moving a score moves the derived parameters; a rerun sent
    before the browser saw the new ones carries the old values back. Those are the page's own
    earlier values, not a person's: nothing becomes "set by hand". A value never shown is kept."""
    at = ok(run_app())
    at.session_state["open.expert.a"] = True
    at.run()
    name = next(n for n in sim.PARTNER_PARAMS  # a parameter that follows the fear of being left
                if abs(state.derived_value(n, 0.3, TRAP.a.avoidance) - state.derived_value(n, 0.75, TRAP.a.avoidance))
                > 0.05)
    key = state.param_key("a", name)
    old = at.slider(key=key).value
    at.slider(key="a.anxiety").set_value(0.3).run()
    new = at.slider(key=key).value
    assert new != old
    at.slider(key=key).set_value(old).run()  # the echo: a value the page itself had put there
    assert scenario(ok(at)).couple.a.overrides() == {}
    spec = sim.PARTNER_PARAMS[name]
    chosen = round(min(spec.high, max(spec.low, new + (spec.high - spec.low) / 7)), 2)
    at.slider(key=key).set_value(chosen).run()  # a person's own value
    assert scenario(ok(at)).couple.a.overrides() == {name: pytest.approx(chosen)}


def test_every_control_has_an_accessible_name_of_its_own_naming_its_partner() -> None:
    """A screen reader reads a control's label, not the panel around it: no two controls share a
    label, and each partner's controls carry that partner's name (as typed, escaped)."""
    at = ok(run_app())
    at.text_input(key="b.name").set_value("Mijn partner").run()
    for section in ("open.expert.a", "open.expert.b", "open.pair", "open.interventions"):
        at.session_state[section] = True
    at.run()
    for kind in ("safety", "coaching"):
        at.toggle(key=f"iv.{kind}.on").set_value(True).run()
    labels = [w.label for kind in ("slider", "text_input", "number_input", "selectbox", "toggle", "checkbox",
                                   "button_group") for w in at.get(kind)]
    assert len(labels) > 20 and len(labels) == len(set(labels)), [x for x in labels if labels.count(x) > 1]
    partner_b = [w.label for w in at.get("slider") if str(w.key).startswith("b.")]
    assert partner_b and all(label.endswith("· Mijn partner") for label in partner_b)
    assert at.text_input(key="a.name").label == tr("partner.name_label", label="Name", who="A")
