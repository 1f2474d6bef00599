"""Readable word diffs (diff_words) and version diffs (diff_versions)."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.model.records import Paragraph, Version
from drafting.text.diff import CHANGES, diff_versions, diff_words
from drafting.text.words import tokens


def old_text(ops):
    return "".join(t for op, t in ops if op != "insert")


def new_text(ops):
    return "".join(t for op, t in ops if op != "delete")


def marked(ops):
    """A compact view for assertions: [-deleted-] {+inserted+}."""
    return "".join(t if op == "equal" else (f"[-{t}-]" if op == "delete" else f"{{+{t}+}}") for op, t in ops)


def assert_well_formed(old, new, ops):
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(op in ("equal", "insert", "delete") for op, _ in ops)
    assert all(text for _, text in ops), "no empty texts"
    for (a, _), (b, _) in itertools.pairwise(ops):
        assert a != b, "adjacent ops of one kind are merged"
        assert (a, b) != ("insert", "delete"), "a deletion comes before its insertion"


# ------------------------------------------------------------------ readable examples


def test_one_word_replacement():
    old = "Each State Party will ensure the meaningful participation of survivors."
    new = "Each State Party will ensure the active participation of survivors."
    ops = diff_words(old, new)
    assert ops == [
        ("equal", "Each State Party will ensure the "),
        ("delete", "meaningful"),
        ("insert", "active"),
        ("equal", " participation of survivors."),
    ]


def test_inserted_phrase_takes_its_leading_space():
    ops = diff_words("survey of mine areas", "survey and clearance of mine areas")
    assert ops == [("equal", "survey"), ("insert", " and clearance"), ("equal", " of mine areas")]


def test_inserted_phrase_before_punctuation():
    ops = diff_words(
        "and record it in a national system accessible to all actors.",
        "and record it in a national system accessible to all actors, including communities.",
    )
    assert marked(ops) == ("and record it in a national system accessible to all actors{+, including communities+}.")


def test_inserted_clause_keeps_commas_with_the_words_they_follow():
    ops = diff_words("cluster munitions, and victims", "cluster munitions, including remnants, and victims")
    assert marked(ops) == "cluster munitions,{+ including remnants,+} and victims"


def test_deletion_at_start_and_end():
    assert diff_words("All States shall", "States shall") == [
        ("delete", "All "),
        ("equal", "States shall"),
    ]
    assert marked(diff_words("mines and clearance.", "mines.")) == "mines[- and clearance-]."


def test_duplicated_word():
    assert marked(diff_words("a very big", "a very very big")) == "a{+ very+} very big"


def test_two_separate_insertions_stay_insertions():
    # a kept word between two insertions must not become "deleted and re-inserted"
    ops = diff_words(
        "Each State Party shall survey all areas under its jurisdiction.",
        "Each State Party shall survey and clear all contaminated areas under its jurisdiction.",
    )
    assert marked(ops) == (
        "Each State Party shall survey{+ and clear+} all{+ contaminated+} areas under its jurisdiction."
    )


def test_island_of_a_short_common_word_is_absorbed():
    ops = diff_words("States will report on their plans", "States should consult on and revise plans")
    # "on" between two replacements is absorbed: one change, not two with an island
    assert sum(op == "delete" for op, _ in ops) == 1
    assert sum(op == "insert" for op, _ in ops) == 1
    assert marked(diff_words("A of B", "C of D")) == "[-A of B-]{+C of D+}"


def test_separate_edits_stay_separate():
    ops = diff_words("States shall clear by 2030.", "States should clear by 2028.")
    assert marked(ops) == "States [-shall-]{+should+} clear by [-2030-]{+2028+}."


def test_heavily_rewritten_paragraph_is_one_deletion_and_one_insertion():
    old = (
        "States Parties will implement the national mine action plan as soon as possible "
        "and report on the progress of the plan annually."
    )
    new = (
        "Each State Party commits to develop a comprehensive strategy for victim assistance "
        "and to report on it every year in the plan."
    )
    ops = diff_words(old, new)
    assert ops == [("delete", old[:-1]), ("insert", new[:-1]), ("equal", ".")]


def test_rewritten_stretch_inside_a_paragraph_keeps_the_untouched_text():
    keep = "Each State Party with areas contaminated by cluster munition remnants will "
    tail = " and report on it in its Article 7 report."
    old = keep + "identify the precise perimeter of all such areas through survey" + tail
    new = keep + "map the extent of the contamination in all the regions concerned" + tail
    ops = diff_words(old, new)
    assert [op for op, _ in ops] == ["equal", "delete", "insert", "equal"]
    assert ops[-1][1].endswith(tail)


def test_moved_words_are_readable():
    ops = diff_words(
        "Recalling the Dubrovnik Action Plan, the Lausanne Action Plan, and the Vientiane Declaration,",
        "Recalling the Lausanne Action Plan and the Vientiane Declaration, and welcoming progress,",
    )
    # the whole first title goes; "Lausanne" is not matched against "Dubrovnik"
    assert marked(ops).startswith("Recalling[- the Dubrovnik Action Plan,-] the Lausanne Action Plan")


def test_whitespace_only_change():
    ops = diff_words("a  b", "a b")
    assert_well_formed("a  b", "a b", ops)
    assert ops == [("equal", "a"), ("delete", "  "), ("insert", " "), ("equal", "b")]


def test_identical_and_empty():
    assert diff_words("", "") == []
    assert diff_words("same text.", "same text.") == [("equal", "same text.")]
    assert diff_words("", "new") == [("insert", "new")]
    assert diff_words("old", "") == [("delete", "old")]


def test_unicode():
    old = "Les États parties s’engagent à détruire leurs stocks — 中文 — دول"
    new = "Les États parties s’engagent à éliminer leurs stocks — 中文 — دول الأطراف"
    ops = diff_words(old, new)
    assert_well_formed(old, new, ops)
    assert ("delete", "détruire") in ops and ("insert", "éliminer") in ops


# ------------------------------------------------------------------------- properties

_pieces = st.sampled_from(
    [
        "the",
        "of",
        "States",
        "Party",
        "survey",
        "clear",
        "a",
        " ",
        "  ",
        "\n",
        "\t",
        ",",
        ".",
        ";",
        "(",
        ")",
        "-",
        "'",
        "’",
        "é",
        "ß",
        "中",
        "co-operation",
        "States'",
        "2030",
        "\u00a0",
    ]
)
_texty = st.lists(_pieces, max_size=40).map("".join)
_any_text = st.one_of(_texty, st.text(max_size=60))


@settings(max_examples=400, deadline=None)
@given(_any_text, _any_text)
def test_ops_rebuild_both_texts(old, new):
    assert_well_formed(old, new, diff_words(old, new))


@settings(max_examples=200, deadline=None)
@given(_texty, _texty)
def test_no_op_splits_a_word(old, new):
    """Every op boundary is a token boundary of the text it belongs to."""
    ops = diff_words(old, new)
    for side, kinds in ((old, ("equal", "delete")), (new, ("equal", "insert"))):
        bounds = {0}
        pos = 0
        for t in tokens(side):
            pos += len(t)
            bounds.add(pos)
        pos = 0
        for op, text in ops:
            if op in kinds:
                pos += len(text)
                assert pos in bounds, (side, ops)


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_identical_texts_give_one_equal_op(text):
    assert diff_words(text, text) == ([("equal", text)] if text else [])


@settings(max_examples=200, deadline=None)
@given(_texty, _texty)
def test_deletion_and_insertion_only_differ_from_old_and_new(old, new):
    ops = diff_words(old, new)
    if old != new:
        assert any(op != "equal" for op, _ in ops)


# ----------------------------------------------------------------------- diff_versions


def P(pid, text, kind="action", section="S"):
    return Paragraph(id=pid, text=text, kind=kind, section=section)


def V(version, *paragraphs):
    return Version(document="action-plan", version=version, paragraphs=tuple(paragraphs))


def by_id(diff):
    return {row["id"]: row for row in diff["paragraphs"]}


def test_diff_versions_classifies_paragraphs():
    old = V(
        "zero-draft",
        P("h", "Survey and clearance", kind="heading"),
        P("a", "States will survey."),
        P("b", "States will clear."),
        P("c", "States will report."),
        P("d", "States will cooperate."),
    )
    new = V(
        "rev1",
        P("h", "Survey and clearance", kind="heading"),
        P("a", "States will survey all areas."),
        P("c", "States will report."),
        P("n", "States will educate."),
        P("d", "States will cooperate."),
    )
    diff = diff_versions(old, new)
    assert diff["document"] == "action-plan"
    assert (diff["from"], diff["to"]) == ("zero-draft", "rev1")
    rows = by_id(diff)
    assert rows["h"]["change"] == "unchanged"
    assert rows["h"]["ops"] == [["equal", "Survey and clearance"]]
    assert rows["h"]["kind"] == "heading" and rows["h"]["section"] == "S"
    assert rows["a"]["change"] == "modified"
    assert rows["a"]["ops"] == [
        ["equal", "States will survey"],
        ["insert", " all areas"],
        ["equal", "."],
    ]
    assert rows["b"]["change"] == "deleted"
    assert rows["b"]["ops"] == [["delete", "States will clear."]]
    assert rows["n"]["change"] == "inserted"
    assert rows["n"]["ops"] == [["insert", "States will educate."]]
    assert [r["id"] for r in diff["paragraphs"]] == ["h", "a", "b", "c", "n", "d"]
    assert diff["summary"] == {
        "unchanged": 3,
        "modified": 1,
        "moved": 0,
        "inserted": 1,
        "deleted": 1,
    }
    assert set(diff["summary"]) == set(CHANGES)


def test_only_the_truly_moved_paragraph_is_moved():
    ids = list("abcdefgh")
    old = V("v1", *(P(i, f"Text {i}.") for i in ids))
    order = ["a", "b", "f", "c", "d", "e", "g", "h"]  # f moved up
    new = V("v2", *(P(i, f"Text {i}." if i != "f" else "Text f, amended.") for i in order))
    diff = diff_versions(old, new)
    rows = by_id(diff)
    assert [i for i in ids if rows[i]["change"] == "moved"] == ["f"]
    f = rows["f"]
    assert f["moved"] is True and f["modified"] is True
    assert f["was_after"] == "e"
    assert ["insert", ", amended"] in f["ops"]
    assert [r["id"] for r in diff["paragraphs"]] == order
    assert diff["summary"]["moved"] == 1 and diff["summary"]["unchanged"] == 7


def test_moved_without_text_change():
    old = V("v1", P("a", "A."), P("b", "B."), P("c", "C."))
    new = V("v2", P("c", "C."), P("a", "A."), P("b", "B."))
    rows = by_id(diff_versions(old, new))
    assert rows["c"]["change"] == "moved"
    assert rows["c"]["modified"] is False
    assert rows["c"]["ops"] == [["equal", "C."]]
    assert rows["c"]["was_after"] == "b"
    assert rows["a"]["change"] == rows["b"]["change"] == "unchanged"


def test_deleted_paragraphs_stay_where_they_stood():
    old = V("v1", P("x", "X."), P("a", "A."), P("b", "B."), P("c", "C."), P("d", "D."))
    new = V("v2", P("a", "A."), P("n", "N."), P("d", "D."))
    diff = diff_versions(old, new)
    # x was first; b and c followed a (in their old order); deletions before insertions
    assert [(r["id"], r["change"]) for r in diff["paragraphs"]] == [
        ("x", "deleted"),
        ("a", "unchanged"),
        ("b", "deleted"),
        ("c", "deleted"),
        ("n", "inserted"),
        ("d", "unchanged"),
    ]


def test_deleted_after_a_moved_paragraph_keeps_its_place():
    # b followed a, but a moved to the end: b stays before c (its place), not after a
    old = V("v1", P("a", "A."), P("b", "B."), P("c", "C."), P("d", "D."))
    new = V("v2", P("c", "C."), P("d", "D."), P("a", "A."))
    diff = diff_versions(old, new)
    assert [r["id"] for r in diff["paragraphs"]] == ["b", "c", "d", "a"]
    assert by_id(diff)["a"]["change"] == "moved"


def test_kind_and_section_changes_are_reported():
    old = V("v1", P("a", "A.", kind="text", section="Intro"))
    new = V("v2", P("a", "A.", kind="action", section="Clearance"))
    row = diff_versions(old, new)["paragraphs"][0]
    assert row["change"] == "unchanged"
    assert (row["kind"], row["from_kind"]) == ("action", "text")
    assert (row["section"], row["from_section"]) == ("Clearance", "Intro")


def test_empty_paragraphs_have_no_ops():
    old = V("v1", P("a", ""), P("b", "B"))
    new = V("v2", P("a", ""), P("c", ""))
    rows = by_id(diff_versions(old, new))
    assert rows["a"]["ops"] == [] and rows["b"]["ops"] == [["delete", "B"]]
    assert rows["c"]["ops"] == []


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="twice"):
        diff_versions(V("v1", P("a", "A"), P("a", "B")), V("v2"))


def test_diff_is_json_serialisable_and_rebuilds_texts():
    old = V("v1", P("a", "States will <b>survey</b> & clear."), P("b", "B ‘quoted’."))
    new = V("v2", P("b", "B “quoted”, amended."), P("a", 'States will survey & clear "now".'))
    diff = diff_versions(old, new)
    again = json.loads(json.dumps(diff))
    assert again == diff
    texts_old = {p.id: p.text for p in old.paragraphs}
    texts_new = {p.id: p.text for p in new.paragraphs}
    for row in again["paragraphs"]:
        assert all(isinstance(op, list) and len(op) == 2 for op in row["ops"])
        if row["id"] in texts_old:
            assert old_text(row["ops"]) == texts_old[row["id"]]
        if row["id"] in texts_new:
            assert new_text(row["ops"]) == texts_new[row["id"]]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=10),
    st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=10),
    st.randoms(use_true_random=False),
)
def test_every_paragraph_appears_once_with_consistent_flags(old_ids, new_ids, rnd):
    def text(pid):
        return rnd.choice([f"Text {pid}.", f"Text {pid}, changed.", ""])

    old = V("v1", *(P(i, text(i)) for i in old_ids))
    new = V("v2", *(P(i, text(i)) for i in new_ids))
    diff = diff_versions(old, new)
    ids = [r["id"] for r in diff["paragraphs"]]
    assert sorted(ids) == sorted(set(old_ids) | set(new_ids))
    # the new version's order is preserved
    assert [i for i in ids if i in new_ids] == new_ids
    # kept paragraphs that are not moved keep their relative order
    stay = [i for i in ids if i in old_ids and diff["paragraphs"][ids.index(i)]["change"] != "moved"]
    assert stay == [i for i in old_ids if i in stay]
    for row in diff["paragraphs"]:
        assert row["change"] in CHANGES
        assert row["moved"] == (row["change"] == "moved")
    assert sum(diff["summary"].values()) == len(ids)


# ------------------------------------------------------------------------- performance


def _document(rng, n=300, words=200):
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(3000)
    ] + ["the", "of", "and", "to", "in"] * 200
    paragraphs = []
    for _ in range(n):
        w = [rng.choice(vocab) for _ in range(words)]
        for k in range(8, words, 25):
            w[k] += ","
        paragraphs.append(" ".join(w) + ".")
    return vocab, paragraphs


def _edit(rng, vocab, text, edits=10):
    w = text.split(" ")
    for _ in range(edits):
        k = rng.randrange(len(w))
        r = rng.random()
        if r < 0.4:
            w[k] = rng.choice(vocab)
        elif r < 0.7:
            w.insert(k, " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 4))))
        else:
            del w[k : k + rng.randint(1, 3)]
    return " ".join(w)


def test_300_edited_paragraphs_diff_into_well_formed_changes():
    """A conference-size version (its speed is the benchmark's: diff.inproc in make bench)."""
    rng = random.Random(7)
    vocab, texts = _document(rng)
    old = V("v1", *(P(f"p{i}", t) for i, t in enumerate(texts)))
    new = V("v2", *(P(f"p{i}", _edit(rng, vocab, t)) for i, t in enumerate(texts)))
    d = diff_versions(old, new)
    assert [p["id"] for p in d["paragraphs"]] == [p.id for p in new.paragraphs]
    olds, news = old.by_id(), new.by_id()
    for p in d["paragraphs"]:
        if p["change"] == "unchanged":
            assert olds[p["id"]].text == news[p["id"]].text
        else:
            assert_well_formed(olds[p["id"]].text, news[p["id"]].text, p["ops"])
    assert d["summary"]["modified"] > 250


def test_real_amendment_reads_like_tracked_changes():
    old = (
        "Each State Party will report voluntarily on measures taken under Article 21 to promote "
        "the norms of the Convention, including its national position on interoperability."
    )
    new = (
        "Each State Party will report on measures taken under Article 21 to promote the norms "
        "of the Convention, including its national position on interoperability and transit."
    )
    ops = diff_words(old, new)
    assert marked(ops) == (
        "Each State Party will report[- voluntarily-] on measures taken under Article 21 to "
        "promote the norms of the Convention, including its national position on "
        "interoperability{+ and transit+}."
    )


def test_proposal_ops_show_each_kind_against_its_base():
    from drafting.text.diff import proposal_ops

    base = "States Parties will clear all land."
    amend = proposal_ops("amend", base, "States Parties will clear all contaminated land.")
    assert "".join(t for o, t in amend if o != "insert") == base
    assert ("insert", "contaminated ") in amend or any(o == "insert" and "contaminated" in t for o, t in amend)
    assert proposal_ops("insert", base, "A new action.") == [("insert", "A new action.")]
    assert proposal_ops("delete", base, None) == [("delete", base)]
    assert proposal_ops("comment", base, "Why?") == [("equal", "Why?")]
