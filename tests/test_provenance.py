"""Provenance: word-level blame across versions, and labels for diffs."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.model.records import Decision, Paragraph, Proposal, Version
from drafting.text.align import align
from drafting.text.merge import compose
from drafting.text.provenance import Origin, Span, attribute_changes, blame, blame_json
from drafting.text.words import normalize_space, tokens

LAO = "LAO"
CLR3 = "Each State Party shall complete clearance by 2030 and report annually."


def version(name: str, *paras: tuple[str, str], based_on: str | None = None) -> Version:
    return Version(
        "action-plan", name, tuple(Paragraph(pid, text, kind="action") for pid, text in paras), based_on=based_on
    )


ZERO = version("zero-draft", ("clr-2", "States shall survey."), ("clr-3", CLR3), ("clr-4", "States shall cooperate."))


def amend(pid: str, paragraph: str, text: str, base: str = "zero-draft", **kw) -> Proposal:
    return Proposal(pid, "amend", paragraph=paragraph, text=text, delegation=pid.split("-")[0], base=base, **kw)


def spans_of(result: dict[str, list[Span]], pid: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(s.text, s.origin.version, s.origin.proposal, s.origin.delegation) for s in result[pid]]


def diff_ops(old: str, new: str) -> list[list[str]]:
    """Word-level ops in the diff's shape (equal+delete = old, equal+insert = new)."""
    a, b = tokens(old), tokens(new)
    ops: list[list[str]] = []
    i = 0
    for h in align(a, b):
        if h.a0 > i:
            ops.append(["equal", "".join(a[i : h.a0])])
        if h.a1 > h.a0:
            ops.append(["delete", "".join(a[h.a0 : h.a1])])
        if h.b1 > h.b0:
            ops.append(["insert", "".join(b[h.b0 : h.b1])])
        i = h.a1
    if i < len(a):
        ops.append(["equal", "".join(a[i:])])
    return ops


def test_text_of_the_first_version_has_no_proposal_and_no_delegation():
    b = blame([ZERO], {}, {}, presidency=LAO)
    assert list(b) == ["clr-2", "clr-3", "clr-4"]
    assert b["clr-3"] == [Span(CLR3, Origin("zero-draft"))]


def test_amended_words_belong_to_their_proposal_and_delegation():
    p = amend(
        "MEX-1",
        "clr-3",
        CLR3.replace("2030", "2028").replace("annually", "annually and publicly"),
        co_sponsors=("AUT",),
    )
    r = compose(ZERO, [p], {"MEX-1": Decision("MEX-1", "accepted")}, new_version="rev1")
    b = blame([ZERO, r.version], {p.id: p}, {}, presidency=LAO)
    assert spans_of(b, "clr-3") == [
        ("Each State Party shall complete clearance by ", "zero-draft", None, None),
        ("2028", "rev1", "MEX-1", "MEX"),
        (" and report annually", "zero-draft", None, None),
        (" and publicly", "rev1", "MEX-1", "MEX"),
        (".", "zero-draft", None, None),
    ]
    assert spans_of(b, "clr-2") == [("States shall survey.", "zero-draft", None, None)]


def test_bracketed_alternatives_are_attributed_and_the_markup_is_the_presidency_s():
    ps = [
        amend("MEX-1", "clr-3", "Each State Party shall make every effort to complete clearance and report annually."),
        amend("FRA-1", "clr-3", CLR3.replace("2030", "2035")),
    ]
    decisions = {p.id: Decision(p.id, "accepted") for p in ps}
    r = compose(ZERO, ps, decisions, new_version="rev1", presidency=LAO)
    b = blame([ZERO, r.version], {p.id: p for p in ps}, decisions, presidency=LAO)
    assert "".join(s.text for s in b["clr-3"]) == r.version.by_id()["clr-3"].text
    assert spans_of(b, "clr-3") == [
        ("Each State Party shall ", "zero-draft", None, None),
        ("[Alt 1: ", "rev1", None, LAO),
        ("make every effort to ", "rev1", "MEX-1", "MEX"),
        ("complete clearance", "zero-draft", None, None),  # the base words it restates
        ("] [Alt 2: ", "rev1", None, LAO),
        ("complete clearance by ", "zero-draft", None, None),
        ("2035", "rev1", "FRA-1", "FRA"),
        ("]", "rev1", None, LAO),
        (" and report annually.", "zero-draft", None, None),
    ]


def test_a_modified_proposal_splits_between_proposer_and_presidency():
    p = amend("MEX-1", "clr-4", "States shall cooperate and assist victims.")
    d = {"MEX-1": Decision("MEX-1", "modified", text="States shall cooperate and provide assistance to victims.")}
    r = compose(ZERO, [p], d, new_version="rev1", presidency=LAO)
    b = blame([ZERO, r.version], {p.id: p}, d, presidency=LAO)
    assert spans_of(b, "clr-4") == [
        ("States shall cooperate", "zero-draft", None, None),
        (" and ", "rev1", "MEX-1", "MEX"),
        ("provide assistance to", "rev1", "MEX-1", LAO),
        (" victims", "rev1", "MEX-1", "MEX"),
        (".", "zero-draft", None, None),
    ]


def test_inserted_paragraph_belongs_to_its_insert_and_deleted_words_are_labelled():
    ins = Proposal(
        "NLD-2",
        "insert",
        after="clr-2",
        text="Survey results shall be shared.",
        delegation="NLD",
        co_sponsors=("BEL",),
        base="zero-draft",
    )
    dele = Proposal("FRA-3", "delete", paragraph="clr-4", delegation="FRA", base="zero-draft")
    cut = amend("MEX-1", "clr-3", CLR3.replace(" and report annually", ""))
    ps = {p.id: p for p in (ins, dele, cut)}
    d = {i: Decision(i, "accepted") for i in ps}
    r = compose(ZERO, list(ps.values()), d, new_version="rev1")
    chain = [ZERO, r.version]
    b = blame(chain, ps, d, presidency=LAO)
    assert spans_of(b, "clr-2a") == [("Survey results shall be shared.", "rev1", "NLD-2", "NLD")]
    ops = {
        "clr-2a": [["insert", "Survey results shall be shared."]],
        "clr-3": diff_ops(CLR3, r.version.by_id()["clr-3"].text),
        "clr-4": [["delete", "States shall cooperate."]],
        "clr-2": [["equal", "States shall survey."]],
    }
    labels = attribute_changes(chain, "zero-draft", "rev1", ops, ps, d, presidency=LAO)
    assert labels == {
        "clr-2a": [["NLD", "BEL"]],
        "clr-3": [None, ["MEX"], None],
        "clr-4": [["FRA"]],
        "clr-2": [None],
    }


def _chain_of_three():
    """zero -> rev1 (MEX adds words) -> rev2 (FRA elsewhere, Presidency edits) -> rev3."""
    mex = amend("MEX-1", "clr-3", CLR3.replace("annually", "annually to the Meeting"))
    r1 = compose(ZERO, [mex], {"MEX-1": Decision("MEX-1", "accepted")}, new_version="rev1").version
    fra = amend("FRA-1", "clr-3", r1.by_id()["clr-3"].text.replace("2030", "2035"), base="rev1")
    chl = amend("CHL-1", "clr-2", "States shall survey all areas.", base="rev1")
    d2 = {
        "FRA-1": Decision("FRA-1", "accepted"),
        "CHL-1": Decision("CHL-1", "modified", text="States shall survey all contaminated areas."),
    }
    r2 = compose(r1, [fra, chl], d2, new_version="rev2", presidency=LAO).version
    # rev3: the Presidency edits by hand (no sources): its own words
    r3 = Version(
        "action-plan",
        "rev3",
        tuple(
            Paragraph(p.id, p.text.replace("Each State Party", "Every State Party"), kind=p.kind) for p in r2.paragraphs
        ),
        based_on="rev2",
    )
    props = {p.id: p for p in (mex, fra, chl)}
    return [ZERO, r1, r2, r3], props, d2


def test_words_keep_their_author_across_many_versions():
    chain, props, decisions = _chain_of_three()
    b = blame(chain, props, decisions, presidency=LAO)
    assert spans_of(b, "clr-3") == [
        ("Every", "rev3", None, LAO),
        (" State Party shall complete clearance by ", "zero-draft", None, None),
        ("2035", "rev2", "FRA-1", "FRA"),
        (" and report annually", "zero-draft", None, None),
        (" to the Meeting", "rev1", "MEX-1", "MEX"),  # added in rev1, still MEX's in rev3
        (".", "zero-draft", None, None),
    ]
    assert spans_of(b, "clr-2") == [
        ("States shall survey", "zero-draft", None, None),
        (" all ", "rev2", "CHL-1", "CHL"),
        ("contaminated ", "rev2", "CHL-1", LAO),
        ("areas", "rev2", "CHL-1", "CHL"),
        (".", "zero-draft", None, None),
    ]


def test_attribute_changes_between_non_consecutive_versions():
    chain, props, decisions = _chain_of_three()
    old, new = chain[0].by_id()["clr-3"].text, chain[3].by_id()["clr-3"].text
    ops = diff_ops(old, new)
    labels = attribute_changes(chain, "zero-draft", "rev3", {"clr-3": ops}, props, decisions, presidency=LAO)
    got = {(op, t): who for (op, t), who in zip(ops, labels["clr-3"], strict=True)}
    assert got[("delete", "Each")] == [LAO] and got[("insert", "Every")] == [LAO]
    assert got[("delete", "2030")] == ["FRA"] and got[("insert", "2035")] == ["FRA"]
    assert got[("insert", " to the Meeting")] == ["MEX"]
    assert all(who is None for (op, _), who in got.items() if op == "equal")
    # from rev1: MEX's words are not a change any more
    old = chain[1].by_id()["clr-3"].text
    labels = attribute_changes(chain, "rev1", "rev3", {"clr-3": diff_ops(old, new)}, props, decisions, presidency=LAO)
    assert ["MEX"] not in labels["clr-3"]


def test_blame_json_has_the_contract_shape():
    b = blame([ZERO], {}, {}, presidency=LAO)
    j = blame_json("action-plan", "zero-draft", b)
    assert j["document"] == "action-plan" and j["version"] == "zero-draft"
    assert j["paragraphs"][0] == {
        "id": "clr-2",
        "spans": [
            {"text": "States shall survey.", "origin": {"version": "zero-draft", "proposal": None, "delegation": None}}
        ],
    }


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

WORDS = ["States", "shall", "clear", "the", "area", "by", "2030", "and", "report", ",", ".", "all", "[", "]"]
NEW = ["Parties", "promptly", "remnants", "2028", "victims", "survey", "fully", "Alt", "1", ":"]
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(lambda ws: normalize_space(" ".join(ws)))


@st.composite
def rewrite(draw, text: str) -> str:
    ws = text.split(" ") if text else []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["replace", "insert", "delete"]))
        i = draw(st.integers(0, max(0, len(ws) - 1)))
        if op == "replace" and ws:
            ws[i] = draw(st.sampled_from(NEW + WORDS))
        elif op == "insert":
            ws.insert(i, draw(st.sampled_from(NEW)))
        elif ws:
            del ws[i]
    return " ".join(ws)


@st.composite
def chains(draw):
    v0 = version("v0", *((f"p-{i}", draw(texts)) for i in range(draw(st.integers(1, 4)))))
    chain, props, decisions = [v0], {}, {}
    for step in range(1, draw(st.integers(2, 4))):
        cur = chain[-1]
        if draw(st.integers(0, 3)) == 0:  # a hand edit without sources
            paras = tuple(
                Paragraph(p.id, draw(rewrite(p.text)) if draw(st.booleans()) else p.text) for p in cur.paragraphs
            )
            chain.append(Version("action-plan", f"v{step}", paras, based_on=cur.version))
            continue
        ps = []
        for k in range(draw(st.integers(0, 5))):
            pid = f"D{k}-{step}{k}"
            op = draw(st.sampled_from(["amend", "amend", "amend", "insert", "delete"]))
            target = draw(st.sampled_from(cur.paragraphs)) if cur.paragraphs else None
            if target is None or op == "insert":
                p = Proposal(
                    pid,
                    "insert",
                    after=target.id if target else None,
                    text=draw(texts) or "x",
                    delegation=f"D{k}",
                    base=cur.version,
                )
            elif op == "delete":
                p = Proposal(pid, "delete", paragraph=target.id, delegation=f"D{k}", base=cur.version)
            else:
                p = amend(pid, target.id, draw(rewrite(target.text)), base=cur.version)
            ps.append(p)
            props[pid] = p
            status = draw(st.sampled_from(["accepted", "accepted", "modified", "rejected"]))
            decisions[pid] = Decision(pid, status, text=draw(rewrite(p.text or "")) if status == "modified" else None)
        chain.append(compose(cur, ps, decisions, new_version=f"v{step}", presidency=LAO).version)
    return chain, props, decisions


@given(chains())
@settings(max_examples=150, deadline=None)
def test_blame_spans_join_to_the_text_across_versions(case):
    chain, props, decisions = case
    b = blame(chain, props, decisions, presidency=LAO)
    target = chain[-1]
    names = [v.version for v in chain]
    assert list(b) == [p.id for p in target.paragraphs]
    for p in target.paragraphs:
        spans = b[p.id]
        assert "".join(s.text for s in spans) == p.text
        assert all(s.text for s in spans)
        assert all(x.origin != y.origin for x, y in itertools.pairwise(spans))
        for s in spans:
            assert s.origin.version in names
            if s.origin.version == names[0]:
                assert s.origin.proposal is None and s.origin.delegation is None
            if s.origin.proposal is not None:
                assert s.origin.proposal in props
        # a paragraph never touched since the first version is all first-version text
        if all(p.id in v.by_id() and v.by_id()[p.id].text == p.text for v in chain):
            assert all(s.origin == Origin(names[0]) for s in spans)


@given(chains(), st.data())
@settings(max_examples=100, deadline=None)
def test_attribute_changes_labels_every_op(case, data):
    chain, props, decisions = case
    i = data.draw(st.integers(0, len(chain) - 1))
    j = data.draw(st.integers(i, len(chain) - 1))
    old, new = chain[i].by_id(), chain[j].by_id()
    ops = {
        pid: diff_ops(old[pid].text if pid in old else "", new[pid].text if pid in new else "") for pid in {*old, *new}
    }
    labels = attribute_changes(chain, chain[i].version, chain[j].version, ops, props, decisions, presidency=LAO)
    assert set(labels) == set(ops)
    for pid, ls in labels.items():
        assert len(ls) == len(ops[pid])
        for (op, _), who in zip(ops[pid], ls, strict=True):
            if op == "equal" or i == j:
                assert who is None
            elif who is not None:
                assert who and all(isinstance(x, str) for x in who)


def test_blame_at_conference_scale_joins_every_paragraph():
    """300 paragraphs, 3 versions, every paragraph amended by three delegations each round.

    Behaviour only; its speed is measured by ``make bench``."""
    words = [f"w{i}" for i in range(200)]
    base = version("v0", *((f"p-{i}", " ".join(words[(i + k) % 200] for k in range(120)) + ".") for i in range(300)))
    chain, props, decisions = [base], {}, {}
    for step in (1, 2):
        ps = []
        for p in chain[-1].paragraphs:
            ws = p.text.split(" ")
            for k in range(3):
                new = list(ws)
                new[(k * 37 + step * 11) % len(ws)] = f"n{step}{k}"
                ps.append(amend(f"D{k}-{p.id}-{step}", p.id, " ".join(new), base=chain[-1].version))
        d = {q.id: Decision(q.id, "accepted") for q in ps}
        props.update({q.id: q for q in ps})
        decisions.update(d)
        chain.append(compose(chain[-1], ps, d, new_version=f"v{step}").version)
    b = blame(chain, props, decisions, presidency=LAO)
    assert len(b) == 300
    final = chain[-1].by_id()
    for pid, spans in b.items():
        assert "".join(s.text for s in spans) == final[pid].text
        assert {s.origin.delegation for s in spans} >= {"D0", "D1", "D2"}
