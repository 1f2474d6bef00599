"""Submissions after the first round: Word files that know where they come from, inputs that
add (decided proposals never the user's burden), withdrawals, co-sponsors who confirm, and
the record kept in git (``check``). Real git workspaces, real pandoc, LibreOffice for the
delegates' tracked edits."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, tree_state
from drafting.formats.stamp import read_stamp
from drafting.service.identity import identity
from drafting.store import yamlio
from drafting.store.workspace import Workspace
from reading import tracked_insert

DOC = "action-plan"
ROUND2 = "rev1-inputs"
SYSTEM_PYTHON = "/usr/bin/python3"


def _uno() -> bool:
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


office = pytest.mark.skipif(not _uno(), reason="LibreOffice with python3-uno is not installed")


def lo_edit(src: Path, out: Path, author: str, edits: list[tuple[str, str]]) -> Path:
    """``src`` edited in LibreOffice with Track Changes on, saved as .docx."""
    r = subprocess.run(
        [SYSTEM_PYTHON, str(ROOT / "tests" / "lo_edit.py"), str(src), str(out), author, json.dumps(edits)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return out


def later(hours: int) -> dict[str, str]:
    """The clock ``hours`` from now (the server's clock, for a later submission)."""
    return {"DRAFTING_CLOCK": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat(timespec="seconds")}


def open_round2(root: Path) -> None:
    """The Presidency opens the round on Revision 1 (one commit to drafting.yaml)."""
    ws = Workspace(root)
    text = (root / "drafting.yaml").read_text(encoding="utf-8").rstrip("\n")
    text += f"\n  - {{id: {ROUND2}, document: {DOC}, base: rev1, deadline: 2099-12-31}}\n"
    with ws.git.transaction():
        ws.git.commit(
            {"drafting.yaml": text.encode()}, "Open round on Rev.1", identity(ws.config.presidency_delegation)
        )


@pytest.fixture(scope="module")
def round2_master(rev1_master, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("round2") / "ws"
    shutil.copytree(rev1_master, root, symlinks=True)
    open_round2(root)
    return root


@pytest.fixture
def round2(round2_master, tmp_path) -> Path:
    dst = tmp_path / "round2"
    shutil.copytree(round2_master, dst, symlinks=True)
    return dst


def export(root: Path, version: str, out: Path, *extra: str) -> Path:
    r = run_cli("-w", str(root), "export", DOC, version, "-o", str(out), *extra)
    assert r.returncode == 0, r.stderr
    return out


def submit(root: Path, path: Path, code: str, *extra: str, env: dict | None = None):
    return run_cli("-w", str(root), "submit", str(path), "--delegation", code, "--json", *extra, env=env)


def xml_edit(docx: Path, out: Path, bookmark: str, inserted: str, *, unstamp: bool = False) -> Path:
    """A tracked insertion typed in September (round 2)."""
    return tracked_insert(docx, out, bookmark, inserted, date="2026-09-10T10:00:00Z", unstamp=unstamp)


def unique_phrase(text: str, word: str) -> tuple[str, str]:
    """Five words of a paragraph (to find them in the document) and the same five with the
    fourth replaced by ``word``."""
    words = text.split()[1:6]
    return " ".join(words), " ".join([*words[:3], word, *words[4:]])


# ------------------------------------------------------------------------- the stamp


def test_every_exported_word_file_says_where_it_comes_from(round2, tmp_path):
    docx = export(round2, "rev1", tmp_path / "rev1.docx")
    odt = export(round2, "rev1", tmp_path / "rev1.odt", "--format", "odt")
    tracked = export(round2, "rev1", tmp_path / "tracked.docx", "--changes-since", "zero-draft")
    conference = Workspace(round2).config.conference
    for f in (docx, odt):
        s = read_stamp(f)
        assert s is not None and (s.conference, s.document, s.version, s.round, s.kind) == (
            conference,
            DOC,
            "rev1",
            ROUND2,
            "version",
        )
    s = read_stamp(tracked)
    assert s is not None and (s.kind, s.version, s.since) == ("tracked", "rev1", "zero-draft")
    assert b'name="drafting-version"' in zipfile.ZipFile(docx).read("docProps/custom.xml")


@office
def test_a_copy_of_rev1_with_one_word_changed_gives_one_proposal_in_round_2(round2, tmp_path):
    """The case of the issue: the circulated Revision 1 with one word changed, filed into the
    round on Revision 1 as one proposal (not Rev.1's changes re-proposed); the stamp survives
    LibreOffice."""
    ws = Workspace(round2)
    rev1 = ws.version(DOC, "rev1")
    para = next(p for p in rev1.paragraphs if p.kind == "action" and len(p.text.split()) > 6)
    old, new = unique_phrase(para.text, "XYZZY")
    edited = lo_edit(export(round2, "rev1", tmp_path / "rev1.docx"), tmp_path / "mex.docx", "Mexico", [(old, new)])
    assert read_stamp(edited) is not None and read_stamp(edited).version == "rev1"
    before = Workspace(round2).git.head()
    r = submit(round2, edited, "MEX")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["round"] == ROUND2 and out["base"] == "rev1"
    (p,) = out["proposals"]
    assert p["op"] == "amend" and p["paragraph"] == para.id
    assert p["text"] == para.text.replace(old, new, 1)
    assert (
        int(
            subprocess.run(
                ["git", "rev-list", "--count", f"{before}..HEAD"], cwd=round2, capture_output=True, text=True
            ).stdout
        )
        == 1
    )


@office
def test_a_copy_of_the_zero_draft_is_rebased_onto_rev1(round2, tmp_path):
    """Exported from the zero draft, submitted into the round on Rev.1: an edit in a paragraph
    Rev.1 left alone is carried over as is; one in words Rev.1 changed is filed as a comment
    quoting it (reported, never dropped)."""
    ws = Workspace(round2)
    zero, rev1 = ws.version(DOC, "zero-draft").by_id(), ws.version(DOC, "rev1").by_id()
    same = next(pid for pid, p in zero.items() if pid in rev1 and rev1[pid].text == p.text and len(p.text.split()) > 8)
    edits = [unique_phrase(zero[same].text, "QUUX")]
    edited = lo_edit(export(round2, "zero-draft", tmp_path / "zero.docx"), tmp_path / "fra.docx", "France", edits)
    r = submit(round2, edited, "FRA")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["round"] == ROUND2
    assert any("carried over" in n for n in out["notes"])
    mine = [p for p in out["proposals"] if p["id"] in out["added"]]
    assert [(p["op"], p["paragraph"], p["base"]) for p in mine] == [("amend", same, "rev1")]
    assert mine[0]["text"] == rev1[same].text.replace(edits[0][0], edits[0][1], 1)


def test_an_edit_in_words_rev1_changed_is_filed_as_a_comment_never_dropped(round2):
    ws = Workspace(round2)
    zero, rev1 = ws.version(DOC, "zero-draft").by_id(), ws.version(DOC, "rev1").by_id()
    pid = next(pid for pid, p in zero.items() if pid in rev1 and rev1[pid].text != p.text)
    from drafting.model.records import Proposal
    from drafting.text.submission import Incoming, Snapshot, submission

    cfg = ws.config
    snap = Snapshot(
        delegation=cfg.delegation("FRA"),
        round=cfg.round(ROUND2),
        base=ws.version(DOC, "rev1"),
        earlier=None,
        damaged={},
        decisions={},
        ids_elsewhere=frozenset(),
        last_number=9,
        agreed={},
        now="2026-09-01T10:00:00Z",
    )
    amend = Proposal(id="", op="amend", paragraph=pid, text="Entirely new words here.", base="zero-draft")
    out = submission(snap, Incoming("fra.docx", (amend,), read_against=ws.version(DOC, "zero-draft")))
    (p,) = out.contribution.proposals
    assert p.op == "comment" and p.paragraph == pid and "Entirely new words here." in (p.text or "")
    assert p.id == "FRA-10" and any("as a comment" in n for n in out.notes)


def test_a_word_submission_needs_an_open_round(rev1, tmp_path):
    docx = xml_edit(export(rev1, "rev1", tmp_path / "rev1.docx"), tmp_path / "mex.docx", "p_va_1", " now")
    before = tree_state(rev1)
    r = submit(rev1, docx, "MEX")
    assert r.returncode == 2 and "no round is open" in r.stderr and str(docx) in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert tree_state(rev1) == before


def test_a_file_without_the_stamp_is_read_against_the_version_it_matches_best(round2, tmp_path):
    bookmark = next(
        f"p_{p.id.replace('-', '_')}" for p in Workspace(round2).version(DOC, "rev1").paragraphs if p.kind == "action"
    )
    docx = xml_edit(
        export(round2, "rev1", tmp_path / "rev1.docx"), tmp_path / "plain.docx", bookmark, " now", unstamp=True
    )
    assert read_stamp(docx) is None
    r = submit(round2, docx, "MEX", "--document", DOC)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["added"]) == 1
    assert any("does not say which version" in n and "Revision 1" in n for n in out["notes"])


def test_the_compilation_is_refused_with_the_share_that_matched(round2, tmp_path):
    comp = tmp_path / "comp.docx"
    r = run_cli(
        "-w", str(round2), "compilation", DOC, "--round", "zero-draft-inputs", "--format", "docx", "-o", str(comp)
    )
    assert r.returncode == 0, r.stderr
    before = tree_state(round2)
    r = submit(round2, comp, "MEX")
    assert r.returncode == 2 and "compilation" in r.stderr and str(comp) in r.stderr
    # the same file with its properties dropped: refused by what it is, with the share matched
    plain = tmp_path / "plain-comp.docx"
    z = zipfile.ZipFile(comp)
    with zipfile.ZipFile(plain, "w") as w:
        for i in z.infolist():
            if i.filename != "docProps/custom.xml":
                w.writestr(i, z.read(i))
    r = submit(round2, plain, "MEX", "--document", DOC)
    assert r.returncode == 2 and "does not look like" in r.stderr and "%" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert tree_state(round2) == before


# ------------------------------------------------------------------------- adding, deciding, again


def test_a_decided_delegation_submits_again_by_word_and_first_dates_stay(round2, tmp_path):
    ws = Workspace(round2)
    actions = [p for p in ws.version(DOC, "rev1").paragraphs if p.kind == "action"]
    first, second = (f"p_{p.id.replace('-', '_')}" for p in actions[:2])
    rev1 = export(round2, "rev1", tmp_path / "rev1.docx")
    r = submit(round2, xml_edit(rev1, tmp_path / "a.docx", first, " without delay"), "MEX")
    assert r.returncode == 0, r.stderr
    (pid,) = json.loads(r.stdout)["added"]
    assert run_cli("-w", str(round2), "decide", pid, "accepted").returncode == 0
    again = xml_edit(rev1, tmp_path / "b.docx", second, " in full")
    r = submit(round2, again, "MEX", env=later(2))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    by_id = {p["id"]: p for p in out["proposals"]}
    (new,) = out["added"]
    assert set(by_id) == {pid, new} and by_id[pid]["status"] == "accepted"
    assert by_id[pid]["submitted"] < by_id[new]["submitted"]  # the first date stays
    before = tree_state(round2)
    r = submit(round2, again, "MEX", env=later(3))  # the same file again: nothing new
    assert r.returncode == 2 and "nothing new" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert tree_state(round2) == before
    assert run_cli("-w", str(round2), "check").returncode == 0


def test_withdraw_then_no_decision(round2, tmp_path):
    rev1 = export(round2, "rev1", tmp_path / "rev1.docx")
    bm = next(
        f"p_{p.id.replace('-', '_')}" for p in Workspace(round2).version(DOC, "rev1").paragraphs if p.kind == "action"
    )
    r = submit(round2, xml_edit(rev1, tmp_path / "a.docx", bm, " promptly"), "FRA")
    (pid,) = json.loads(r.stdout)["added"]
    r = run_cli("-w", str(round2), "withdraw", pid, "--delegation", "MEX")
    assert r.returncode == 2 and "only FRA withdraws it" in r.stderr
    r = run_cli("-w", str(round2), "withdraw", pid, "--delegation", "FRA")
    assert r.returncode == 0, r.stderr
    rows = json.loads(run_cli("-w", str(round2), "proposals", DOC, "--round", ROUND2, "--json").stdout)
    assert next(x for x in rows if x["id"] == pid)["status"] == "withdrawn"
    before = tree_state(round2)
    r = run_cli("-w", str(round2), "decide", pid, "accepted")
    assert r.returncode == 2 and "withdrawn" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert tree_state(round2) == before
    assert run_cli("-w", str(round2), "check").returncode == 0


def test_co_sponsors_confirm_pending_and_withdraw_support(round2, tmp_path):
    rev1 = export(round2, "rev1", tmp_path / "rev1.docx")
    bm = next(
        f"p_{p.id.replace('-', '_')}" for p in Workspace(round2).version(DOC, "rev1").paragraphs if p.kind == "action"
    )
    r = submit(
        round2, xml_edit(rev1, tmp_path / "a.docx", bm, " jointly"), "MEX", "--co-sponsor", "AUT", "--co-sponsor", "CHL"
    )
    assert r.returncode == 0, r.stderr
    (pid,) = json.loads(r.stdout)["added"]

    def support() -> dict:
        rows = json.loads(run_cli("-w", str(round2), "proposals", DOC, "--round", ROUND2, "--json").stdout)
        return next(x for x in rows if x["id"] == pid)["support"]

    assert support() == {"AUT": "pending", "CHL": "pending"}
    assert run_cli("-w", str(round2), "cosponsor", pid, "--delegation", "AUT").returncode == 0
    assert support() == {"AUT": "confirmed", "CHL": "pending"}
    assert run_cli("-w", str(round2), "cosponsor", pid, "--delegation", "AUT", "--withdraw").returncode == 0
    assert support()["AUT"] == "withdrawn"
    before = tree_state(round2)
    for code, expect in (("ICRC", "observer"), ("MEX", "own proposal"), ("FRA", "does not name FRA")):
        r = run_cli("-w", str(round2), "cosponsor", pid, "--delegation", code)
        assert r.returncode == 2 and expect in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert tree_state(round2) == before
    # a later Word file by MEX names nobody: its new proposal does not inherit AUT and CHL
    bm2 = next(
        f"p_{p.id.replace('-', '_')}"
        for p in Workspace(round2).version(DOC, "rev1").paragraphs
        if p.kind == "action" and f"p_{p.id.replace('-', '_')}" != bm
    )
    r = submit(round2, xml_edit(rev1, tmp_path / "b.docx", bm2, " alone"), "MEX")
    out = json.loads(r.stdout)
    (new,) = out["added"]
    assert next(p for p in out["proposals"] if p["id"] == new)["co_sponsors"] == []
    assert run_cli("-w", str(round2), "decide", pid, "accepted").returncode == 0
    r = run_cli("-w", str(round2), "cosponsor", pid, "--delegation", "CHL")
    assert r.returncode == 2 and "already decided" in r.stderr
    assert run_cli("-w", str(round2), "check").returncode == 0
    # AUT withdrew its support: the words are no longer credited to it (CHL, still named
    # and silent, is); the proposal still names both, and says where each stands
    r = run_cli("-w", str(round2), "compilation", DOC, "--round", ROUND2, "--format", "json")
    rows = json.loads(r.stdout)
    credited = next(p for row in rows for p in row["proposals"] if p["id"] == pid)["delegations"]
    assert credited == ["Mexico", "Chile"]
    r = run_cli("-w", str(round2), "compose", DOC, "--from", "rev1", "--to", "rev2", "--allow-open")
    assert r.returncode == 0, r.stderr
    labels = json.loads(run_cli("-w", str(round2), "diff", DOC, "rev1", "rev2", "--json", "--labels").stdout)["labels"]
    who = {code for ops in labels.values() for op in ops if op for code in op}
    assert "MEX" in who and "AUT" not in who
    assert support() == {"AUT": "withdrawn", "CHL": "pending"}


# ------------------------------------------------------------------------- check


def _commit_as(root: Path, code: str, rel: str, data) -> None:
    ws = Workspace(root)
    with ws.git.transaction():
        ws.git.commit({rel: yamlio.dumps(data).encode()}, f"hand edit by {code}", identity(ws.config.delegation(code)))


def test_check_catches_in_git_what_the_cli_refuses(round2, tmp_path):
    rev1 = export(round2, "rev1", tmp_path / "rev1.docx")
    bms = [
        f"p_{p.id.replace('-', '_')}" for p in Workspace(round2).version(DOC, "rev1").paragraphs if p.kind == "action"
    ]
    r = submit(round2, xml_edit(rev1, tmp_path / "a.docx", bms[0], " now"), "MEX", "--co-sponsor", "AUT")
    (pid,) = json.loads(r.stdout)["added"]
    assert run_cli("-w", str(round2), "withdraw", pid, "--delegation", "MEX").returncode == 0
    start = Workspace(round2).git.head()
    rel = f"contributions/{DOC}/{ROUND2}/MEX.yaml"
    data = yamlio.loads((round2 / rel).read_text(), rel)
    revived = json.loads(json.dumps(data, default=str))
    revived["proposals"][0].pop("withdrawn")
    revived["proposals"][0]["submitted"] = "2026-01-01T00:00:00Z"
    _commit_as(round2, "MEX", rel, revived)
    forged = {
        "delegation": "AUT",
        "document": DOC,
        "round": ROUND2,
        "base": "rev1",
        "supports": {pid: "confirmed"},
        "proposals": [],
    }
    _commit_as(round2, "MEX", f"contributions/{DOC}/{ROUND2}/AUT.yaml", forged)
    r = run_cli("-w", str(round2), "check", f"{start}..HEAD", "--json")
    assert r.returncode != 0
    found = " | ".join(p["message"] for p in json.loads(r.stdout)["problems"])
    assert "first submitted" in found or "revives" in found
    assert "AUT" in found  # MEX may not write AUT's confirmation


def test_a_copy_circulated_with_tracked_changes_gives_only_the_delegations_own_edit(round2, tmp_path):
    """Rev.1 circulated with its changes since the zero draft as tracked changes (and the
    round's comments): only what the delegate added is filed, not Rev.1's changes or the
    comments that came with the copy (the delegation's own earlier ones included)."""
    tracked = export(round2, "rev1", tmp_path / "tracked.docx", "--changes-since", "zero-draft")
    r = submit(round2, tracked, "MEX")
    assert r.returncode == 2 and "nothing to submit" in r.stderr
    edited = xml_edit(tracked, tmp_path / "mex.docx", "p_intro_2", " XYZZY")
    r = submit(round2, edited, "MEX")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    added = [p for p in out["proposals"] if p["id"] in out["added"]]
    assert [(p["op"], p["paragraph"]) for p in added] == [("amend", "intro-2")]
    assert added[0]["text"].endswith(" XYZZY") and out["round"] == ROUND2


def test_check_flags_an_answer_to_a_proposal_that_does_not_name_the_delegation(round2):
    rel = f"contributions/{DOC}/zero-draft-inputs/FRA.yaml"
    data = json.loads(json.dumps(yamlio.loads((round2 / rel).read_text(), rel), default=str))
    data["supports"] = {"MEX-4": "confirmed"}  # MEX names ESP and SEN, not FRA
    _commit_as(round2, "FRA", rel, data)
    r = run_cli("-w", str(round2), "check", "--json")
    assert r.returncode != 0
    assert any("does not name FRA" in p["message"] for p in json.loads(r.stdout)["problems"])


# ------------------------------------------------------------------------- the app


def test_my_inputs_confirms_co_sponsorship_and_withdraws(example, monkeypatch):
    from test_app import open_link

    at = open_link(example, monkeypatch, "my_inputs", act="SEN", doc=DOC, proposal="MEX-4")
    assert "names Senegal as a co-sponsor" in " ".join(str(h.proto.body) for h in at.get("html"))
    at.button(key="mine_cosponsor_MEX-4").click().run()
    rows = json.loads(run_cli("-w", str(example), "proposals", DOC, "--delegation", "MEX", "--json").stdout)
    assert next(r for r in rows if r["id"] == "MEX-4")["support"] == {"ESP": "pending", "SEN": "confirmed"}
    at = open_link(example, monkeypatch, "my_inputs", act="MEX", doc=DOC, proposal="MEX-4")
    at.button(key="mine_withdraw_MEX-4").click().run()
    assert Workspace(example).status(next(p for p in Workspace(example).all_proposals(DOC) if p.id == "MEX-4")) == (
        "withdrawn"
    )


# ------------------------------------------------------------------------- the pure decision


def _snap(earlier=(), decisions=None, last=0):
    from drafting.model.records import Contribution, Delegation, Paragraph, Round, Version
    from drafting.text.submission import Snapshot

    base = Version(DOC, "v1", (Paragraph("a", "One two three."), Paragraph("b", "Four five six.")))
    rnd = Round("r", DOC, "v1")
    c = Contribution("MEX", DOC, "r", "v1", tuple(earlier), (), "2026-07-01T00:00:00Z") if earlier else None
    return Snapshot(
        delegation=Delegation("MEX", "Mexico", "state-party"),
        round=rnd,
        base=base,
        earlier=c,
        damaged={},
        decisions=decisions or {},
        ids_elsewhere=frozenset({"MEX-1"}),
        last_number=last,
        agreed={},
        now="2026-07-09T00:00:00Z",
    )


def _p(pid, text, para="a", **kw):
    from drafting.model.records import Proposal

    return Proposal(
        id=pid, op="amend", paragraph=para, text=text, delegation="MEX", document=DOC, round="r", base="v1", **kw
    )


def test_an_addition_keeps_everything_earlier_and_never_adds_the_same_twice():
    from drafting.model.errors import DraftingError
    from drafting.text.submission import Incoming, submission

    first = _p("MEX-2", "One two four.", submitted="2026-07-01T00:00:00Z")
    snap = _snap([first], last=2)
    out = submission(snap, Incoming("f.docx", (_p("", "One two four."), _p("", "Four five."), _p("", "Four five."))))
    c = out.contribution
    assert [(p.id, p.text, p.submitted) for p in c.proposals] == [
        ("MEX-2", "One two four.", "2026-07-01T00:00:00Z"),
        ("MEX-3", "Four five.", "2026-07-09T00:00:00Z"),
    ]
    assert [p.id for p in out.added] == ["MEX-3"] and any("already submitted as MEX-2" in n for n in out.notes)
    with pytest.raises(DraftingError, match="nothing new"):
        submission(snap, Incoming("f.docx", (_p("", "One two four."),)))


def test_a_yaml_file_replaces_only_the_undecided_and_decided_stay_without_being_repeated():
    from drafting.model.errors import DraftingError
    from drafting.model.records import Decision
    from drafting.text.submission import Incoming, submission

    decided = _p("MEX-2", "One two four.", submitted="2026-07-01T00:00:00Z")
    open_ = _p("MEX-3", "Four five.", para="b", submitted="2026-07-02T00:00:00Z")
    snap = _snap([decided, open_], {"MEX-2": Decision("MEX-2", "accepted")}, last=3)
    out = submission(snap, Incoming("f.yaml", (_p("", "Four five seven.", para="b"),), replaces=True))
    assert [(p.id, p.text) for p in out.contribution.proposals] == [
        ("MEX-2", "One two four."),
        ("MEX-4", "Four five seven."),
    ]
    kept = submission(snap, Incoming("f.yaml", (_p("", "Four five.", para="b"),), replaces=True)).contribution
    assert [(p.id, p.submitted) for p in kept.proposals][-1] == ("MEX-3", "2026-07-02T00:00:00Z")
    with pytest.raises(DraftingError, match="MEX-2 was already decided"):
        submission(snap, Incoming("f.yaml", (_p("MEX-2", "One two five."),), replaces=True))
    with pytest.raises(DraftingError, match="already used in another round"):
        submission(snap, Incoming("f.yaml", (_p("MEX-1", "One."),), replaces=True))
