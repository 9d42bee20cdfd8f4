"""Write an SVG of the live demo's board, as a user sees it after a while (for the README).

    python -m tests.demo.screenshot /tmp/demo-overview.svg --size 120x26 --speed 30 \
        --after 90 --browser
    chromium --headless --no-sandbox --hide-scrollbars --window-size=1482,685 \
        --screenshot=docs/images/demo-overview.png /tmp/demo-overview.svg

(``--browser`` keeps Textual's no-break spaces, which browsers need.)

It starts the whole demo (broker on a free port, stations, store, people), runs
the supervisor board on it headless for ``--after`` real seconds, and exports
the screen.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import replace
from pathlib import Path

from andon.board.run import broker_settings, build_app
from andon.bus.settings import parse_host_port
from andon.config.loader import load_board
from andon.demo.run import DEMO_DIR, start_demo
from tests.board.screenshot import portable_svg


async def shoot(size: tuple[int, int], speed: float, after_s: float) -> str:
    with tempfile.TemporaryDirectory(prefix="andon-shot-") as data:
        demo = start_demo(speed=speed, data_dir=Path(data), port=0)
        try:
            board = load_board(DEMO_DIR / "board.toml")
            board = board.model_copy(update={"stale_after_s": board.stale_after_s * speed})
            host, port = parse_host_port(demo.broker_address)
            app = build_app(
                board,
                replace(broker_settings(board), host=host, port=port),
                clock=demo.clock.now,
                command_timeout_s=15 * speed,
            )
            app.title = f"{app.title} · log demo.log"  # as ``andon demo`` shows it
            async with app.run_test(size=size) as pilot:
                await asyncio.sleep(after_s)
                await pilot.pause()
                return app.export_screenshot(title=app.title)
        finally:
            demo.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", default="120x30")
    parser.add_argument("--speed", type=float, default=30.0)
    parser.add_argument("--after", type=float, default=60.0, help="real seconds to wait")
    parser.add_argument("--browser", action="store_true", help="an SVG for browsers")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    svg = asyncio.run(shoot((width, height), args.speed, args.after))
    args.output.write_text(svg if args.browser else portable_svg(svg), encoding="utf-8")
    print(args.output)


if __name__ == "__main__":
    main()
