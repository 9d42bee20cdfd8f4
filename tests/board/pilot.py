"""Helpers for driving the board app in tests: a settable clock, a command recorder,
the screen as text, and SVG snapshots compared with the stored ones."""

from __future__ import annotations

import asyncio
import difflib
import html
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget

from andon.board.app import BoardApp
from andon.board.model import PendingCommand

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE_ENV = "ANDON_UPDATE_SNAPSHOTS"


class SetClock:
    """The board's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class RecordingSender:
    """Stands in for the feed: keeps the commands the board publishes."""

    def __init__(self) -> None:
        self.sent: list[PendingCommand] = []

    def publish_command(self, command: PendingCommand) -> None:
        self.sent.append(command)


def run(
    app: BoardApp, test: Callable[[Pilot[None]], Awaitable[None]], size: tuple[int, int] = (80, 24)
) -> None:
    """Run ``test(pilot)`` against the app in a headless terminal of ``size``."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await test(pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[None]) -> None:
    """Let messages, layout and refreshes finish."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def redraw(pilot: Pilot[None]) -> None:
    """Rebuild the view now (as the once-a-second timer does) and settle."""
    app = pilot.app
    assert isinstance(app, BoardApp)
    app.refresh_view()
    await settle(pilot)


# One text element of Rich's SVG export: its left edge in pixels, its row (the line's clip
# path) and its escaped text (spaces written as &#160;).
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.e+]+)" y="[^"]*" textLength="[^"]*" '
    r'clip-path="url\(#[^"]*-line-(\d+)\)">([^<]*)</text>'
)
# Rich's SVG export: a cell is 20 px high times 0.61 wide.
_SVG_CELL_WIDTH = 20 * 0.61


def screen_text(app: BoardApp) -> str:
    """What the terminal shows, as plain text: every row its full width in cells.

    Read from the public ``App.export_screenshot()``: each text element of the SVG is put
    back at its cell (its ``x`` over the cell width) on its row (its line's clip path);
    cells without text are spaces."""
    width, height = app.size
    placed: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, row, escaped in _SVG_TEXT.findall(app.export_screenshot()):
        # the row's closing newline is a text element too; the rows come from the clip paths
        text = html.unescape(escaped.replace("&#160;", " ")).replace("\n", "")
        placed[int(row)].append((round(float(x) / _SVG_CELL_WIDTH), text))
    rows = []
    for pieces in placed:
        line, at = "", 0
        for cell, text in sorted(pieces):
            assert cell >= at or not text, f"text {text!r} at cell {cell} overlaps the one before"
            line += " " * (cell - at) + text
            at = cell + cell_len(text)
        rows.append(line + " " * (width - at))
    return "\n".join(rows)


def assert_text_snapshot(app: BoardApp, name: str) -> None:
    """The screen as text equals ``snapshots/text/<name>.txt`` (``ANDON_UPDATE_SNAPSHOTS=1``
    rewrites); every row fits the terminal's width in cells and none is cut mid-glyph."""
    width, height = app.size
    text = screen_text(app)
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    assert len(rows) == height, f"{len(rows)} rows on a {height}-row terminal"
    for row in rows:
        assert cell_len(row) <= width, f"row wider than {width} cells: {row!r}"
    stored = SNAPSHOTS / "text" / f"{name}.txt"
    if os.environ.get(UPDATE_ENV) == "1":
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(text, encoding="utf-8")
        return
    if not stored.exists():
        raise AssertionError(f"no stored snapshot {stored.name}; run with {UPDATE_ENV}=1")
    expected = stored.read_text(encoding="utf-8")
    if expected != text:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), text.splitlines(), "stored", "now", lineterm="", n=1
            )
        )
        raise AssertionError(
            f"screen differs from {stored.name} (rewrite the stored ones with "
            f"{UPDATE_ENV}=1 when the change is intended):\n{diff}"
        )


def assert_snapshot(app: BoardApp, name: str) -> None:
    """The screen as SVG equals ``snapshots/<name>.svg`` (``ANDON_UPDATE_SNAPSHOTS=1`` rewrites)."""
    svg = app.export_screenshot(title=f"andon board — {name}")
    stored = SNAPSHOTS / f"{name}.svg"
    if os.environ.get(UPDATE_ENV) == "1":
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        stored.write_text(svg, encoding="utf-8")
        return
    if not stored.exists():
        raise AssertionError(f"no stored snapshot {stored.name}; run with {UPDATE_ENV}=1")
    if stored.read_text(encoding="utf-8") != svg:
        failed = Path(tempfile.gettempdir()) / "andon-board-snapshots" / f"{name}.svg"
        failed.parent.mkdir(parents=True, exist_ok=True)
        failed.write_text(svg, encoding="utf-8")
        raise AssertionError(
            f"screen differs from {stored.name}; the new one is {failed} "
            f"(rewrite the stored ones with {UPDATE_ENV}=1 when the change is intended)"
        )


def scrolled(app: App[None]) -> list[str]:
    """The shown scrolling widgets of the screen whose content is taller or wider than
    they are (a widget inside a hidden one is not shown)."""
    return [
        f"{widget!r}: {widget.virtual_size} in {widget.scrollable_content_region.size}"
        for widget in app.screen.walk_children(Widget)
        if all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))
        and widget.is_scrollable
        and (widget.max_scroll_y > 0 or widget.max_scroll_x > 0)
    ]
