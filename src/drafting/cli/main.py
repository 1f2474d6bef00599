"""``drafting``: the command line (see CONTRACT.md, "Command line").

The commands are the rows of ``commands.COMMANDS``. Every user error is one line on
stderr and exit code 2, with the workspace unchanged.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from ..model.errors import DraftingError
from . import spec
from .commands import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="drafting",
        description="The workbench on which a treaty conference negotiates its texts.",
    )
    p.add_argument(
        "--workspace",
        "-w",
        metavar="DIR",
        help="the workspace (default: $DRAFTING_WORKSPACE, else the workspace holding the current folder)",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def error(message: str) -> NoReturn:  # argparse's errors: one line, exit 2
        sys.stderr.write(f"drafting: {message} (see drafting --help)\n")
        sys.exit(2)

    p.error = error  # type: ignore[method-assign]
    for c in COMMANDS:
        sp = sub.add_parser(c.name, help=c.help, description=c.help)
        sp.set_defaults(json=False, run=c.run)
        if c.json:
            sp.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        c.parser(sp)
        sp.error = error  # type: ignore[method-assign]
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    spec.OPENED.clear()
    try:
        code = int(args.run(args))
        for line in spec.warnings():
            sys.stderr.write(f"drafting: {line}\n")
        return code
    except DraftingError as e:
        sys.stderr.write(f"drafting: {e.line}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("drafting: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # the machine refused (disk full, read-only, permissions): not a bug
        where = f"{e.filename}: " if e.filename else ""
        sys.stderr.write(f"drafting: {where}{e.strerror or type(e).__name__}; nothing was changed\n")
        return 2
    except Exception as e:  # a bug: still one line, but say how to see more
        if os.environ.get("DRAFTING_DEBUG"):
            raise
        sys.stderr.write(
            f"drafting: internal error: {type(e).__name__}: {' '.join(str(e).split())[:300]} "
            "(set DRAFTING_DEBUG=1 for the traceback, and please report it)\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
