"""Paragraph status: how far the conference has got with each paragraph. Pure rules.

A paragraph is **open**; **bracketed** while its text holds square brackets (set
automatically, never recorded); **agreed ad referendum** (agreed, pending confirmation
from capitals); or **agreed**. The Presidency records ad referendum, agreed, or open
again (reopened) in ``status/<document>.yaml``, against the version it was looking at; a
recorded status holds while the paragraph's text is the one it was recorded on (a later
revision that changes the text lapses it). An agreed paragraph takes no new amendments
until the Presidency reopens it.

The file::

    clr-1: {status: agreed, version: rev2, date: '2026-09-15T08:00:00Z', note: agreed in plenary}
    va-3: {status: ad-referendum, version: rev2, date: '2026-09-15T09:30:00Z'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import DraftingError, PermissionDenied, Problem, ValidationError
from .records import Limits, Paragraph, Proposal

OPEN = "open"
BRACKETED = "bracketed"
AD_REF = "ad-referendum"
AGREED = "agreed"
#: every status a paragraph can be in, from least to most settled
PARAGRAPH_STATUSES = (OPEN, BRACKETED, AD_REF, AGREED)
#: what the Presidency records (bracketed follows from the text)
RECORDED_STATUSES = (OPEN, AD_REF, AGREED)
#: as a secretariat writes them
STATUS_WORDS = {OPEN: "open", BRACKETED: "bracketed", AD_REF: "agreed ad referendum", AGREED: "agreed"}
_SPELLINGS = {
    "open": OPEN,
    "reopen": OPEN,
    "reopened": OPEN,
    "bracketed": BRACKETED,
    "brackets": BRACKETED,
    "ad-referendum": AD_REF,
    "ad-ref": AD_REF,
    "adref": AD_REF,
    "ad_ref": AD_REF,
    "ad ref": AD_REF,
    "ad_referendum": AD_REF,
    "ad referendum": AD_REF,
    "agreed-ad-referendum": AD_REF,
    "agreed ad referendum": AD_REF,
    "agreed": AGREED,
}
#: proposals an agreed paragraph refuses (comments and inserts after it stay possible)
AMENDING_OPS = ("amend", "delete")


@dataclass(frozen=True)
class RecordedStatus:
    """What the Presidency recorded for one paragraph."""

    paragraph: str
    status: str  # one of RECORDED_STATUSES
    version: str  # the version whose text it was recorded on
    date: str  # when (ISO, UTC)
    note: str | None = None


def status_name(word: str) -> str:
    """A status as typed ("ad-ref", "agreed", "Agreed ad referendum") as its stored name;
    a DraftingError naming the statuses for anything else."""
    key = " ".join(str(word).lower().split())
    found = _SPELLINGS.get(key) or _SPELLINGS.get(key.replace(" ", "-"))
    if found is None:
        raise DraftingError(
            f"unknown paragraph status {str(word)[:40]!r}; statuses are open, ad-referendum (ad-ref), "
            "agreed (bracketed is set automatically while a text holds square brackets)"
        )
    return found


def has_brackets(text: str | None) -> bool:
    """Whether a text still holds square brackets (alternatives or text not yet agreed)."""
    return text is not None and ("[" in text or "]" in text)


def effective_status(text: str, recorded: RecordedStatus | None, recorded_text: str | None) -> str:
    """A paragraph's status in a version whose text is ``text``: the recorded status while
    the text is the one it was recorded on (``recorded_text``), else bracketed or open."""
    if recorded is not None and recorded.status in (AD_REF, AGREED) and recorded_text == text:
        return recorded.status
    return BRACKETED if has_brackets(text) else OPEN


def lapsed(text: str, recorded: RecordedStatus | None, recorded_text: str | None) -> bool:
    """Whether a recorded agreement no longer holds because the text changed since."""
    return recorded is not None and recorded.status in (AD_REF, AGREED) and recorded_text != text


def check_status_change(label: str, text: str, new: str, current: str) -> None:
    """May the Presidency record ``new`` for the paragraph ``label`` (whose text is
    ``text`` and whose status is now ``current``)? A DraftingError says why not."""
    if new == BRACKETED:
        raise DraftingError(
            f"{label}: 'bracketed' is not recorded: a paragraph is bracketed while its text holds square brackets"
        )
    if new not in RECORDED_STATUSES:
        raise DraftingError(f"{label}: unknown paragraph status {new!r}")
    if new in (AD_REF, AGREED) and has_brackets(text):
        raise DraftingError(
            f"{label} still holds square brackets: remove them in a revision before recording it as {STATUS_WORDS[new]}"
        )
    if new == current or (new == OPEN and current == BRACKETED):
        raise DraftingError(f"{label} is already {STATUS_WORDS[current]}: nothing to record")


def refuse_amendments_to_agreed(
    source: str, proposals: Sequence[Proposal], kept_ids: Iterable[str], agreed: Mapping[str, str]
) -> None:
    """Refuse a submission that brings a new amendment or deletion of an agreed paragraph.

    ``agreed``: paragraph id -> how to name it ("Action 3") for the paragraphs now agreed;
    ``kept_ids``: the ids of proposals the delegation had already submitted (kept as they
    were, they are not new)."""
    old = set(kept_ids)
    for p in proposals:
        if p.op in AMENDING_OPS and p.paragraph is not None and p.paragraph in agreed and p.id not in old:
            what = "amends" if p.op == "amend" else "deletes"
            raise PermissionDenied(
                f"{source}: {p.id} {what} {agreed[p.paragraph]}, which is agreed: it takes no new "
                "amendments until the Presidency reopens it"
            )


# -------------------------------------------------------------------------------- board


def section_board(paragraphs: Sequence[Paragraph], statuses: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per section (in document order), how many paragraphs are in each status:
    ``[{"section", "open", "bracketed", "ad-referendum", "agreed", "total"}]``, with a last
    row ``section: None`` for the whole document. Headings do not count."""
    rows: dict[str | None, dict[str, Any]] = {}
    total: dict[str, Any] = {"section": None, **dict.fromkeys(PARAGRAPH_STATUSES, 0), "total": 0}
    for p in paragraphs:
        if p.kind == "heading":
            continue
        st = statuses.get(p.id, OPEN)
        row = rows.setdefault(p.section, {"section": p.section, **dict.fromkeys(PARAGRAPH_STATUSES, 0), "total": 0})
        for r in (row, total):
            r[st] += 1
            r["total"] += 1
    return [*rows.values(), total]


# ------------------------------------------------------------------------------- the file


def parse_statuses(data: Any, file: str, *, limits: Limits | None = None) -> dict[str, RecordedStatus]:
    """``status/<document>.yaml`` as records (every problem listed)."""
    limits = limits or Limits()
    from .validate import PID, is_slug, text_problem

    problems: list[Problem] = []
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationError([Problem(file, "", "expected a mapping of paragraph id -> {status, version, date}")])
    out: dict[str, RecordedStatus] = {}
    for pid, entry in data.items():
        where = str(pid)[:80]
        if not isinstance(pid, str) or not PID.match(pid):
            problems.append(Problem(file, where, "is not a paragraph id"))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(file, where, "expected {status, version, date}"))
            continue
        extra = sorted(set(map(str, entry)) - {"status", "version", "date", "note"})
        if extra:
            problems.append(Problem(file, where, f"unknown field {extra[0][:40]}"))
        status = entry.get("status")
        if status not in RECORDED_STATUSES:
            problems.append(
                Problem(
                    file, f"{where}.status", f"{str(status)[:40]!r} is not a status ({', '.join(RECORDED_STATUSES)})"
                )
            )
            continue
        version = entry.get("version")
        if not is_slug(version):
            problems.append(Problem(file, f"{where}.version", "should name the version the status was recorded on"))
            continue
        date = entry.get("date")
        if date is None or not str(date).strip():
            problems.append(Problem(file, f"{where}.date", "is missing"))
            continue
        note = entry.get("note")
        if note is not None:
            if not isinstance(note, str):
                problems.append(Problem(file, f"{where}.note", "should be text"))
                continue
            bad = text_problem(note)
            if bad or len(note) > limits.max_text_chars:
                problems.append(Problem(file, f"{where}.note", bad or "is too long"))
                continue
        out[pid] = RecordedStatus(pid, status, str(version), str(date), note)
    if problems:
        raise ValidationError(problems)
    return out


def status_entry(r: RecordedStatus) -> dict[str, Any]:
    """One entry of the file, as written."""
    d: dict[str, Any] = {"status": r.status, "version": r.version, "date": r.date}
    if r.note:
        d["note"] = r.note
    return d
