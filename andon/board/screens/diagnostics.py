"""What the board received that it could not use, and how the stations feel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label

from andon.board.formatting import age, clock_s
from andon.board.screens.base import BoardScreen
from andon.board.views import BoardView
from andon.board.widgets.keyed_table import KeyedTable
from andon.board.widgets.steady import SteadyStatic

PROBLEM_COLUMNS = [("Topic", 44), ("Bad", 5), ("Last error", None)]
STATION_COLUMNS = [("Station", 34), ("Link", 14), ("Seq", 7), ("Health", None)]


def health_flags(health: Mapping[str, Any]) -> list[str]:
    """What is wrong in a station's ``health``: journal errors, backlogs, its broker link."""
    flags = []
    if health.get("journal_error"):
        flags.append(f"journal: {health['journal_error']}")
    for key in ("unjournaled", "in_flight", "unpublished", "bad_commands"):
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
        if d.open_gaps:
            gaps = ", ".join(f"{p.rsplit('/', 1)[-1]} from {s}" for p, s in d.open_gaps.items())
            text.append(f"\nwaiting for replays: {gaps}", "bold yellow")
        self.query_one("#diagnostics-summary", SteadyStatic).show(text)
        self.query_one("#problems", KeyedTable).set_rows(
            [(p.topic, [p.topic, str(p.count), Text(p.last_error, "red")]) for p in d.malformed]
        )
        rows = []
        for line in view.lines:
            for station in line.stations:
                health = d.station_health.get(station.path, {})
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
