"""``andon check-config FILE...``: validate configuration files without touching any pin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from andon.cli import speech
from andon.i18n.markers import N_

NAME = "check-config"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_("validate configuration files (plant, station, board, store) and report every error")

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_MISSING = 2


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help=_("TOML files to check")
    )


def run(args: argparse.Namespace) -> int:
    from andon.config import wording
    from andon.config.errors import ConfigError, ConfigFileNotFoundError, ConfigIssue
    from andon.config.loader import ConfigFile, advice, check_together, load_file
    from andon.config.messages import shown_issue, summary_in, terminal_language
    from andon.config.plant import PlantFile
    from andon.i18n import translator

    language = terminal_language()
    tr = translator(language)

    plants: dict[Path, PlantFile] = {}
    good: list[tuple[Path, ConfigFile]] = []
    reported: set[ConfigIssue] = set()
    missing = invalid = False

    def report(issue: ConfigIssue, warning: bool = False) -> None:
        if issue not in reported:
            reported.add(issue)
            text = shown_issue(issue, language)
            print(
                wording.said(wording.WARNING, tr, issue=text) if warning else text, file=sys.stderr
            )

    for file in args.files:
        try:
            loaded = load_file(file, plants=plants)
        except ConfigFileNotFoundError as error:
            missing = True
            for issue in error.errors:
                report(issue)
            continue
        except ConfigError as error:
            invalid = True
            for issue in error.errors:
                report(issue)
            continue
        good.append((file, loaded))
        for note in advice(file, loaded):
            report(note, warning=True)

    clashes = check_together(good)
    for issue in clashes:
        invalid = True
        report(issue)
    clashing = {issue.file for issue in clashes}
    for file, loaded in good:
        if file not in clashing:
            summary = summary_in(loaded, tr)
            print(wording.said(wording.OK, tr, file=file, kind=loaded.kind, summary=summary))
    if missing:
        return EXIT_MISSING
    return EXIT_INVALID if invalid else EXIT_OK
