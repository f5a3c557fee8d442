"""The guided start "You and your partner" in a real browser: on a phone and a laptop, in English and Dutch.

A person opens ``/guide``, types the two names, answers the statements about themselves and about
their partner by keyboard (Tab to a scale, Space to choose, the arrow keys to move along it), goes
back once, and reaches "your dance": the scores in words with their margins, how sure the picture
is in the model's verdict words, and the dance of the couple in the middle. The hand-over button
lands on the main page with the names and the scores in its sliders. Nothing in the main area
scrolls by itself, the address bar never holds an answer or a name while on the guide, and the
server's log holds neither name. Screenshots go to ``artifacts/guide/``.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ARTIFACTS, INNER_SCROLL, LAPTOP, PHONE, RENDER_TIMEOUT_MS, wait_for_app
from playwright.sync_api import Page, expect

import sim
from ui import guide, query
from ui.i18n import t
from ui.text import md

SHOTS = ARTIFACTS / "guide"
OVERFLOW = """() => Array.from(document.querySelectorAll(
    '[data-testid="stMain"] p, [data-testid="stMain"] label, [data-testid="stMain"] button'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.textContent.slice(0, 40))"""
"""Texts and controls of the main area that stick out past the right edge of the screen."""
ME = {st.key: a for st, a in zip(guide.STATEMENTS, (5, 1, 3, 5, 4, 1, 2, 2), strict=True)}
PARTNER = {st.key: a for st, a in zip(guide.STATEMENTS, (1, 5, 2, 1, 1, 4, 5, 5), strict=True)}
"""Answers (1..5) in the order shown: an anxious person, and a partner seen as avoidant."""
CENTRAL = {"a.anxiety": 0.75, "a.avoidance": 0.06, "b.anxiety": 0.06, "b.avoidance": 0.94}
"""The central scores of those answers, worked by hand (item score (answer - 1) / 4, reversed for "stays"
and "lets_be"): anxiety of "me" (1 + .5 + .75 + .75) / 4 = 0.75, with a margin of about 0.55 to 0.95
("somewhere between moderate and high"); avoidance (0 + 0 + 0 + .25) / 4 = 0.0625 (0.06 to hundredths);
the partner's anxiety (0 + .25 + 0 + 0) / 4 = 0.0625, avoidance (1 + 1 + .75 + 1) / 4 = 0.9375 (0.94)."""
NAMES = {"en": ("Ik", "Mijn partner"), "nl": ("Ik", "Mijn partner")}


def tr(key: str, lang: str, **fields: object) -> str:
    return guide.text(key, lang, **fields)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def check_layout(page: Page) -> None:
    """Nothing scrolls inside the main area, nothing sticks out past the screen's edge, no error is shown."""
    assert page.evaluate(INNER_SCROLL) == []
    assert page.evaluate(OVERFLOW) == []
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def check_address(page: Page, lang: str) -> None:
    """On the guide the address bar holds the language and nothing else."""
    assert parse_qs(urlsplit(page.url).query) == {"lang": [lang]}, page.url


def type_name(page: Page, label: str, name: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    wait_for_app(page)


def answer(page: Page, statement: str, value: int) -> None:
    """Choose answer ``value`` (1..5) by keyboard: focus the scale's first answer, Space, then ArrowRight."""
    group = page.get_by_role("radiogroup", name=statement)
    group.scroll_into_view_if_needed()
    group.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    for _ in range(value - 1):
        page.keyboard.press("ArrowRight")
    wait_for_app(page)
    expect(group.get_by_role("radio").nth(value - 1)).to_be_checked()


def press(page: Page, label: str) -> None:
    """Tab-reachable button: focus it and press Enter."""
    wait_for_app(page)
    button = page.get_by_role("button", name=label, exact=True)
    expect(button).to_be_enabled()
    button.focus()
    page.keyboard.press("Enter")
    wait_for_app(page)


def answer_all(page: Page, lang: str, who: str, answers: dict[str, int], prefix: str) -> None:
    expect(page.get_by_role("heading", name=tr(f"{who}.title", lang))).to_be_visible()
    check_address(page, lang)
    wait_for_app(page)
    shot(page, f"{prefix}-2-{who}-empty" if who == "me" else f"{prefix}-3-{who}-empty")
    for statement in guide.STATEMENTS:
        answer(page, tr(f"item.{statement.key}.{who}", lang), answers[statement.key])
    page.get_by_text(tr("answered", lang, count=len(answers), total=len(answers))).scroll_into_view_if_needed()
    check_layout(page)
    shot(page, f"{prefix}-{2 if who == 'me' else 3}-{who}-answered")


@pytest.mark.e2e
@pytest.mark.parametrize("screen", ["phone", "laptop"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_guided_start_walks_to_the_dance_and_hands_the_couple_to_the_main_page(
        app_url: str, page: Page, lang: str, screen: str) -> None:
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.set_viewport_size(PHONE if screen == "phone" else LAPTOP)
    prefix = f"{screen}-{lang}"
    page.goto(f"{app_url}/guide?lang={lang}")
    wait_for_app(page)
    me, partner = NAMES[lang]

    # 1. who is who
    expect(page.get_by_role("heading", name=tr("who.title", lang))).to_be_visible()
    expect(page.get_by_text(tr("reminder", lang))).to_be_visible()
    expect(page.get_by_label(tr("name.me", lang), exact=True)).to_have_value(tr("default.me", lang))
    type_name(page, tr("name.me", lang), me)
    type_name(page, tr("name.partner", lang), partner)
    check_layout(page)
    check_address(page, lang)
    shot(page, f"{prefix}-1-who")
    press(page, tr("next", lang))

    # 2. about you, 3. about your partner as you see them; Back once, and the answers are still there
    answer_all(page, lang, "me", ME, prefix)
    press(page, tr("next", lang))
    answer_all(page, lang, "partner", PARTNER, prefix)
    press(page, tr("back", lang))
    expect(page.get_by_role("heading", name=tr("me.title", lang))).to_be_visible()
    first = page.get_by_role("radiogroup", name=tr(f"item.{guide.STATEMENTS[0].key}.me", lang))
    expect(first.get_by_role("radio").nth(ME[guide.STATEMENTS[0].key] - 1)).to_be_checked()
    press(page, tr("next", lang))
    press(page, tr("next", lang))

    # 4. your dance: words, not model numbers; the verdict in the model's words; the dance drawn
    expect(page.get_by_role("heading", name=tr("dance.title", lang))).to_be_visible()
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text(f"{sim.PARTNER_SCORES['anxiety'].label[lang]}: {tr('level.high', lang)}")
    expect(main).to_contain_text(tr("range.two", lang, low=tr("level.moderate", lang), high=tr("level.high", lang)))
    verdicts = "|".join(re.escape(tr(f"verdict.{form}.{v}", lang)) for form in ("main", "sub") for v in sim.VERDICTS)
    expect(main).to_contain_text(re.compile(verdicts))
    expect(main).to_contain_text(re.compile("|".join(re.escape(sim.VERDICT_TEXT[v][lang][:20]) for v in sim.VERDICTS)))
    expect(main).to_contain_text(tr("not_diagnosis", lang)[:40])
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    wait_for_app(page)
    sentences = " ".join(main.locator('[data-testid="stMarkdownContainer"] p, li').all_inner_texts())
    assert not re.search(r"\d[.,]\d", sentences), "no model numbers in the sentences"
    check_layout(page)
    check_address(page, lang)
    page.set_viewport_size({"width": page.viewport_size["width"], "height": 2600})
    page.locator('[data-testid="stMain"]').evaluate("e => e.scrollTo(0, 0)")
    wait_for_app(page)
    shot(page, f"{prefix}-4-dance")
    page.set_viewport_size(PHONE if screen == "phone" else LAPTOP)

    # the hand-over: the main page with the names and the central scores in its sliders
    press(page, tr("hand_over", lang))
    page.wait_for_url(re.compile(r"/\?|/$"))
    wait_for_app(page)
    for who, name in zip("ab", (me, partner), strict=True):
        label = t("app", "partner.name_label", lang, label=query.PAGE_NAME.label[lang], who=who.upper())
        expect(page.get_by_label(label, exact=True)).to_have_value(name)
        for score, spec in sim.PARTNER_SCORES.items():
            slider = page.get_by_role("slider", name=t("app", "partner.control", lang, label=spec.label[lang],
                                                       name=md(name)))
            expect(slider).to_have_value(str(CENTRAL[f"{who}.{score}"]))
    address = parse_qs(urlsplit(page.url).query)
    assert address["a.name"] == [me] and address["b.name"] == [partner] and address["lang"] == [lang]
    assert not any(key.startswith("guide") or key in ME for key in address), "no answer in the main page's address"
    shot(page, f"{prefix}-5-main")
    log = ARTIFACTS / "e2e" / f"streamlit{os.environ.get('PYTEST_XDIST_WORKER', '')}.log"
    assert partner.encode() not in log.read_bytes(), "the server printed a name to its log"


@pytest.mark.e2e
def test_the_skip_link_goes_straight_to_the_sliders(app_url: str, page: Page) -> None:
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.goto(f"{app_url}/guide?lang=nl")
    wait_for_app(page)
    page.get_by_role("link", name=tr("skip", "nl")).click()
    wait_for_app(page)
    expect(page.get_by_role("slider").first).to_be_visible()
    assert parse_qs(urlsplit(page.url).query)["lang"] == ["nl"]
