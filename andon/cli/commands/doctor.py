"""``andon doctor --config F``: on the device, check pins, scanners, broker, clock and disk."""

from __future__ import annotations

import argparse
from pathlib import Path

from andon.cli import speech
from andon.doctor.check_names import CHECKS
from andon.i18n.markers import N_

NAME = "doctor"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_(
    "check this device for a configuration: pins, scanners, broker, local Mosquitto, clock, disk"
)

EXIT_OK = 0
EXIT_FAILED = 1


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--config",
        type=Path,
        required=True,
        metavar="FILE",
        help=_("the station, board, store or plant file this device runs with"),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help=_("how long to wait for the broker (default {seconds})").format(seconds=5),
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=CHECKS[1:],
        help=_("leave a check out; repeatable"),
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("/var/lib/andon"),
        metavar="DIR",
        help=_("data directory of a store board (default {folder})").format(
            folder="/var/lib/andon"
        ),
    )


def run(args: argparse.Namespace) -> int:
    from andon.cli.speech import terminal
    from andon.doctor.result import render
    from andon.doctor.runner import DoctorOptions, run_checks

    tr = terminal()
    options = DoctorOptions(
        timeout_s=args.timeout,
        skip=frozenset(args.skip),
        data_dir=args.data_dir,
        language=tr.language,
    )
    results = run_checks(args.config, options)
    print(render(results, tr), flush=True)
    return EXIT_FAILED if any(r.failed for r in results) else EXIT_OK
