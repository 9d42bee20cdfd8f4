"""Widgets that repaint only when what they show changed, and relayout only when its size did.

The app hands a new view down every second and on every change, but a call
raised on one line changes one card: the other widgets must not repaint, and
the screen must not be laid out again while no widget changed its height.
Textual's ``Static.update`` and reactives declared with ``layout=True`` do
both on every assignment; these widgets compare first.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import Label, Static

Content = Text | str


def text_rows(content: Content, width: int) -> int | None:
    """Rows ``content`` takes at ``width`` cells; ``None`` when a line may wrap."""
    plain = content.plain if isinstance(content, Text) else content
    lines = plain.split("\n")
    if width <= 0 or any(len(line) > width for line in lines):
        return None
    return len(lines)


class SteadyStatic(Static):
    """A ``Static`` whose :meth:`show` does nothing when the content is the same."""

    def __init__(self, content: Content = "", **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self._shown: Content = content

    def show(self, content: Content) -> None:
        """Show ``content``: repaint only when it changed, lay out only when its rows did."""
        if content == self._shown:
            return
        width = self.content_size.width
        before = text_rows(self._shown, width)
        self._shown = content
        self.update(content, layout=before is None or before != text_rows(content, width))


class SteadyLabel(Label, SteadyStatic):
    """A ``Label`` (its own width and styles) with :meth:`SteadyStatic.show`."""


class SteadyContent:
    """What a custom widget draws, with a key that says whether it changed.

    A widget keeps one and calls :meth:`offer` with freshly built content: it
    answers whether to repaint and whether the height may have changed.
    """

    def __init__(self) -> None:
        self.renderable: RenderableType | None = None
        self.key: Hashable | object = None
        self.rows: int | None = None
        self.width = -1

    def offer(
        self, renderable: RenderableType, key: Hashable | object, rows: int | None, width: int
    ) -> tuple[bool, bool]:
        """Take new content; ``(repaint, layout)``."""
        self.width = width
        if self.renderable is not None and key == self.key:
            self.renderable = renderable
            return False, False
        layout = self.rows is None or rows is None or rows != self.rows
        self.renderable, self.key, self.rows = renderable, key, rows
        return True, layout
