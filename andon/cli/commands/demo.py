"""``andon demo``: simulated stations, an embedded broker and the board, in one command."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

NAME = "demo"
HELP = "run the demo: embedded broker, simulated stations with simulated operators, and the board"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--broker", metavar="HOST:PORT", help="use this broker instead of starting one"
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=10.0,
        help="time acceleration: plant time runs this many times faster (default 10)",
    )
    parser.add_argument(
        "--data", type=Path, help="keep the station journals here (default: a temporary folder)"
    )
    parser.add_argument(
        "--headless", action="store_true", help="no board: run the stations and operators only"
    )
    parser.add_argument("--seconds", type=float, help="stop after this many seconds")
    parser.add_argument(
        "--board", type=Path, help="board file to show (default: the demo's supervisor board)"
    )


def run(args: argparse.Namespace) -> int:
    from andon.demo.run import DEMO_DIR, start_demo

    if args.speed <= 0:
        print("--speed: expected a number greater than 0", file=sys.stderr)
        return 2
    demo = start_demo(broker=args.broker, speed=args.speed, data_dir=args.data)
    print(
        f"andon demo: {len(demo.stations)} simulated stations on broker {demo.broker_address}, "
        f"plant time x{args.speed:g}",
        flush=True,
    )
    try:
        if args.headless:
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            stop.wait(args.seconds)
            return 0
        from andon.board.run import build_app
        from andon.bus.settings import parse_host_port
        from andon.config.loader import load_board

        board = load_board(args.board or DEMO_DIR / "board.toml")
        # The board reads plant time: staleness is measured in it too.
        board = board.model_copy(update={"stale_after_s": board.stale_after_s * args.speed})
        host, port = parse_host_port(demo.broker_address)
        from andon.board.run import broker_settings

        settings = broker_settings(board)
        from dataclasses import replace

        app = build_app(
            board,
            replace(settings, host=host, port=port),
            clock=demo.clock.now,
            command_timeout_s=15 * args.speed,
        )
        if args.seconds:
            threading.Timer(args.seconds, lambda: app.call_from_thread(app.exit)).start()
        app.run()
        return 0
    finally:
        demo.stop()
