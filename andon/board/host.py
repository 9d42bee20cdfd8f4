"""What a board screen needs from the app that hosts it.

The screens are written against this protocol, not against :class:`~andon.board.app.BoardApp`,
so the app imports its screens and no screen imports the app (no import circle).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from andon.board.catalogue import BoardCatalogue
from andon.board.model import PendingCommand
from andon.board.sites import SitesModel
from andon.board.views import BoardView, LineView, StationView
from andon.i18n import Translator


class BoardHost(Protocol):
    """The board app as its screens see it: the catalogue, the view, selection, commands."""

    catalogue: BoardCatalogue
    view: BoardView | None
    line_id: str
    station_path: str | None
    tr: Translator
    """The board's language."""
    sites: SitesModel | None
    """Every site at the enterprise broker, on an enterprise board."""

    @property
    def rotating(self) -> bool:
        """True when the board cycles through its lines."""
        ...

    def step_line(self, step: int) -> None:
        """Select the next (or previous) line."""
        ...

    def step_station(self, step: int) -> None:
        """Select the next (or previous) station."""
        ...

    def current_station(self, view: BoardView) -> tuple[StationView | None, LineView | None]:
        """The station the station screen shows, with its line."""
        ...

    def switch_mode(self, mode: str) -> Any:
        """Show the screen of ``mode``."""
        ...

    def send_command(self, station: str, name: str, args: Mapping[str, Any]) -> PendingCommand:
        """Record a command as pending and publish it."""
        ...
