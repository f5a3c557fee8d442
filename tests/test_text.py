"""ui/text.py: names made literal for markdown, on the main page and in the workshop alike."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ui.text import md
from ui.workshop.texts import colored

# the starts of GitHub-flavoured markdown's bare links, as its autolink extension finds them
BARE_LINK = re.compile(r"(?i)www\.|[a-z][a-z0-9+.-]*://|[a-z0-9._+-]@")
NAMES = ("www.evil.example", "https://evil.example/x", "HTTP://EVIL.EXAMPLE", "a@evil.io",
         "[x](https://evil.example)", "<a href='x'>x</a>", "**bold** _it_", "ftp://x.example")


def _unescaped(markdown: str) -> str:
    """What the renderer reads as text: every backslash escape resolved."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_names_that_would_become_links_or_markup_are_literal() -> None:
    for name in NAMES:
        out = md(name)
        assert not BARE_LINK.search(_unescaped(out)), (name, out)
        assert _unescaped(out).replace("\u2060", "") == name  # shown as typed
        assert not re.search(r"(?<!\\)[\[\]()<>*_`]", out), out  # no markdown character left unescaped


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aw.:/@[]()*_<>#!-+ x")), max_size=30))
def test_any_name_from_link_characters_is_shown_as_typed_without_a_bare_link(name: str) -> None:
    out = md(name)
    assert not BARE_LINK.search(_unescaped(out))
    assert _unescaped(out).replace("\u2060", "") == name


def test_the_workshop_colours_the_same_literal_name() -> None:
    assert colored("www.evil.example", 0) == f":blue[{md('www.evil.example')}]"
