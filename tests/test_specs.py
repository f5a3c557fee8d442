"""The declarations every input is checked against (sim.specs) and who reads them."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import sim
from sim.events import EVENT_FIELDS
from sim.interventions import INTERVENTION_FIELDS
from sim.limits import DURATION, RUN_FIELDS
from sim.partners import COUPLE_PARAMS, NAME_FIELD, PARTNER_PARAMS, PARTNER_SCORES, WHO_FIELD
from sim.scenario import LANG_FIELD, load_scenario, scenario_schema
from sim.specs import CODES, ChoiceSpec, InputError, ParamSpec, TextSpec, check_choice, check_text, check_value
from ui import i18n, query

ALL_FIELDS = {**{f"partner.{k}": s for k, s in {**PARTNER_SCORES, **PARTNER_PARAMS}.items()},
              **{f"couple.{k}": s for k, s in COUPLE_PARAMS.items()}, **RUN_FIELDS,
              **{f"event.{k}": s for k, s in EVENT_FIELDS.items()},
              **{f"intervention.{k}": s for k, s in INTERVENTION_FIELDS.items()}}
WHOLE = ParamSpec(low=1, high=10, unit="step", whole=True, label={"en": "n", "nl": "n"}, help={"en": "", "nl": ""})
REAL = ParamSpec(low=0.0, high=1.0, unit="1", label={"en": "x", "nl": "x"}, help={"en": "", "nl": ""})


@pytest.mark.parametrize(("spec", "value", "code"), [
    (REAL, "0.5", "wrong_type"), (REAL, True, "wrong_type"), (REAL, None, "wrong_type"), (REAL, [0.5], "wrong_type"),
    (REAL, math.nan, "not_finite"), (REAL, -math.inf, "not_finite"), (REAL, 10**400, "out_of_range"),
    (REAL, 1.0000001, "out_of_range"), (REAL, -1, "out_of_range"),
    (WHOLE, 2.0, "wrong_type"), (WHOLE, "3", "wrong_type"), (WHOLE, False, "wrong_type"),
    (WHOLE, 0, "out_of_range"), (WHOLE, 10**400, "out_of_range"),
])
def test_a_bad_value_is_an_input_error_with_a_stable_code(spec, value, code):
    with pytest.raises(InputError) as err:
        check_value("thing", value, spec)
    assert (err.value.field, err.value.code) == ("thing", code) and code in CODES
    assert str(err.value).startswith("thing must be") and len(str(err.value)) < 200


def test_good_values_come_back_as_float_or_int():
    assert check_value("x", np.float32(0.5), REAL) == 0.5 and type(check_value("x", 1, REAL)) is float
    assert check_value("n", np.int64(3), WHOLE) == 3 and type(check_value("n", np.int64(3), WHOLE)) is int


def test_a_narrowed_declaration_can_never_be_wider():
    assert REAL.narrowed(high=0.5).high == 0.5 and REAL.narrowed(high=0.5).label == REAL.label
    for bad in ({"low": -0.1}, {"high": 2.0}, {"low": 0.6, "high": 0.5}):
        with pytest.raises(ValueError, match="not inside"):
            REAL.narrowed(**bad)


@pytest.mark.parametrize("name", list(query.PAGE_FIELDS))
def test_what_the_page_offers_lies_inside_the_declaration(name):
    page = query.PAGE_FIELDS[name]
    declared = {**RUN_FIELDS, "days": DURATION, **EVENT_FIELDS, **INTERVENTION_FIELDS}[name]
    assert declared.low <= page.low <= page.high <= declared.high
    assert (page.unit, page.label, page.help, page.whole) == (declared.unit, declared.label, declared.help,
                                                              declared.whole)


@pytest.mark.parametrize("name", list(ALL_FIELDS))
def test_every_declaration_has_both_languages_and_a_sound_range(name):
    spec = ALL_FIELDS[name]
    assert spec.low <= spec.high and math.isfinite(spec.low) and math.isfinite(spec.high)
    assert spec.label["en"] and spec.label["nl"] and spec.help["en"] and spec.help["nl"]


def test_the_schema_states_every_declared_range():
    """The scenario format's schema is built from the declarations: each field's range is the declared one."""
    props = scenario_schema()["properties"]
    places = {**{k: props["couple"]["properties"]["a"]["properties"][k] for k in {**PARTNER_SCORES, **PARTNER_PARAMS}},
              **{k: props["couple"]["properties"][k] for k in COUPLE_PARAMS}, **{k: props[k] for k in RUN_FIELDS},
              "at": props["events"]["items"]["properties"]["at"],
              "size": props["events"]["items"]["properties"]["size"]["anyOf"][0],
              **{k: props["interventions"]["items"]["properties"][k] for k in INTERVENTION_FIELDS}}
    for name, spec in {**PARTNER_SCORES, **PARTNER_PARAMS, **COUPLE_PARAMS, **RUN_FIELDS, **EVENT_FIELDS,
                       **INTERVENTION_FIELDS}.items():
        assert (places[name]["minimum"], places[name]["maximum"]) == (spec.low, spec.high), name
        assert places[name]["type"] == ("integer" if spec.whole else "number"), name
    json.dumps(scenario_schema(), allow_nan=False)  # the schema itself is plain JSON


@pytest.mark.parametrize(("name", "value"), [("steps", 0), ("dt", 2.0), ("random_events", 11.0), ("seed", -1)])
def test_the_api_and_the_scenario_refuse_the_same_run_setting_with_the_same_code(name, value):
    with pytest.raises(InputError) as api:
        sim.simulate(**{name: value})
    with pytest.raises(sim.ScenarioError) as file:
        sim.Scenario(**{name: value})
    assert (api.value.field, api.value.code) == (file.value.field, file.value.code) == (name, "out_of_range")


# --- words: a name, who does an intervention, the language --------------------------------------

WORD = ChoiceSpec(choices=("x", "y"), label={"en": "w", "nl": "w"}, help={"en": "", "nl": ""})
TEXT = TextSpec(max_length=3, label={"en": "t", "nl": "t"}, help={"en": "", "nl": ""})


@pytest.mark.parametrize(("check", "spec", "value", "code"), [
    (check_text, TEXT, 5, "wrong_type"), (check_text, TEXT, None, "wrong_type"),
    (check_text, TEXT, "abcd", "out_of_range"), (check_text, TEXT, "a\ud800", "wrong_type"),
    (check_choice, WORD, "z", "unknown_value"), (check_choice, WORD, "X", "unknown_value"),
    (check_choice, WORD, 1, "wrong_type"), (check_choice, WORD, ["x"], "wrong_type"),
])
def test_a_bad_word_is_an_input_error_with_a_stable_code(check, spec, value, code):
    with pytest.raises(InputError) as err:
        check("field", value, spec)
    assert (err.value.field, err.value.code) == ("field", code) and code in CODES
    assert check("field", "abc" if spec is TEXT else "y", spec) == ("abc" if spec is TEXT else "y")


def test_a_text_declaration_narrows_but_never_widens():
    assert NAME_FIELD.narrowed(max_length=10).max_length == 10
    assert query.PAGE_NAME.max_length <= NAME_FIELD.max_length and query.PAGE_NAME.label == NAME_FIELD.label
    for bad in (0, NAME_FIELD.max_length + 1):
        with pytest.raises(ValueError, match="declared limit"):
            NAME_FIELD.narrowed(max_length=bad)


@pytest.mark.parametrize("spec", [NAME_FIELD, WHO_FIELD, LANG_FIELD], ids=["name", "who", "lang"])
def test_every_word_declaration_has_both_languages(spec):
    assert spec.label["en"] and spec.label["nl"] and spec.help["en"] and spec.help["nl"]


def test_the_schema_the_pages_and_the_catalogs_take_their_words_from_the_declarations():
    props = scenario_schema()["properties"]
    assert props["lang"]["enum"] == list(LANG_FIELD.choices) == list(i18n.LANGS) == list(sim.scenario.LANGS)
    assert props["interventions"]["items"]["properties"]["who"]["enum"] == list(WHO_FIELD.choices)
    assert props["couple"]["properties"]["a"]["properties"]["name"]["maxLength"] == NAME_FIELD.max_length
    for lang in LANG_FIELD.choices:
        assert (i18n.LOCALES / f"app.{lang}.json").is_file() and (i18n.LOCALES / f"workshop.{lang}.json").is_file()


@pytest.mark.parametrize(("where", "value", "field", "code"), [
    ("name", "x" * (NAME_FIELD.max_length + 1), "couple.a.name", "out_of_range"),
    ("name", 7, "couple.a.name", "wrong_type"),
    ("who", "c", "interventions[0].who", "unknown_value"),
    ("lang", "fr", "lang", "unknown_value"),
])
def test_the_api_and_a_scenario_file_refuse_the_same_word_with_the_same_code(where, value, field, code):
    doc: dict = {"format": "attract-repel-scenario", "version": 2}
    with pytest.raises(InputError) as api:
        if where == "name":
            sim.Partner(name=value)
        elif where == "who":
            sim.Intervention("safety", who=value)
        else:
            sim.Scenario(lang=value)
    if where == "name":
        doc["couple"] = {"a": {"name": value}}
    elif where == "who":
        doc["interventions"] = [{"kind": "safety", "who": value}]
    else:
        doc["lang"] = value
    with pytest.raises(sim.ScenarioError) as file:
        load_scenario(json.dumps(doc))
    assert api.value.code == file.value.code == code and file.value.field == field
