"""Tests of the guided start "You and your partner": the scoring (ui/guide.py), the hand-over to the
main page (``ui.state.hand_over``) and the page itself (app_pages/guide.py, headless with ``AppTest``).

Scores are worked by hand: an answer a on the 1..5 scale is the item score (a - 1) / 4 (reversed:
1 minus that), a score is the mean of its dimension's item scores, its standard error
max(s, 0.2) / sqrt(n) with s the items' sample standard deviation, its margin the mean ± 1.96 standard
errors, clipped to 0..1.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import sim
from sim.scenario import Scenario
from ui import guide
from ui import state as page_state
from ui.query import default_scenario, scenario_to_query

ROOT = Path(__file__).resolve().parents[1]
GUIDE = "app_pages/guide.py"
ORDER = [s.key for s in guide.STATEMENTS]
"""The statements in the order shown: distance, air, texts, stays (reversed), checks, fills, lets_be
(reversed), alone."""
ANXIOUS = (5, 1, 3, 5, 4, 1, 2, 2)
"""Answers in the order shown of a person who fears being left and not closeness: anxiety items
1, .5, .75 and (lets_be, reversed) .75 -> 0.75; avoidance items 0, (stays, reversed) 0, 0, .25 -> 0.0625."""
AVOIDANT = (1, 5, 2, 1, 1, 4, 5, 5)
"""Answers of a partner seen as fearing closeness: anxiety 0, .25, 0, 0 -> 0.0625; avoidance 1, 1, .75, 1 -> 0.9375."""


def answers(me: tuple[int, ...], partner: tuple[int, ...]) -> dict[str, int]:
    out = {guide.answer_key("me", key): a for key, a in zip(ORDER, me, strict=True)}
    out.update({guide.answer_key("partner", key): a for key, a in zip(ORDER, partner, strict=True)})
    return out


# --- the statements and the scale --------------------------------------------------------------------

def test_four_statements_per_dimension_with_a_reverse_keyed_one_in_each() -> None:
    for dimension in sim.PARTNER_SCORES:
        mine = [s for s in guide.STATEMENTS if s.dimension == dimension]
        assert len(mine) == 4
        assert [s.key for s in mine if s.reverse] == {"anxiety": ["lets_be"], "avoidance": ["stays"]}[dimension]
    assert len({s.key for s in guide.STATEMENTS}) == len(guide.STATEMENTS)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_statement_has_both_wordings_and_the_scale_its_five_answers(lang: str) -> None:
    for s in guide.STATEMENTS:
        mine, theirs = guide.text(f"item.{s.key}.me", lang), guide.text(f"item.{s.key}.partner", lang)
        assert mine != theirs and mine.endswith(".") and theirs.endswith(".")
        assert re.search(r"\b(my partner|mijn partner)\b", theirs, re.IGNORECASE), theirs
    for who in guide.PEOPLE:
        words = [guide.text(f"scale.{who}.{n}", lang) for n in guide.SCALE]
        assert len(set(words)) == 5


def test_an_answer_becomes_an_item_score_and_reverse_keying_turns_it_round() -> None:
    assert [guide.item_score(a) for a in guide.SCALE] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert [guide.item_score(a, reverse=True) for a in guide.SCALE] == [1.0, 0.75, 0.5, 0.25, 0.0]
    for bad in (0, 6):
        with pytest.raises(ValueError):
            guide.item_score(bad)


# --- scores and their margins, worked by hand ------------------------------------------------------

def test_four_answers_that_agree_give_the_floor_margin() -> None:
    """[.5, .5, .5, .5]: no spread, so the floor: se = 0.2 / 2 = 0.1, margin 0.5 ± 0.196."""
    e = guide.estimate([0.5] * 4)
    assert e.score == 0.5 and e.items == 4
    assert e.se == pytest.approx(0.1)
    assert (e.low, e.high) == pytest.approx((0.304, 0.696))


def test_answers_that_spread_a_little_give_their_own_standard_error() -> None:
    """[0, .25, .5, .25]: mean .25, s = sqrt(.125 / 3) = 0.20412 (above the floor), se = 0.10206,
    margin .25 ± 0.20004."""
    e = guide.estimate([0.0, 0.25, 0.5, 0.25])
    assert e.score == pytest.approx(0.25)
    assert e.se == pytest.approx(0.102062, abs=1e-6)
    assert (e.low, e.high) == pytest.approx((0.049959, 0.450041), abs=1e-6)


def test_answers_that_disagree_widen_the_margin_and_it_is_clipped_to_0_1() -> None:
    """[0, 1, 0, 1]: mean .5, s = 0.57735, se = 0.28868, .5 ± 0.5658 -> clipped to 0..1; agreeing
    answers with the same mean leave 0.304..0.696."""
    wide = guide.estimate([0.0, 1.0, 0.0, 1.0])
    assert wide.se == pytest.approx(0.288675, abs=1e-6)
    assert (wide.low, wide.high) == (0.0, 1.0)
    narrow = guide.estimate([0.5] * 4)
    assert wide.high - wide.low > narrow.high - narrow.low
    top = guide.estimate([1.0] * 4)
    assert (top.low, top.high) == pytest.approx((0.804, 1.0))


def test_few_answers_know_little_and_none_know_nothing() -> None:
    one = guide.estimate([0.75])
    assert one.se == pytest.approx(0.2) and (one.low, one.high) == pytest.approx((0.358, 1.0))
    none = guide.estimate([])
    assert (none.score, none.low, none.high, none.items) == (0.5, 0.0, 1.0, 0)


def test_both_people_are_scored_from_their_own_answers() -> None:
    """The two answer sets of the module docstring: hand-worked means and margins."""
    a = answers(ANXIOUS, AVOIDANT)
    me, partner = guide.score_person(a, "me"), guide.score_person(a, "partner")
    assert me["anxiety"].score == pytest.approx(0.75)
    # items 1, .5, .75, .75: s = sqrt(.125 / 3) = 0.20412, se = 0.10206, margin .75 ± 0.20004
    assert (me["anxiety"].low, me["anxiety"].high) == pytest.approx((0.549959, 0.950041), abs=1e-6)
    assert me["avoidance"].score == pytest.approx(0.0625)
    # items 0, 0, 0, .25: s = 0.125 < 0.2, se = 0.1, margin up to 0.0625 + 0.196
    assert (me["avoidance"].low, me["avoidance"].high) == pytest.approx((0.0, 0.2585))
    assert partner["anxiety"].score == pytest.approx(0.0625)
    assert partner["avoidance"].score == pytest.approx(0.9375)
    assert (partner["avoidance"].low, partner["avoidance"].high) == pytest.approx((0.7415, 1.0))


def test_a_reverse_keyed_answer_pulls_the_other_way() -> None:
    """All answers "very much": anxiety (1 + 1 + 1 + 0) / 4 = .75, avoidance (1 + 0 + 1 + 1) / 4 = .75;
    only the reversed statement set to "not at all" too makes both 1."""
    yes = {guide.answer_key("me", key): 5 for key in ORDER}
    scores = guide.score_person(yes, "me")
    assert scores["anxiety"].score == 0.75 and scores["avoidance"].score == 0.75
    turned = {**yes, guide.answer_key("me", "lets_be"): 1, guide.answer_key("me", "stays"): 1}
    assert [e.score for e in guide.score_person(turned, "me").values()] == [1.0, 1.0]


def test_skipped_statements_are_left_out_not_counted_as_answers() -> None:
    only = {guide.answer_key("me", "distance"): 5, guide.answer_key("me", "checks"): 3,
            guide.answer_key("me", "air"): None}
    scores = guide.score_person(only, "me")
    assert scores["anxiety"].items == 2 and scores["anxiety"].score == 0.75
    assert scores["avoidance"].items == 0 and (scores["avoidance"].low, scores["avoidance"].high) == (0.0, 1.0)


def test_over_many_answer_sets_the_margin_holds_the_score_inside_0_1_and_never_narrows_when_answers_spread() -> None:
    """Answer sets drawn with a seeded generator (not one preset): 0 <= low <= score <= high <= 1, the
    margin is never narrower than 0.196 (the floor on one side at least), the order of the answers does
    not matter, and pulling two equal item scores apart (same mean) never narrows the margin."""
    rng = np.random.default_rng(13)
    for _ in range(300):
        n = int(rng.integers(1, 6))
        items = [guide.item_score(int(a)) for a in rng.integers(1, 6, size=n)]
        e = guide.estimate(items)
        assert 0.0 <= e.low <= e.score <= e.high <= 1.0
        assert e.high - e.low >= 0.196 - 1e-9
        assert guide.estimate(list(rng.permutation(items))) == pytest.approx(e)
        if n >= 2 and 0.25 <= items[0] <= 0.75:
            spread = guide.estimate([items[0] - 0.25, items[0] + 0.25, *items[2:], items[0]][:n])
            pair = guide.estimate([items[0], items[0], *items[2:]][:n])
            assert spread.high - spread.low >= pair.high - pair.low - 1e-12


# --- words ----------------------------------------------------------------------------------------

def test_level_words_at_their_bounds() -> None:
    assert [guide.level(x) for x in (0.0, 1 / 3 - 1e-9, 1 / 3, 0.5, 2 / 3 - 1e-9, 2 / 3, 1.0)] == [
        "low", "low", "moderate", "moderate", "moderate", "high", "high"]
    e = guide.estimate([0.75, 0.5, 0.75, 1.0])  # .75 ± 0.2: from moderate to high
    assert guide.range_levels(e) == ("moderate", "high")


@pytest.mark.parametrize(("shares", "key", "verdicts"), [
    ({"settles": 0.9, "cycles": 0.1, "escalates": 0.0}, "sure.all", ("settles",)),
    ({"settles": 0.1, "cycles": 0.85, "escalates": 0.05}, "sure.most", ("cycles",)),
    ({"settles": 0.0, "cycles": 0.4, "escalates": 0.6}, "sure.most", ("escalates",)),
    ({"settles": 0.4, "cycles": 0.2, "escalates": 0.4}, "sure.mixed", ("settles", "escalates")),
    ({"settles": 0.25, "cycles": 0.5, "escalates": 0.25}, "sure.mixed", ("cycles", "settles")),
])
def test_the_summary_sentence_follows_the_shares(shares: dict[str, float], key: str, verdicts: tuple[str, ...]) -> None:
    s = guide.summary(shares, 20)
    assert (s.key, s.verdicts, s.couples) == (key, verdicts, 20)


# --- how sure: the couples the margins allow ----------------------------------------------------------

def test_the_couples_drawn_lie_inside_the_margins_and_their_shares_match_single_runs() -> None:
    """The shares of ``sureness`` (one batch run) equal the verdicts of ``sim.simulate`` run couple by couple
    on the same couples drawn inside the margins (an independent path through the engine)."""
    a = answers(ANXIOUS, AVOIDANT)
    me, partner = guide.score_person(a, "me"), guide.score_person(a, "partner")
    couples = guide.nearby(me, partner, seed=0, n=12).couples(0, 12)
    assert len(couples) == 12
    for couple in couples:
        for person, scores in ((couple.a, me), (couple.b, partner)):
            for d, e in scores.items():
                assert e.low <= getattr(person, d) <= e.high
    single = [sim.simulate(c).verdict for c in couples]
    sure = guide.sureness(me, partner, seed=0, n=12)
    assert sure.shares == {v: single.count(v) / 12 for v in sim.VERDICTS}
    assert sum(sure.shares.values()) == pytest.approx(1.0)


def test_a_secure_couple_settles_in_every_couple_its_answers_allow() -> None:
    """Everything low for both (the reversed statements "very much"): scores 0, margins 0..0.196, and in
    all 24 couples there the dance settles."""
    calm = (1, 1, 1, 5, 1, 1, 5, 1)
    a = answers(calm, calm)
    sure = guide.sureness(guide.score_person(a, "me"), guide.score_person(a, "partner"))
    assert (sure.key, sure.verdicts, sure.shares["settles"]) == ("sure.all", ("settles",), 1.0)


def test_middling_answers_leave_the_picture_open() -> None:
    """All "partly": every score .5 with a margin of .304..696; the couples there settle and cycle."""
    mid = (3,) * 8
    a = answers(mid, mid)
    sure = guide.sureness(guide.score_person(a, "me"), guide.score_person(a, "partner"))
    assert sure.key == "sure.mixed"
    assert sure.shares["settles"] > 0.0 and sure.shares["cycles"] > 0.0


def test_the_couple_in_the_middle_is_rounded_to_the_main_pages_hundredths() -> None:
    a = answers(ANXIOUS, AVOIDANT)
    couple = guide.central_couple(guide.score_person(a, "me"), guide.score_person(a, "partner"), ("Ik", "Mijn partner"))
    assert (couple.a.name, couple.a.anxiety, couple.a.avoidance) == ("Ik", 0.75, 0.06)
    assert (couple.b.name, couple.b.anxiety, couple.b.avoidance) == ("Mijn partner", 0.06, 0.94)


# --- the hand-over to the main page (ui/state.py) -------------------------------------------------------

def _handed() -> Scenario:
    couple = sim.Couple(a=sim.Partner(name="Ik", anxiety=0.75, avoidance=0.06),
                        b=sim.Partner(name="Mijn partner", anxiety=0.06, avoidance=0.94))
    return Scenario(couple=couple, lang="nl")


def test_a_hand_over_before_the_main_page_ever_ran_wins_over_its_link_and_its_default() -> None:
    state: dict[str, object] = {}
    page_state.hand_over(state, _handed())
    other = scenario_to_query(default_scenario("en"))
    assert page_state.ensure(state, other) == []
    assert (state["a.name"], state["a.anxiety"], state["a.avoidance"]) == ("Ik", 0.75, 0.06)
    assert (state["b.name"], state["b.anxiety"], state["b.avoidance"]) == ("Mijn partner", 0.06, 0.94)
    assert state["lang"] == "nl" and state["scenario"] == _handed()


def test_a_hand_over_after_the_main_page_ran_shows_when_the_page_comes_back() -> None:
    """The main page ran (the default couple), its controls were dropped while on the guide; the
    hand-over's couple is what it shows on its return, also when its controls are dropped once more."""
    state: dict[str, object] = {}
    page_state.ensure(state, {})
    assert state["a.anxiety"] == 0.75 and state["a.avoidance"] == 0.15
    for key in [k for k in state if k.startswith(("a.", "b."))]:
        del state[key]
    page_state.hand_over(state, _handed())
    page_state.ensure(state, {})
    assert (state["a.name"], state["b.avoidance"]) == ("Ik", 0.94)
    for key in [k for k in state if k.startswith(("a.", "b."))]:
        del state[key]
    page_state.ensure(state, {})
    assert (state["a.name"], state["a.anxiety"], state["b.name"], state["b.avoidance"]) == ("Ik", 0.75,
                                                                                         "Mijn partner", 0.94)


# --- the page (AppTest) -------------------------------------------------------------------------------

def open_guide(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(GUIDE).run()
    assert not at.exception
    return at


def texts_of(at: AppTest) -> str:
    parts = [getattr(e, "value", "") for kind in ("markdown", "caption", "info", "warning", "success", "error",
                                                  "subheader") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def only_lang_in_address(at: AppTest, lang: str) -> None:
    assert dict(at.query_params) in ({"lang": lang}, {"lang": [lang]}), dict(at.query_params)


def answer_screen(at: AppTest, who: str, values: tuple[int, ...]) -> None:
    for key, value in zip(ORDER, values, strict=True):
        at.radio(key=f"guide.w.{who}.{key}").set_value(value)
    at.run()
    assert not at.exception


def walk(at: AppTest, lang: str, names: tuple[str, str], me: tuple[int, ...], partner: tuple[int, ...]) -> None:
    """From screen 1 to screen 4, with these names and answers."""
    assert at.subheader[0].value == guide.text("who.title", lang)
    at.text_input(key="guide.w.name.me").input(names[0])
    at.text_input(key="guide.w.name.partner").input(names[1]).run()
    at.button(key="guide.next.0").click().run()
    assert at.subheader[0].value == guide.text("me.title", lang)
    answer_screen(at, "me", me)
    only_lang_in_address(at, lang)
    at.button(key="guide.next.1").click().run()
    assert at.subheader[0].value == guide.text("partner.title", lang)
    answer_screen(at, "partner", partner)
    only_lang_in_address(at, lang)
    at.button(key="guide.next.2").click().run()
    assert at.subheader[0].value == guide.text("dance.title", lang)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_page_walks_every_screen_and_says_it_in_words(lang: str) -> None:
    at = open_guide(lang)
    assert at.text_input(key="guide.w.name.me").value == guide.text("default.me", lang)
    assert guide.text("reminder", lang) in texts_of(at)
    only_lang_in_address(at, lang)
    walk(at, lang, ("Ik", "Mijn partner"), ANXIOUS, AVOIDANT)
    words = texts_of(at)
    assert "**Ik**" in words and "**Mijn partner**" in words
    anxiety = sim.PARTNER_SCORES["anxiety"].label[lang]
    between = guide.text("range.two", lang, low=guide.text("level.moderate", lang), high=guide.text("level.high", lang))
    assert f"{anxiety}: **{guide.text('level.high', lang)}** {between}" in words
    assert guide.text("not_diagnosis", lang) in words
    assert any(guide.text(f"verdict.main.{v}", lang) in words or guide.text(f"verdict.sub.{v}", lang) in words
               for v in sim.VERDICTS)
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    assert not re.search(r"\d[.,]\d", words), "no model numbers in the sentences"
    only_lang_in_address(at, lang)


def test_back_keeps_the_answers_and_start_again_clears_them() -> None:
    at = open_guide("en")
    walk(at, "en", ("Sam", "Noor"), ANXIOUS, AVOIDANT)
    at.button(key="guide.back.3").click().run()
    assert at.subheader[0].value == guide.text("partner.title", "en")
    assert [at.radio(key=f"guide.w.partner.{k}").value for k in ORDER] == list(AVOIDANT)
    at.button(key="guide.back.2").click().run()
    assert [at.radio(key=f"guide.w.me.{k}").value for k in ORDER] == list(ANXIOUS)
    at.button(key="guide.back.1").click().run()
    assert at.text_input(key="guide.w.name.me").value == "Sam"
    for step in range(3):
        at.button(key=f"guide.next.{step}").click().run()
    at.button(key="guide.restart").click().run()
    assert at.subheader[0].value == guide.text("who.title", "en")
    assert at.text_input(key="guide.w.name.me").value == "Me"
    assert at.session_state["guide.answers"] == {}
    at.button(key="guide.next.0").click().run()
    assert [at.radio(key=f"guide.w.me.{k}").value for k in ORDER] == [None] * 8


def test_switching_language_renames_a_default_name_and_keeps_a_typed_one() -> None:
    at = open_guide("en")
    at.text_input(key="guide.w.name.partner").input("Noor").run()
    at.segmented_control(key="guide.lang").set_value("nl").run()
    assert at.text_input(key="guide.w.name.me").value == "Ik"
    assert at.text_input(key="guide.w.name.partner").value == "Noor"
    assert at.subheader[0].value == guide.text("who.title", "nl")
    only_lang_in_address(at, "nl")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_hand_over_sets_the_main_pages_names_and_scores(lang: str) -> None:
    at = open_guide(lang)
    walk(at, lang, ("Ik", "Mijn partner"), ANXIOUS, AVOIDANT)
    at.button(key="guide.hand_over").click().run()
    assert not at.exception
    assert (at.text_input(key="a.name").value, at.text_input(key="b.name").value) == ("Ik", "Mijn partner")
    assert [at.slider(key=k).value for k in ("a.anxiety", "a.avoidance", "b.anxiety", "b.avoidance")] == [
        0.75, 0.06, 0.06, 0.94]
    address = dict(at.query_params)
    assert address["a.name"] in ("Ik", ["Ik"]) and address["lang"] in (lang, [lang])
    assert not any(k.startswith("guide") or k.split(".")[-1] in ORDER for k in address)


def test_the_hand_over_works_when_the_main_page_has_not_read_its_link() -> None:
    """As when the session opened on /guide: the main page's 'read the link' mark is not set yet."""
    at = open_guide("en")
    del at.session_state[page_state.READY]
    walk(at, "en", ("Ik", "Mijn partner"), ANXIOUS, AVOIDANT)
    at.button(key="guide.hand_over").click().run()
    assert [at.slider(key=k).value for k in ("a.anxiety", "b.avoidance")] == [0.75, 0.94]
    assert at.text_input(key="a.name").value == "Ik"


def test_names_are_shown_as_plain_text() -> None:
    at = open_guide("en")
    walk(at, "en", ("**Sam**", "[x](http://e.com)"), ANXIOUS, AVOIDANT)
    words = texts_of(at)
    assert r"\*\*Sam\*\*" in words and "](http" not in words


def test_the_answers_stay_in_the_session_and_nothing_is_written() -> None:
    """A fresh name walks the whole guide and the hand-over: it is never in the guide's address, the answers
    never in any address, and no file under the repository, the home or the temporary folder changed since
    holds the name (``tests/test_privacy.py`` searches the same way, and has the positive control)."""
    from test_privacy import changed_files_containing

    name = f"Prv{secrets.token_hex(6)}"
    since = time.time() - 1.0
    at = open_guide("en")
    walk(at, "en", (name, f"{name}p"), ANXIOUS, AVOIDANT)
    only_lang_in_address(at, "en")
    assert set(at.session_state["guide.answers"]) == {guide.answer_key(w, k) for w in guide.PEOPLE for k in ORDER}
    at.button(key="guide.hand_over").click().run()
    assert not [k for k in dict(at.query_params) if k.startswith("guide") or k.split(".")[-1] in ORDER]
    hits = changed_files_containing(name.encode(), [ROOT, Path.home(), Path(tempfile.gettempdir())], since,
                                    exclude=set())
    assert not hits, f"user data written to disk: {[str(h) for h in hits]}"
