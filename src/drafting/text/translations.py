"""Where each paragraph of a version stands in another language: pure functions.

A translation file holds the translations made *for* one version
(``drafts/<document>/<version>.<language>.yaml``); a version inherits the translations
of the versions it is based on. For each paragraph of a version, in one language:

- **translated**: a translation (in this version's file, else in the nearest earlier
  version's) whose fingerprint is that of the paragraph's current text;
- **stale**: the paragraph was translated, but its text has changed since (the nearest
  translation's fingerprint is another text's); the text it translated is the *previous
  source*, found in the lineage;
- **missing**: never translated.

Counts are of source words (``text.words.word_count``), the unit translation services
charge by. No I/O: callers pass the lineage and the translation files read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model.languages import fingerprint
from ..model.records import Translation, TranslationRecord, Version
from .words import word_count

STATES = ("translated", "stale", "missing")


@dataclass(frozen=True)
class ParagraphState:
    """One paragraph of a version in one language."""

    id: str
    state: str  # translated | stale | missing
    source: str  # the paragraph's current text
    words: int  # its words
    translation: str | None = None  # the translation (for stale: of the previous source)
    translated_in: str | None = None  # the version whose translation file holds it
    previous_source: str | None = None  # stale: the text the translation was made from (None: not found)


@dataclass(frozen=True)
class Tally:
    paragraphs: int = 0
    words: int = 0

    def to_json(self) -> dict:
        return {"paragraphs": self.paragraphs, "words": self.words}


@dataclass(frozen=True)
class LanguageState:
    """A version in one language: every paragraph's state, and the counts."""

    document: str
    version: str
    language: str
    paragraphs: tuple[ParagraphState, ...]

    def of(self, state: str) -> list[ParagraphState]:
        return [p for p in self.paragraphs if p.state == state]

    def tally(self, state: str | None = None) -> Tally:
        ps = self.paragraphs if state is None else self.of(state)
        return Tally(len(ps), sum(p.words for p in ps))

    @property
    def to_translate(self) -> Tally:
        """What a package for this version must carry now: the stale and missing paragraphs."""
        ps = [p for p in self.paragraphs if p.state != "translated"]
        return Tally(len(ps), sum(p.words for p in ps))

    def by_id(self) -> dict[str, ParagraphState]:
        return {p.id: p for p in self.paragraphs}

    def to_json(self) -> dict:
        total = self.tally()
        done = self.tally("translated")
        return {
            "document": self.document,
            "version": self.version,
            "language": self.language,
            "paragraphs": total.paragraphs,
            "words": total.words,
            "translated": done.to_json(),
            "stale": self.tally("stale").to_json(),
            "missing": self.tally("missing").to_json(),
            "share_translated": round(done.words / total.words, 4) if total.words else 1.0,
        }


def language_state(
    chain: Sequence[Version], translations: Mapping[str, Translation | None], language: str
) -> LanguageState:
    """The state of ``chain[-1]`` in ``language``.

    ``chain`` is the version's lineage, first version first (``Workspace.chain``);
    ``translations`` maps version names of the chain to their translation file into
    ``language`` (absent or None: no file).
    """
    version = chain[-1]
    newest_first = list(reversed(chain))
    files = [
        (v.version, (translations.get(v.version) or Translation(v.document, v.version, language)).by_id())
        for v in newest_first
    ]
    out: list[ParagraphState] = []
    for p in version.paragraphs:
        fp = fingerprint(p.text)
        words = word_count(p.text)
        found: list[tuple[str, TranslationRecord]] = [(name, recs[p.id]) for name, recs in files if p.id in recs]
        match = next(((n, r) for n, r in found if r.fingerprint == fp), None)
        if match is not None:
            out.append(ParagraphState(p.id, "translated", p.text, words, match[1].text, match[0]))
        elif found:
            name, rec = found[0]
            out.append(
                ParagraphState(
                    p.id, "stale", p.text, words, rec.text, name, previous_source(newest_first, p.id, rec.fingerprint)
                )
            )
        else:
            out.append(ParagraphState(p.id, "missing", p.text, words))
    return LanguageState(version.document, version.version, language, tuple(out))


def previous_source(newest_first: Sequence[Version], pid: str, fp: str) -> str | None:
    """The text of paragraph ``pid`` whose fingerprint is ``fp``, in the nearest version
    of the lineage that has it (None if no version has that text)."""
    for v in newest_first:
        for p in v.paragraphs:
            if p.id == pid and fingerprint(p.text) == fp:
                return p.text
    return None


def merged(
    existing: Translation | None, new: Sequence[TranslationRecord], version: Version, language: str
) -> Translation:
    """A version's translation file after an import: its records, those of ``new``
    replacing any of the same paragraph, in the version's paragraph order."""
    records = dict((existing or Translation(version.document, version.version, language)).by_id())
    for r in new:
        records[r.id] = r
    order = [p.id for p in version.paragraphs]
    return Translation(
        version.document, version.version, language, tuple(records[pid] for pid in order if pid in records)
    )


# ------------------------------------------------------------------ translation packages


@dataclass(frozen=True)
class PackageUnit:
    """One paragraph in a translation package."""

    id: str
    label: str  # how the paragraph is known: "Action 12", "paragraph 5", "Heading"
    state: str  # missing | stale (| translated, in a package of the whole version)
    source: str
    fingerprint: str  # of ``source``
    words: int
    previous_source: str | None = None
    previous_translation: str | None = None
    #: what changed since the previous source: ``(op, text)`` with op equal | insert | delete
    changes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Package:
    """What a translation package carries (``drafting translate export``)."""

    document: str
    version: str
    source_language: str
    target_language: str
    conference: str
    title: str
    label: str
    symbol: str | None
    units: tuple[PackageUnit, ...]
    created: str | None = None  # ISO moment the package was made

    @property
    def words(self) -> int:
        return sum(u.words for u in self.units)

    def count(self, state: str) -> int:
        return sum(1 for u in self.units if u.state == state)


@dataclass(frozen=True)
class ReturnedUnit:
    """A paragraph as a package comes back: its id, the fingerprint of the source it was
    made from (None if the file lost it) and the translation typed (None or "": none)."""

    id: str
    fingerprint: str | None
    target: str | None
    source: str | None = None  # the source text the file carries, if any


@dataclass(frozen=True)
class Returned:
    """A translation package as read back (XLIFF or DOCX)."""

    document: str | None
    version: str | None
    source_language: str | None
    target_language: str | None
    units: tuple[ReturnedUnit, ...]


UNIT_KINDS = {"heading": "Heading", "preambular": "Preambular paragraph", "operative": "Paragraph", "text": "Paragraph"}


def unit_label(number: str | None, kind: str) -> str:
    """How a package names a paragraph: its display number, else its kind."""
    if number:
        return number if not number[0].isdigit() else f"Paragraph {number}"
    return UNIT_KINDS.get(kind, "Paragraph")


def package_units(
    state: LanguageState, version: Version, numbers: Mapping[str, str], *, everything: bool = False
) -> tuple[PackageUnit, ...]:
    """The units of a package: the stale and missing paragraphs (with ``everything``, all),
    in document order, each with what a translator needs to see what changed."""
    from .diff import diff_words

    kinds = {p.id: p.kind for p in version.paragraphs}
    out: list[PackageUnit] = []
    for p in state.paragraphs:
        if p.state == "translated" and not everything:
            continue
        changes: tuple[tuple[str, str], ...] = ()
        if p.state == "stale" and p.previous_source is not None:
            changes = tuple((op, t) for op, t in diff_words(p.previous_source, p.source))
        out.append(
            PackageUnit(
                id=p.id,
                label=unit_label(numbers.get(p.id), kinds.get(p.id, "text")),
                state=p.state,
                source=p.source,
                fingerprint=fingerprint(p.source),
                words=p.words,
                previous_source=p.previous_source if p.state == "stale" else None,
                previous_translation=p.translation if p.state != "missing" else None,
                changes=changes,
            )
        )
    return tuple(out)


def changes_text(changes: Sequence[tuple[str, str]]) -> str:
    """Changes as plain text, for a translator's note: ``[-removed-]{+added+}``."""
    parts = []
    for op, t in changes:
        if op == "insert":
            parts.append("{+" + t + "+}")
        elif op == "delete":
            parts.append("[-" + t + "-]")
        else:
            parts.append(t)
    return "".join(parts)
