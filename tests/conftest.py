"""Shared fixtures: real workspaces (real git repositories, real YAML files) in tmp dirs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

TINY_CONFIG = """\
# a tiny conference for tests
conference: Test Conference
presidency: LAO
documents:
  action-plan: {title: Test Action Plan}
  political-declaration: {title: Test Declaration}
delegations:
  - {code: LAO, name: Lao People's Democratic Republic, role: presidency}
  - {code: MEX, name: Mexico, role: state-party}
  - {code: FRA, name: France, role: state-party}
  - {code: AUT, name: Austria, role: state-party}
  - {code: IDN, name: Indonesia, role: signatory}
  - {code: ICRC, name: International Committee of the Red Cross, role: observer}
  - {code: ISU, name: Implementation Support Unit, role: secretariat}
# (far ahead: the tests run on the machine's clock, and deadlines are enforced)
rounds:
  - {id: r1, document: action-plan, base: zero-draft, deadline: 2030-07-15}
  - {id: pd-r1, document: political-declaration, base: zero-draft, deadline: 2030-07-15}
"""

TINY_DRAFT = """\
document: action-plan
version: zero-draft
label: Zero draft
date: 2026-06-30
based_on:
round:
paragraphs:
  - {id: h-clr, section: Survey and clearance, kind: heading, text: Survey and clearance}
  - id: clr-1
    section: Survey and clearance
    kind: action
    tags: [clearance]
    text: Each State Party shall complete the clearance of cluster munition remnants as soon as possible.
  - id: clr-2
    section: Survey and clearance
    kind: action
    text: States Parties will report annually on progress in land release.
  - {id: h-va, section: Victim assistance, kind: heading, text: Victim assistance}
  - id: va-1
    section: Victim assistance
    kind: action
    text: States Parties will ensure that survivors participate in decisions that affect them.
"""

TINY_PD = """\
document: political-declaration
version: zero-draft
label: Zero draft
date: 2026-06-30
based_on:
round:
paragraphs:
  - {id: pp-1, section: Preamble, kind: preambular, text: "We, the States Parties, gathered in Vientiane,"}
  - {id: op-1, section: Commitments, kind: operative, text: Reaffirm our commitment to the Convention.}
"""


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    """Run the real ``drafting`` command in a separate process."""
    e = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "drafting.cli", *args],
        cwd=cwd,
        env=e,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_state(root: Path) -> dict:
    """Everything that must not change when a command is refused: HEAD, status, files."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, capture_output=True, text=True
    ).stdout
    files = {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
    return {"head": head, "status": status, "files": files}


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A small workspace: one action plan zero draft, one round, no inputs yet."""
    from drafting.service.identity import identity
    from drafting.service.setup import init
    from drafting.store.workspace import Workspace

    root = tmp_path / "ws"
    init(root)
    (root / "drafting.yaml").write_text(TINY_CONFIG)
    ws = Workspace(root)
    with ws.git.transaction():
        ws.git.commit(
            {
                "drafting.yaml": TINY_CONFIG.encode(),
                "drafts/action-plan/zero-draft.yaml": TINY_DRAFT.encode(),
                "drafts/political-declaration/zero-draft.yaml": TINY_PD.encode(),
            },
            "Zero drafts",
            identity(ws.config.presidency_delegation),
        )
    return root


@pytest.fixture(scope="session")
def example_master(tmp_path_factory) -> Path:
    from drafting.service.setup import init

    root = tmp_path_factory.mktemp("example") / "ws"
    init(root, example=True)
    return root


@pytest.fixture
def example(example_master, tmp_path) -> Path:
    """A fresh copy of the bundled example workspace, with its git history."""
    dst = tmp_path / "example"
    shutil.copytree(example_master, dst, symlinks=True)
    return dst


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------ no silent skips in CI
#: CI (.ci/run) installs every tool the tests use; there a skipped test is a failure
STRICT = os.environ.get("DRAFTING_TEST_STRICT") == "1"


def _strict(report) -> None:
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped where nothing may skip (DRAFTING_TEST_STRICT=1): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _strict(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _strict(outcome.get_result())


@pytest.fixture(scope="module")
def rev1_master(example_master, tmp_path_factory) -> Path:
    """The bundled example with Rev.1 of both documents composed from the decisions (its
    French and Spanish translations of the zero drafts are then stale or missing in places)."""
    root = tmp_path_factory.mktemp("lang") / "ws"
    shutil.copytree(example_master, root, symlinks=True)
    from drafting.service.versions import compose
    from drafting.store.workspace import Workspace

    compose(Workspace(root), "action-plan", "zero-draft", "rev1", allow_open=True)
    compose(Workspace(root), "political-declaration", "zero-draft", "rev1", allow_open=True)
    return root


@pytest.fixture
def rev1(rev1_master, tmp_path) -> Path:
    dst = tmp_path / "rev1"
    shutil.copytree(rev1_master, dst, symlinks=True)
    return dst
