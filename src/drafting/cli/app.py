"""CLI command: ``drafting app`` starts the Streamlit app on the workspace.

It runs ``python -m streamlit run <app.py>`` with ``DRAFTING_WORKSPACE`` set to the
workspace; everything after ``app`` (or after ``--``) goes to Streamlit unchanged, and
Streamlit's own configuration (``STREAMLIT_SERVER_PORT``, ``STREAMLIT_SERVER_HEADLESS``,
``.streamlit/config.toml`` ...) is left alone. The app is the project's ``app.py`` when
drafting runs from a checkout, else the copy inside the package. Streamlit starts in the
folder holding the project's ``.streamlit/`` (theme), unless the current folder has a
``.streamlit/`` of its own.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..model.errors import DraftingError
from .spec import workspace

PACKAGE = Path(__file__).resolve().parents[1]  # src/drafting


def app_script() -> Path:
    """The Streamlit script: ``app.py`` at the root of a checkout, else the package's own."""
    checkout = PACKAGE.parents[1] / "app.py"  # <repo>/src/drafting -> <repo>/app.py
    if checkout.is_file() and (PACKAGE.parents[1] / "pyproject.toml").is_file():
        return checkout
    return PACKAGE / "app" / "streamlit_app.py"


def streamlit_command(
    workspace: Path, extra: list[str], *, cwd: Path | None = None, environ: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str], Path]:
    """``(argv, env, cwd)`` to start the app on ``workspace``, with ``extra`` for Streamlit."""
    env = dict(os.environ if environ is None else environ)
    env["DRAFTING_WORKSPACE"] = str(Path(workspace).resolve())
    script = app_script()
    here = Path(cwd or os.getcwd())
    run_in = here if (here / ".streamlit").is_dir() else script.parent
    if not (run_in / ".streamlit").is_dir():
        run_in = here
    # the app imports drafting: make sure the child finds the same package as this process
    src = str(PACKAGE.parent)
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    args = list(extra)
    if args and args[0] == "--":
        args = args[1:]
    return [sys.executable, "-m", "streamlit", "run", str(script), *args], env, run_in


_HELP: list[str] = []


def app_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "streamlit_args",
        nargs=argparse.REMAINDER,
        metavar="STREAMLIT_ARGS",
        help="passed to 'streamlit run' unchanged, e.g. --server.port 8600",
    )
    # everything after 'app' is Streamlit's: no option of ours may swallow (or reject) it
    p.prefix_chars = "\0"
    _HELP[:] = [p.format_help()]


def app(args: argparse.Namespace) -> int:
    extra = list(args.streamlit_args or [])
    if extra[:1] in (["-h"], ["--help"]):
        sys.stdout.write(_HELP[0] if _HELP else "drafting app [STREAMLIT_ARGS ...]\n")
        return 0
    ws = workspace(args)  # a clear one-line error when the folder is not a workspace
    try:
        import streamlit  # noqa: F401
    except ImportError:
        raise DraftingError("the app needs Streamlit: pip install streamlit") from None
    argv, env, cwd = streamlit_command(ws.root, extra)
    try:
        import subprocess

        return subprocess.call(argv, env=env, cwd=cwd)
    except KeyboardInterrupt:
        return 130
