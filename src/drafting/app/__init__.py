"""The Streamlit app: Draft, Compare, Submit, My inputs, Review, Compilation & dashboard, History.

It holds no logic of its own that the command line lacks: it reads and writes the workspace
through ``drafting.service`` (and ``service.app_queries`` for the questions only it asks),
caches reads by git HEAD (``cache``), and renders texts as escaped HTML (``markup``).
Entry: ``main.run()``, called by ``app.py`` at the repository root.
"""
