"""``drafting check``: is this workspace valid (:func:`validate_workspace`), did each commit
touch only what its author may touch (:func:`check_commits`), and did any commit change
what is written for good (:func:`history_problems`)? What each part verifies, and why:
``docs/design/check.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import integrity, roles
from ..model.errors import DraftingError
from ..model.languages import is_language
from ..model.records import Config, Delegation, Limits, Proposal, Version
from ..model.validate import (
    CODE,
    check_decision,
    is_slug,
    parse_config,
    parse_contribution,
    parse_decisions,
    parse_translation,
    parse_version,
)
from ..store import yamlio
from ..store.git import BlobTooLarge, GitError, GitStore
from ..store.remote import Change, CommitInfo, read_commits
from ..store.workspace import (
    RECORD_FOLDERS,
    REFERENCES,
    ROUND_FILE,
    ROUNDS,
    SILENCE_BREAK_FILE,
    SILENCE_FILE,
    STATUS_FILE,
    draft_name,
    silence_path,
    version_path,
)

CONFIG = "drafting.yaml"
EMAIL_DOMAIN = "delegations.invalid"
AUTHOR_EMAIL = re.compile(r"^([A-Z][A-Z0-9_-]{1,15})@delegations\.invalid\Z", re.IGNORECASE)
CONTRIBUTION = re.compile(r"^contributions/([^/]+)/([^/]+)/([^/]+)\.yaml\Z")
#: a translation's file (drafts/<document>/<version>.<language>.yaml): what a role may
#: change is decided by roles.CAN_TRANSLATE (both are under drafts/, which the Presidency
#: and the secretariat keep)
TRANSLATION = re.compile(r"^drafts/[^/]+/[^/]+\.[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}\.yaml\Z")
REGULAR_MODES = ("100644", "100755")
#: what a revision in a range may look like (no options, no spaces)
REV = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./@{}~^:+-]{0,199}\Z")


@dataclass(frozen=True)
class Finding:
    """One problem: the file, the place in it (or the commit), and what is wrong."""

    file: str
    where: str
    message: str
    commit: str | None = None
    kind: str = "workspace"  # workspace | permission

    @property
    def line(self) -> str:
        parts = [x for x in (self.file, self.where, self.message) if x]
        return " ".join(": ".join(parts).split())

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "file": self.file,
            "where": self.where,
            "message": self.message,
            "commit": self.commit,
            "line": self.line,
        }


@dataclass
class Report:
    problems: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    commits: list[CommitInfo] = field(default_factory=list)
    range: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "problems": [p.to_json() for p in self.problems],
            "counts": self.counts,
            "range": self.range,
            "commits": [c.to_json() for c in self.commits],
        }


def _findings(e: DraftingError, file: str) -> list[Finding]:
    if e.problems:
        return [Finding(p.file, p.where, p.message) for p in e.problems]
    msg = str(e)
    if msg.startswith(f"{file}: "):
        msg = msg[len(file) + 2 :]
    return [Finding(file, "", msg)]


# ============================================================================ workspace


class _WorkTree:
    """The files of a work tree, as the validator reads them."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.name = str(self.root)

    def kind(self, rel: str) -> str:
        p = self.root / rel
        if p.is_symlink():
            return "link"
        if p.is_file():
            return "file"
        if p.is_dir():
            return "dir"
        return "missing" if not p.exists() else "other"

    def load(self, rel: str, limits: Limits):
        return yamlio.load(self.root / rel, rel, max_bytes=limits.max_file_bytes, max_depth=limits.max_depth)

    def files(self, top: str, add) -> list[str]:
        """Plain files under ``top`` (relative paths); links and odd entries are problems."""
        base = self.root / top
        if base.is_symlink():
            add(top, "", "is a symbolic link; only plain files and folders are allowed")
            return []
        if not base.exists():
            return []
        if not base.is_dir():
            add(top, "", "should be a folder")
            return []
        out = []
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            rel_dir = Path(dirpath).relative_to(self.root)
            for d in list(dirnames):
                if (Path(dirpath) / d).is_symlink():
                    add(str(rel_dir / d), "", "is a symbolic link; only plain files and folders are allowed")
                    dirnames.remove(d)
            dirnames.sort()
            for f in sorted(filenames):
                rel = str(rel_dir / f)
                p = Path(dirpath) / f
                if f.startswith(".") and f.endswith(".tmp"):
                    continue  # drafting's own temporary file, cleared by the next write
                if p.is_symlink():
                    add(rel, "", "is a symbolic link; only plain files are allowed")
                elif not p.is_file():
                    add(rel, "", "is not a plain file")
                else:
                    out.append(rel)
        return out


class _GitTree:
    """The files of a commit, as the validator reads them: sizes are known before any
    content is read, so a huge blob is refused unread."""

    def __init__(self, store: GitStore, rev: str):
        self.store = store
        self.rev = rev
        self.name = rev
        self.entries = store.tree(rev)
        self._data: dict[str, bytes] = {}

    def kind(self, rel: str) -> str:
        e = self.entries.get(rel)
        if e is None:
            prefix = rel.rstrip("/") + "/"
            return "dir" if any(k.startswith(prefix) for k in self.entries) else "missing"
        return {"120000": "link"}.get(e.mode, "file" if e.mode in REGULAR_MODES else "other")

    def load(self, rel: str, limits: Limits):
        e = self.entries.get(rel)
        if e is None or self.kind(rel) != "file":
            raise DraftingError(f"{rel}: no such file at {self.rev[:10]}")
        if e.size > limits.max_file_bytes:
            raise DraftingError(
                f"{rel}: file is {e.size:,} bytes, over the limit of {limits.max_file_bytes:,} "
                "(raise limits.max_file_bytes in drafting.yaml if this is intended)"
            )
        if rel not in self._data:
            wanted = [
                x
                for x in self.entries.values()
                if x.path not in self._data
                and x.mode in REGULAR_MODES
                and x.size <= limits.max_file_bytes
                and x.path.endswith(".yaml")
                and (x.path == CONFIG or x.path.split("/", 1)[0] in RECORD_FOLDERS)
            ]
            got = self.store.blobs(sorted({x.obj for x in wanted}))
            for x in wanted:
                if x.obj in got:
                    self._data[x.path] = got[x.obj]
        data = self._data.get(rel)
        if data is None:
            raise DraftingError(f"{rel}: cannot be read at {self.rev[:10]}")
        return yamlio.loads(data, rel, max_bytes=limits.max_file_bytes, max_depth=limits.max_depth)

    def files(self, top: str, add) -> list[str]:
        out = []
        kind = self.kind(top)
        if kind == "link":
            add(top, "", "is a symbolic link; only plain files and folders are allowed")
            return []
        if kind in ("file", "other"):
            add(top, "", "should be a folder")
            return []
        for rel in sorted(self.entries):
            if not rel.startswith(top + "/"):
                continue
            k = self.kind(rel)
            if k == "link":
                add(rel, "", "is a symbolic link; only plain files are allowed")
            elif k != "file":
                add(rel, "", "is not a plain file")
            else:
                out.append(rel)
        return out


class _Validator:
    def __init__(self, source: _WorkTree | _GitTree):
        self.source = source
        self.problems: list[Finding] = []
        self.config: Config | None = None
        self.limits = Limits()
        self.versions: dict[str, dict[str, Version]] = {}
        self.proposals: dict[tuple[str, str], dict[str, Proposal]] = {}
        self.counts = {
            "documents": 0,
            "versions": 0,
            "translations": 0,
            "contributions": 0,
            "proposals": 0,
            "decisions": 0,
            "references": 0,
            "rounds": 0,
        }
        self.translation_files: list[tuple[str, str, str, str]] = []

    @property
    def cfg(self) -> Config:
        """The parsed drafting.yaml: the checks after :meth:`run` read it."""
        assert self.config is not None, "drafting.yaml is read first"
        return self.config

    def add(self, file: str, where: str, message: str) -> None:
        self.problems.append(Finding(file, where, message))

    def load(self, rel: str):
        try:
            return self.source.load(rel, self.limits)
        except DraftingError as e:
            self.problems.extend(_findings(e, rel))
            return _FAILED

    # ------------------------------------------------------------------ layout
    def files(self, top: str) -> list[str]:
        return self.source.files(top, self.add)

    # ------------------------------------------------------------------ run
    def run(self) -> None:
        kind = self.source.kind(CONFIG)
        if kind == "link":
            self.add(CONFIG, "", "is a symbolic link; only plain files are allowed")
            return
        if kind != "file":
            self.add(CONFIG, "", f"missing: {self.source.name} is not a drafting workspace")
            return
        data = self.load(CONFIG)
        if data is _FAILED:
            return
        try:
            self.config = parse_config(data, CONFIG)
        except DraftingError as e:
            self.problems.extend(_findings(e, CONFIG))
            return
        self.limits = self.config.limits
        self.counts["documents"] = len(self.config.documents)
        self.round_records()
        self.drafts()
        self.lineage()
        self.translations()
        self.rounds()
        self.contributions()
        self.decisions()
        self.references()
        self.statuses()
        self.silences()

    def _place(self, rel: str, layout: str) -> tuple[str, str] | None:
        """(document, name) of ``<folder>/<document>/<name>.yaml``; else a finding."""
        parts = Path(rel).parts
        if len(parts) != 3 or not rel.endswith(".yaml"):
            self.add(rel, "", f"unexpected file: {layout}")
            return None
        return parts[1], parts[2][: -len(".yaml")]

    def _known_document(self, rel: str, doc: str) -> bool:
        if doc in self.cfg.documents:
            return True
        self.add(rel, "", f"{doc!r} is not a document of {CONFIG} ({', '.join(self.cfg.documents)})")
        return False

    def _known_round(self, rel: str, doc: str, rid: str) -> bool:
        if not self._known_document(rel, doc):
            return False
        r = self.cfg.round(rid)
        if r is None or r.document != doc:
            self.add(rel, "", f"{rid!r} is not an input round of {doc}")
            return False
        return True

    def drafts(self) -> None:
        for rel in self.files("drafts"):
            place = self._place(rel, "versions live in drafts/<document>/<version>.yaml")
            if place is None or not self._known_document(rel, place[0]):
                continue
            doc, ver = place
            if not is_slug(ver):
                self.add(rel, "", f"{ver!r} is not a valid version name (letters, digits, '-', '_', '.')")
                continue
            languages = self.config.languages if self.config else ()
            base, lang = draft_name(ver, languages)
            if lang is not None:
                self.translation_files.append((rel, doc, base, lang))
                continue
            data = self.load(rel)
            if data is _FAILED:
                continue
            try:
                v = parse_version(data, rel, limits=self.limits, document=doc, version=ver)
            except DraftingError as e:
                head, _, tail = ver.rpartition(".")
                if head and is_language(tail) and isinstance(data, dict) and "language" in data:
                    self.add(
                        rel,
                        "",
                        f"a translation into {tail!r}, which is not among the languages of {CONFIG} "
                        f"({', '.join(languages)}): add it to languages:",
                    )
                else:
                    self.problems.extend(_findings(e, rel))
                continue
            self.versions.setdefault(doc, {})[ver] = v
            self.counts["versions"] += 1

    def lineage(self) -> None:
        cfg = self.cfg
        for doc, versions in self.versions.items():
            for name, v in versions.items():
                rel = f"drafts/{doc}/{name}.yaml"
                if v.based_on is not None and v.based_on not in versions:
                    self.add(rel, "based_on", f"names version {v.based_on!r}, which is not in drafts/{doc}/")
                if v.round is not None:
                    r = cfg.round(v.round)
                    if r is None:
                        self.add(rel, "round", f"unknown round {v.round!r}")
                    elif r.document != doc:
                        self.add(rel, "round", f"round {v.round} is for {r.document}, not {doc}")
            # loops, and paragraph ids reused after being dropped
            for name, v in versions.items():
                rel = f"drafts/{doc}/{name}.yaml"
                chain, seen = [], set()
                cur: Version | None = v
                looped = False
                while cur is not None:
                    if cur.version in seen:
                        looped = True
                        break
                    seen.add(cur.version)
                    chain.append(cur)
                    cur = versions.get(cur.based_on) if cur.based_on else None
                if looped:
                    self.add(
                        rel,
                        "based_on",
                        f"the lineage of {name} loops back on itself ({' -> '.join(x.version for x in chain)})",
                    )
                    continue
                if len(chain) < 2:
                    continue
                parent_ids = {p.id for p in chain[1].paragraphs}
                older = {p.id for anc in chain[2:] for p in anc.paragraphs}
                for i, p in enumerate(v.paragraphs):
                    if p.id not in parent_ids and p.id in older:
                        self.add(
                            rel,
                            f"paragraphs[{i}].id",
                            f"paragraph id {p.id} was dropped in an earlier version and is reused; "
                            "ids are never reused: give the paragraph a new id",
                        )

    def translations(self) -> None:
        """Each translation file: of an existing version, into a language translated into,
        every record naming one of the version's paragraphs (``parse_translation``)."""
        cfg = self.cfg
        assert cfg is not None  # (run() stops before when the configuration is invalid)
        for rel, doc, version, lang in self.translation_files:
            v = self.versions.get(doc, {}).get(version)
            if v is None:
                if self.source.kind(f"drafts/{doc}/{version}.yaml") != "file":
                    self.add(rel, "", f"translates version {version!r}, which is not in drafts/{doc}/")
                continue  # (an invalid version is reported on its own)
            data = self.load(rel)
            if data is _FAILED:
                continue
            try:
                parse_translation(data, rel, config=cfg, version=v, language=lang)
            except DraftingError as e:
                self.problems.extend(_findings(e, rel))
                continue
            self.counts["translations"] += 1

    def round_records(self) -> None:
        """The round records (``rounds/<id>.yaml``), merged with drafting.yaml's rounds into
        the one list every other check reads (``model.rounds.merge``)."""
        from dataclasses import replace

        from ..model.rounds import merge, parse_round_in

        cfg = self.cfg
        records = {}
        for rel in self.files(ROUNDS):
            m = ROUND_FILE.match(rel)
            if not m or not is_slug(m.group(1)):
                self.add(rel, "", "unexpected file: input rounds live in rounds/<id>.yaml")
                continue
            data = self.load(rel)
            if data is _FAILED:
                continue
            try:
                r = parse_round_in(cfg, data, rel, m.group(1))
            except DraftingError as e:
                self.problems.extend(_findings(e, rel))
                continue
            old = cfg.round(r.id)
            if old is not None and (old.document, old.base) != (r.document, r.base):
                self.add(
                    rel,
                    "",
                    f"round {r.id} of {CONFIG} is on {old.document} {old.base}, but its record says "
                    f"{r.document} {r.base}: a round keeps its document and base",
                )
                continue
            records[r.id] = r
            self.counts["rounds"] += 1
        if records:
            self.config = replace(cfg, rounds=merge(cfg.rounds, records))

    def rounds(self) -> None:
        for i, r in enumerate(self.cfg.rounds):
            missing = self.source.kind(f"drafts/{r.document}/{r.base}.yaml") != "file"
            if r.base not in self.versions.get(r.document, {}) and missing:
                file, where = (
                    (f"{ROUNDS}/{r.id}.yaml", "base") if r.source == "record" else (CONFIG, f"rounds[{i}].base")
                )
                self.add(
                    file,
                    where,
                    f"round {r.id} works on {r.base}, but drafts/{r.document}/{r.base}.yaml does not exist",
                )

    def contributions(self) -> None:
        cfg = self.cfg
        answers: list[tuple[str, str, str, str, tuple[tuple[str, str], ...]]] = []
        for rel in self.files("contributions"):
            m = CONTRIBUTION.match(rel)
            if not m:
                self.add(rel, "", "unexpected file: inputs live in contributions/<document>/<round>/<CODE>.yaml")
                continue
            doc, rid, code = m.groups()
            if not self._known_round(rel, doc, rid):
                continue
            r = cfg.round(rid)
            assert r is not None  # a known round
            if not CODE.match(code) or cfg.delegation(code) is None:
                self.add(rel, "", f"{code!r} is not a delegation listed in {CONFIG}")
                continue
            data = self.load(rel)
            if data is _FAILED:
                continue
            base = self.versions.get(doc, {}).get(r.base)
            try:
                c = parse_contribution(data, rel, config=cfg, base=base)
            except DraftingError as e:
                self.problems.extend(_findings(e, rel))
                continue
            if c.delegation != code:
                self.add(rel, "delegation", f"the file is {code}'s but says delegation: {c.delegation}")
            if c.document != doc:
                self.add(rel, "document", f"the file is under contributions/{doc}/ but says document: {c.document}")
            if c.round != rid:
                self.add(rel, "round", f"the file is under {doc}/{rid}/ but says round: {c.round}")
            self.counts["contributions"] += 1
            if c.supports:
                answers.append((rel, doc, rid, code, c.supports))
            seen = self.proposals.setdefault((doc, rid), {})
            for j, p in enumerate(c.proposals):
                self.counts["proposals"] += 1
                if p.id in seen:
                    self.add(
                        rel,
                        f"proposals[{j}].id",
                        f"proposal id {p.id} is also used by {seen[p.id].delegation} in round {rid}",
                    )
                    continue
                seen[p.id] = p
        # the same id in two rounds (ids are unique in the workspace: `decide MEX-7` needs no --round)
        owner: dict[str, str] = {}
        for r in cfg.rounds:
            for pid, p in sorted(self.proposals.get((r.document, r.id), {}).items()):
                if pid in owner:
                    self.add(
                        f"contributions/{r.document}/{r.id}/{p.delegation}.yaml",
                        pid,
                        f"proposal id {pid} is also used in round {owner[pid]}",
                    )
                else:
                    owner[pid] = r.id
        # a co-sponsor answers only proposals of its round that name it
        for rel, doc, rid, code, supports in answers:
            props = self.proposals.get((doc, rid), {})
            for pid, _state in supports:
                named = props.get(pid)
                if named is None:
                    self.add(rel, f"supports.{pid}", f"answers {pid}, which is not a proposal of round {rid}")
                elif code not in named.co_sponsors:
                    self.add(
                        rel, f"supports.{pid}", f"{named.delegation} does not name {code} as a co-sponsor of {pid}"
                    )

    def decisions(self) -> None:
        for rel in self.files("decisions"):
            place = self._place(rel, "decisions live in decisions/<document>/<round>.yaml")
            if place is None or not self._known_round(rel, *place):
                continue
            doc, rid = place
            data = self.load(rel)
            if data is _FAILED:
                continue
            try:
                decided = parse_decisions(data, rel, limits=self.limits)
            except DraftingError as e:
                self.problems.extend(_findings(e, rel))
                continue
            props = self.proposals.get((doc, rid), {})
            for pid, d in decided.items():
                self.counts["decisions"] += 1
                p = props.get(pid)
                if p is None:
                    self.add(rel, pid, f"decides on {pid}, but no contribution to round {rid} has a proposal {pid}")
                    continue
                problem = check_decision(p, d.status, d.text)
                if problem:
                    problem = problem.replace("give --text", "give its text").replace("--text", "text")
                    self.add(rel, pid, problem)
                if d.by is not None:
                    who = self.cfg.delegation(d.by)
                    if who is None:
                        self.add(rel, f"{pid}.by", f"unknown delegation {d.by!r}")
                    elif who.role not in roles.CAN_DECIDE:
                        self.add(
                            rel, f"{pid}.by", f"{who.code} ({who.role}) may not decide: only the Presidency decides"
                        )

    def references(self) -> None:
        from ..model.references import duplicate_symbols, parse_reference

        refs = {}
        for rel in self.files(REFERENCES):
            parts = Path(rel).parts
            if len(parts) != 2 or not rel.endswith(".yaml"):
                self.add(rel, "", "unexpected file: reference documents live in references/<name>.yaml")
                continue
            slug = parts[1][: -len(".yaml")]
            if not is_slug(slug):
                self.add(rel, "", f"{slug!r} is not a valid reference name (letters, digits, '-', '_', '.')")
                continue
            data = self.load(rel)
            if data is _FAILED:
                continue
            try:
                refs[slug] = parse_reference(data, rel, limits=self.limits, slug=slug)
            except DraftingError as e:
                self.problems.extend(_findings(e, rel))
                continue
            self.counts["references"] += 1
        for slug, other, symbol in duplicate_symbols(refs):
            self.add(
                f"{REFERENCES}/{slug}.yaml",
                "symbol",
                f"{symbol} is also the symbol of {REFERENCES}/{other}.yaml: each reference has its own",
            )

    def statuses(self) -> None:
        from ..model.status import parse_statuses

        for rel in self.files("status"):
            m = STATUS_FILE.match(rel)
            if not m:
                self.add(rel, "", "unexpected file: paragraph status lives in status/<document>.yaml")
                continue
            doc = m.group(1)
            if not self._known_document(rel, doc):
                continue
            data = self.load(rel)
            if data is _FAILED:
                continue
            try:
                recorded = parse_statuses(data, rel, limits=self.limits)
            except DraftingError as e:
                self.problems.extend(_findings(e, rel))
                continue
            versions = self.versions.get(doc, {})
            for pid, r in recorded.items():
                v = versions.get(r.version)
                if v is None:
                    self.add(rel, f"{pid}.version", f"names version {r.version!r}, which is not in drafts/{doc}/")
                elif pid not in v.by_id():
                    self.add(rel, pid, f"is no paragraph of {doc} {r.version}")

    def silences(self) -> None:
        from ..model.silence import ADOPTED, Procedure, parse_break, parse_procedure
        from ..model.when import parse_when

        procedures: dict[tuple[str, str], Procedure] = {}
        breaks: list[tuple[str, str, str, str]] = []
        for rel in self.files("silence"):
            mp, mb = SILENCE_FILE.match(rel), SILENCE_BREAK_FILE.match(rel)
            if mp:
                doc, pid = mp.groups()
                if not self._known_document(rel, doc):
                    continue
                if not is_slug(pid):
                    self.add(rel, "", f"{pid!r} is not a procedure name")
                    continue
                data = self.load(rel)
                if data is _FAILED:
                    continue
                try:
                    proc = parse_procedure(data, rel, document=doc, pid=pid, limits=self.limits)
                except DraftingError as e:
                    self.problems.extend(_findings(e, rel))
                    continue
                if proc.version not in self.versions.get(doc, {}):
                    self.add(rel, "version", f"names version {proc.version!r}, which is not in drafts/{doc}/")
                procedures[(doc, pid)] = proc
            elif mb:
                doc, pid, code = mb.groups()
                breaks.append((rel, doc, pid, code))
            else:
                self.add(
                    rel,
                    "",
                    "unexpected file: silence procedures live in silence/<document>/<n>.yaml and breaks in "
                    "silence/<document>/<n>/<CODE>.yaml",
                )
        open_by_doc: dict[str, list[str]] = {}
        for (doc, pid), proc in procedures.items():
            if proc.closed is None:
                open_by_doc.setdefault(doc, []).append(pid)
        for doc, pids in open_by_doc.items():
            if len(pids) > 1:
                self.add(f"silence/{doc}/", "", f"{len(pids)} silence procedures are open at once ({', '.join(pids)})")
        broken: set[tuple[str, str]] = set()
        for rel, doc, pid, code in breaks:
            found = procedures.get((doc, pid))
            if found is None:
                self.add(rel, "", f"breaks silence in procedure {pid}, but silence/{doc}/{pid}.yaml does not exist")
                continue
            who = self.config.delegation(code) if self.config else None
            if who is None or who.role not in roles.CAN_BREAK_SILENCE:
                self.add(
                    rel, "", f"{code} may not break silence: only States parties and signatories listed in {CONFIG}"
                )
                continue
            data = self.load(rel)
            if data is _FAILED:
                continue
            try:
                b = parse_break(data, rel, code=code, limits=self.limits)
            except DraftingError as e:
                self.problems.extend(_findings(e, rel))
                continue
            broken.add((doc, pid))
            if parse_when(b.at) > parse_when(found.until):
                self.add(rel, "at", "silence was broken after the procedure's deadline")
            v = self.versions.get(doc, {}).get(found.version)
            for i, x in enumerate(b.proposals):
                if v is not None and x.paragraph not in v.by_id():
                    self.add(rel, f"proposals[{i}].paragraph", f"is no paragraph of {doc} {v.version}")
        for (doc, pid), proc in procedures.items():
            outcome = proc.outcome
            if outcome == ADOPTED and (doc, pid) in broken:
                self.add(silence_path(doc, pid), "outcome", "says adopted, but silence was broken")
            elif outcome is not None and outcome != ADOPTED and (doc, pid) not in broken:
                self.add(silence_path(doc, pid), "outcome", "says broken, but nobody broke silence")


class _Failed:
    pass


_FAILED = _Failed()


def validate_workspace(root: Path) -> Report:
    """Every problem in the workspace's files (the work tree at ``root``)."""
    v = _Validator(_WorkTree(root))
    v.run()
    report = Report(v.problems, v.counts)
    report.problems.extend(_uncommitted_version_changes(Path(root)))
    return report


def validate_tree(store: GitStore, rev: str) -> Report:
    """Every problem in the workspace's files as commit ``rev`` has them (nothing is
    checked out; sizes are checked before anything is read)."""
    v = _Validator(_GitTree(store, rev))
    v.run()
    return Report(v.problems, v.counts)


def _uncommitted_version_changes(root: Path) -> list[Finding]:
    """Versions changed or deleted in the work tree since they were committed: a version
    never changes once written (``check`` says so before anyone commits it)."""
    if not (root / ".git").exists():
        return []
    try:
        store = GitStore(root)
        if store.head() is None:
            return []
        out = str(store.run("diff", "--name-status", "--no-renames", "-z", "HEAD", "--", "drafts/"))
    except (DraftingError, GitError):
        return []
    fields = out.split("\0")
    found = []
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if status[:1] in ("M", "D", "T") and path and not TRANSLATION.match(path):
            how = "deleted" if status.startswith("D") else "changed"
            found.append(
                Finding(
                    path,
                    "",
                    f"{how} in the work tree since it was committed: a version never changes once "
                    "written; write the correction as a new version (and restore this file with "
                    f"'git checkout HEAD -- {path}')",
                    None,
                    "history",
                )
            )
    return found


# ============================================================================ commits


def author_code(email: str) -> str | None:
    m = AUTHOR_EMAIL.match(email or "")
    return m.group(1) if m and m.group(1) == m.group(1).upper() else None


def permission_problem(d: Delegation, change: Change) -> str | None:
    """Why ``d`` may not make ``change`` (None if it may). Pure: no content checks."""
    path = change.path
    if not change.deleted and change.mode not in REGULAR_MODES:
        what = {"120000": "a symbolic link", "160000": "a submodule"}.get(change.mode, f"mode {change.mode}")
        return f"adds {what}; only plain files are allowed"
    if STATUS_FILE.match(path) or SILENCE_FILE.match(path):
        what = "record the status of paragraphs" if STATUS_FILE.match(path) else "run silence procedures"
        if d.role not in roles.CAN_RECORD_STATUS:
            return f"{d.code} ({d.role}) may not {what}: only the Presidency does"
        if change.deleted:
            return "deletes a record of the conference's proceedings; records stay (reopen, or start a new procedure)"
        return None
    if ROUND_FILE.match(path) or path.startswith(f"{ROUNDS}/"):
        if d.role not in roles.CAN_MANAGE_ROUNDS:
            return (
                f"{d.code} ({d.role}) may not open, extend or close input rounds: only the Presidency "
                "(and the secretariat) manage them"
            )
        if change.deleted:
            return "deletes an input round's record; rounds stay on record (close the round instead)"
        return None
    brk = SILENCE_BREAK_FILE.match(path)
    if brk:
        if brk.group(3) != d.code:
            return f"{d.code} ({d.role}) may break silence only in its own name, not {brk.group(3)}'s"
        if d.role not in roles.CAN_BREAK_SILENCE:
            return f"{d.code} ({d.role}) may not break silence: only States parties and signatories may"
        if change.deleted:
            return f"deletes {d.code}'s break of silence; it stays on record"
        if change.status != "A":
            return f"changes {d.code}'s break of silence once recorded: silence is broken once"
        return None
    m = CONTRIBUTION.match(path)
    if m and m.group(3) == d.code:
        if change.deleted:
            return (
                f"deletes {d.code}'s submitted inputs; inputs stay on record (the Presidency can "
                "mark proposals withdrawn)"
            )
        return None
    if TRANSLATION.match(path):
        if d.role in roles.CAN_TRANSLATE:
            return None
        return f"{d.code} ({d.role}) may not change translations: the Presidency and the secretariat keep them"
    if d.role == "presidency" and (path == CONFIG or path.startswith(("drafts/", "decisions/"))):
        return None
    if d.role == "secretariat" and path.startswith("drafts/"):
        return None
    if path.startswith(f"{REFERENCES}/"):
        if d.role in roles.CAN_ADD_REFERENCES:
            return None
        return (
            f"{d.code} ({d.role}) may not change the reference documents: the Presidency and the secretariat keep them"
        )
    if m:
        return (
            f"{d.code} ({d.role}) may only change its own contribution files "
            f"(contributions/<document>/<round>/{d.code}.yaml), not {m.group(3)}'s"
        )
    if d.role == "presidency":
        return (
            f"outside what the Presidency changes ({CONFIG}, drafts/, decisions/, references/, rounds/, "
            "status/, silence/, its own inputs)"
        )
    if d.role == "secretariat" and path.startswith("decisions/"):
        return f"{d.code} (secretariat) may not record decisions: only the Presidency decides"
    if d.role == "secretariat":
        return "outside what the secretariat changes (drafts/, references/ and its own inputs)"
    return (
        f"{d.code} ({d.role}) may only change its own contribution files "
        f"(contributions/<document>/<round>/{d.code}.yaml)"
    )


def _resolve(store: GitStore, rev: str) -> str:
    import git as gitpython

    if not REV.match(rev) or ".." in rev:
        raise DraftingError(f"{rev!r} is not a revision (e.g. origin/main, HEAD~3, a commit id)")
    try:
        return store.repo.git.rev_parse("--verify", "-q", f"{rev}^{{commit}}")
    except gitpython.GitCommandError:
        raise DraftingError(
            f"unknown revision {rev!r} (in a shallow CI checkout, fetch the whole history: fetch-depth: 0)"
        ) from None


def parse_range(store: GitStore, rev_range: str) -> tuple[str, str]:
    """``A..B`` (or ``A``, meaning ``A..HEAD``) as two commit ids."""
    if "..." in rev_range:
        raise DraftingError(f"{rev_range!r}: give a range as A..B (two dots), e.g. origin/main..HEAD")
    if ".." in rev_range:
        a, b = rev_range.split("..", 1)
        b = b or "HEAD"
        if not a:
            raise DraftingError(f"{rev_range!r}: the range needs its start, e.g. origin/main..HEAD")
    else:
        a, b = rev_range, "HEAD"
    return _resolve(store, a), _resolve(store, b)


def _config_at(store: GitStore, rev: str) -> Config | None:
    """``drafting.yaml`` as commit ``rev`` has it (None if absent or invalid)."""
    try:
        raw = store.show(rev, CONFIG, max_bytes=Limits().max_file_bytes)
        return parse_config(yamlio.loads(raw, CONFIG), CONFIG) if raw is not None else None
    except DraftingError:
        return None


def check_commits(root: Path, rev_range: str, *, delegation: str | None = None) -> Report:
    store = GitStore(root)
    base, tip = parse_range(store, rev_range)
    try:
        raw = store.show(base, CONFIG, max_bytes=Limits().max_file_bytes)
    except BlobTooLarge as e:
        raise DraftingError(f"cannot tell who may do what: {e.line}") from None
    if raw is None:
        raise DraftingError(f"{CONFIG} does not exist at {rev_range.split('..')[0]}: cannot tell who may do what")
    try:
        config = parse_config(yamlio.loads(raw, f"{CONFIG} at {rev_range.split('..')[0]}"), CONFIG)
    except DraftingError as e:
        raise DraftingError(f"cannot tell who may do what: {e.line}") from None
    if delegation is not None and config.delegation(delegation) is None:
        raise DraftingError(f"unknown delegation {delegation!r} for --delegation: not listed in {CONFIG}")
    commits = read_commits(store, [f"{base}..{tip}"])
    problems: list[Finding] = []
    for c in commits:
        problems.extend(_check_commit(store, config, c, delegation))
    return Report(problems, {"commits": len(commits)}, commits, rev_range)


def commit_problems(store: GitStore, config: Config, c: CommitInfo) -> list[Finding]:
    """What ``check`` finds in one commit (``config``: who may do what): ``sync`` asks it of
    the commits it is about to push."""
    return _check_commit(store, config, c, None)


def _check_commit(store: GitStore, config: Config, c: CommitInfo, only: str | None) -> list[Finding]:
    short = c.sha[:10]
    where = f"commit {short}"
    out: list[Finding] = []

    def add(file: str, message: str, kind: str = "permission") -> None:
        f = Finding(file, where, message, c.sha, kind)
        if f not in out:
            out.append(f)

    code = author_code(c.email)
    who = config.delegation(code) if code else None
    if who is None:
        ident = f"{c.author} <{c.email}>"
        reason = (
            f"its author {ident!r} is not a delegation listed in {CONFIG}"
            if code
            else f"its author {ident!r} is not a delegation (drafting commits are authored "
            f"CODE@{EMAIL_DOMAIN}; submit with 'drafting submit' or set git's user.email)"
        )
        add("", f"{c.subject[:60]!r}: {reason}")
        return out
    if only is not None and who.code != only:
        add("", f"{c.subject[:60]!r}: authored by {who.code}, but only {only}'s commits are expected here")
        return out
    for ch in own_changes(store, c):
        problem = permission_problem(who, ch)
        if problem:
            add(ch.path, problem)
            continue
        if roles.may_only_comment(who) and CONTRIBUTION.match(ch.path) and not ch.deleted:
            problem = _observer_content(store, config, c.sha, ch.path, who)
            if problem:
                add(ch.path, problem)
        m = CONTRIBUTION.match(ch.path)
        if m and not ch.deleted:
            problem = _inputs_in_time(store, config, c, ch.path, *m.groups())
            if problem:
                add(ch.path, problem, "deadline")
        rnd = ROUND_FILE.match(ch.path)
        if rnd and not ch.deleted:
            problem = _round_opened_as_the_tool_would(store, config, c, rnd.group(1))
            if problem:
                add(ch.path, problem, "rounds")
        brk = SILENCE_BREAK_FILE.match(ch.path)
        if brk and not ch.deleted:
            problem = _break_in_time(store, config, c, brk.group(1), brk.group(2))
            if problem:
                add(ch.path, problem)
    for file, message in history_problems(store, config, c):
        add(file, message, "history")
    return out


def _round_opened_as_the_tool_would(store: GitStore, config: Config, c: CommitInfo, rid: str) -> str | None:
    """Why a commit that opens round ``rid`` (its record is new, and the round was not in
    drafting.yaml before) could not have been made by 'drafting round open' (None if it
    could): a second open or upcoming round of the document, a deadline already passed
    when it was committed, a base version that does not exist. Judged by the committer date
    with the rules of ``model.rounds.check_open``, against the rounds the parent had."""
    from ..model.rounds import check_open

    lim = config.limits
    parent = c.parents[0] if c.parents else None
    before = rounds_at(store, parent, lim) if parent else None
    if before is not None and before.round(rid) is not None:
        return None  # a round already on record (an extension, a closing): not an opening
    after = rounds_at(store, c.sha, lim)
    new = after.round(rid) if after else None
    if after is None or new is None or not c.committed:
        return None  # an unreadable record is reported by the check of the files
    others = [r for r in (before.rounds if before else ()) if r.document == new.document]
    composed = [r.id for r in others if _composed_at(store, c.sha, new.document, r.id, lim)]
    has_base = store.show(c.sha, version_path(new.document, new.base)) is not None
    try:
        check_open(
            others,
            new,
            versions=[new.base] if has_base else [],
            now=parse_when_any(c.committed),
            tz=after.timezone,
            composed=composed,
        )
    except DraftingError as e:
        return f"opens round {rid} as the tool would not: {e.line}"
    return None


def _break_in_time(store: GitStore, config: Config, c: CommitInfo, document: str, procedure: str) -> str | None:
    """Why a commit adding a break of silence came too late (None if it did not)."""
    from ..model.silence import parse_procedure
    from ..model.when import parse_when

    rel = silence_path(document, procedure)
    raw = store.show(c.parents[0] if c.parents else c.sha, rel)
    if raw is None:
        return f"breaks silence in procedure {procedure}, which had not been started"
    try:
        proc = parse_procedure(yamlio.loads(raw, rel), rel, document=document, pid=procedure, limits=config.limits)
        late = parse_when(c.committed or c.date) > parse_when(proc.until)  # (when it was committed)
    except DraftingError as e:
        return f"breaks silence in a procedure whose file is not valid ({e.line})"
    if proc.closed is not None:
        return "breaks silence in a procedure already closed"
    if late:
        return "breaks silence after the procedure's deadline"
    return None


def rounds_at(store: GitStore, rev: str, limits: Limits) -> Config | None:
    """``drafting.yaml`` at ``rev`` with its rounds merged with the round records there
    (None if the configuration is absent or invalid; an invalid record is left out)."""
    from dataclasses import replace

    from ..model.rounds import merge, parse_round_in

    cfg = _config_at(store, rev)
    if cfg is None:
        return None
    records = {}
    for rel, entry in store.tree(rev).items():
        m = ROUND_FILE.match(rel)
        if not m or entry.mode not in REGULAR_MODES:
            continue
        data = _blob_data(store, rev, rel, limits)
        try:
            records[m.group(1)] = parse_round_in(cfg, data, rel, m.group(1))
        except DraftingError:
            continue
    return replace(cfg, rounds=merge(cfg.rounds, records)) if records else cfg


def _composed_at(store: GitStore, rev: str, document: str, round_id: str, limits: Limits) -> str | None:
    """The version composed from the round at ``rev`` (None if none)."""
    for rel in sorted(store.tree(rev)):
        if not rel.startswith(f"drafts/{document}/") or TRANSLATION.match(rel) or rel.count("/") != 2:
            continue
        data = _blob_data(store, rev, rel, limits)
        if isinstance(data, dict) and data.get("round") == round_id:
            return str(data.get("version") or rel.rsplit("/", 1)[-1][: -len(".yaml")])
    return None


def _inputs_in_time(store: GitStore, config: Config, c: CommitInfo, path: str, document: str, rid: str, code: str):
    """Why a commit adding proposals to a round came outside it (None if in time): before
    it opened, after its deadline (the delegation's, with a later one granted), after the
    Presidency closed it, or after a version was composed from it. Judged by the commit's
    committer date (when it was made, or rebased onto the shared history) against the
    rounds as the parent commit has them."""
    from ..model.rounds import admission_problem

    parent = c.parents[0] if c.parents else None
    lim = config.limits
    after = _raw_proposals(_blob_data(store, c.sha, path, lim))
    before = _raw_proposals(_blob_data(store, parent, path, lim)) if parent else {}
    added = sorted(set(after) - set(before))
    if not added or parent is None:
        return None
    at = rounds_at(store, parent, lim)
    r = at.round(rid) if at else None
    who = config.delegation(code)
    if at is None or r is None or who is None or not c.committed:
        return None
    try:
        moment = parse_when_any(c.committed)
        composed = _composed_at(store, parent, document, rid, lim)
        problem = admission_problem(
            r, who, moment, at.timezone, composed_into=composed, presidency=at.presidency_delegation.name
        )
    except DraftingError as e:
        return f"adds proposals to round {rid}, whose record is not valid ({e.line})"
    if problem is None:
        return None
    more = f" and {len(added) - 1} more" if len(added) > 1 else ""
    when = long_moment(moment, at.timezone)
    return f"adds {added[0]}{more}, committed {when}, outside the round: {problem}"


def parse_when_any(text: str):
    from ..model.when import parse_when

    return parse_when(text)


def long_moment(moment, tz: str) -> str:
    from ..model.when import long_moment as words

    return words(moment, tz)


# ---------------------------------------------------------------------- what a commit changes


def _diff(store: GitStore, a: str | None, b: str) -> list[RawChange]:
    """``git diff-tree`` from ``a`` (None: the empty tree) to ``b``: every path that differs."""
    args = ["diff-tree", "-r", "-z", "--raw", "--no-renames", "--full-index"]
    args += ["--root", b] if a is None else [a, b]
    out = str(store.run(*args))
    fields = out.split("\0")
    changes = []
    i = 0
    while i < len(fields):
        meta = fields[i]
        if not meta.startswith(":"):
            i += 1
            continue
        path = fields[i + 1] if i + 1 < len(fields) else ""
        parts = meta[1:].split()
        if len(parts) >= 5:
            changes.append(RawChange(path, parts[0], parts[1], parts[2], parts[3], parts[4]))
        i += 2
    return changes


@dataclass(frozen=True)
class RawChange:
    path: str
    old_mode: str
    new_mode: str
    old_obj: str
    new_obj: str
    status: str

    @property
    def existed(self) -> bool:
        return self.old_mode != "000000"

    def as_change(self) -> Change:
        return Change(self.path, self.new_mode, self.status)


def own_changes(store: GitStore, c: CommitInfo) -> list[Change]:
    """What the commit's author changed. For an ordinary commit: everything it changes
    against its parent. For a merge, checked against each parent: a path that differs
    from a parent is the merge's own change unless another parent brings exactly that
    content, changed there since the merge base (merging that parent's work). A merge
    that keeps a parent's stale file over another parent's newer one (dropping someone's
    inputs, or the decisions) is the author's own change, and judged as such."""
    if len(c.parents) <= 1:
        return [ch.as_change() for ch in _diff(store, c.parents[0] if c.parents else None, c.sha)]
    per_parent = {p: _diff(store, p, c.sha) for p in c.parents}
    paths = sorted({ch.path for changes in per_parent.values() for ch in changes})
    try:
        base = str(store.run("merge-base", "--octopus", *c.parents)).split()[0]
    except (GitError, IndexError):
        base = None
    at_base = store.tree(base, paths) if base and paths else {}
    at_parent = {p: store.tree(p, paths) if paths else {} for p in c.parents}
    own: dict[str, Change] = {}
    for p, changes in per_parent.items():
        for ch in changes:
            brought = False
            for q in c.parents:
                if q == p:
                    continue
                theirs = at_parent[q].get(ch.path)
                theirs_obj = theirs.obj if theirs else None
                base_entry = at_base.get(ch.path)
                base_obj = base_entry.obj if base_entry else None
                mine = ch.new_obj if ch.new_mode != "000000" else None
                if theirs_obj == mine and theirs_obj != base_obj:
                    brought = True
                    break
            if not brought:
                own.setdefault(ch.path, ch.as_change())
    return [own[k] for k in sorted(own)]


# -------------------------------------------------------------------------- history rules


def history_problems(store: GitStore, config: Config, c: CommitInfo) -> list[tuple[str, str]]:
    """What the commit does to the record, whoever made it, against each parent: a
    version changed or deleted once written; a decided proposal dropped or changed."""
    out: list[tuple[str, str]] = []
    parents: list[str | None] = list(c.parents) or [None]
    lim = config.limits
    for parent in parents:
        for ch in _diff(store, parent, c.sha):
            if not ch.existed or parent is None:
                continue
            if ch.path.startswith("drafts/") and not TRANSLATION.match(ch.path):  # translations are updated
                how = "deleted" if ch.new_mode == "000000" else "changed"
                out.append((ch.path, integrity.version_change_message(ch.path, how)))
                continue
            m = CONTRIBUTION.match(ch.path)
            if not m:
                continue
            doc, rid, _code = m.groups()
            problem = _decided_problem(store, parent, c.sha, ch, decisions_file(doc, rid), lim)
            if problem:
                out.append((ch.path, problem))
    return out


def decisions_file(document: str, round_id: str) -> str:
    return f"decisions/{document}/{round_id}.yaml"


def _blob_data(store: GitStore, rev: str, path: str, lim: Limits):
    """The YAML of ``path`` at ``rev`` as plain data (None: absent or unreadable); its size
    is checked before it is read."""
    try:
        raw = store.show(rev, path, max_bytes=lim.max_file_bytes)
    except BlobTooLarge:
        return None
    if raw is None:
        return None
    try:
        return yamlio.loads(raw, path, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth)
    except DraftingError:
        return None


def _raw_proposals(data) -> dict[str, tuple]:
    props = data.get("proposals") if isinstance(data, dict) else None
    out: dict[str, tuple] = {}
    for p in props if isinstance(props, list) else []:
        if isinstance(p, dict) and isinstance(p.get("id"), str):
            out.setdefault(p["id"], integrity.raw_substance(p))
    return out


def _decided_problem(
    store: GitStore, parent: str, sha: str, ch: RawChange, decisions_rel: str, lim: Limits
) -> str | None:
    decided_data = _blob_data(store, parent, decisions_rel, lim)
    decided = {}
    if isinstance(decided_data, dict) and decided_data:
        try:
            decided = parse_decisions(decided_data, decisions_rel, limits=lim)
        except DraftingError:
            decided = {}
    before_data = _blob_data(store, parent, ch.path, lim)
    after_data = _blob_data(store, sha, ch.path, lim) if ch.new_mode != "000000" else None
    record = integrity.record_changes(before_data, after_data, decided) + integrity.support_changes(
        before_data, after_data, decided
    )
    before = _raw_proposals(before_data)
    after = _raw_proposals(after_data) if after_data is not None else {}
    changed = integrity.decided_changes(before, after, decided) if decided else []
    if not changed:
        if record:
            more = f" (and {len(record) - 1} more)" if len(record) > 1 else ""
            return record[0][1] + more
        return None
    pid, how = changed[0]
    more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
    verb = "drops" if how == "dropped" else "changes"
    return (
        f"{verb} {pid}{more}, already decided ({decided[pid].status}) at {parent[:10]}: a decided proposal "
        "never changes (the Presidency can record it as withdrawn)"
    )


def _observer_content(store: GitStore, config: Config, sha: str, path: str, who: Delegation) -> str | None:
    lim = config.limits
    try:
        raw = store.show(sha, path, max_bytes=lim.max_file_bytes)
    except BlobTooLarge as e:
        return f"not a valid contribution ({e.line})"
    if raw is None:
        return None
    try:
        data = yamlio.loads(raw, path, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth)
    except DraftingError as e:
        return f"not a valid contribution ({e.line})"
    props = data.get("proposals") if isinstance(data, dict) else None
    if not isinstance(props, list):
        return "not a valid contribution (no list of proposals)"
    return roles.comment_only_problem(who, [str(p.get("op")) if isinstance(p, dict) else "?" for p in props])


# ============================================================================ both


def run_check(root: Path, rev_range: str | None = None, *, delegation: str | None = None) -> Report:
    report = validate_workspace(root)
    if rev_range:
        commits = check_commits(root, rev_range, delegation=delegation)
        report.problems.extend(commits.problems)
        report.commits = commits.commits
        report.range = rev_range
        report.counts["commits"] = len(commits.commits)
    elif delegation:
        raise DraftingError("--delegation goes with a range of commits, e.g. origin/main..HEAD")
    return report


__all__ = [
    "Finding",
    "Report",
    "author_code",
    "check_commits",
    "parse_range",
    "permission_problem",
    "run_check",
    "validate_workspace",
]
