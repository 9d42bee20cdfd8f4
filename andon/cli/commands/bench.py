"""``andon bench [--quick] [--json] [--peers DIR | --sites | --web]``: measure latency, throughput,
memory and start-up here; with ``--peers``, the board against Node-RED (+ dashboard) in one
run; with ``--sites``, the multi-site load test."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from andon.bench.figures import Report

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

MEASURING = N_("measuring: {what}")
MEASURING_PEERS = N_("measuring: the peer harness (several minutes)")
COULD_NOT_FINISH = N_("error: the benchmark could not finish: {error}")
PEERS_COULD_NOT_FINISH = N_("error: the peer harness could not finish: {error}")
WHOLE_NUMBER = N_("expected a whole number of at least 1, got {got}")

NAME = "bench"
HELP = N_("benchmark this machine: press → lamp/bus/board latency, board ingest, memory, start-up")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--quick", action="store_true", help=_("fewer samples: finishes in under a minute")
    )
    parser.add_argument(
        "--json", action="store_true", help=_("print the report as JSON instead of a table")
    )
    parser.add_argument(
        "--peers",
        type=Path,
        metavar="DIR",
        help=_(
            "instead: run the Node-RED peer harness in DIR (bare paho, feed + model, "
            "Node-RED, the board app, Node-RED + dashboard) and print its ratios"
        ),
    )
    parser.add_argument(
        "--nr-dir", type=Path, default=Path("/tmp/peer/nr"), help=_("where Node-RED is installed")
    )
    parser.add_argument(
        "--peer-out", type=Path, default=Path("/tmp/peer/out"), help=_("the harness's results")
    )
    parser.add_argument("--rounds", type=int, default=3, help=_("rounds of the peer harness"))
    parser.add_argument(
        "--sites",
        action="store_true",
        help=_(
            "instead: the multi-site load test (1 000 stations over 10 site brokers bridged "
            "to an enterprise broker, the WAN cut twice; about two minutes)"
        ),
    )
    parser.add_argument(
        "--web",
        action="store_true",
        help=_(
            "instead: 200 SSE viewers on one web server while 100 lines drain, against "
            "textual-serve in Chromium tabs (about a minute)"
        ),
    )
    parser.add_argument(
        "--history",
        action="store_true",
        help=_(
            "instead: reports over 30 days × 100 stations of history (about 4 M events, "
            "generated once into a cache) on SQLite and PostgreSQL"
        ),
    )
    parser.add_argument(
        "--days",
        type=_positive,
        metavar="N",
        help=_("with --history: N days of history instead of 30 (2 with --quick)"),
    )
    parser.add_argument(
        "--lines",
        type=_positive,
        metavar="N",
        help=_("with --history: N lines of 10 stations instead of 10"),
    )
    parser.add_argument(
        "--tls-bridge",
        action="store_true",
        help=_("with --sites: TLS on the site-to-enterprise bridges too"),
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(say(WHOLE_NUMBER, got=repr(text)))
    return value


def run(args: argparse.Namespace) -> int:
    if args.peers is not None:
        return _run_peers(args)
    import logging

    from andon.bench.suite import run_suite
    from andon.bench.table import render
    from andon.bench.words import shown

    # The stations and boards measured here log their own warnings (a broker
    # going away at the end, say); the report is what matters.
    logging.getLogger().setLevel(logging.ERROR)

    tr = speech.terminal()

    def progress(text: str) -> None:
        print(say(MEASURING, tr, what=shown(text, tr)), file=sys.stderr, flush=True)

    try:
        if args.sites:
            report = _sites_report(args.quick, args.tls_bridge, progress)
        elif args.history:
            from andon.bench.history_report import run_history

            report = run_history(args.quick, progress, days=args.days, lines=args.lines)
        elif args.web:
            from andon.bench.web_report import run_web

            report = run_web(args.quick, progress)
        else:
            report = run_suite(quick=args.quick, progress=progress)
    except (RuntimeError, TimeoutError, OSError) as exc:
        print(say(COULD_NOT_FINISH, tr, error=shown(str(exc), tr)), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render(report, tr))
    return 0


def _run_peers(args: argparse.Namespace) -> int:
    import subprocess

    from andon.bench.peers import render, run_harness

    tr = speech.terminal()
    print(say(MEASURING_PEERS, tr), file=sys.stderr, flush=True)
    try:
        results = run_harness(args.peers, args.nr_dir, args.peer_out, args.rounds)
    except (OSError, subprocess.SubprocessError) as exc:
        print(say(PEERS_COULD_NOT_FINISH, tr, error=exc), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print(render(results))
    return 0


def _sites_report(quick: bool, tls_bridge: bool, progress: Callable[[str], None]) -> Report:
    import time

    from andon.bench.figures import Report
    from andon.bench.machine import describe
    from andon.bench.sites import plan_for, run_sites

    began = time.monotonic()
    report = Report(machine=describe(), quick=quick)
    report.figures = run_sites(plan_for(quick, tls_bridge), progress)
    report.seconds = time.monotonic() - began
    return report
