"""The workshop page in a real browser: a coach walks the whole story, as the room would see it.

Runs against ``streamlit run app.py`` (the ``app_url`` fixture of ``conftest.py``) with Debian's
Chromium. Screenshots of the steps go to ``artifacts/workshop/`` (not in git): look at them to
judge the page on a projector.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from conftest import ARTIFACTS, RENDER_TIMEOUT_MS, outside_requests, wait_for_app
from PIL import Image
from playwright.sync_api import Page, expect

from sim import story as stories
from sim.presets import CLASSIC, PRESETS
from sim.story import STEPS
from ui.workshop import animation, captions
from ui.workshop.texts import text

SHOTS = ARTIFACTS / "workshop"
PROJECTOR = {"width": 1600, "height": 1900}
"""A 16:10 projector width, and tall enough to show the whole step in one screenshot."""
SCREENSHOT_STEPS = (0, 1, 3, 6)


def _main(page: Page):
    return page.locator('[data-testid="stMain"]')


def _shot(page: Page, name: str) -> None:
    wait_for_app(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _slider_day(page: Page) -> str:
    return _main(page).locator('[data-testid="stSliderThumbValue"]').first.inner_text()


@pytest.mark.e2e
def test_a_coach_walks_the_whole_story_and_the_room_predicts_each_step(app_url: str, page: Page) -> None:
    page.set_viewport_size(PROJECTOR)
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    outside = outside_requests(page, app_url)
    started = time.monotonic()
    page.goto(f"{app_url}/workshop?lang=en")
    wait_for_app(page)
    main = _main(page)
    timings = []
    for index, key in enumerate(STEPS):
        expect(main.get_by_role("heading", name=captions.step_title(index, "en"), exact=True)).to_be_visible()
        expect(main.get_by_text(text("step_counter", "en", n=index + 1, total=len(STEPS)))).to_be_visible()
        radios = main.locator('[data-testid="stRadio"] label')
        expect(radios.first).to_be_visible()
        if index == 0:
            _shot(page, "step-1-predict")
        radios.nth(1).click()
        wait_for_app(page)
        clicked = time.monotonic()
        main.get_by_role("button", name=text("reveal", "en")).click()
        expect(main.get_by_text("The model:")).to_be_visible()
        wait_for_app(page)
        timings.append(time.monotonic() - clicked)
        assert main.locator("img").count() >= 3  # the chart, the two partners, the cycle map
        assert page.locator('[data-testid="stException"]').count() == 0
        if index in SCREENSHOT_STEPS:
            _shot(page, f"step-{index + 1}-{key}")
        if key == "rounds":
            _play_and_pause(page)
            _download_gif(page)
        main.get_by_role("button", name=text("restart" if index == len(STEPS) - 1 else "next", "en")).click()
        wait_for_app(page)
    expect(main.get_by_role("heading", name=captions.step_title(0, "en"), exact=True)).to_be_visible()
    assert outside == []
    print(f"\nstory walked in {time.monotonic() - started:.1f} s; reveal times (s): "
          + ", ".join(f"{t:.2f}" for t in timings))


def _scene_src(page: Page) -> str:
    """The address of the scene's picture (the second image of the main area, after the chart)."""
    return str(_main(page).locator('[data-testid="stImage"] img').nth(1).get_attribute("src"))


def _play_and_pause(page: Page) -> None:
    """Play shows the scene's GIF (the browser plays it from the scene's start); Stop goes back to the held day."""
    main = _main(page)
    before = _slider_day(page)
    assert ".png" in _scene_src(page)
    scene = _main(page).locator('[data-testid="stImage"] img').nth(1)
    main.get_by_role("button", name=text("play", "en")).click()
    expect(main.get_by_role("button", name=text("pause", "en"))).to_be_visible()
    expect(scene).to_have_attribute("src", re.compile(r"\.gif$"), timeout=RENDER_TIMEOUT_MS)
    wait_for_app(page)
    main.get_by_role("button", name=text("pause", "en")).click()
    expect(main.get_by_role("button", name=text("play", "en"))).to_be_visible()
    expect(scene).to_have_attribute("src", re.compile(r"\.png$"), timeout=RENDER_TIMEOUT_MS)
    wait_for_app(page)
    assert _slider_day(page) == before


def _download_gif(page: Page) -> None:
    """The scene's GIF for slides is the one Play showed: the scene's own frames at its own pace."""
    story = stories.build_story(PRESETS[CLASSIC], "safety")
    view = story.step("rounds")
    plan = animation.scene_plan(view.start, stories.shown_until(story, view.index), view.result)
    sidebar = page.locator('[data-testid="stSidebar"]')
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
        sidebar.get_by_role("button", name=text("gif_download", "en")).click()
    image = Image.open(io.BytesIO(info.value.path().read_bytes()))
    assert image.format == "GIF" and image.is_animated
    assert image.n_frames == len(plan.days) and image.info["duration"] == plan.frame_ms


@pytest.mark.e2e
def test_the_workshop_speaks_dutch_from_the_link_and_switches_to_english(app_url: str, page: Page) -> None:
    page.set_viewport_size(PROJECTOR)
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.goto(f"{app_url}/workshop?lang=nl")
    wait_for_app(page)
    main = _main(page)
    expect(main.get_by_role("heading", name="Een intiem moment", exact=True)).to_be_visible()
    page.locator('[data-testid="stSidebar"]').get_by_text(text("predict_label", "nl")).click()
    wait_for_app(page)
    main.get_by_role("button", name=text("next", "nl")).click()
    wait_for_app(page)
    expect(main.get_by_role("heading", name="De terugtrekreflex", exact=True)).to_be_visible()
    expect(main.get_by_text(text("moment_title", "nl"))).to_be_visible()
    _shot(page, "step-2-withdrawal-nl")
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    wait_for_app(page)
    expect(main.get_by_role("heading", name="The withdrawal reflex", exact=True)).to_be_visible()
    assert "lang=en" in page.url
