"""The charts in words: a plain sentence per chart, the text alternative of each (issue 13, points 6 and 7).

Tested on couples drawn across the whole score plane, in both languages: one sentence per chart,
no model number in them (only the rounds' length in days), each partner named, and the words
follow the run (a dance at rest hardly swings; a doubt past the break-up point is said to tip).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import sim
from ui.chart_words import DOUBT_LEVELS, SWING_LEVELS, chart_words
from ui.i18n import t

ROOT = Path(__file__).resolve().parents[1]


def _runs(n: int, seed: int) -> list[sim.Result]:
    rng = np.random.default_rng(seed)
    couples = [sim.Couple(a=sim.Partner(name="Sam", anxiety=rng.uniform(), avoidance=rng.uniform()),
                          b=sim.Partner(name="Mijn partner", anxiety=rng.uniform(), avoidance=rng.uniform()))
               for _ in range(n)]
    return [sim.simulate(couple, seed=0) for couple in couples]


@pytest.fixture(scope="module")
def runs() -> list[sim.Result]:
    return _runs(40, seed=404)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_each_chart_has_one_plain_sentence_naming_both_partners(runs, lang):
    for result in runs:
        lines = chart_words(result, lang)
        assert len(lines) == 4
        prefixes = [t("app", key, lang, level="", swing="", rounds="", a="", b="").split(":")[0]
                    for key in ("words.closeness", "words.moves", "words.fears", "words.doubts")]
        assert [line.split(":")[0] for line in lines] == prefixes
        for line in lines[1:]:
            assert "Sam" in line and "Mijn partner" in line and "{" not in line
        without_days = lines[0].replace(t("app", "words.rounds", lang, days=0).split("0")[0], "")
        assert not re.search(r"\d", "".join(lines[1:])), lines  # no model numbers
        assert len(re.findall(r"\d+", without_days)) <= 1, lines[0]  # at most the rounds' length in days


def test_the_words_follow_the_run(runs):
    hardly, tipped = t("app", "words.swing.hardly", "en"), t("app", "words.doubt.tipped", "en")
    seen = set()
    for result in runs:
        lines = chart_words(result, "en")
        late = result.closeness[result.t.shape[0] // 2:]
        swing = float(late.max() - late.min())
        assert (f"swings {hardly}" in lines[0]) == (swing < SWING_LEVELS[0]), (swing, lines[0])
        broke = [float(result.doubt[i, -1]) > DOUBT_LEVELS[1] for i in (0, 1)]
        assert lines[3].count(tipped) == sum(broke), lines[3]
        seen.add(result.verdict)
    assert {"settles", "cycles"} <= seen  # the draw covers calm and dancing couples


def test_the_page_gives_each_chart_its_words_as_description_and_in_a_section():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    scenario = at.session_state["scenario"]
    lines = chart_words(sim.simulate(scenario.couple, steps=scenario.steps, dt=scenario.dt, seed=scenario.seed), "en")
    specs = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    card = [spec for spec in specs if "title" not in spec]  # the phone's closeness line: the first chart's words
    specs = [spec for spec in specs if "title" in spec]
    assert len(specs) == 4 and [spec["description"] for spec in card] == lines[:1]
    assert [spec.get("description") for spec in specs] == lines
    assert any(all(line in m.value for line in lines) for m in at.markdown)
