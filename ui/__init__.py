"""User-interface support for the Streamlit pages: language catalogs and page helpers."""
