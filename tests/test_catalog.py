"""The page's language catalogs: the same keys in English and Dutch, every key used exists, and
``app.py`` shows no text of its own (every user-facing string comes from a catalog)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import sim
from sim.scenario import ERROR_CODES
from ui.i18n import LANGS, catalog
from ui.params import UNIT_KEYS

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
"""The router (app.py) and the main page (app_pages/main.py): the code of the ``app`` catalog."""
PAGE_FILES = (APP, ROOT / "app_pages" / "main.py")
UI_FILES = [ROOT / "ui" / name for name in ("query.py", "files.py", "state.py", "text.py", "params.py", "runs.py",
                                                 "chart_words.py", "help_words.py")]
LOOKUPS = {"tr", "t"}
"""Names of the catalog lookup functions in the page code."""
KEY_HELPERS = {"bound"}
"""Helpers of ``app.py`` whose string arguments are state keys, not text."""

DISPLAY = {
    "title", "header", "subheader", "markdown", "caption", "text", "write", "info", "warning", "error",
    "success", "toast", "metric", "badge", "code", "latex", "button", "download_button", "link_button",
    "slider", "select_slider", "toggle", "checkbox", "selectbox", "radio", "segmented_control", "pills",
    "multiselect", "number_input", "text_input", "text_area", "file_uploader", "expander", "tabs", "popover",
    "set_page_config", "spinner", "status", "image", "table", "dataframe", "exception", "help", "page_link", "Page",
}
"""Streamlit calls that put text on the page (as ``st.x(...)`` or ``column.x(...)``)."""
NOT_TEXT = {"key", "type", "mime", "file_name", "icon", "page_icon", "color", "format", "on_click", "on_change",
            "label_visibility", "width", "height", "gap", "vertical_alignment", "horizontal_alignment",
            "selection_mode", "layout", "output_format", "language", "args", "kwargs", "data", "delta_color",
            "url_path", "default", "position"}
"""Keyword arguments of those calls that are not shown as text."""
LETTERS = re.compile(r"[A-Za-z]{2,}")


def _keys(lang: str) -> set[str]:
    return set(catalog("app", lang))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_have_the_same_keys_and_fields() -> None:
    en, nl = catalog("app", "en"), catalog("app", "nl")
    assert set(en) == set(nl)
    for key in en:
        assert _fields(en[key]) == _fields(nl[key]), key
        assert en[key].strip() and nl[key].strip(), key


def test_dutch_is_not_a_copy_of_english() -> None:
    en, nl = catalog("app", "en"), catalog("app", "nl")
    same = {k for k in en if en[k] == nl[k] and LETTERS.search(re.sub(r"\{[^}]*\}", "", en[k]))}
    allowed = {"lang.en", "lang.nl", "share.scenario", "share.csv", "partner.heading"}
    assert same <= allowed, sorted(same - allowed)


def _literal_keys(path: Path) -> set[str]:
    """Keys passed as literals to ``tr(...)`` / ``t("app", ...)``, and notice keys in the helpers."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS:
            if node.func.id == "t" and _other_catalog(node):
                continue  # t("guide", ...) in app.py: a key of the guide's catalog (checked below)
            args = node.args[1:] if node.func.id == "t" else node.args
            if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                found.add(args[0].value)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("notice.")
              and not node.value.endswith(".")):  # "notice.x." begins a family of _dynamic_keys
            found.add(node.value)
    return found


def _other_catalog(call: ast.Call) -> bool:
    """Whether a ``t(page, key, ...)`` call names a catalog other than ``app`` as a literal."""
    return bool(call.args) and isinstance(call.args[0], ast.Constant) and call.args[0].value != "app"


def _dynamic_keys() -> set[str]:
    """Keys that ``app.py`` builds from a name (f-strings): each family over its whole domain."""
    keys = {f"lang.{code}" for code in LANGS}
    keys |= {f"preset.{name}" for name in sim.PRESETS}
    for style in ("secure", "anxious", "avoidant", "fearful"):
        keys |= {f"style.{style}", f"style.{style}.help"}
    keys |= {f"iv.{kind}.help" for kind in sim.INTERVENTION_KINDS}
    keys |= {f"verdict.short.{verdict}" for verdict in sim.VERDICTS}
    for name in ("tension", "amplitude", "period", "settle_time", "safe_share", "mean_closeness"):
        keys |= {f"metric.{name}", f"metric.{name}.help"}
    keys |= set(UNIT_KEYS.values())
    # ui/chart_words.py, by level
    for family, names in (("level", ("little", "some", "much")), ("swing", ("hardly", "little", "strongly")),
                          ("move", ("out", "away", "both", "calm")), ("fear", ("close", "left")),
                          ("fear_level", ("low", "moderate", "high")), ("doubt", ("low", "there", "tipped"))):
        keys |= {f"words.{family}.{name}" for name in names}
    # ui/help_words.py: what to try by kind and role, and the words of a run's change
    keys |= {f"helps.try.{kind}.{role}" for kind in sim.INTERVENTION_KINDS
             for role in ("withdrawer", "pursuer", "both")}
    keys |= {f"helps.badge.{name}" for name in ("none", "little", "some", "much")}
    keys |= {f"helps.amount.{name}" for name in ("little", "some", "good", "most")}
    keys |= {f"helps.whose.{name}" for name in ("alike", "own", "other", "withdrawer", "pursuer")}
    # ui/files.py: the download's columns, by the name of a column of Result.to_frame
    keys |= {f"csv.{column.removesuffix('_a').removesuffix('_b')}" for column in sim.simulate(steps=1).to_frame()}
    # ui/files.py, by the loader's error code (a file too large has its own notice)
    keys |= {f"notice.upload_bad.{code}" for code in ERROR_CODES if code != "too_large"}
    return keys


def test_every_key_the_page_uses_exists_and_every_key_is_used() -> None:
    used = _dynamic_keys()
    for path in (*PAGE_FILES, *UI_FILES):
        used |= _literal_keys(path)
    keys = _keys("en")
    assert used - keys == set(), "missing in the catalogs"
    assert keys - used == set(), "in the catalogs but never used"


def test_the_dynamic_key_families_are_the_ones_app_py_builds() -> None:
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in PAGE_FILES]
    prefixes = {node.values[0].value for tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant)
                and isinstance(node.values[0].value, str) and node.values[0].value.endswith(".")}
    families = {"lang.", "preset.", "style.", "iv.", "verdict.short.", "metric.", "c.", "open.expert.", "ev.del.",
                "a.", "b.", "helps.badge."}
    assert prefixes <= families, sorted(prefixes - families)


def _inline_text(node: ast.AST) -> list[str]:
    """String literals with words in ``node``, outside catalog lookups."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS | KEY_HELPERS:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if LETTERS.search(node.value) else []
    return [text for child in ast.iter_child_nodes(node) for text in _inline_text(child)]


def _display_calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in DISPLAY]


def test_app_py_holds_no_inline_user_facing_text() -> None:
    calls = [call for path in PAGE_FILES for call in _display_calls(ast.parse(path.read_text(encoding="utf-8")))]
    assert len(calls) > 30
    offenders = []
    for call in calls:
        shown = [*call.args, *(kw.value for kw in call.keywords if kw.arg not in NOT_TEXT)]
        offenders += [(call.lineno, call.func.attr, text) for arg in shown for text in _inline_text(arg)]
    assert offenders == []


def test_the_inline_text_check_catches_inline_text() -> None:
    tree = ast.parse('st.title("Hello there")\ncol.button(label=f"Go {x}")\nst.caption(tr("title"))\n'
                     'st.slider(tr("a"), key="a.anxiety", format="%.2f")\n')
    found = [text for call in _display_calls(tree)
             for arg in [*call.args, *(kw.value for kw in call.keywords if kw.arg not in NOT_TEXT)]
             for text in _inline_text(arg)]
    assert found == ["Hello there", "Go "]


@pytest.mark.parametrize("lang", LANGS)
def test_notice_texts_are_calm_sentences(lang: str) -> None:
    texts = catalog("app", lang)
    for key, text in texts.items():
        if key.startswith("notice."):
            assert text[0].isupper() and text.endswith("."), key
            assert "error" not in text.lower() and "traceback" not in text.lower(), key


def test_app_py_has_no_bare_strings_that_streamlit_magic_would_show() -> None:
    for path in PAGE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bare = [node.lineno for node in tree.body[1:]
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr)]
        assert bare == [], path


# --- the guided start "You and your partner": app_pages/guide.py, ui/guide.py, ui/locales/guide.*.json ---

GUIDE_PAGE = ROOT / "app_pages" / "guide.py"
GUIDE_UI = ROOT / "ui" / "guide.py"
GUIDE_LOOKUPS = {"tr", "text"}
"""Names of the guide's lookups: ``tr(key, ...)`` in the page, ``text(key, lang, ...)`` in ``ui/guide.py``."""


def test_both_guide_catalogs_have_the_same_keys_and_fields() -> None:
    en, nl = catalog("guide", "en"), catalog("guide", "nl")
    assert set(en) == set(nl)
    for key in en:
        assert _fields(en[key]) == _fields(nl[key]), key
        assert en[key].strip() and nl[key].strip(), key


def test_the_guides_dutch_is_not_a_copy_of_english_and_has_no_decimal_points() -> None:
    en, nl = catalog("guide", "en"), catalog("guide", "nl")
    same = {k for k in en if en[k] == nl[k] and LETTERS.search(re.sub(r"\{[^}]*\}", "", en[k]))}
    assert same <= {"lang.en", "lang.nl"}, sorted(same - {"lang.en", "lang.nl"})
    assert not [k for k, text in nl.items() if re.search(r"\d\.\d", text)]


def _guide_literal_keys() -> set[str]:
    """Keys passed as literals to the guide's lookups, ``t("guide", ...)`` in app.py, and the summary keys
    (``"sure.*"``) that ``ui/guide.py`` returns."""
    found = set()
    for path in (GUIDE_PAGE, GUIDE_UI, APP):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                args = node.args
                if name == "t" and _other_catalog(node) and args[0].value == "guide":  # type: ignore[attr-defined]
                    args = args[1:]
                elif name not in GUIDE_LOOKUPS or path == APP:
                    continue
                if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                    found.add(args[0].value)
            elif (path == GUIDE_UI and isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and node.value.startswith("sure.")):
                found.add(node.value)
    return found


def _guide_dynamic_keys() -> set[str]:
    """Keys the guide builds from a name (f-strings): each family over its whole domain."""
    from ui import guide

    keys = {f"lang.{code}" for code in LANGS}
    keys |= {f"{step}.title" for step in ("who", "me", "partner", "dance")}
    for who in guide.PEOPLE:
        keys |= {f"name.{who}", f"default.{who}", f"dance.{who}", f"{who}.label", f"{who}.intro"}
        keys |= {f"item.{s.key}.{who}" for s in guide.STATEMENTS}
        keys |= {f"scale.{who}.{n}" for n in guide.SCALE}
    keys |= {f"level.{name}" for name in guide.LEVEL_NAMES}
    keys |= {f"verdict.{form}.{v}" for form in ("main", "sub") for v in sim.VERDICTS}
    return keys


def test_every_key_the_guide_uses_exists_and_every_key_is_used() -> None:
    used = _guide_dynamic_keys() | _guide_literal_keys()
    keys = set(catalog("guide", "en"))
    assert used - keys == set(), "missing in the guide's catalogs"
    assert keys - used == set(), "in the guide's catalogs but never used"


def test_the_guides_dynamic_key_families_are_the_ones_its_code_builds() -> None:
    tree = ast.parse(GUIDE_PAGE.read_text(encoding="utf-8"))
    prefixes = {node.values[0].value for node in ast.walk(tree)
                if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant)
                and isinstance(node.values[0].value, str) and node.values[0].value.endswith(".")}
    families = {"lang.", "name.", "default.", "item.", "scale.", "level.", "dance.", "verdict.sub.", "verdict.main.",
                "guide.back.", "guide.next."}
    assert prefixes <= families, sorted(prefixes - families)


def test_the_guide_page_holds_no_inline_user_facing_text() -> None:
    calls = _display_calls(ast.parse(GUIDE_PAGE.read_text(encoding="utf-8")))
    assert len(calls) > 15
    offenders = []
    for call in calls:
        shown = [*call.args, *(kw.value for kw in call.keywords if kw.arg not in NOT_TEXT | {"query_params"})]
        offenders += [(call.lineno, call.func.attr, text) for arg in shown for text in _inline_text(arg)]
    assert offenders == []


def test_the_guide_page_has_no_bare_strings_that_streamlit_magic_would_show() -> None:
    tree = ast.parse(GUIDE_PAGE.read_text(encoding="utf-8"))
    bodies = [tree.body[1:]] + [node.body for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    bare = [node.lineno for body in bodies for node in body[1:]
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr)]
    assert bare == []
