"""What the board received that it could not use, how the stations feel, the historians."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label

from andon.board.formatting import LINK_STYLES, age, clock_s
from andon.board.health_rows import health_flags, scanner_rows
from andon.board.screens.base import BoardScreen
from andon.board.services import service_line
from andon.board.views import BoardView
from andon.board.widgets.keyed_table import KeyedTable, Row, translated
from andon.board.widgets.steady import SteadyStatic
from andon.i18n import N_
from andon.i18n.formats import listing

SERVICE_SINCE = N_("{service} (since {time})")
"""A historian's or notifier's state and the time of day it has been so."""
PROBLEM_COLUMNS = [(N_("Topic"), 44), (N_("Bad"), 5), (N_("Last error"), None)]
STATION_COLUMNS = [(N_("Station"), 34), (N_("Link"), 14), (N_("Seq"), 7), (N_("Health"), None)]
SCANNER_COLUMNS = [
    (N_("Station"), 24),
    (N_("Scanner"), 10),
    (N_("Link"), 9),
    (N_("Last scan"), 9),
    (N_("Scans"), 6),
    (N_("Bad lines"), 9),
    (N_("Errors"), 6),
    (N_("Last error"), None),
]
NARROW_SCANNER_COLUMNS = [
    (N_("Scanner"), 14),
    (N_("Link"), 9),
    (N_("Last scan"), 9),
    (N_("Bad lines"), 9),
    (N_("Errors"), 6),
    (N_("Last error"), None),
]
"""Below :data:`NARROW` columns: the station and its scanner in one cell, no count of scans."""
NARROW = 120


def narrow_scanner_row(row: Row) -> Row:
    """A row of :data:`SCANNER_COLUMNS` in :data:`NARROW_SCANNER_COLUMNS`."""
    key, cells = row
    station, scanner, link, last, _scans, bad, errors, error = cells
    return key, [f"{station} {scanner}", link, last, bad, errors, error]


class DiagnosticsScreen(BoardScreen):
    """Broker link, malformed payloads per topic, event stream counters, station health."""

    _narrow: bool | None = None
    """Whether the scanners table has its narrow columns (``None``: not chosen yet)."""

    def compose_body(self) -> ComposeResult:
        tr = self.board.tr
        _ = tr.gettext
        with VerticalScroll(id="diagnostics-body"):
            yield SteadyStatic("", id="diagnostics-summary")
            yield Label(_("Malformed messages by topic"), classes="panel-title")
            yield KeyedTable(translated(PROBLEM_COLUMNS, tr), id="problems")
            yield Label(_("Stations"), classes="panel-title")
            yield KeyedTable(translated(STATION_COLUMNS, tr), id="stations")
            yield Label(_("Scanners"), classes="panel-title")
            yield KeyedTable(translated(SCANNER_COLUMNS, tr), id="scanners")
            yield SteadyStatic("", id="scanners-empty")

    def show(self, view: BoardView) -> None:
        tr = self.board.tr
        _ = tr.gettext
        zone = self.board.catalogue.zone
        d = view.diagnostics
        broker = view.broker
        text = Text()
        states = {True: _("connected"), False: _("LOST"), None: _("not used")}
        text.append(_("Broker") + " ", "dim")
        text.append(f"{broker.endpoint or '–'} {states[broker.connected]}", "bold")
        if broker.since is not None:
            text.append(" " + _("since {time}").format(time=clock_s(broker.since, zone)))
        if broker.detail:
            text.append(f" ({broker.detail})", "dim")
        text.append("\n")
        for label, value in (
            (_("events"), d.events),
            (_("duplicates dropped"), d.duplicates),
            (_("replays asked"), d.replays_requested),
            (_("malformed"), d.malformed_total),
            (_("ignored"), d.ignored),
        ):
            text.append(f"{label} ", "dim")
            text.append(f"{value}   ", "bold")
        for service in view.services:
            style = "bold red" if service.alarm else "dim"
            since = clock_s(service.since, zone)
            line = tr.gettext(SERVICE_SINCE).format(service=service_line(service, tr), time=since)
            text.append(f"\n{line}", style)
        if d.open_gaps:
            gaps = listing(
                [
                    _("{station} from {seq}").format(station=p.rsplit("/", 1)[-1], seq=s)
                    for p, s in d.open_gaps.items()
                ],
                tr.language,
            )
            text.append("\n" + _("waiting for replays: {gaps}").format(gaps=gaps), "bold yellow")
        self.query_one("#diagnostics-summary", SteadyStatic).show(text)
        self.query_one("#problems", KeyedTable).set_rows(
            [(p.topic, [p.topic, str(p.count), Text(p.last_error, "red")]) for p in d.malformed]
        )
        rows = []
        scanners: list[Row] = []
        for line in view.lines:
            for station in line.stations:
                health = d.station_health.get(station.path, {})
                scanners += scanner_rows(f"{line.id}/{station.station_id}", health, view.now, tr)
                flags = health_flags(health, tr)
                seq = str(station.snapshot.seq) if station.snapshot else "–"
                rows.append(
                    (
                        station.path,
                        [
                            station.path,
                            f"{_(LINK_STYLES[station.link].word)} {age(station.age_s, tr)}",
                            seq,
                            listing(flags, tr.language) or _("ok"),
                        ],
                    )
                )
        self.query_one("#stations", KeyedTable).set_rows(rows)
        table = self.query_one("#scanners", KeyedTable)
        narrow = self.app.size.width < NARROW
        if narrow != self._narrow:  # the rows shown do not fit the other columns
            table.set_rows([])
            columns = NARROW_SCANNER_COLUMNS if narrow else SCANNER_COLUMNS
            table.set_columns(translated(columns, tr))
            self._narrow = narrow
        table.set_rows([narrow_scanner_row(row) for row in scanners] if narrow else scanners)
        table.display = bool(scanners)
        empty = "" if scanners else _("No station reported a scanner.")
        self.query_one("#scanners-empty", SteadyStatic).show(empty)

    def on_resize(self) -> None:
        self.redraw()
