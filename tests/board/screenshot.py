"""Write an SVG of a board screen fed with the demo morning (for the README).

    python -m tests.board.screenshot /tmp/board-overview.svg --size 120x24 [--language zh_CN]
    rsvg-convert --zoom 2 /tmp/board-overview.svg -o docs/images/board-overview.png

The SVG keeps its spaces as plain spaces with ``xml:space="preserve"`` so that
converters such as ``rsvg-convert`` place every cell where the terminal does, and
gives a run of text holding double-width glyphs (Chinese) the length of its cells:
the exported SVG sizes each run by its characters, which squeezes such glyphs into
half their cells in a picture (the terminal itself shows them whole).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
from pathlib import Path

from rich.cells import cell_len

from andon.board.app import BoardApp
from tests.board.pilot import settle
from tests.board.scenario import BOARD_NOW, catalogue, fed_model

_RUN = re.compile(r'(<text [^>]*textLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')


def cell_lengths(svg: str) -> str:
    """Each run of text as long as the cells it takes (a Chinese glyph two), not its
    characters."""

    def fixed(found: re.Match[str]) -> str:
        text = html.unescape(found[4])
        if not text or cell_len(text) == len(text):
            return found[0]
        length = float(found[2]) / len(text) * cell_len(text)
        return f"{found[1]}{length:g}{found[3]}{found[4]}{found[5]}"

    return _RUN.sub(fixed, svg)


def portable_svg(svg: str) -> str:
    """Textual's SVG with spaces a converter keeps and runs as long as their cells."""
    svg = cell_lengths(svg)
    return svg.replace("&#160;", " ").replace("<svg ", '<svg xml:space="preserve" ', 1)


async def shoot(board: str, mode: str, size: tuple[int, int], language: str | None = None) -> str:
    cat = catalogue(board, language)
    model = fed_model(cat)
    model.broker_state(True, "", BOARD_NOW, "127.0.0.1:1883")
    app = BoardApp(cat, model=model, clock=lambda: BOARD_NOW, start_mode=mode)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        return app.export_screenshot(title=cat.title)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--board", default="board.toml")
    parser.add_argument("--screen", default="overview")
    parser.add_argument("--size", default="120x24")
    parser.add_argument("--language", default=None, help="default: the board file's")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    svg = asyncio.run(shoot(args.board, args.screen, (width, height), args.language))
    args.output.write_text(portable_svg(svg), encoding="utf-8")
    print(args.output)


if __name__ == "__main__":
    main()
