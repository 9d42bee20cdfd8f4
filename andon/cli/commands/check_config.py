"""``andon check-config FILE...``: validate configuration files without touching any pin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "check-config"
HELP = "validate configuration files (plant, station, board, store) and report every error"

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_MISSING = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="TOML files to check")


def run(args: argparse.Namespace) -> int:
    from andon.config.errors import ConfigError, ConfigFileNotFoundError, ConfigIssue
    from andon.config.loader import ConfigFile, advice, check_together, load_file
    from andon.config.messages import terminal_language
    from andon.config.plant import PlantFile

    language = terminal_language()

    plants: dict[Path, PlantFile] = {}
    good: list[tuple[Path, ConfigFile]] = []
    reported: set[ConfigIssue] = set()
    missing = invalid = False

    def report(issue: ConfigIssue, prefix: str = "") -> None:
        if issue not in reported:
            reported.add(issue)
            print(f"{prefix}{issue.shown(language)}", file=sys.stderr)

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
            report(note, prefix="warning: ")

    clashes = check_together(good)
    for issue in clashes:
        invalid = True
        report(issue)
    clashing = {issue.file for issue in clashes}
    for file, loaded in good:
        if file not in clashing:
            print(f"OK {file} ({loaded.kind}: {loaded.summary()})")
    if missing:
        return EXIT_MISSING
    return EXIT_INVALID if invalid else EXIT_OK
