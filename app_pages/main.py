"""Attract & Repel, the main page: adjust two partners and watch the dance settle, cycle or escalate.

Run through the app's router (``streamlit run app.py``), which opens this page by default. The page
opens on the classic anxious-avoidant trap, already run. Widgets live in ``*_ui()`` functions that
return parameter objects, the run sits behind ``st.cache_data`` keyed on the scenario, and
every text comes from ``ui/locales/app.<lang>.json``. The run over time is drawn by the browser from
Vega-Lite specs (``ui.charts``); the phase portrait and the PNG download are matplotlib figures
(``sim.plots``). The browser draws the main chart because one server must answer a room of thirty: a
matplotlib PNG per rerun cost about 140 ms of server CPU (``bench/README.md``). The current scenario
is kept in ``st.session_state["scenario"]`` (the workshop page reads it) and in the address bar, so
that a copied link reopens it exactly. The tab "What helps you two" runs the five kinds of help on
the couple (``sim.what_helps``) only while it is open. On a phone, where the results come after all
the controls, a card at the controls' end (verdict and closeness line) stays at the bottom of the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any, NamedTuple

import pyarrow as pa
import streamlit as st

import sim
from sim import HelpRanking
from sim.partners import WHO_FIELD
from sim.plots import figure_png, phase_figure, run_figure
from sim.result import Result
from sim.scenario import LANG_FIELD, Scenario
from sim.story import roles
from ui import files, query, runs
from ui import state as page_state
from ui.chart_words import chart_words
from ui.charts import run_charts, sparkline
from ui.help_words import help_words
from ui.i18n import LANGS
from ui.params import slider_format, slider_step, spec_help
from ui.text import colored, md, number, texts

PARTNERS = page_state.PARTNERS
GUIDE = "app_pages/guide.py"  # the guided start "You and your partner", for those who do not want sliders first
STYLE = """
<style>
.stMain .block-container { padding-top: 2.5rem; }
.st-key-now { display: none; }
@media (max-width: 640px) {
  .st-key-now { display: flex; padding: 0.4rem 0.6rem 0.2rem; background: #fff; border-radius: 0.5rem;
                border: 1px solid rgba(49, 51, 63, 0.2); box-shadow: 0 -2px 8px rgba(0, 0, 0, 0.12); }
  .st-key-now p { margin-bottom: 0; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-now) { position: sticky; bottom: 0.3rem; z-index: 10; }
}
</style>
"""  # a little less room above the title, so that a laptop shows a chart; on a phone the card "now" stays in sight
VERDICT_BOX = {"settles": st.success, "cycles": st.warning, "escalates": st.error}
VERDICT_ICON = {"settles": ":material/spa:", "cycles": ":material/autorenew:", "escalates": ":material/trending_up:"}
# Badge colours of the styles: never blue or orange, the colours of the partners.
STYLE_COLOR: dict[str, Any] = {"secure": "green", "anxious": "violet", "avoidant": "gray", "fearful": "red"}
# Badge colours of how much a kind of help changes: never blue or orange, the colours of the partners.
HELP_COLOR: dict[str, Any] = {"much": "green", "some": "violet", "little": "gray", "none": "gray"}
FIRST_SIGNALS = 6  # moments shown as a list under the charts; every moment is in a table behind an expander
METRICS = ("tension", "amplitude", "period", "settle_time", "safe_share", "mean_closeness")
LOWER_IS_BETTER = {"tension", "amplitude"}


def main() -> None:
    """The page, top to bottom."""
    notices = page_state.ensure(st.session_state, st.query_params.to_dict())
    lang = str(st.session_state.get("lang", "en"))
    tr = texts(lang)
    st.set_page_config(page_title=tr("page_title"), page_icon="💞", layout="wide")
    st.html(STYLE)
    header_ui(tr, lang)
    draw_notices(tr, notices)
    controls, results = st.columns([4, 7], gap="large")
    with controls:
        couple = couple_ui(tr, lang)
        run = run_ui(tr, lang)
        events, random_events = events_ui(tr, lang)
        interventions = interventions_ui(tr, lang, couple)
        draw_summary(tr, lang, couple, events, random_events, interventions)
        # on a phone the results come after every control: this card, at the controls' end, stays
        # at the bottom of the screen while they scroll by (hidden where the results are beside them)
        now = st.container(key="now", gap="small")
    scenario = Scenario(couple=couple, events=events, interventions=interventions, random_events=random_events,
                        seed=run.seed, steps=run.steps, dt=run.dt, lang=lang)
    st.session_state["scenario"] = scenario
    sync_url(scenario)
    key, base_key = runs.run_key(scenario), runs.baseline_key(scenario)
    result = cached_result(key)
    words = chart_words(result, lang)
    draw_now(tr, result, words[0], now)
    with results:
        view = view_ui(tr, has_baseline=base_key is not None)
        shown_base = base_key if view.baseline else None
        baseline = cached_result(shown_base) if shown_base else None
        draw_verdict(tr, lang, result, cached_result(base_key) if base_key else None)
        over_time, loop, helps = st.tabs([tr("chart.tab_time"), tr("chart.tab_loop"), tr("helps.tab")], key="chart",
                                         on_change="rerun")
        if loop.open:
            with loop:
                draw_phase(tr, key, shown_base, lang, view.large)
        elif helps.open:  # fifteen runs: only while someone looks at them
            with helps:
                draw_helps(tr, lang, runs.run_key(replace(scenario, interventions=())), result)
        else:
            with over_time:
                draw_run(tr, lang, result, baseline, view.large, words)
        draw_metrics(tr, lang, result, baseline)
        draw_about(tr)
    draw_signals(tr, lang, result)
    share_ui(tr, scenario, result, partial(run_png, key, shown_base, lang, view.large))


# --- runs and figures (cached on small hashable keys: the scenario's JSON) -------------------------

@st.cache_data(max_entries=256, show_spinner=False)
def cached_result(key: Scenario) -> Result:
    """The run of a scenario key (see ``ui.runs``), from the cache."""
    return runs.run(key)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_helps(key: Scenario) -> HelpRanking:
    """The five kinds of help tried on the couple of a key without interventions, from the cache."""
    return runs.helps(key)


def run_png(key: Scenario, base_key: Scenario | None, lang: str, large: bool) -> bytes:
    """PNG of the run figure (the download), with the run without interventions faded when ``base_key`` is given.

    Drawn only when someone asks for the download: the page itself draws the run in the browser.
    """
    baseline = cached_result(base_key) if base_key else None
    return figure_png(run_figure(cached_result(key), baseline, lang=lang, large=large))


@st.cache_data(max_entries=64, show_spinner=False)
def phase_png(key: Scenario, base_key: Scenario | None, lang: str, large: bool) -> bytes:
    """PNG of the phase portrait."""
    baseline = cached_result(base_key) if base_key else None
    return figure_png(phase_figure(cached_result(key), baseline, lang=lang, large=large, title=False))


# --- controls ------------------------------------------------------------------------------------

class RunSettings(NamedTuple):
    """Seed and duration of the run."""

    seed: int
    steps: int
    dt: float


class View(NamedTuple):
    """How the results are shown."""

    large: bool
    baseline: bool


def header_ui(tr: Any, lang: str) -> None:
    """Title, the two sentences on what is shown, and the language switch."""
    title, switch = st.columns([3, 1], vertical_alignment="center")
    with title:
        st.title(tr("title"))
    with switch, st.container(horizontal=True, horizontal_alignment="right"):
        st.segmented_control(LANG_FIELD.label[lang], options=list(LANGS), key="lang", required=True,
                             format_func=lambda code: tr(f"lang.{code}"), label_visibility="collapsed")
    st.markdown(tr("intro"))
    st.page_link(GUIDE, label=tr("guide.entry"), icon=":material/waving_hand:")


def couple_ui(tr: Any, lang: str) -> sim.Couple:
    """Preset picker, the two partner panels and the pair's own parameters.

    The picker is an action, not a state: a pick puts the couple in the panels and the picker goes
    back to its placeholder, and the caption says which typical couple the panels show now. The
    page never sets the picker's value while someone moves a slider: a rerun sent before the page
    had answered would carry the picker's old value back as a new pick, and reload the couple.
    """
    st.selectbox(tr("preset.label"), options=list(sim.PRESETS), key="preset", index=None,
                 format_func=lambda name: tr(f"preset.{name}"), placeholder=tr("preset.pick"),
                 on_change=on_preset, help=tr("preset.help"))
    preset = page_state.matching_preset(st.session_state)
    st.caption(tr("preset.now", text=md(sim.PRESET_TEXT[preset][lang])) if preset
               else tr("preset.custom_text"))
    a = partner_ui(tr, lang, 0)
    b = partner_ui(tr, lang, 1)
    pair = dict(st.session_state["pair"])
    section = st.expander(tr("pair.title"), icon=":material/tune:", key="open.pair", on_change="rerun")
    if section.open:
        with section:
            st.caption(tr("pair.intro"))
            for name, spec in sim.COUPLE_PARAMS.items():
                pair[name] = spec_slider(tr, lang, spec, **bound("pair", name, f"c.{name}"))
    return sim.Couple(a=a, b=b, **pair)


def on_preset() -> None:
    """Put the chosen preset couple in the panels."""
    name = st.session_state.get("preset")
    if name:
        page_state.load_preset(st.session_state, name)
    st.session_state["preset"] = None


def partner_ui(tr: Any, lang: str, index: int) -> sim.Partner:
    """One partner: name, the two attachment scores worded as felt, style, and the expert section."""
    who = PARTNERS[index]
    with st.container(border=True, key=f"panel_{who}"):
        heading, style_col = st.columns(2, vertical_alignment="center")
        shown = str(st.session_state.get(f"{who}.name", "")).strip() or who.upper()
        heading.markdown(colored(f"**{md(tr('partner.heading', name=shown))}**", index))
        name = st.text_input(tr("partner.name_label", label=query.PAGE_NAME.label[lang], who=who.upper()),
                             key=f"{who}.name", max_chars=query.PAGE_NAME.max_length, help=query.PAGE_NAME.help[lang])
        # every control names its partner: a screen reader reads the label alone, not the panel around it
        scores = {score: spec_slider(tr, lang, spec, key=f"{who}.{score}", step=0.01,
                                     label=tr("partner.control", label=spec.label[lang], name=md(shown)))
                  for score, spec in sim.PARTNER_SCORES.items()}
        style = sim.style_of(scores["anxiety"], scores["avoidance"])
        with style_col, st.container(horizontal=True, horizontal_alignment="right"):
            st.badge(tr(f"style.{style}"), color=STYLE_COLOR[style], help=tr(f"style.{style}.help"))
        overrides = expert_ui(tr, lang, who, scores["anxiety"], scores["avoidance"], shown)
    return sim.Partner(name=name.strip() or who.upper(), **scores, **overrides)


def expert_ui(tr: Any, lang: str, who: str, anxiety: float, avoidance: float, shown: str) -> dict[str, float]:
    """Every model parameter of a partner, built from ``sim.PARTNER_PARAMS``; returns those set by hand.

    A parameter follows the two scores until it is moved; then it keeps the value it was given.
    """
    store = f"{who}.overrides"
    overrides = dict(st.session_state.get(store, {}))
    section = st.expander(tr("expert.title"), icon=":material/science:", key=f"open.expert.{who}",
                          on_change="rerun")
    if section.open:
        with section:
            st.caption(tr("expert.intro"))
            for name, spec in sim.PARTNER_PARAMS.items():
                key = page_state.param_key(who, name)
                page_state.seed(st.session_state, key, overrides.get(name, page_state.derived_value(name, anxiety,
                                                                                                    avoidance)))
                label = tr("expert.set_by_hand", label=spec.label[lang]) if name in overrides else spec.label[lang]
                label = tr("partner.control", label=label, name=md(shown))
                spec_slider(tr, lang, spec, key=key, label=label, on_change=page_state.write_back,
                            args=(st.session_state, store, name, key))
            if overrides:
                st.button(tr("expert.reset"), key=f"{who}.reset", on_click=clear_overrides, args=(who,),
                          icon=":material/undo:")
    if overrides:
        names = ", ".join(sim.PARTNER_PARAMS[name].label[lang].lower() for name in overrides)
        st.caption(tr("expert.set", count=len(overrides), names=md(names)))
    return overrides


def spec_slider(tr: Any, lang: str, spec: Any, *, key: str, label: str | None = None, step: float | None = None,
                format: str | None = None, **kwargs: Any) -> float:
    """A slider whose range, label and help come from a field's metadata."""
    return float(st.slider(label or spec.label[lang], min_value=float(spec.low), max_value=float(spec.high),
                           step=step or slider_step(spec), format=format or slider_format(spec), key=key,
                           help=spec_help(spec, lang, tr), **kwargs))


def spec_number(where: Any, lang: str, spec: Any, *, step: float, label: str | None = None, **kwargs: Any) -> Any:
    """A number field in ``where`` (a column) whose range, label and help come from a field's declaration."""
    low, high = (int(spec.low), int(spec.high)) if spec.whole else (float(spec.low), float(spec.high))
    return where.number_input(label or spec.label[lang], min_value=low, max_value=high, step=step,
                              help=spec.help[lang], **kwargs)


def bound(store: str, field: str | None, key: str) -> dict[str, Any]:
    """Keyword arguments that tie a control in a section drawn only while open to its store.

    The control is seeded from ``st.session_state[store]`` (its entry ``field``, or the whole
    value when ``field`` is None), and a change is written back there.
    """
    value = st.session_state[store]
    page_state.seed(st.session_state, key, value if field is None else value[field])
    return {"key": key, "on_change": page_state.write_back, "args": (st.session_state, store, field, key)}


def clear_overrides(who: str) -> None:
    """Back to the values that follow from the two scores."""
    st.session_state[f"{who}.overrides"] = {}


def run_ui(tr: Any, lang: str) -> RunSettings:
    """Seed and duration."""
    seed_col, days_col = st.columns([1, 2])
    seed = spec_number(seed_col, lang, query.PAGE_FIELDS["seed"], key="seed", step=1)
    with days_col:
        days = spec_slider(tr, lang, query.PAGE_FIELDS["days"], key="days", step=10.0, format="%.0f")
    dt = float(st.session_state.get("dt", sim.DEFAULT_DT))
    return RunSettings(seed=int(seed), steps=max(1, round(float(days) / dt)), dt=dt)


def events_ui(tr: Any, lang: str) -> tuple[tuple[sim.Event, ...], float]:
    """Events on chosen days, and the rate of random triggers."""
    chosen = list(st.session_state.get("events", []))
    rate = float(st.session_state.get("random", 0.0))
    section = st.expander(tr("events.title"), icon=":material/bolt:", key="open.events",
                          on_change="rerun")
    if section.open:
        with section:
            st.caption(tr("events.intro"))
            st.session_state.setdefault("ev.kind", "intimate_moment")
            st.session_state.setdefault("ev.day", page_state.FIRST_EVENT_DAY)
            st.session_state.setdefault("ev.size", page_state.event_size_default(st.session_state["ev.kind"]))
            st.selectbox(tr("events.kind"), options=list(sim.EVENT_KINDS), key="ev.kind", on_change=on_event_kind,
                         format_func=lambda kind: sim.EVENT_KINDS[kind].label[lang])
            day_col, size_col = st.columns(2, vertical_alignment="bottom")
            spec_number(day_col, lang, query.PAGE_FIELDS["at"], key="ev.day", step=1.0, format="%.1f")
            spec_number(size_col, lang, query.PAGE_FIELDS["size"], key="ev.size", step=0.1, format="%.1f")
            st.button(tr("events.add"), key="ev.add", on_click=on_add_event, icon=":material/add:",
                      disabled=len(chosen) >= query.MAX_EVENTS, width="stretch")
            for i, (kind, day, size) in enumerate(chosen):
                text_col, remove_col = st.columns([3, 1], vertical_alignment="center")
                text_col.markdown(tr("events.item", day=number(day, 1, lang), size=number(size, 1, lang),
                                     kind=sim.EVENT_KINDS[kind].label[lang]))
                remove_col.button(tr("events.remove"), key=f"ev.del.{i}", on_click=page_state.remove_event,
                                  args=(st.session_state, i), icon=":material/delete:", type="tertiary")
            rate = spec_slider(tr, lang, query.PAGE_FIELDS["random_events"], step=0.01,
                               **bound("random", None, "rnd"))
    events = tuple(sim.Event(kind, at=day, size=size) for kind, day, size in chosen)
    return events, rate


def on_add_event() -> None:
    """Add the event in the fields to the list."""
    page_state.add_event(st.session_state, query.MAX_EVENTS)


def on_event_kind() -> None:
    """A new kind proposes its own usual size."""
    st.session_state["ev.size"] = page_state.event_size_default(st.session_state["ev.kind"])


def interventions_ui(tr: Any, lang: str, couple: sim.Couple) -> tuple[sim.Intervention, ...]:
    """The five interventions, each a switch with start day, who takes part, and strength."""
    stores = {kind: dict(st.session_state[f"iv.{kind}"]) for kind in sim.INTERVENTION_KINDS}
    section = st.expander(tr("interventions.title"), icon=":material/healing:",
                          key="open.interventions", on_change="rerun")
    if section.open:
        names = {"a": md(couple.a.name), "b": md(couple.b.name), "both": tr("who.both")}
        with section:
            st.caption(tr("interventions.intro"))
            for kind, spec in sim.INTERVENTION_KINDS.items():
                stores[kind] = intervention_ui(tr, lang, kind, spec.label[lang], names)
    return tuple(sim.Intervention(kind, start=v["start"], who=v["who"] or "both", strength=v["strength"])
                 for kind, v in stores.items() if v["on"])


def intervention_ui(tr: Any, lang: str, kind: str, label: str, names: dict[str, str]) -> dict[str, Any]:
    """One intervention: a switch; when on, from which day, how strong, and who takes part."""
    store = f"iv.{kind}"
    values = dict(st.session_state[store])
    with st.container(border=True):
        values["on"] = bool(st.toggle(label, help=tr(f"iv.{kind}.help"), **bound(store, "on", f"{store}.on")))
        if values["on"]:
            start_col, strength_col = st.columns(2, vertical_alignment="bottom")
            # each control names its intervention: a screen reader reads the label alone
            start = query.PAGE_FIELDS["start"]
            values["start"] = float(spec_number(start_col, lang, start, step=5.0, format="%.0f",
                                                label=tr("iv.control", label=start.label[lang], kind=label),
                                                **bound(store, "start", f"{store}.start")))
            with strength_col:
                strength = query.PAGE_FIELDS["strength"]
                values["strength"] = spec_slider(tr, lang, strength, step=0.05,
                                                 label=tr("iv.control", label=strength.label[lang], kind=label),
                                                 **bound(store, "strength", f"{store}.strength"))
            values["who"] = st.segmented_control(
                tr("iv.control", label=WHO_FIELD.label[lang], kind=label), options=list(WHO_FIELD.choices),
                format_func=names.__getitem__, required=True,
                **bound(store, "who", f"{store}.who")) or "both"
    return values


def view_ui(tr: Any, *, has_baseline: bool) -> View:
    """Projector mode, and whether the run without interventions is drawn underneath."""
    with st.container(horizontal=True, gap="large"):
        large = st.toggle(tr("view.large"), key="view.large", help=tr("view.large_help"))
        base = has_baseline and st.toggle(tr("view.baseline"), value=True, key="view.baseline",
                                          help=tr("view.baseline_help"))
    return View(large=bool(large), baseline=bool(base))


def sync_url(scenario: Scenario) -> None:
    """Keep the whole scenario in the address bar."""
    wanted = query.scenario_to_query(scenario)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def share_ui(tr: Any, scenario: Scenario, result: Result, png: Callable[[], bytes]) -> None:
    """The link, the downloads (scenario JSON, trajectory CSV, figure PNG) and the upload of a scenario."""
    st.subheader(tr("share.title"))
    link_col, files_col = st.columns(2, gap="large")
    with link_col:
        st.markdown(tr("share.link_intro"))
        st.code(share_link(scenario), language=None, wrap_lines=True)
    with files_col:
        with st.container(horizontal=True):
            st.download_button(tr("share.scenario"), data=partial(files.scenario_json, scenario),
                               file_name="attract-repel-scenario.json", mime="application/json", on_click="ignore",
                               icon=":material/download:", key="dl.scenario")
            st.download_button(tr("share.csv"), data=partial(files.trajectory_csv, result, scenario.lang),
                               file_name="attract-repel-run.csv", mime="text/csv", on_click="ignore",
                               icon=":material/table:", key="dl.csv")
            st.download_button(tr("share.png"), data=png, file_name="attract-repel-run.png", mime="image/png",
                               on_click="ignore", icon=":material/image:", key="dl.png")
        st.file_uploader(tr("share.upload"), type=["json"], key="upload", on_change=on_upload,
                         max_upload_size=files.MAX_UPLOAD_MB, help=tr("share.upload_help"))


def share_link(scenario: Scenario) -> str:
    """The page's address with the scenario in its query."""
    from urllib.parse import urlencode

    base = st.context.url or ""
    return f"{base}?{urlencode(query.scenario_to_query(scenario))}"


def on_upload() -> None:
    """Read an uploaded scenario into the controls (the page keeps its language)."""
    upload = st.session_state.get("upload")
    if upload is None:
        return
    scenario, notice = files.scenario_from_upload(upload.getvalue())
    flash = []
    if scenario is not None:
        page_state.load(st.session_state, scenario, with_lang=False)
        flash.append(("success", "notice.upload_ok"))
    if notice:
        flash.append(("warning", notice))
    st.session_state["flash"] = flash


# --- results -------------------------------------------------------------------------------------

def draw_summary(tr: Any, lang: str, couple: sim.Couple, events: tuple[sim.Event, ...], random_events: float,
                 interventions: tuple[sim.Intervention, ...]) -> None:
    """What the closed sections hold, in one line each: events, random triggers, interventions."""
    lines = []
    if events:
        items = [tr("summary.event", day=number(e.at, 0, lang), kind=sim.EVENT_KINDS[e.kind].label[lang].lower())
                 for e in events]
        lines.append(tr("summary.events", items=", ".join(items)))
    if random_events > 0:
        lines.append(tr("summary.random", rate=number(random_events, 2, lang)))
    if interventions:
        who = {"a": couple.a.name, "b": couple.b.name, "both": tr("who.both").lower()}
        items = [tr("summary.intervention", kind=sim.INTERVENTION_KINDS[iv.kind].label[lang],
                    day=number(iv.start, 0, lang), who=who[iv.who]) for iv in interventions]
        lines.append(tr("summary.interventions", items="; ".join(items)))
    if lines:
        st.caption("  \n".join(md(line) for line in lines))


def draw_notices(tr: Any, notices: list[str]) -> None:
    """Notices from the link (kept until the next change) and from an upload (shown once)."""
    if notices:
        st.session_state["flash"] = [("warning", key) for key in notices]
    for level, key in st.session_state.pop("flash", []):
        (st.success if level == "success" else st.warning)(tr(key), icon=":material/info:")


def draw_now(tr: Any, result: Result, closeness_words: str, where: Any) -> None:
    """The card a phone keeps in sight below its controls: the verdict in a few words and the closeness line."""
    with where:
        verdict = tr("now.verdict", verdict=tr(f"verdict.short.{result.verdict}"))
        st.markdown(f"{VERDICT_ICON[result.verdict]} **{verdict}**")
        st.vega_lite_chart({**sparkline(result), "description": closeness_words}, width="stretch",
                           key="now.chart")


def draw_verdict(tr: Any, lang: str, result: Result, baseline: Result | None) -> None:
    """The verdict banner in plain words, which loop drives it, and the hedge.

    With random triggers the model judges the couple from the same run without them; the run drawn
    is the one with them, so the banner says what that run did when it differs.
    """
    verdict, loop, hedge = result.explain(lang)
    body = tr("verdict.body", verdict=md(verdict), loop=md(loop))
    jolted = result.metrics.get("verdict_with_jolts")
    if jolted is not None and jolted != result.verdict:
        body += tr("verdict.jolts", verdict=tr(f"verdict.short.{jolted}"))
    if baseline is not None:
        body += tr("verdict.without", verdict=tr(f"verdict.short.{baseline.verdict}"))
    VERDICT_BOX[result.verdict](body, icon=VERDICT_ICON[result.verdict])
    st.caption(md(hedge))


def draw_metrics(tr: Any, lang: str, result: Result, baseline: Result | None) -> None:
    """The run's metrics; with the run without interventions drawn, the change against it."""
    columns = [column for _ in range(2) for column in st.columns(3)]
    for column, name in zip(columns, METRICS, strict=True):
        value = result.metrics.get(name)
        delta = None
        if baseline is not None and value is not None and baseline.metrics.get(name) is not None:
            delta = metric_text(tr, lang, name, value - baseline.metrics[name], signed=True)
        column.metric(tr(f"metric.{name}"), metric_text(tr, lang, name, value), delta=delta,
                      delta_color="inverse" if name in LOWER_IS_BETTER else "normal", help=tr(f"metric.{name}.help"))


def metric_text(tr: Any, lang: str, name: str, value: float | None, *, signed: bool = False) -> str:
    """A metric as shown: days, a share in percent, or a plain number; a dash when it does not apply."""
    if value is None:
        return tr("metric.none")
    sign = "+" if signed and value > 0 else ""
    if name in ("period", "settle_time"):
        return sign + tr("metric.days", value=number(value, 0, lang))
    if name == "safe_share":
        return sign + tr("metric.percent", value=number(100.0 * value, 0, lang))
    return sign + number(value, 2, lang)


def draw_run(tr: Any, lang: str, result: Result, baseline: Result | None, large: bool, words: list[str]) -> None:
    """The run, drawn by the browser: closeness, each partner's moves, both partners' fears, their doubt,
    each with its sentence of ``words`` (``ui.chart_words``) as its text alternative."""
    for spec, line in zip(run_charts(result, baseline, lang=lang, large=large), words, strict=True):
        st.vega_lite_chart({**spec, "description": line}, width="stretch")  # the chart's text alternative
    st.caption(tr("chart.run_caption"))
    with st.expander(tr("words.title"), icon=":material/notes:"):  # always in the page, for screen readers too
        st.markdown("\n".join(f"- {line}" for line in words))


def draw_phase(tr: Any, key: Scenario, base_key: Scenario | None, lang: str, large: bool) -> None:
    """The phase portrait with a short reading guide."""
    image, guide = st.columns([3, 2], vertical_alignment="center")
    image.image(phase_png(key, base_key, lang, large), width="stretch", output_format="PNG", alt=tr("phase.alt"))
    guide.caption(tr("phase.caption"))


def draw_helps(tr: Any, lang: str, key: Scenario, result: Result) -> None:
    """What helps you two: the five kinds of help ranked by what they changed in this couple's run,
    for the one who does them (A, B or both), each with what to try and what it changed."""
    ranking = cached_helps(key)
    st.caption(tr("helps.intro", day=number(ranking.start, 0, lang)))
    if ranking.verdict == "settles":
        st.info(tr("helps.calm"), icon=":material/spa:")
    names = {"a": md(key.couple.a.name), "b": md(key.couple.b.name), "both": tr("helps.who.both")}
    who = st.segmented_control(tr("helps.who"), options=list(WHO_FIELD.choices), format_func=names.__getitem__,
                               key="helps.who", required=True, default="both") or "both"
    withdrawer, _ = roles(key.couple, result)
    for rank, help_ in enumerate(ranking.by_who[who], start=1):
        words = help_words(help_, ranking, withdrawer, lang)
        with st.container(border=True):
            title, badge = st.columns([3, 2], vertical_alignment="center")
            title.markdown(f"**{rank}. {md(sim.INTERVENTION_KINDS[help_.kind].label[lang])}**")
            with badge, st.container(horizontal=True, horizontal_alignment="right"):
                st.badge(tr(f"helps.badge.{words.badge}"), color=HELP_COLOR[words.badge])
            st.markdown(f"**{tr('helps.try_label')}:** {md(words.attempt)}  \n"
                        f"**{tr('helps.model_label')}:** {md(words.effect)}")


def draw_signals(tr: Any, lang: str, result: Result) -> None:
    """What each partner would visibly do, and how the moment feels to each of the two: the first
    moments as a short list, and every moment in a table that scrolls with the page (never inside it)."""
    st.subheader(tr("signals.title"))
    st.caption(tr("signals.intro"))
    if not result.signals:
        st.info(tr("signals.none"), icon=":material/self_improvement:")
        return
    names = (result.couple.a.name, result.couple.b.name)
    rows = []
    for signal in result.signals:
        entry = sim.SIGNALS[signal.key]
        feeling = sim.FEELINGS[str(entry["kind"])]
        who = colored(f"**{md(names[signal.partner])}**", signal.partner)
        rows.append((number(signal.t, 1, lang), who, *(md(text) for text in (str(entry[lang]), feeling["self"][lang],
                                                                           feeling["other"][lang]))))
    st.markdown("\n".join(tr("signals.item", day=day, who=who, does=does, feels_self=own, feels_other=other)
                           for day, who, does, own, other in rows[:FIRST_SIGNALS]))
    if len(rows) <= FIRST_SIGNALS:
        return
    columns = [tr("signals.day"), tr("signals.who"), tr("signals.does"), tr("signals.feels_self"),
               tr("signals.feels_other")]
    # Markdown cells (the name in its partner's colour) in an Arrow table: a pandas Styler cost 10 ms a
    # rerun and a DataFrame's conversion 2 ms, on a server shared by a room.
    table = pa.table({name: list(cells) for name, cells in zip(columns, zip(*rows, strict=True), strict=True)})
    with st.expander(tr("signals.all", count=len(rows)), icon=":material/table_rows:"):
        st.table(table, hide_index=True)


def draw_about(tr: Any) -> None:
    """A short, calm note on what the model is and is not."""
    with st.container(border=True):
        st.markdown(tr("about.title"))
        st.caption(tr("about.body"))


if __name__ == "__main__":
    main()
