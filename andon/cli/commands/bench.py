"""``andon bench [--quick] [--json]``: measure latency, throughput, memory and start-up here."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "bench"
HELP = "benchmark this machine: press → lamp/bus/board latency, board ingest, memory, start-up"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick", action="store_true", help="fewer samples: finishes in under a minute"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON instead of a table"
    )


def run(args: argparse.Namespace) -> int:
    import logging

    from andon.bench.suite import run_suite
    from andon.bench.table import render

    # The stations and boards measured here log their own warnings (a broker
    # going away at the end, say); the report is what matters.
    logging.getLogger().setLevel(logging.ERROR)

    def progress(text: str) -> None:
        print(f"measuring: {text}", file=sys.stderr, flush=True)

    try:
        report = run_suite(quick=args.quick, progress=progress)
    except (RuntimeError, TimeoutError, OSError) as exc:
        print(f"error: the benchmark could not finish: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render(report))
    return 0
