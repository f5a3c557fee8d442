"""Attract & Repel: the Streamlit app. Run with ``streamlit run app.py``.

This file is the router: it runs the page asked for, the main page (``app_pages/main.py``: adjust two
partners and watch the dance) or the workshop (``app_pages/workshop.py``: the story step by step for
a room) or a participant's phone voting in the workshop's room (``app_pages/vote.py``, ``/vote``) or the guided
start for a couple (``app_pages/guide.py``, ``/guide``), and
links the first two in the sidebar in the language of the address bar.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import LANGS, t
from ui.style import BASE_STYLE
from ui.text import texts

MAIN = "app_pages/main.py"
WORKSHOP = "app_pages/workshop.py"
VOTE = "app_pages/vote.py"
NOTES = "app_pages/notes.py"
GUIDE = "app_pages/guide.py"


def link_lang() -> str:
    """The language in the address bar (both pages keep it there), else the first one."""
    wanted = st.query_params.get("lang")
    return wanted if wanted in LANGS else LANGS[0]


def navigation() -> None:
    """Run the page asked for (the main page, or the workshop) with sidebar links in the language it ends in.

    The links are drawn after the page has run, so that a language switched on either page names
    them in the new language at once; a container made first keeps them at the top of the sidebar.
    """
    links = st.sidebar.container()
    st.html(BASE_STYLE)  # readable captions and shortcuts on every page (ui/style.py)
    tr = texts(link_lang())
    # The pages' own icon is the browser tab's: an emoji, since a material icon would be fetched from
    # fonts.gstatic.com, which a room without internet cannot reach. The links use the bundled icon font.
    home = st.Page(MAIN, title=tr("nav.main"), icon="💞", default=True)
    workshop = st.Page(WORKSHOP, title=tr("nav.workshop"), icon="💞", url_path="workshop")
    vote = st.Page(VOTE, title=tr("nav.vote"), icon="💞", url_path="vote")
    notes = st.Page(NOTES, title=tr("nav.notes"), icon="💞", url_path="notes")
    guide = st.Page(GUIDE, title=t("guide", "nav", link_lang()), icon="💞", url_path="guide")
    st.navigation([home, workshop, vote, notes, guide], position="hidden").run()
    tr = texts(link_lang())
    with links:
        st.page_link(home, label=tr("nav.main"), icon=":material/favorite:")
        st.page_link(workshop, label=tr("nav.workshop"), icon=":material/school:")
        st.page_link(guide, label=t("guide", "nav", link_lang()), icon=":material/waving_hand:")


if __name__ == "__main__":
    navigation()
