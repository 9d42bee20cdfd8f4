"""``andon verify-journal FILE``: check a station journal's hash chain."""

from __future__ import annotations

import argparse
import sys

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

NAME = "verify-journal"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_("check a station journal: seq continuity, hash chain, append-only triggers")

EXIT_INTACT = 0
EXIT_TAMPERED = 1
EXIT_NOT_A_JOURNAL = 2

INTACT = N_("{file}: intact, {rows} events (seq 1..{top})")
BAD_ROWS = N_("{file}: first bad row {first}; bad rows: {rows}")
FILE_PROBLEMS = N_("{file}: rows intact, but the file has problems")
ROW = N_("row {seq}: {problem}")
JOURNAL = N_("journal: {problem}")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument("file", metavar="FILE", help=_("the journal (SQLite file)"))


def run(args: argparse.Namespace) -> int:
    """0: intact; 1: problems found (the first bad row named first); 2: no journal."""
    from andon.journal.store import JournalError
    from andon.journal.verify import TEMPLATES, count, verify

    try:
        problems = verify(args.file)
    except JournalError as exc:
        print(speech.failed(exc, TEMPLATES), file=sys.stderr)
        return EXIT_NOT_A_JOURNAL
    if not problems:
        rows, top = count(args.file)
        print(say(INTACT, file=args.file, rows=rows, top=top))
        return EXIT_INTACT
    rows = sorted({p.seq for p in problems if p.seq is not None})
    if rows:
        print(say(BAD_ROWS, file=args.file, first=rows[0], rows=", ".join(map(str, rows))))
    else:
        print(say(FILE_PROBLEMS, file=args.file))
    tr = speech.terminal()
    for problem in problems:
        message = speech.shown(problem.message, TEMPLATES, tr)
        if problem.seq is None:
            print("  " + say(JOURNAL, tr, problem=message))
        else:
            print("  " + say(ROW, tr, seq=problem.seq, problem=message))
    return EXIT_TAMPERED
