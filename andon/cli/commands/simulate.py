"""``andon simulate CONFIG SCENARIO``: a scripted shift on simulated stations, and its report."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

CANNOT_RUN = N_("{file}: cannot run the simulation: {error}")
CANNOT_WRITE_HISTORY = N_("cannot write the history: {error}")
CANNOT_WRITE = N_("{file}: cannot write the report: {error}")

NAME = "simulate"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_(
    "run a scripted scenario on simulated stations at full speed and print the shift report "
    "(plan, pace, hours, calls, downtime, OEE)"
)

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CANNOT_RUN = 2


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "config", type=Path, metavar="CONFIG", help=_("directory of the station files (and plant)")
    )
    parser.add_argument(
        "scenario", type=Path, metavar="SCENARIO", help=_("scenario TOML file (docs/simulate.md)")
    )
    parser.add_argument(
        "--report",
        choices=("text", "json"),
        default="text",
        help=_("report format (default: text)"),
    )
    parser.add_argument(
        "--journal-dir",
        type=Path,
        metavar="DIR",
        help=_("keep the stations' journals here (default: a temporary directory, removed)"),
    )
    parser.add_argument(
        "--historian",
        metavar="URL",
        help=_(
            "also write the stations' events into this history database "
            "(sqlite:///FILE or postgresql://…), as andon historian would"
        ),
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=_("write the report to FILE")
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        help=_("the text report's language (zh_CN, zh_TW, de, en); default: the plant's"),
    )


def _why(error: Exception) -> str:
    """Why the simulation cannot run, in the terminal's language: what the hardware layer
    said (:func:`andon.cli.speech.hardware`) or the runner's own (:mod:`andon.simulate.runner`)."""
    from andon.simulate.runner import TEMPLATES

    return speech.with_hardware(error, TEMPLATES)


def run(args: argparse.Namespace) -> int:
    from andon.config.errors import ConfigError
    from andon.i18n.catalog import UnknownLanguage, normalise_language
    from andon.simulate.load import load_scenario
    from andon.simulate.render import render_text
    from andon.simulate.report import build_report
    from andon.simulate.runner import SimulationError, run_scenario
    from hal.errors import HalError

    station_log = logging.getLogger("andon.station")
    if not station_log.isEnabledFor(logging.DEBUG):
        # Refused inputs are listed in the report; the station's own log would repeat them.
        station_log.setLevel(logging.WARNING)
    try:
        scenario = load_scenario(args.scenario, args.config)
    except ConfigError as exc:
        for issue in exc.errors:
            print(speech.issue(issue), file=sys.stderr)
        return EXIT_INVALID
    try:
        result = run_scenario(scenario, args.journal_dir)
    except (SimulationError, HalError, OSError) as exc:
        print(say(CANNOT_RUN, file=args.scenario, error=_why(exc)), file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.historian:
        from andon.historian.errors import TEMPLATES as HISTORY_TEMPLATES
        from andon.historian.simulation import store_simulation
        from andon.historian.store import HistoryError

        try:
            store_simulation(result, args.historian)
        except HistoryError as exc:
            error = speech.shown(str(exc), HISTORY_TEMPLATES)
            print(say(CANNOT_WRITE_HISTORY, error=error), file=sys.stderr)
            return EXIT_CANNOT_RUN
    report = build_report(result)
    if args.report == "json":
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    else:
        try:
            plant = next(iter(scenario.stations.values())).config.plant_config
            language = normalise_language(args.language or plant.site.language)
        except UnknownLanguage as error:
            print(speech.failed(speech.language(error)), file=sys.stderr)
            return EXIT_INVALID
        text = render_text(report, language, plant)
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(say(CANNOT_WRITE, file=args.output, error=exc), file=sys.stderr)
            return EXIT_CANNOT_RUN
    else:
        sys.stdout.write(text)
    return EXIT_OK
