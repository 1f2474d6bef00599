"""The Word corpus (``tests/fixtures/word-corpus``, ``tests/fixtures/word-peer``): every file
read as Word shows it, and every file's tracked changes reproduced by drafting's own
pipeline.

References, recorded in ``word-corpus/views.json`` by ``make_word_corpus.py``:
LibreOffice's accept-all and reject-all of each file; where Word's rules (ECMA-376
Part 1, 17.13.5) give another view, Word's view with the reason. pandoc's views are
computed here: where pandoc agrees with LibreOffice it is a second reference.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from drafting.formats.reader import proposals_from_document, read_document, read_paragraphs
from drafting.model.records import Paragraph, Version
from drafting.model.validate import parse_version
from reading import CORPUS, FIXTURES, LIMITS, compose_all, pandoc_view, plain

VIEWS: dict[str, dict] = json.loads((CORPUS / "views.json").read_text(encoding="utf-8"))
BASES: dict[str, dict] = json.loads((CORPUS / "bases.json").read_text(encoding="utf-8"))
FILES = sorted(VIEWS)


def reference(key: str, view: str) -> list[str]:
    entry = VIEWS[key]
    return (entry.get("word") or entry["libreoffice"])[view]


@functools.cache
def pandoc_views(key: str) -> dict[str, list[str]]:
    return {view: pandoc_view(FIXTURES / key, view) for view in ("accept", "reject")}


def test_every_file_of_the_corpus_has_its_references():
    on_disk = {f"{p.parent.name}/{p.name}" for d in (CORPUS, FIXTURES / "word-peer") for p in d.glob("*.docx")}
    assert on_disk == set(VIEWS)
    assert set(BASES) <= {k.split("/", 1)[1] for k in VIEWS}
    for key, entry in VIEWS.items():
        if "word" in entry:  # only where LibreOffice differs from Word, and saying why
            assert entry["word"]["why"] and entry["word"]["why"] != "UNEXPLAINED", key
            views = ("accept", "reject")
            assert any(entry["word"][v] != entry["libreoffice"][v] for v in views), key


@pytest.mark.parametrize("key", FILES)
def test_views_are_those_word_shows(key):
    """Paragraph by paragraph, as shown (display numbers and title blocks included)."""
    doc = read_document(FIXTURES / key, limits=LIMITS)
    for view in ("accept", "reject"):
        got = [g.shown for g in doc.paragraphs(view)]
        assert got == reference(key, view), view
        if pandoc_views(key)[view] == VIEWS[key]["libreoffice"][view]:
            assert got == pandoc_views(key)[view], view


@pytest.mark.parametrize("key", FILES)
def test_import_the_reject_view_submit_accept_everything_and_compose_gives_the_accept_view(key):
    path = FIXTURES / key
    base = Version("doc", "original", tuple(read_paragraphs(path, limits=LIMITS, track_changes="reject")))
    accepted = [p.text for p in read_paragraphs(path, limits=LIMITS)]
    understood = proposals_from_document(path, base, limits=LIMITS)
    composed = compose_all(base, understood.proposals)
    assert [p.text for p in composed.paragraphs] == accepted
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        bodies = z.read("word/comments.xml").count(b"<w:comment ") if "word/comments.xml" in names else 0
    assert sum(p.op == "comment" for p in understood.proposals) == bodies


@pytest.mark.parametrize("name", sorted(BASES))
def test_a_delegations_libreoffice_edits_of_an_export_against_its_base(name):
    base = parse_version(BASES[name], name)
    path = CORPUS / name
    understood = proposals_from_document(path, base, limits=LIMITS)
    composed = compose_all(base, understood.proposals)
    expected = [p.text for p in read_paragraphs(path, limits=LIMITS)]  # numbers and title block left out
    assert [p.text for p in composed.paragraphs] == expected
    assert all(p.word_authors == ("Ana Pérez",) for p in understood.proposals), understood.proposals


def test_what_a_delegation_changed_in_libreoffice_on_the_circulated_action_plan():
    name = "libreoffice-export-edits.docx"
    understood = proposals_from_document(CORPUS / name, parse_version(BASES[name], name), limits=LIMITS)
    by_op: dict[str, list] = {}
    for p in plain(understood.proposals):
        by_op.setdefault(p["op"], []).append(p)
    amended = {p["paragraph"]: p["text"] for p in by_op["amend"]}
    assert amended["uni-1"].startswith(
        "Each State Party will promote adherence to the Convention by all States not yet party, in particular in "
        "South-East Asia, including Côte d’Ivoire, São Tomé and Príncipe and Türkiye."
    )
    assert amended["clr-2"].endswith(
        "efficient, safe, evidence-based and consistent with the International Mine Action Standards."
    )
    assert amended["clr-3"] == "Each affected State Party will publish a national work plan for clearance."
    assert amended["clr-4"].endswith("annual transparency reports using the agreed reporting guide.")  # joined
    assert amended["va-2"] == "States Parties will collect data disaggregated by sex, age and disability."  # split
    # emptied but for its number: deleted; joined into clr-4; moved away
    assert {p["paragraph"] for p in by_op["delete"]} == {"uni-2", "clr-5", "va-3"}
    inserted = [(p["after"], p["kind"], p["text"]) for p in by_op["insert"]]
    assert inserted == [
        ("clr-3", "action", "Each State Party will share its work plan."),  # "Action 5 bis" typed: a number
        ("va-1", "action", "States Parties will ensure that victims participate in decisions that concern them."),
        ("va-2", "action", "They will make this data available to service providers."),
    ]
    assert [(p["paragraph"], p["text"]) for p in by_op["comment"]] == [
        ("clr-1", "¿Es realista? Voir le paragraphe 3 — 東京"),
        ("va-1", "Which focal point?"),  # at a point
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_still_shows_the_recorded_views():
    """The references are LibreOffice's views of today, read again (Debian's python3-uno)."""
    files = [str(FIXTURES / k) for k in FILES]
    run = subprocess.run(
        ["/usr/bin/python3", str(FIXTURES / "libreoffice.py"), "views", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    live = json.loads(run.stdout)
    assert {k: live[Path(k).name] for k in FILES} == {k: VIEWS[k]["libreoffice"] for k in FILES}


def test_bases_are_versions():
    for name, data in BASES.items():
        v = parse_version(data, name)
        assert isinstance(v, Version) and all(isinstance(p, Paragraph) for p in v.paragraphs)
