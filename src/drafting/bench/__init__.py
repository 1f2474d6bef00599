"""The benchmark: synthetic conference-scale workspaces, timed operations, baselines.

``python -m drafting.bench`` (``make bench``) runs it; see ``docs/bench/README.md``.

- :mod:`.generator` writes a synthetic workspace (P paragraphs, D delegations x K
  proposals, A accepted) as a real git repository;
- :mod:`.runner` times the commands on it (as CLI processes and in-process), with
  repeats, medians and peak memory, and runs the scaling series;
- :mod:`.baselines` times the same work done by other tools on the same versions
  (the ``redlines`` library, :mod:`difflib`, pandoc);
- :mod:`.plot` draws the scaling series.

Speed is reported, never asserted: a missed target is a line in the table, not a failure.
"""
