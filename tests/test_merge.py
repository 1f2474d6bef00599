"""Compose: word-level merge of decided proposals into the next version."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.model.records import Decision, Paragraph, Proposal, Version
from drafting.text.align import align
from drafting.text.merge import (
    ComposeResult,
    alternative,
    compose,
    fresh_id,
    markup_spans,
)
from drafting.text.words import normalize_space, tokens

CLR3 = "Each State Party shall complete clearance by 2030 and report annually."


def version(name: str, *paras: tuple[str, str], based_on: str | None = None, **kw) -> Version:
    return Version(
        document="action-plan",
        version=name,
        paragraphs=tuple(Paragraph(pid, text, section="Clearance", kind="action", **kw) for pid, text in paras),
        based_on=based_on,
    )


ZERO = version("zero-draft", ("clr-2", "States shall survey."), ("clr-3", CLR3), ("clr-4", "States shall cooperate."))


def amend(pid: str, paragraph: str, text: str, *, base: str = "zero-draft", **kw) -> Proposal:
    return Proposal(pid, "amend", paragraph=paragraph, text=text, delegation=pid.split("-")[0], base=base, **kw)


def insert(pid: str, after: str | None, text: str, *, base: str = "zero-draft", **kw) -> Proposal:
    return Proposal(pid, "insert", after=after, text=text, delegation=pid.split("-")[0], base=base, **kw)


def delete(pid: str, paragraph: str, *, base: str = "zero-draft") -> Proposal:
    return Proposal(pid, "delete", paragraph=paragraph, delegation=pid.split("-")[0], base=base)


def accepted(*proposals: Proposal) -> dict[str, Decision]:
    return {p.id: Decision(p.id, "accepted") for p in proposals}


def run(base: Version, proposals: list[Proposal], decisions: dict[str, Decision] | None = None, **kw) -> ComposeResult:
    if decisions is None:
        decisions = accepted(*proposals)
    kw.setdefault("new_version", "rev1")
    return compose(base, proposals, decisions, **kw)


def text(result: ComposeResult, pid: str) -> str:
    return result.version.by_id()[pid].text


def in_conflict(result: ComposeResult) -> set[str]:
    return {i for c in result.conflicts for i in c.proposals}


# --------------------------------------------------------------------------------------
# Amendments to one paragraph
# --------------------------------------------------------------------------------------


def test_compatible_amendments_to_different_words_are_all_applied():
    ps = [
        amend("MEX-1", "clr-3", CLR3.replace("2030", "2028")),
        amend("FRA-1", "clr-3", CLR3.replace("Each State Party", "Every State Party")),
        amend("NLD-1", "clr-3", CLR3.replace("annually.", "annually, with gender-disaggregated data.")),
    ]
    r = run(ZERO, ps)
    assert text(r, "clr-3") == (
        "Every State Party shall complete clearance by 2028 and report annually, with gender-disaggregated data."
    )
    assert r.applied == ["MEX-1", "FRA-1", "NLD-1"]
    assert r.conflicts == [] and r.not_applied == []
    # sources: in the order of where their change sits in the paragraph
    assert r.version.by_id()["clr-3"].sources == ("FRA-1", "MEX-1", "NLD-1")
    assert r.version.by_id()["clr-2"].sources == ()
    assert r.version.based_on == "zero-draft" and r.version.version == "rev1"


def test_overlapping_amendments_are_bracketed_for_the_contested_stretch_only():
    ps = [
        amend("MEX-1", "clr-3", "Each State Party shall make every effort to complete clearance and report annually."),
        amend("FRA-1", "clr-3", CLR3.replace("2030", "2035"), co_sponsors=("AUT", "CHL")),
        amend("NLD-1", "clr-3", CLR3.replace("Each", "Every")),  # elsewhere: applies
    ]
    r = run(ZERO, ps, round="zero-draft-inputs")
    assert text(r, "clr-3") == (
        "Every State Party shall [Alt 1: make every effort to complete clearance] "
        "[Alt 2: complete clearance by 2035] and report annually."
    )
    assert r.applied == ["NLD-1"]
    [c] = r.conflicts
    assert (c.paragraph, c.proposals, c.resolution) == ("clr-3", ["MEX-1", "FRA-1"], "brackets")
    assert [tuple(a) for a in c.alternatives] == [
        ("make every effort to complete clearance", ["MEX-1"], ["MEX"]),
        ("complete clearance by 2035", ["FRA-1"], ["FRA", "AUT", "CHL"]),
    ]
    assert "complete clearance by 2030" in c.reason
    assert set(r.version.by_id()["clr-3"].sources) == {"MEX-1", "FRA-1", "NLD-1"}
    assert r.version.round == "zero-draft-inputs"


def test_alternatives_follow_submission_order():
    a = amend("MEX-1", "clr-3", CLR3.replace("2030", "2028"))
    b = amend("FRA-1", "clr-3", CLR3.replace("2030", "2035"))
    assert "[Alt 1: 2028] [Alt 2: 2035]" in text(run(ZERO, [a, b]), "clr-3")
    assert "[Alt 1: 2035] [Alt 2: 2028]" in text(run(ZERO, [b, a]), "clr-3")


def test_identical_edits_from_two_delegations_are_not_a_conflict_and_both_get_credit():
    a = amend("MEX-1", "clr-3", CLR3.replace("2030", "2028"))
    b = amend("FRA-1", "clr-3", CLR3.replace("2030", "2028"))
    r = run(ZERO, [a, b])
    assert text(r, "clr-3") == CLR3.replace("2030", "2028")
    assert r.conflicts == [] and r.applied == ["MEX-1", "FRA-1"]
    assert r.version.by_id()["clr-3"].sources == ("FRA-1", "MEX-1")


def test_insertions_at_the_same_point_conflict():
    a = amend("MEX-1", "clr-3", CLR3.replace("shall complete", "shall promptly complete"))
    b = amend("FRA-1", "clr-3", CLR3.replace("shall complete", "shall fully complete"))
    r = run(ZERO, [a, b])
    assert text(r, "clr-3") == (
        "Each State Party shall [Alt 1: promptly] [Alt 2: fully] complete clearance by 2030 and report annually."
    )
    assert r.conflicts[0].proposals == ["MEX-1", "FRA-1"]


def test_a_deleted_stretch_is_an_alternative_of_its_own():
    a = amend("MEX-1", "clr-3", CLR3.replace(" by 2030", ""))
    b = amend("FRA-1", "clr-3", CLR3.replace("2030", "2035"))
    r = run(ZERO, [a, b])
    assert text(r, "clr-3") == (
        "Each State Party shall complete clearance [Alt 1: delete] [Alt 2: by 2035] and report annually."
    )
    assert [x.text for x in r.conflicts[0].alternatives] == ["", "by 2035"]


def test_fail_resolution_still_computes_the_text():
    a = amend("MEX-1", "clr-3", CLR3.replace("2030", "2028"))
    b = amend("FRA-1", "clr-3", CLR3.replace("2030", "2035"))
    r = run(ZERO, [a, b], on_conflict="fail")
    assert [c.resolution for c in r.conflicts] == ["fail"]
    assert r.failed
    assert "[Alt 1: 2028] [Alt 2: 2035]" in text(r, "clr-3")
    assert not run(ZERO, [a], on_conflict="fail").failed
    with pytest.raises(ValueError):
        run(ZERO, [a], on_conflict="merge")


def test_delete_and_amend_of_one_paragraph_conflict_and_bracket_the_paragraph():
    a = amend("MEX-1", "clr-4", "States shall cooperate closely.")
    d = delete("FRA-2", "clr-4")
    r = run(ZERO, [a, d])
    assert text(r, "clr-4") == "[Alt 1: States shall cooperate closely.] [Alt 2: delete paragraph]"
    [c] = r.conflicts
    assert c.proposals == ["MEX-1", "FRA-2"] and c.resolution == "brackets"
    assert [tuple(x) for x in c.alternatives] == [
        ("States shall cooperate closely.", ["MEX-1"], ["MEX"]),
        ("", ["FRA-2"], ["FRA"]),
    ]
    assert r.applied == []
    # the other way round, with a modified decision: the Presidency's wording
    decisions = {
        "FRA-2": Decision("FRA-2", "accepted"),
        "MEX-1": Decision("MEX-1", "modified", text="States shall work together."),
    }
    r = run(ZERO, [d, a], decisions, presidency="LAO")
    assert text(r, "clr-4") == "[Alt 1: delete paragraph] [Alt 2: States shall work together.]"
    assert r.conflicts[0].alternatives[1].delegations == ["MEX", "LAO"]


def test_delete_removes_the_paragraph_and_two_deletes_both_get_credit():
    r = run(ZERO, [delete("MEX-3", "clr-4"), delete("FRA-3", "clr-4")])
    assert [p.id for p in r.version.paragraphs] == ["clr-2", "clr-3"]
    assert r.applied == ["MEX-3", "FRA-3"] and not r.conflicts


# --------------------------------------------------------------------------------------
# Inserts and ids
# --------------------------------------------------------------------------------------


def test_inserts_after_one_anchor_land_in_submission_order_with_fresh_ids():
    ps = [
        insert("MEX-2", "clr-3", "First new action.", kind="action", section="Survey", tags=("gender",)),
        insert("FRA-2", "clr-3", "Second new action."),
        insert("NLD-2", None, "A new opening."),
    ]
    r = run(ZERO, ps, used_ids={"clr-3a"})  # clr-3a was used in an earlier version
    ids = [p.id for p in r.version.paragraphs]
    assert ids == ["start-a", "clr-2", "clr-3", "clr-3b", "clr-3c", "clr-4"]
    new = r.version.by_id()
    assert new["clr-3b"].text == "First new action." and new["clr-3b"].section == "Survey"
    assert new["clr-3b"].tags == ("gender",) and new["clr-3b"].sources == ("MEX-2",)
    assert new["clr-3c"].section == "Clearance" and new["clr-3c"].kind == "action"  # from the anchor
    assert r.applied == ["MEX-2", "FRA-2", "NLD-2"]


def test_inserts_after_a_deleted_anchor_land_where_it_stood():
    ps = [delete("FRA-3", "clr-3"), insert("MEX-2", "clr-3", "Replacement action.")]
    r = run(ZERO, ps)
    assert [p.id for p in r.version.paragraphs] == ["clr-2", "clr-3a", "clr-4"]
    assert r.applied == ["FRA-3", "MEX-2"]


def test_ids_are_never_reused():
    taken = {"clr-3a", "clr-3b", "intro-a"}
    assert fresh_id("clr-3", taken) == "clr-3c"
    assert fresh_id("intro", taken) == "intro-b"
    assert fresh_id("clr-3a", taken) == "clr-3a-a"
    assert fresh_id(None, taken) == "start-a"
    many = {fresh_id("p-1", taken) for _ in range(30)}
    assert len(many) == 30 and "p-1z" in many and "p-1aa" in many
    # ids of other versions in the history are never reused either
    older = version("old", ("clr-3a", "An inserted paragraph since deleted."))
    r = run(ZERO, [insert("MEX-2", "clr-3", "x.")], history={"old": older})
    assert "clr-3b" in r.version.by_id()


def test_identical_inserts_after_one_anchor_are_each_a_paragraph():
    r = run(ZERO, [insert("MEX-2", "clr-2", "Same words."), insert("FRA-2", "clr-2", "Same  words.")])
    by_id = r.version.by_id()
    assert [by_id["clr-2a"].text, by_id["clr-2b"].text] == ["Same words.", "Same words."]
    assert [by_id["clr-2a"].sources, by_id["clr-2b"].sources] == [("MEX-2",), ("FRA-2",)]
    assert sorted(r.applied) == ["FRA-2", "MEX-2"]


def test_insert_with_an_unknown_anchor_is_a_conflict_not_a_silent_drop():
    r = run(ZERO, [insert("MEX-2", "nope-9", "Lost?")])
    assert r.applied == [] and r.conflicts[0].proposals == ["MEX-2"]
    assert r.conflicts[0].resolution == "kept-base"
    assert r.to_json()["not_applied_reasons"]["MEX-2"].startswith("conflict: anchor paragraph nope-9")


# --------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------


def test_only_accepted_and_modified_change_text_and_the_rest_say_why():
    ps = [
        amend("MEX-1", "clr-2", "States shall survey all areas."),
        amend("FRA-1", "clr-4", "States shall cooperate fully."),
        amend("NLD-1", "clr-3", "x"),
        amend("AUT-1", "clr-3", "y"),
        amend("CHL-1", "clr-3", "z"),
        amend("PER-1", "clr-3", "w"),
        Proposal("ICRC-1", "comment", paragraph="clr-3", text="Consider victims.", delegation="ICRC"),
        insert("MEX-2", "clr-2", "An insert in the Presidency's words?"),
    ]
    decisions = {
        "MEX-1": Decision("MEX-1", "accepted"),
        "FRA-1": Decision("FRA-1", "modified", text="States shall cooperate and assist."),
        "NLD-1": Decision("NLD-1", "rejected"),
        "AUT-1": Decision("AUT-1", "deferred"),
        "CHL-1": Decision("CHL-1", "withdrawn"),
        "ICRC-1": Decision("ICRC-1", "addressed"),
        "MEX-2": Decision("MEX-2", "modified", text="A new action in the Presidency's words."),
    }
    r = run(ZERO, ps, decisions)
    assert text(r, "clr-2") == "States shall survey all areas."
    assert text(r, "clr-3") == CLR3
    assert text(r, "clr-4") == "States shall cooperate and assist."
    assert text(r, "clr-2a") == "A new action in the Presidency's words."
    assert r.applied == ["MEX-1", "FRA-1", "MEX-2"]
    reasons = {n.id: n.reason for n in r.not_applied}
    assert reasons == {
        "NLD-1": "rejected",
        "AUT-1": "deferred",
        "CHL-1": "withdrawn",
        "PER-1": "undecided",
        "ICRC-1": "comment",
    }
    assert run(ZERO, ps[:1], {"MEX-1": Decision("MEX-1", "open")}).not_applied[0].reason == "open"


def test_a_modified_deletion_with_text_becomes_the_presidency_s_wording():
    d = delete("FRA-3", "clr-4")
    r = run(ZERO, [d], {"FRA-3": Decision("FRA-3", "modified", text="States may cooperate.")})
    assert text(r, "clr-4") == "States may cooperate." and r.applied == ["FRA-3"]


def test_to_json_has_the_contract_shape():
    a = amend("MEX-1", "clr-3", CLR3.replace("2030", "2028"))
    b = amend("FRA-1", "clr-3", CLR3.replace("2030", "2035"))
    c = amend("NLD-1", "clr-3", "whatever")
    j = run(ZERO, [a, b, c], {**accepted(a, b), "NLD-1": Decision("NLD-1", "rejected")}).to_json()
    assert set(j) == {"document", "version", "applied", "conflicts", "not_applied", "not_applied_reasons"}
    assert (j["document"], j["version"], j["applied"], j["not_applied"]) == ("action-plan", "rev1", [], ["NLD-1"])
    assert j["not_applied_reasons"] == {"NLD-1": "rejected"}
    conflict = j["conflicts"][0]
    assert {"paragraph", "proposals", "resolution"} <= set(conflict)
    assert conflict["alternatives"][0] == {"text": "2028", "proposals": ["MEX-1"], "delegations": ["MEX"]}


# --------------------------------------------------------------------------------------
# Rebase
# --------------------------------------------------------------------------------------

REV1 = version(
    "rev1",
    ("clr-2", "States shall survey."),
    ("clr-3", "Each State Party shall complete clearance by 2030 and report every year."),
    based_on="zero-draft",
)


def test_rebase_of_a_proposal_written_against_an_older_version():
    p = amend("MEX-1", "clr-3", CLR3.replace("2030", "2028"))  # against the zero draft
    q = amend("FRA-1", "clr-3", REV1.paragraphs[1].text.replace("Each", "Every"), base="rev1")
    r = run(REV1, [p, q], history={"zero-draft": ZERO}, new_version="rev2")
    assert text(r, "clr-3") == "Every State Party shall complete clearance by 2028 and report every year."
    assert r.applied == ["MEX-1", "FRA-1"] and not r.conflicts


def test_rebase_conflict_when_the_words_were_changed_in_between():
    p = amend("MEX-1", "clr-3", CLR3.replace("report annually", "report biennially"))
    r = run(REV1, [p], history={"zero-draft": ZERO}, new_version="rev2")
    assert text(r, "clr-3") == REV1.paragraphs[1].text
    [c] = r.conflicts
    assert c.proposals == ["MEX-1"] and c.resolution == "kept-base" and "annually" in c.reason
    assert c.alternatives[0].text == CLR3.replace("report annually", "report biennially")
    assert r.not_applied[0].id == "MEX-1"


def test_rebase_insertion_next_to_changed_words():
    # inserting right before the changed words: the surviving neighbour places it
    p = amend("MEX-1", "clr-3", CLR3.replace("and report annually", "and promptly report annually"))
    r = run(REV1, [p], history={"zero-draft": ZERO}, new_version="rev2")
    assert text(r, "clr-3") == "Each State Party shall complete clearance by 2030 and promptly report every year."


def test_rebase_without_the_base_version_is_a_conflict():
    p = amend("MEX-1", "clr-3", CLR3.replace("2030", "2028"))
    r = run(REV1, [p], new_version="rev2")
    assert r.conflicts[0].proposals == ["MEX-1"] and "zero-draft" in r.conflicts[0].reason
    assert text(r, "clr-3") == REV1.paragraphs[1].text


def test_amendment_of_a_paragraph_that_no_longer_exists_is_a_conflict():
    p = amend("MEX-1", "clr-4", "States shall cooperate closely.")
    d = delete("FRA-1", "clr-4")
    r = run(REV1, [p, d], history={"zero-draft": ZERO}, new_version="rev2")
    assert {c.proposals[0] for c in r.conflicts} == {"MEX-1", "FRA-1"}
    assert all("no longer exists" in c.reason for c in r.conflicts)


def test_rebased_insert_whose_anchor_was_deleted_lands_after_the_paragraph_before_it():
    p = insert("MEX-2", "clr-4", "After cooperation.")
    r = run(REV1, [p], history={"zero-draft": ZERO}, new_version="rev2")
    assert [q.id for q in r.version.paragraphs] == ["clr-2", "clr-3", "clr-3a"]
    assert r.applied == ["MEX-2"]


# --------------------------------------------------------------------------------------
# Formats and helpers
# --------------------------------------------------------------------------------------


def test_markup_spans_find_compose_markup_only():
    t = "shall [Alt 1: delete] [Alt 2: by [2035]] or [sic]"
    spans = [t[a:b] for a, b in markup_spans(t)]
    assert spans == ["[Alt 1: delete", "]", "[Alt 2: ", "]"]
    assert alternative(3, "") == "[Alt 3: delete]"
    assert alternative(1, "", paragraph=True) == "[Alt 1: delete paragraph]"


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

WORDS = ["States", "shall", "clear", "the", "area", "by", "2030", "and", "report", ",", ".", "all"]
NEW_WORDS = ["Parties", "promptly", "remnants", "2028", "victims", "survey", "fully"]

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(lambda ws: normalize_space(" ".join(ws)))


@st.composite
def documents(draw, n_max: int = 5) -> Version:
    n = draw(st.integers(1, n_max))
    return version("v0", *((f"p-{i}", draw(texts)) for i in range(n)))


@st.composite
def edited(draw, text: str) -> str:
    """A random word-level rewrite of ``text``."""
    ws = text.split(" ")
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["replace", "insert", "delete"]))
        i = draw(st.integers(0, max(0, len(ws) - 1)))
        if op == "replace" and ws:
            ws[i] = draw(st.sampled_from(NEW_WORDS + WORDS))
        elif op == "insert":
            ws.insert(i, draw(st.sampled_from(NEW_WORDS)))
        elif ws:
            del ws[i]
    return " ".join(ws)


@given(documents(), st.data())
@settings(max_examples=60, deadline=None)
def test_nothing_accepted_reproduces_the_base(doc, data):
    ps = [amend(f"D{i}-1", p.id, data.draw(edited(p.text))) for i, p in enumerate(doc.paragraphs)]
    ps.append(insert("X-1", doc.paragraphs[0].id, "new"))
    statuses = st.sampled_from(["open", "rejected", "deferred", "withdrawn", None])
    decisions = {}
    for p in ps:
        s = data.draw(statuses)
        if s:
            decisions[p.id] = Decision(p.id, s)
    r = compose(doc, ps, decisions, new_version="v1")
    assert [(p.id, p.text, p.kind, p.section, p.tags) for p in r.version.paragraphs] == [
        (p.id, p.text, p.kind, p.section, p.tags) for p in doc.paragraphs
    ]
    assert r.applied == [] and r.conflicts == [] and len(r.not_applied) == len(ps)


@given(documents(n_max=1), st.data())
@settings(max_examples=80, deadline=None)
def test_one_accepted_amendment_gives_exactly_its_text(doc, data):
    p = doc.paragraphs[0]
    new = data.draw(edited(p.text))
    r = run(doc, [amend("MEX-1", p.id, new, base="v0")])
    assert text(r, p.id) == new and r.applied == ["MEX-1"]


@st.composite
def disjoint_amendments(draw):
    """One paragraph and amendments each touching its own word, two words apart at least."""
    n_words = draw(st.integers(3, 16))
    words = [f"w{i}" for i in range(n_words)]
    if draw(st.booleans()):
        words[-1] += "."
    slots = draw(st.lists(st.integers(0, (n_words - 1) // 2), min_size=1, max_size=5, unique=True))
    ps = []
    for k, slot in enumerate(sorted(slots)):
        i = 2 * slot
        ws = list(words)
        op = draw(st.sampled_from(["replace", "insert", "append", "delete"]))
        new_word = f"{NEW_WORDS[k % len(NEW_WORDS)]}{k}"
        if op == "replace":
            ws[i] = new_word
        elif op == "insert":
            ws.insert(i, new_word)
        elif op == "append":
            ws[i] = ws[i] + ", " + new_word
        else:
            del ws[i]
        ps.append(amend(f"D{k}-1", "p-0", " ".join(ws), base="v0"))
    return version("v0", ("p-0", " ".join(words))), ps


@given(disjoint_amendments(), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_disjoint_amendments_give_the_same_result_in_any_order(case, rnd):
    doc, ps = case
    first = run(doc, ps)
    assert first.conflicts == [] and sorted(first.applied) == sorted(p.id for p in ps)
    shuffled = list(ps)
    rnd.shuffle(shuffled)
    again = run(doc, shuffled)
    assert again.version == first.version
    # every amendment's own change is in the merged text
    for p in ps:
        for h in align(tokens(doc.paragraphs[0].text), tokens(p.text)):
            assert "".join(tokens(p.text)[h.b0 : h.b1]) in text(first, "p-0")


STATUSES = ["accepted", "accepted", "modified", "open", "rejected", "deferred", "withdrawn", None]


@st.composite
def scenarios(draw):
    doc = draw(documents())
    older = version(
        "v-old",
        *(
            (p.id, draw(edited(p.text)) if draw(st.booleans()) else p.text)
            for p in doc.paragraphs[: draw(st.integers(0, len(doc.paragraphs)))]
        ),
    )
    ids = [p.id for p in doc.paragraphs] + ["gone-1"]
    ps, decisions = [], {}
    for k in range(draw(st.integers(0, 10))):
        op = draw(st.sampled_from(["amend", "amend", "insert", "delete", "comment"]))
        base = draw(st.sampled_from(["v0", "v0", "v-old", "v-missing"]))
        src = older if base == "v-old" else doc
        target = draw(st.sampled_from(ids))
        src_text = src.by_id()[target].text if target in src.by_id() else "lost words"
        pid = f"D{k % 3}-{k}"
        if op == "insert":
            p = insert(pid, draw(st.sampled_from([*ids, None])), draw(texts), base=base)
        elif op == "delete":
            p = delete(pid, target, base=base)
        else:
            p = Proposal(pid, op, paragraph=target, text=draw(edited(src_text)), delegation=f"D{k % 3}", base=base)
        ps.append(p)
        status = draw(st.sampled_from(STATUSES))
        if status == "modified":
            decisions[pid] = Decision(pid, status, text=draw(st.one_of(st.none(), texts)))
        elif status:
            decisions[pid] = Decision(pid, status)
    return doc, older, ps, decisions


@given(scenarios(), st.sampled_from(["brackets", "fail"]))
@settings(max_examples=150, deadline=None)
def test_no_accepted_proposal_is_ever_lost(case, on_conflict):
    doc, older, ps, decisions = case
    r = compose(doc, ps, decisions, new_version="v1", history={"v-old": older}, on_conflict=on_conflict)
    conflicted = in_conflict(r)
    for p in ps:
        d = decisions.get(p.id)
        if p.op != "comment" and d is not None and d.status in ("accepted", "modified"):
            assert p.id in r.applied or p.id in conflicted, p
    # every proposal is accounted for once: applied, shown as an alternative, or not applied
    # (a conflict that could not be shown in the text is also among the not applied)
    not_applied = [n.id for n in r.not_applied]
    assert len(set(not_applied)) == len(not_applied)
    shown = conflicted - set(not_applied)
    assert set(r.applied).isdisjoint(not_applied) and set(r.applied).isdisjoint(conflicted)
    assert set(r.applied) | set(not_applied) | shown == {p.id for p in ps}
    for c in r.conflicts:
        if c.resolution == "kept-base":
            assert set(c.proposals) <= set(not_applied)
        elif not set(c.proposals) & set(not_applied):  # bracketed: every reading is in the text
            assert all(normalize_space(a.text) in text(r, c.paragraph) for a in c.alternatives)
    # ids are unique and never taken from the history
    ids = [p.id for p in r.version.paragraphs]
    assert len(ids) == len(set(ids))
    fresh = set(ids) - set(doc.by_id())
    assert fresh.isdisjoint(older.by_id())
    if on_conflict == "fail":
        assert r.failed == bool(r.conflicts)


@st.composite
def inserts_and_deletes(draw):
    """Inserts drawn from a handful of texts (so that many are identical, as the rows of a
    table are), after any paragraph or at the start, some of them deleted; amendments
    and deletions of the base paragraphs; every decision accepted or not."""
    doc = draw(documents())
    ids = [p.id for p in doc.paragraphs]
    few = st.sampled_from(["Blank", "1", "Blank.", "To be confirmed.", "States shall clear the area."])
    ps: list[Proposal] = []
    for k in range(draw(st.integers(0, 14))):
        pid = f"D{k % 3}-{k}"
        op = draw(st.sampled_from(["insert", "insert", "insert", "delete", "amend"]))
        if op == "insert":
            ps.append(insert(pid, draw(st.sampled_from([*ids, None])), draw(few), base="v0"))
        elif op == "delete":
            ps.append(delete(pid, draw(st.sampled_from(ids)), base="v0"))
        else:
            target = draw(st.sampled_from(ids))
            ps.append(amend(pid, target, draw(edited(doc.by_id()[target].text)), base="v0"))
    decided = {p.id: Decision(p.id, draw(st.sampled_from(["accepted", "rejected", "open"]))) for p in ps}
    return doc, ps, decided


@given(inserts_and_deletes())
@settings(max_examples=200, deadline=None)
def test_every_accepted_insert_is_in_the_text_as_many_times_as_it_was_accepted(case):
    doc, ps, decisions = case
    r = compose(doc, ps, decisions, new_version="v1")
    accepted_inserts = [p for p in ps if p.op == "insert" and decisions[p.id].status == "accepted"]
    inserted = [p for p in r.version.paragraphs if p.id not in doc.by_id()]
    for t in {p.text for p in accepted_inserts}:
        want = sum(1 for p in accepted_inserts if p.text == t)
        assert sum(1 for p in inserted if p.text == t) == want, t
    assert sorted(s for p in inserted for s in p.sources) == sorted(p.id for p in accepted_inserts)
    assert all(p.id in r.applied for p in accepted_inserts)
