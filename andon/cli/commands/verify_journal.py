"""``andon verify-journal FILE``: check a station journal's hash chain."""

from __future__ import annotations

import argparse
import sys

NAME = "verify-journal"
HELP = "check a station journal: seq continuity, hash chain, append-only triggers"

EXIT_INTACT = 0
EXIT_TAMPERED = 1
EXIT_NOT_A_JOURNAL = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the journal (SQLite file)")


def run(args: argparse.Namespace) -> int:
    """0: intact; 1: problems found (the first bad row named first); 2: no journal."""
    from andon.journal.store import JournalError
    from andon.journal.verify import count, verify

    try:
        problems = verify(args.file)
    except JournalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOT_A_JOURNAL
    if not problems:
        rows, top = count(args.file)
        print(f"{args.file}: intact, {rows} events (seq 1..{top})")
        return EXIT_INTACT
    rows = sorted({p.seq for p in problems if p.seq is not None})
    if rows:
        print(f"{args.file}: first bad row {rows[0]}; bad rows: {', '.join(map(str, rows))}")
    else:
        print(f"{args.file}: rows intact, but the file has problems")
    for problem in problems:
        print(f"  {problem}")
    return EXIT_TAMPERED
