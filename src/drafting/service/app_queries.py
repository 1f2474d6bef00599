"""What the web app asks of a workspace, as plain functions (no Streamlit here).

The app (``drafting.app``) reads and writes a workspace only through the service layer;
the few questions it needs answered that the CLI does not ask yet live here, so they are
plain, tested functions over a :class:`~drafting.store.workspace.Workspace`:

- :func:`paragraph_overview`: per paragraph of a version, its proposals and comments by
  status (the Draft page's badges and filters);
- :func:`provenance`: who put each stretch of a version's text there (``blame``, with a
  coarse fallback on the paragraphs' ``sources`` while the provenance module is missing);
- :func:`amendment_from_edit` and :func:`contribution_with`: a delegation edits a
  paragraph in place; the amendment is simply the edited full text, added to what the
  delegation already submitted in the round (a resubmission replaces the file, so the
  earlier proposals are carried over with their ids);
- :func:`outcomes`: every proposal of a delegation and where it went (accepted into
  Revision 1, modified, not retained, open ...);
- :func:`review`: per paragraph of a round's base, every proposal as word-level changes
  against the base (the Presidency's review);
- :func:`compilation_rows`, :func:`version_stats`, :func:`csv_text`: the compilation table,
  the growth of the drafts, and a spreadsheet-safe CSV of a table.

Everything returned is plain data (dicts, lists, strings), ready to cache and to show.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..model.errors import NotFound
from ..model.records import Round, Version, status_of
from ..model.validate import clean_text, contribution_to_data
from ..store.workspace import Workspace

__all__ = [
    "START",
    "amendment_from_edit",
    "compilation_rows",
    "conflicts_by_paragraph",
    "contribution_with",
    "csv_text",
    "current_round",
    "delegation_label",
    "existing_contribution",
    "latest_version",
    "new_proposal",
    "next_version_name",
    "outcomes",
    "paragraph_overview",
    "preview_diff",
    "preview_numbers",
    "provenance",
    "review",
    "rounds_on",
    "version_stats",
]

#: the key used for inserts "at the start" (no anchor paragraph)
START = "(start)"

COMMENT_OP = "comment"


# ------------------------------------------------------------------------------ basics


def delegation_label(ws: Workspace, code: str | None) -> str:
    """``"Mexico (MEX)"``; unknown codes as they are."""
    if not code:
        return ""
    d = ws.config.delegation(code)
    return f"{d.name} ({d.code})" if d else code


def latest_version(ws: Workspace, document: str) -> str | None:
    names = ws.version_names(document)
    return names[-1] if names else None


def rounds_on(ws: Workspace, document: str, version: str) -> list[Round]:
    """The input rounds whose proposals were written against ``version``."""
    return [r for r in ws.config.rounds_of(document) if r.base == version]


def current_round(ws: Workspace, document: str) -> Round | None:
    """The round a delegation most likely wants to submit to: the document's open round,
    else one on the latest version (the last listed), else the last round of the document."""
    from .rounds import open_round_of

    rounds = list(ws.config.rounds_of(document))
    if not rounds:
        return None
    live = open_round_of(ws, document)
    if live is not None:
        return live
    latest = latest_version(ws, document)
    on_latest = [r for r in rounds if r.base == latest]
    return (on_latest or rounds)[-1]


def next_version_name(ws: Workspace, document: str, from_version: str | None = None) -> str:
    """A free name for the next version: ``rev1``, ``rev2`` ... (one more than any ``revN``)."""
    names = ws.version_names(document)
    taken = set(names)
    numbers = [int(m.group(1)) for n in names if (m := re.fullmatch(r"rev-?(\d+)", n))]
    n = max(numbers, default=0) + 1
    while f"rev{n}" in taken:
        n += 1
    return f"rev{n}"


# --------------------------------------------------------------------------- the draft


def paragraph_overview(ws: Workspace, document: str, version: str) -> dict[str, dict[str, Any]]:
    """Per paragraph id (or :data:`START`), the proposals written against ``version``.

    ``{"proposals": {status: n}, "comments": {status: n}, "delegations": [codes],
    "ids": [proposal ids]}``; inserts count under the paragraph they follow. Only rounds
    based on ``version`` count (the inputs on this text, not those that built it).
    """
    rows: dict[str, dict[str, Any]] = {}
    for r in rounds_on(ws, document, version):
        decisions = ws.decisions(document, r.id)
        for p in ws.proposals(document, r.id):
            key = p.target or START
            entry = rows.setdefault(
                key, {"proposals": Counter(), "comments": Counter(), "delegations": set(), "ids": []}
            )
            d = decisions.get(p.id)
            status = status_of(p, d)
            entry["comments" if p.op == COMMENT_OP else "proposals"][status] += 1
            entry["delegations"].update(p.delegations)
            entry["ids"].append(p.id)
    return {
        k: {
            "proposals": dict(v["proposals"]),
            "comments": dict(v["comments"]),
            "delegations": sorted(v["delegations"]),
            "ids": v["ids"],
        }
        for k, v in rows.items()
    }


def provenance(ws: Workspace, document: str, version: str) -> dict[str, Any]:
    """Who put each stretch of ``version`` there.

    ``{"exact": True, "paragraphs": {pid: [{"text", "version", "proposal", "delegation"}]}}``
    where each paragraph's span texts joined give its text (from :func:`versions.blame`).
    """
    from .versions import blame

    data = blame(ws, document, version)
    out: dict[str, list[dict]] = {}
    for para in data.get("paragraphs", []):
        spans = []
        for s in para.get("spans", []):
            origin = s.get("origin") or {}
            spans.append(
                {
                    "text": s.get("text", ""),
                    "version": origin.get("version"),
                    "proposal": origin.get("proposal"),
                    "delegation": origin.get("delegation"),
                }
            )
        out[para["id"]] = spans
    return {"exact": True, "paragraphs": out}


# --------------------------------------------------------------------------- submitting


def amendment_from_edit(base_text: str, edited: str | None) -> str | None:
    """The amendment a delegation proposes by editing a paragraph in place: the edited full
    text (white space normalised as stored), or ``None`` when nothing changed or the text
    was emptied (that is a deletion, proposed as such)."""
    if edited is None:
        return None
    new = clean_text(edited)
    if not new or new == clean_text(base_text or ""):
        return None
    return new


def new_proposal(
    op: str,
    *,
    paragraph: str | None = None,
    after: str | None = None,
    text: str | None = None,
    rationale: str | None = None,
    kind: str | None = None,
    section: str | None = None,
    tags: Sequence[str] = (),
) -> dict[str, Any]:
    """One proposal as plain data, in the contribution file's shape (no id: one is assigned)."""
    d: dict[str, Any] = {"op": op}
    if op == "insert":
        d["after"] = after
    else:
        d["paragraph"] = paragraph
    if kind:
        d["kind"] = kind
    if section:
        d["section"] = clean_text(section)
    if tags:
        d["tags"] = list(tags)
    if text is not None and op != "delete":
        d["text"] = clean_text(text)
    if rationale and clean_text(rationale):
        d["rationale"] = clean_text(rationale)
    return d


def existing_contribution(ws: Workspace, document: str, round_id: str, delegation: str):
    for c in ws.contributions(document, round_id):
        if c.delegation == delegation:
            return c
    return None


def contribution_with(
    ws: Workspace,
    document: str,
    round_id: str,
    delegation: str,
    additions: Iterable[dict],
    *,
    co_sponsors: Sequence[str] | None = None,
    withdraw: Iterable[str] = (),
) -> dict[str, Any]:
    """The contribution data to submit: what ``delegation`` already submitted in the round
    (ids kept), minus ``withdraw``, plus ``additions``; ``co_sponsors`` (if given) replace
    the submission's co-sponsors. Pass the result to ``inputs.submit_data``."""
    rnd = ws.require_round(document, round_id)
    prev = existing_contribution(ws, document, round_id, delegation)
    if prev is not None:
        data = contribution_to_data(prev)
    else:
        data = {"delegation": delegation, "document": document, "round": rnd.id, "base": rnd.base, "proposals": []}
    data.pop("submitted", None)  # the new submission is dated now, by the service
    gone = set(withdraw)
    data["proposals"] = [p for p in data["proposals"] if p.get("id") not in gone] + [dict(a) for a in additions]
    if co_sponsors is not None:
        if co_sponsors:
            data["co_sponsors"] = list(co_sponsors)
        else:
            data.pop("co_sponsors", None)
    return data


# ------------------------------------------------------------------------------ outcomes


def _composed_from(ws: Workspace, document: str, rnd: Round) -> Version | None:
    for name in ws.version_names(document):
        v = ws.version(document, name)
        if v.round == rnd.id and v.based_on == rnd.base:
            return v
    return None


def outcomes(ws: Workspace, document: str, delegation: str | None = None) -> list[dict[str, Any]]:
    """Every proposal on ``document`` (of ``delegation``, as proposer or co-sponsor) and
    where it went.

    Each row: ``id, round, base, op, paragraph, after, delegation, co_sponsors, status,
    note, decision_text, text, rationale, submitted``, plus ``outcome`` (``open``,
    ``in-version``, ``awaiting-version``, ``not-reflected``, ``not-retained``,
    ``deferred``, ``withdrawn``, ``addressed``, ``noted``), ``version`` and
    ``version_label`` (the version composed from the proposal's round, if any),
    ``lands_in`` (paragraph ids of that version that carry it) and ``where`` (one line
    for people: "accepted into Revision 1 (Action 3)").
    """
    from ..model.vocabulary import default_label, paragraph_name, status_word
    from ..text.merge import markup_spans
    from .versions import numbers as version_numbers

    ws.require_document(document)
    if delegation and ws.config.delegation(delegation) is None:
        raise NotFound(f"unknown delegation {delegation!r}: not listed in drafting.yaml")
    from .inputs import support

    out = []
    for rnd in ws.config.rounds_of(document):
        decisions = ws.decisions(document, rnd.id)
        backing = support(ws, document, rnd.id)
        composed = _composed_from(ws, document, rnd)
        carried: dict[str, list[str]] = {}
        bracketed: set[str] = set()
        nums: dict[str, str] = {}
        if composed is not None:
            nums = version_numbers(ws, document, composed.version)
            for para in composed.paragraphs:
                for s in para.sources:
                    carried.setdefault(s, []).append(para.id)
                if para.sources and markup_spans(para.text):
                    bracketed.add(para.id)
        label = (composed.label or default_label(composed.version)) if composed else None
        composed_by_id = composed.by_id() if composed else {}
        kept_ids = set(composed_by_id)
        for p in ws.proposals(document, rnd.id):
            if delegation and delegation not in p.delegations:
                continue
            d = decisions.get(p.id)
            status = status_of(p, d)
            lands = carried.get(p.id, [])
            where_num = ", ".join(
                paragraph_name(nums.get(x), composed_by_id[x].kind, composed_by_id[x].text) for x in lands
            )
            said = status_word(status)
            if status == "open":
                outcome = "open"
                where = (
                    "open: awaiting the Presidency's attention"
                    if p.op == "comment"
                    else ("open: awaiting the Presidency's decision")
                )
            elif status in ("accepted", "modified"):
                if composed is None:
                    outcome, where = "awaiting-version", f"{said}; not yet in a new version"
                elif lands:
                    outcome = "in-version"
                    where = f"{said} into {label} ({where_num})"
                    if any(x in bracketed for x in lands):
                        where += ", in brackets"
                elif p.op == "delete" and p.paragraph not in kept_ids:
                    outcome, where = "in-version", f"{said}: paragraph deleted in {label}"
                else:
                    outcome, where = "not-reflected", f"{said}, but not reflected in {label}"
            elif status == "rejected":
                outcome, where = "not-retained", said
            else:
                outcome, where = status, said
            if d and d.note:
                where += f" ({d.note})" if status in ("rejected", "deferred", "withdrawn", "addressed", "noted") else ""
            out.append(
                {
                    "id": p.id,
                    "round": rnd.id,
                    "base": rnd.base,
                    "op": p.op,
                    "paragraph": p.paragraph,
                    "after": p.after,
                    "target": p.target,
                    "delegation": p.delegation,
                    "co_sponsors": list(p.co_sponsors),
                    "support": backing.get(p.id, {}),
                    "withdrawn": p.withdrawn,
                    "status": status,
                    "note": d.note if d else None,
                    "decision_text": d.text if d else None,
                    "text": p.text,
                    "rationale": p.rationale,
                    "submitted": p.submitted,
                    "outcome": outcome,
                    "version": composed.version if composed else None,
                    "version_label": label,
                    "lands_in": lands,
                    "where": where,
                }
            )
    return out


# -------------------------------------------------------------------------------- review


def _ops(op: str, base_text: str | None, text: str | None) -> list[list[str]]:
    from ..text.diff import proposal_ops

    return [] if op == "comment" else [[o, t] for o, t in proposal_ops(op, base_text, text)]


def review(ws: Workspace, document: str, round_id: str) -> dict[str, Any]:
    """The round's proposals grouped by the base paragraph they are about, in base order.

    ``{"round", "base", "groups": [{"paragraph" (id or START), "number", "section", "kind",
    "text" (base text), "proposals": [{id, op, delegation, co_sponsors, status, note,
    decision_text, text, rationale, after, ops, decision_ops}]}]}``. ``ops`` are the
    proposal's changes against the base text (word level); ``decision_ops`` those of a
    ``modified`` decision's wording.
    """
    from .versions import numbers as version_numbers

    rnd = ws.require_round(document, round_id)
    base = ws.version(document, rnd.base)
    nums = version_numbers(ws, document, rnd.base)
    decisions = ws.decisions(document, rnd.id)
    by_id = base.by_id()
    by_target: dict[str, list[dict]] = {}
    for p in ws.proposals(document, rnd.id):
        key = p.target or START
        d = decisions.get(p.id)
        status = status_of(p, d)
        base_text = by_id[p.paragraph].text if p.paragraph in by_id else None
        row = {
            "id": p.id,
            "op": p.op,
            "delegation": p.delegation,
            "co_sponsors": list(p.co_sponsors),
            "status": status,
            "note": d.note if d else None,
            "decision_text": d.text if d else None,
            "text": p.text,
            "rationale": p.rationale,
            "after": p.after,
            "kind": p.kind,
            "section": p.section,
            "submitted": p.submitted,
            "ops": _ops(p.op, base_text, p.text),
            "decision_ops": _ops(p.op, base_text, d.text) if d and d.text and p.op in ("amend", "insert") else None,
        }
        by_target.setdefault(key, []).append(row)
    groups = []
    if START in by_target:
        groups.append(
            {"paragraph": START, "number": "", "section": None, "kind": None, "text": "", "proposals": by_target[START]}
        )
    groups.extend(
        {
            "paragraph": para.id,
            "number": nums.get(para.id, ""),
            "section": para.section,
            "kind": para.kind,
            "text": para.text,
            "proposals": by_target[para.id],
        }
        for para in base.paragraphs
        if para.id in by_target
    )
    return {"document": document, "round": rnd.id, "base": rnd.base, "groups": groups}


def conflicts_by_paragraph(report: dict[str, Any]) -> dict[str, list[dict]]:
    """A compose report's conflicts, by paragraph id (``None`` as :data:`START`)."""
    out: dict[str, list[dict]] = {}
    for c in report.get("conflicts") or []:
        out.setdefault(c.get("paragraph") or START, []).append(c)
    return out


def preview_diff(ws: Workspace, document: str, report: dict[str, Any]) -> dict[str, Any]:
    """The diff between a dry-run compose report's base and its ``preview`` version."""
    from ..model.validate import parse_version
    from ..text.diff import diff_versions

    base = ws.version(document, report["from"])
    preview = parse_version(report["preview"], f"preview of {report['version']}", limits=ws.config.limits)
    return diff_versions(base, preview)


def preview_numbers(ws: Workspace, document: str, report: dict[str, Any]) -> dict[str, str]:
    """The numbers of a dry-run compose report's preview compared with its base (the one
    numbering: the preview as the next version of the base's lineage)."""
    from ..model.validate import parse_version
    from ..text.numbering import diff_labels

    chain = ws.chain(document, report["from"])
    preview = parse_version(report["preview"], f"preview of {report['version']}", limits=ws.config.limits)
    return {pid: ch.label for pid, ch in diff_labels(chain, [*chain, preview]).items() if ch.label}


# ------------------------------------------------------------------- compilation, growth


def compilation_rows(ws: Workspace, document: str, round_id: str | None = None) -> list[dict[str, Any]]:
    """One row per proposal (of one round, or all rounds of the document), in the order of
    the compilation document (:func:`drafting.model.compilation.compile_round`): ``round,
    number, paragraph, section, tags, proposal, delegation, delegations, op, status, text,
    rationale, note``."""
    from ..model.compilation import compile_round
    from .versions import numbers as version_numbers

    rounds = [ws.require_round(document, round_id)] if round_id else list(ws.config.rounds_of(document))
    rows: list[dict[str, Any]] = []
    for rnd in rounds:
        base = ws.version(document, rnd.base)
        by_id = base.by_id()
        nums = version_numbers(ws, document, rnd.base)
        decisions = ws.decisions(document, rnd.id)
        for row in compile_round(base, ws.proposals(document, rnd.id), decisions):
            for p in row.proposals:
                para = by_id.get(p.target) if p.target else None
                d = decisions.get(p.id)
                rows.append(
                    {
                        "round": rnd.id,
                        "number": nums.get(p.target, "") if p.target else "",
                        "paragraph": p.target if p.op != "insert" else f"after {p.target or 'the start'}",
                        "section": (para.section if para else p.section) or "",
                        "tags": ", ".join(para.tags) if para else ", ".join(p.tags),
                        "proposal": p.id,
                        "delegation": p.delegation,
                        "delegations": ", ".join(p.delegations),
                        "op": p.op,
                        "status": status_of(p, d),
                        "text": p.text or "",
                        "rationale": p.rationale or "",
                        "note": (d.note if d else None) or "",
                    }
                )
    return rows


def version_stats(ws: Workspace, document: str) -> list[dict[str, Any]]:
    """Each version in lineage order: ``version, label, date, based_on, round, paragraphs,
    words`` (how the draft grew over the rounds)."""
    from ..model.vocabulary import default_label
    from ..text.words import word_count

    out = []
    for name in ws.version_names(document):
        v = ws.version(document, name)
        out.append(
            {
                "version": name,
                "label": v.label or default_label(name),
                "date": v.date or "",
                "based_on": v.based_on or "",
                "round": v.round or "",
                "paragraphs": len(v.paragraphs),
                "words": sum(word_count(p.text) for p in v.paragraphs),
            }
        )
    return out


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A CSV of ``rows`` that a spreadsheet opens as text: a cell starting with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, so that no
    delegation's text is ever run as a formula."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            s = ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else str(v))
            cells.append("'" + s if s.startswith(_FORMULA) else s)
        w.writerow(cells)
    return buf.getvalue()
