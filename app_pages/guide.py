"""Attract & Repel, the guided start "You and your partner" (a page of the app, ``/guide``).

Four screens for a person in a relationship who knows no maths: who is who (two names), a handful
of statements to recognise about yourself, the same statements about your partner as you see them,
and your dance: the answers turned into the model's two scores per partner with an honest margin,
what the model does over the couples those margins allow, and the dance of the couple in the middle.
A button hands that couple (names and scores) to the main page; a link skips straight to the sliders.

Nothing leaves the browser session: the answers live only in ``st.session_state`` (keys prefixed
``guide.``), never in the address bar (which holds the language only), a file or a log. The
scoring lives in ``ui/guide.py``; every text comes from ``ui/locales/guide.<lang>.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

import sim
from sim.result import Result
from sim.scenario import LANG_FIELD, Scenario
from ui import guide, query
from ui import state as page_state
from ui.chart_words import chart_words
from ui.charts import run_charts
from ui.i18n import LANGS
from ui.text import colored, md

MAIN = "app_pages/main.py"
STEPS = ("who", "me", "partner", "dance")  # the screens in order; their texts are "<step>.title" and "<step>.intro"
STEP = "guide.step"  # the screen shown: an index into STEPS
NAMES = "guide.names"  # who ("me", "partner") -> the name as typed (absent: the default name of the language)
ANSWERS = "guide.answers"  # guide.answer_key(who, statement) -> the answer, 1..5
LANG = "guide.lang"  # the language switch
WIDGETS = "guide.w."  # prefix of the keys of the name fields and the answer scales
VERDICT_BOX = {"settles": st.success, "cycles": st.warning, "escalates": st.error}
VERDICT_ICON = {"settles": ":material/spa:", "cycles": ":material/autorenew:", "escalates": ":material/trending_up:"}
STYLE = """
<style>
.stMain .block-container { padding-top: 3.5rem; }
.stMain [data-testid="stRadio"] [data-testid="stWidgetLabel"] p { font-size: 1rem; }
.stMain [role="radiogroup"] { gap: 0.25rem 1rem; flex-wrap: wrap; }
.st-key-guide_top { flex-wrap: wrap; row-gap: 0.25rem; }
.st-key-guide_top > div { flex: 0 0 auto; min-width: max-content; }
.st-key-guide_top [data-testid="stButtonGroup"] > div { flex-direction: row; flex-wrap: nowrap; }
@media (max-width: 640px) {
  .stMain .block-container { padding-left: 1rem; padding-right: 1rem; }
  .stMain h1 { font-size: 2rem; }
  .stMain [role="radiogroup"] { flex-direction: column; align-items: flex-start; }
}
</style>
"""  # statements read at body size; the link and the language switch wrap whole (never the switch's two halves);
# on a phone a smaller title, and the five answers one below the other


def main() -> None:
    """The page, top to bottom: the header, then the screen the person is on."""
    lang = initial_lang()
    tr = texts(lang)
    st.set_page_config(page_title=tr("page_title"), page_icon="💞", layout="centered")
    st.html(STYLE)
    header_ui(tr, lang)
    sync_url(lang)
    step = int(st.session_state.get(STEP, 0))
    st.caption(tr("progress", step=step + 1, total=len(STEPS), title=tr(f"{STEPS[step]}.title")))
    if STEPS[step] == "who":
        who_ui(tr, lang)
    elif STEPS[step] == "dance":
        dance_ui(tr, lang)
    else:
        statements_ui(tr, lang, STEPS[step])


# --- state ------------------------------------------------------------------------------------------

def texts(lang: str) -> Callable[..., str]:
    """``tr(key, **fields)``: the guide's text ``key`` in ``lang``."""

    def tr(key: str, **fields: Any) -> str:
        return guide.text(key, lang, **fields)  # the one lookup of the page

    return tr


def initial_lang() -> str:
    """The language: the switch's, else the link's ``?lang=``, else the main page's, else English."""
    for wanted in (st.session_state.get(LANG), st.query_params.get("lang"), st.session_state.get("lang")):
        if wanted in LANGS:
            return str(wanted)
    scenario = st.session_state.get("scenario")
    return scenario.lang if isinstance(scenario, Scenario) else LANGS[0]


def sync_url(lang: str) -> None:
    """The address bar holds the language and nothing else: never a name or an answer."""
    if st.query_params.to_dict() != {"lang": lang}:
        st.query_params.from_dict({"lang": lang})


def name_of(who: str, lang: str) -> str:
    """The name of ``who`` ("me", "partner"): as typed, else the language's default ("Me", "Mijn partner")."""
    typed = str(st.session_state.get(NAMES, {}).get(who, "")).strip()
    return typed or texts(lang)(f"default.{who}")


def go(step: int) -> None:
    """Show screen ``step``."""
    st.session_state[STEP] = step


def on_lang() -> None:
    """A new language: a name field still holding the old language's default name takes the new one."""
    old = str(st.session_state.get("guide.lang_was", LANGS[0]))
    new = str(st.session_state[LANG])
    for who in guide.PEOPLE:
        key = f"{WIDGETS}name.{who}"
        if st.session_state.get(key) == texts(old)(f"default.{who}"):
            st.session_state[key] = texts(new)(f"default.{who}")
    st.session_state["guide.lang_was"] = new


def keep_name(who: str) -> None:
    """Keep a typed name where it outlives its field (the field is gone on the other screens)."""
    typed = str(st.session_state[f"{WIDGETS}name.{who}"])
    st.session_state[NAMES] = {**st.session_state.get(NAMES, {}), who: typed}


def keep_answer(who: str, statement: str) -> None:
    """Keep an answer where it outlives its scale (the scale is gone on the other screens)."""
    answer = st.session_state[f"{WIDGETS}{who}.{statement}"]
    answers = dict(st.session_state.get(ANSWERS, {}))
    key = guide.answer_key(who, statement)
    if answer is None:
        answers.pop(key, None)
    else:
        answers[key] = int(answer)
    st.session_state[ANSWERS] = answers


def start_again() -> None:
    """Forget every answer and both names, and go back to the first screen."""
    for key in [k for k in st.session_state if str(k).startswith(WIDGETS)]:
        del st.session_state[key]
    st.session_state[NAMES] = {}
    st.session_state[ANSWERS] = {}
    st.session_state[STEP] = 0


# --- screens ----------------------------------------------------------------------------------------

def header_ui(tr: Any, lang: str) -> None:
    """Title, the link straight to the sliders, and the language switch (its callback has already run:
    ``lang`` is the one it shows)."""
    st.session_state.setdefault(LANG, lang)
    st.session_state.setdefault("guide.lang_was", lang)
    st.title(tr("title"))
    with st.container(horizontal=True, horizontal_alignment="distribute", vertical_alignment="center",
                      key="guide_top"):
        st.page_link(MAIN, label=tr("skip"), icon=":material/tune:", query_params={"lang": lang})
        st.segmented_control(LANG_FIELD.label[lang], options=list(LANGS), key=LANG, required=True,
                             format_func=lang_name, on_change=on_lang,
                             label_visibility="collapsed")


def lang_name(code: str) -> str:
    """A language's name in that language ("English", "Nederlands")."""
    return texts(code)(f"lang.{code}")


def who_ui(tr: Any, lang: str) -> None:
    """Screen 1, who is who: two names and the reminder of what this is."""
    st.subheader(tr("who.title"))
    st.markdown(tr("who.intro"))
    for who in guide.PEOPLE:
        key = f"{WIDGETS}name.{who}"
        if key not in st.session_state:
            st.session_state[key] = st.session_state.get(NAMES, {}).get(who, tr(f"default.{who}"))
        st.text_input(tr(f"name.{who}"), key=key, max_chars=query.PAGE_NAME.max_length, help=tr("name.help"),
                      on_change=keep_name, args=(who,))
    st.info(tr("reminder"), icon=":material/favorite:")
    nav_ui(tr, 0)


def statements_ui(tr: Any, lang: str, who: str) -> None:
    """Screens 2 and 3: the statements about ``who`` ("me", or "partner" as you see them), each on the scale."""
    st.subheader(tr(f"{who}.title"))
    st.markdown(tr(f"{who}.intro"))
    st.markdown(colored(f"**{md(tr(f'{who}.label', name=name_of(who, lang)))}**", guide.PEOPLE.index(who)))
    for statement in guide.STATEMENTS:
        scale_ui(tr, who, statement)
    answers = st.session_state.get(ANSWERS, {})
    done = sum(1 for s in guide.STATEMENTS if guide.answer_key(who, s.key) in answers)
    st.caption(tr("answered", count=done, total=len(guide.STATEMENTS)))
    nav_ui(tr, STEPS.index(who))


def scale_ui(tr: Any, who: str, statement: guide.Statement) -> None:
    """One statement and its five answers, seeded from the answers kept (the scale is drawn anew on each visit)."""
    key = f"{WIDGETS}{who}.{statement.key}"
    kept = st.session_state.get(ANSWERS, {}).get(guide.answer_key(who, statement.key))
    if key not in st.session_state and kept is not None:
        st.session_state[key] = kept
    with st.container(border=True):
        st.radio(tr(f"item.{statement.key}.{who}"), options=guide.SCALE, index=None, horizontal=True, key=key,
                 format_func=lambda n: tr(f"scale.{who}.{n}"), on_change=keep_answer, args=(who, statement.key))


def nav_ui(tr: Any, step: int) -> None:
    """Back (from the second screen on) and Next."""
    with st.container(horizontal=True):
        if step > 0:
            st.button(tr("back"), key=f"guide.back.{step}", on_click=go, args=(step - 1,), icon=":material/arrow_back:")
        st.button(tr("next"), key=f"guide.next.{step}", on_click=go, args=(step + 1,), type="primary",
                  icon=":material/arrow_forward:")


def dance_ui(tr: Any, lang: str) -> None:
    """Screen 4, your dance: the scores in words with their margins, how sure the picture is, the dance of the
    couple in the middle, and the way to the main page."""
    st.subheader(tr("dance.title"))
    st.markdown(tr("dance.intro"))
    answers = dict(st.session_state.get(ANSWERS, {}))
    scores = {who: guide.score_person(answers, who) for who in guide.PEOPLE}
    names = (name_of("me", lang), name_of("partner", lang))
    columns = st.columns(2)
    for index, who in enumerate(guide.PEOPLE):
        with columns[index]:
            draw_person(tr, lang, who, names[index], scores[who], index)
    st.caption(tr("range.explain"))
    couple = guide.central_couple(scores["me"], scores["partner"], names)
    result = cached_run(*(getattr(p, d) for p in (couple.a, couple.b) for d in sim.PARTNER_SCORES))
    sure = cached_sureness(tuple(scores["me"].items()), tuple(scores["partner"].items()))
    draw_verdict(tr, lang, result, sure)
    draw_dance(tr, lang, result)
    st.warning(tr("not_diagnosis"), icon=":material/info:")
    with st.container(horizontal=True):
        st.button(tr("back"), key="guide.back.3", on_click=go, args=(2,), icon=":material/arrow_back:")
        st.button(tr("restart"), key="guide.restart", on_click=start_again, icon=":material/restart_alt:",
                  help=tr("restart.help"))
        if st.button(tr("hand_over"), key="guide.hand_over", type="primary", icon=":material/favorite:",
                     help=tr("hand_over.help")):
            page_state.hand_over(st.session_state, Scenario(couple=couple, lang=lang))
            st.switch_page(MAIN)


# --- runs (cached on the four scores only: no name, no answer) -----------------------------------------

@st.cache_data(max_entries=64, show_spinner=False)
def cached_run(a_anxiety: float, a_avoidance: float, b_anxiety: float, b_avoidance: float) -> Result:
    """The run of the couple in the middle of the margins (partners named A and B)."""
    return sim.simulate(sim.Couple(a=sim.Partner(name="A", anxiety=a_anxiety, avoidance=a_avoidance),
                                   b=sim.Partner(name="B", anxiety=b_anxiety, avoidance=b_avoidance)))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_sureness(me: tuple[tuple[str, guide.Estimate], ...],
                    partner: tuple[tuple[str, guide.Estimate], ...]) -> guide.Sureness:
    """What the model does over the couples the margins allow (``ui.guide.sureness``)."""
    return guide.sureness(dict(me), dict(partner))


# --- drawing ----------------------------------------------------------------------------------------

def draw_person(tr: Any, lang: str, who: str, name: str, scores: dict[str, guide.Estimate], index: int) -> None:
    """One partner's card: the name, whose view it is, and both scores in words with their margins."""
    with st.container(border=True):
        st.markdown(colored(f"**{md(name)}**", index))
        st.caption(tr(f"dance.{who}"))
        lines = [tr("score.line", label=spec.label[lang], level=tr(f"level.{guide.level(scores[d].score)}"),
                    range=range_words(tr, scores[d])) for d, spec in sim.PARTNER_SCORES.items()]
        st.markdown("\n".join(f"- {line}" for line in lines))


def range_words(tr: Any, e: guide.Estimate) -> str:
    """A margin in words: "(clearly)", "(somewhere between moderate and high)", or anything at all."""
    low, high = guide.range_levels(e)
    if low == high:
        return tr("range.one")
    if (low, high) == ("low", "high"):
        return tr("range.all")
    return tr("range.two", low=tr(f"level.{low}"), high=tr(f"level.{high}"))


def draw_verdict(tr: Any, lang: str, result: Result, sure: guide.Sureness) -> None:
    """The verdict of the couple in the middle, and how sure the picture is over the couples the margins allow."""
    st.markdown(f"**{tr('verdict.title')}**")
    if sure.key == "sure.mixed":
        summary = tr("sure.mixed", first=tr(f"verdict.sub.{sure.verdicts[0]}"),
                     second=tr(f"verdict.sub.{sure.verdicts[1]}"))
    else:
        summary = tr(sure.key, verdict=tr(f"verdict.main.{sure.verdicts[0]}"))
    counts = {v: round(share * sure.couples) for v, share in sure.shares.items()}
    central = tr("central.verdict", verdict=md(sim.VERDICT_TEXT[result.verdict][lang]))
    VERDICT_BOX[result.verdict](f"{summary}\n\n{central}", icon=VERDICT_ICON[result.verdict])
    st.caption(tr("sure.count", count=sure.couples, **counts))


def draw_dance(tr: Any, lang: str, result: Result) -> None:
    """The closeness of the couple in the middle, day by day, drawn by the browser, with its text alternative."""
    st.markdown(tr("central.label"))
    spec = run_charts(result, lang=lang)[0]
    st.vega_lite_chart({**spec, "description": chart_words(result, lang)[0]}, width="stretch")
    st.caption(tr("chart.caption"))


if __name__ == "__main__":
    main()
