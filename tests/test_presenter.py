"""Presenter mode and an honest predict-then-reveal: what the projected workshop shows, and what it keeps back.

- The stage charts and the scene's figure are drawn at the size they are shown, every text at least
  18 px, nothing cut off or on top of another text (steps of couples across the plane, both languages).
- Before a reveal the room sees closeness only, and never past the step's moment; a revealed step
  stops before the next step's moment (couples drawn across the whole score plane).
- The deck the speaker notes follow, the notes themselves, and the pages (AppTest).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from streamlit.testing.v1 import AppTest

import sim
from sim import story as stories
from sim.plots.palette import CLOSENESS_COLOR
from sim.presets import CLASSIC
from sim.signals import Signal
from ui.workshop import animation, charts, deck, notes
from ui.workshop.texts import text

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "workshop.py")
NOTES_PAGE = str(ROOT / "app_pages" / "notes.py")


def _couples(n: int, seed: int) -> list[sim.Couple]:
    """Couples across the whole score plane (both partners' anxiety and avoidance in 0..1)."""
    rng = np.random.default_rng(seed)
    return [sim.Couple(a=sim.Partner(name="A", anxiety=rng.uniform(), avoidance=rng.uniform()),
                       b=sim.Partner(name="B", anxiety=rng.uniform(), avoidance=rng.uniform())) for _ in range(n)]


def _boxes(fig) -> list[tuple[str, object]]:
    """The texts the figure draws and their boxes in pixels (tick labels outside the panel's limits are not drawn)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    undrawn.update((id(tick.label1), id(tick.label2)))
    return [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in undrawn]


def _check_stage_text(fig) -> None:
    """Every text at least MIN_TEXT_PX, inside the figure, and no two texts on top of each other."""
    assert min(charts.text_px(fig)) >= charts.MIN_TEXT_PX
    width, height = fig.canvas.get_width_height()
    boxes = _boxes(fig)
    for label, box in boxes:
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, label
    for i, (label, box) in enumerate(boxes):
        for other, box2 in boxes[i + 1:]:
            overlap_x = min(box.x1, box2.x1) - max(box.x0, box2.x0)
            overlap_y = min(box.y1, box2.y1) - max(box.y0, box2.y0)
            assert overlap_x <= 1 or overlap_y <= 1, (label, other)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_stage_chart_has_text_of_at_least_18_px_and_none_cut_off_or_overlapping(lang):
    couples = [sim.PRESETS[CLASSIC], *_couples(2, seed=3)]
    couples[1] = sim.Couple(a=replace(couples[1].a, name="Mijn partner"), b=replace(couples[1].b, name="Ik"))
    for couple, intervention in zip(couples, ("safety", "coaching", "responsibility"), strict=True):
        story = stories.build_story(couple, intervention)
        for index, view in enumerate(story.steps):
            fig = charts.stage_chart(view.result, story.names(), lang, until=stories.shown_until(story, index),
                                     start=view.start if index >= 3 else 0.0, baseline=view.baseline,
                                     moment=view.moment, label=charts.moment_label(view, story, lang))
            assert fig.canvas.get_width_height() == (510, 560)
            _check_stage_text(fig)
            before, _ = stories.before_step(story, index)
            _check_stage_text(charts.before_chart(before, lang, width=5.1))


def test_the_scene_figure_has_text_of_at_least_18_px_at_its_own_size(trap_story):
    for lang in ("en", "nl"):
        view = trap_story.step("rounds")
        fig = animation.dance_figure(view.result, 30.0, trap_story.names(), lang)
        assert fig.canvas.get_width_height() == (720, 360)
        assert min(charts.text_px(fig)) >= charts.MIN_TEXT_PX


def test_before_a_reveal_the_chart_shows_closeness_only(trap_story):
    """The partners' moves and fears are what the questions ask about: the chart before a reveal has neither."""
    for index in range(len(trap_story.steps)):
        before, day = stories.before_step(trap_story, index)
        fig = charts.before_chart(before, "en")
        assert len(fig.axes) == 1
        colors = {line.get_color() for line in fig.axes[0].get_lines()}
        assert colors == {CLOSENESS_COLOR}
        assert float(before.t[-1]) == pytest.approx(day, abs=stories.DT)


def _first(signals: tuple[Signal, ...], who: int, kind: str) -> float | None:
    times = [s.t for s in signals if s.partner == who and sim.SIGNALS[s.key]["kind"] == kind]
    return min(times) if times else None


def test_nothing_shown_before_a_reveal_reaches_the_moment_it_asks_about_across_the_plane():
    for couple in _couples(24, seed=2026):
        story = stories.build_story(couple, "safety")
        steps = story.steps
        for index, view in enumerate(steps):
            shown = stories.shown_until(story, index)
            assert view.moment - 1e-9 <= shown <= view.until + 1e-9, (couple, index)
            if index + 1 < len(steps) and steps[index + 1].moment - stories.HIDE >= view.moment:
                assert shown <= steps[index + 1].moment - stories.HIDE + 1e-9, (couple, index)
            if index:
                assert stories.before_day(story, index) <= view.moment + 1e-9, (couple, index)
        withdrawal, pursuit = story.step("withdrawal"), story.step("pursuit")
        if withdrawal.answer == "distance":  # the withdrawal is not on screen before its reveal
            first = _first(withdrawal.result.signals, story.withdrawer, "withdraw")
            assert first is not None and first > stories.before_day(story, 1) - 1e-9, couple
        if pursuit.answer == "pursues":  # nor the pursuit, in the withdrawal step's revealed chart
            first = _first(pursuit.result.signals, story.pursuer, "pursue")
            if first is not None and first - stories.HIDE >= withdrawal.moment:
                assert stories.shown_until(story, 1) < first, couple


# --- the deck the speaker notes follow ------------------------------------------------------------

class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_deck_shows_its_latest_slide_and_forgets_it_after_its_time():
    clock = _Clock()
    decks = deck.Decks(ttl=60.0, clock=clock)
    code = decks.new_code()
    assert decks.current(code) is None and len(code) >= 12 and code != decks.new_code()
    decks.publish(code, deck.Slide("k", "safety", 2, False, "en"))
    decks.publish(code, deck.Slide("k", "safety", 2, True, "en"))
    assert decks.current(code) == deck.Slide("k", "safety", 2, True, "en")
    clock.now = 59.0
    assert decks.current(code) is not None
    clock.now = 60.0
    assert decks.current(code) is None


def test_decks_published_from_many_threads_at_once_keep_each_one_s_last_slide():
    decks = deck.Decks()
    codes = [decks.new_code() for _ in range(20)]

    def present(code: str) -> None:
        for step in range(7):
            decks.publish(code, deck.Slide(code, "safety", step, True, "nl"))

    threads = [threading.Thread(target=present, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [decks.current(code).step for code in codes] == [6] * len(codes)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_notes_give_the_model_s_answer_the_question_a_tip_and_what_comes_next(trap_story, lang):
    from ui.workshop import captions

    for index, view in enumerate(trap_story.steps):
        page = notes.speaker_notes(trap_story, index, False, lang)
        assert page.answer == captions.choice_label(view, trap_story, view.answer, lang)
        assert page.answer in page.choices and page.question == captions.question(view, trap_story, lang)
        assert page.tip == text(f"notes_tip_{view.key}", lang) and page.tip.strip()
        assert page.status == text("notes_status_asking", lang)
        assert notes.speaker_notes(trap_story, index, True, lang).status == text("notes_status_shown", lang)
        assert page.next_title == (captions.step_title(index + 1, lang) if index < 6 else None)


# --- the pages ------------------------------------------------------------------------------------

def _present(step: int = 0, predict: bool = True, **state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["present"] = "1"
    at.session_state["ws_step"] = step
    at.session_state["ws_predict"] = predict
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_presenter_mode_from_the_link_hides_the_sidebar_and_shows_the_stage():
    at = _present(step=3, predict=False)
    assert not at.exception
    assert at.session_state["ws_present"] is True
    styles = [el.proto.body for el in at.get("html")]
    assert any('section[data-testid="stSidebar"]' in body and "display: none" in body for body in styles)
    images = at.main.get("image")
    assert len(images) == 2  # the stage chart and the scene (the cycle map stays in the normal view)
    exit_button = at.button(key="ws_present_off")
    assert exit_button.proto.shortcut == "escape"
    exit_button.click().run()
    assert at.session_state["ws_present"] is False and "present" not in at.query_params
    assert len(at.main.get("image")) == 3  # back to the chart, the figures and the cycle map


def test_presenter_mode_is_entered_from_the_sidebar_and_its_link_keeps_it():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert at.session_state["ws_present"] is False
    at.button(key="ws_present_on").click().run()
    assert at.session_state["ws_present"] is True and at.query_params["present"] == "1"


def test_in_presenter_mode_the_room_joins_from_the_projected_view(rooms_file):
    at = _present(step=1, ws_room_on=True)
    code = at.session_state["ws_room"]
    joined = [el.proto.body for el in at.main.get("html") if text("room_qr_alt", "en", code=code) in el.proto.body]
    assert len(joined) == 1 and "<img" in joined[0]
    assert any(text("room_code", "en", code=code) in m.value for m in at.main.markdown)


def test_the_notes_page_follows_the_projected_view():
    coach = _present(step=2, predict=True)
    code = coach.session_state["ws_deck"]
    page = AppTest.from_file(NOTES_PAGE, default_timeout=60)
    page.query_params["deck"] = code
    page.run()
    assert not page.exception
    assert page.title[0].value == text("step_pursuit", "en")
    answer = stories.build_story(sim.PRESETS[CLASSIC], "safety").step("pursuit")
    assert any("pursues" in answer.answer and text("notes_answer", "en", answer="").split("**")[0] in m.value
               for m in page.markdown)
    assert page.warning[0].value == text("notes_status_asking", "en")
    coach.button(key="ws_reveal").click().run()
    page.run()
    assert page.success[0].value == text("notes_status_shown", "en")


def test_the_notes_page_without_a_deck_says_where_to_open_it():
    page = AppTest.from_file(NOTES_PAGE, default_timeout=60).run()
    assert page.warning[0].value == text("notes_no_deck", "en")
    page = AppTest.from_file(NOTES_PAGE, default_timeout=60)
    page.query_params["deck"] = "no-such-deck"
    page.run()
    assert page.info[0].value == text("notes_waiting", "en")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_picture_of_the_workshop_has_a_text_alternative(lang):
    """Predicting, revealed, playing and in presenter mode: no image without alt text, and a chart's
    alt text says up to which day it shows."""
    views = [_present(step=1, predict=True), _present(step=4, predict=False)]
    normal = AppTest.from_file(PAGE, default_timeout=60)
    normal.session_state["ws_step"] = 2
    normal.session_state["ws_predict"] = False
    normal.query_params["lang"] = lang
    views.append(normal.run())
    normal.button(key="ws_play").click().run()
    views.append(normal)
    for at in views:
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        alts = [img.alt for element in at.main.get("image") for img in element.proto.imgs]
        assert alts and all(alt.strip() for alt in alts), alts
    story = stories.build_story(sim.PRESETS[CLASSIC], "safety")
    day = round(stories.shown_until(story, 2))
    assert any(f"{day}" in alt for alt in (img.alt for e in views[2].main.get("image") for img in e.proto.imgs))
