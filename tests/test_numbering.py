"""Display numbers: Action N, declaration paragraphs, interim "bis/ter" numbering."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.model.records import Paragraph, Version
from drafting.text.numbering import (
    ACTION_PLAN,
    DECLARATION,
    PLAIN,
    Number,
    diff_numbers,
    display_numbers,
    document_style,
    latin_suffix,
    number_paragraphs,
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
