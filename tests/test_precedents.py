"""Agreed language: the matching (pure), reference documents and the precedents check
through the real CLI, proposals labelled with their source, and ``check``'s rules."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli, tree_state, write
from drafting.text.precedents import Index, Source, build_index, find, normalise, paragraph_report, words

# ------------------------------------------------------------------------------ pure


def check(refs: Sequence[Sequence[str | Source]], text: str, min_words: int = 6) -> dict:
    sources = [[s if isinstance(s, Source) else Source(s) for s in r] for r in refs]
    index = Index(build_index(sources))
    spans = words(text)
    matches = find(index, index.ids(w for w, _, _ in spans), min_words)
    return paragraph_report(index, text, matches, spans, [[s.text for s in r] for r in sources])


LAP = [
    Source("Universalization", heading=True),
    Source(
        "Promote adherence to the Convention by all States not yet party, raising the issue in bilateral "
        "contacts at the highest political level, and report on these efforts."
    ),
    Source("Condemn any use of cluster munitions by any actor and call on all States to refrain from such use."),
    Source("Victim assistance", heading=True),
    Source("Ensure the meaningful participation of survivors in all matters that affect them."),
]


def test_an_exact_match_gives_the_reference_paragraph_and_the_new_stretches():
    text = (
        "Each State Party will condemn any use of cluster munitions by any actor and call on all States "
        "to refrain from such use, in every forum."
    )
    rep = check([LAP], text)
    (s,) = rep["stretches"]
    assert s["kind"] == "exact" and s["changes"] == []
    assert (
        s["text"] == "condemn any use of cluster munitions by any actor and call on all States to refrain from such use"
    )
    assert s["paragraphs"] == [
        {
            "paragraph": 2,
            "text": "Condemn any use of cluster munitions by any actor and call on all States to refrain from such use",
        }
    ]
    assert [n["text"] for n in rep["new"]] == ["Each State Party will", "in every forum"]
    assert rep["agreed_words"] == 19 and rep["words"] == 26 and rep["share"] == round(19 / 26, 4)


def test_a_near_match_shows_which_words_changed():
    text = (
        "Promote adherence to the Convention by all States not yet party, raising the issue in bilateral "
        "contacts at the highest appropriate level, and report on these efforts."
    )
    rep = check([LAP], text)
    (s,) = rep["stretches"]
    assert s["kind"] == "near"
    assert s["changes"] == [{"text": "appropriate", "reference": "political"}]
    assert s["text"] == text.rstrip(".")
    assert [n["text"] for n in rep["new"]] == ["appropriate"]


def test_a_text_without_agreed_language_is_all_new():
    text = "The Implementation Support Unit will publish a quarterly newsletter in three languages."
    rep = check([LAP], text)
    assert rep["stretches"] == [] and rep["share"] == 0.0
    assert rep["new"] == [{"start": 0, "end": len(text) - 1, "text": text[:-1]}]


def test_too_short_a_stretch_is_not_agreed_language():
    rep = check([LAP], "We note that any use of cluster munitions is deplorable.")
    assert rep["stretches"] == []  # "any use of cluster munitions" is five words
    assert check([LAP], "We note that any use of cluster munitions is deplorable.", min_words=5)["stretches"]


def test_a_match_runs_across_paragraph_boundaries_of_the_reference():
    text = "States are to report on these efforts. Condemn any use of cluster munitions by any actor."
    rep = check([LAP], text)
    (s,) = rep["stretches"]
    assert [p["paragraph"] for p in s["paragraphs"]] == [1, 2]
    assert s["paragraphs"][0]["text"] == "report on these efforts"
    assert s["paragraphs"][1]["text"] == "Condemn any use of cluster munitions by any actor"


def test_a_match_never_runs_through_a_heading_or_into_another_reference():
    text = "such use. Victim assistance. Ensure the meaningful participation of survivors"
    rep = check([LAP], text)
    assert [s["paragraphs"][0]["paragraph"] for s in rep["stretches"]] == [4]
    other = [Source("States will refrain from such use"), Source("in the same way as before")]
    rep = check([other, LAP], "refrain from such use in the same way as before always", min_words=4)
    assert all(len({p["paragraph"] for p in s["paragraphs"]}) == len(s["paragraphs"]) for s in rep["stretches"])
    assert {s["reference"] for s in rep["stretches"]} == {0}


def test_normalisation_ignores_case_curly_quotes_hyphens_and_punctuation():
    ref = [Source("The State Party’s socio-economic “inclusion” of survivors, and their families, is essential.")]
    text = "the state party's SOCIO‑ECONOMIC 'inclusion' of survivors and their families -- is essential"
    (s,) = check([ref], text)["stretches"]
    assert s["kind"] == "exact" and s["text"] == text
    assert normalise("Socio-economic, socioeconomic; socio‑economic") == ["socioeconomic"] * 3
    assert normalise("People’s “rights”—all") == ["peoples", "rights", "all"]


def test_the_longer_source_wins_and_stretches_never_overlap():
    refs = [
        [Source("call on all States to refrain from such use and from any transfer")],
        [Source("Condemn any use of cluster munitions by any actor and call on all States")],
    ]
    text = "Condemn any use of cluster munitions by any actor and call on all States to refrain from such use"
    rep = check(refs, text)
    spans = [(s["start"], s["end"]) for s in rep["stretches"]]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert rep["share"] == 1.0


WORDS = ["states", "parties", "will", "the", "convention", "cluster", "munitions", "survivors", "of", "and"]


@st.composite
def corpus_and_text(draw):
    def sentence(n):
        ws = draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n + 12))
        out = []
        for w in ws:
            w = draw(st.sampled_from([w, w.title(), w.upper(), f"“{w}”", w + ",", w[:3] + "-" + w[3:]]))
            out.append(w)
        return " ".join(out)

    refs = [[Source(sentence(4)) for _ in range(draw(st.integers(1, 4)))] for _ in range(draw(st.integers(1, 3)))]
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            r = draw(st.sampled_from(refs))
            p = draw(st.sampled_from(r)).text.split()
            a = draw(st.integers(0, len(p) - 1))
            b = draw(st.integers(a + 1, len(p)))
            chunk = p[a:b]
            if chunk and draw(st.booleans()):
                chunk[draw(st.integers(0, len(chunk) - 1))] = "replaced"
            pieces.append(" ".join(chunk))
        else:
            pieces.append(sentence(1))
    return refs, ". ".join(pieces)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus_and_text(), st.integers(3, 7))
def test_every_reported_stretch_occurs_in_both_texts_as_reported(data, min_words):
    refs, text = data
    rep = check(refs, text, min_words)
    agreed = 0
    for s in rep["stretches"]:
        assert text[s["start"] : s["end"]] == s["text"]
        ref_texts = [p.text for p in refs[s["reference"]]]
        for piece in s["paragraphs"]:
            assert piece["text"] in ref_texts[piece["paragraph"]]
        for c in s["changes"]:
            assert c["text"] in s["text"]
            assert all(part in " ".join(ref_texts) for part in c["reference"].split(" ")) if c["reference"] else True
        if s["kind"] == "exact":  # the same words, as normalised
            assert normalise(s["text"]) == normalise(" ".join(p["text"] for p in s["paragraphs"]))
        assert s["words"] >= 1
        agreed += s["words"]
    assert agreed == rep["agreed_words"] <= rep["words"] == len(normalise(text))
    for n in rep["new"]:
        assert text[n["start"] : n["end"]] == n["text"]
        assert all(n["end"] <= s["start"] or s["end"] <= n["start"] or s["kind"] == "near" for s in rep["stretches"])


# ------------------------------------------------------------------------------ the example, CLI


@pytest.fixture(scope="module")
def example_ws(tmp_path_factory) -> Path:
    """One copy of the bundled example for this module's read-only commands."""
    from drafting.service.setup import init

    root = tmp_path_factory.mktemp("prec") / "ws"
    init(root, example=True)
    return root


def test_the_example_ships_two_references_and_drafts_that_reuse_them(example_ws):
    r = run_cli("-w", str(example_ws), "reference", "list", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [x["title"] for x in rows] == ["Lausanne Action Plan", "Lausanne Declaration"]
    r = run_cli("-w", str(example_ws), "precedents", "action-plan", "zero-draft", "--json")
    rep = json.loads(r.stdout)
    kinds = {s["kind"] for p in rep["paragraphs"] for s in p["stretches"]}
    assert kinds == {"exact", "near"}
    uni1 = next(p for p in rep["paragraphs"] if p["id"] == "uni-1")
    (near,) = [s for s in uni1["stretches"] if s["kind"] == "near"]
    assert near["changes"][0] == {"text": "appropriate", "reference": "political"}
    assert {"text": "its", "reference": "these"} in near["changes"]  # "report on its efforts"
    assert near["paragraphs"][0]["cite"] == "Action 1" and near["symbol"] == "CCM/CONF/2021/6, annex II"
    text = run_cli("-w", str(example_ws), "precedents", "action-plan", "zero-draft", "--paragraph", "uni-1").stdout
    assert "Lausanne Action Plan (CCM/CONF/2021/6, annex II), Action 1, with changes" in text
    assert "“appropriate” where the reference has “political”" in text


def test_proposals_that_bring_in_agreed_language_are_labelled(example_ws):
    r = run_cli("-w", str(example_ws), "proposals", "political-declaration", "--precedents", "--json")
    assert r.returncode == 0, r.stderr
    rows = {x["id"]: x for x in json.loads(r.stdout)}
    # AUT-5 adds "Strongly" to op-2: the Lausanne Declaration's paragraph 6
    (s,) = rows["AUT-5"]["precedents"]
    assert s["symbol"] == "CCM/CONF/2021/6, annex I" and s["paragraphs"][0]["cite"] == "paragraph 6"
    assert s["text"].startswith("Strongly condemn any use of cluster munitions")
    # FRA-5 replaces "Condemn" by other words: it brings in nothing agreed
    assert rows["FRA-5"]["precedents"] == []
    assert all(x["precedents"] == [] for x in rows.values() if x["op"] in ("comment", "delete"))
    table = " ".join(
        run_cli("-w", str(example_ws), "proposals", "political-declaration", "--precedents").stdout.split()
    )
    assert "[agreed language: Lausanne Declaration (CCM/CONF/2021/6, annex I), paragraph 6]" in table
    # without the option, the contract's rows are unchanged
    plain = json.loads(run_cli("-w", str(example_ws), "proposals", "political-declaration", "--json").stdout)
    assert all("precedents" not in x for x in plain)


def test_the_index_is_kept_in_the_cache_by_the_state_of_the_reference_files(example_ws, tmp_path):
    from drafting.service.references import precedent_index
    from drafting.store.workspace import Workspace

    root = tmp_path / "ws"
    shutil.copytree(example_ws, root, symlinks=True)
    ws = Workspace(root)
    precedent_index(ws)
    ws2 = Workspace(root)
    hits = ws2.parse_cache.hits
    _, index = precedent_index(ws2)
    assert ws2.parse_cache.hits > hits  # the index came from the cache
    # a changed reference file gives a new index
    p = root / "references/lausanne-declaration.yaml"
    p.write_text(p.read_text().replace("Strongly condemn", "Firmly condemn"))
    _, index3 = precedent_index(Workspace(root))
    assert "firmly" in index3.vocab and "firmly" not in index.vocab


@pytest.mark.parametrize(
    "args,expected",
    [
        (["precedents", "action-plan", "rev9"], "unknown version 'rev9'"),
        (["precedents", "action-plan", "zero-draft", "--paragraph", "nope-1"], "unknown paragraph 'nope-1'"),
        (["precedents", "action-plan", "zero-draft", "--min-words", "2"], "--min-words must be at least 3"),
        (["precedents", "nodoc", "zero-draft"], "unknown document 'nodoc'"),
        (["proposals", "action-plan", "--precedents", "--round", "nope"], "unknown round 'nope'"),
    ],
)
def test_bad_precedents_requests_are_one_line_and_change_nothing(example_ws, args, expected):
    before = tree_state(example_ws)
    r = run_cli("-w", str(example_ws), *args)
    assert r.returncode == 2, r.stdout
    assert expected in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert tree_state(example_ws) == before


# ------------------------------------------------------------------------------ adding references

DECLARATION_MD = """\
# Preamble

We, the States Parties to the Convention on Cluster Munitions, gathered in Dubrovnik,

1. Reaffirm our unwavering commitment to the full and effective implementation of the Convention;

2. Strongly condemn any use of cluster munitions by any actor;
"""


@pytest.mark.parametrize("suffix", [".md", ".docx", ".html", ".odt", ".txt"])
def test_reference_add_imports_a_document_through_pandoc(tiny, tmp_path, suffix):
    src = write(tmp_path / "dubrovnik.md", DECLARATION_MD)
    path = tmp_path / f"dubrovnik{suffix}"
    if suffix in (".docx", ".odt"):
        pypandoc.convert_file(str(src), suffix[1:], outputfile=str(path))
    elif suffix == ".html":
        path.write_text(pypandoc.convert_file(str(src), "html"))
    elif suffix == ".txt":
        path.write_text(DECLARATION_MD)
    else:
        path = src
    r = run_cli(
        "-w", str(tiny), "reference", "add", str(path), "--title", "Dubrovnik Declaration",
        "--symbol", "CCM/MSP/2015/9", "--date", "2015-09-11", "--adopted-by", "First Review Conference", "--json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["path"] == "references/dubrovnik-declaration.yaml"
    from drafting.store.workspace import Workspace

    ref = Workspace(tiny).reference("dubrovnik-declaration")
    assert ref.symbol == "CCM/MSP/2015/9" and ref.date == "2015-09-11" and ref.adopted_by == "First Review Conference"
    texts = [(p.number, p.text) for p in ref.paragraphs if p.kind != "heading"]
    assert texts[-1] == ("2", "Strongly condemn any use of cluster munitions by any actor;")
    log = subprocess.run(["git", "log", "-1", "--format=%an|%s"], cwd=tiny, capture_output=True, text=True).stdout
    assert log.startswith("Lao People's Democratic Republic (LAO)|Add the reference CCM/MSP/2015/9")
    # and the check finds its language in the tiny workspace's drafts
    assert run_cli("-w", str(tiny), "check").returncode == 0


def test_reference_add_refuses_bad_input_and_writes_nothing(tiny, tmp_path):
    good = write(tmp_path / "decl.md", DECLARATION_MD)
    base = ["-w", str(tiny), "reference", "add"]
    meta = ["--title", "Dubrovnik Declaration", "--symbol", "CCM/MSP/2015/9", "--date", "2015-09-11"]
    assert run_cli(*base, str(good), *meta).returncode == 0
    before = tree_state(tiny)
    bogus = tmp_path / "photo.docx"
    bogus.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    pdf = write(tmp_path / "plan.pdf", "%PDF-1.4")
    cases = [
        ([str(bogus), "--title", "X", "--symbol", "X/1"], "photo.docx: is not a Word document"),
        ([str(pdf), "--title", "X", "--symbol", "X/1"], "cannot read '.pdf' files"),
        ([str(good), "--title", "Other", "--symbol", "ccm/msp/2015/9"], "is already the symbol of"),
        ([str(good), *meta], "already exists"),
        ([str(good), "--title", "Y", "--symbol", "Y/1", "--date", "21 Sept"], "is not a date"),
        ([str(good), "--title", "Y", "--symbol", "Y/1", "--by", "MEX"], "may not add reference documents"),
        ([str(tmp_path / "missing.md"), "--title", "Y", "--symbol", "Y/1"], "no such file"),
    ]
    for args, expected in cases:
        r = run_cli(*base, *args)
        assert r.returncode == 2, (args, r.stdout)
        assert expected in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert tree_state(tiny) == before
    # the secretariat keeps references too
    r = run_cli(*base, str(good), "--title", "Copy", "--symbol", "Y/2", "--by", "ISU")
    assert r.returncode == 0, r.stderr


def test_check_validates_references_and_who_may_change_them(tiny):
    from drafting.model.roles import require_delegation
    from drafting.service.check import run_check
    from drafting.service.identity import identity
    from drafting.store.workspace import Workspace

    ws = Workspace(tiny)
    start = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tiny, capture_output=True, text=True).stdout.strip()
    good = "title: A\nsymbol: A/1\nparagraphs:\n  - {id: a, number: '1', text: Some agreed words here.}\n"
    with ws.git.transaction():
        ws.git.commit({"references/a.yaml": good.encode()}, "Add A", identity(require_delegation(ws.config, "ISU")))
        ws.git.commit(
            {"references/b.yaml": good.replace("title: A", "title: B").encode()},
            "Add B",
            identity(require_delegation(ws.config, "MEX")),
        )
    report = run_check(tiny, f"{start}..HEAD")
    lines = [p.line for p in report.problems]
    assert any("references/b.yaml" in x and "A/1 is also the symbol of references/a.yaml" in x for x in lines)
    assert any(
        "references/b.yaml" in x and "MEX (state-party) may not change the reference documents" in x for x in lines
    )
    assert not any("Add A" in x or x.startswith("references/a.yaml: commit") for x in lines)
    write(tiny / "references" / "notes.txt", "stray")
    write(tiny / "references" / "c.yaml", "title: C\nparagraphs: []\n")
    lines = [p.line for p in run_check(tiny).problems]
    assert any(x.startswith("references/notes.txt") for x in lines)
    assert any(x.startswith("references/c.yaml: symbol: is missing") for x in lines)


# ------------------------------------------------------------------------------ the app


def test_the_draft_page_shades_agreed_language_and_review_shows_precedents(example_ws, tmp_path, monkeypatch):
    streamlit = pytest.importorskip("streamlit")  # noqa: F841
    from streamlit.testing.v1 import AppTest

    root = tmp_path / "ws"
    shutil.copytree(example_ws, root, symlinks=True)
    monkeypatch.setenv("DRAFTING_WORKSPACE", str(root))
    monkeypatch.setenv("DRAFTING_APP_MODE", "demo")  # the server's choice: anyone may act as anyone
    at = AppTest.from_file("../app.py", default_timeout=90).run()
    assert not at.exception
    html = lambda: "\n".join(h.value for h in at.html)  # noqa: E731
    assert 'class="dr-agreed' not in html()  # off by default: provenance as before
    at.toggle(key="draft_precedents").set_value(True).run()
    assert not at.exception
    page = html()
    assert 'class="dr-agreed dr-agreed-near"' in page and 'class="dr-agreed"' in page
    assert 'title="Lausanne Action Plan (CCM/CONF/2021/6, annex II), Action 1, with changes' in page
    assert (
        'href="references?reference=lausanne-action-plan&amp;paragraph=universalization-1#ref-universalization-1"'
        in page
    )
    assert "of the words)" in page  # the legend's summary
    # Review: each proposal's precedent beside it
    at.selectbox(key="document").set_value("political-declaration").run()
    at.switch_page("src/drafting/app/pages/review.py").run()
    at.selectbox(key="rev_para").set_value("op-2").run()
    assert not at.exception
    assert (
        "Brings in agreed language" in html()
        and "Lausanne Declaration (CCM/CONF/2021/6, annex I), paragraph 6" in html()
    )
    # the link's target: the References page at that paragraph
    at.query_params["reference"] = "lausanne-declaration"
    at.query_params["paragraph"] = "p6"
    at.switch_page("src/drafting/app/pages/references.py").run()
    assert not at.exception
    assert 'id="ref-p6"' in html() and "dr-ref-target" in html()
    assert "Strongly condemn any use of cluster munitions" in html()


# ------------------------------------------------------------------------------ documents


def test_the_annotated_version_gives_each_agreed_stretch_its_source(example_ws, tmp_path):
    import zipfile

    out = tmp_path / "annotated.docx"
    r = run_cli("-w", str(example_ws), "precedents", "political-declaration", "zero-draft", "-o", str(out))
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml").decode()
        body = z.read("word/document.xml").decode()
    assert 'w:author="Agreed language"' in comments
    assert "Agreed language: Lausanne Declaration (CCM/CONF/2021/6, annex I), paragraph 5." in comments
    assert body.count("<w:commentRangeStart") == comments.count("<w:comment ") > 5
    # the text is the version's, unchanged (pandoc reads it back without the comments)
    from drafting.store.workspace import Workspace

    v = Workspace(example_ws).version("political-declaration", "zero-draft")
    plain = " ".join(pypandoc.convert_file(str(out), "plain", extra_args=["--wrap=none"]).split())
    assert all(p.text in plain for p in v.paragraphs)
    md = tmp_path / "annotated.md"
    assert (
        run_cli("-w", str(example_ws), "precedents", "political-declaration", "zero-draft", "-o", str(md)).returncode
        == 0
    )
    assert "[^1]: Agreed language: Lausanne Declaration" in md.read_text()
    bad = run_cli(
        "-w", str(example_ws), "precedents", "political-declaration", "zero-draft", "-o", str(tmp_path / "x.rtf")
    )
    assert bad.returncode == 2 and "cannot tell the format" in bad.stderr and not (tmp_path / "x.rtf").exists()


def test_the_compilation_can_show_the_source_of_language(example_ws, tmp_path):
    r = run_cli("-w", str(example_ws), "compilation", "political-declaration", "--precedents", "--format", "json")
    assert r.returncode == 0, r.stderr
    props = {p["id"]: p for row in json.loads(r.stdout) for p in row["proposals"]}
    assert props["AUT-5"]["source"] == "Lausanne Declaration (CCM/CONF/2021/6, annex I), paragraph 6"
    assert props["FRA-5"]["source"] is None
    plain = json.loads(
        run_cli("-w", str(example_ws), "compilation", "political-declaration", "--format", "json").stdout
    )
    assert all("source" not in p for row in plain for p in row["proposals"])
    out = tmp_path / "c.html"
    args = ["-w", str(example_ws), "compilation", "political-declaration", "--precedents", "-f", "html", "-o", str(out)]
    assert run_cli(*args).returncode == 0
    assert "Source of language" in out.read_text()
