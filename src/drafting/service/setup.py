"""Creating workspaces (empty or the bundled example) and importing versions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ..model.errors import Conflict, DraftingError, NotFound
from ..model.languages import name as language_name
from ..model.records import Version
from ..model.validate import is_slug, parse_config, parse_version, version_to_data
from ..model.vocabulary import count_inputs
from ..store import yamlio
from ..store.git import GitStore
from ..store.workspace import CONFIG, REFERENCES, Workspace, draft_name, version_path
from . import clock
from .identity import identity

TEMPLATE = """\
# A drafting workspace: see CONTRACT.md for the layout and file formats.
conference: Name of the conference
presidency: PRES
documents:
  action-plan: {title: Action Plan}
delegations:
  - {code: PRES, name: The Presidency, role: presidency}
rounds: []
"""


def example_source() -> Path:
    """The bundled example: the project's own top-level drafting.yaml, drafts/, ..."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / CONFIG).is_file() and (parent / "drafts").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    raise DraftingError(
        "the bundled example ships with drafting's source tree; install drafting from a "
        "checkout (pip install -e .) to use --example"
    )


def _ensure_empty(root: Path) -> None:
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise Conflict(f"{root}: already exists and is not empty; choose a new folder")


def init(root: Path, *, example: bool = False, progress=None) -> dict:
    root = Path(root)
    _ensure_empty(root)
    created = not root.exists()
    try:
        if example:
            return _init_example(root, progress)
        store = GitStore.init(root)
        cfg = parse_config(yamlio.loads(TEMPLATE, CONFIG), CONFIG)
        with store.transaction():
            sha = store.commit(
                {CONFIG: TEMPLATE.encode()},
                "Create the drafting workspace",
                identity(cfg.presidency_delegation),
                date=clock.stamp(),
                trailers={"Action": "init"},
            )
        return {"workspace": str(root), "commits": 1, "head": sha}
    except BaseException:
        if created:
            shutil.rmtree(root, ignore_errors=True)
        raise


def _init_example(root: Path, progress) -> dict:
    src = example_source()
    cfg_text = (src / CONFIG).read_bytes()
    cfg = parse_config(yamlio.loads(cfg_text, CONFIG), CONFIG)
    pres = identity(cfg.presidency_delegation)
    store = GitStore.init(root)
    commits = 0
    drafts = {str(p.relative_to(src)): p.read_bytes() for p in sorted((src / "drafts").rglob("*.yaml"))}
    # translations (drafts/<document>/<version>.<language>.yaml) are recorded by the secretariat
    translated: dict[str, dict[str, bytes]] = {}
    for rel in list(drafts):
        version, lang = draft_name(Path(rel).stem, cfg.languages)
        if lang is not None:
            translated.setdefault(lang, {})[rel] = drafts.pop(rel)
            if Path(rel).with_name(f"{version}.yaml").as_posix() not in drafts:
                raise DraftingError(f"{rel}: translates {version}, which the bundled example lacks")
    first: dict[str, bytes] = {}
    later: list[tuple[str, str, bytes]] = []
    for rel, data in drafts.items():
        v = parse_version(yamlio.loads(data, rel), rel, limits=cfg.limits)
        if v.based_on is None:
            first[rel] = data
        else:
            later.append((v.date or "", rel, data))
    for files in translated.values():
        for rel in files:
            source = Path(rel).with_name(f"{draft_name(Path(rel).stem, cfg.languages)[0]}.yaml").as_posix()
            if source not in first:
                raise DraftingError(f"{rel}: the bundled example replays translations of first versions only")
    dates = sorted({(parse_version(yamlio.loads(d, r), r).date or "") for r, d in first.items()})
    start = _at(dates[0] if dates and dates[0] else "2026-06-30", "10:00:00")
    contribs = []
    for p in sorted((src / "contributions").rglob("*.yaml")):
        rel = str(p.relative_to(src))
        data = yamlio.loads(p.read_bytes(), rel)
        contribs.append((str(data.get("submitted") or ""), rel, p.read_bytes(), data))
    contribs.sort(key=lambda t: (t[0], t[1]))
    decisions = {str(p.relative_to(src)): p.read_bytes() for p in sorted((src / "decisions").rglob("*.yaml"))}
    translator = next((d for d in cfg.delegations if d.role == "secretariat"), cfg.presidency_delegation)
    # the translations of the first versions arrive nine days after they are circulated
    day = dt.date.fromisoformat((dates[0] if dates and dates[0] else "2026-06-30")[:10]) + dt.timedelta(days=9)
    pending = [(f"{day.isoformat()}T10:00:00Z", lang, files) for lang, files in sorted(translated.items())]
    # the earlier outcome documents whose language is agreed (references/)
    references = {f"{REFERENCES}/{p.name}": p.read_bytes() for p in sorted((src / REFERENCES).glob("*.yaml"))}
    total = 1 + bool(references) + len(contribs) + len(decisions) + len(later) + len(pending)
    step = 0

    def tick(what: str) -> None:
        nonlocal step
        step += 1
        if progress:
            progress(step, total, what)

    with store.transaction():
        store.commit(
            {CONFIG: cfg_text, **first},
            "Circulate the zero drafts\n\nThe Presidency circulates the zero drafts and opens the input rounds.",
            pres,
            date=start,
            trailers={"Action": "version", "Version": "zero-draft"},
        )
        commits += 1
        tick("zero drafts")
        if references:
            store.commit(
                references,
                "Add the reference documents\n\nThe earlier outcome documents whose language is agreed.",
                pres,
                date=_at(dates[0] if dates and dates[0] else "2026-06-30", "10:05:00"),
                trailers={"Action": "reference"},
            )
            commits += 1
            tick("reference documents")

        def translate(upto: str | None) -> None:
            nonlocal commits
            while pending and (upto is None or pending[0][0] <= upto):
                stamp, lang, files = pending.pop(0)
                store.commit(
                    files,
                    f"Record the {language_name(lang)} translations of the zero drafts",
                    identity(translator),
                    date=stamp,
                    trailers={"Action": "translate", "Language": lang},
                )
                commits += 1
                tick(f"{language_name(lang)} translations")

        for stamp, rel, raw, data in contribs:
            translate(stamp or None)
            code = data.get("delegation")
            d = cfg.delegation(code)
            if d is None:
                raise DraftingError(f"{rel}: unknown delegation {code!r} in the bundled example")
            ops = [str(p.get("op")) if isinstance(p, dict) else "" for p in data.get("proposals") or []]
            store.commit(
                {rel: raw},
                f"Submit {code} inputs on {data.get('document')} ({data.get('round')}): {count_inputs(ops)}",
                identity(d),
                date=stamp or None,
                trailers={
                    "Action": "submit",
                    "Document": str(data.get("document")),
                    "Round": str(data.get("round")),
                    "Delegation": code,
                },
            )
            commits += 1
            tick(f"inputs of {code}")
        translate(None)
        for rel, raw in decisions.items():
            _, document, name = Path(rel).parts
            rnd = cfg.round(Path(name).stem)
            when = _after_deadline(rnd.deadline if rnd else None)
            store.commit(
                {rel: raw},
                f"Record the Presidency's decisions on {Path(name).stem}",
                pres,
                date=when,
                trailers={"Action": "decide", "Document": document, "Round": Path(name).stem},
            )
            commits += 1
            tick(f"decisions on {Path(name).stem}")
        for date, rel, raw in sorted(later):
            store.commit(
                {rel: raw},
                f"Circulate {Path(rel).stem} of {Path(rel).parent.name}",
                pres,
                date=_at(date or "2026-07-30", "12:00:00"),
                trailers={"Action": "version", "Document": Path(rel).parent.name, "Version": Path(rel).stem},
            )
            commits += 1
            tick(Path(rel).stem)
    # check that what was replayed is a valid workspace
    ws = Workspace(root)
    for r in ws.config.rounds:
        ws.contributions(r.document, r.id)
        ws.decisions(r.document, r.id)
    for files in translated.values():
        for rel in files:
            document, stem = Path(rel).parent.name, Path(rel).stem
            version, lang = draft_name(stem, ws.config.languages)
            ws.translation(document, version, str(lang))
    ws.references()
    commits += _keep_example_open(ws)
    _copy_sample_inputs(src / SAMPLE_INPUTS, root, store)
    return {"workspace": str(root), "commits": commits, "head": store.head()}


#: how long the example's rounds stay open from the day it is made (so that its round can
#: be tried, in the app and from the command line, whatever the date)
EXAMPLE_OPEN_DAYS = 14


def _keep_example_open(ws: Workspace) -> int:
    """The bundled example tells a round of July 2026; made later, its rounds have closed.
    The Presidency then extends them (a recorded general extension, one commit each) to
    two weeks from the day the example is made, so that delegations can still submit."""
    from ..model import rounds as R
    from .rounds import composed_from, extend_round

    now = clock.now()
    tz = ws.config.timezone
    until = (clock.today(tz) + dt.timedelta(days=EXAMPLE_OPEN_DAYS)).isoformat()
    n = 0
    for r in ws.config.rounds:
        composed = r.id in composed_from(ws, r.document)
        if R.state(r, now, tz, composed) == "closed" and not r.closed:
            extend_round(ws, r.id, until)
            n += 1
    return n


#: files a delegation might send in (YAML, a Word file edited with Track Changes), copied into
#: the example workspace for trying a round; kept out of git there (they are not the record)
SAMPLE_INPUTS = "inputs"
SAMPLE_SUFFIXES = (".yaml", ".docx", ".md")


def _copy_sample_inputs(src: Path, root: Path, store: GitStore) -> None:
    if not src.is_dir():
        return
    dest = root / SAMPLE_INPUTS
    dest.mkdir()
    for f in sorted(src.iterdir()):
        if f.is_file() and f.suffix in SAMPLE_SUFFIXES:
            shutil.copyfile(f, dest / f.name)
    exclude = store.git_dir / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    with exclude.open("a", encoding="utf-8") as fh:
        fh.write(f"\n# sample inputs for trying a round (drafting init --example)\n/{SAMPLE_INPUTS}/\n")


def _at(date: str, time: str) -> str:
    return date if "T" in date else f"{date}T{time}Z"


def _after_deadline(deadline: str | None) -> str:
    if not deadline:
        return "2026-07-20T09:00:00Z"
    d = dt.date.fromisoformat(deadline[:10]) + dt.timedelta(days=5)
    return f"{d.isoformat()}T09:00:00Z"


# ---------------------------------------------------------------------------- import


def import_version(
    ws: Workspace, document: str, version: str, path: Path, *, label: str | None = None, by: str | None = None
) -> dict:
    from ..formats.reader import read_paragraphs
    from ..model import roles

    ws.require_document(document)
    if not is_slug(version):
        raise DraftingError(f"{version!r} is not a valid version name (letters, digits, '-')")
    ws.require_version_name(version)
    if ws.has_version(document, version):
        raise Conflict(f"{version_path(document, version)} already exists; choose another version name")
    actor = roles.acting(ws.config, by)
    roles.check_may_compose(actor)
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    paragraphs = read_paragraphs(path, limits=ws.config.limits)
    if not paragraphs:
        raise DraftingError(f"{path}: no paragraphs found")
    v = Version(
        document,
        version,
        tuple(paragraphs),
        label=label or version,
        date=clock.today(ws.config.timezone).isoformat(),
        based_on=None,
        round=None,
    )
    rel = version_path(document, version)
    body = yamlio.dumps(version_to_data(v))
    parse_version(yamlio.loads(body, rel), rel, limits=ws.config.limits)  # what we write reads back
    with ws.git.transaction():
        if (ws.root / rel).exists():  # written meanwhile: versions are never overwritten
            raise Conflict(f"{rel} appeared meanwhile; choose another version name")
        sha = ws.git.commit(
            {rel: body.encode()},
            f"Import {version} of {document} from {path.name}",
            identity(actor),
            date=clock.stamp(),
            trailers={"Action": "version", "Document": document, "Version": version},
        )
    return {"document": document, "version": version, "paragraphs": len(v.paragraphs), "commit": sha, "path": rel}


# ------------------------------------------------------------------------------- log


def history(ws: Workspace, document: str | None = None, limit: int | None = None) -> list[dict]:
    """The history, newest first: one entry per commit, each with ``sentence``, the step
    told in words ("Mexico submitted 12 proposals on the zero draft, 8 July")."""
    from ..model.history import sentence

    if document:
        ws.require_document(document)
    paths = (
        [
            CONFIG,
            f"drafts/{document}",
            f"contributions/{document}",
            f"decisions/{document}",
            f"status/{document}.yaml",
            f"silence/{document}",
            "rounds",
        ]
        if document
        else None
    )
    out = []
    for e in ws.git.log(paths, max_count=limit):
        kind = e.action or ("version" if any(f.startswith("drafts/") for f in e.files) else "other")
        if document and kind.startswith("round-") and e.trailers.get("document") not in (None, document):
            continue  # another document's round
        opened: list[tuple[str, str, str]] = []
        if kind == "other" and CONFIG in e.files:
            opened = _rounds_opened(ws, e.commit)
            if document:
                opened = [r for r in opened if r[1] == document]
                if not opened and set(e.files) == {CONFIG}:
                    continue  # a configuration change that is not about this document
            if opened:
                kind = "round-open"
        out.append(
            {
                "commit": e.commit,
                "kind": kind,
                "author": e.author,
                "email": e.email,
                "date": e.date,
                "subject": e.subject,
                "document": e.trailers.get("document"),
                "round": e.trailers.get("round"),
                "delegation": e.trailers.get("delegation"),
                "proposal": e.trailers.get("proposal"),
                "version": e.trailers.get("version"),
                "status": e.trailers.get("status"),
                "paragraph": e.trailers.get("paragraph"),
                "outcome": e.trailers.get("outcome"),
                "renumbered": e.trailers.get("renumbered") == "yes",
                "files": list(e.files),
            }
        )
        if opened:
            out[-1].update(round=", ".join(r[0] for r in opened), document=opened[0][1], version=opened[0][2])
    names = history_names(ws)
    years = {str(x["date"])[:4] for x in out}
    for entry in out:
        entry["sentence"] = sentence(
            entry, names, year=len(years) > 1, titles=document is None and len(ws.config.documents) > 1
        )
    return out


def _rounds_opened(ws: Workspace, commit: str) -> list[tuple[str, str, str]]:
    """The rounds a commit adds to drafting.yaml: (id, document, base)."""

    def rounds(rev: str) -> dict[str, tuple[str, str]]:
        raw = ws.git.show(rev, CONFIG)
        try:
            data = yamlio.loads(raw, CONFIG) if raw else None
        except DraftingError:
            return {}
        items = data.get("rounds") if isinstance(data, dict) else None
        return {
            str(r.get("id")): (str(r.get("document")), str(r.get("base")))
            for r in items or []
            if isinstance(r, dict) and r.get("id")
        }

    before, after = rounds(f"{commit}^"), rounds(commit)
    return [(rid, doc, base) for rid, (doc, base) in after.items() if rid not in before]


def history_names(ws: Workspace):
    """How the history names delegations, versions, rounds and paragraphs."""
    from ..model.history import Names
    from ..model.vocabulary import default_label
    from .versions import numbers

    cfg = ws.config
    versions = {}
    for doc in cfg.documents:
        for name in ws.version_names(doc):
            try:
                v = ws.version(doc, name)
            except DraftingError:
                continue
            versions[(doc, name)] = v.label or default_label(name)
    latest = {doc: ws.version_names(doc)[-1] for doc in cfg.documents if ws.version_names(doc)}
    nums: dict[tuple[str, str], dict[str, str]] = {}

    def paragraph(doc: str, pid: str, version: str | None) -> str:
        v = version if version and (doc, version) in versions else latest.get(doc)
        key = (doc, v or "")
        if key not in nums:
            try:
                nums[key] = numbers(ws, doc, v) if v else {}
            except DraftingError:
                nums[key] = {}
        n = nums[key].get(pid)
        if not n:
            return f"Paragraph {pid}"
        return n if not n[0].isdigit() else f"Paragraph {n}"

    return Names(
        delegations={d.code: d.name for d in cfg.delegations},
        versions=versions,
        rounds={r.id: (r.document, r.base) for r in cfg.rounds},
        titles={k: v.title for k, v in cfg.documents.items()},
        paragraph=paragraph,
        presidency=cfg.presidency,
    )
