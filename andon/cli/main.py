"""Entry point: discovers the subcommands in ``andon.cli.commands``."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from andon import __version__
from andon.cli import commands, parsing, speech
from andon.cli.parser import Parser
from andon.i18n.markers import N_

DESCRIPTION = N_("Shop-floor andon and production-progress terminal.")
VERSION_HELP = N_("show andon's version and exit")
LOG_LEVEL_HELP = N_("services log INFO by default; one-shot commands only WARNING and above")


def _command_modules() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found.append(module)
    return sorted(found, key=lambda m: m.NAME)


def build_parser() -> argparse.ArgumentParser:
    _ = speech.terminal().gettext
    parser = Parser(prog="andon", description=_(DESCRIPTION))
    parser.add_argument(
        "--version", action="version", version=f"andon {__version__}", help=_(VERSION_HELP)
    )
    parser.add_argument(
        "--log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help=_(LOG_LEVEL_HELP),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        words = _(module.HELP)  # a command whose HELP is not in the catalogs reads English
        child = sub.add_parser(module.NAME, help=words, description=words)
        module.configure(child)
        child.set_defaults(
            _run=module.run, _log_level=getattr(module, "LOG_LEVEL", SERVICE_LOG_LEVEL)
        )
    return parser


SERVICE_LOG_LEVEL = "INFO"
"""A service's log says what it connected to and did; a one-shot command sets
``LOG_LEVEL = "WARNING"`` so its answer is not buried in that."""


def main(argv: Sequence[str] | None = None) -> int:
    parsing.speak()  # argparse's usage and errors in the terminal's language
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level or args._log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
