"""A delegation sends the circulated draft back from Word with Track Changes on."""

from __future__ import annotations

import json
import zipfile

from conftest import run_cli, tree_state
from drafting.store.workspace import Workspace
from reading import tracked_insert


def test_word_file_with_tracked_changes_becomes_proposals_of_the_delegation(example, tmp_path):
    draft = tmp_path / "zero.docx"
    assert run_cli("-w", str(example), "export", "action-plan", "zero-draft", "-o", str(draft)).returncode == 0
    assert b"<w:trackRevisions" in zipfile.ZipFile(draft).read("word/settings.xml")  # opens with tracking on
    edited = tmp_path / "ita-edits.docx"
    tracked_insert(draft, edited, "p_va_1", " and without delay")
    r = run_cli("-w", str(example), "submit", str(edited), "--delegation", "ITA", "--document", "action-plan", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    (p,) = [p for p in out["proposals"] if p["op"] != "comment"]
    ws = Workspace(example)
    base = ws.version("action-plan", "zero-draft").by_id()["va-1"].text
    assert p["op"] == "amend" and p["paragraph"] == "va-1" and p["delegation"] == "ITA"
    assert p["text"] == base + " and without delay"
    saved = ws.proposals("action-plan", "zero-draft-inputs")
    mine = next(q for q in saved if q.delegation == "ITA" and q.paragraph == "va-1" and q.op == "amend")
    assert dict(mine.meta)["word_authors"] == ["Jane Doe"]  # Word's author name kept as metadata
    log = run_cli("-w", str(example), "log", "--json")
    assert json.loads(log.stdout)[0]["author"] == "Italy (ITA)"


def test_unreadable_word_files_are_refused_and_nothing_is_written(example, tmp_path):
    bad = tmp_path / "not-a-zip.docx"
    bad.write_bytes(b"this is not a Word file")
    before = tree_state(example)
    r = run_cli("-w", str(example), "submit", str(bad), "--delegation", "MEX")
    assert r.returncode == 2 and bad.name in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert tree_state(example) == before
    other = tmp_path / "unrelated.docx"
    md = tmp_path / "x.md"
    md.write_text("# Cooking\n\nPut the rice in the pot and add water.\n\nBoil for twenty minutes.\n")
    import pypandoc

    pypandoc.convert_file(str(md), "docx", outputfile=str(other))
    r = run_cli("-w", str(example), "submit", str(other), "--delegation", "MEX", "--document", "action-plan")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert tree_state(example) == before


def test_a_word_file_adds_to_a_delegation_whose_proposals_were_decided(example, tmp_path):
    """NZL's YAML inputs were decided; its Word file adds the new edit, and the decided
    proposals stay as they were (with their ids and first dates)."""
    draft = tmp_path / "zero.docx"
    assert run_cli("-w", str(example), "export", "action-plan", "zero-draft", "-o", str(draft)).returncode == 0
    edited = tmp_path / "nzl.docx"
    tracked_insert(draft, edited, "p_va_1", " and without delay")
    before = {
        p.id: p for p in Workspace(example).proposals("action-plan", "zero-draft-inputs") if p.delegation == "NZL"
    }
    r = run_cli("-w", str(example), "submit", str(edited), "--delegation", "NZL", "--document", "action-plan", "--json")
    assert r.returncode == 0, r.stderr
    after = {p.id: p for p in Workspace(example).proposals("action-plan", "zero-draft-inputs") if p.delegation == "NZL"}
    assert all(after[i] == p for i, p in before.items())
    (new,) = set(after) - set(before)
    assert json.loads(r.stdout)["added"] == [new] and after[new].paragraph == "va-1"


def test_upload_names_are_the_users_own_base_name():
    from drafting.service.inputs import upload_name

    assert upload_name("Délégation de la Belgique.docx") == "Délégation de la Belgique.docx"
    assert upload_name("../../etc/passwd.docx") == "passwd.docx"
    assert upload_name("C:\\Users\\delegate\\My edits.docx") == "My edits.docx"
    assert upload_name("bad\x00name\x1b[31m.docx") == "badname[31m.docx"
    assert upload_name("", "upload.docx") == upload_name(None, "upload.docx") == "upload.docx"
    assert upload_name(".hidden.docx") == "hidden.docx"
    long = upload_name("x" * 300 + ".docx")
    assert len(long) == 120 and long.endswith(".docx")


def test_messages_about_an_upload_name_the_users_file_never_the_temporary_path(example, tmp_path):
    """The app keeps an upload in a temporary folder; what it says names the file as chosen."""
    from drafting.model.errors import DraftingError
    from drafting.service.exports import export_version
    from drafting.service.inputs import submit_file

    kept = tmp_path / "drafting-upload-abc123"
    kept.mkdir()
    shown = "Délégation de la Belgique.docx"
    unchanged = export_version(Workspace(example), "action-plan", "zero-draft", "docx", kept / shown)
    corrupt = kept / "corrupt.docx"
    corrupt.write_bytes(b"not a zip")
    before = tree_state(example)
    for path in (unchanged, corrupt):
        try:
            submit_file(Workspace(example), path, delegation="BEL", document="action-plan", shown=shown)
        except DraftingError as err:
            message = str(err)
        else:
            raise AssertionError(f"{path.name} was accepted")
        assert str(kept) not in message and "drafting-upload" not in message, message
        assert message.startswith(("Délégation de la Belgique.docx: ", "corrupt.docx: ")), message
    assert tree_state(example) == before


def test_the_comments_a_copy_was_circulated_with_are_left_out_in_one_note(example, tmp_path):
    """A copy exported with the round's comments carries other delegations' Word comments:
    they are not the submitting delegation's, and the reader says so once, naming them."""
    from drafting.service.exports import export_version
    from drafting.service.word import read_word

    ws = Workspace(example)
    out = export_version(ws, "action-plan", "zero-draft", "docx", tmp_path / "with-comments.docx", comments="all")
    with zipfile.ZipFile(out) as z:
        assert "word/comments.xml" in z.namelist()
    reading = read_word(ws, out, delegation="MEX")
    assert not [p for p in reading.proposals if p.op == "comment"]
    notes = [n for n in reading.notes if "came with the circulated copy" in n]
    assert len(notes) == 1, reading.notes
    assert notes[0].startswith("left out ") and " comments by " in notes[0] and "-" not in notes[0].split(":")[0]
    assert not [n for n in reading.notes if ": comment by " in n], "each comment narrated again"
