"""Tests of the workshop: the story (sim/story.py), its texts, the cycle map, the animation,
the handout, and the page itself (app_pages/workshop.py, headless with ``AppTest``).

The classic trap is Sam (A, anxious) and Noor (B, avoidant) when names matter; elsewhere the
presets keep their names A and B.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import re
import string
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import sim
from sim import story as stories
from sim.dynamics import TIP
from sim.metrics import RISING_DOUBT
from sim.plots.palette import VERDICT_COLORS
from sim.scenario import Scenario
from sim.signals import DOUBT_AT, PURSUE_AT, PURSUIT_FEAR, WITHDRAW_AT
from ui.workshop import animation, captions, charts, cycle, handout
from ui.workshop.texts import colored, text

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "workshop.py")
TRAP = sim.PRESETS["anxious-avoidant"]


# --- the story, as the workshop tells it (the story itself: tests/test_story.py) --------------

def test_in_the_classic_trap_withdrawal_brings_the_alarm_down_and_the_loop_goes_round(trap_story):
    """"Distance brings it down": while B keeps moving away after the withdrawal, B's alarm peaks and
    falls; and the cycle map goes round closeness, alarm, withdrawal, fear of being left, pursuit."""
    r = trap_story.untreated
    start, end = (int(round(d / stories.DT)) for d in (trap_story.step("withdrawal").moment, stories.INTIMATE_AT + 8.0))
    peak = start + int(np.argmax(r.engulfment[1, start:end]))
    after = slice(peak, peak + 10)
    assert (r.move[1, after] < WITHDRAW_AT).all() and (np.diff(r.engulfment[1, after]) < 0.0).all()
    links = cycle.link_states(r, 1, 0)[(r.t > 20.0) & (r.t < stories.ROUNDS_UNTIL)]
    order = [int(k) for k, prev in zip(links[1:], links[:-1], strict=True) if k != prev]
    assert set(order) <= {0, 1, 2, 3, 5} and order.count(2) >= 10
    assert all(b == {0: 1, 1: 2, 2: 3, 3: 5, 5: 0}[a] for a, b in zip(order, order[1:], strict=False))


def test_coaching_works_slowly_and_then_the_classic_trap_settles():
    """Coaching from day 150: after 45 days each partner has learned 1 - exp(-45/180) = 22 % of the way
    to a secure partner (a closed form, not the engine's loop), the rounds fade, and by day 500 the
    dance is at rest; without it the rounds go on."""
    story = stories.build_story(TRAP, "coaching")
    view = story.step("intervention")
    assert view.fields["learned"] == pytest.approx(100.0 * (1.0 - math.exp(-45.0 / 180.0)), abs=0.5)
    assert view.answer == "lower"
    line = captions.caption(view, story, "en")[-1]  # 22 % of the way: under a third, "a small part"
    assert line == text("cap_intervention_gradual", "en", until=195.0, learned=text("level_learned_small", "en"))
    assert "22" not in line
    settling = story.step("settling")
    assert settling.answer == "settles" and story.untreated.verdict == "cycles"
    late = story.treated.closeness[story.treated.t > stories.END - 50.0]
    assert np.ptp(late) < 0.02 < np.ptp(story.untreated.closeness[story.untreated.t > stories.END - 50.0])


def _swing(result: sim.Result, days: float = 50.0) -> float:
    """Closeness peak to trough over the last ``days`` of a run."""
    return float(np.ptp(result.closeness[result.t > result.t[-1] - days]))


@pytest.mark.parametrize("name", list(sim.PRESETS))
def test_every_caption_says_what_its_run_shows(name):
    """Each step's caption (its variant) agrees with the run it shows, measured on the run itself."""
    story = stories.build_story(sim.PRESETS[name], "safety")
    w, p = story.withdrawer, story.pursuer
    intimate = story.step("intimate")
    r = intimate.result
    rise = r.engulfment.max(axis=1) - r.engulfment[:, int(round(stories.INTIMATE_AT / stories.DT))]
    if intimate.variant == "none":
        assert rise.max() < stories.RISE
    else:
        assert rise.max() >= stories.RISE and r.closeness.max() > intimate.fields["before"] + 1.0
    withdrawal = story.step("withdrawal")
    i = int(round(withdrawal.moment / stories.DT))
    if withdrawal.variant == "yes":  # takes distance: a visible move away, while the alarm is up
        assert withdrawal.result.move[w, i] < WITHDRAW_AT and withdrawal.fields["alarm"] > 0.0
    else:  # stays close: no visible withdrawal in the days after the evening
        assert (story.untreated.move[w, i - 10:i + 100] > WITHDRAW_AT).all()
    pursuit = story.step("pursuit")
    i = int(round(pursuit.moment / stories.DT))
    if pursuit.variant == "yes":
        assert pursuit.result.move[p, i] > PURSUE_AT and pursuit.result.abandonment[p, i] > PURSUIT_FEAR
    elif pursuit.variant == "away":
        assert pursuit.result.move[p, i] < WITHDRAW_AT
    else:  # gives space, calmly: the distance does not feel like being left
        assert pursuit.result.abandonment[p].max() < 2.0 * PURSUIT_FEAR
    rounds = story.step("rounds")
    assert rounds.variant == rounds.result.verdict
    if rounds.variant == "cycles":
        assert _swing(rounds.result) > 0.3 and len(rounds.marks) == rounds.fields["rounds"] >= 5
    elif rounds.variant == "settles":
        assert _swing(rounds.result) < 0.05
    settling = story.step("settling")
    treated = settling.result
    if settling.variant == "settles":
        assert _swing(treated) < 0.02 and settling.fields["settle"] <= stories.END
    elif settling.variant == "settles_late":  # the rounds fade: smaller at the end than after the intervention
        start = stories.INTERVENTION_AT + 50.0
        early = treated.closeness[(treated.t > start) & (treated.t < start + 50.0)]
        assert _swing(treated) < 0.5 * float(np.ptp(early)) and settling.fields["settle"] > stories.END
    elif settling.variant == "cycles":
        assert _swing(treated) > 0.02
        assert settling.fields["tension"] < stories.LOWER * settling.fields["tension_without"]
    elif settling.variant == "escalates":
        assert story.untreated.verdict == "escalates"
    for view in (rounds, settling):
        course = view.fields["course"]
        doubt = view.result.doubt
        if course == "doubt":
            who = int(np.argmax(doubt[:, -1]))
            assert RISING_DOUBT < doubt[who, -1] < TIP and doubt[who, -1] > doubt[who, -20]
        elif course == "break":
            assert doubt[:, -1].max() > TIP and view.result.closeness[-1] < 0.1
        elif course == "growing":
            peaks = stories._peaks(view.result.closeness, view.result.t, view.until / 2)
            swings = [np.ptp(view.result.closeness[(view.result.t > a) & (view.result.t < a + 6.0)]) for a in peaks]
            assert swings[-1] > swings[0]
        if view.variant not in ("escalates", "escalates_worse"):
            assert course == ""
    lingering = text("cap_settling_doubt", "en", **captions._fields(settling, story, "en", lambda n, i: n))
    shown = lingering in captions.caption(settling, story, "en")
    assert shown == (treated.verdict != "escalates" and treated.doubt[:, -1].max() > DOUBT_AT)


# --- texts ---------------------------------------------------------------------------------------

def _fields(words: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(words) if name}


def test_both_catalogs_hold_the_same_keys_and_the_same_fields():
    en = json.loads((ROOT / "ui" / "locales" / "workshop.en.json").read_text(encoding="utf-8"))
    nl = json.loads((ROOT / "ui" / "locales" / "workshop.nl.json").read_text(encoding="utf-8"))
    assert en.keys() == nl.keys()
    for key in en:
        assert _fields(en[key]) == _fields(nl[key]), key
        assert en[key].strip() and nl[key].strip(), key


TIME_FIELDS = {"day", "start", "end", "until", "settle", "period", "intimate"}
"""Fields a workshop text may write as a number: days (a time, not one of the model's numbers)."""


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_text_writes_a_model_number(lang):
    """Issue 13, point 6: levels and changes are words; only days are written as decimals (counts of rounds,
    votes and steps are filled in unformatted)."""
    texts = json.loads((ROOT / "ui" / "locales" / f"workshop.{lang}.json").read_text(encoding="utf-8"))
    numbers = {(key, name) for key, words in texts.items()
               for _, name, spec, _ in string.Formatter().parse(words) if name and spec}
    assert {name for _, name in numbers} <= TIME_FIELDS, sorted(numbers)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_scene_says_how_close_they_are_in_words(trap_story, lang):
    """Under the figures: "far apart", "fairly close" or "very close" for the closeness of the frame's day."""
    r = trap_story.untreated
    seen = set()
    for day in (0.0, 1.2, 3.6, 5.0, 8.0, 30.0):
        frame = animation.dance_figure(r, day, trap_story.names(), lang)
        index = int(round(day / r.dt))
        shown = {t.get_text() for t in frame.axes[0].texts} - {text("anim_day", lang, day=float(r.t[index]))}
        band = captions.level_key("closeness", float(r.closeness[index]))
        assert text(f"level_closeness_{band}", lang) in shown, (day, float(r.closeness[index]))
        assert not any(re.search(r"\d", t) for t in shown), shown  # the day is the frame's only number
        seen.add(band)
    assert len(seen) >= 2


FAMILIES = ("step_", "q_", "choice_", "cap_", "mark_", "sum_", "short_", "style_", "node_", "link_", "iv_",
            "preset_", "lang_", "course_", "handout_png", "handout_pdf", "room_err_",
            "quiz_q_", "quiz_reflex_", "quiz_pursuit_", "quiz_course_", "quiz_safety_", "quiz_title_", "quiz_result_",
            "quiz_pre_", "quiz_post_", "notes_tip_", "notes_status_", "level_", "change_", "compare_")
"""Key families the code builds from a name (f-strings); the test below exercises each family's members."""


def test_every_key_is_used_by_the_workshop_code():
    sources = [ROOT / "app_pages" / "workshop.py", ROOT / "app_pages" / "vote.py", ROOT / "app_pages" / "notes.py",
               *sorted((ROOT / "ui" / "workshop").glob("*.py"))]
    code = "".join(path.read_text(encoding="utf-8") for path in sources)
    keys = json.loads((ROOT / "ui" / "locales" / "workshop.en.json").read_text(encoding="utf-8"))
    unused = [k for k in keys if f'"{k}"' not in code and not k.startswith(FAMILIES)]
    assert unused == []
    assert {f"preset_{name}" for name in sim.PRESETS} <= set(keys)
    assert {f"iv_{kind}" for kind in sim.INTERVENTION_KINDS} <= set(keys)
    assert {f"step_{key}" for key in stories.STEPS} <= set(keys)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("name", ["anxious-avoidant", "secure", "avoidant-avoidant", "secure-avoidant",
                                  "intense-trap", "fearful-fearful"])
def test_every_step_has_its_texts_in_both_languages(name, lang):
    """Every variant a run can produce has a question, answers, a caption, a summary and a mark."""
    story = stories.build_story(sim.PRESETS[name], "commitment")
    for view in story.steps:
        assert captions.question(view, story, lang)
        labels = [captions.choice_label(view, story, c, lang) for c in stories.CHOICES[view.key]]
        assert len(set(labels)) == len(labels)
        lines = captions.caption(view, story, lang)
        assert lines and all(line.strip() for line in lines)
        assert "{" not in " ".join(lines)
        assert captions.summary(view, story, lang)
        assert charts.moment_label(view, story, lang)
    names = story.names()
    for active in (*range(6), cycle.CALM, cycle.EBB):
        assert cycle.describe(active, names, story.withdrawer, story.pursuer, lang)


def test_dutch_numbers_have_a_decimal_comma(trap_story):
    view = trap_story.step("withdrawal")
    assert re.search(r"Dag \d+,\d", captions.caption(view, trap_story, "nl")[0])
    assert re.search(r"Day \d+\.\d", captions.caption(view, trap_story, "en")[0])


def test_names_are_escaped_where_they_are_shown():
    """A name is shown as typed: never as markdown on the page, never as mathtext in a figure."""
    couple = sim.Couple(a=sim.Partner(name="Sam *$x$*", anxiety=0.75, avoidance=0.15),
                        b=sim.Partner(name="Noor [link](x)", anxiety=0.15, avoidance=0.75))
    story = stories.build_story(couple, "safety")
    line = captions.caption(story.step("pursuit"), story, "en", colored)[0]
    assert ":blue[Sam \\*\\$x\\$\\*]" in line
    assert ":orange[Noor \\[link\\]\\(x\\)]" in captions.caption(story.step("withdrawal"), story, "en", colored)[0]
    assert "Sam *\\$x\\$*" in charts.moment_label(story.step("pursuit"), story, "en")
    png = handout.handout(story, "en", "png")
    assert Image.open(io.BytesIO(png)).format == "PNG"
    frame = animation.dance_figure(story.step("pursuit").result, story.step("pursuit").moment, story.names(), "en")
    assert all("$" not in t.get_text().replace("\\$", "") for t in frame.axes[0].texts)


def test_long_names_are_cut_in_figures():
    long = "Maximiliaan-Alexander"
    couple = sim.Couple(a=sim.Partner(name=long, anxiety=0.75, avoidance=0.15),
                        b=sim.Partner(name="Noor", anxiety=0.15, avoidance=0.75))
    fig = cycle.draw_cycle_map(2, (long, "Noor"), 1, 0, "en")
    assert not any(long in t.get_text() for t in fig.axes[0].texts)
    assert any("Maximili…" in t.get_text() for t in fig.axes[0].texts)
    assert stories.build_story(couple, "safety").names()[0] == long


# --- the cycle map ---------------------------------------------------------------------------------

def test_choose_links_takes_the_fastest_growing_link_or_says_calm_or_ebb():
    rates = np.zeros((6, 5))
    rates[2, 0] = 0.5
    rates[4, 0] = 0.3
    rates[0, 1] = cycle.LINK_RATE / 2
    rates[5, 2] = 0.4
    rates[1, 3] = 0.9
    rates[3, 4] = 0.2
    moving = np.array([1.0, 1.0, 1.0, cycle.REST / 2, 1.0])
    in_play = np.array([True, True, False, True, True])
    out = cycle.choose_links(rates, moving, in_play)
    assert out.tolist() == [2, cycle.EBB, cycle.CALM, cycle.CALM, 3]


def test_the_active_link_follows_the_model_state(trap_story):
    """Checked against the trajectory by finite differences, independently of the rule's own rates."""
    r, w, p = trap_story.untreated, trap_story.withdrawer, trap_story.pursuer
    links = cycle.link_states(r, w, p)
    grad = {name: np.gradient(x, r.dt) for name, x in (("e_w", r.engulfment[w]), ("m_w", r.move[w]),
                                                      ("b_p", r.abandonment[p]), ("m_p", r.move[p]),
                                                      ("c", r.closeness))}
    near_event = np.zeros(r.t.shape, dtype=bool)
    for ev in r.events:
        near_event |= np.abs(r.t - ev.at) < 0.25
    expect = {0: ("e_w", r.engulfment[w] >= 0.0), 1: ("m_w", r.engulfment[w] > 0.3),
              2: ("b_p", r.move[w] < 0.1), 3: ("m_p", r.abandonment[p] > 0.3), 4: ("e_w", r.move[p] > -0.1),
              5: ("c", r.move[p] > 0.25)}
    seen = 0
    for link, (series, condition) in expect.items():
        mask = (links == link) & ~near_event
        if not mask.any():
            continue
        seen += 1
        sign = -1.0 if link == 1 else 1.0
        assert np.mean(sign * grad[series][mask] > 0.0) > 0.9, link
        assert condition[mask].all(), link
    assert seen >= 4
    fears = np.maximum(r.engulfment[w], r.abandonment[p])
    assert (links[fears < 0.3] == cycle.CALM).all()


def test_the_loop_goes_round_in_order_during_the_rounds_and_is_calm_once_settled(trap_story):
    r = trap_story.treated
    links = cycle.link_states(r, trap_story.withdrawer, trap_story.pursuer)
    rounds = links[(r.t > 20.0) & (r.t < stories.ROUNDS_UNTIL)]
    order = [int(k) for k, prev in zip(rounds[1:], rounds[:-1], strict=True) if k != prev and k >= 0]
    pairs = sum(1 for a, b in zip(order, order[1:], strict=False) if (a, b) == (1, 2))
    assert pairs >= 3  # alarm -> withdrawal, then withdrawal -> abandonment fear, round after round
    settled = links[r.t > trap_story.step("settling").moment + 20.0]
    assert (settled == cycle.CALM).all()


@pytest.mark.parametrize("active", [0, 3, cycle.CALM, cycle.EBB])
def test_the_cycle_map_lights_exactly_the_active_link(active):
    fig = cycle.draw_cycle_map(active, ("A", "B"), 1, 0, "en")
    ax = fig.axes[0]
    glows = [p for p in ax.patches if getattr(p, "get_linewidth", lambda: 0)() > 15]
    assert len(glows) == (1 if active >= 0 else 0)
    labels = [t.get_text() for t in ax.texts]
    assert cycle.describe(active, ("A", "B"), 1, 0, "en").split(" ")[0] in " ".join(labels).replace("\n", " ")
    filled = [p for p in ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0) and hasattr(p, "get_boxstyle")]
    assert len(filled) == (2 if active >= 0 else 0)


# --- the animation ---------------------------------------------------------------------------------

def test_more_closeness_brings_the_figures_nearer():
    gaps = [animation.gap(c) for c in np.linspace(0.0, 5.0, 50)]
    assert all(a >= b for a, b in zip(gaps, gaps[1:], strict=False))
    assert gaps[0] == animation.GAP_MAX and min(gaps) >= animation.GAP_MIN


def test_frame_days_cover_the_scene(trap_story):
    view = trap_story.step("rounds")
    days = animation.frame_days(view.start, view.until, view.result, 48)
    assert days.shape == (48,)
    assert np.all(np.diff(days) > 0)
    assert days[0] == pytest.approx(view.start, abs=stories.DT) and days[-1] == pytest.approx(view.until)
    short = animation.frame_days(3.0, 3.5, view.result, 48)
    assert short.shape == (6,)


@pytest.mark.parametrize(("frames", "fps"), [(animation.FRAMES, animation.FPS), (7, 5)])
def test_the_gif_is_a_valid_looping_animation_with_the_expected_frames(trap_story, frames, fps):
    view = trap_story.step("withdrawal")
    data = animation.dance_gif(view.result, view.start, view.until, trap_story.names(), "en", frames=frames, fps=fps)
    assert data[:6] in (b"GIF87a", b"GIF89a")
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF"
    assert image.is_animated
    assert image.n_frames == frames
    assert image.size == (720, 360)
    assert image.info.get("loop") == 0
    assert abs(image.info["duration"] - 1000 / fps) < 10  # GIF keeps centiseconds
    image.seek(0)
    first = np.asarray(image.convert("RGB")).copy()
    image.seek(frames - 1)
    assert not np.array_equal(first, np.asarray(image.convert("RGB")))


def test_the_gif_is_made_in_memory_and_writes_nothing_to_disk(trap_story, tmp_path, monkeypatch):
    """The names in it are what a user typed: no temporary file of the server ever holds them."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    opened = []
    real_open = io.open

    def watch(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax+"):
            opened.append(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watch)
    view = trap_story.step("withdrawal")
    data = animation.dance_gif(view.result, view.start, view.until, ("Sam", "Alex"), "en", frames=5)
    assert Image.open(io.BytesIO(data)).n_frames == 5
    assert opened == [] and list(tmp_path.iterdir()) == []


def _redness(fig) -> float:
    rgb = np.asarray(Image.open(io.BytesIO(charts.png(fig, dpi=50))).convert("RGB")).astype(float)
    pink = (rgb[..., 0] > 200) & (rgb[..., 0] - rgb[..., 1] > 40) & (rgb[..., 0] - rgb[..., 2] > 30)
    return float(pink.mean())


def test_fear_shows_as_a_red_glow(trap_story, secure_story):
    high = trap_story.step("escalation")
    calm = secure_story.step("rounds")
    afraid = animation.dance_figure(high.result, high.moment, trap_story.names(), "en")
    at_ease = animation.dance_figure(calm.result, calm.until, secure_story.names(), "en")
    assert _redness(afraid) > 2.0 * _redness(at_ease) + 0.002


# --- the handout -----------------------------------------------------------------------------------

def _tint(color: str, alpha: float = 0.12) -> np.ndarray:
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return 255.0 * (1.0 - alpha) + alpha * rgb


def _share_of(png: bytes, color: str) -> float:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float)
    return float((np.abs(rgb - _tint(color)).max(axis=-1) <= 3.0).mean())


def test_the_png_handout_is_one_a4_page_with_the_verdict(trap_story):
    png = handout.handout(trap_story, "nl", "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.size[0] - 1240) <= 1 and abs(image.size[1] - 1754) <= 1
    assert "verdict=settles" in image.text["Keywords"] and "lang=nl" in image.text["Keywords"]
    assert "intervention=safety" in image.text["Keywords"]
    assert image.text["Title"] == "De dans van A (angstig) en B (vermijdend)"
    assert image.text["Description"] == sim.VERDICT_TEXT["settles"]["nl"]
    assert _share_of(png, VERDICT_COLORS["settles"]) > 0.02
    assert _share_of(png, VERDICT_COLORS["escalates"]) < 0.001


def test_the_pdf_handout_is_one_page_and_names_its_verdict_language_and_intervention():
    story = stories.build_story(sim.PRESETS["intense-trap"], "acknowledge")
    assert story.treated.verdict == "escalates"
    pdf = handout.handout(story, "en", "pdf")
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    assert b"verdict=escalates" in pdf and b"lang=en" in pdf and b"intervention=acknowledge" in pdf
    png = handout.handout(story, "en", "png")
    assert _share_of(png, VERDICT_COLORS["escalates"]) > 0.02
    assert _share_of(png, VERDICT_COLORS["settles"]) < 0.001


def test_the_handout_refuses_an_unknown_format(trap_story):
    with pytest.raises(ValueError, match="fmt"):
        handout.handout(trap_story, "en", "svg")


def test_a_couple_of_ones_own_is_not_called_a_preset():
    assert handout.preset_name(TRAP) == "anxious-avoidant"
    assert handout.preset_name(replace(TRAP, fading=0.6)) is None


# --- the page (AppTest) ----------------------------------------------------------------------------

def _page(*, step: int = 0, predict: bool = True, lang: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["ws_step"] = step
    at.session_state["ws_predict"] = predict
    for key, value in state.items():
        at.session_state[key] = value
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def _page_module():
    """The page's module, loaded without running it (its ``main()`` only runs as a script)."""
    spec = importlib.util.spec_from_file_location("workshop_page", PAGE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scene_image(at: AppTest) -> str:
    """The address of the scene's figure (the first picture of the main area after the chart)."""
    urls = [img.url for element in at.main.get("image") for img in element.proto.imgs]
    return urls[1]


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("index", range(len(stories.STEPS)))
def test_every_step_shows_its_chart_caption_figures_and_cycle_map(trap_story, index, lang):
    at = _page(step=index, predict=False, lang=lang)
    assert not at.exception
    assert at.title[0].value == captions.step_title(index, lang)
    assert len(at.get("image")) == 3  # the chart, the two partners, the cycle map
    view = trap_story.steps[index]
    first = captions.caption(view, trap_story, lang, lambda name, i: f":{('blue', 'orange')[i]}[{name}]")[0]
    assert first in _markdown(at)
    assert at.select_slider(key=f"ws_day_{index}").value == pytest.approx(view.moment, abs=0.6)
    assert text("step_counter", lang, n=index + 1, total=7) in at.caption[0].value


def test_next_and_back_walk_the_story_and_start_again_after_the_last_step():
    at = _page(predict=False)
    assert at.button(key="ws_back").disabled
    seen = []
    for _ in range(len(stories.STEPS)):
        seen.append(at.title[0].value)
        at.button(key="ws_next").click().run()
    assert seen == [captions.step_title(i, "en") for i in range(7)]
    assert at.title[0].value == captions.step_title(0, "en")
    at.button(key="ws_next").click().run()
    at.button(key="ws_back").click().run()
    assert at.title[0].value == captions.step_title(0, "en")
    at.session_state["ws_step"] = 6
    at.run()
    assert at.button(key="ws_next").label == text("restart", "en")


def test_predict_then_reveal_with_a_right_guess(trap_story):
    at = _page()
    assert at.header[0].value == captions.question(trap_story.steps[0], trap_story, "en",
                                                   lambda name, i: f":{('blue', 'orange')[i]}[{name}]")
    radio = at.radio(key="ws_guess_0")
    assert radio.options == ["A", "B", "Both", "Neither"]
    assert len(at.get("image")) == 1 and not at.info  # only the days before; no answer yet
    radio.set_value("b")
    at.button(key="ws_reveal").click().run()
    assert at.info[0].value == text("answer_model", "en", answer="B")
    assert at.success[0].value == text("answer_right", "en")
    assert len(at.get("image")) == 3


def test_predict_then_reveal_with_a_wrong_guess_and_without_a_guess(trap_story):
    at = _page(step=3)
    at.radio(key="ws_guess_3").set_value("settles")
    at.button(key="ws_reveal").click().run()
    assert text("answer_wrong", "en", guess=text("choice_rounds_settles", "en")) in _markdown(at)
    assert at.info[0].value == text("answer_model", "en", answer=text("choice_rounds_cycles", "en"))
    at.button(key="ws_next").click().run()
    assert at.radio(key="ws_guess_4").value is None
    at.button(key="ws_reveal").click().run()
    assert at.info and not at.success and "expected" not in _markdown(at)
    at.button(key="ws_back").click().run()
    assert at.info  # a revealed step stays revealed


def test_dutch_from_the_link_and_the_switch_back_to_english():
    at = _page(lang="nl")
    assert at.title[0].value == "Een intiem moment"
    assert at.radio(key="ws_guess_0").options[-1] == "Geen van beiden"
    at.segmented_control(key="ws_lang").set_value("en").run()
    assert at.title[0].value == "An intimate moment"
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.session_state["lang"] == "en"


def test_the_couple_and_the_language_of_the_main_page_are_the_default():
    couple = sim.Couple(a=sim.Partner(name="Sam", anxiety=0.75, avoidance=0.15),
                        b=sim.Partner(name="Noor", anxiety=0.15, avoidance=0.75))
    scenario = Scenario(couple=couple, interventions=(sim.Intervention("coaching", start=60.0),), lang="nl")
    at = _page(step=1, predict=False, scenario=scenario)
    assert at.selectbox(key="ws_couple").value == "main"
    assert at.selectbox(key="ws_intervention").value == "coaching"
    assert at.title[0].value == "De terugtrekreflex"
    assert "Noor" in _markdown(at)
    at.selectbox(key="ws_couple").set_value("secure").run()
    assert "Noor" not in _markdown(at)


def test_play_shows_the_scene_from_its_start_as_the_gif_the_download_gives_and_stop_keeps_the_day(trap_story):
    at = _page(step=3, predict=False)
    view = trap_story.step("rounds")
    at.select_slider(key="ws_day_3").set_value(_page_module().scene_days(trap_story, view)[5]).run()
    before = at.select_slider(key="ws_day_3").value
    assert _scene_image(at).endswith(".png")
    at.button(key="ws_play").click().run()
    assert not at.exception
    assert at.session_state["ws_playing"] is True
    assert at.button(key="ws_play").label == text("pause", "en")
    assert at.select_slider(key="ws_day_3").proto.disabled  # the browser plays; the slider waits
    assert _scene_image(at).endswith(".gif")  # the browser plays the scene's GIF
    gifs = [b for b in at.sidebar.get("download_button") if b.proto.label == text("gif_download", "en")]
    assert len(gifs) == 1  # ... and the download gives the same file, made once
    at.button(key="ws_play").click().run()
    assert at.session_state["ws_playing"] is False
    assert _scene_image(at).endswith(".png")
    assert at.select_slider(key="ws_day_3").value == before
    at.button(key="ws_play").click().run()
    at.button(key="ws_next").click().run()
    assert at.session_state["ws_playing"] is False


def test_a_scene_plays_at_one_watchable_pace_within_its_bounds(trap_story):
    """Short scenes slow down, long ones speed up; none is shorter or longer than SCENE_SECONDS."""
    for index, view in enumerate(trap_story.steps):
        until = stories.shown_until(trap_story, index)
        plan = animation.scene_plan(view.start, until, view.result)
        seconds = len(plan.days) * plan.frame_ms / 1000.0
        low, high = animation.SCENE_SECONDS
        assert low - 0.3 <= seconds <= high + 0.3, (index, seconds)
        assert plan.frame_ms >= 1000 / animation.FPS - 10
        assert plan.days[-1] == pytest.approx(until, abs=stories.DT)
        pace = (until - view.start) / seconds
        assert pace <= animation.PACE + 1e-9 or seconds >= high - 0.3, (index, pace)


def test_scrubbing_moves_the_cycle_map_with_the_model_state(trap_story):
    at = _page(step=3, predict=False)
    view = trap_story.step("rounds")
    links = cycle.link_states(view.result, trap_story.withdrawer, trap_story.pursuer)
    days = _page_module().scene_days(trap_story, view)
    assert len(at.select_slider(key="ws_day_3").options) == len(days)
    shown = set()
    for day in days[::4]:
        at.select_slider(key="ws_day_3").set_value(day).run()
        active = int(links[int(round(day / view.result.dt))])
        expected = cycle.describe(active, trap_story.names(), trap_story.withdrawer, trap_story.pursuer, "en")
        assert at.main.caption[-1].value == text("cycle_now", "en", text=expected)
        shown.add(active)
    assert len(shown) >= 3
