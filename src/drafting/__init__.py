"""drafting: the workbench on which a treaty conference negotiates its texts.

Architecture (functional core, imperative shell):

- ``model``   records (config, versions, contributions, decisions) and validation: pure
- ``text``    words, diff, merge/compose, provenance, numbering: pure
- ``store``   YAML files and git: the edges that touch the disk
- ``formats`` pandoc in and out (DOCX, ODT, HTML, Markdown, PDF), compilation
- ``cli``     the ``drafting`` command
- ``app``     the Streamlit front end (``app.py`` at the root is a thin entry point)
- ``service`` use cases shared by ``cli`` and ``app``: load, check roles, write, commit
"""

__version__ = "0.1.0"
