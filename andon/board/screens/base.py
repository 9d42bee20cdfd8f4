"""What every board screen shares: header, status bar, footer, and the view flowing down."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header

from andon.board.host import BoardHost
from andon.board.views import BoardView
from andon.board.widgets.key_bar import KeyBar
from andon.board.widgets.status_bar import StatusBar


class BoardScreen(Screen[None]):
    """A screen that redraws from the app's :class:`BoardView` while it is shown."""

    @property
    def board(self) -> BoardHost:
        """The app hosting this screen, as the screens use it."""
        return cast(BoardHost, self.app)

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield StatusBar(self.board.catalogue.zone, self.board.tr, id="status-bar")
        yield from self.compose_body()
        yield KeyBar(self.board.tr)

    def compose_body(self) -> Iterable[Widget]:
        """The screen's own widgets."""
        return ()

    def on_mount(self) -> None:
        self.watch(self.board, "view", self._view_changed, init=False)
        self.watch(self.board, "line_id", self._selection_changed, init=False)
        self.watch(self.board, "station_path", self._selection_changed, init=False)
        self.redraw()

    def on_screen_resume(self) -> None:
        self.redraw()

    def _view_changed(self, view: BoardView | None) -> None:
        if self.is_current:
            self.redraw()

    def _selection_changed(self, _: object) -> None:
        if self.is_current:
            self.redraw()

    def redraw(self) -> None:
        """Hand the current view down to the widgets."""
        view = self.board.view
        if view is None:
            return
        self.query_one(StatusBar).show(view)
        self.show(view)

    def show(self, view: BoardView) -> None:
        """Set the widgets' attributes from ``view``."""
