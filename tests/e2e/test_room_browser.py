"""The room in a real browser: a coach on a 1280 x 720 projector and three phones through a whole story.

Each phone is its own browser context (its own session, as separate phones are); they join with the
code the coach's screen shows and vote on every step; at each reveal the coach's screen must show
exactly the room's tally beside the model's answer. Screenshots go to ``artifacts/room/``.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import ARTIFACTS, RENDER_TIMEOUT_MS, outside_requests, wait_for_app
from playwright.sync_api import Browser, Page, expect

from sim.story import CHOICES, STEPS
from ui.workshop.texts import text

SHOTS = ARTIFACTS / "room"
PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
POLL_MS = 20_000
"""How long a phone may take to follow the coach (it asks every 2 s)."""


def _shot(page: Page, name: str) -> None:
    wait_for_app(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.e2e
def test_a_coach_and_three_phones_vote_through_the_whole_story(app_url: str, browser: Browser) -> None:
    coach_context = browser.new_context(viewport=PROJECTOR)
    coach = coach_context.new_page()
    coach.set_default_timeout(RENDER_TIMEOUT_MS)
    outside = outside_requests(coach, app_url)
    coach.goto(f"{app_url}/workshop?lang=en")
    wait_for_app(coach)
    bar = coach.locator('[data-testid="stSidebar"]')
    bar.get_by_text(text("room_toggle", "en")).click()
    wait_for_app(coach)
    heading = bar.get_by_role("heading", name=re.compile(re.escape(text("room_code", "en", code="")) + r"\w{5}"))
    expect(heading).to_be_visible()
    code = heading.inner_text().rsplit(" ", 1)[-1]
    expect(bar.get_by_role("img", name=text("room_qr_alt", "en", code=code))).to_be_visible()
    _shot(coach, "coach-room-open")

    phones = []
    for _ in range(3):
        context = browser.new_context(viewport=PHONE)
        phone = context.new_page()
        phone.set_default_timeout(RENDER_TIMEOUT_MS)
        phone.goto(f"{app_url}/vote?room={code}&lang=en")
        wait_for_app(phone)
        expect(phone.get_by_text(text("vote_joined", "en", code=code))).to_be_visible()
        phones.append((context, phone))

    main = coach.locator('[data-testid="stMain"]')
    for index, key in enumerate(STEPS):
        choices = list(CHOICES[key])
        votes = Counter()
        for i, (_, phone) in enumerate(phones):
            pick = choices[i % len(choices)]
            radio = phone.locator('[data-testid="stRadio"] label[data-testid="stRadioOption"]')
            expect(radio).to_have_count(len(choices), timeout=POLL_MS)
            expect(phone.locator('[data-testid="stHeading"]').last).not_to_have_text("", timeout=POLL_MS)
            radio.nth(choices.index(pick)).click()
            wait_for_app(phone)
            phone.get_by_role("button", name=text("vote_send", "en")).click()
            expect(phone.get_by_text(text("vote_thanks", "en"))).to_be_visible(timeout=POLL_MS)
            votes[pick] += 1
            if index == 0 and i == 0:
                _shot(phone, "phone-voted")
        expect(main.get_by_text(text("room_votes_now", "en", n=3))).to_be_visible(timeout=POLL_MS)
        if index == 0:
            _shot(coach, "coach-step-1-votes-in")
        main.locator('[data-testid="stRadio"] label[data-testid="stRadioOption"]').first.click()
        wait_for_app(coach)
        main.get_by_role("button", name=text("reveal", "en")).click()
        wait_for_app(coach)
        bars = main.locator('[data-testid="stProgress"]')
        expect(bars).to_have_count(len(choices) + 1)  # the story's progress bar and one per answer
        tally = " ".join(bars.all_inner_texts())
        counted = sorted(int(n) for n in re.findall(r": (\d+) \(", tally))
        assert counted == sorted(votes[option] for option in choices), tally  # no vote lost or doubled
        assert text("room_tally_model", "en") in tally
        expect(bar.get_by_text(text("room_phones", "en", n=3))).to_be_visible()
        if index in (0, 3, 6):
            _shot(coach, f"coach-step-{index + 1}-reveal")
        if index < len(STEPS) - 1:
            main.get_by_role("button", name=text("next", "en")).click()
            wait_for_app(coach)
    assert outside == []
    for context, _ in phones:
        context.close()
    coach_context.close()
