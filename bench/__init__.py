"""The benchmark: synthetic conference-scale workspaces, timed operations, baselines.

``python -m bench`` (``make bench``, from the repository root) runs it; see
``docs/bench/README.md``. It lives beside the package, not in it: it needs a source
checkout (``app.py``, ``tests/hostile``, ``docs/bench``) and is not installed.

- :mod:`.generator` writes a synthetic workspace (P paragraphs, D delegations x K
  proposals, A accepted) as a real git repository;
- :mod:`.runner` times the commands on it (as CLI processes and in-process), with
  repeats, medians and peak memory, and runs the scaling series;
- :mod:`.baselines` times the same work done by other tools on the same versions
  (the ``redlines`` library, :mod:`difflib`, pandoc);
- :mod:`.precedents` times agreed-language matching, :mod:`.hostile` the refusal of
  every hostile input file of the tests' corpus;
- :mod:`.plot` draws the scaling series; :mod:`.appload` runs the app under many users.

Speed is reported, never asserted: a missed target is a line in the table, not a failure.
"""

from pathlib import Path

#: the repository the benchmark belongs to (a source checkout)
ROOT = Path(__file__).resolve().parents[1]
