"""Every line at a glance: figures, pace, trend, open calls with live timers, stations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget

from andon.board.screens.base import BoardScreen
from andon.board.views import BoardView, LineView
from andon.board.widgets.line_card import LineCard
from andon.i18n import N_

BIG_CARD_ROWS = 14
"""Rows a card needs to show its figures in the large digit font."""
BIG_CARD_WIDTH = 90
BIG_FIGURE_ROWS = 5
"""Rows the large digits, their labels and the blank row under them add to a card."""


def call_budget(lines: list[LineView | None], summaries: list[int], rows: int) -> list[int]:
    """How many call rows each card gets so that the cards fill ``rows`` and no more.

    ``summaries`` are the rows each card takes without its calls. Every card shows
    at least one call row; the rows left go to the cards with more open calls,
    first line first. A card shows "… N more" in its last row when its calls do
    not fit.
    """
    free = rows - sum(summary + 1 for summary in summaries)
    budget = []
    for line in lines:
        wanted = max(1, len(line.open_calls) if line else 1)
        extra = max(0, min(wanted - 1, free))
        free -= extra
        budget.append(1 + extra)
    return budget


class OverviewScreen(BoardScreen):
    """One card per line; while the board rotates, only the current line's card, large."""

    BINDINGS: ClassVar[list[BindingType]] = [("enter", "open_line", N_("Line details"))]

    def compose_body(self) -> Iterable[Widget]:
        catalogue = self.board.catalogue
        with VerticalScroll(id="cards", can_focus=False):
            for line in catalogue.lines:
                yield LineCard(line.id, line.name, catalogue, catalogue.zone, self.board.tr)

    def show(self, view: BoardView) -> None:
        rotating = self.board.rotating
        cards = list(self.query(LineCard))
        shown = [c for c in cards if not rotating or c.line_id == self.board.line_id]
        available = self.size.height - 3  # header, status bar, footer
        big = available / max(1, len(shown)) >= BIG_CARD_ROWS and self.size.width >= BIG_CARD_WIDTH
        lines = [view.line(c.line_id) for c in shown]
        width = self.size.width - 4  # a card's border and padding
        summaries = [
            card.summary_rows(line, width) + (BIG_FIGURE_ROWS if big else 0)
            for card, line in zip(shown, lines, strict=True)
        ]
        call_rows = call_budget(lines, summaries, available)
        for card in cards:
            visible = card in shown
            if card.display != visible:
                card.display = visible
            if visible:
                card.show(view.line(card.line_id), big=big, max_calls=call_rows[shown.index(card)])

    def action_open_line(self) -> None:
        focused = self.focused
        if isinstance(focused, LineCard):
            self.board.line_id = focused.line_id
        self.board.switch_mode("line")
