"""What the board received that it could not use, how the stations feel, the historians."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label

from andon.board.formatting import age, clock_s
from andon.board.screens.base import BoardScreen
from andon.board.services import service_line
from andon.board.views import BoardView
from andon.board.widgets.keyed_table import KeyedTable, Row
from andon.board.widgets.steady import SteadyStatic
from andon.i18n import translator

PROBLEM_COLUMNS = [("Topic", 44), ("Bad", 5), ("Last error", None)]
STATION_COLUMNS = [("Station", 34), ("Link", 14), ("Seq", 7), ("Health", None)]
SCANNER_COLUMNS = [
    ("Station", 24),
    ("Scanner", 10),
    ("Link", 9),
    ("Last scan", 9),
    ("Scans", 6),
    ("Bad lines", 9),
    ("Errors", 6),
    ("Last error", None),
]


def _count(value: object) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "–"


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


def scanner_rows(path: str, health: Mapping[str, Any], now: datetime) -> list[Row]:
    """One row per scanner in a station's ``health``: link, last scan age, bad lines, errors.

    A malformed entry shows ``–`` where its value is unusable; it never stops the board.
    """
    scanners = health.get("scanners")
    if not isinstance(scanners, Mapping):
        return []
    rows: list[Row] = []
    for name in sorted(str(n) for n in scanners):
        info = scanners[name]
        if not isinstance(info, Mapping):
            info = {}
        connected = info.get("connected")
        link = {True: Text("✓ ok"), False: Text("✕ LOST", "bold red")}.get(connected, Text("–"))
        last = _instant(info.get("last_scan_at"))
        last_age = age((now - last).total_seconds()) if last is not None else "never"
        rejected = info.get("rejected")
        errors = info.get("errors")
        bad = isinstance(rejected, int) and rejected > 0
        failed = isinstance(errors, int) and errors > 0
        rows.append(
            (
                f"{path}#{name}",
                [
                    path,
                    name,
                    link,
                    last_age,
                    _count(info.get("scans")),
                    Text(_count(rejected), "bold yellow" if bad else ""),
                    Text(_count(errors), "bold red" if failed else ""),
                    Text(str(info.get("last_error") or ""), "red"),
                ],
            )
        )
    return rows


def health_flags(health: Mapping[str, Any]) -> list[str]:
    """What is wrong in a station's ``health``: journal errors, backlogs, its broker link."""
    flags = []
    if health.get("journal_error"):
        flags.append(f"journal: {health['journal_error']}")
    for key in ("unjournaled", "in_flight", "unpublished", "bad_commands", "unreadable_rows"):
        value = health.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            flags.append(f"{key.replace('_', ' ')} {value}")
    if health.get("broker") is False:
        flags.append("no broker link")
    return flags


class DiagnosticsScreen(BoardScreen):
    """Broker link, malformed payloads per topic, event stream counters, station health."""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="diagnostics-body"):
            yield SteadyStatic("", id="diagnostics-summary")
            yield Label("Malformed messages by topic", classes="panel-title")
            yield KeyedTable(PROBLEM_COLUMNS, id="problems")
            yield Label("Stations", classes="panel-title")
            yield KeyedTable(STATION_COLUMNS, id="stations")
            yield Label("Scanners", classes="panel-title")
            yield KeyedTable(SCANNER_COLUMNS, id="scanners")
            yield SteadyStatic("", id="scanners-empty")

    def show(self, view: BoardView) -> None:
        zone = self.board.catalogue.zone
        d = view.diagnostics
        broker = view.broker
        text = Text()
        state = {True: "connected", False: "LOST", None: "not used"}[broker.connected]
        text.append("Broker ", "dim")
        text.append(f"{broker.endpoint or '–'} {state}", "bold")
        if broker.since is not None:
            text.append(f" since {clock_s(broker.since, zone)}")
        if broker.detail:
            text.append(f" ({broker.detail})", "dim")
        text.append("\n")
        for label, value in (
            ("events", d.events),
            ("duplicates dropped", d.duplicates),
            ("replays asked", d.replays_requested),
            ("malformed", d.malformed_total),
            ("ignored", d.ignored),
        ):
            text.append(f"{label} ", "dim")
            text.append(f"{value}   ", "bold")
        tr = translator(self.board.catalogue.language)
        for service in view.services:
            style = "bold red" if service.alarm else "dim"
            text.append(f"\n{service_line(service, tr)} ({clock_s(service.since, zone)})", style)
        if d.open_gaps:
            gaps = ", ".join(f"{p.rsplit('/', 1)[-1]} from {s}" for p, s in d.open_gaps.items())
            text.append(f"\nwaiting for replays: {gaps}", "bold yellow")
        self.query_one("#diagnostics-summary", SteadyStatic).show(text)
        self.query_one("#problems", KeyedTable).set_rows(
            [(p.topic, [p.topic, str(p.count), Text(p.last_error, "red")]) for p in d.malformed]
        )
        rows = []
        scanners: list[Row] = []
        for line in view.lines:
            for station in line.stations:
                health = d.station_health.get(station.path, {})
                scanners += scanner_rows(f"{line.id}/{station.station_id}", health, view.now)
                flags = health_flags(health)
                seq = str(station.snapshot.seq) if station.snapshot else "–"
                rows.append(
                    (
                        station.path,
                        [
                            station.path,
                            f"{station.link.value} {age(station.age_s)}",
                            seq,
                            ", ".join(flags) or "ok",
                        ],
                    )
                )
        self.query_one("#stations", KeyedTable).set_rows(rows)
        self.query_one("#scanners", KeyedTable).set_rows(scanners)
        self.query_one("#scanners", KeyedTable).display = bool(scanners)
        empty = "" if scanners else "No station reported a scanner."
        self.query_one("#scanners-empty", SteadyStatic).show(empty)
