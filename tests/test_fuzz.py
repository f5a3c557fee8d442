"""Fuzzing every way a scenario enters: the loader, the page's upload, its URL parameters, the page itself.

Hypothesis generates documents (arbitrary JSON, valid scenarios with one part mutated, raw bytes)
and query strings. The properties: the loader raises nothing but ``ScenarioError`` naming a field;
the upload and URL handlers of the page never raise and say why they refused or repaired
something; the running page (``AppTest``) never shows an exception and shows a notice for bad
input. Budget: the loader-level tests together run more than 1,000 examples; the page-level ones
about 30.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from test_scenario import scenarios

import sim
from sim.partners import PARTNER_PARAMS
from sim.scenario import ERROR_CODES, FORMAT, MAX_BYTES, Scenario, ScenarioError, load_scenario, save_scenario
from ui.files import scenario_from_upload
from ui.i18n import catalog, t
from ui.query import fit_to_page, scenario_from_query, scenario_to_query

FAST = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
KEYS = ["format", "version", "couple", "events", "interventions", "random_events", "seed", "steps", "dt", "lang",
        "a", "b", "name", "anxiety", "avoidance", "alarm_lag", "move_lag", "closeness0", "fading", "fear_ceiling",
        "kind", "at", "size", "start", "who", "strength", "partners", "days", "language", "day", "relief",
        "doubt_threshold", "doubt_time", "despair_rate", "recovery_time"]
"""Keys of every version, so that generated objects often look like (parts of) a scenario."""

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(), st.floats(-2.0, 12.0), st.text(max_size=20), st.sampled_from([FORMAT, "en", "nl", "both", "a",
                                                                              "conflict", "coaching", "x" * 61]),
)
json_values = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=6),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=6)),
    max_leaves=25,
)


def check_loader(source: str | bytes) -> Scenario | None:
    """Load ``source``: a Scenario that round-trips, or a ScenarioError that names a field; nothing else."""
    try:
        scenario = load_scenario(source)
    except ScenarioError as err:
        assert isinstance(err, ValueError)
        assert err.code in ERROR_CODES
        assert err.field and str(err) == f"{err.field}: {err.reason}"
        assert len(str(err)) < 600, "messages stay short whatever the input"
        return None
    assert load_scenario(save_scenario(scenario)) == scenario
    return scenario


def dumps(value: Any) -> str:
    return json.dumps(value, allow_nan=True, ensure_ascii=False)


# --- the loader --------------------------------------------------------------------------------


@settings(max_examples=250, **FAST)
@given(json_values)
def test_loader_on_any_json(value: Any) -> None:
    check_loader(dumps(value))


@settings(max_examples=150, **FAST)
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=10))
def test_loader_on_scenario_like_objects(value: dict[str, Any]) -> None:
    """Objects with the format marker and a real version, so that parsing gets past the header."""
    check_loader(dumps({"format": FORMAT, "version": 2, **value}))
    check_loader(dumps({"format": FORMAT, "version": 1, **value}))
    check_loader(dumps({**value, "version": 0}))


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node of a parsed JSON document (keys and list indexes)."""
    out = [prefix] if prefix else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        out.extend(paths(item, (*prefix, key)))
    return out


def dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else key
    return text


@settings(max_examples=300, **FAST)
@given(scenarios(), st.data())
def test_loader_on_valid_scenarios_with_one_part_changed(scenario: Scenario, data: st.DataObject) -> None:
    """Replace, drop or add one part of a valid file: it still loads, or the error names that part."""
    doc = scenario.to_dict()
    path = data.draw(st.sampled_from(paths(doc)), label="path")
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    action = data.draw(st.sampled_from(["replace", "drop", "add"]), label="action")
    if action == "replace":
        parent[path[-1]] = data.draw(json_values, label="new value")
    elif action == "drop":
        del parent[path[-1]]
    else:
        target = parent[path[-1]]
        assume(isinstance(target, dict))
        target[data.draw(st.text(min_size=1, max_size=8), label="new key")] = data.draw(json_values, label="value")
    try:
        load_scenario(dumps(doc))
    except ScenarioError as err:
        check_loader(dumps(doc))
        if action == "replace" and path[0] != "version":
            assert err.field.startswith(dotted(path)), (err.field, dotted(path))
        return
    check_loader(dumps(doc))


@settings(max_examples=100, **FAST)
@given(st.binary(max_size=300))
def test_loader_on_bytes(raw: bytes) -> None:
    check_loader(raw)


@settings(max_examples=100, **FAST)
@given(st.text(alphabet='{}[]":,-+.0123456789eE truefalsnNaIiy\\u\n', max_size=120))
def test_loader_on_json_like_text(text: str) -> None:
    check_loader(text)


@settings(max_examples=40, **FAST)
@given(st.integers(1, 3000), st.sampled_from(["[", '{"a":', '{"couple":', "[{"]))
def test_loader_on_deep_nesting(depth: int, opener: str) -> None:
    closer = "".join({"[": "]", "{": "}"}[c] for c in reversed(opener) if c in "[{")
    check_loader(opener * depth + "1" + closer * depth)
    check_loader(opener * depth)


def test_fuzz_budget_is_at_least_one_thousand() -> None:
    """The loader-level tests above (and the page handlers below) are set to generate at least 1,000 documents."""
    budget = sum(test._hypothesis_internal_use_settings.max_examples
                 for name, test in globals().items()
                 if name.startswith("test_") and hasattr(test, "hypothesis") and "page" not in name)
    assert budget >= 1000, budget



# --- the page's upload and URL handlers (ui/files.py, ui/query.py) ------------------------------

APP_KEYS = set(catalog("app", "en")) & set(catalog("app", "nl"))


def documents() -> st.SearchStrategy[bytes]:
    """Upload contents: valid files, files with one part changed, any JSON, any bytes."""
    def changed(doc: dict[str, Any], key: str, value: Any) -> bytes:
        return dumps({**doc, key: value}).encode()

    valid = scenarios().map(lambda s: save_scenario(s).encode())
    mutated = st.builds(changed, scenarios().map(Scenario.to_dict), st.sampled_from(KEYS), json_values)
    return st.one_of(valid, mutated, json_values.map(lambda v: dumps(v).encode()), st.binary(max_size=200))


@settings(max_examples=200, **FAST)
@given(documents())
def test_upload_handler_never_raises(data: bytes) -> None:
    """Any file: a scenario the page can show, or no scenario and a notice the catalog holds."""
    scenario, notice = scenario_from_upload(data)
    assert notice is None or notice in APP_KEYS, notice
    try:
        loaded = load_scenario(data)
    except ScenarioError as err:
        wanted = "notice.upload_big" if err.code == "too_large" else f"notice.upload_bad.{err.code}"
        assert (scenario, notice) == (None, wanted), "the notice says what the loader found wrong"
        return
    fitted, changes = fit_to_page(loaded)
    assert scenario == fitted, "a valid file is never refused"
    assert notice == ("notice.upload_adjusted" if changes else None)
    assert fit_to_page(scenario) == (scenario, []), "what the page gets is within what it offers"


def test_upload_handler_refuses_large_files() -> None:
    assert scenario_from_upload(b" " * (MAX_BYTES + 1)) == (None, "notice.upload_big")


ODD = ["", " ", "nan", "NaN", "inf", "-inf", "1e999", "-1", "0x10", "1_000", " 0.5 ", "½", "١", "²", "1,5", "true",
       "null", "99999999999999999999999", "intimate_moment:10", "safety:5:both:1", "party:1:1", "coaching:x:a:1",
       ":::", ",,", "\x00", "💛", "<script>", "a" * 31, "en", "nl", "de"]
"""Values that trip parsers: unicode digits, special floats, separators, control characters."""
GARBAGE = st.one_of(st.text(max_size=30), st.sampled_from(ODD))


@st.composite
def queries(draw: st.DrawFn) -> tuple[dict[str, Any], Scenario, list[str]]:
    """Query parameters of a page scenario with 0-3 changes; also the scenario and what was changed."""
    scenario = fit_to_page(draw(scenarios()))[0]
    params: dict[str, Any] = dict(scenario_to_query(scenario))
    changes = []
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["replace", "drop", "unknown", "list"]))
        key = draw(st.sampled_from(sorted(params)))
        if action == "replace":
            params[key] = draw(GARBAGE)
        elif action == "drop":
            del params[key]
        elif action == "unknown":
            key = draw(st.text(min_size=1, max_size=10).filter(lambda k: k not in QUERY_KEYS))
            params[key] = draw(GARBAGE)
        else:
            params[key] = draw(st.lists(GARBAGE, max_size=3)) + [params[key]]
        changes.append(action)
    return params, scenario, changes


QUERY_KEYS = set(scenario_to_query(Scenario(
    couple=sim.Couple(a=sim.Partner(**{k: s.low for k, s in PARTNER_PARAMS.items()}),
                      b=sim.Partner(name="B", **{k: s.low for k, s in PARTNER_PARAMS.items()})),
    events=(sim.Event("conflict"),), interventions=(sim.Intervention("safety"),))))


def test_query_handler_on_every_key_with_every_odd_value() -> None:
    """Each parameter of a link set to each odd value: repaired or ignored, never the catch-all."""
    base = scenario_to_query(Scenario(couple=sim.PRESETS["anxious-avoidant"], events=(sim.Event("conflict"),),
                                      interventions=(sim.Intervention("safety"),)))
    failures = []
    for key in sorted(QUERY_KEYS):
        for value in ODD:
            scenario, notices = scenario_from_query({**base, key: value})
            if "notice.query_invalid" in notices or fit_to_page(scenario) != (scenario, []):
                failures.append((key, value, notices))
    assert not failures, failures[:10]


@settings(max_examples=200, **FAST)
@given(queries())
def test_query_handler_never_raises(case: tuple[dict[str, Any], Scenario, list[str]]) -> None:
    """Any link: a scenario within the page's offer, and the notices of whatever was ignored or repaired."""
    params, original, changes = case
    scenario, notices = scenario_from_query(params)
    assert isinstance(scenario, Scenario)
    assert all(key in APP_KEYS for key in notices), notices
    assert "notice.query_invalid" not in notices, "the handler's catch-all fired: an internal error was swallowed"
    assert fit_to_page(scenario) == (scenario, []), "what the page gets is within what it offers"
    if not changes:
        assert (scenario, notices) == (original, []), "a link the page made reopens the same scenario"
    if set(params) - QUERY_KEYS:
        assert "notice.query_unknown" in notices


# --- the running page (AppTest): links and uploads ----------------------------------------------

APP = Path(__file__).resolve().parents[1] / "app.py"


def page(params: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def notices_shown(at: AppTest) -> list[str]:
    return [el.value for el in (*at.warning, *at.success)]


def notice_texts() -> set[str]:
    return {text for lang in ("en", "nl") for key, text in catalog("app", lang).items() if key.startswith("notice.")}


@settings(max_examples=20, **FAST)
@given(queries())
def test_page_on_fuzzed_links(case: tuple[dict[str, Any], Scenario, list[str]]) -> None:
    """A tampered link never breaks the page, and each thing it ignored or repaired is said in a notice."""
    params, _, changes = case
    at = page(params)
    assert not at.exception, [e.value for e in at.exception]
    scenario, notices = scenario_from_query(params)
    shown = notices_shown(at)
    for key in notices:
        assert t("app", key, scenario.lang) in shown, key
    if not changes:
        assert not notice_texts() & set(shown), "a clean link shows no notice"
    assert at.text_input(key="a.name").value == scenario.couple.a.name


@pytest.fixture(scope="module")
def uploads_page() -> dict[str, AppTest]:
    """One page session that receives upload after upload, as a person trying file after file."""
    return {"at": page()}


@settings(max_examples=15, **FAST)
@given(data=documents())
def test_page_on_fuzzed_uploads(uploads_page: dict[str, AppTest], data: bytes) -> None:
    """A bad file never breaks the page and is refused with a notice; a good one is shown."""
    if uploads_page["at"].exception or not uploads_page["at"].file_uploader:
        uploads_page["at"] = page()  # an earlier example broke this session: the failure is reported there
    at = uploads_page["at"]
    before = at.text_input(key="a.name").value
    at.file_uploader(key="upload").set_value(("scenario.json", data, "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]
    scenario, notice = scenario_from_upload(data)
    lang = str(at.session_state["lang"])
    shown = notices_shown(at)
    if scenario is None:
        assert t("app", str(notice), lang) in shown
        assert at.text_input(key="a.name").value == before, "a refused file changes nothing"
    else:
        assert t("app", "notice.upload_ok", lang) in shown
        assert at.text_input(key="a.name").value == scenario.couple.a.name
