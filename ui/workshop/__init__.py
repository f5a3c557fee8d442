"""Workshop mode: the guided story of the dance, its texts, the cycle map, the animation and the handout.

Nothing here imports Streamlit; ``app_pages/workshop.py`` is the page that shows it. The story
itself (the seven steps, each a run of the model up to a moment, with the answer to its question)
holds no text and no drawing, so it lives with the model: :mod:`sim.story`.

- :mod:`.captions` what the coach reads out (titles, questions, answers, captions, summaries)
- :mod:`.charts` the story chart with the moment marked (on the main page's ``run_figure``)
- :mod:`.animation` the partners as figures on a line; one frame, or a GIF for slides
- :mod:`.cycle` the loop of the dance with the link that is active at a moment
- :mod:`.handout` one A4 page (PNG or PDF) of a story
- :mod:`.texts` the catalog ``ui/locales/workshop.<lang>.json`` and names made safe to show
"""
