"""The record must be trustworthy, tried through the command line as a hostile or
careless participant would: decided texts cannot change, ids cannot be taken, dates are
the server's, invisible characters are refused, one bad file does not stop the others,
the machine's refusals (disk full, read-only) are one line.

Every refusal: one line naming the file and the problem, exit code 2, the workspace and
its whole history unchanged (``adversary.refused``). See docs/design/threat-model.md.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from adversary import as_author, commit_as, contribution, decisions, git, history, ok, refused
from conftest import ROOT, run_cli, tree_state, write
from drafting.model.errors import DraftingError
from drafting.service import clock
from drafting.service.inputs import decide, submit_data
from drafting.store import yamlio
from drafting.store.workspace import Workspace

AMEND = "States Parties will report every year on progress in land release."
AMEND2 = "States Parties will report every two years on progress in land release."


def mex_decided(tiny: Path) -> Path:
    """Mexico's MEX-1 (an amendment of clr-2) accepted by the Presidency."""
    ok(tiny, "submit", str(write(tiny.parent / "mex.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    ok(tiny, "decide", "MEX-1", "accepted")
    return tiny


def _amend(text: str, pid: str | None = None, paragraph: str = "clr-2") -> dict:
    p = {"op": "amend", "paragraph": paragraph, "text": text}
    return {"id": pid, **p} if pid else p


# ----------------------------------------------------------------------- bait and switch


def test_a_decided_proposal_cannot_be_switched_by_resubmitting_its_id(tiny):
    mex_decided(tiny)
    switched = write(tiny.parent / "switch.yaml", contribution("MEX", [_amend(AMEND2, "MEX-1")]))
    line = refused(tiny, "submit", str(switched), "-d", "MEX", expect="MEX-1 was already decided (accepted)")
    assert str(switched) in line and "changes it" in line


@pytest.mark.parametrize(
    "change",
    [
        {"rationale": "A new reason, after the decision."},
        {"op": "delete", "text": None},
        {"paragraph": "clr-1"},
    ],
    ids=["rationale", "operation", "paragraph"],
)
def test_no_part_of_a_decided_proposal_changes(tiny, change):
    mex_decided(tiny)
    p = {**_amend(AMEND, "MEX-1"), **change}
    p = {k: v for k, v in p.items() if v is not None}
    refused(
        tiny,
        "submit",
        str(write(tiny.parent / "v.yaml", contribution("MEX", [p]))),
        "-d",
        "MEX",
        expect="MEX-1 was already decided",
    )


def test_a_decided_proposal_kept_exactly_lets_new_ones_in(tiny):
    mex_decided(tiny)
    more = contribution("MEX", [_amend(AMEND, "MEX-1"), {"op": "comment", "paragraph": "va-1", "text": "Noted."}])
    r = ok(tiny, "submit", str(write(tiny.parent / "more.yaml", more)), "-d", "MEX", "--json")
    assert "MEX-2" in r.stdout


def test_bait_and_switch_on_the_bundled_example(example):
    """Bait and switch: MEX-1 decided, the file resubmitted with MEX-1 kept and
    "2045" for "2030"; refused, and compose and check see the decided text."""
    rel = "contributions/action-plan/zero-draft-inputs/MEX.yaml"
    data = yamlio.loads((example / rel).read_bytes(), rel)
    text = data["proposals"][0]["text"]
    assert data["proposals"][0]["id"] == "MEX-1" and "2030" in text
    data["proposals"][0]["text"] = text.replace("2030", "2045")
    switched = write(example.parent / "mex-switch.yaml", yamlio.dumps(data))
    refused(example, "submit", str(switched), "-d", "MEX", expect="MEX-1 was already decided")


def test_a_decision_is_not_taken_on_a_text_the_presidency_did_not_see(tiny):
    """A resubmission between the Presidency's look and its click: the decision is refused."""
    ok(tiny, "submit", str(write(tiny.parent / "a.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    ws = Workspace(tiny)
    seen = ws.proposals("action-plan", "r1")[0]
    ok(tiny, "submit", str(write(tiny.parent / "b.yaml", contribution("MEX", [_amend(AMEND2, "MEX-1")]))), "-d", "MEX")
    before = history(tiny)
    with pytest.raises(DraftingError, match="changed by MEX's resubmission since it was shown"):
        decide(Workspace(tiny), "MEX-1", "accepted", expect=seen)
    assert history(tiny) == before


# ------------------------------------------------------------------------------ ids


def test_a_delegation_cannot_use_another_delegations_id(tiny):
    mex_decided(tiny)
    belgium = write(tiny.parent / "fra.yaml", contribution("FRA", [_amend(AMEND2, "MEX-1")]))
    line = refused(tiny, "submit", str(belgium), "-d", "FRA", expect="proposal id MEX-1 is in MEX's numbering")
    assert "proposals[0].id" in line


@pytest.mark.parametrize("pid", ["FRA-8", "MEX-99", "X-1", "LAO-1", "fra-8", "MEX", "AUTX-1"])
def test_ids_outside_ones_own_numbering_are_refused(tiny, pid):
    refused(
        tiny,
        "submit",
        str(write(tiny.parent / "p.yaml", contribution("AUT", [_amend(AMEND, pid)]))),
        "-d",
        "AUT",
        expect=f"proposal id {pid} ",
    )


def test_squatting_is_refused_and_assigned_ids_stay_unique(tiny):
    """Chile (here Austria) takes FRA-8: refused. France then submits without ids: FRA-1.."""
    refused(
        tiny,
        "submit",
        str(write(tiny.parent / "aut.yaml", contribution("AUT", [_amend(AMEND, "FRA-8")]))),
        "-d",
        "AUT",
        expect="FRA-8 is in FRA's numbering",
    )
    ok(tiny, "submit", str(write(tiny.parent / "fra.yaml", contribution("FRA", [_amend(AMEND2)]))), "-d", "FRA")
    ok(tiny, "decide", "FRA-1", "accepted")
    ok(tiny, "check")


def test_ids_are_unique_across_rounds_and_never_handed_out_twice(tiny):
    ok(tiny, "submit", str(write(tiny.parent / "a.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    pd = contribution(
        "MEX",
        [{"op": "comment", "paragraph": "op-1", "text": "Fine."}],
        round="pd-r1",
        document="political-declaration",
    )
    r = ok(tiny, "submit", str(write(tiny.parent / "pd.yaml", pd)), "-d", "MEX", "--json")
    assert '"MEX-2"' in r.stdout  # the numbering continues across rounds
    taken = contribution("MEX", [_amend(AMEND, "MEX-2")])
    refused(
        tiny, "submit", str(write(tiny.parent / "t.yaml", taken)), "-d", "MEX", expect="already used in another round"
    )


def test_concurrent_submissions_never_share_an_id(tiny):
    """Twelve submissions of one delegation in two rounds at once: every id is unique."""
    files = []
    for i in range(6):
        files.append(write(tiny.parent / f"r1-{i}.yaml", contribution("MEX", [_amend(f"{AMEND} Version {i}.")])))
        pd = [{"op": "comment", "paragraph": "op-1", "text": f"Comment {i}."}]
        files.append(
            write(
                tiny.parent / f"pd-{i}.yaml", contribution("MEX", pd, round="pd-r1", document="political-declaration")
            )
        )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "drafting.cli", "-w", str(tiny), "submit", str(f), "-d", "MEX"],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    ws = Workspace(tiny)
    ids = [p.id for r in ws.config.rounds for p in ws.proposals(r.document, r.id)]
    assert len(ids) == len(set(ids)) == 2  # each round holds the last submission's one proposal
    seen = git(tiny, "log", "-p", "--format=", "--", "contributions/")
    assigned = {line.split("id:")[1].strip() for line in seen.splitlines() if line.startswith("+") and "- id:" in line}
    assert len(assigned) == 12  # twelve submissions, twelve distinct ids over the history


# ---------------------------------------------------------------------------- dates


def test_the_submission_time_is_the_servers_clock(tiny):
    """A file's ``submitted:`` and git's date variables set nothing."""
    early = contribution("MEX", [_amend(AMEND)], submitted="2026-07-01T09:00:00Z")
    env = {"GIT_AUTHOR_DATE": "2026-07-02T09:00:00Z", "GIT_COMMITTER_DATE": "2026-07-02T09:00:00Z"}
    ok(tiny, "submit", str(write(tiny.parent / "e.yaml", early)), "-d", "MEX", env=env)
    stamp = yamlio.loads((tiny / "contributions/action-plan/r1/MEX.yaml").read_bytes(), "f")["submitted"]
    dates = git(tiny, "log", "-1", "--format=%aI %cI").split()
    assert "2026-07-0" not in str(stamp) and not any(d.startswith("2026-07-0") for d in dates)
    assert str(stamp)[:10] == dates[0][:10] == dates[1][:10]


def test_the_clock_is_set_only_by_the_servers_own_setting(tiny):
    env = {"DRAFTING_CLOCK": "2026-07-15T18:00:00Z", "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z"}
    ok(tiny, "submit", str(write(tiny.parent / "e.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX", env=env)
    ok(tiny, "decide", "MEX-1", "accepted", env=env)
    ok(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1", env=env)
    assert (
        git(tiny, "log", "-3", "--format=%aI|%cI").split()
        == ["2026-07-15T18:00:00+00:00|2026-07-15T18:00:00+00:00"] * 3
    )
    assert str(yamlio.loads((tiny / "drafts/action-plan/rev1.yaml").read_bytes(), "v")["date"]) == "2026-07-15"
    refused(tiny, "decide", "MEX-1", "rejected", env={"DRAFTING_CLOCK": "yesterday"}, expect="DRAFTING_CLOCK")


# ------------------------------------------------------------------------- versions


def test_a_written_version_cannot_be_written_again(tiny):
    mex_decided(tiny)
    ok(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1")
    refused(
        tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1", expect="already exists"
    )
    md = write(tiny.parent / "v.md", "A new first paragraph.\n")
    refused(tiny, "import", "action-plan", "rev1", str(md), expect="already exists")


def test_check_sees_a_version_edited_in_the_work_tree(tiny):
    mex_decided(tiny)
    ok(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1")
    rel = tiny / "drafts/action-plan/rev1.yaml"
    rel.write_text(rel.read_text().replace("every year", "every decade"))
    r = run_cli("--workspace", str(tiny), "check")
    assert r.returncode == 2 and "drafts/action-plan/rev1.yaml: changed in the work tree" in r.stdout + r.stderr
    rel.unlink()
    r = run_cli("--workspace", str(tiny), "check")
    assert r.returncode == 2 and "deleted in the work tree" in r.stdout + r.stderr


# -------------------------------------------------------------------------- compose


def test_compose_applies_exactly_what_history_holds_at_its_parent(tiny):
    """Six composes and six decides at once: each composed version holds every decision
    that precedes it in history and none that follows (compose reads under the lock)."""
    texts = [f"{AMEND[:-1]} number {i}." for i in range(6)]
    for i, t in enumerate(texts):
        code = ("MEX", "FRA", "AUT", "IDN", "MEX", "FRA")[i]
        target = ("clr-1", "clr-2", "va-1", "clr-1", "clr-2", "va-1")[i]
        data = contribution(code, [_amend(t, paragraph=target)])
        if i >= 3:  # a second proposal by the same delegation: keep the first
            ws = Workspace(tiny)
            prev = [p for p in ws.proposals("action-plan", "r1") if p.delegation == code]
            data = contribution(code, [_amend(p.text, p.id, p.paragraph) for p in prev] + [_amend(t, paragraph=target)])
        ok(tiny, "submit", str(write(tiny.parent / f"s{i}.yaml", data)), "-d", code)
    ids = sorted(p.id for p in Workspace(tiny).proposals("action-plan", "r1"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmds = [["compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", f"rev-{i}"] for i in range(6)]
    cmds += [["decide", pid, "rejected" if n % 2 else "accepted"] for n, pid in enumerate(ids)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "drafting.cli", "-w", str(tiny), *c],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for c in cmds
    ]
    assert all(p.wait(timeout=180) == 0 for p in procs)
    composed = git(tiny, "log", "--format=%H", "--", "drafts/action-plan/").split()[:-1]
    assert len(composed) == 6
    for sha in composed:
        name = git(tiny, "diff-tree", "--no-commit-id", "--name-only", "-r", sha).split("/")[-1][:-5]
        clone = tiny.parent / f"at-{sha[:8]}"
        git(tiny, "worktree", "add", "-q", "--detach", str(clone), f"{sha}^")
        date = yamlio.loads((tiny / f"drafts/action-plan/{name}.yaml").read_bytes(), "v")["date"]
        from drafting.service.versions import compose

        with clock.fixed(f"{date}T12:00:00Z"):  # (the day it was composed)
            expected = compose(Workspace(clone), "action-plan", "zero-draft", name, dry_run=True)
        written = yamlio.loads(git(tiny, "show", f"{sha}:drafts/action-plan/{name}.yaml").encode(), "v")
        assert written["paragraphs"] == expected["preview"]["paragraphs"], name


# -------------------------------------------------------------------- one bad file


BAD_FRA = "delegation: FRA\nproposals: [oops\n"


def _with_bad_file(tiny: Path, decided_fra: bool) -> Path:
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    ok(
        tiny,
        "submit",
        str(write(tiny.parent / "f.yaml", contribution("FRA", [_amend(AMEND2, paragraph="clr-1")]))),
        "-d",
        "FRA",
    )
    ok(tiny, "decide", "MEX-1", "accepted")
    if decided_fra:
        ok(tiny, "decide", "FRA-1", "accepted")
    commit_as(tiny, "FRA", {"contributions/action-plan/r1/FRA.yaml": BAD_FRA}, "A damaged file arrives by sync")
    return tiny


def _warned(r) -> None:
    lines = [x for x in r.stderr.strip().splitlines() if x.startswith("drafting: ")]
    assert len(lines) == 1 and lines[0].startswith("drafting: warning: contributions/action-plan/r1/FRA.yaml"), r.stderr


def test_one_malformed_file_does_not_stop_the_others(tiny):
    _with_bad_file(tiny, decided_fra=False)
    r = ok(tiny, "proposals", "action-plan", "--json")
    _warned(r)
    assert '"MEX-1"' in r.stdout and "FRA-1" not in r.stdout
    _warned(ok(tiny, "decide", "MEX-1", "modified", "--text", AMEND2))
    refused(
        tiny,
        "decide",
        "FRA-1",
        "accepted",
        expect="FRA-1 is in contributions/action-plan/r1/FRA.yaml, which is not valid",
    )
    _warned(ok(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1"))
    assert "every two years" in (tiny / "drafts/action-plan/rev1.yaml").read_text()
    _warned(ok(tiny, "compilation", "action-plan", "--round", "r1", "--format", "md", "-o", str(tiny.parent / "c.md")))
    _warned(ok(tiny, "blame", "action-plan", "rev1"))
    _warned(ok(tiny, "diff", "action-plan", "zero-draft", "rev1", "--labels", "--json"))
    r = run_cli("--workspace", str(tiny), "check")
    assert r.returncode == 2 and "contributions/action-plan/r1/FRA.yaml" in r.stdout + r.stderr


def test_compose_refuses_when_the_bad_files_proposals_are_decided(tiny):
    _with_bad_file(tiny, decided_fra=True)
    refused(
        tiny,
        "compose",
        "action-plan",
        "--from",
        "zero-draft",
        "--to",
        "rev1",
        expect="FRA-1 is decided (accepted), but contributions/action-plan/r1/FRA.yaml, which holds it, is not valid",
    )


def test_a_damaged_own_file_still_keeps_its_decided_proposals(tiny):
    """FRA's file is damaged (valid YAML, invalid contribution); FRA-1 was accepted: a
    resubmission dropping or changing FRA-1 is refused; keeping it is accepted."""
    ok(tiny, "submit", str(write(tiny.parent / "f.yaml", contribution("FRA", [_amend(AMEND)]))), "-d", "FRA")
    ok(tiny, "decide", "FRA-1", "accepted")
    rel = "contributions/action-plan/r1/FRA.yaml"
    damaged = (tiny / rel).read_text().replace("base: zero-draft", "base: zero-draft\ncolour: blue")
    commit_as(tiny, "FRA", {rel: damaged}, "Damaged")
    refused(
        tiny,
        "submit",
        str(write(tiny.parent / "n.yaml", contribution("FRA", [_amend(AMEND2)]))),
        "-d",
        "FRA",
        expect="FRA-1 was already decided",
    )
    ok(tiny, "submit", str(write(tiny.parent / "k.yaml", contribution("FRA", [_amend(AMEND, "FRA-1")]))), "-d", "FRA")


# ----------------------------------------------------------- invisible and look-alike


@pytest.mark.parametrize(
    "char, what",
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u200d", "U+200D ZERO WIDTH JOINER"),
        ("\u2060", "U+2060 WORD JOINER"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_invisible_characters_are_refused_with_their_position(tiny, char, what):
    text = f"States Parties will ensure{char} ton that survivors participate."
    line = refused(
        tiny,
        "submit",
        str(write(tiny.parent / "i.yaml", contribution("MEX", [_amend(text, paragraph="va-1")]))),
        "-d",
        "MEX",
        expect=what,
    )
    assert f"at position {len('States Parties will ensure') + 1}" in line and "proposals[0].text" in line
    assert char not in line


def test_invisible_characters_are_refused_in_decisions_names_tags_and_meta(tiny):
    mex = write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))
    ok(tiny, "submit", str(mex), "-d", "MEX")
    refused(tiny, "decide", "MEX-1", "modified", "--text", "will\u202e report", expect="--text contains an invisible")
    refused(tiny, "decide", "MEX-1", "rejected", "--note", "see\u200b below", expect="--note contains an invisible")
    tagged = contribution("MEX", [{**_amend(AMEND), "tags": ["gender\u200b"]}])
    refused(tiny, "submit", str(write(tiny.parent / "t.yaml", tagged)), "-d", "MEX", expect="proposals[0].tags[0]")
    ctl = contribution("MEX", [{**_amend(AMEND), "tags": ["a\x1b[31mred"]}])
    refused(tiny, "submit", str(write(tiny.parent / "c.yaml", ctl)), "-d", "MEX", expect="control or invalid character")
    meta = contribution("MEX", [{**_amend(AMEND), "meta": {"word_authors": ["Ana\x07"]}}])
    refused(
        tiny,
        "submit",
        str(write(tiny.parent / "x.yaml", meta)),
        "-d",
        "MEX",
        expect="proposals[0].meta.word_authors[0]",
    )


def test_a_mixed_script_word_is_accepted_and_flagged_in_the_diff(tiny):
    lookalike = AMEND.replace("Parties", "P\u0430rties")  # a Cyrillic "а"
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(lookalike)]))), "-d", "MEX")
    ok(tiny, "decide", "MEX-1", "accepted")
    ok(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1")
    html = tiny.parent / "d.html"
    ok(tiny, "diff", "action-plan", "zero-draft", "rev1", "--format", "html", "-o", str(html))
    assert 'class="dd-mixed" title="This word mixes Cyrillic and Latin letters' in html.read_text()
    md = tiny.parent / "d.md"
    ok(tiny, "diff", "action-plan", "zero-draft", "rev1", "--format", "md", "-o", str(md))
    assert "{>> mixes Cyrillic and Latin letters <<}" in md.read_text()


# ----------------------------------------------------------------------- co-sponsors


@pytest.mark.parametrize("who, role", [("LAO", "presidency"), ("ICRC", "observer"), ("ISU", "secretariat")])
def test_only_states_co_sponsor(tiny, who, role):
    data = contribution("MEX", [_amend(AMEND)], co_sponsors=["AUT", who])
    refused(
        tiny,
        "submit",
        str(write(tiny.parent / "c.yaml", data)),
        "-d",
        "MEX",
        expect=f"co_sponsors[1]: {who} ({role}) cannot co-sponsor",
    )


# ------------------------------------------------------------- the machine says no


def _limited(max_bytes: int):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return limit


def test_a_full_disk_is_one_line_and_loses_nothing(tiny):
    """Writes fail as on a full disk (a file-size limit: EFBIG): one line, exit 2,
    the workspace as it was."""
    mex = write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)] * 1 + [_amend(AMEND2, paragraph="clr-1")]))
    before = (tree_state(tiny), history(tiny))
    r = subprocess.run(
        [sys.executable, "-m", "drafting.cli", "-w", str(tiny), "submit", str(mex), "-d", "MEX"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        preexec_fn=_limited(200),
        timeout=120,
    )
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "internal error" not in r.stderr, r.stderr
    assert "cannot write" in lines[0] or "git could not commit" in lines[0], lines[0]
    assert (tree_state(tiny), history(tiny)) == before
    ok(tiny, "submit", str(mex), "-d", "MEX")  # and the next command finds nothing left over


def test_a_read_only_workspace_is_one_line(tiny, tmp_path):
    """The workspace on a read-only file system (a bind mount in a mount namespace of its
    own): one line, exit 2."""
    import shutil

    unshare = shutil.which("unshare")
    probe = (
        subprocess.run(
            [unshare or "unshare", "--mount", "--propagation", "private", "true"], capture_output=True, check=False
        )
        if unshare
        else None
    )
    if probe is None or probe.returncode != 0:
        pytest.skip("no mount namespaces here (unshare --mount): cannot make a read-only file system")
    mex = write(tmp_path / "m.yaml", contribution("MEX", [_amend(AMEND)]))
    before = (tree_state(tiny), history(tiny))
    inner = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
    r = subprocess.run(
        [
            unshare,
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            inner,
            "sh",
            str(tiny),
            sys.executable,
            "-m",
            "drafting.cli",
            "-w",
            str(tiny),
            "submit",
            str(mex),
            "-d",
            "MEX",
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "internal error" not in r.stderr, r.stderr
    assert "cannot write: Read-only file system" in lines[0], lines[0]
    assert (tree_state(tiny), history(tiny)) == before


def test_a_planted_cache_entry_never_hangs_or_eats_memory(tiny):
    """A FIFO, a link to /dev/zero and a link out of the cache folder: every command still
    answers (from the files), promptly."""
    ok(tiny, "proposals", "action-plan")  # fills the cache
    cache = tiny / ".git/drafting-cache/yaml"
    entries = sorted(cache.glob("*.bin"))
    assert entries
    os.unlink(entries[0])
    os.mkfifo(entries[0])
    for e in entries[1:]:
        e.unlink()
        e.symlink_to("/dev/zero")
    done = threading.Event()
    result = {}

    def run():
        result["r"] = run_cli("--workspace", str(tiny), "proposals", "action-plan", "--json")
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(60), "a command hung on a planted cache entry"
    assert result["r"].returncode == 0 and result["r"].stdout.startswith("[")
    # the whole cache folder a link to elsewhere: not followed
    import shutil

    shutil.rmtree(tiny / ".git/drafting-cache")
    elsewhere = tiny.parent / "elsewhere"
    elsewhere.mkdir()
    (tiny / ".git/drafting-cache").symlink_to(elsewhere)
    ok(tiny, "proposals", "action-plan")
    assert not any(elsewhere.rglob("*.bin"))


# --------------------------------------------------------------------- Word packages


def test_a_dtd_hidden_in_a_part_a_relationship_points_to_is_refused(tiny, tmp_path):
    from drafting.formats.safety import check_package
    from drafting.model.records import Limits

    src = ROOT / "tests/fixtures/docx"
    docx = next(iter(sorted(src.glob("*.docx"))))
    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(docx) as zin, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/header" Target="header9.bin"/></Relationships>',
                )
            zout.writestr(item, data)
        zout.writestr(
            "word/header9.bin", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
        )
    with pytest.raises(DraftingError, match=r"header9\.bin declares a DOCTYPE"):
        check_package(evil, limits=Limits())
    sneaky = tmp_path / "sneaky.docx"  # not pointed to, but XML under another name
    with zipfile.ZipFile(docx) as zin, zipfile.ZipFile(sneaky, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item))
        zout.writestr("word/custom.dat", "\ufeff<!DOCTYPE x [<!ENTITY e 'e'>]><x/>".encode("utf-16-le"))
    with pytest.raises(DraftingError, match=r"custom\.dat declares a DOCTYPE"):
        check_package(sneaky, limits=Limits())
    check_package(docx, limits=Limits())  # the real file passes


def test_git_date_and_repository_variables_are_ignored_by_every_commit(tiny, tmp_path):
    """GIT_DIR, GIT_INDEX_FILE and friends in the caller's environment never steer drafting's git."""
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    env = {"GIT_DIR": str(other / ".git"), "GIT_INDEX_FILE": str(tmp_path / "idx"), **as_author("FRA")}
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX", env=env)
    assert git(tiny, "log", "-1", "--format=%ae") == "MEX@delegations.invalid"
    assert git(other, "rev-list", "--all", check=False) == ""


def test_submit_data_from_the_app_takes_no_date_from_the_data(tiny):
    res = submit_data(
        Workspace(tiny),
        {"proposals": [_amend(AMEND)], "submitted": "2020-01-01T00:00:00Z"},
        delegation="MEX",
        source="your proposals",
        document="action-plan",
        round="r1",
    )
    assert not str(res.contribution.submitted).startswith("2020")


def test_decisions_helper_records_as_the_presidency(tiny):
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    decisions(tiny, {"MEX-1": {"status": "rejected"}})
    assert git(tiny, "log", "-1", "--format=%ae") == "LAO@delegations.invalid"
