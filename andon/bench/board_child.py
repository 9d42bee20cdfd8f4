"""A production board in a process of its own, headless, for resource measurements.

``python -m andon.bench.board_child --broker HOST:PORT [--board FILE]`` runs
the board app exactly as ``andon board`` builds it, with Textual's headless
driver instead of a terminal. It answers ``stats`` on stdin with one JSON
line (events ingested, broker connected) and stops on ``quit`` or when stdin
closes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from andon.board.run import build_app
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_board
from andon.demo.run import DEMO_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m andon.bench.board_child")
    parser.add_argument("--broker", required=True, metavar="HOST:PORT")
    parser.add_argument("--board", type=Path, default=DEMO_DIR / "board.toml")
    args = parser.parse_args(argv)
    host, _, port = args.broker.rpartition(":")
    settings = BrokerSettings(host=host, port=int(port), client_id=f"bench-board-{os.getpid()}")
    app = build_app(load_board(args.board), settings)

    def answer() -> None:
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                view = app.model.view(datetime.now(UTC))
                connected = app.feed is not None and app.feed.bus.connected
                print(
                    json.dumps({"events": view.diagnostics.events, "connected": connected}),
                    flush=True,
                )
            elif command == "quit":
                break
        app.call_from_thread(app.exit)

    threading.Thread(target=answer, name="bench-stdin", daemon=True).start()
    app.run(headless=True, size=(160, 48))
    return 0


if __name__ == "__main__":
    sys.exit(main())
