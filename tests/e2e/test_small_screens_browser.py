"""The page on a phone and on a laptop, in a real browser, in English and Dutch.

On a phone (390 x 844) the results come after every control, so a card at the controls' end (the
verdict in a few words and the closeness line) stays at the bottom of the screen while they scroll
by: after a slider is moved it is in sight and tells the new verdict. Nothing scrolls inside the
page (the moments' table included, once opened). On a laptop (1366 x 768) the first chart starts
above the fold. Screenshots go to ``artifacts/small-screens/``.
"""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, INNER_SCROLL, LAPTOP, PHONE, RENDER_TIMEOUT_MS, wait_for_app
from playwright.sync_api import Page, expect

import sim
from ui.i18n import t

SHOTS = ARTIFACTS / "small-screens"


def _card(page: Page):
    return page.locator(".st-key-now")


def _in_view(page: Page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and size is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 1


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_on_a_phone_the_verdict_stays_in_sight_while_the_sliders_move_and_nothing_scrolls_inside(
        app_url: str, page: Page, lang: str) -> None:
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.set_viewport_size(PHONE)
    page.goto(f"{app_url}/?lang={lang}")
    wait_for_app(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    card = _card(page)
    expect(card).to_be_visible()
    now = t("app", "now.verdict", lang, verdict=t("app", "verdict.short.cycles", lang))
    expect(card).to_contain_text(now)
    assert _in_view(page, card), "the card is in sight on the first screen"
    page.screenshot(path=str(SHOTS / f"phone-{lang}-start.png"))

    # the person scrolls to B's fear of closeness, and moves it down far enough for the dance to settle
    label = sim.PARTNER_SCORES["avoidance"].label[lang]
    slider = page.get_by_role("slider", name=f"{label} · B")
    slider.scroll_into_view_if_needed()
    slider.focus()
    for _ in range(60):
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(800)
    wait_for_app(page)
    settled = t("app", "now.verdict", lang, verdict=t("app", "verdict.short.settles", lang))
    expect(card).to_contain_text(settled)
    assert _in_view(page, card), "the card is still in sight beside the slider that was moved"
    assert _in_view(page, slider), "and it does not cover that slider"
    page.screenshot(path=str(SHOTS / f"phone-{lang}-moved.png"))
    card_box, slider_box = card.bounding_box(), slider.bounding_box()
    assert card_box is not None and slider_box is not None
    assert slider_box["y"] + slider_box["height"] <= card_box["y"], "the card does not cover the slider"

    page.goto(f"{app_url}/?lang={lang}")
    wait_for_app(page)
    moments = page.get_by_text(t("app", "signals.all", lang, count=len(sim.simulate(
        sim.PRESETS["anxious-avoidant"], seed=0).signals)))
    moments.scroll_into_view_if_needed()
    moments.click()
    wait_for_app(page)
    expect(page.get_by_role("table")).to_be_visible()
    assert page.evaluate(INNER_SCROLL) == []
    page.screenshot(path=str(SHOTS / f"phone-{lang}-moments.png"))


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_on_a_laptop_the_first_chart_starts_above_the_fold_and_the_phone_card_is_hidden(
        app_url: str, page: Page, lang: str) -> None:
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{app_url}/?lang={lang}")
    wait_for_app(page)
    chart = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]:not(.st-key-now *)').first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["y"] + 100 <= LAPTOP["height"], box
    expect(_card(page)).to_be_hidden()
    assert page.evaluate(INNER_SCROLL) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"laptop-{lang}.png"))
