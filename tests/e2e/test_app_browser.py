"""The main page in a real browser: what a coach does in the first minute, in Debian's Chromium.

Runs against ``streamlit run app.py`` (the ``app_url`` fixture of ``conftest.py``). Screenshots go
to ``artifacts/`` (not in git) and the measured times to ``artifacts/e2e/app-timings.json``: they
are recorded, not asserted (CI machines are shared and differ threefold in speed); the page's speed
is measured by ``bench/bench_app.py``.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from urllib.parse import urlencode

import pytest
from conftest import ARTIFACTS, RENDER_TIMEOUT_MS, outside_requests, wait_for_app
from playwright.sync_api import Page, expect

import sim
from sim.scenario import Scenario, load_scenario
from ui.i18n import t
from ui.query import scenario_to_query
from ui.workshop.texts import text as wtext

RUN_CHART = '[data-testid="stVegaLiteChart"]:not(.st-key-now *)'
"""The run's four charts (not the closeness line of the card a phone keeps in sight)."""
SCREEN = {"width": 1400, "height": 2200}
"""Tall enough to show the whole page in one screenshot."""


def _curve(page: Page):
    """The closeness curve as the browser drew it: the path of the first line of the first chart."""
    return page.locator(f'[data-testid="stMain"] {RUN_CHART} g.mark-line path').first


def _move_slider(page: Page, label: str, key: str, presses: int) -> float:
    """Move the first slider called ``label`` by arrow keys; seconds until the browser has redrawn the curve."""
    before = _curve(page).get_attribute("d")
    slider = page.get_by_role("slider", name=label).first
    slider.focus()
    started = time.monotonic()
    for _ in range(abs(presses)):
        page.keyboard.press("ArrowRight" if presses > 0 else "ArrowLeft")
    expect(_curve(page)).not_to_have_attribute("d", before or "")
    elapsed = time.monotonic() - started
    wait_for_app(page)
    return elapsed


@pytest.mark.e2e
def test_a_coach_opens_the_page_moves_a_slider_switches_to_dutch_and_opens_a_shared_link(
        app_url: str, page: Page) -> None:
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.set_viewport_size(SCREEN)
    main = page.locator('[data-testid="stMain"]')
    timings: dict[str, object] = {}
    outside = outside_requests(page, app_url)

    started = time.monotonic()
    page.goto(f"{app_url}/")
    # expect() waits 5 s by default; a fresh server may first have to compile the model's kernel
    expect(main.get_by_text(t("app", "share.upload", "en"))).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    wait_for_app(page)
    timings["first_render_s"] = round(time.monotonic() - started, 2)
    first = sim.simulate(sim.PRESETS["anxious-avoidant"], seed=0).signals[0]
    expect(main.get_by_text(sim.SIGNALS[first.key]["en"]).first).to_be_visible()  # the moments' short list
    expect(main.locator(RUN_CHART)).to_have_count(4)
    expect(_curve(page)).to_have_attribute("d", re.compile(r"^M[\d.]+,[\d.]+L"))
    expect(main.get_by_role("heading", name=t("app", "title", "en"))).to_be_visible()
    expect(main.get_by_text(sim.VERDICT_TEXT["cycles"]["en"])).to_be_visible()
    expect(main.get_by_text(t("app", "about.title", "en").strip("*"))).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-en.png"))

    label = sim.PARTNER_SCORES["anxiety"].label["en"]
    moves = [_move_slider(page, label, "a.anxiety", -1) for _ in range(5)]
    timings["chart_after_slider_s"] = [round(m, 2) for m in moves]
    assert "a.anxiety=0.7&" in page.url

    with page.expect_download() as download:
        main.get_by_role("button", name=t("app", "share.scenario", "en")).click()
    saved = load_scenario(download.value.path().read_bytes())
    assert saved.couple.a.anxiety == 0.7
    with page.expect_download() as download:
        main.get_by_role("button", name=t("app", "share.png", "en")).click()
    assert download.value.path().read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    moved = replace(sim.PRESETS["anxious-avoidant"], a=sim.PRESETS["anxious-avoidant"].a.with_scores(0.7, 0.15))
    main.get_by_text("Nederlands", exact=True).click()
    expect(main.get_by_role("heading", name=t("app", "title", "nl"))).to_be_visible()
    wait_for_app(page)
    expect(main.get_by_text(sim.VERDICT_TEXT[sim.simulate(moved, seed=0).verdict]["nl"])).to_be_visible()
    assert "lang=nl" in page.url
    page.screenshot(path=str(ARTIFACTS / "app-nl.png"))

    trap = sim.PRESETS["intense-trap"]
    shared = Scenario(couple=replace(trap, a=replace(trap.a, name="Sam"), b=replace(trap.b, name="Alex")),
                      events=(sim.Event("conflict", at=30.0),), seed=3, lang="nl")
    verdict = sim.simulate(shared.couple, **shared.run_kwargs()).verdict
    started = time.monotonic()
    page.goto(f"{app_url}/?{urlencode(scenario_to_query(shared))}")
    expect(main.get_by_text(t("app", "share.upload", "nl"))).to_be_visible()
    wait_for_app(page)
    timings["shared_link_render_s"] = round(time.monotonic() - started, 2)
    expect(main.get_by_role("heading", name=t("app", "title", "nl"))).to_be_visible()
    expect(main.get_by_text(sim.VERDICT_TEXT[verdict]["nl"])).to_be_visible()
    expect(main.get_by_text("Partner Sam", exact=True)).to_be_visible()
    anxiety = page.get_by_role("slider", name=sim.PARTNER_SCORES["anxiety"].label["nl"]).first
    expect(anxiety).to_have_value(f"{trap.a.anxiety:g}")
    page.screenshot(path=str(ARTIFACTS / "app-shared-link.png"))

    assert outside == []
    (ARTIFACTS / "e2e").mkdir(exist_ok=True)
    (ARTIFACTS / "e2e" / "app-timings.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")
    print(f"\napp timings: {timings}")


HOSTILE = ("[x](https://evil.example)", "www.evil.example a@evil.io")
"""Partner names a crafted share link could carry: a markdown link, a bare web address and an e-mail address."""


def _shown(locator) -> str:
    """The text a reader sees (the invisible word joiners that keep addresses from becoming links removed)."""
    return locator.inner_text().replace("\u2060", "")


@pytest.mark.e2e
def test_names_from_a_shared_link_are_plain_text_on_both_pages(app_url: str, page: Page) -> None:
    """A shared link cannot put a clickable link on the screen: its names are shown as typed, and no anchor
    on the main page or on the workshop (the couple carried over in the same session) points anywhere new."""
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    trap = sim.PRESETS["anxious-avoidant"]
    shared = Scenario(couple=replace(trap, a=replace(trap.a, name=HOSTILE[0]), b=replace(trap.b, name=HOSTILE[1])),
                      interventions=(sim.Intervention("safety", who="a", start=60.0),), lang="en")
    page.goto(f"{app_url}/?{urlencode(scenario_to_query(shared))}")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    evil = page.locator('a[href*="evil"]')
    expect(main.get_by_text(t("app", "partner.heading", "en", name="[x]"), exact=False).first).to_be_visible()
    assert all(t("app", "partner.heading", "en", name=name) in _shown(main) for name in HOSTILE)
    assert evil.count() == 0

    page.get_by_role("link", name=t("app", "nav.workshop", "en")).click()
    wait_for_app(page)
    main.locator('[data-testid="stRadio"] label').nth(1).click()
    wait_for_app(page)
    main.get_by_role("button", name=wtext("reveal", "en")).click()
    expect(main.get_by_text("The loop right now:", exact=False)).to_be_visible()
    wait_for_app(page)
    shown = _shown(page.locator('[data-testid="stApp"]'))
    assert HOSTILE[0] in shown and HOSTILE[1] in shown
    assert evil.count() == 0
    page.screenshot(path=str(ARTIFACTS / "e2e" / "hostile-names-workshop.png"), full_page=True)
