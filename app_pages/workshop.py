"""Workshop: a guided, projector-ready story of the pursue-withdraw dance (a page of the app, ``/workshop``).

The coach picks a couple (a preset, or the couple on the main page) and an intervention; the story
then runs in seven steps, Back and Next: an intimate moment, the withdrawal reflex, the pursuit,
the rounds of the dance, stress and quarrels, an intervention, settling. Before each step the room can be
asked what happens now, and the model's answer is revealed after. Each revealed step shows the run
up to its moment, a caption to speak to, the two partners as figures moving toward and away (play,
pause, scrub through the days) and the cycle map with the active link lit. The scene exports as an
animated GIF, the whole story as a one-page handout (PNG or PDF).

A thin script: ``main()`` first, widgets in ``*_ui()`` functions, drawing in ``draw_*()`` functions,
every text from ``ui/locales/workshop.<lang>.json``; the story, the figures and the handout live in
``ui/workshop``. Runs and pictures are cached on small keys (the couple's JSON, the intervention,
the step, the day, the language).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

import numpy as np
import streamlit as st

import sim
from sim import story as stories
from sim.presets import CLASSIC
from sim.scenario import LANG_FIELD, Scenario, load_scenario, save_scenario
from ui.i18n import LANGS
from ui.room import Question, RoomError, RoomStore, default_store
from ui.workshop import animation, captions, charts, cycle, deck, handout, quiz
from ui.workshop.texts import colored, md, text

# Module-level strings would be shown by Streamlit's magic, so the constants are described in comments.
MAIN = "main"  # the couple choice that means: the couple on the main page (st.session_state["scenario"])
DEFAULT_PRESET = CLASSIC
DEFAULT_INTERVENTION = "safety"
POLL_SECONDS = 2.0  # how often the coach's view counts the room's votes
SCRUB_FRAMES = 81  # positions of the day slider in a scene
VERDICT_BOX = {"settles": st.success, "cycles": st.warning, "escalates": st.error}
STYLE = """
<style>
.stMain [data-testid="stMarkdownContainer"] p, .stMain [data-testid="stMarkdownContainer"] li
  { font-size: 1.35rem; line-height: 1.45; }
.stMain h1 { font-size: 2.7rem; }
.stMain h2 { font-size: 2.0rem; }
.stMain [data-testid="stWidgetLabel"] p { font-size: 1.2rem; }
.stMain [role="radiogroup"] label p { font-size: 1.45rem; }
.stMain button p { font-size: 1.2rem; white-space: nowrap; }
.stMain [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
</style>
"""  # projector type: bigger text in the main area (the coach's sidebar keeps its size)
PRESENT_STYLE = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.stMain .block-container { padding: 0.5rem 1rem 0.4rem 1rem; max-width: none; }
.stMain h1 { font-size: 2.0rem; padding: 0; }
.stMain h2 { font-size: 1.6rem; }
.stMain [data-testid="stMarkdownContainer"] p, .stMain [data-testid="stMarkdownContainer"] li
  { font-size: 1.15rem; line-height: 1.3; margin-bottom: 0.2rem; }
.stMain [data-testid="stVerticalBlock"] { gap: 0.35rem; }
.stMain [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
.stMain [data-testid="stImage"] img { max-width: none; }
</style>
"""  # presenter mode: no sidebar or header, tight spacing, every text at least 18 px on a 1280 x 720 screen
STAGE_WIDTH = 510  # pixels of the stage chart (shown at its own size: its text stays >= 18 px)
SCENE_WIDTH = 720  # pixels of a scene's figure in presenter mode (its own size)


def main() -> None:
    """The page, top to bottom."""
    lang = initial_lang()
    present = presenting()
    st.set_page_config(page_title=text("page_title", lang), page_icon="💞", layout="wide",
                       initial_sidebar_state="collapsed" if present else "auto")
    st.html(STYLE)
    if present:
        st.html(PRESENT_STYLE)
    lang = lang_ui(lang)
    choice = story_ui(lang)
    story = cached_story(choice.couple_key, choice.intervention)
    code = presenter_ui(lang)
    quiz_state = st.session_state.get("ws_quiz") if choice.room else None
    index = step_index()
    shown = revealed(choice, index)
    deck.shared().publish(code, deck.Slide(choice.couple_key, choice.intervention, index, shown, lang, choice.room,
                                           (str(quiz_state["phase"]), int(quiz_state["number"])) if quiz_state
                                           else None))
    if choice.room and quiz_state:
        quiz_ui(choice.room, lang)
        return
    view = story.steps[index]
    header_ui(story, index, lang, shown, present)
    if shown and present:
        stage_ui(choice, story, view, lang)
    elif shown:
        draw_step(choice, story, view, lang)
        moment_ui(choice, story, view, lang)
    else:
        predict_ui(choice, story, view, lang, present)
    downloads_ui(choice, story, view, lang)


class Choice(NamedTuple):
    """What the coach chose: the couple (as scenario JSON, the cache key), the intervention, predict
    mode, and the code of the room that votes from its phones (None: the room answers aloud)."""

    couple_key: str
    intervention: str
    predict: bool
    room: str | None = None


# --- cached runs and pictures (keyed on the couple's JSON, the intervention, the step, the language) ---

def couple_key(couple: sim.Couple) -> str:
    """A couple as scenario JSON: a small, exact, hashable cache key."""
    return save_scenario(Scenario(couple=couple))


@st.cache_resource(max_entries=16, show_spinner=False)
def cached_story(key: str, intervention: str) -> stories.Story:
    """The whole story of the couple in ``key`` with ``intervention`` (about ten runs of the model)."""
    return stories.build_story(load_scenario(key).couple, intervention)


@st.cache_data(max_entries=64, show_spinner=False)
def chart_png(key: str, intervention: str, index: int, lang: str) -> bytes:
    """The story chart of step ``index``, with its moment marked."""
    story = cached_story(key, intervention)
    return charts.png(charts.story_chart(story.steps[index], story, lang, until=stories.shown_until(story, index)))


@st.cache_data(max_entries=64, show_spinner=False)
def stage_png(key: str, intervention: str, index: int, lang: str) -> bytes:
    """The stage chart of step ``index`` for presenter mode (its own size: every text >= 18 px)."""
    story = cached_story(key, intervention)
    view = story.steps[index]
    figure = charts.stage_chart(view.result, story.names(), lang, until=stories.shown_until(story, index),
                                start=view.start if index >= 3 else 0.0, baseline=view.baseline,
                                moment=view.moment, label=charts.moment_label(view, story, lang),
                                band=(stories.ESCALATION[0][1], stories.ESCALATION[-1][1]) if view.key == "escalation"
                                else None)
    return charts.png(figure, dpi=charts.STAGE_DPI)


@st.cache_data(max_entries=64, show_spinner=False)
def before_png(key: str, intervention: str, index: int, lang: str) -> bytes:
    """The run up to the start of step ``index``, while the room predicts."""
    result, _ = stories.before_step(cached_story(key, intervention), index, load_scenario(key).couple)
    return charts.png(charts.before_chart(result, lang, width=STAGE_WIDTH / charts.STAGE_DPI), dpi=charts.STAGE_DPI)


@st.cache_data(max_entries=512, show_spinner=False)
def frame_png(key: str, intervention: str, index: int, day: float, lang: str) -> bytes:
    """The two partners on their line at ``day`` of step ``index``."""
    story = cached_story(key, intervention)
    return charts.png(animation.dance_figure(story.steps[index].result, day, story.names(), lang))


GIFS_KEPT = 32  # scenes' GIFs kept in memory (each a few hundred kB)
GIF_LOCK = threading.Lock()  # the sessions of one server share the GIFs (one thread per session)


@st.cache_resource(show_spinner=False)
def gif_shelf() -> OrderedDict[tuple[str, str, int, str], bytes]:
    """The scenes' GIFs made so far (newest last), shared by the sessions of this server.

    Not an ``st.cache_data`` function: a GIF is drawn with a progress bar on the page, and a cached
    function may not write to a block made outside it.
    """
    return OrderedDict()


def scene_gif(key: str, intervention: str, index: int, lang: str,
              progress: Callable[[float], None] | None = None) -> bytes:
    """The scene of step ``index`` as an animated GIF: what Play shows, and what the download gives."""
    shelf, name = gif_shelf(), (key, intervention, index, lang)
    with GIF_LOCK:
        kept = shelf.get(name)
        if kept is not None:
            shelf.move_to_end(name)
            return kept
    story = cached_story(key, intervention)
    view = story.steps[index]
    data = animation.dance_gif(view.result, view.start, stories.shown_until(story, index), story.names(), lang,
                               progress=progress)
    with GIF_LOCK:
        shelf[name] = data
        while len(shelf) > GIFS_KEPT:
            shelf.popitem(last=False)
    return data


@st.cache_data(max_entries=256, show_spinner=False)
def cycle_png(active: int, names: tuple[str, str], withdrawer: int, pursuer: int, lang: str) -> bytes:
    """The cycle map with link ``active`` lit."""
    return charts.png(cycle.draw_cycle_map(active, names, withdrawer, pursuer, lang))


@st.cache_data(max_entries=32, show_spinner=False)
def states(key: str, intervention: str, index: int) -> np.ndarray:
    """The active link of the loop at every instant of step ``index``'s run."""
    story = cached_story(key, intervention)
    return cycle.link_states(story.steps[index].result, story.withdrawer, story.pursuer)


# --- controls --------------------------------------------------------------------------------------

def initial_lang() -> str:
    """The language: the link's ``?lang=``, else the main page's, else English."""
    if st.session_state.get("ws_lang") in LANGS:
        return str(st.session_state["ws_lang"])
    wanted = st.query_params.get("lang")
    if wanted in LANGS:
        return str(wanted)
    if st.session_state.get("lang") in LANGS:
        return str(st.session_state["lang"])
    scenario = st.session_state.get("scenario")
    return scenario.lang if isinstance(scenario, Scenario) else "en"


def lang_ui(lang: str) -> str:
    """The language switch (sidebar); it keeps the main page and the link in step."""
    st.session_state.setdefault("ws_lang", lang)
    st.sidebar.segmented_control(LANG_FIELD.label[lang], options=list(LANGS), key="ws_lang", required=True,
                                 format_func=lambda code: text(f"lang_{code}", code), on_change=on_lang)
    chosen = str(st.session_state["ws_lang"])
    if st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    return chosen


def on_lang() -> None:
    """Carry a new language to the main page's state."""
    st.session_state["lang"] = st.session_state["ws_lang"]


def literal(name: str, partner: int) -> str:
    """A name as literal markdown (an answer's or a caption's wording, where the colour is not used)."""
    return md(name)


def main_scenario() -> Scenario | None:
    """The scenario of the main page, when the coach came from there."""
    scenario = st.session_state.get("scenario")
    return scenario if isinstance(scenario, Scenario) else None


def story_ui(lang: str) -> Choice:
    """The coach's controls (sidebar): couple, intervention, predict mode."""
    bar = st.sidebar
    bar.header(text("sidebar_title", lang))
    bar.caption(text("intro", lang))
    scenario = main_scenario()
    options = ([MAIN] if scenario else []) + list(sim.PRESETS)
    if st.session_state.get("ws_couple") not in options:
        st.session_state["ws_couple"] = MAIN if scenario else DEFAULT_PRESET
    picked = bar.selectbox(text("couple_label", lang), options=options, key="ws_couple",
                           format_func=lambda name: text("couple_main" if name == MAIN else f"preset_{name}", lang))
    couple = scenario.couple if picked == MAIN and scenario else sim.PRESETS[picked]
    bar.caption(sim.PRESET_TEXT[picked][lang] if picked in sim.PRESET_TEXT else
                captions.couple_label(couple, lang, lambda name, i: colored(name, i)))
    if "ws_intervention" not in st.session_state:
        kinds = [iv.kind for iv in scenario.interventions] if scenario else []
        st.session_state["ws_intervention"] = kinds[0] if kinds else DEFAULT_INTERVENTION
    kind = bar.selectbox(text("intervention_label", lang, day=stories.INTERVENTION_AT),
                         options=list(sim.INTERVENTION_KINDS), key="ws_intervention",
                         format_func=lambda k: captions.intervention_label(k, lang))
    predict = bar.toggle(text("predict_label", lang), value=True, key="ws_predict", help=text("predict_help", lang))
    room = room_ui(lang) if predict else None
    return Choice(couple_key(couple), str(kind), bool(predict), room)


@st.cache_resource(show_spinner=False)
def rooms() -> RoomStore:
    """The rooms of this server (shared by every session: the coach's and the phones')."""
    return default_store()


def join_url(code: str, lang: str) -> str:
    """The address a phone opens to vote in room ``code``: this server's ``/vote`` page."""
    here = urlsplit(st.context.url or "")
    base = f"{here.scheme}://{here.netloc}" if here.scheme and here.netloc else ""
    return f"{base}/vote?{urlencode({'room': code, 'lang': lang})}"


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as PNG (segno: no network, no Pillow)."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def qr_img(code: str, lang: str, size: int) -> str:
    """The room's QR code as an ``<img>`` of ``size`` pixels, with its alt text (the sidebar's and the projector's)."""
    alt = html.escape(text("room_qr_alt", lang, code=code), quote=True)
    data = base64.b64encode(qr_png(join_url(code, lang))).decode()
    return (f'<img src="data:image/png;base64,{data}" alt="{alt}" width="{size}" height="{size}" '
            'style="image-rendering: pixelated">')


def room_ui(lang: str) -> str | None:
    """The room's switch (sidebar): opens a room, shows its code, QR code and phones; returns its code."""
    bar = st.sidebar
    if not bar.toggle(text("room_toggle", lang), key="ws_room_on", help=text("room_toggle_help", lang)):
        return None
    code = st.session_state.get("ws_room")
    try:
        if not code:
            code = st.session_state["ws_room"] = rooms().open_room()
        phones = rooms().phones(code)
    except RoomError as err:  # the room expired: open a new one at the next rerun
        st.session_state.pop("ws_room", None)
        bar.warning(text(f"room_err_{err.code}", lang))
        return None
    url = join_url(code, lang)
    bar.markdown("### " + text("room_code", lang, code=code))
    bar.html(qr_img(code, lang, 220))
    bar.caption(md(text("room_join", lang, url=url)))
    bar.caption(text("room_phones", lang, n=phones))
    if st.session_state.get("ws_room_closed") == code:
        bar.caption(text("room_closed", lang))
    else:
        with bar.container(horizontal=True):
            for phase in quiz.PHASES:
                st.button(text(f"quiz_{phase}_button", lang), key=f"ws_quiz_{phase}", on_click=start_quiz,
                          args=(phase,), help=text("quiz_buttons_help", lang), icon=":material/quiz:")
        bar.button(text("room_close", lang), key="ws_room_close", on_click=close_room, args=(code,),
                   icon=":material/lock:")
    return str(code)


def start_quiz(phase: str) -> None:
    """Ask the room the ``phase`` set of the room check ("pre" or "post"), from its first question."""
    st.session_state["ws_quiz"] = {"phase": phase, "number": 0}
    st.session_state["ws_playing"] = False


def next_quiz(phase: str, number: int) -> None:
    """Move to question ``number`` of the room check; past the before-questions, back to the story's start."""
    if phase == "pre" and number >= len(quiz.QUIZ):
        st.session_state["ws_quiz"] = None
        st.session_state["ws_step"] = 0
    else:
        st.session_state["ws_quiz"] = {"phase": phase, "number": number}


def end_quiz() -> None:
    """Leave the room check for the story."""
    st.session_state["ws_quiz"] = None


def quiz_ui(code: str, lang: str) -> None:
    """The room check in the main area: one question at a time on the phones, then what the room understood."""
    state = st.session_state["ws_quiz"]
    phase, number = str(state["phase"]), int(state["number"])
    total = len(quiz.QUIZ)
    st.caption(text(f"quiz_title_{phase}", lang))
    if number >= total:
        draw_quiz_results(code, lang)
        st.button(text("quiz_back", lang), key="ws_quiz_back", type="primary", on_click=end_quiz,
                  icon=":material/arrow_back:")
        return
    asked = quiz.question(phase, number, lang)
    st.title(text("quiz_counter", lang, n=number + 1, total=total))
    st.progress((number + 1) / total)
    st.header(md(asked.prompt))
    st.markdown("\n".join(f"- {md(label)}" for label in asked.labels))
    try:
        rooms().ask(code, asked)
    except RoomError as err:
        st.warning(text(f"room_err_{err.code}", lang))
    else:
        st.fragment(run_every=POLL_SECONDS)(draw_votes_so_far)(code, asked.qid, lang)
    last = number == total - 1
    label = ("quiz_start_story" if phase == "pre" else "quiz_show_results") if last else "quiz_next"
    st.button(text(label, lang), key="ws_quiz_next", type="primary", on_click=next_quiz, args=(phase, number + 1),
              icon=":material/arrow_forward:", shortcut="PageDown")


def draw_quiz_results(code: str, lang: str) -> None:
    """Per question, the share of the room that chose the model's answer before the story and after it."""
    st.title(text("quiz_results_title", lang))
    for number, item in enumerate(quiz.QUIZ):
        st.subheader(text(f"quiz_q_{item.key}", lang))
        st.caption(text("quiz_model_answer", lang, label=text(f"quiz_{item.key}_{item.answer}", lang)))
        for phase in quiz.PHASES:
            try:
                counts = rooms().tally(code, quiz.question(phase, number, lang).qid)
            except RoomError as err:
                st.caption(text(f"room_err_{err.code}", lang))
                return
            share = quiz.right_share(counts, item)
            shown = f"{round(100 * share)} %" if share is not None else "–"
            st.progress(share or 0.0, text=text(f"quiz_result_{phase}", lang, share=shown, n=sum(counts.values())))


def presenting() -> bool:
    """Whether the page is in presenter mode (the projected view: ``?present=1`` in its link)."""
    if "ws_present" not in st.session_state:
        st.session_state["ws_present"] = st.query_params.get("present") == "1"
    return bool(st.session_state["ws_present"])


def set_presenting(on: bool) -> None:
    """Enter or leave presenter mode (the link keeps it, so a reload stays in it)."""
    st.session_state["ws_present"] = on
    st.session_state["ws_playing"] = False
    if on:
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def presenter_ui(lang: str) -> str:
    """Presenter mode and the speaker notes (sidebar); returns the code the notes tab follows."""
    code = st.session_state.setdefault("ws_deck", deck.Decks.new_code())
    bar = st.sidebar
    bar.subheader(text("present_title", lang))
    bar.button(text("present_on", lang), key="ws_present_on", on_click=set_presenting, args=(True,),
               help=text("present_on_help", lang), icon=":material/slideshow:", width="stretch")
    bar.link_button(text("notes_link", lang), url=f"/notes?{urlencode({'deck': code})}",
                    help=text("notes_link_help", lang), icon=":material/speaker_notes:", width="stretch")
    return str(code)


def close_room(code: str) -> None:
    """Take no more votes in the room (its tallies stay on screen)."""
    rooms().close(code)
    st.session_state["ws_room_closed"] = code


def room_question(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> Question:
    """The question of step ``view`` as the room's phones see it (names as typed: the phone escapes them)."""
    tag = hashlib.sha256((choice.couple_key + choice.intervention).encode()).hexdigest()[:8]
    options = tuple(stories.CHOICES[view.key])
    return Question(f"{view.index + 1}-{view.key}-{tag}", options, captions.question(view, story, lang),
                    tuple(captions.choice_label(view, story, c, lang) for c in options))


def step_index() -> int:
    """The step on screen, 0..6."""
    index = int(st.session_state.get("ws_step", 0))
    index = min(max(index, 0), len(stories.STEPS) - 1)
    st.session_state["ws_step"] = index
    return index


def go(delta: int) -> None:
    """Move ``delta`` steps (wrapping to the start after the last), and stop playing."""
    st.session_state["ws_step"] = (int(st.session_state.get("ws_step", 0)) + delta) % len(stories.STEPS)
    st.session_state["ws_playing"] = False


def reveal_key(choice: Choice, index: int) -> str:
    """Whether a step was revealed is kept per couple, intervention and step."""
    return f"{choice.intervention}:{index}:{choice.couple_key}"


def revealed(choice: Choice, index: int) -> bool:
    """Whether step ``index`` shows its answer (always, when the room is not asked)."""
    return not choice.predict or reveal_key(choice, index) in st.session_state.get("ws_revealed", {})


def on_reveal(choice: Choice, index: int) -> None:
    """Remember the room's guess and show the step."""
    done = dict(st.session_state.get("ws_revealed", {}))
    done[reveal_key(choice, index)] = st.session_state.get(f"ws_guess_{index}")
    st.session_state["ws_revealed"] = done


def header_ui(story: stories.Story, index: int, lang: str, shown: bool = True, present: bool = False) -> None:
    """Step counter, title, and Back / Next (and, in presenter mode, the way out: Esc).

    A presenter's clicker sends Page Down and Page Up: Page Up goes back, Page Down shows the
    answer of a step not yet revealed and goes on from one that is (as a slide's next build does).
    """
    title, nav = st.columns([5, 4] if present else [3, 2], vertical_alignment="bottom")
    with title:
        st.caption(text("step_counter", lang, n=index + 1, total=len(stories.STEPS)) + " · " + text("title", lang))
        st.title(captions.step_title(index, lang))
    with nav, st.container(horizontal=True, horizontal_alignment="right"):
        st.button(text("back", lang), key="ws_back", on_click=go, args=(-1,), disabled=index == 0,
                  icon=":material/arrow_back:", shortcut="PageUp")
        last = index == len(stories.STEPS) - 1
        st.button(text("restart" if last else "next", lang), key="ws_next", on_click=go, args=(1,), type="primary",
                  icon=":material/restart_alt:" if last else ":material/arrow_forward:",
                  shortcut="PageDown" if shown else "Right")
        if present:
            st.button(text("present_off", lang), key="ws_present_off", on_click=set_presenting, args=(False,),
                      icon=":material/close_fullscreen:", shortcut="Escape", help=text("present_off_help", lang))
    st.progress((index + 1) / len(stories.STEPS))


def predict_ui(choice: Choice, story: stories.Story, view: stories.StepView, lang: str,
               present: bool = False) -> None:
    """The question to the room, its answers and the reveal button, beside the run so far (closeness only,
    up to the last day shown so far: what the room is asked has not happened on screen)."""
    chart, ask = st.columns([STAGE_WIDTH, SCENE_WIDTH] if present else [3, 2], gap="small" if present else "large")
    with chart:
        day = stories.before_day(story, view.index)
        st.image(before_png(choice.couple_key, choice.intervention, view.index, lang),
                 width=STAGE_WIDTH if present else "stretch", alt=text("alt_before", lang, day=day))
        st.caption(text("before_note", lang, day=day))
        if present and choice.room:
            draw_join(choice.room, lang)
    with ask:
        st.header(captions.question(view, story, lang, lambda name, i: colored(name, i)))
        st.radio(text("guess_label", lang), options=list(stories.CHOICES[view.key]), index=None,
                 key=f"ws_guess_{view.index}",
                 format_func=lambda c: captions.choice_label(view, story, c, lang, literal))
        st.button(text("reveal", lang), key="ws_reveal", type="primary", on_click=on_reveal,
                  args=(choice, view.index), icon=":material/visibility:", shortcut="PageDown")
        if choice.room:
            asked = room_question(choice, story, view, lang)
            try:
                rooms().ask(choice.room, asked)
            except RoomError as err:
                st.warning(text(f"room_err_{err.code}", lang))
            else:
                st.fragment(run_every=POLL_SECONDS)(draw_votes_so_far)(choice.room, asked.qid, lang)


def draw_join(code: str, lang: str) -> None:
    """How the room joins, on the projected view (the sidebar is hidden in presenter mode): code and QR code."""
    qr, words = st.columns([1, 2], vertical_alignment="center")
    qr.html(qr_img(code, lang, 150))
    words.markdown(text("room_code", lang, code=code))
    words.caption(md(text("room_join", lang, url=join_url(code, lang))))


def stage_ui(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> None:
    """A revealed step in presenter mode, on one 1280 x 720 screen: the chart, the scene and the words."""
    chart, scene = st.columns([STAGE_WIDTH, SCENE_WIDTH], gap="small")
    with chart:
        st.image(stage_png(choice.couple_key, choice.intervention, view.index, lang), width=STAGE_WIDTH,
                 alt=chart_alt(story, view, lang))
    with scene:
        draw_moment(choice, story, view, lang, present=True)
        if choice.predict:
            answer = captions.choice_label(view, story, view.answer, lang, literal)
            line = text("answer_model", lang, answer=answer)
            if choice.room:
                line += " · " + room_share(choice, story, view, lang)
            st.markdown(f":blue-background[:material/psychology: {line}]")
        for line in captions.caption(view, story, lang, lambda name, i: colored(name, i)):
            st.markdown(line)
        if view.key in ("rounds", "settling"):
            verdict = view.result.verdict
            VERDICT_BOX[verdict](captions.verdict_line(verdict, lang))


def chart_alt(story: stories.Story, view: stories.StepView, lang: str) -> str:
    """The text alternative of a revealed step's chart: what it shows, up to which day, and its mark."""
    return text("alt_chart", lang, day=stories.shown_until(story, view.index),
                mark=charts.moment_label(view, story, lang))


def room_share(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> str:
    """The room's votes for the model's answer in one phrase ("the room: 12 of 20 chose this")."""
    try:
        counts = rooms().tally(str(choice.room), room_question(choice, story, view, lang).qid)
    except RoomError as err:
        return text(f"room_err_{err.code}", lang)
    total = sum(counts.values())
    share = f"{round(100 * counts.get(view.answer, 0) / total)} %" if total else "–"
    return text("room_tally_short", lang, n=counts.get(view.answer, 0), total=total, share=share)


def draw_votes_so_far(code: str, qid: str, lang: str) -> None:
    """How many phones have voted on the question asked (counted again every few seconds)."""
    try:
        st.caption(text("room_votes_now", lang, n=sum(rooms().tally(code, qid).values())))
    except RoomError as err:
        st.caption(text(f"room_err_{err.code}", lang))


def draw_step(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> None:
    """The revealed step: the chart with its moment, the answer and the caption."""
    chart, words = st.columns([3, 2], gap="large")
    with chart:
        st.image(chart_png(choice.couple_key, choice.intervention, view.index, lang), width="stretch",
                 alt=chart_alt(story, view, lang))
    with words:
        if choice.predict:
            draw_answer(choice, story, view, lang)
        for line in captions.caption(view, story, lang, lambda name, i: colored(name, i)):
            st.markdown(line)
        if view.key in ("rounds", "settling"):
            verdict = view.result.verdict
            VERDICT_BOX[verdict](captions.verdict_line(verdict, lang))


def draw_answer(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> None:
    """The model's answer, and how the room's guess compares."""
    answer = captions.choice_label(view, story, view.answer, lang, literal)
    guess = st.session_state.get("ws_revealed", {}).get(reveal_key(choice, view.index))
    st.info(text("answer_model", lang, answer=answer), icon=":material/psychology:")
    if guess == view.answer:
        st.success(text("answer_right", lang), icon=":material/check_circle:")
    elif guess is not None:
        st.markdown(text("answer_wrong", lang, guess=captions.choice_label(view, story, guess, lang, literal)))
    if choice.room:
        draw_tally(choice, story, view, lang)


def draw_tally(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> None:
    """The room's votes on this step beside the model's answer (the answer is marked)."""
    asked = room_question(choice, story, view, lang)
    try:
        counts = rooms().tally(str(choice.room), asked.qid)
    except RoomError as err:
        st.caption(text(f"room_err_{err.code}", lang))
        return
    total = sum(counts.values())
    st.markdown("**" + text("room_tally_title", lang) + "**")
    for option in asked.choices:
        n = counts.get(option, 0)
        share = f"{round(100 * n / total)} %" if total else "–"
        line = text("room_tally_line", lang, label=md(asked.label(option)), n=n, share=share)
        if option == view.answer:
            line = f"**{line}** · " + text("room_tally_model", lang)
        st.progress(n / total if total else 0.0, text=line)


def scene_days(story: stories.Story, view: stories.StepView) -> list[float]:
    """The days the slider can show in a step's scene (about SCRUB_FRAMES, one decimal), its moment among them."""
    days = animation.frame_days(view.start, stories.shown_until(story, view.index), view.result, SCRUB_FRAMES)
    return sorted({round(float(d), 1) for d in days} | {round(view.moment, 1)})


def moment_ui(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> None:
    """The scene moment by moment: play it, or scrub through the days; the figures and the cycle map."""
    st.subheader(text("moment_title", lang))
    draw_moment(choice, story, view, lang)


def toggle_play() -> None:
    """Play the scene, or stop it."""
    st.session_state["ws_playing"] = not st.session_state.get("ws_playing", False)


def draw_moment(choice: Choice, story: stories.Story, view: stories.StepView, lang: str,
                present: bool = False) -> None:
    """One moment of the scene, or the whole scene playing.

    Play shows the scene's GIF (drawn once, with a progress bar, then cached): the browser plays
    it from the scene's start at :data:`ui.workshop.animation.PACE`, the same file the download
    gives. Stopped, the slider picks the day and the cycle map shows the link active then.
    """
    days = scene_days(story, view)
    key = f"ws_day_{view.index}"
    if st.session_state.get(key) not in days:
        st.session_state[key] = min(days, key=lambda d: abs(d - view.moment))
    playing = bool(st.session_state.get("ws_playing", False))
    button, slider = st.columns([1, 4] if present else [1, 5], vertical_alignment="center")
    with button:
        st.button(text("pause" if playing else "play", lang), key="ws_play", on_click=toggle_play,
                  icon=":material/stop:" if playing else ":material/play_arrow:", shortcut="p")
    with slider:
        day = st.select_slider(text("day_label", lang), options=days, key=key, disabled=playing,
                               label_visibility="collapsed" if present else "visible",
                               format_func=lambda d: text("anim_day", lang, day=float(d)))
    if present:
        figures, loop = st.container(), None
    else:
        figures, loop = st.columns([5, 4], gap="medium")
    with figures:
        if playing:
            st.image(play_gif(choice, view, lang), width=SCENE_WIDTH if present else "stretch",
                     alt=text("alt_scene_playing", lang, a=story.names()[0], b=story.names()[1]))
        else:
            st.image(frame_png(choice.couple_key, choice.intervention, view.index, float(day), lang),
                     width=SCENE_WIDTH if present else "stretch",
                     alt=text("alt_scene", lang, a=story.names()[0], b=story.names()[1], day=float(day)))
    if loop is None:
        return
    with loop:
        index = int(np.clip(round(float(day) / view.result.dt), 0, view.result.steps))
        active = int(states(choice.couple_key, choice.intervention, view.index)[index])
        names = (literal(story.names()[0], 0), literal(story.names()[1], 1))
        now = text("cycle_now", lang, text=cycle.describe(active, names, story.withdrawer, story.pursuer, lang))
        st.image(cycle_png(active, story.names(), story.withdrawer, story.pursuer, lang), width="stretch",
                 alt=text("alt_cycle", lang, now=cycle.describe(active, story.names(), story.withdrawer, story.pursuer,
                                                               lang)))
        st.caption(now)


def play_gif(choice: Choice, view: stories.StepView, lang: str) -> bytes:
    """The scene's GIF, with a progress bar while its frames are drawn (the first time only)."""
    bar = st.empty()

    def progress(share: float) -> None:
        bar.progress(share, text=text("gif_making", lang, share=round(100 * share)))

    data = scene_gif(choice.couple_key, choice.intervention, view.index, lang, progress)
    bar.empty()
    return data


def downloads_ui(choice: Choice, story: stories.Story, view: stories.StepView, lang: str) -> None:
    """The scene as GIF and the story as a handout (made only when clicked)."""
    bar = st.sidebar
    bar.subheader(text("downloads", lang))
    step = stories.STEPS[view.index]
    made = st.session_state.setdefault("ws_gifs", set())
    gif_key = (choice.couple_key, choice.intervention, view.index, lang)
    if gif_key in made or st.session_state.get("ws_playing"):
        with bar:
            data = play_gif(choice, view, lang)
        made.add(gif_key)
        bar.download_button(text("gif_download", lang), key="ws_gif", mime="image/gif", on_click="ignore",
                            file_name=f"dance-{view.index + 1}-{step}-{lang}.gif", icon=":material/animated_images:",
                            data=data, width="stretch")
    else:
        bar.button(text("gif_make", lang), key="ws_gif_make", on_click=made.add, args=(gif_key,),
                   icon=":material/animated_images:", width="stretch", help=text("gif_make_help", lang))
    for fmt, mime in (("png", "image/png"), ("pdf", "application/pdf")):
        bar.download_button(text(f"handout_{fmt}", lang), key=f"ws_handout_{fmt}", mime=mime, on_click="ignore",
                            file_name=f"handout-{choice.intervention}-{lang}.{fmt}", icon=":material/description:",
                            data=partial(handout.handout, story, lang, fmt), width="stretch")


if __name__ == "__main__":
    main()
