"""One line in depth: hourly table (record a cause), Pareto of downtime (give a stop its
reason), call history, KPIs."""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import (
    PACE_COLOURS,
    STATUS_STYLES,
    clock,
    duration,
    number,
    signed,
)
from andon.board.screens.base import BoardScreen
from andon.board.screens.reason_picker import ReasonPicker
from andon.board.views import BoardView, CallView, HourView, LineView, StopView
from andon.board.widgets.keyed_table import KeyedTable, Row
from andon.board.widgets.line_summary import LineSummary
from andon.board.widgets.pareto import ParetoChart
from andon.domain.events import format_instant

HOUR_COLUMNS = [
    ("Hour", 13),
    ("Plan", 6),
    ("Actual", 6),
    ("Diff", 7),
    ("Var", 7),
    ("Cause", None),
]
STOP_COLUMNS = [
    ("Since", 5),
    ("Stn", 4),
    ("Stop", 10),
    ("Length", 7),
    ("Reason", None),
]
HISTORY_COLUMNS = [
    ("Raised", 6),
    ("Call", 10),
    ("Stn", 5),
    ("Status", 10),
    ("Took", 8),
    ("Reason / who", None),
]


def hour_row(item: HourView, zone: tzinfo, catalogue: BoardCatalogue) -> Row:
    """One hour: plan, actual, difference, variance %, and its cause (or what is missing)."""
    hour = item.hour
    span = f"{clock(hour.start, zone)}–{clock(hour.end, zone)}"
    if not hour.complete:
        span += " ›"
    variance = "–" if hour.variance is None else f"{signed(hour.variance * 100, 0)} %"
    colour = ""
    if hour.variance is not None and hour.variance <= -0.1:
        colour = PACE_COLOURS["pace-too-slow"]
    elif hour.variance is not None and hour.variance >= 0.1:
        colour = PACE_COLOURS["pace-too-fast"]
    if item.pending is not None:
        cause: Text = Text("⧗ cause sent, waiting for the station…", "italic")
    elif hour.cause is not None:
        who = f" ({hour.cause.by})" if hour.cause.by else ""
        cause = Text(f"✓ {catalogue.reason_label(hour.cause.reason)}{who}")
    elif hour.unexplained:
        cause = Text("⚠ CAUSE NEEDED (e)", "bold white on red")
    else:
        cause = Text("")
    style = "bold white on red" if hour.unexplained and item.pending is None else ""
    return (
        format_instant(hour.start),
        [
            Text(span, style),
            number(hour.planned),
            str(hour.actual),
            Text(signed(hour.difference), colour),
            Text(variance, colour),
            cause,
        ],
    )


def stop_key(stop: StopView) -> str:
    return f"{stop.station_path}#{stop.stop_id}"


def stop_row(item: StopView, zone: tzinfo) -> Row:
    """A stop waiting for its reason: since when, where, what stopped, how long."""
    stop = item.stop
    length = duration(stop.duration_s) + ("" if stop.ended_at else " ›")
    if item.pending is not None:
        reason = Text("⧗ sent, waiting…", "italic")
    else:
        reason = Text("⚠ NEEDED (r)", "bold white on red")
    return (
        stop_key(item),
        [
            clock(stop.started_at, zone),
            item.station_id,
            stop.source.replace("_", " "),
            length,
            reason,
        ],
    )


def history_row(call: CallView, zone: tzinfo, catalogue: BoardCatalogue) -> Row:
    """One call of the shift: when, what, where, how it ended and how long it took."""
    status = STATUS_STYLES.get(call.status, STATUS_STYLES["raised"])
    detail = (call.call.reason and catalogue.reason_label(call.call.reason)) or ""
    who = call.call.closed_by or call.call.acknowledged_by
    if who:
        detail = f"{detail} · {who}" if detail else who
    return (
        call.call_id,
        [
            clock(call.call.raised_at, zone),
            catalogue.call_label(call.call_type),
            call.station_id,
            f"{status.symbol} {status.word.lower()}",
            duration(call.elapsed_s),
            detail,
        ],
    )


class LineScreen(BoardScreen):
    """The line chosen on the overview (``[`` / ``]`` step through the lines)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("left_square_bracket", "previous_line", "Prev line"),
        ("right_square_bracket", "next_line", "Next line"),
        ("e", "record_cause", "Record cause"),
        ("r", "record_stop_reason", "Stop reason"),
    ]

    def compose_body(self) -> ComposeResult:
        zone = self.board.catalogue.zone
        with VerticalScroll(id="line-body"):
            yield LineSummary(zone, id="line-summary")
            with Horizontal(id="line-columns"):
                with Vertical(id="hours-box", classes="panel"):
                    yield Label("Hourly performance", classes="panel-title")
                    yield KeyedTable(HOUR_COLUMNS, id="hours")
                with Vertical(id="line-side"):
                    with Vertical(id="pareto-box", classes="panel"):
                        yield Label("Downtime by reason", classes="panel-title")
                        yield ParetoChart(id="pareto")
                        with Vertical(id="stops-box"):
                            yield Label("Stops waiting for a reason", classes="panel-title")
                            yield KeyedTable(STOP_COLUMNS, id="stops")
                    with Vertical(id="history-box", classes="panel"):
                        yield Label("Calls this shift", classes="panel-title")
                        yield KeyedTable(HISTORY_COLUMNS, id="history")

    def current_line(self, view: BoardView) -> LineView | None:
        return view.line(self.board.line_id)

    def show(self, view: BoardView) -> None:
        line = self.current_line(view)
        catalogue = self.board.catalogue
        zone = catalogue.zone
        self.query_one(LineSummary).line = line
        hours = self.query_one("#hours", KeyedTable)
        history = self.query_one("#history", KeyedTable)
        stops = self.query_one("#stops", KeyedTable)
        waiting = line.stops_needing_reason if line else ()
        self.query_one("#stops-box").display = bool(waiting)
        stops.set_rows([stop_row(s, zone) for s in waiting])
        if line is None:
            hours.set_rows([])
            history.set_rows([])
            self.query_one(ParetoChart).bars = ()
            return
        hours.set_rows([hour_row(h, zone, catalogue) for h in line.hours])
        calls = sorted(
            (*line.closed_calls, *line.open_calls),
            key=lambda c: (c.call.raised_at, c.call_id),
            reverse=True,
        )
        history.set_rows([history_row(c, zone, catalogue) for c in calls])
        self.query_one(ParetoChart).bars = line.pareto

    def action_previous_line(self) -> None:
        self.board.step_line(-1)

    def action_next_line(self) -> None:
        self.board.step_line(+1)

    def action_record_cause(self) -> None:
        view = self.board.view
        line = self.current_line(view) if view else None
        if line is None or line.counting is None:
            self.notify("No counting station on this line yet.", severity="warning")
            return
        key = self.query_one("#hours", KeyedTable).selected_key
        hour = next((h for h in line.hours if format_instant(h.hour.start) == key), None)
        if hour is None:
            self.notify("Pick an hour first.", severity="warning")
            return
        station = line.counting.path
        zone = self.board.catalogue.zone
        title = (
            f"Cause of {clock(hour.hour.start, zone)}–{clock(hour.hour.end, zone)} on {line.name}"
        )

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            reason, note = result
            self.board.send_command(
                station,
                "hour_cause",
                {"hour_start": format_instant(hour.hour.start), "reason": reason, "note": note},
            )

        self.app.push_screen(
            ReasonPicker(title, self.board.catalogue.reasons, allow_none=False), chosen
        )

    def action_record_stop_reason(self) -> None:
        """Give the stop under the cursor (the oldest at first) its reason."""
        view = self.board.view
        line = self.current_line(view) if view else None
        waiting = line.stops_needing_reason if line else ()
        if line is None or not waiting:
            self.notify("No stop waits for a reason.", severity="warning")
            return
        key = self.query_one("#stops", KeyedTable).selected_key
        item = next((s for s in waiting if stop_key(s) == key), waiting[0])
        if item.pending is not None:
            self.notify(f"The reason of {item.stop_id} is on its way.", severity="warning")
            return
        stop = item.stop
        zone = self.board.catalogue.zone
        title = (
            f"Reason of the stop at {item.station_id} since {clock(stop.started_at, zone)} "
            f"({duration(stop.duration_s)}): {stop.source.replace('_', ' ')}, {line.name}"
        )

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            reason, note = result
            self.board.send_command(
                item.station_path,
                "stop_reason",
                {"stop_id": stop.stop_id, "reason": reason, "note": note},
            )

        reasons = self.board.catalogue.reasons_for_stop()
        self.app.push_screen(ReasonPicker(title, reasons, allow_none=False), chosen)
