"""Presenter mode in a real browser: a coach with a clicker on a 1280 x 720 projector, the notes in a second tab.

The coach opens the speaker notes (a second tab, as on the laptop's own screen), enters presenter
mode and runs the whole story with the clicker's keys only (Page Down reveals, then goes on).
Every view must fit the 1280 x 720 screen without scrolling, the chart must be shown at its own
size (so its text stays at least 18 px), the sidebar must be out of sight, and the notes must
follow each step with the model's answer before the room sees it. Screenshots go to
``artifacts/presenter/``.
"""

from __future__ import annotations

import re
import time

import pytest
from conftest import ARTIFACTS, RENDER_TIMEOUT_MS, outside_requests, wait_for_app
from playwright.sync_api import Browser, Page, expect

from sim import story as stories
from sim.presets import CLASSIC, PRESETS
from ui.workshop import captions
from ui.workshop.texts import text

SHOTS = ARTIFACTS / "presenter"
PROJECTOR = {"width": 1280, "height": 720}
FOLLOW_S = 15.0
"""How long the notes tab may take to follow the projected view (it looks every second)."""
STAGE_WIDTH = 510
SCENE_WIDTH = 720


def _shot(page: Page, name: str) -> None:
    wait_for_app(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _overflow(page: Page) -> int:
    """Pixels the page would have to scroll (0: it fits the window)."""
    return int(page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const tall = Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0);
            return tall - window.innerHeight;
        }"""))


def _images(page: Page) -> list[dict[str, float]]:
    """Shown and own widths of the main area's pictures, in order."""
    return list(page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stMain"] [data-testid="stImage"] img'))
                 .map(img => ({shown: img.getBoundingClientRect().width, own: img.naturalWidth,
                               src: img.getAttribute('src') || ''}))"""))


def _notes_follow(notes: Page, title: str, status: str) -> None:
    deadline = time.monotonic() + FOLLOW_S
    while time.monotonic() < deadline:
        if notes.get_by_role("heading", name=title, exact=True).count() and notes.get_by_text(status).count():
            return
        notes.wait_for_timeout(300)
    raise AssertionError(f"the notes did not follow to {title!r} / {status!r}")


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_presenter_mode_fits_every_step_on_a_projector_and_the_notes_follow(app_url: str, browser: Browser,
                                                                            lang: str) -> None:
    story = stories.build_story(PRESETS[CLASSIC], "safety")
    context = browser.new_context(viewport=PROJECTOR)
    coach = context.new_page()
    coach.set_default_timeout(RENDER_TIMEOUT_MS)
    outside = outside_requests(coach, app_url)
    coach.goto(f"{app_url}/workshop?lang={lang}")
    wait_for_app(coach)
    bar = coach.locator('[data-testid="stSidebar"]')
    href = bar.get_by_role("link", name=re.compile(re.escape(text("notes_link", lang)))).get_attribute("href")
    assert href and "deck=" in href
    notes = context.new_page()
    notes.set_default_timeout(RENDER_TIMEOUT_MS)
    notes.goto(app_url + href[href.index("/notes"):])
    bar.get_by_role("button", name=text("present_on", lang)).click()
    wait_for_app(coach)
    expect(coach).to_have_url(re.compile(r"present=1"))
    expect(bar).to_be_hidden()
    main = coach.locator('[data-testid="stMain"]')
    for index, view in enumerate(story.steps):
        title = captions.step_title(index, lang)
        expect(main.get_by_role("heading", name=title, exact=True)).to_be_visible()
        wait_for_app(coach)
        assert _overflow(coach) <= 0, (index, "predict", _overflow(coach))
        before = _images(coach)
        assert len(before) == 1 and before[0]["shown"] == pytest.approx(STAGE_WIDTH, abs=1)
        _notes_follow(notes, title, text("notes_status_asking", lang))
        answer = captions.choice_label(view, story, view.answer, lang)
        expect(notes.get_by_text(text("notes_answer", lang, answer=answer).replace("**", ""))).to_be_visible()
        _shot(coach, f"{lang}-step-{index + 1}-predict")
        if index in (0, 3):
            _shot(notes, f"{lang}-notes-step-{index + 1}")
        coach.keyboard.press("PageDown")  # the clicker: reveal
        shown = text("answer_model", lang, answer=answer).replace("**", "")
        expect(main.get_by_text(shown, exact=False)).to_be_visible()
        wait_for_app(coach)
        _shot(coach, f"{lang}-step-{index + 1}-revealed")
        assert _overflow(coach) <= 0, (index, "revealed", _overflow(coach))
        chart, scene = _images(coach)
        assert chart["own"] == STAGE_WIDTH and chart["shown"] == pytest.approx(chart["own"], abs=1)
        assert scene["own"] == SCENE_WIDTH and scene["shown"] == pytest.approx(scene["own"], abs=1)
        _notes_follow(notes, title, text("notes_status_shown", lang))
        _shot(coach, f"{lang}-step-{index + 1}-revealed")
        coach.keyboard.press("PageDown")  # the clicker: next step
        wait_for_app(coach)
    expect(main.get_by_role("heading", name=captions.step_title(0, lang), exact=True)).to_be_visible()
    coach.keyboard.press("PageDown")  # step 1 was revealed: Page Down goes straight on
    wait_for_app(coach)
    expect(main.get_by_role("heading", name=captions.step_title(1, lang), exact=True)).to_be_visible()
    coach.keyboard.press("PageUp")  # back
    wait_for_app(coach)
    expect(main.get_by_role("heading", name=captions.step_title(0, lang), exact=True)).to_be_visible()
    coach.keyboard.press("Escape")
    wait_for_app(coach)
    expect(bar).to_be_visible()
    expect(coach).not_to_have_url(re.compile(r"present=1"))
    assert coach.locator('[data-testid="stException"]').count() == 0
    assert notes.locator('[data-testid="stException"]').count() == 0
    assert outside == []
    context.close()
