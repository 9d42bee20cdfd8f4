"""The Textual progress board: screens per view, a clock, rotation, commands to stations.

Data flows down: the feed fills the :class:`~andon.board.model.BoardModel`;
the app turns the model into a :class:`~andon.board.views.BoardView` once a
second (live timers) and when the feed signals a change (at once after a quiet
spell, at most a few times a second in a burst: :mod:`andon.board.throttle`),
and sets it as its reactive ``view``; each screen hands the parts it shows to
its widgets, which repaint only when what they show changed.
Commands flow up: a screen calls :meth:`BoardApp.send_command`, which records
the command as pending in the model and publishes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var

from andon.board.catalogue import BoardCatalogue
from andon.board.feed import BoardFeed
from andon.board.formatting import clock_s
from andon.board.heap import HeapFreezer
from andon.board.model import BoardModel, PendingCommand
from andon.board.pending import NO_BROKER
from andon.board.screens.calls import CallsScreen
from andon.board.screens.diagnostics import DiagnosticsScreen
from andon.board.screens.enterprise import EnterpriseScreen
from andon.board.screens.history import HistoryScreen
from andon.board.screens.line import LineScreen
from andon.board.screens.overview import OverviewScreen
from andon.board.screens.station import StationScreen
from andon.board.screens.store import StoreScreen
from andon.board.sites import SitesModel
from andon.board.sites_feed import SitesFeed
from andon.board.throttle import RefreshThrottle
from andon.board.views import BoardView, LineView, StationView
from andon.i18n import N_, Translator, translator
from andon.i18n.vocabulary import SCREEN_WORDS

Clock = Callable[[], datetime]

START_MODES: Mapping[str, str] = {
    "supervisor": "overview",
    "maintenance": "calls",
    "store": "store",
    "station": "station",
}
"""The screen a board of each role opens on."""


def utc_now() -> datetime:
    """The board's wall clock."""
    return datetime.now(UTC)


class CommandSender(Protocol):
    """Something that publishes a command recorded in the model (the feed, or a test)."""

    def publish_command(self, command: PendingCommand) -> None: ...


class BoardApp(App[None]):
    """``andon board``: overview, line, calls, store, station and diagnostics screens."""

    CSS_PATH = "styles/board.tcss"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide"), (160, "-wider")]  # noqa: RUF012 (Textual's own)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012
    MODES: ClassVar[dict[str, Any]] = {
        "overview": OverviewScreen,
        "line": LineScreen,
        "calls": CallsScreen,
        "store": StoreScreen,
        "station": StationScreen,
        "diagnostics": DiagnosticsScreen,
        "history": HistoryScreen,
        "enterprise": EnterpriseScreen,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "switch_mode('overview')", N_("Overview")),
        Binding("l", "switch_mode('line')", N_("Line")),
        Binding("c", "switch_mode('calls')", SCREEN_WORDS["calls"]),
        Binding("s", "switch_mode('store')", N_("Store")),
        Binding("t", "switch_mode('station')", N_("Station")),
        Binding("d", "switch_mode('diagnostics')", N_("Diagnostics")),
        Binding("h", "switch_mode('history')", N_("History")),
        Binding("p", "switch_mode('enterprise')", N_("Sites")),  # only with an enterprise feed
        *(Binding(str(n), f"open_line({n - 1})", str(n), show=False) for n in range(1, 10)),
        Binding("q", "quit", N_("Quit")),
    ]

    # ``var``, not ``reactive``: a reactive of the app repaints the whole screen when it
    # is set. The screens watch these and hand the changes to the widgets concerned.
    view: var[BoardView | None] = var(None, always_update=True)
    line_id: var[str] = var("")
    station_path: var[str | None] = var(None)
    sub_title: var[str] = var("")
    """The clock in the header (set every second; only the header repaints)."""

    class FeedChanged(Message):
        """The feed ingested something (posted from the network thread, coalesced)."""

    def __init__(
        self,
        catalogue: BoardCatalogue,
        *,
        model: BoardModel | None = None,
        feed: BoardFeed | None = None,
        sender: CommandSender | None = None,
        clock: Clock = utc_now,
        operator: str | None = None,
        kiosk: bool | None = None,
        start_mode: str | None = None,
        throttle: RefreshThrottle | None = None,
        sites: SitesModel | None = None,
        sites_feed: SitesFeed | None = None,
    ) -> None:
        super().__init__()
        self.sites_feed = sites_feed
        self.sites = sites or (sites_feed.model if sites_feed else None)
        """Every site at the enterprise broker (the enterprise overview), or None."""
        self.catalogue = catalogue
        self.model = model or (feed.model if feed else BoardModel(catalogue))
        self.feed = feed
        self.sender = sender or feed
        self.clock = clock
        self.operator = operator or catalogue.operator or f"board {catalogue.board_id}"
        """Sent as ``by``: the ``operator`` given, else the board file's, else ``board <id>``."""
        self.kiosk = catalogue.kiosk if kiosk is None else kiosk
        self.start_mode = start_mode or START_MODES.get(catalogue.role, "overview")
        self.title = catalogue.title
        self.tr: Translator = translator(catalogue.language)
        """The board's language (``language`` of the board file, else the plant's)."""
        self.throttle = throttle or RefreshThrottle()
        self.heap = HeapFreezer()
        """Paces the redraws the feed asks for (at once, then a few a second in a burst)."""
        self.set_reactive(BoardApp.line_id, catalogue.lines[0].id if catalogue.lines else "")
        if catalogue.station and catalogue.lines:
            path = catalogue.station_path(catalogue.lines[0].id, catalogue.station)
            self.set_reactive(BoardApp.station_path, path)

    # --- life ------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.feed is not None:
            self.feed.on_change = self._feed_changed
            self.feed.start()
        if self.sites_feed is not None:
            self.sites_feed.on_change = self._feed_changed
            self.sites_feed.start()
        self.refresh_view()
        self.set_interval(1.0, self.tick)
        if self.rotating and self.catalogue.rotate_s:
            self.set_interval(self.catalogue.rotate_s, self.action_rotate)
        self.switch_mode(self.start_mode)

    def on_unmount(self) -> None:
        if self.feed is not None:
            self.feed.on_change = None
            self.feed.close()
        if self.sites_feed is not None:
            self.sites_feed.on_change = None
            self.sites_feed.close()

    def _feed_changed(self) -> None:
        self.post_message(self.FeedChanged())

    def on_board_app_feed_changed(self, _: FeedChanged) -> None:
        # Not acknowledged until the redraw (refresh_view): until then the feed posts
        # nothing more, however many messages it ingests.
        delay = self.throttle.change()
        if delay == 0.0:
            self.refresh_view()
        elif delay is not None:
            self.set_timer(delay, self._trailing_refresh, name="board-refresh")

    def _trailing_refresh(self) -> None:
        """The redraw that folds in the changes of a burst."""
        self.throttle.due()
        self.refresh_view()

    def tick(self) -> None:
        """Once a second: expire commands, repeat replay requests, redraw the timers."""
        if self.feed is not None:
            self.feed.tick()
        else:
            self.model.tick(self.clock())
        self.refresh_view()

    def refresh_view(self) -> None:
        """Rebuild the view from the model at the board's clock."""
        if self.feed is not None:
            self.feed.acknowledge_change()
        started = self.throttle.clock()
        now = self.clock()
        self.sub_title = clock_s(now, self.catalogue.zone)
        self.view = self.model.view(now)  # the screens update their widgets as it is set
        self.throttle.painted(self.throttle.clock() - started)  # paces the next redraw
        self.heap.grown(self.model.stations_seen)

    # --- kiosk -----------------------------------------------------------------------

    @property
    def rotating(self) -> bool:
        """True when the board cycles through its lines (``rotate_s`` with several lines)."""
        return bool(self.catalogue.rotate_s) and len(self.catalogue.lines) > 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_mode" and parameters == ("enterprise",):
            return self.sites is not None  # the key shows only on an enterprise board
        return not (self.kiosk and action in ("quit", "help_quit", "suspend_process"))

    def action_rotate(self) -> None:
        self.step_line(+1)

    # --- selection ---------------------------------------------------------------------

    def step_line(self, step: int) -> None:
        """Show the next (or previous) line on the line screen and the rotating overview."""
        ids = [line.id for line in self.catalogue.lines]
        if not ids:
            return
        index = ids.index(self.line_id) if self.line_id in ids else 0
        self.line_id = ids[(index + step) % len(ids)]

    def action_open_line(self, index: int) -> None:
        if 0 <= index < len(self.catalogue.lines):
            self.line_id = self.catalogue.lines[index].id
            self.switch_mode("line")

    def known_stations(self, view: BoardView) -> list[StationView]:
        return [s for line in view.lines for s in line.stations]

    def current_station(self, view: BoardView) -> tuple[StationView | None, LineView | None]:
        """The station the station screen shows (the configured one, or the first heard)."""
        stations = self.known_stations(view)
        chosen = next((s for s in stations if s.path == self.station_path), None)
        if chosen is None and self.station_path is None and stations:
            chosen = stations[0]
        if chosen is None:
            return None, None
        return chosen, view.line(chosen.line_id)

    def step_station(self, step: int) -> None:
        view = self.view
        if view is None:
            return
        paths = [s.path for s in self.known_stations(view)]
        if not paths:
            return
        current, _ = self.current_station(view)
        index = paths.index(current.path) if current is not None else 0
        self.station_path = paths[(index + step) % len(paths)]

    # --- commands --------------------------------------------------------------------

    def send_command(self, station: str, name: str, args: Mapping[str, Any]) -> PendingCommand:
        """Record a command as pending and publish it; the view shows it until confirmed."""
        command = self.model.new_command(station, name, args, self.operator, self.clock())
        if self.sender is None:
            self.model.command_failed(command.command_id, NO_BROKER, self.clock())
        else:
            self.sender.publish_command(command)
        self.refresh_view()
        return command
