"""The table of ``drafting`` commands, in the order ``drafting --help`` lists them.

A command is one row: its name, its one-line help, the function adding its arguments
and the function running it. Adding a command means adding its module and one row here.
"""

from __future__ import annotations

from . import app, conference, digest, formats, inputs, languages, references, remote, rounds, setup, versions
from .spec import Command

COMMANDS: tuple[Command, ...] = (
    Command(
        "init",
        "create a workspace (with --example: the bundled example conference)",
        setup.init_parser,
        setup.init,
        json=True,
    ),
    Command(
        "import",
        "a new version from a .docx, .odt, .md or .html file (through pandoc)",
        setup.import_parser,
        setup.import_,
        json=True,
    ),
    Command(
        "submit",
        "submit a delegation's inputs (YAML, or a .docx of the circulated draft)",
        inputs.submit_parser,
        inputs.submit,
        json=True,
    ),
    Command(
        "round",
        "the input rounds: open one on a version, extend its deadline (for one delegation), close it, list them",
        rounds.round_parser,
        rounds.round,
    ),
    Command("proposals", "list proposals with their status", inputs.proposals_parser, inputs.proposals, json=True),
    Command(
        "decide",
        "record the Presidency's decision on proposals (one, several, or those a filter selects: one commit)",
        inputs.decide_parser,
        inputs.decide,
        json=True,
    ),
    Command(
        "withdraw",
        "a delegation withdraws one of its undecided proposals",
        inputs.withdraw_parser,
        inputs.withdraw,
        json=True,
    ),
    Command(
        "cosponsor",
        "a delegation named as co-sponsor confirms a proposal (--withdraw: withdraws its support)",
        inputs.cosponsor_parser,
        inputs.cosponsor,
        json=True,
    ),
    Command(
        "compose",
        "build the next version from the round's decided proposals",
        versions.compose_parser,
        versions.compose,
        json=True,
    ),
    Command("diff", "word-level track changes between two versions", versions.diff_parser, versions.diff, json=True),
    Command("blame", "who put each word of a version there", versions.blame_parser, versions.blame, json=True),
    Command(
        "export",
        "the version as a document (with --changes-since: as Word tracked changes)",
        formats.export_parser,
        formats.export,
    ),
    Command(
        "compilation",
        "the compilation of proposals: paragraph, text, proposals, delegations, status",
        formats.compilation_parser,
        formats.compilation,
    ),
    Command(
        "translate",
        "language versions: export a translation package, import it back, see what is translated",
        languages.translate_parser,
        languages.translate,
    ),
    Command(
        "calendar",
        "everything dated (meetings, deadlines), in order; --ics for Outlook and other calendars",
        languages.calendar_parser,
        languages.calendar,
        json=True,
    ),
    Command(
        "forecast",
        "the documentation forecast: words, pages, translation deadlines and costs per meeting and document",
        languages.forecast_parser,
        languages.forecast,
        json=True,
    ),
    Command(
        "reference",
        "the reference documents (earlier outcome documents): add one, list them",
        references.reference_parser,
        references.reference,
    ),
    Command(
        "precedents",
        "agreed language: which stretches of a version repeat a reference document, and what is new",
        references.precedents_parser,
        references.precedents,
        json=True,
    ),
    Command(
        "renumber",
        "issue a version renumbered 1 .. N (a new version whose only change is its numbering)",
        conference.renumber_parser,
        conference.renumber,
        json=True,
    ),
    Command(
        "status",
        "list the paragraphs' status (open, bracketed, agreed ad referendum, agreed), or record one",
        conference.status_parser,
        conference.status,
        json=True,
    ),
    Command(
        "silence",
        "the silence procedure: start, break, close, status (and carry the breaks' proposed text)",
        conference.silence_parser,
        conference.silence,
    ),
    Command(
        "log",
        "the history, in words: rounds, inputs, versions, statuses, silence",
        setup.log_parser,
        setup.log,
        json=True,
    ),
    Command(
        "check",
        "validate the whole workspace and, for a range of commits (e.g. origin/main..HEAD), "
        "that each commit touches only what its author may",
        remote.check_parser,
        remote.check,
        json=True,
    ),
    Command(
        "sync",
        "exchange commits with a git remote: fetch, rebase local commits onto it, push",
        remote.sync_parser,
        remote.sync,
        json=True,
    ),
    Command(
        "digest",
        "e-mail each delegation what is new for it (a preview; --send sends through the server's SMTP relay)",
        digest.digest_parser,
        digest.digest,
        json=True,
    ),
    Command(
        "app", "start the Streamlit app on the workspace (extra arguments go to streamlit run)", app.app_parser, app.app
    ),
)
