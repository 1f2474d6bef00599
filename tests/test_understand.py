"""text.understand: a read document against its base version, to typed proposals.

Synthetic documents (units built here) exercise the method: Word's "accept all" must be
what accepting every proposal gives, for any mix of edits, tracked or clean.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.model.errors import DraftingError
from drafting.model.records import Paragraph, Version
from drafting.text.document import ACCEPT, REJECT, Anchor, Comment, Document, Segment, Unit
from drafting.text.understand import Proposed, understand
from drafting.text.words import normalize_space
from reading import apply, plain, version_of

VOCAB = [
    "states",
    "parties",
    "will",
    "shall",
    "report",
    "clear",
    "survey",
    "land",
    "victims",
    "assist",
    "support",
    "data",
    "annual",
    "national",
    "plan",
]
VOCAB += [
    "cooperation",
    "international",
    "transparency",
    "measures",
    "gender",
    "diversity",
    "risk",
    "education",
    "stockpile",
]


def unit(text: str, **kw) -> Unit:
    return Unit([Segment(text)], **kw)


def tracked(*segs: tuple[str, str], **kw) -> Unit:
    """A unit from ("", text) / ("ins", text) / ("del", text) pieces, revised by Mexico."""
    u = Unit([Segment(t, inserted=k == "ins", deleted=k == "del") for k, t in segs], **kw)
    u.add_revision("Mexico", "2026-07-10T09:00:00Z")
    return u


def bookmark(pid: str) -> Anchor:
    return Anchor(f"p_{pid.replace('-', '_')}", (pid,), ours=True)


@st.composite
def tracked_documents(draw):
    """A base and the units of a Word file edited with Track Changes against it."""
    texts = draw(
        st.lists(
            st.lists(st.sampled_from(VOCAB), min_size=3, max_size=9).map(" ".join), min_size=1, max_size=7, unique=True
        )
    )
    ops = draw(
        st.lists(
            st.sampled_from(["keep", "amend", "delete", "split", "merge", "insert", "insert-before", "empty"]),
            min_size=len(texts),
            max_size=len(texts),
        )
    )
    units: list[Unit] = []
    comments = 0
    for text, op in zip(texts, ops, strict=True):
        words = text.split(" ")
        if op == "keep":
            units.append(unit(text))
        elif op == "amend":
            k = draw(st.integers(0, len(words) - 1))
            new = draw(st.sampled_from(VOCAB))
            units.append(
                tracked(
                    ("", " ".join(words[:k]) + " "),
                    ("del", words[k]),
                    ("ins", new),
                    ("", " " + " ".join(words[k + 1 :])),
                )
            )
        elif op == "delete":
            units.append(tracked(("del", text), mark_deleted=True))
        elif op == "split":
            k = draw(st.integers(1, len(words) - 1))
            units.append(tracked(("", " ".join(words[:k])), mark_inserted=True))
            units.append(unit(" " + " ".join(words[k:])))
        elif op == "merge":  # joined to the next paragraph, a space typed between them
            units.append(tracked(("", text), ("ins", " "), mark_deleted=True))
        elif op == "insert":  # Enter at the end, then new text
            units.append(tracked(("", text), mark_inserted=True))
            units.append(tracked(("ins", "new " + draw(st.sampled_from(VOCAB)))))
        elif op == "insert-before":  # new text, then Enter, at the start
            units.append(tracked(("ins", "fresh " + draw(st.sampled_from(VOCAB))), mark_inserted=True))
            units.append(unit(text))
        else:  # an empty paragraph after it (pandoc would not even see it)
            units.append(unit(text))
            units.append(Unit([]))
        if draw(st.booleans()):
            units[-1].comments.append(Comment(f"comment {comments}", "Mexico"))
            comments += 1
    units[-1].mark_fixed = True  # the last paragraph mark of a document cannot go
    return version_of(texts), Document(units), comments


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked_documents())
def test_accepting_the_proposals_gives_the_accept_view(doc):
    base, document, comments = doc
    assert [g.text for g in document.paragraphs(REJECT)] == [p.text for p in base.paragraphs]
    u = understand(document, base, name="x.docx")
    assert apply(base, u.proposals) == [g.text for g in document.paragraphs(ACCEPT)]
    assert sum(p.op == "comment" for p in u.proposals) == comments
    ids = {p.id for p in base.paragraphs}
    for p in u.proposals:
        assert p.target in ids | {None}
        if p.op != "comment":
            assert p.word_authors == ("Mexico",)


@st.composite
def clean_documents(draw):
    """A base and a copy of it edited without Track Changes (one paragraph kept)."""
    texts = draw(
        st.lists(
            st.lists(st.sampled_from(VOCAB), min_size=3, max_size=9).map(" ".join), min_size=1, max_size=8, unique=True
        )
    )
    keep = draw(st.integers(0, len(texts) - 1))
    out: list[str] = []
    for i, t in enumerate(texts):
        op = "keep" if i == keep else draw(st.sampled_from(["keep", "edit", "drop", "add", "swap"]))
        if op == "keep":
            out.append(t)
        elif op == "edit":
            w = t.split(" ")
            w[draw(st.integers(0, len(w) - 1))] = draw(st.sampled_from(VOCAB))
            out.append(" ".join(w))
        elif op == "add":
            out += [t, " ".join(draw(st.lists(st.sampled_from(VOCAB), min_size=2, max_size=6)))]
        elif op == "swap" and out:
            out.insert(len(out) - 1, t)
    return version_of(texts), out


@settings(max_examples=300, deadline=None)
@given(clean_documents())
def test_a_clean_copy_is_aligned(doc):
    base, texts = doc
    u = understand(Document([unit(t) for t in texts]), base, name="x.docx")
    assert apply(base, u.proposals) == [normalize_space(t) for t in texts]
    assert all(p.word_authors == () for p in u.proposals)


def test_bookmarks_out_of_order_are_read_as_moves():
    base = version_of(["alpha one two", "beta three four", "gamma five six"])
    units = [
        unit(t, anchors=[bookmark(pid)])
        for t, pid in (("gamma five six", "p-3"), ("alpha one two", "p-1"), ("beta three four", "p-2"))
    ]
    u = understand(Document(units), base, name="x.docx")
    assert apply(base, u.proposals) == ["gamma five six", "alpha one two", "beta three four"]
    assert any("moved" in n for n in u.notes)


def test_a_large_clean_copy_is_aligned():
    """300 paragraphs, one in three edited clean, no bookmarks."""
    texts = [f"paragraph {i} " + " ".join(VOCAB[(i * 7 + k) % len(VOCAB)] for k in range(40)) for i in range(300)]
    edited = [t.replace("survey", "SURVEY", 1) if i % 3 == 0 else t for i, t in enumerate(texts)]
    u = understand(Document([unit(t) for t in edited]), version_of(texts), name="x.docx")
    assert apply(version_of(texts), u.proposals) == edited
    assert u.matched.by_similarity == 100 and u.matched.by_text == 200


# ------------------------------------------------------------------ display numbers


ACTIONS = Version(
    "action-plan",
    "zero-draft",
    (
        Paragraph("h-1", "Survey", section="Survey", kind="heading"),
        Paragraph("a-1", "States will survey all areas.", section="Survey", kind="action"),
        Paragraph("a-2", "States will report each year.", section="Survey", kind="action"),
        Paragraph("t-1", "Progress will be measured.", section="Survey", kind="text"),
    ),
)


def numbered(label: str, text: str, pid: str, *, deleted: bool = False) -> Unit:
    u = Unit([Segment(label, number=True), Segment(" "), Segment(text, deleted=deleted)], anchors=[bookmark(pid)])
    if deleted:
        u.add_revision("Mexico", None)
    return u


def test_a_paragraph_emptied_but_for_its_number_is_deleted():
    units = [
        unit("Survey", heading=1, anchors=[bookmark("h-1")]),
        numbered("Action 1", "States will survey all areas.", "a-1"),
        numbered("Action 2", "States will report each year.", "a-2", deleted=True),
        unit("Progress will be measured.", anchors=[bookmark("t-1")]),
    ]
    u = understand(Document(units), ACTIONS, name="x.docx")
    assert plain(u.proposals) == [{"op": "delete", "paragraph": "a-2"}]


def test_display_numbers_that_came_as_text_are_structure():
    """A word processor that lost the number style keeps "Action 2" as text: still a number;
    so is "Action 2" alone, left of an emptied paragraph."""
    units = [
        unit("Survey", heading=1),
        unit("Action 1 States will survey all areas."),
        unit("Action 2"),
        unit("Action 2 bis States will share data."),
        unit("Progress will be measured."),
    ]
    u = understand(Document(units), ACTIONS, name="x.docx")
    assert plain(u.proposals) == [
        {"op": "insert", "after": "a-1", "text": "States will share data.", "kind": "action", "section": "Survey"},
        {"op": "delete", "paragraph": "a-2"},
    ]


def test_numbers_typed_by_hand_are_text():
    base = version_of(["(1) Record your video; (2) upload it.", "Open the file.", "Close it."])
    units = [
        tracked(("", "(1) Record your video; (2) upload it"), ("ins", "; (3) share it"), ("", ".")),
        tracked(("ins", "1. "), ("", "Open the file.")),
        tracked(("", "Close it.")),
        tracked(("ins", "3. Save it.")),
    ]
    u = understand(Document(units), base, name="x.docx")
    assert plain(u.proposals) == [
        {"op": "amend", "paragraph": "p-1", "text": "(1) Record your video; (2) upload it; (3) share it."},
        {"op": "amend", "paragraph": "p-2", "text": "1. Open the file."},
        {"op": "insert", "after": "p-3", "text": "3. Save it.", "kind": "text", "section": None},
    ]


def test_a_bare_number_before_a_numbered_kind_is_its_display_number():
    decl = Version(
        "declaration",
        "v1",
        (Paragraph("op-1", "We agree.", kind="operative"), Paragraph("op-2", "We decide.", kind="operative")),
    )
    units = [unit("1. We agree."), unit("2. We decide firmly."), tracked(("ins", "2 bis. We add."))]
    u = understand(Document(units), decl, name="x.docx")
    assert plain(u.proposals) == [
        {"op": "amend", "paragraph": "op-2", "text": "We decide firmly."},
        {"op": "insert", "after": "op-2", "text": "We add.", "kind": "operative", "section": None},
    ]


# ------------------------------------------------------------------ comments, results, errors


def test_comments_land_on_the_base_paragraph_where_they_start():
    base = version_of(["alpha one two", "beta three four"])
    units = [
        unit("alpha one two", comments=[Comment("On alpha.", "Mexico", "2026-07-01")]),
        tracked(("ins", "gamma new text"), comments=[Comment("On a new paragraph.", "Chile")]),
        unit("beta three four", comments=[Comment("", "Peru")]),
    ]
    u = understand(Document(units), base, name="x.docx")
    comments = [p for p in u.proposals if p.op == "comment"]
    assert [(p.paragraph, p.text, p.word_authors, p.word_dates) for p in comments] == [
        ("p-1", "On alpha.", ("Mexico",), ("2026-07-01",)),
        ("p-1", "On a new paragraph.", ("Chile",), ()),
    ]
    assert any("attached to the nearest paragraph" in n for n in u.notes)
    assert any("Ignored 1 empty comment" in n for n in u.notes)


def test_proposals_as_contract_data_and_records():
    p = Proposed("insert", after="p-1", text="New.", kind="text", section="S", word_authors=("Ana",))
    assert p.to_data() == {
        "op": "insert",
        "after": "p-1",
        "text": "New.",
        "kind": "text",
        "section": "S",
        "meta": {"word_authors": ["Ana"], "word_dates": []},
    }
    assert Proposed("delete", paragraph="p-2").to_data() == {
        "op": "delete",
        "paragraph": "p-2",
        "meta": {"word_authors": [], "word_dates": []},
    }
    record = p.as_proposal(id="MEX-1", delegation="MEX", document="d", base="v0")
    assert (record.id, record.op, record.after, record.paragraph, record.target) == (
        "MEX-1",
        "insert",
        "p-1",
        None,
        "p-1",
    )
    assert dict(record.meta) == {"word_authors": ["Ana"], "word_dates": []}


def test_documents_that_are_not_copies_of_the_base_are_refused():
    base = version_of(["alpha one two"])
    with pytest.raises(DraftingError, match=r"^x.docx: has no paragraphs with text$"):
        understand(Document([Unit([])]), base, name="x.docx")
    with pytest.raises(DraftingError, match=r"^x.docx: does not look like doc v0: none of its 1 paragraph matches$"):
        understand(Document([unit("something else entirely")]), base, name="x.docx")
    foreign = Document([unit("other words", anchors=[bookmark("pd-1")])])
    with pytest.raises(DraftingError, match="another document: its paragraph bookmarks \\(p_pd_1\\)"):
        understand(foreign, base, name="x.docx")
