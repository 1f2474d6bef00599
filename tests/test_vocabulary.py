"""The words a secretariat uses (model.vocabulary) and the history told in sentences
(model.history), and that the compilation and the command line say them."""

from __future__ import annotations

import pytest

from conftest import run_cli
from drafting.model import vocabulary as v
from drafting.model.records import STATUSES, Round
from drafting.service.setup import history
from drafting.store.workspace import Workspace


def test_every_status_and_kind_has_its_words():
    assert {s: v.status_word(s) for s in STATUSES} == {
        "open": "open",
        "accepted": "accepted",
        "modified": "accepted as modified",
        "rejected": "not retained",
        "deferred": "deferred",
        "withdrawn": "withdrawn",
        "addressed": "addressed",
        "noted": "noted",
    }
    assert v.status_word(None) == "open" and v.status_word("modified", capital=True) == "Accepted as modified"
    assert [v.kind_word(op) for op in ("amend", "insert", "delete", "comment")] == [
        "amendment",
        "new paragraph",
        "deletion",
        "comment",
    ]
    assert v.kind_word("insert", count=2) == "new paragraphs" and v.kind_word("amend", capital=True) == "Amendment"


def test_comments_are_never_called_proposals():
    assert v.count_inputs(["amend", "amend", "comment"]) == "2 proposals and 1 comment"
    assert v.count_inputs(["comment", "comment", "comment"]) == "3 comments"
    assert v.count_inputs(["delete"]) == "1 proposal"
    assert v.count_inputs([]) == "nothing"
    assert v.input_noun("comment") == "comment" and v.input_noun("insert", 2) == "proposals"


def test_paragraphs_are_named_by_their_number_or_their_words():
    assert v.paragraph_name("Action 11", "action", "Each State Party ...") == "Action 11"
    assert v.paragraph_name("5", "operative", "Reaffirm ...") == "paragraph 5"
    assert v.paragraph_name("5 bis", "operative", "x") == "paragraph 5 bis"
    assert v.paragraph_name("", "heading", "Victim assistance") == "the heading “Victim assistance”"
    assert (
        v.paragraph_name(None, "text", "The Vientiane Action Plan sets out the concrete steps")
        == "the paragraph beginning “The Vientiane Action Plan sets out…”"
    )


def test_versions_and_rounds_by_their_labels():
    assert v.default_label("rev2") == "Revision 2" and v.default_label("zero-draft") == "Zero draft"
    assert v.on_version("Zero draft") == "the zero draft" and v.on_version("Revision 1") == "Revision 1"
    rnd = Round("zero-draft-inputs", "action-plan", "zero-draft", deadline="2026-07-15")
    assert v.round_name(rnd, {"zero-draft": "Zero draft"}) == "Inputs on the zero draft (until 15 July 2026)"
    assert v.round_name(rnd, deadline=False) == "Inputs on the zero draft"
    assert v.list_phrase(["Mexico", "Spain", "Chile"]) == "Mexico, Spain and Chile"
    assert v.not_applied_reason("rejected") == "not retained" and v.not_applied_reason("undecided") == "no decision yet"


def test_the_history_reads_as_sentences(example):
    said = [e["sentence"] for e in history(Workspace(example), "action-plan")]
    assert "Mexico submitted 4 proposals and 1 comment on the zero draft, 8 July" in said
    assert "International Committee of the Red Cross submitted 3 comments on the zero draft, 2 July" in said
    assert any(s.startswith("The Presidency recorded its decisions on the inputs on the zero draft") for s in said)
    assert any(s.startswith("Zero draft circulated") for s in said)
    for s in said:
        assert "zero-draft" not in s and "action-plan" not in s and "proposals and 0" not in s, s


def test_a_decision_is_told_in_words(example):
    from drafting.service.inputs import decide

    decide(Workspace(example), "MEX-4", "rejected", note="out of scope", document="action-plan")
    ws = Workspace(example)
    latest = history(ws, "action-plan")[0]
    assert latest["sentence"].startswith("The Presidency decided on Mexico's proposal MEX-4: not retained")


@pytest.mark.parametrize(
    ("args", "words", "codes"),
    [
        (["proposals", "action-plan", "--status", "rejected"], ["not retained"], ["rejected"]),
        (["proposals", "action-plan", "--status", "modified"], ["accepted as modified", "amendment"], [" amend "]),
    ],
)
def test_the_command_line_shows_statuses_in_words_and_json_keeps_the_codes(example, args, words, codes):
    out = run_cli("--workspace", str(example), *args)
    assert out.returncode == 0, out.stderr
    for w in words:
        assert w in out.stdout
    for code in codes:
        assert code not in out.stdout
    js = run_cli("--workspace", str(example), *args, "--json")
    assert js.returncode == 0 and '"status": "' + args[-1] + '"' in js.stdout.replace('":"', '": "')


def test_the_compilation_says_statuses_in_words(example, tmp_path):
    from drafting.service.exports import compilation

    rows = compilation(Workspace(example), "action-plan", "zero-draft-inputs", "json")
    assert {p["status"] for r in rows for p in r["proposals"]} >= {"rejected", "modified"}  # JSON: the codes
    out = compilation(Workspace(example), "action-plan", "zero-draft-inputs", "md", tmp_path / "c.md")
    text = out.read_text(encoding="utf-8")
    assert (
        "Not retained" in text
        and "Accepted as modified" in text
        and "Compilation of proposals on the zero draft" in text
    )
    assert "rejected" not in text.lower().replace("not retained", "")
    assert "zero-draft-inputs" not in text and "uni-1" not in text
