"""Cached reads, keyed by the workspace's git HEAD.

Every submission, decision and version is a commit, so the HEAD commit identifies the
state of a workspace: each cached function takes ``(root, head, ...)`` and recomputes only
when HEAD has moved (or for arguments it has not seen). HEAD is read from ``.git`` directly
(two small files), once per script run.

The functions call the service layer only; what they return is plain data (dicts, lists,
records) shared by every session as it is (``st.cache_resource``: no copy per run, which
for a 300-paragraph draft costs more than the page itself). **Callers never change what
they get**; they build their own from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from ..store.workspace import Workspace

#: read-only results, shared as they are by every session

_SHARED = st.cache_resource(max_entries=256, show_spinner=False)


def head_sha(root: str) -> str:
    """The commit HEAD points at (``"empty"`` in a repository without commits)."""
    git = Path(root) / ".git"
    try:
        if git.is_dir():
            head = (git / "HEAD").read_text(encoding="utf-8").strip()
            if not head.startswith("ref: "):
                return head
            ref = head[5:].strip()
            f = git / ref
            if f.is_file():
                return f.read_text(encoding="utf-8").strip()
            packed = git / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0]
            return "empty"
    except OSError:
        pass
    # a worktree or anything unusual: ask git
    from ..store.git import GitStore

    return GitStore(Path(root)).head() or "empty"


@st.cache_resource(max_entries=8, show_spinner=False)
def reader(root: str, head: str) -> Workspace:
    """A Workspace for reading at ``head`` (it memoises what it parsed). Writes use a fresh one."""
    return Workspace(root)


@_SHARED
def version_stats(root: str, head: str, document: str) -> list[dict]:
    from ..service.app_queries import version_stats as f

    return f(reader(root, head), document)


@_SHARED
def version(root: str, head: str, document: str, name: str):
    return reader(root, head).version(document, name)


@_SHARED
def numbers(root: str, head: str, document: str, name: str) -> dict[str, str]:
    from ..service.versions import numbers as f

    return f(reader(root, head), document, name)


@_SHARED
def provenance(root: str, head: str, document: str, name: str) -> dict[str, Any]:
    from ..service.app_queries import provenance as f

    return f(reader(root, head), document, name)


@_SHARED
def overview(root: str, head: str, document: str, name: str) -> dict[str, dict]:
    from ..service.app_queries import paragraph_overview

    return paragraph_overview(reader(root, head), document, name)


@_SHARED
def proposals(root: str, head: str, document: str, round_id: str | None = None) -> list[dict]:
    from ..service.inputs import list_proposals

    return list_proposals(reader(root, head), document, round=round_id)


@_SHARED
def outcomes(root: str, head: str, document: str, delegation: str | None) -> list[dict]:
    from ..service.app_queries import outcomes as f

    return f(reader(root, head), document, delegation)


@_SHARED
def review(root: str, head: str, document: str, round_id: str) -> dict:
    from ..service.app_queries import review as f

    return f(reader(root, head), document, round_id)


@_SHARED
def compose_preview(
    root: str,
    head: str,
    document: str,
    from_version: str,
    to_version: str,
    round_id: str | None,
    on_conflict: str,
    by: str,
) -> dict:
    """The dry-run compose report (nothing written), with ``preview_diff``: base -> preview."""
    from ..service.app_queries import preview_diff, preview_numbers
    from ..service.versions import compose
    from ..text.composition import ComposeConflicts

    ws = reader(root, head)
    try:
        report = compose(
            ws, document, from_version, to_version, round=round_id, on_conflict=on_conflict, by=by, dry_run=True
        )
    except ComposeConflicts as err:  # on_conflict="fail": the report says what stopped it
        report = dict(err.report)
        report["failed"] = str(err)
        return report
    report["preview_diff"] = preview_diff(ws, document, report)
    report["preview_numbers"] = preview_numbers(ws, document, report)
    return report


@_SHARED
def diff(root: str, head: str, document: str, v1: str, v2: str) -> dict:
    """``{"diff", "labels" (delegation names per op), "numbers"}`` for Compare."""
    from ..service.versions import delegation_names, diff_number_labels
    from ..service.versions import diff as f

    ws = reader(root, head)
    result = f(ws, document, v1, v2)
    labels = delegation_names(ws, result.pop("labels", {}) or {})
    nums = diff_number_labels(ws, document, v1, v2)
    return {"diff": result, "labels": labels, "numbers": nums}


@_SHARED
def compilation(root: str, head: str, document: str, round_id: str | None) -> list[dict]:
    from ..service.app_queries import compilation_rows

    return compilation_rows(reader(root, head), document, round_id)


@_SHARED
def history(root: str, head: str, document: str | None) -> list[dict]:
    from ..service.setup import history as f

    return f(reader(root, head), document)


@st.cache_resource(max_entries=8, show_spinner=False)
def news_records(root: str, head: str):
    """The records news are computed from (read-only, shared by every session)."""
    from ..service.news import records

    return records(reader(root, head))


@st.cache_resource(max_entries=1024, show_spinner=False)
def news(root: str, head: str, code: str, last: dict | None, hour: str, document: str | None):
    """What is new for ``code`` since ``last`` (its snapshot), as of ``hour``: immutable."""
    from .notices import compute

    return compute(news_records(root, head), code, last, hour, document)


@st.cache_resource(max_entries=1024, show_spinner=False)
def news_items(root: str, head: str, code: str, last: dict | None, hour: str, document: str | None):
    """The same news told as sentences, each with its address."""
    from ..service.news import tell

    return tuple(tell(reader(root, head), news(root, head, code, last, hour, document)))


@st.cache_data(max_entries=32, show_spinner=False)
def export_file(root: str, head: str, kind: str, document: str, args: tuple, fmt: str) -> bytes:
    """A document from ``service.exports`` (``kind``: version, tracked, compilation) as bytes."""
    import tempfile

    from ..service import exports  # lands with the Word features; the caller handles ImportError

    ws = reader(root, head)
    with tempfile.TemporaryDirectory(prefix="drafting-app-") as tmp:
        out = Path(tmp) / f"{document}.{fmt}"
        if kind == "version":
            (name,) = args
            result = exports.export_version(ws, document, name, fmt, out)
        elif kind == "tracked":
            name, since = args
            result = exports.export_tracked(ws, document, name, since, fmt, out)
        elif kind == "compilation":
            round_id, anonymous = args
            result = exports.compilation(ws, document, round_id, fmt, out, anonymous=anonymous)
        else:
            raise ValueError(kind)
        path = Path(result) if isinstance(result, (str, Path)) else out
        return path.read_bytes()


# ------------------------------------------------------------------ languages and calendar


@st.cache_data(max_entries=256, show_spinner=False)
def language_state(root: str, head: str, document: str, version: str, language: str) -> dict[str, Any]:
    """Each paragraph of a version in one language: ``{"paragraphs": {id: {...}}, "counts": {...}}``."""
    from ..service.translations import state
    from ..text.diff import diff_words

    st_ = state(reader(root, head), document, version, language)
    paragraphs = {}
    for p in st_.paragraphs:
        paragraphs[p.id] = {
            "state": p.state,
            "translation": p.translation,
            "words": p.words,
            "previous_source": p.previous_source,
            "changes": [list(x) for x in diff_words(p.previous_source, p.source)] if p.previous_source else None,
        }
    return {"paragraphs": paragraphs, "counts": st_.to_json()}


@st.cache_data(max_entries=256, show_spinner=False)
def translation_status(root: str, head: str, document: str) -> list[dict]:
    from ..service.translations import status

    return status(reader(root, head), document)


@st.cache_data(max_entries=256, show_spinner=False)
def calendar(root: str, head: str, day: str) -> dict[str, Any]:
    """The calendar (``day``, today's date, is part of the key: what is past changes daily)."""
    from ..service.calendar import calendar_json

    return calendar_json(reader(root, head))


@st.cache_data(max_entries=256, show_spinner=False)
def forecast(root: str, head: str, day: str) -> dict[str, Any]:
    from ..service.forecast import build

    return build(reader(root, head)).to_json()


@st.cache_data(max_entries=32, show_spinner=False)
def language_file(root: str, head: str, kind: str, args: tuple, fmt: str, day: str) -> bytes:
    """A file of the Languages & documents page: a translation ``package`` (document,
    version, language), a ``translated`` or ``bilingual`` version, the ``calendar`` (ICS)
    or the ``forecast``."""
    import tempfile

    from ..service import calendar as C
    from ..service import forecast as F
    from ..service import translations as T

    ws = reader(root, head)
    if kind == "package":
        document, version, language = args
        return T.package_bytes(T.build_package(ws, document, version, language), fmt)
    if kind == "calendar":
        return C.ics_bytes(ws)
    with tempfile.TemporaryDirectory(prefix="drafting-app-") as tmp:
        out = Path(tmp) / f"file.{fmt}"
        if kind in ("translated", "bilingual"):
            document, version, language = args
            T.export_language(ws, document, version, language, fmt, out, bilingual=kind == "bilingual")
        elif kind == "forecast":
            F.write(ws, fmt, out)
        else:
            raise ValueError(kind)
        return out.read_bytes()


@st.cache_data(max_entries=256, show_spinner=False)
def statuses(root: str, head: str, document: str, version: str) -> dict:
    """Every paragraph's status in ``version`` and the per-section board (service.conference)."""
    from ..service.conference import list_statuses

    return list_statuses(reader(root, head), document, version)


@st.cache_data(max_entries=256, show_spinner=False)
def status_timeline(root: str, head: str, document: str) -> list[dict]:
    from ..service.conference import status_timeline as f

    return f(reader(root, head), document)


@st.cache_data(max_entries=256, show_spinner=False)
def heading(root: str, head: str, document: str, version: str) -> dict:
    """The version's heading block as circulated documents print it (symbol with /Rev.N,
    the date, "Adopted on ...")."""
    from dataclasses import asdict

    from ..service.exports import doc_meta

    ws = reader(root, head)
    return asdict(doc_meta(ws, document, ws.version(document, version)))
