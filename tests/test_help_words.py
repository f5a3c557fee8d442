"""What helps you two, in words (ui.help_words): every sentence agrees with the run it stands on.

Couples are drawn across the whole score plane (both partners' two scores uniform in 0-1) with a
seeded generator, named the way couples name themselves on the page.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import sim
from sim.helps import HelpRanking, what_helps
from sim.story import roles
from ui.help_words import HELP_LEVELS, help_words, level, role_of
from ui.i18n import LANGS, catalog, t

NAMES = ("Zora", "Quin")
"""Names no sentence holds by itself: the sentences speak to the one who does it ("you", "your
partner"), so that names such as "Ik" or "My partner" never have to fit a sentence."""
STEPS = 1500
START = 40.0


def _text(key: str, lang: str, **fields: object) -> str:
    return t("app", key, lang, **fields)


@pytest.fixture(scope="module")
def drawn() -> list[tuple[HelpRanking, int]]:
    """Rankings of 16 couples across the plane, with the withdrawer of each."""
    rng = np.random.default_rng(3)
    out = []
    for k in range(16):
        a, b = (sim.Partner(name=NAMES[i], anxiety=rng.uniform(), avoidance=rng.uniform()) for i in range(2))
        couple = sim.Couple(a=a, b=b)
        ranking = what_helps(couple, start=START, steps=STEPS, seed=k)
        out.append((ranking, roles(couple, sim.simulate(couple, steps=STEPS, seed=k))[0]))
    return out


def test_the_level_words_divide_the_relief_at_their_bounds() -> None:
    assert [level(x) for x in (-0.2, 0.0, 0.1, 0.3, 0.5, 0.9)] == ["none", "none", "little", "some", "good", "most"]
    assert [level(bound) for bound in HELP_LEVELS] == ["little", "some", "good", "most"]


def test_what_to_try_follows_the_part_the_one_who_does_it_plays() -> None:
    assert role_of("a", withdrawer=0) == "withdrawer" and role_of("b", withdrawer=0) == "pursuer"
    assert role_of("a", withdrawer=1) == "pursuer" and role_of("both", withdrawer=1) == "both"
    for lang in LANGS:
        texts = {_text(f"helps.try.{kind}.{role}", lang) for kind in sim.INTERVENTION_KINDS
                 for role in ("withdrawer", "pursuer", "both")}
        assert len(texts) == 14  # coaching is the same for each partner alone; every other text is its own


@pytest.mark.parametrize("lang", LANGS)
def test_every_sentence_agrees_with_its_run_and_holds_no_model_number_and_no_name(
        drawn: list[tuple[HelpRanking, int]], lang: str) -> None:
    checked = set()
    for ranking, withdrawer in drawn:
        for who, helps in ranking.by_who.items():
            badges = []
            for help_ in helps:
                words = help_words(help_, ranking, withdrawer, lang)
                sentence = words.attempt + " " + words.effect
                assert not re.search(r"\d[.,]\d", sentence), sentence
                assert not any(name in sentence for name in NAMES), sentence
                assert words.attempt == _text(f"helps.try.{help_.kind}.{role_of(who, withdrawer)}", lang)
                name = level(help_.relief)
                if name == "none":
                    assert words.effect.startswith(_text("helps.fear.none", lang))
                else:
                    assert words.effect.startswith(_text(f"helps.amount.{name}", lang))
                    own, other = help_.own_relief, help_.other_relief
                    if _text("helps.whose.own", lang) in words.effect:
                        assert own > other
                    if _text("helps.whose.other", lang) in words.effect:
                        assert other > own
                    if _text("helps.whose.alike", lang) in words.effect:
                        assert abs(own - other) <= 0.1
                checked |= _check_rounds(words.effect, help_, ranking, lang)
                badges.append(["none", "little", "some", "much"].index(words.badge))
            assert badges == sorted(badges, reverse=True), "the badges follow the ranking"
    assert {"stop", "smaller", "same"} <= checked, checked


def _check_rounds(effect: str, help_, ranking: HelpRanking, lang: str) -> set[str]:
    """The claim about the rounds in ``effect``, checked against the run; returns its name."""
    found = set()
    for key in ("calm", "fade", "escalates", "no_longer", "worse", "smaller", "larger", "same"):
        if _text(f"helps.rounds.{key}", lang) in effect:
            found.add(key)
    stop = re.escape(_text("helps.rounds.stop", lang, time="@")).replace("@", r"(.+)") + r"\.$"
    match = re.search(stop, effect)
    if match:
        found.add("stop")
        assert help_.verdict == "settles" and help_.settled_after is not None
        days = help_.settled_after
        spoken = match.group(1)
        if spoken == _text("helps.time.days", lang):
            assert days < 10.5
        else:
            count = int(re.search(r"\d+", spoken).group())
            per = 7 if spoken == _text("helps.time.weeks", lang, count=count) else 30.4
            assert abs(days / per - count) <= 0.5 or count in (2, 3), (days, spoken)
    assert len(found) == 1, (effect, found)
    claim = found.pop()
    if claim in ("calm",):
        assert ranking.verdict == "settles" == help_.verdict
    if claim == "fade":
        assert help_.verdict == "settles" and help_.settled_after is None
    if claim == "escalates":
        assert ranking.verdict == help_.verdict == "escalates"
    if claim == "no_longer":
        assert ranking.verdict == "escalates" != help_.verdict
    if claim in ("worse", "smaller", "larger", "same"):
        assert help_.verdict != "settles" and ranking.verdict != "escalates"
    if claim == "smaller":
        assert help_.calmer >= 0.3
    if claim == "larger":
        assert help_.calmer < -0.1
    return {claim}


def test_the_catalogs_hold_every_help_text_in_both_languages() -> None:
    keys = {key for key in catalog("app", "en") if key.startswith("helps.")}
    assert keys == {key for key in catalog("app", "nl") if key.startswith("helps.")}
    assert {f"helps.try.{kind}.{role}" for kind in sim.INTERVENTION_KINDS
            for role in ("withdrawer", "pursuer", "both")} <= keys
