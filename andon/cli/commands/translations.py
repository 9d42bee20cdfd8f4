"""``andon translations``: keep the message catalogs in step with the code (docs/i18n.md)."""

from __future__ import annotations

import argparse
import sys

from andon.cli import speech
from andon.i18n.markers import N_

NAME = "translations"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_("update, compile and check the message catalogs (adding a language: docs/i18n.md)")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "action",
        choices=["update", "compile", "check"],
        help=_("update: new texts into every catalog; compile: .po → .mo; check: report gaps"),
    )
    parser.add_argument(
        "--language",
        action="append",
        metavar="CODE",
        help=_("only this language (repeatable); a new code starts a new catalog with 'update'"),
    )


def run(args: argparse.Namespace) -> int:
    from andon.i18n import catalog, maintain

    languages = args.language or [
        code for code in catalog.shipped_languages() if code != catalog.DEFAULT_LANGUAGE
    ]
    template = maintain.extract()
    if args.action == "update":
        maintain.write_template(template)
        for language in languages:
            updated = maintain.update(language, template)
            todo = sum(1 for message in updated if message.id and not message.string)
            print(f"{maintain.po_path(language)}: {todo} texts to translate")
        return 0
    if args.action == "compile":
        for language in languages:
            print(f"compiled {maintain.compile_catalog(language)}")
        return 0
    found = [problem for language in languages for problem in maintain.problems(language, template)]
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"refused: {len(found)} problems in the catalogs", file=sys.stderr)
        return 1
    print(f"catalogs complete: {', '.join(languages)}")
    return 0
