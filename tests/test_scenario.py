"""Tests of sim/scenario.py: the versioned scenario format, its exact round trip and its errors.

The strategies here (``scenarios()``, ``partners()``) build valid scenarios from the field
metadata; ``tests/test_fuzz.py`` reuses them.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.limits import MAX_DT, MAX_RANDOM_EVENTS, MAX_RANDOM_RATE, MAX_STEPS, MIN_DT
from sim.partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, ParamSpec
from sim.scenario import (
    ERROR_CODES,
    FORMAT,
    MAX_BYTES,
    MAX_ITEMS,
    MIGRATIONS,
    VERSION,
    Scenario,
    ScenarioError,
    field_table,
    load_scenario,
    save_scenario,
    scenario_schema,
    upgrade,
)
from sim.specs import InputError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "scenario_format.md"


# --- strategies: valid scenarios, from the metadata ---------------------------------------------


def in_spec(spec: ParamSpec) -> st.SearchStrategy[float]:
    """Any float in the spec's range, its ends included."""
    return st.one_of(st.sampled_from([spec.low, spec.high]),
                     st.floats(spec.low, spec.high, allow_nan=False, allow_infinity=False))


@st.composite
def partners(draw: st.DrawFn, name: str = "A") -> sim.Partner:
    """A partner with any scores, any subset of expert overrides and any name up to 60 characters."""
    values = {key: draw(in_spec(spec)) for key, spec in PARTNER_SCORES.items()}
    chosen = draw(st.lists(st.sampled_from(list(PARTNER_PARAMS)), unique=True, max_size=len(PARTNER_PARAMS)))
    values.update({key: draw(in_spec(PARTNER_PARAMS[key])) for key in chosen})
    partner_name = draw(st.one_of(st.just(name), st.text(max_size=60)))
    return sim.Partner(name=partner_name, **values)


@st.composite
def couples(draw: st.DrawFn) -> sim.Couple:
    values = {key: draw(in_spec(spec)) for key, spec in COUPLE_PARAMS.items()}
    return sim.Couple(a=draw(partners("A")), b=draw(partners("B")), **values)


events = st.builds(sim.Event, st.sampled_from(list(sim.EVENT_KINDS)),
                   at=st.floats(0.0, 1e6), size=st.one_of(st.none(), st.floats(0.0, 5.0)))
interventions = st.builds(sim.Intervention, st.sampled_from(list(sim.INTERVENTION_KINDS)),
                          start=st.floats(0.0, 1e6), who=st.sampled_from(["both", "a", "b"]),
                          strength=st.floats(0.0, 1.0))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Any valid scenario (every field anywhere in its range; random triggers within the run's cap)."""
    steps, dt = draw(st.integers(1, MAX_STEPS)), draw(st.floats(MIN_DT, MAX_DT))
    return Scenario(
        couple=draw(st.one_of(st.sampled_from(list(sim.PRESETS.values())), couples())),
        events=tuple(draw(st.lists(events, max_size=5))),
        interventions=tuple(draw(st.lists(interventions, max_size=5))),
        random_events=draw(st.floats(0.0, min(MAX_RANDOM_RATE, 0.999 * MAX_RANDOM_EVENTS / (steps * dt)))),
        seed=draw(st.integers(0, 2**63 - 1)),
        steps=steps,
        dt=dt,
        lang=draw(st.sampled_from(["en", "nl"])),
    )


def trap() -> Scenario:
    """The classic trap with an intimate moment, coaching for the pursuer and a Dutch page."""
    return Scenario(couple=sim.PRESETS["anxious-avoidant"], events=(sim.Event("intimate_moment", at=12.0),),
                    interventions=(sim.Intervention("coaching", start=40.0, who="a", strength=0.5),),
                    seed=7, lang="nl")


def doc(**changes: Any) -> dict[str, Any]:
    """The trap as a current (version 2) document, with top-level keys changed."""
    data = trap().to_dict()
    data.update(changes)
    return data


def error_of(source: Any) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(source)
    assert isinstance(info.value, ValueError)
    assert info.value.code in ERROR_CODES
    assert str(info.value).startswith(f"{info.value.field}: ")
    return info.value


# --- round trips --------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_round_trip_is_exact(scenario: Scenario) -> None:
    """Saving and loading gives the same scenario, and saving that again gives the same text."""
    text = save_scenario(scenario)
    back = load_scenario(text)
    assert back == scenario
    assert save_scenario(back) == text
    assert load_scenario(text.encode("utf-8")) == scenario
    assert Scenario.from_dict(json.loads(text)) == scenario
    assert back.couple.a.overrides() == scenario.couple.a.overrides()
    assert back.couple.b.overrides() == scenario.couple.b.overrides()


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    """save_scenario(s, path) writes the same text it returns; load_scenario(Path) reads it back."""
    path = tmp_path / "trap.json"
    text = save_scenario(trap(), path)
    assert path.read_text(encoding="utf-8") == text
    assert load_scenario(path) == trap()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trap.json"], "no temporary file is left behind"


def test_save_replaces_a_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    save_scenario(Scenario(couple=sim.PRESETS["secure"]), path)
    save_scenario(trap(), path)
    assert load_scenario(path) == trap()


def test_overrides_stay_overrides() -> None:
    """An expert override is written back as itself; a derived value is not written at all."""
    couple = sim.Couple(a=sim.Partner(name="Ann", anxiety=0.7, alarm_lag=20.0), b=sim.Partner(name="Bo"))
    data = json.loads(save_scenario(Scenario(couple=couple)))
    assert data["couple"]["a"] == {"name": "Ann", "anxiety": 0.7, "avoidance": 0.2, "alarm_lag": 20.0}
    assert data["couple"]["b"] == {"name": "Bo", "anxiety": 0.2, "avoidance": 0.2}


def test_file_is_readable_json_with_unicode_names() -> None:
    couple = sim.Couple(a=sim.Partner(name="Zoë 💛"), b=sim.Partner(name="Jan-Willem"))
    text = save_scenario(Scenario(couple=couple))
    assert "Zoë 💛" in text, "names are written as text, not escaped"
    assert json.loads(text)["format"] == FORMAT and json.loads(text)["version"] == VERSION
    assert load_scenario(text).couple.a.name == "Zoë 💛"


def test_byte_order_mark_is_accepted() -> None:
    assert load_scenario(b"\xef\xbb\xbf" + save_scenario(trap()).encode()) == trap()


def test_missing_optional_keys_take_their_defaults() -> None:
    s = load_scenario(json.dumps({"format": FORMAT, "version": VERSION}))
    assert s == Scenario()
    b_only = load_scenario(json.dumps({"format": FORMAT, "version": VERSION, "couple": {"b": {"anxiety": 0.9}}}))
    assert (b_only.couple.a.name, b_only.couple.b.name) == ("A", "B")
    event = load_scenario(json.dumps(doc(events=[{"kind": "conflict"}]))).events[0]
    assert (event.at, event.size) == (10.0, sim.EVENT_KINDS["conflict"].default_size)


def test_run_kwargs_reproduce_the_run() -> None:
    """A loaded scenario runs exactly as the scenario it was saved from."""
    s = load_scenario(save_scenario(Scenario(couple=sim.PRESETS["anxious-avoidant"], random_events=0.2, seed=3)))
    a = sim.simulate(s.couple, **s.run_kwargs())
    b = sim.simulate(sim.PRESETS["anxious-avoidant"], random_events=0.2, seed=3)
    assert a.verdict == b.verdict
    assert a.closeness.tolist() == b.closeness.tolist()


def test_documented_examples_load() -> None:
    """The examples in docs/scenario_format.md (current, version 1, version 0) are valid scenarios."""
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    assert [json.loads(b)["version"] for b in blocks] == [VERSION, 1, 0]
    current = load_scenario(blocks[0])
    assert current.couple.b.alarm_lag == 1.0 and current.interventions[0].kind == "safety"
    first_model = load_scenario(blocks[1])
    assert first_model.couple.a == current.couple.a, "the energy overrides are dropped"
    assert first_model.couple.b == current.couple.b and first_model.couple.fear_ceiling == 2.0
    old = load_scenario(blocks[2])
    assert old.couple.a == current.couple.a
    assert old.couple.b == sim.Partner(name="B", anxiety=0.15, avoidance=0.75), "version 0 had no overrides"
    assert (old.steps, old.dt, old.events, old.interventions) == (2000, 0.1, current.events, current.interventions)


def test_docs_show_the_ranges_the_loader_enforces() -> None:
    """The field table in the docs is the one generated from the metadata (regenerate with field_table())."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("<!-- field table: begin -->\n")[1].split("\n<!-- field table: end -->")[0]
    assert table == field_table()


# --- every error class --------------------------------------------------------------------------

BAD_DOCUMENTS = [
    # (what is wrong, document, expected field, expected code)
    ("unknown top key", doc(colour="red"), "colour", "unknown_key"),
    ("unknown partner key (a typo)", doc(couple={"a": {"anxeity": 0.5}}), "couple.a.anxeity", "unknown_key"),
    ("unknown event key", doc(events=[{"kind": "stress", "when": 3}]), "events[0].when", "unknown_key"),
    ("unknown intervention key", doc(interventions=[{"kind": "safety", "by": "a"}]), "interventions[0].by",
     "unknown_key"),
    ("couple as list", doc(couple=[]), "couple", "wrong_type"),
    ("partner as text", doc(couple={"a": "Ann"}), "couple.a", "wrong_type"),
    ("score as text", doc(couple={"a": {"anxiety": "high"}}), "couple.a.anxiety", "wrong_type"),
    ("score as bool", doc(couple={"b": {"avoidance": True}}), "couple.b.avoidance", "wrong_type"),
    ("override as null", doc(couple={"a": {"alarm_lag": None}}), "couple.a.alarm_lag", "wrong_type"),
    ("name as number", doc(couple={"a": {"name": 5}}), "couple.a.name", "wrong_type"),
    ("events as object", doc(events={"kind": "stress"}), "events", "wrong_type"),
    ("event as list", doc(events=[["stress", 3]]), "events[0]", "wrong_type"),
    ("steps as float", doc(steps=2000.0), "steps", "wrong_type"),
    ("seed as text", doc(seed="42"), "seed", "wrong_type"),
    ("dt as text", doc(dt="0.1"), "dt", "wrong_type"),
    ("lang as list", doc(lang=["en"]), "lang", "wrong_type"),
    ("version as text", doc(version="2"), "version", "wrong_type"),
    ("score too high", doc(couple={"a": {"anxiety": 1.5}}), "couple.a.anxiety", "out_of_range"),
    ("override too low", doc(couple={"b": {"responsiveness": 0.0}}), "couple.b.responsiveness", "out_of_range"),
    ("first model's override", doc(couple={"a": {"despair_rate": 5.0}}), "couple.a.despair_rate", "unknown_key"),
    ("couple parameter too high", doc(couple={"fear_ceiling": 11}), "couple.fear_ceiling", "out_of_range"),
    ("name too long", doc(couple={"a": {"name": "x" * 61}}), "couple.a.name", "out_of_range"),
    ("event before day 0", doc(events=[{"kind": "stress", "at": -1}]), "events[0].at", "out_of_range"),
    ("event too big", doc(events=[{"kind": "stress", "size": 5.5}]), "events[0].size", "out_of_range"),
    ("strength above 1", doc(interventions=[{"kind": "safety", "strength": 2}]), "interventions[0].strength",
     "out_of_range"),
    ("start before day 0", doc(interventions=[{"kind": "safety", "start": -0.5}]), "interventions[0].start",
     "out_of_range"),
    ("negative seed", doc(seed=-1), "seed", "out_of_range"),
    ("seed too large", doc(seed=2**63), "seed", "out_of_range"),
    ("no steps", doc(steps=0), "steps", "out_of_range"),
    ("too many steps", doc(steps=MAX_STEPS + 1), "steps", "out_of_range"),
    ("dt zero", doc(dt=0), "dt", "out_of_range"),
    ("dt above a day", doc(dt=1.5), "dt", "out_of_range"),
    ("random rate too high", doc(random_events=11), "random_events", "out_of_range"),
    ("dt below the smallest step", doc(dt=5e-324), "dt", "out_of_range"),
    ("too many random triggers for one run", doc(steps=MAX_STEPS, dt=1.0, random_events=10), "random_events",
     "out_of_range"),
    ("huge integer", doc(couple={"fading": 10**400}), "couple.fading", "out_of_range"),
    ("event kind unknown", doc(events=[{"kind": "party"}]), "events[0].kind", "unknown_value"),
    ("intervention who unknown", doc(interventions=[{"kind": "safety", "who": "ab"}]), "interventions[0].who",
     "unknown_value"),
    ("intervention kind unknown", doc(interventions=[{"kind": "therapy"}]), "interventions[0].kind",
     "unknown_value"),
    ("lang unknown", doc(lang="fr"), "lang", "unknown_value"),
    ("event without kind", doc(events=[{"at": 3}]), "events[0].kind", "missing"),
    ("intervention without kind", doc(interventions=[{"who": "a"}]), "interventions[0].kind", "missing"),
    ("too many events", doc(events=[{"kind": "stress"}] * (MAX_ITEMS + 1)), "events", "too_deep"),
    ("nested too deeply", doc(couple={"a": {"name": [[["x"]]]}}), "couple.a.name[0][0]", "too_deep"),
    ("not a scenario", doc(format="some-other-tool"), "format", "not_scenario"),
    ("format missing", {k: v for k, v in doc().items() if k != "format"}, "format", "not_scenario"),
    ("version missing", {k: v for k, v in doc().items() if k != "version"}, "version", "missing"),
    ("version from the future", doc(version=VERSION + 1), "version", "version"),
    ("version unknown", doc(version=-1), "version", "version"),
]


@pytest.mark.parametrize(("what", "document", "where", "code"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_bad_document_names_the_field(what: str, document: dict[str, Any], where: str, code: str) -> None:
    err = error_of(json.dumps(document))
    assert (err.field, err.code) == (where, code), str(err)
    assert len(str(err)) < 400, "messages stay short whatever the input"


@pytest.mark.parametrize(("text", "where", "code"), [
    ('{"format": "attract-repel-scenario", "version": 2, "dt": NaN}', "dt", "not_finite"),
    ('{"format": "attract-repel-scenario", "version": 2, "random_events": Infinity}', "random_events",
     "not_finite"),
    ('{"format": "attract-repel-scenario", "version": 2, "couple": {"a": {"anxiety": -Infinity}}}',
     "couple.a.anxiety", "not_finite"),
    ('{"format": "attract-repel-scenario", "version": 2, "couple": {"fading": 1e999}}', "couple.fading",
     "not_finite"),
    ('{"format": "attract-repel-scenario", "version": 2, "seed": ' + "9" * 5000 + "}", "seed", "out_of_range"),
    ('{"format": "attract-repel-scenario", "version": 2, "seed": 1, "seed": 2}', "seed", "not_json"),
    ('{"format": "attract-repel-scenario", "version": 2, "couple": {"a": {"name": "x", "name": "y"}}}',
     "couple.a.name", "not_json"),
    ('{"format": "attract-repel-scenario", "version": 2, "events": [{"kind": "stress", "at": 1, "at": 2}]}',
     "events[0].at", "not_json"),
    ('{"format": "attract-repel-scenario", "version": 2, "couple": {"a": {"name": "\\ud800"}}}',
     "couple.a.name", "wrong_type"),
    ('{"format": "attract-repel-scenario", "version": 2,}', "scenario", "not_json"),
    ("", "scenario", "not_json"),
    ("null", "scenario", "wrong_type"),
    ("[1, 2]", "scenario", "wrong_type"),
    ('"a scenario"', "scenario", "wrong_type"),
    ("<html>not json</html>", "scenario", "not_json"),
    ("[" * 100_000, "scenario", "too_deep"),
    ('{"a":' * 50_000 + "1" + "}" * 50_000, "scenario", "too_deep"),
])
def test_bad_text_names_the_field(text: str, where: str, code: str) -> None:
    err = error_of(text)
    assert (err.field, err.code) == (where, code), str(err)
    assert len(str(err)) < 400


def test_over_one_megabyte_is_refused_before_parsing(tmp_path: Path) -> None:
    padding = " " * MAX_BYTES
    big = save_scenario(trap()).replace("{", "{" + padding, 1)
    assert error_of(big).code == "too_large"
    assert error_of(big.encode()).code == "too_large"
    path = tmp_path / "big.json"
    path.write_text(big, encoding="utf-8")
    assert error_of(path).code == "too_large"
    wide = "{" + " " * (MAX_BYTES // 2) + "}" + "é" * (MAX_BYTES // 4)  # fewer characters than bytes
    assert error_of(wide).code == "too_large"


def test_just_under_the_limit_loads() -> None:
    text = save_scenario(trap())
    padded = text.replace("{", "{" + " " * (MAX_BYTES - len(text.encode())), 1)
    assert len(padded.encode()) == MAX_BYTES
    assert load_scenario(padded) == trap()


@pytest.mark.parametrize("source", [b"\xff\xfe{}", b"\x00\x01\x02", bytes(range(256))])
def test_binary_is_refused(source: bytes) -> None:
    assert error_of(source).field == "scenario"


@pytest.mark.parametrize("source", [42, None, 1.5, ["{}"], {"format": FORMAT}])
def test_wrong_source_type_is_a_value_error(source: Any) -> None:
    assert error_of(source).code == "wrong_type"


def test_unreadable_paths_are_value_errors(tmp_path: Path) -> None:
    assert error_of(tmp_path / "absent.json").code == "not_json"
    assert error_of(tmp_path).code == "not_json"


def test_direct_construction_is_validated() -> None:
    """A Scenario cannot hold what a file could not: so every Scenario saves and loads back."""
    with pytest.raises(ScenarioError, match="^couple:"):
        Scenario(couple="anxious-avoidant")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match=r"^events\[0\]:"):
        Scenario(events=("conflict",))  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="^lang:"):
        Scenario(lang="de")
    with pytest.raises(ScenarioError, match="^seed:"):
        Scenario(seed=-3)
    with pytest.raises(ScenarioError, match="^dt:"):
        Scenario(dt=math.nan)
    with pytest.raises(ScenarioError, match="^steps:"):
        Scenario(steps=True)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="^name is not valid Unicode") as bad_name:
        sim.Partner(name="\ud800")  # a partner cannot hold a name no file could
    assert (bad_name.value.field, bad_name.value.code) == ("name", "wrong_type")
    with pytest.raises(ScenarioError, match="^scenario:"):
        save_scenario({"format": FORMAT})  # type: ignore[arg-type]
    assert Scenario(dt=1).dt == 1.0 and isinstance(Scenario(dt=1).dt, float)


# --- older versions -----------------------------------------------------------------------------

V0 = {
    "version": 0,
    "partners": [{"name": "Mira", "anxiety": 0.75, "avoidance": 0.15},
                 {"name": "Tom", "anxiety": 0.15, "avoidance": 0.75}],
    "fading": 0.4,
    "events": [{"kind": "intimate_moment", "day": 10.0}],
    "interventions": [{"kind": "safety", "day": 30.0, "who": "b", "strength": 0.5}],
    "seed": 5,
    "days": 150,
    "dt": 0.05,
    "language": "nl",
}


def test_version_0_is_upgraded() -> None:
    """A pre-release file (partners as a list, days, 'day', 'language') loads as the same scenario."""
    s = load_scenario(json.dumps(V0))
    assert s == Scenario(
        couple=sim.Couple(a=sim.Partner(name="Mira", anxiety=0.75, avoidance=0.15),
                          b=sim.Partner(name="Tom", anxiety=0.15, avoidance=0.75), fading=0.4),
        events=(sim.Event("intimate_moment", at=10.0),),
        interventions=(sim.Intervention("safety", start=30.0, who="b", strength=0.5),),
        seed=5, steps=3000, dt=0.05, lang="nl")
    assert json.loads(save_scenario(s))["version"] == VERSION, "saving converts to the current version"
    assert upgrade(json.loads(json.dumps(V0)))["steps"] == 3000
    assert set(MIGRATIONS) == set(range(0, VERSION))


def test_version_0_with_the_format_marker_and_defaults() -> None:
    s = load_scenario(json.dumps({"format": FORMAT, "version": 0}))
    assert s == Scenario(couple=sim.Couple(a=sim.Partner(name="A"), b=sim.Partner(name="B")))


@pytest.mark.parametrize(("change", "where", "code"), [
    ({"days": 12.345}, "days", "version"),
    ({"days": 0}, "days", "out_of_range"),
    ({"days": 1e9}, "days", "out_of_range"),
    ({"partners": [{"name": "solo"}]}, "partners", "out_of_range"),
    ({"partners": [{"name": "A", "alarm_lag": 1.0}, {}]}, "partners[0].alarm_lag", "unknown_key"),
    ({"partners": [{"name": "A"}, {"anxiety": 2}]}, "partners[1].anxiety", "out_of_range"),
    ({"events": [{"kind": "stress", "day": -2}]}, "events[0].day", "out_of_range"),
    ({"events": [{"kind": "stress", "at": 2}]}, "events[0]", "unknown_key"),
    ({"interventions": [{"kind": "safety", "day": "soon"}]}, "interventions[0].day", "wrong_type"),
    ({"language": "de"}, "language", "unknown_value"),
    ({"closeness0": -1}, "closeness0", "out_of_range"),
    ({"couple": {}}, "couple", "unknown_key"),
])
def test_version_0_errors_name_the_old_field(change: dict[str, Any], where: str, code: str) -> None:
    """An old file that cannot be read says why, in the old file's own field names."""
    err = error_of(json.dumps({**V0, **change}))
    assert (err.field, err.code) == (where, code), str(err)


def test_version_0_duration_that_cannot_convert_says_why() -> None:
    err = error_of(json.dumps({**V0, "days": 12.345, "dt": 0.1}))
    assert "not a whole number of steps" in err.reason and "cannot be converted exactly" in err.reason


# --- version 1: the first model's files ---------------------------------------------------------

V1 = """
{
  "format": "attract-repel-scenario",
  "version": 1,
  "couple": {
    "a": {"name": "Mira", "anxiety": 0.75, "avoidance": 0.15, "despair_rate": 3.75, "recovery_time": 7.5},
    "b": {"name": "Tom", "anxiety": 0.15, "avoidance": 0.75, "alarm_lag": 2.75, "recovery_time": 12.0,
          "closeness_alarm": 4.0},
    "closeness0": 1.2,
    "fading": 0.5,
    "fear_ceiling": 2.0
  },
  "events": [{"kind": "intimate_moment", "at": 10.0, "size": 1.5}],
  "interventions": [{"kind": "coaching", "start": 40.0, "who": "a", "strength": 0.5}],
  "random_events": 0.1,
  "seed": 7,
  "steps": 2000,
  "dt": 0.1,
  "lang": "nl"
}
"""
"""A file as the first model wrote it: energy overrides (despair_rate, recovery_time), an alarm lag, and
the first model's fear ceiling of 2 written out."""


def test_version_1_loads_without_the_energy_and_keeps_everything_else() -> None:
    s = load_scenario(V1)
    assert s == Scenario(
        couple=sim.Couple(a=sim.Partner(name="Mira", anxiety=0.75, avoidance=0.15),
                          b=sim.Partner(name="Tom", anxiety=0.15, avoidance=0.75, alarm_lag=2.75, closeness_alarm=4.0),
                          closeness0=1.2, fading=0.5, fear_ceiling=2.0),
        events=(sim.Event("intimate_moment", at=10.0, size=1.5),),
        interventions=(sim.Intervention("coaching", start=40.0, who="a", strength=0.5),),
        random_events=0.1, seed=7, steps=2000, dt=0.1, lang="nl")
    assert s.couple.a.overrides() == {} and s.couple.b.overrides() == {"closeness_alarm": 4.0, "alarm_lag": 2.75}
    saved = json.loads(save_scenario(s))
    assert saved["version"] == VERSION == 2
    assert "despair_rate" not in saved["couple"]["a"] and "recovery_time" not in saved["couple"]["b"]
    assert saved["couple"]["fear_ceiling"] == 2.0
    assert load_scenario(save_scenario(s)) == s
    assert upgrade(json.loads(V1))["couple"]["a"] == {"name": "Mira", "anxiety": 0.75, "avoidance": 0.15}
    assert set(MIGRATIONS) == set(range(0, VERSION))


def test_version_1_without_a_fear_ceiling_gets_todays_default() -> None:
    data = json.loads(V1)
    del data["couple"]["fear_ceiling"]
    assert load_scenario(json.dumps(data)).couple.fear_ceiling == sim.Couple().fear_ceiling == 4.0


def test_the_migration_says_why_it_drops_the_energy() -> None:
    why = MIGRATIONS[1].apply.__doc__ or ""
    assert "despair_rate" in why and "recovery_time" in why and "alarm_lag" in why and "fear_ceiling" in why


@pytest.mark.parametrize(("change", "where", "code"), [
    ({"despair_rate": 31.0}, "couple.a.despair_rate", "out_of_range"),
    ({"recovery_time": 0.0}, "couple.a.recovery_time", "out_of_range"),
    ({"despair_rate": "fast"}, "couple.a.despair_rate", "wrong_type"),
    ({"recovery_time": None}, "couple.a.recovery_time", "wrong_type"),
    ({"relief": 3.0}, "couple.a.relief", "unknown_key"),
    ({"closeness_alarm": 13.0}, "couple.a.closeness_alarm", "out_of_range"),
    ({"energy": 1.0}, "couple.a.energy", "unknown_key"),
])
def test_version_1_that_was_never_valid_is_still_refused(change: dict[str, Any], where: str, code: str) -> None:
    """The dropped overrides are checked against the ranges version 1 allowed; the rest as today."""
    data = json.loads(V1)
    data["couple"]["a"].update(change)
    err = error_of(json.dumps(data))
    assert (err.field, err.code) == (where, code), str(err)


def test_version_0_is_upgraded_through_version_1() -> None:
    """A pre-release file takes both steps; its duration and names are converted as before."""
    assert load_scenario(json.dumps(V0)).to_dict()["version"] == VERSION


# --- the published JSON Schema (docs/scenario.schema.json) ---------------------------------------

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "scenario.schema.json"
LOADER_ONLY = {
    "steps as float": "a schema's integer includes 2000.0; the format asks for whole numbers without a fraction",
    "too many random triggers for one run": "the cap is on random_events x steps x dt, across three fields",
}
"""Refusals of the loader that a JSON Schema cannot state, with the reason."""


def _validator() -> Any:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_published_schema_is_the_one_the_declarations_give() -> None:
    """docs/scenario.schema.json is written by sim.scenario.scenario_schema(); run it again after a change."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == scenario_schema()


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_scenario_this_program_writes_passes_the_schema(scenario: Scenario) -> None:
    errors = list(_validator().iter_errors(json.loads(save_scenario(scenario))))
    assert errors == [], errors[0].message if errors else ""


@pytest.mark.parametrize(("what", "document", "where", "code"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_the_schema_refuses_what_the_loader_refuses(what: str, document: Any, where: str, code: str) -> None:
    valid = _validator().is_valid(document)
    assert valid == (what in LOADER_ONLY), what


def test_a_file_name_given_as_text_is_read_as_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``load_scenario("file.json")`` read the name as JSON text ("not valid JSON"); a name of an
    existing file is now the file, JSON text stays JSON text, and a missing file says it is not JSON."""
    made = Scenario(couple=sim.PRESETS["secure"], seed=4)
    save_scenario(made, tmp_path / "couple.json")
    monkeypatch.chdir(tmp_path)
    assert load_scenario("couple.json") == made == load_scenario(str(tmp_path / "couple.json"))
    assert load_scenario(save_scenario(made)) == made
    with pytest.raises(ScenarioError) as missing:
        load_scenario("no-such-file.json")
    assert missing.value.code == "not_json"
    (tmp_path / "{odd").write_text("not json")
    with pytest.raises(ScenarioError, match="not valid JSON"):
        load_scenario("{odd")  # text that starts like an object is never a file name
