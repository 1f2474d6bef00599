"""Display numbers: Action N, declaration paragraphs, "bis/ter" numbering across a lineage, renumbering, and recognising the numbers in text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.formats.ast import number_label
from drafting.model.records import Paragraph, Version
from drafting.text.numbering import (
    ACTION_PLAN,
    DECLARATION,
    PLAIN,
    Number,
    diff_labels,
    diff_numbers,
    display_numbers,
    document_style,
    is_display_number,
    latin_suffix,
    lineage_numbers,
    number_paragraphs,
    parse_display_number,
    renumber_map,
    reserved_numbers,
    split_number,
)


def P(pid, kind):
    return Paragraph(id=pid, text=f"Text of {pid}.", kind=kind)


ACTION_PLAN_PARAGRAPHS = [
    P("intro", "heading"),
    P("intro-1", "text"),
    P("h-uni", "heading"),
    P("uni-1", "action"),
    P("uni-2", "action"),
    P("h-clr", "heading"),
    P("clr-1", "action"),
    P("clr-note", "text"),
    P("clr-2", "action"),
]

DECLARATION_PARAGRAPHS = [
    P("title", "heading"),
    P("pp-1", "preambular"),
    P("pp-2", "preambular"),
    P("op-1", "operative"),
    P("op-2", "operative"),
    P("closing", "text"),
]


def test_action_plan_numbers_actions_across_sections():
    assert display_numbers(ACTION_PLAN_PARAGRAPHS) == {
        "uni-1": "Action 1",
        "uni-2": "Action 2",
        "clr-1": "Action 3",
        "clr-2": "Action 4",
    }


def test_declaration_numbers_preambular_and_operative_continuously():
    assert display_numbers(DECLARATION_PARAGRAPHS) == {
        "pp-1": "1",
        "pp-2": "2",
        "op-1": "3",
        "op-2": "4",
    }


def test_unnumbered_paragraphs_are_absent():
    numbers = display_numbers(ACTION_PLAN_PARAGRAPHS)
    assert "intro" not in numbers and "clr-note" not in numbers
    assert numbers.get("intro", "") == ""


def test_number_objects():
    numbers = number_paragraphs(ACTION_PLAN_PARAGRAPHS)
    n = numbers["clr-1"]
    assert n == Number(3, 0, "Action")
    assert (n.label, n.short, str(n)) == ("Action 3", "3", "Action 3")
    assert Number(5, 1).label == "5 bis" and Number(5, 1, "Action").short == "5 bis"
    assert Number(2) < Number(2, 1) < Number(3)


def test_document_style():
    assert document_style(ACTION_PLAN_PARAGRAPHS) == ACTION_PLAN
    assert document_style(DECLARATION_PARAGRAPHS) == DECLARATION
    assert document_style([P("x", "text"), P("h", "heading")]) == PLAIN
    assert document_style([]) == PLAIN
    version = Version("political-declaration", "zero-draft", tuple(DECLARATION_PARAGRAPHS))
    assert document_style(version) == DECLARATION


def test_explicit_style_and_aliases():
    mixed = [P("a", "action"), P("o", "operative")]
    assert display_numbers(mixed) == {"a": "Action 1"}
    assert display_numbers(mixed, "declaration") == {"o": "1"}
    assert display_numbers(mixed, "political-declaration") == {"o": "1"}
    assert display_numbers(mixed, "plain") == {}
    with pytest.raises(ValueError, match="unknown numbering style"):
        display_numbers(mixed, "resolution")


def test_latin_suffixes():
    assert [latin_suffix(k) for k in (1, 2, 3, 4, 5, 9, 19)] == [
        "bis",
        "ter",
        "quater",
        "quinquies",
        "sexies",
        "decies",
        "vicies",
    ]
    assert latin_suffix(20) == "(21)"
    with pytest.raises(ValueError):
        latin_suffix(0)


def test_interim_numbering_bis_ter_and_gaps():
    previous = [P("a", "action"), P("b", "action"), P("c", "action"), P("d", "action")]
    current = [
        P("new-0", "action"),  # before the first kept action
        P("a", "action"),  # 1
        P("x", "action"),  # after 1: 1 bis
        P("y", "action"),  # 1 ter
        P("z", "action"),  # 1 quater
        P("c", "action"),  # 3 (b, number 2, was deleted: no renumbering)
        P("d", "action"),  # 4
        P("e", "action"),  # 4 bis
    ]
    assert display_numbers(current, interim_from=previous) == {
        "new-0": "Action 0 bis",
        "a": "Action 1",
        "x": "Action 1 bis",
        "y": "Action 1 ter",
        "z": "Action 1 quater",
        "c": "Action 3",
        "d": "Action 4",
        "e": "Action 4 bis",
    }


def test_interim_numbering_moved_paragraph_keeps_its_number():
    previous = [P(f"p{i}", "operative") for i in range(1, 6)]
    current = [
        P("p1", "operative"),
        P("p4", "operative"),
        P("new", "operative"),
        P("p2", "operative"),
        P("p3", "operative"),
        P("p5", "operative"),
    ]
    assert display_numbers(current, interim_from=previous) == {
        "p1": "1",
        "p4": "4",
        "new": "4 bis",
        "p2": "2",
        "p3": "3",
        "p5": "5",
    }


def test_interim_numbering_counts_headings_out_and_kind_changes_in():
    previous = [P("h", "heading"), P("a", "action"), P("t", "text")]
    current = [P("h", "heading"), P("a", "action"), P("t", "action")]  # t became an action
    assert display_numbers(current, interim_from=previous) == {
        "a": "Action 1",
        "t": "Action 1 bis",
    }


def test_interim_numbering_labels_are_unique():
    previous = [P(f"p{i}", "action") for i in range(30)]
    current = (
        [P("n0", "action")]
        + [p for i, p in enumerate(previous) if i % 3 != 1]
        + [P(f"n{i}", "action") for i in range(1, 25)]
    )
    labels = display_numbers(current, interim_from=previous)
    assert len(set(labels.values())) == len(labels) == len(current)
    assert labels["n24"] == "Action 30 (25)"


def test_diff_numbers_cover_deleted_paragraphs_without_collisions():
    old = [P("a", "action"), P("b", "action"), P("c", "action")]
    new = [P("a", "action"), P("n", "action"), P("c", "action")]
    numbers = diff_numbers(old, new)
    assert numbers == {"a": "Action 1", "b": "Action 2", "n": "Action 1 bis", "c": "Action 3"}
    assert len(set(numbers.values())) == len(numbers)


def test_split_number_recognises_the_labels_documents_show():
    assert split_number("Action 12. States will") == (Number(12, 0, "Action"), "States will")
    assert split_number("Action 12 States will") == (Number(12, 0, "Action"), "States will")
    assert split_number("ACTION 7: x") == (Number(7, 0, "Action"), "x")
    assert split_number("Action 3 bis Text") == (Number(3, 1, "Action"), "Text")
    assert split_number("12. Text") == (Number(12), "Text")
    assert split_number("5 quater. Text") == (Number(5, 3), "Text")
    assert split_number("Action 2") == (Number(2, 0, "Action"), "")  # a paragraph emptied but for its number
    for text in ("5 bis is not a number", "2026 was a year", "(1) Record", "12.5 percent", "1.Text", "Action 12bis x"):
        assert split_number(text) == (None, text)


@given(st.integers(1, 300), st.integers(0, 19), st.sampled_from(["", "Action"]))
def test_split_number_reads_back_every_label(value, extra, prefix):
    n = Number(value, extra, prefix)
    label = n.label if prefix else f"{n.label}."  # how documents show them (formats.ast.number_label)
    assert split_number(f"{label} The text.") == (n, "The text.")


# -- one numbering across a lineage: properties -----------------------------------------------------


@st.composite
def lineages(draw, moves: bool = True, renumbering: bool = True):
    """A first version and up to five revisions: deletions, insertions anywhere (actions and
    headings), sometimes a paragraph moved, sometimes a renumbered revision."""
    n = draw(st.integers(0, 8))
    paragraphs = [P(f"p{i}", draw(st.sampled_from(["action", "action", "action", "heading"]))) for i in range(n)]
    versions = [Version("d", "v0", tuple(paragraphs))]
    fresh = n
    for step in range(1, draw(st.integers(1, 5)) + 1):
        cur = list(versions[-1].paragraphs)
        keep = draw(st.lists(st.booleans(), min_size=len(cur), max_size=len(cur)))
        cur = [p for p, k in zip(cur, keep, strict=True) if k or draw(st.booleans())]
        if moves and len(cur) > 1 and draw(st.booleans()):
            p = cur.pop(draw(st.integers(0, len(cur) - 1)))
            cur.insert(draw(st.integers(0, len(cur))), p)
        for _ in range(draw(st.integers(0, 7))):
            cur.insert(
                draw(st.integers(0, len(cur))), P(f"p{fresh}", draw(st.sampled_from(["action", "action", "heading"])))
            )
            fresh += 1
        renumbered = renumbering and draw(st.integers(0, 4)) == 0
        versions.append(Version("d", f"v{step}", tuple(cur), based_on=f"v{step - 1}", renumbered=renumbered))
    return versions


def _keys(numbers):
    return [n.key for n in numbers.values()]


@settings(max_examples=100, deadline=None)
@given(lineages())
def test_numbers_are_unique_and_never_collide_with_deleted_ones(chain):
    for i in range(1, len(chain) + 1):
        numbers = lineage_numbers(chain[:i])
        assert len(set(_keys(numbers))) == len(numbers)
        labels = [n.label for n in numbers.values()]
        assert len(set(labels)) == len(labels)
        # every number given since the last renumbering stays reserved: a comparison of two
        # versions with no renumbering between them never shows one number twice
        assert set(_keys(numbers)) <= reserved_numbers(chain[:i])
        if i > 1 and not chain[i - 1].renumbered:
            shown = [ch.label for ch in diff_labels(chain[: i - 1], chain[:i]).values() if ch.label]
            assert len(set(shown)) == len(shown)


@settings(max_examples=100, deadline=None)
@given(lineages())
def test_a_revision_keeps_its_base_numbers(chain):
    for i in range(1, len(chain)):
        before, after = lineage_numbers(chain[:i]), lineage_numbers(chain[: i + 1])
        if chain[i].renumbered:
            assert [n.key for n in after.values()] == [(k, ()) for k in range(1, len(after) + 1)]
            continue
        for pid, n in after.items():
            if pid in before:
                assert n == before[pid]


@settings(max_examples=100, deadline=None)
@given(lineages(moves=False))
def test_bis_ter_follow_the_document_order(chain):
    """Without moved paragraphs, numbers rise along the document in every version: new
    paragraphs come after the number before them (bis before ter) and before the next one."""
    for i in range(1, len(chain) + 1):
        numbers = lineage_numbers(chain[:i])
        order = [numbers[p.id].key for p in chain[i - 1].paragraphs if p.id in numbers]
        assert order == sorted(order) and len(set(order)) == len(order)


@settings(max_examples=100, deadline=None)
@given(lineages())
def test_renumbering_is_a_bijection_onto_one_to_n_in_document_order(chain):
    mapping = renumber_map(chain)
    old = [o.key for o, _ in mapping.values()]
    new = [n.key for _, n in mapping.values()]
    assert len(set(old)) == len(old) == len(set(new))
    numbered = [p.id for p in chain[-1].paragraphs if p.id in mapping]
    assert [mapping[pid][1].key for pid in numbered] == [(k, ()) for k in range(1, len(numbered) + 1)]
    # and the renumbered version numbers as the mapping said
    renumbered = Version("d", "next", chain[-1].paragraphs, renumbered=True)
    assert {pid: n.key for pid, n in lineage_numbers([*chain, renumbered]).items()} == {
        pid: m[1].key for pid, m in mapping.items()
    }


@settings(max_examples=200, deadline=None)
@given(lineages())
def test_every_number_given_is_recognised_in_text(chain):
    """What exports write ("Action 12 bis", "Action 12 A.") reads back as the same number."""
    for i in range(1, len(chain) + 1):
        for n in lineage_numbers(chain[:i]).values():
            assert parse_display_number(n.label) == n
            written = number_label(n.label)
            assert is_display_number(written)
            assert split_number(f"{written} A State Party shall act.") == (n, "A State Party shall act.")


def test_a_deleted_number_is_not_given_again_until_renumbering():
    v0 = Version("d", "v0", (P("a", "action"), P("b", "action"), P("c", "action")))
    v1 = Version("d", "v1", (P("a", "action"), P("c", "action")), based_on="v0")  # Action 2 deleted
    v2 = Version("d", "v2", (P("a", "action"), P("n", "action"), P("c", "action")), based_on="v1")
    assert display(lineage_numbers([v0, v1, v2])) == {"a": "Action 1", "n": "Action 1 bis", "c": "Action 3"}
    v3 = Version("d", "v3", v2.paragraphs, based_on="v2", renumbered=True)
    assert display(lineage_numbers([v0, v1, v2, v3])) == {"a": "Action 1", "n": "Action 2", "c": "Action 3"}
    changes = diff_labels([v0, v1, v2], [v0, v1, v2, v3])
    assert changes["n"].label == "Action 2" and changes["n"].renumbered and changes["n"].old.label == "Action 1 bis"
    assert not changes["c"].renumbered


def test_between_a_number_and_its_bis_and_between_bis_and_ter():
    v0 = Version("d", "v0", (P("a", "action"), P("b", "action")))
    v1 = Version("d", "v1", (P("a", "action"), P("x", "action"), P("y", "action"), P("b", "action")), based_on="v0")
    v2 = Version(
        "d",
        "v2",
        (P("a", "action"), P("n1", "action"), P("x", "action"), P("n2", "action"), P("y", "action"), P("b", "action")),
        based_on="v1",
    )
    assert display(lineage_numbers([v0, v1, v2])) == {
        "a": "Action 1",
        "n1": "Action 1 A",
        "x": "Action 1 bis",
        "n2": "Action 1 bis A",
        "y": "Action 1 ter",
        "b": "Action 2",
    }


def display(numbers):
    return {pid: n.label for pid, n in numbers.items()}


@pytest.mark.parametrize(
    ("text", "number", "rest"),
    [
        ("Action 12 bis States Parties will", "Action 12 bis", "States Parties will"),
        ("Action 12. Each", "Action 12", "Each"),
        ("5 ter. We, the States", "5 ter", "We, the States"),
        ("Action 12 A State Party", "Action 12", "A State Party"),
        ("Action 12 A. A State Party", "Action 12 A", "A State Party"),
    ],
)
def test_display_numbers_leading_a_text(text, number, rest):
    n, after = split_number(text)
    assert n is not None and n.label == number and after == rest


@pytest.mark.parametrize("text", ["5 States Parties", "2026 was a year", "Actions 3", "bis 5.", "Action", ""])
def test_texts_that_do_not_open_with_a_display_number(text):
    assert split_number(text) == (None, text)
    assert parse_display_number(text) is None
