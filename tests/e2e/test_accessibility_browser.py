"""Accessibility of the pages in a real browser, checked with axe-core (the engine browsers' own audits use).

axe-core runs the WCAG 2.1 A and AA rules on what Chromium has drawn: text contrast (4.5:1), names
of controls and images, landmarks, lists, language of the page. Each page is checked as a visitor
leaves it after a first look: the main page on a laptop and on a phone, in both languages, with the
tab "What helps you two" open, the workshop's first step and the guided start's first screen. A
second test walks the main page by keyboard alone: Tab reaches every slider of both partners, in the
order they are drawn, and an arrow key moves the one that has the focus.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import RENDER_TIMEOUT_MS, wait_for_app
from playwright.sync_api import Page, expect

import sim
from ui.i18n import t

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def _violations(page: Page) -> list[str]:
    """Every WCAG A/AA violation axe-core finds, as "rule: element" lines."""
    found = Axe().run(page, options=RULES).response["violations"]
    return [f"{v['id']}: {node['target']} {node.get('failureSummary', '')[:160]}" for v in found for node in v["nodes"]]


def _open(page: Page, url: str, size: dict[str, int]) -> None:
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.set_viewport_size(size)
    page.goto(url)
    wait_for_app(page)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_main_page_passes_axe_on_a_laptop_and_a_phone(app_url: str, page: Page, lang: str) -> None:
    _open(page, f"{app_url}/?lang={lang}", LAPTOP)
    assert _violations(page) == []
    page.get_by_role("tab", name=t("app", "helps.tab", lang)).click()
    wait_for_app(page)
    expect(page.get_by_text(t("app", "helps.try_label", lang) + ":").first).to_be_visible()
    assert _violations(page) == []
    _open(page, f"{app_url}/?lang={lang}", PHONE)
    assert _violations(page) == []


@pytest.mark.e2e
def test_the_workshop_and_the_guided_start_pass_axe(app_url: str, page: Page) -> None:
    _open(page, f"{app_url}/workshop", LAPTOP)
    assert _violations(page) == []
    _open(page, f"{app_url}/guide?lang=nl", PHONE)
    assert _violations(page) == []


@pytest.mark.e2e
def test_tab_reaches_every_score_slider_in_order_and_an_arrow_moves_it(app_url: str, page: Page) -> None:
    _open(page, f"{app_url}/", LAPTOP)
    names = [f"{spec.label['en']} · {who}" for who in ("A", "B") for spec in sim.PARTNER_SCORES.values()]
    # Streamlit names a slider by its label twice ("label label"); the label alone finds it
    sliders = {name: page.get_by_role("slider", name=name) for name in names}
    reached: list[str] = []
    for _ in range(80):  # a generous bound on the controls before the last score slider
        page.keyboard.press("Tab")
        reached += [name for name, slider in sliders.items()
                    if name not in reached and slider.evaluate("e => e === document.activeElement")]
        if len(reached) == len(names):
            break
    assert reached == names
    before = sliders[names[-1]].get_attribute("aria-valuenow")
    page.keyboard.press("ArrowLeft")
    wait_for_app(page)
    focused = page.get_by_role("slider", name=names[-1])
    expect(focused).not_to_have_attribute("aria-valuenow", before or "")
    expect(page).to_have_url(re.compile(r"b\.avoidance=0\.74&"))
