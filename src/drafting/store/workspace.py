"""A drafting workspace on disk: reads the YAML files into records.

Layout (see CONTRACT.md, and docs/contract-extensions.md for the last three)::

    drafting.yaml
    drafts/<document>/<version>.yaml
    drafts/<document>/<version>.<language>.yaml     translations of the version (languages:)
    contributions/<document>/<round>/<CODE>.yaml
    decisions/<document>/<round>.yaml
    references/<slug>.yaml          earlier outcome documents (agreed language)
    status/<document>.yaml                       paragraph status (the Presidency's)
    silence/<document>/<n>.yaml                  a silence procedure (the Presidency's)
    silence/<document>/<n>/<CODE>.yaml           a delegation's break of silence (its own)
    rounds/<id>.yaml                             an input round (the Presidency's; model/rounds.py)

A :class:`Workspace` reads lazily and memoises what it read; it is cheap to make one per
command (or, in the app, one per git HEAD).
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.errors import DraftingError, NotFound
from ..model.records import (
    Config,
    Contribution,
    Decision,
    Paragraph,
    Proposal,
    Round,
    Translation,
    TranslationRecord,
    Version,
)
from ..model.silence import Procedure, SilenceBreak, parse_break, parse_procedure
from ..model.status import RecordedStatus, parse_statuses
from ..model.support import with_answers
from ..model.validate import (
    is_slug,
    parse_config,
    parse_contribution,
    parse_decisions,
    parse_translation,
    parse_version,
)
from .parsecache import ParseCache, pack_record, unpack_record

if TYPE_CHECKING:
    from ..model.references import Reference
    from .git import GitStore

CONFIG = "drafting.yaml"
REFERENCES = "references"
ROUNDS = "rounds"
#: the folders of the record (with drafting.yaml): what check validates and sync pushes
RECORD_FOLDERS = ("drafts", "contributions", "decisions", REFERENCES, "status", "silence", ROUNDS)


def version_path(document: str, version: str) -> str:
    return f"drafts/{document}/{version}.yaml"


def translation_path(document: str, version: str, language: str) -> str:
    """The translation of a version into ``language``, beside the version's own file."""
    return f"drafts/{document}/{version}.{language}.yaml"


def draft_name(stem: str, languages: tuple[str, ...] | list[str]) -> tuple[str, str | None]:
    """What the file ``drafts/<document>/<stem>.yaml`` holds: ``(version, None)`` for a
    version, ``(version, language)`` for a translation (a stem ending in ``.<language>``
    for one of ``languages``)."""
    head, dot, tail = stem.rpartition(".")
    if dot and head and tail in languages:
        return head, tail
    return stem, None


def contribution_path(document: str, round: str, code: str) -> str:
    return f"contributions/{document}/{round}/{code}.yaml"


def decisions_path(document: str, round: str) -> str:
    return f"decisions/{document}/{round}.yaml"


def reference_path(slug: str) -> str:
    return f"{REFERENCES}/{slug}.yaml"


def round_path(round_id: str) -> str:
    """The record of an input round managed in the tool (``drafting round``)."""
    return f"{ROUNDS}/{round_id}.yaml"


def status_path(document: str) -> str:
    return f"status/{document}.yaml"


def silence_path(document: str, procedure: str) -> str:
    return f"silence/{document}/{procedure}.yaml"


def silence_break_path(document: str, procedure: str, code: str) -> str:
    return f"silence/{document}/{procedure}/{code}.yaml"


#: the same paths as patterns (``drafting check`` sorts every changed path with them)
STATUS_FILE = re.compile(r"^status/([^/]+)\.yaml\Z")
SILENCE_FILE = re.compile(r"^silence/([^/]+)/([^/]+)\.yaml\Z")
SILENCE_BREAK_FILE = re.compile(r"^silence/([^/]+)/([^/]+)/([^/]+)\.yaml\Z")
ROUND_FILE = re.compile(r"^rounds/([^/]+)\.yaml\Z")


def resolve_root(workspace: str | os.PathLike | None) -> Path:
    """The workspace's folder: ``workspace`` if given, else ``$DRAFTING_WORKSPACE``, else
    the current folder or the nearest folder above it holding a workspace (as git finds
    its repository), so commands work from any subfolder. A relative path is taken from
    the current folder and kept as typed (for messages); ``Workspace`` makes it absolute."""
    given = workspace or os.environ.get("DRAFTING_WORKSPACE")
    if given:
        return Path(given)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file() and (folder / ".git").exists():
            return folder
    return here


class Workspace:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).absolute()  # git runs inside it: paths must not depend on the caller's folder
        if not (self.root / CONFIG).is_file():
            raise DraftingError(
                f"{root}: not a drafting workspace (no {CONFIG}); create one with "
                "'drafting init DIR --example' or point --workspace at one"
            )
        self._versions: dict[tuple[str, str], Version] = {}
        self._contribs: dict[tuple[str, str], list[Contribution]] = {}
        self._decisions: dict[tuple[str, str], dict[str, Decision]] = {}
        #: (document, round) -> {file: the problem}: contribution files that do not
        #: validate, left out of what the round's readers see (see :meth:`contributions`)
        self._invalid: dict[tuple[str, str], dict[str, str]] = {}
        self._references: dict[str, Reference] = {}
        #: every file left out so far, for the command to report (file -> problem)
        self.warnings: dict[str, str] = {}

    def refresh(self) -> None:
        """Forget everything read so far (the next read sees the files as they are now):
        a writer calls this once it holds the write lock, so that what it decides on is
        what the history holds at its commit's parent."""
        self._versions.clear()
        self._contribs.clear()
        self._decisions.clear()
        self._invalid.clear()
        self._references.clear()
        self.__dict__.pop("config", None)

    # ---------------------------------------------------------------- basics
    @cached_property
    def git(self) -> GitStore:
        from .git import GitStore  # (git and subprocess only for commands that use them)

        return GitStore(self.root)

    @cached_property
    def config(self) -> Config:
        """``drafting.yaml``, its rounds merged with the round records (``rounds/<id>.yaml``,
        :func:`model.rounds.merge`). A round record that does not validate is left out and
        reported (:attr:`warnings`), as a contribution file is."""
        from dataclasses import replace

        from ..model.rounds import merge

        cfg = parse_config(self.parse_cache.load(self.root / CONFIG, CONFIG), CONFIG)
        records = self._round_records(cfg)
        return replace(cfg, rounds=merge(cfg.rounds, records)) if records else cfg

    def round_files(self) -> list[str]:
        """The round records' files (``rounds/<id>.yaml``), sorted."""
        d = self.root / ROUNDS
        return [round_path(p.stem) for p in sorted(d.glob("*.yaml")) if is_slug(p.stem)] if d.is_dir() else []

    def _round_records(self, cfg: Config) -> dict[str, Round]:
        from ..model.rounds import parse_round_in

        out: dict[str, Round] = {}
        lim = cfg.limits
        for rel in self.round_files():
            rid = rel[len(ROUNDS) + 1 : -len(".yaml")]
            try:
                data = self.parse_cache.load(
                    self.root / rel, rel, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth
                )
                out[rid] = parse_round_in(cfg, data, rel, rid)
            except DraftingError as e:
                self.warnings[rel] = e.line
        return out

    @cached_property
    def parse_cache(self) -> ParseCache:
        """Parsed YAML by the bytes of each file, in ``.git/drafting-cache/`` (see parsecache)."""
        return ParseCache(self.root)

    def _load(self, rel: str):
        lim = self.config.limits
        return self.parse_cache.load(self.root / rel, rel, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth)

    def _record(self, rel: str, build, tag: str | None, cls: type, nested: dict[str, type]):
        """``build(parsed YAML of rel)``, a validated record, through the parse cache
        (``tag``: what ``build`` depends on besides the file; None: do not cache)."""
        lim = self.config.limits
        if tag is None:
            return build(self._load(rel))
        return self.parse_cache.load_record(
            self.root / rel,
            rel,
            build,
            tag=f"{cls.__name__}|{rel}|{lim}|{tag}",
            pack=lambda r: pack_record(r, nested),
            unpack=lambda v: unpack_record(cls, v, nested),
            max_bytes=lim.max_file_bytes,
            max_depth=lim.max_depth,
        )

    def _key_hex(self, rel: str) -> str | None:
        key = self.parse_cache.keys.get(rel)
        return key.hex() if key else None

    def derived(self, name: str, inputs: list[str], compute, *, code: tuple[str, ...] = ("text", "model")):
        """``compute()``, a pure function of the workspace files ``inputs`` (each already
        read through the parse cache, or absent) and of drafting's ``code``, kept in the
        parse cache: a diff or the provenance of a version is computed once per state of
        its files, whatever process asks. The result must be plain data; ``name`` names
        the entry (one per name: a newer state replaces it)."""
        from .parsecache import source_digest

        cache = self.parse_cache
        parts = [name.encode("utf-8", "surrogatepass"), source_digest(code)]
        for rel in inputs:
            key = cache.keys.get(rel)
            if key is None and (self.root / rel).exists():  # read some other way: do not trust
                return compute()
            parts += [rel.encode("utf-8", "surrogatepass"), key or b"-"]
        if cache.dir is None:
            return compute()
        import hashlib

        key = hashlib.blake2b(b"\0".join(parts), digest_size=32).digest()
        found, value = cache.lookup(f"derived:{name}", key)
        if found:
            cache.hits += 1
            return value
        value = compute()
        cache.store(f"derived:{name}", key, value)
        return value

    def input_files(self, document: str) -> list[str]:
        """The files everything about ``document`` besides its versions depends on: the
        configuration, every contribution of its rounds, their decisions."""
        _ = self.config
        rels = [CONFIG, *self.round_files()]
        for r in self.config.rounds_of(document):
            d = self.root / "contributions" / document / r.id
            rels += [
                f"contributions/{document}/{r.id}/{f.name}" for f in (sorted(d.glob("*.yaml")) if d.is_dir() else [])
            ]
            rels.append(decisions_path(document, r.id))
        return rels

    def require_document(self, document: str) -> str:
        if not is_slug(document) or document not in self.config.documents:
            raise NotFound(f"unknown document {document!r}; documents are {', '.join(self.config.documents)}")
        return document

    def require_round(self, document: str, round_id: str | None) -> Round:
        self.require_document(document)
        rounds = self.config.rounds_of(document)
        if round_id is None:
            if len(rounds) == 1:
                return rounds[0]
            if not rounds:
                raise NotFound(f"{document} has no input rounds in {CONFIG}")
            raise NotFound(f"{document} has several rounds ({', '.join(r.id for r in rounds)}): name one with --round")
        r = self.config.round(round_id)
        if r is None:
            raise NotFound(
                f"unknown round {round_id!r}; rounds of {document} are {', '.join(x.id for x in rounds) or 'none'}"
            )
        if r.document != document:
            raise NotFound(f"round {round_id} is for {r.document}, not {document}")
        return r

    # ---------------------------------------------------------------- versions
    def version_names(self, document: str) -> list[str]:
        """Versions of a document in lineage order (each after the one it is based on)."""
        d = self.root / "drafts" / document
        langs = self.config.languages
        names = sorted(p.stem for p in d.glob("*.yaml") if draft_name(p.stem, langs)[1] is None) if d.is_dir() else []
        based = {}
        for n in names:
            try:
                based[n] = self.version(document, n).based_on
            except DraftingError:
                based[n] = None
        order: list[str] = []
        placed: set[str] = set()

        def place(n: str, seen: frozenset = frozenset()) -> None:
            if n in placed or n in seen:
                return
            parent = based.get(n)
            if parent in based:
                place(parent, seen | {n})
            order.append(n)
            placed.add(n)

        for n in sorted(names, key=lambda n: (self._date_key(document, n), n)):
            place(n)
        return order

    def _date_key(self, document: str, name: str) -> str:
        try:
            return self.version(document, name).date or ""
        except DraftingError:
            return ""

    def has_version(self, document: str, version: str) -> bool:
        return (
            is_slug(version)
            and draft_name(version, self.config.languages)[1] is None
            and (self.root / version_path(document, version)).is_file()
        )

    def require_version_name(self, version: str) -> None:
        """A name a new version may take: not one of a translation's file."""
        base, lang = draft_name(version, self.config.languages)
        if lang is not None:
            raise DraftingError(
                f"{version!r} would be the file of {base}'s translation into {lang} "
                f"({version_path('<document>', version)}); choose a version name that does not end in .{lang}"
            )

    # ---------------------------------------------------------------- translations
    def require_language(self, language: str | None, *, what: str = "--lang") -> str:
        """A language texts are translated into (not the source language)."""
        cfg = self.config
        if not language:
            raise NotFound(f"no language given: name one with {what} ({', '.join(cfg.target_languages) or 'none'})")
        if language == cfg.source_language:
            raise DraftingError(
                f"{language} is the source language: texts are translated from it; "
                f"choose one of {', '.join(cfg.target_languages) or '(none: add languages: to drafting.yaml)'}"
            )
        if language not in cfg.languages:
            raise NotFound(
                f"unknown language {str(language)[:20]!r} for {what}: languages of drafting.yaml are "
                f"{', '.join(cfg.languages)} (translated into: {', '.join(cfg.target_languages) or 'none'})"
            )
        return language

    def translation(self, document: str, version: str, language: str) -> Translation | None:
        """The translations made for ``version`` into ``language`` (None: no file)."""
        self.require_language(language)
        v = self.version(document, version)
        rel = translation_path(document, version, language)
        if not (self.root / rel).is_file():
            return None
        cfg_key = self._key_hex(CONFIG)
        ver_key = self._key_hex(version_path(document, version))
        tag = f"{cfg_key}|{ver_key}|{document}|{version}|{language}" if cfg_key and ver_key else None
        return self._record(
            rel,
            lambda data: parse_translation(data, rel, config=self.config, version=v, language=language),
            tag,
            Translation,
            {"paragraphs": TranslationRecord},
        )

    def translations(self, document: str, version: str, language: str) -> dict[str, Translation | None]:
        """The translation files into ``language`` of ``version``'s whole lineage."""
        return {v.version: self.translation(document, v.version, language) for v in self.chain(document, version)}

    def version(self, document: str, version: str) -> Version:
        self.require_document(document)
        if not is_slug(version):
            raise NotFound(f"{version!r} is not a valid version name")
        key = (document, version)
        if key not in self._versions:
            rel = version_path(document, version)
            if not (self.root / rel).is_file() or draft_name(version, self.config.languages)[1] is not None:
                known = ", ".join(self.version_names(document)) or "none"
                raise NotFound(f"unknown version {version!r} of {document}; versions are {known}")
            lim = self.config.limits
            self._versions[key] = self._record(
                rel,
                lambda data: parse_version(data, rel, limits=lim, document=document, version=version),
                f"{document}|{version}",
                Version,
                {"paragraphs": Paragraph},
            )
        return self._versions[key]

    def chain(self, document: str, version: str) -> list[Version]:
        """The lineage of ``version``: first version ... version (following based_on)."""
        out: list[Version] = []
        seen: set[str] = set()
        v: str | None = version
        while v is not None:
            if v in seen:
                raise DraftingError(f"{version_path(document, v)}: based_on loops back to {v}")
            seen.add(v)
            ver = self.version(document, v)
            out.append(ver)
            v = ver.based_on
        return out[::-1]

    def used_ids(self, document: str) -> set[str]:
        ids: set[str] = set()
        for n in self.version_names(document):
            ids.update(p.id for p in self.version(document, n).paragraphs)
        return ids

    # ---------------------------------------------------------------- contributions
    def contributions(self, document: str, round_id: str) -> list[Contribution]:
        """The round's valid contributions, ordered by submission time (then code).

        A file that does not validate (a malformed file arriving by sync, a hand edit) is
        left out and recorded (:meth:`invalid_contributions`, :attr:`warnings`): one bad
        file must not stop the listing, decisions, compose, blame or the compilation of
        everyone else's inputs. ``drafting check`` reports it as an error."""
        key = (document, round_id)
        if key not in self._contribs:
            self.require_round(document, round_id)
            d = self.root / "contributions" / document / round_id
            out = []
            bad: dict[str, str] = {}
            for f in sorted(d.glob("*.yaml")) if d.is_dir() else []:
                try:
                    out.append(self.contribution(document, round_id, f.stem))
                except NotFound:
                    continue  # removed meanwhile
                except DraftingError as e:
                    rel = contribution_path(document, round_id, f.stem)
                    bad[rel] = e.line
            out.sort(key=lambda c: (c.submitted or "", c.delegation))
            self._contribs[key] = with_answers(out)  # (co-sponsors' answers are in their own files)
            self._invalid[key] = bad
            self.warnings.update(bad)
        return self._contribs[key]

    def invalid_contributions(self, document: str, round_id: str | None = None) -> dict[str, str]:
        """The contribution files of ``document`` (of one round) left out because they do
        not validate: file -> the problem, as one line naming the file."""
        out: dict[str, str] = {}
        for r in self.config.rounds_of(document):
            if round_id is None or r.id == round_id:
                self.contributions(document, r.id)
                out.update(self._invalid.get((document, r.id), {}))
        return out

    def raw_proposals(self, rel: str) -> dict[str, dict]:
        """The proposals of a contribution file read as plain data, valid or not (what a
        file that does not validate still says): id -> the proposal's fields. Empty when
        the file cannot be read as YAML at all."""
        try:
            data = self._load(rel)
        except DraftingError:
            return {}
        props = data.get("proposals") if isinstance(data, dict) else None
        out: dict[str, dict] = {}
        for p in props if isinstance(props, list) else []:
            if isinstance(p, dict) and isinstance(p.get("id"), str):
                out.setdefault(p["id"], p)
        return out

    def contribution(self, document: str, round_id: str, code: str) -> Contribution:
        """One delegation's contribution file of a round, validated (NotFound if none)."""
        r = self.require_round(document, round_id)
        rel = contribution_path(document, round_id, code)
        if not (self.root / rel).is_file():
            raise NotFound(f"{rel}: no such file")
        base = self.version(document, r.base) if self.has_version(document, r.base) else None
        # what validation depends on besides the file: the configuration and the base
        # version (their bytes, as read), and the names given by the path
        cfg_key = self._key_hex(CONFIG)
        base_key = self._key_hex(version_path(document, r.base)) if base else "-"
        tag = f"{cfg_key}|{base_key}|{code}|{document}|{round_id}" if cfg_key and base_key else None
        return self._record(
            rel,
            lambda data: parse_contribution(
                data, rel, config=self.config, base=base, delegation=code, document=document, round=round_id
            ),
            tag,
            Contribution,
            {"proposals": Proposal},
        )

    def round_state(self, document: str, round_id: str) -> tuple:
        """The round's contribution files as the file system sees them: (name, inode, size,
        modification and change times). drafting replaces a file by renaming a new one
        over it (a new inode); any other write changes the change time."""
        d = self.root / "contributions" / document / round_id
        out: list[tuple] = []
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name) if d.is_dir() else []
        except OSError:
            entries = []
        for e in entries:
            if e.name.endswith(".yaml"):
                try:
                    st = e.stat()  # (of what a link points to: that is what is read)
                    out.append((e.name, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
                except OSError:
                    out.append((e.name, None))
        return tuple(out)

    def proposal_ids(self, document: str, round_id: str) -> set[str]:
        """The ids of the round's proposals (as :meth:`proposals` has them), kept in the
        parse cache by the round's :meth:`round_state`: a submission needs every other
        round's ids, and reading 10,000 proposals to get them would cost it a tenth of a
        second. An entry is kept only for files last changed over a second before, so a
        later change always shows in the change time."""
        import hashlib
        import time

        from .parsecache import model_digest

        self.require_round(document, round_id)
        state = self.round_state(document, round_id)
        _ = self.config
        cfg = self._key_hex(CONFIG)
        cache = self.parse_cache
        key = None
        if cfg is not None and cache.dir is not None and (document, round_id) not in self._contribs:
            key = hashlib.blake2b(repr((cfg, state)).encode() + model_digest(), digest_size=32).digest()
            found, ids = cache.lookup(f"ids:{document}/{round_id}", key)
            if found and isinstance(ids, list):
                cache.hits += 1
                return set(ids)
        ids = [p.id for p in self.proposals(document, round_id)]
        settled = time.time_ns() - 1_000_000_000
        if (
            key is not None
            and self.round_state(document, round_id) == state
            and all(len(f) == 5 and f[3] < settled and f[4] < settled for f in state)
        ):
            cache.store(f"ids:{document}/{round_id}", key, sorted(ids))
        return set(ids)

    def forget_contributions(self) -> None:
        """Read the contribution files again on next use (another process wrote some)."""
        self._contribs.clear()

    def proposals(self, document: str, round_id: str) -> list[Proposal]:
        return [p for c in self.contributions(document, round_id) for p in c.proposals]

    def all_proposals(self, document: str | None = None) -> list[Proposal]:
        out = []
        for r in self.config.rounds:
            if document is None or r.document == document:
                out.extend(self.proposals(r.document, r.id))
        return out

    def decisions(self, document: str, round_id: str) -> dict[str, Decision]:
        key = (document, round_id)
        if key not in self._decisions:
            self.require_round(document, round_id)
            rel = decisions_path(document, round_id)
            if (self.root / rel).is_file():
                lim = self.config.limits
                self._decisions[key] = self.parse_cache.load_record(  # (validated once per state)
                    self.root / rel,
                    rel,
                    lambda data: parse_decisions(data, rel, limits=lim),
                    tag=f"Decisions|{rel}|{lim}",
                    pack=lambda ds: tuple(pack_record(d) for d in ds.values()),
                    unpack=lambda v: {d.proposal: d for d in (unpack_record(Decision, x) for x in v)},
                    max_bytes=lim.max_file_bytes,
                    max_depth=lim.max_depth,
                )
            else:
                self._decisions[key] = {}
        return self._decisions[key]

    def all_decisions(self, document: str | None = None) -> dict[str, Decision]:
        out: dict[str, Decision] = {}
        for r in self.config.rounds:
            if document is None or r.document == document:
                out.update(self.decisions(r.document, r.id))
        return out

    # ---------------------------------------------------------------- references
    def reference_slugs(self) -> list[str]:
        """The references' names (``references/<slug>.yaml``), sorted."""
        d = self.root / REFERENCES
        return sorted(p.stem for p in d.glob("*.yaml") if is_slug(p.stem)) if d.is_dir() else []

    def reference(self, slug: str) -> Reference:
        from ..model.references import Reference, RefParagraph, parse_reference
        from .parsecache import source_digest

        if not is_slug(slug) or not (self.root / reference_path(slug)).is_file():
            known = ", ".join(self.reference_slugs()) or "none"
            raise NotFound(f"unknown reference {slug!r}; references are {known}")
        if slug not in self._references:
            rel = reference_path(slug)
            lim = self.config.limits
            self._references[slug] = self._record(
                rel,
                lambda data: parse_reference(data, rel, limits=lim, slug=slug),
                f"{slug}|{source_digest(('model',)).hex()}",
                Reference,
                {"paragraphs": RefParagraph},
            )
        return self._references[slug]

    def references(self) -> list[Reference]:
        """Every reference, in the order of their names."""
        return [self.reference(s) for s in self.reference_slugs()]

    def status(self, p: Proposal) -> str:
        from ..model.records import status_of

        return status_of(p, self.decisions(p.document, p.round).get(p.id))

    # ---------------------------------------------------------------- status and silence
    def statuses(self, document: str) -> dict[str, RecordedStatus]:
        """What the Presidency recorded of the document's paragraphs (``status/<doc>.yaml``)."""
        self.require_document(document)
        rel = status_path(document)
        if not (self.root / rel).is_file():
            return {}
        return parse_statuses(self._load(rel), rel, limits=self.config.limits)

    def procedures(self, document: str) -> list[Procedure]:
        """The document's silence procedures, in the order they were started."""
        self.require_document(document)
        d = self.root / "silence" / document
        out = []
        for f in sorted(d.glob("*.yaml")) if d.is_dir() else []:
            if not is_slug(f.stem):
                continue
            rel = silence_path(document, f.stem)
            out.append(parse_procedure(self._load(rel), rel, document=document, pid=f.stem, limits=self.config.limits))
        out.sort(key=lambda p: (int(p.id) if p.id.isdigit() else 1 << 30, p.id))
        return out

    def silence_breaks(self, document: str, procedure: str) -> dict[str, SilenceBreak]:
        """Who broke silence in a procedure: delegation code -> break, in the order they came."""
        d = self.root / "silence" / document / procedure
        out = []
        for f in sorted(d.glob("*.yaml")) if d.is_dir() else []:
            rel = silence_break_path(document, procedure, f.stem)
            out.append(parse_break(self._load(rel), rel, code=f.stem, limits=self.config.limits))
        out.sort(key=lambda b: (b.at, b.delegation))
        return {b.delegation: b for b in out}
