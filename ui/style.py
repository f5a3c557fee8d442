"""Style every page is drawn with: the CSS that Streamlit's theme (``.streamlit/config.toml``) cannot set.

Text keeps a contrast of at least 4.5:1 against its background (WCAG 1.4.3), which the browser
tests check with axe-core: Streamlit draws captions at 60 % opacity (3.9:1 on white) and a
button's keyboard shortcut in a pale tint of the button (2.9:1).
"""

from __future__ import annotations

__all__ = ["BASE_STYLE"]

BASE_STYLE = """
<style>
[data-testid="stCaptionContainer"] { opacity: 1; color: #5f5e5c; }
button kbd { color: inherit !important; opacity: 1 !important; }
</style>
"""
"""Captions in a grey of 6.5:1 on white; a shortcut in its button's own text colour."""
