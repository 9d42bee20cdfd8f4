"""One line in depth: hourly table (record a cause), Pareto of downtime (give a stop its
reason), call history, KPIs."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import (
    PACE_COLOURS,
    STATUS_STYLES,
    clock,
    duration,
    signed,
    signed_percent,
)
from andon.board.line_budget import Section, allot, first_rows, fit_rows
from andon.board.screens.base import BoardScreen
from andon.board.screens.reason_picker import ReasonPicker
from andon.board.views import BoardView, CallView, HourView, LineView, StopView
from andon.board.widgets.keyed_table import KeyedTable, Row, translated
from andon.board.widgets.line_summary import LineSummary
from andon.board.widgets.pareto import ParetoChart
from andon.domain.calls import CallStatus
from andon.domain.commands import MATERIAL
from andon.domain.events import format_instant
from andon.domain.shown_figures import plan_text, shown_difference
from andon.i18n import N_, Translator, vocabulary
from andon.i18n.vocabulary import STOP_SOURCE_WORDS, stop_source
from andon.i18n.width import cells

SCREEN_ROWS = 3
"""The header, the status bar and the key bar."""
TALL = 40
"""From this many rows the figures have a rule under them (the app's ``-tall``)."""
WIDER = 160
"""From this many columns the hours take the left half (the app's ``-wider``)."""
HOUR_COLUMNS = [
    (N_("Hour"), 13),
    (N_("Plan"), 6),
    (N_("Actual"), 6),
    (N_("Diff"), 7),
    (N_("Var"), 7),
    (N_("Cause"), None),
]
STOP_COLUMNS = [
    (N_("Since"), 5),
    (N_("Stn"), 4),
    (N_("Stop"), 10),
    (N_("Length"), 7),
    (N_("Reason"), None),
]
STOP_WORD_COLUMN = 2
HISTORY_COLUMNS = [
    (N_("Raised"), 6),
    (N_("Call"), 10),
    (N_("Stn"), 5),
    (N_("Status"), 10),
    (N_("Took"), 8),
    (N_("Reason / who"), None),
]


def stop_columns(tr: Translator) -> list[tuple[str, int | None]]:
    """The stop list's columns; what stopped as wide as its longest word in the language
    (``Linienstopp``), so none wraps in the middle of a word."""
    longest = max(cells(tr.gettext(word)) for word in STOP_SOURCE_WORDS.values())
    columns = translated(STOP_COLUMNS, tr)
    label, width = columns[STOP_WORD_COLUMN]
    columns[STOP_WORD_COLUMN] = (label, max(width or 0, longest))
    return columns


def hour_row(item: HourView, zone: tzinfo, catalogue: BoardCatalogue, tr: Translator) -> Row:
    """One hour: plan, actual, difference, variance %, and its cause (or what is missing)."""
    hour = item.hour
    span = f"{clock(hour.start, zone)}–{clock(hour.end, zone)}"
    if not hour.complete:
        span += " ›"
    variance = signed_percent(hour.variance, tr)
    colour = ""
    if hour.variance is not None and hour.variance <= -0.1:
        colour = PACE_COLOURS["pace-too-slow"]
    elif hour.variance is not None and hour.variance >= 0.1:
        colour = PACE_COLOURS["pace-too-fast"]
    _ = tr.gettext
    if item.pending is not None:
        cause: Text = Text(_("⧗ cause sent, waiting for the station…"), "italic")
    elif hour.cause is not None:
        label = catalogue.reason_label(hour.cause.reason)
        if hour.cause.by:
            cause = Text(_("✓ {reason} ({name})").format(reason=label, name=hour.cause.by))
        else:
            cause = Text(f"✓ {label}")
    elif hour.unexplained:
        cause = Text(_("⚠ CAUSE NEEDED (e)"), "bold white on red")
    else:
        cause = Text("")
    style = "bold white on red" if hour.unexplained and item.pending is None else ""
    return (
        format_instant(hour.start),
        [
            Text(span, style),
            plan_text(hour.planned, tr.language),
            str(hour.actual),
            Text(signed(shown_difference(hour.actual, hour.planned), tr), colour),
            Text(variance, colour),
            cause,
        ],
    )


def stop_key(stop: StopView) -> str:
    return f"{stop.station_path}#{stop.stop_id}"


def stop_row(item: StopView, zone: tzinfo, tr: Translator) -> Row:
    """A stop waiting for its reason: since when, where, what stopped, how long."""
    stop = item.stop
    length = duration(stop.duration_s) + ("" if stop.ended_at else " ›")
    if item.pending is not None:
        reason = Text(tr.gettext("⧗ sent, waiting…"), "italic")
    else:
        reason = Text(tr.gettext("⚠ NEEDED (r)"), "bold white on red")
    return (
        stop_key(item),
        [
            clock(stop.started_at, zone),
            item.station_id,
            stop_source(stop.source, tr),
            length,
            reason,
        ],
    )


def history_row(call: CallView, zone: tzinfo, catalogue: BoardCatalogue, tr: Translator) -> Row:
    """One call of the shift: when, what, where, how it ended and how long it took."""
    status = STATUS_STYLES.get(call.status, STATUS_STYLES["raised"])
    detail = (call.call.reason and catalogue.reason_label(call.call.reason)) or ""
    who = vocabulary.who(call.call.closed_by or call.call.acknowledged_by, tr)
    if delivered(call) and not detail:
        detail = tr.gettext("Delivered · {who}").format(who=who) if who else tr.gettext("Delivered")
    elif who:
        detail = f"{detail} · {who}" if detail else who
    return (
        call.call_id,
        [
            clock(call.call.raised_at, zone),
            catalogue.call_label(call.call_type),
            call.station_id,
            status.text(tr),
            duration(call.elapsed_s),
            detail,
        ],
    )


def delivered(call: CallView) -> bool:
    """A material call closed: its material arrived (a kanban scan, a refilled bin)."""
    return call.call.call_type == MATERIAL and call.call.status == CallStatus.RESOLVED


class LineScreen(BoardScreen):
    """The line chosen on the overview (``[`` / ``]`` step through the lines)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("left_square_bracket", "previous_line", N_("Prev line")),
        ("right_square_bracket", "next_line", N_("Next line")),
        ("e", "record_cause", N_("Record cause")),
        ("r", "record_stop_reason", N_("Stop reason")),
    ]

    def compose_body(self) -> ComposeResult:
        zone = self.board.catalogue.zone
        tr = self.board.tr
        _ = tr.gettext
        with Vertical(id="line-body"):
            yield LineSummary(zone, tr, shifts=self.board.catalogue.shifts, id="line-summary")
            with Horizontal(id="line-columns"):
                with Vertical(id="hours-box", classes="panel"):
                    yield Label(_("Hourly performance"), id="hours-title", classes="panel-title")
                    yield KeyedTable(translated(HOUR_COLUMNS, tr), id="hours")
                with Vertical(id="line-side"):
                    with Vertical(id="pareto-box", classes="panel"):
                        yield Label(_("Downtime by reason"), classes="panel-title")
                        yield ParetoChart(tr, id="pareto")
                        with Vertical(id="stops-box"):
                            yield Label(
                                _("Stops waiting for a reason"),
                                id="stops-title",
                                classes="panel-title",
                            )
                            yield KeyedTable(stop_columns(tr), id="stops")
                    with Vertical(id="history-box", classes="panel"):
                        yield Label(
                            _("Calls this shift"), id="history-title", classes="panel-title"
                        )
                        yield KeyedTable(translated(HISTORY_COLUMNS, tr), id="history")

    def current_line(self, view: BoardView) -> LineView | None:
        return view.line(self.board.line_id)

    def show(self, view: BoardView) -> None:
        line = self.current_line(view)
        catalogue = self.board.catalogue
        zone = catalogue.zone
        summary = self.query_one(LineSummary)
        summary.line = line
        hours = self.query_one("#hours", KeyedTable)
        history = self.query_one("#history", KeyedTable)
        stops = self.query_one("#stops", KeyedTable)
        waiting = line.stops_needing_reason if line else ()
        self.query_one("#stops-box").display = bool(waiting)
        tr = self.board.tr
        pareto = self.query_one(ParetoChart)
        stop_rows = [stop_row(s, zone, tr) for s in waiting]
        if line is None:
            stops.set_rows(stop_rows)
            hours.set_rows([])
            history.set_rows([])
            pareto.bars = ()
            return
        hour_rows = [hour_row(h, zone, catalogue, tr) for h in line.hours]
        calls = sorted(
            (*line.closed_calls, *line.open_calls),
            key=lambda c: (c.call.raised_at, c.call_id),
            reverse=True,
        )
        call_rows = [history_row(c, zone, catalogue, tr) for c in calls]
        pareto.bars = line.pareto
        shown = self._fit(line, hour_rows, stop_rows, call_rows)
        hours.set_rows([hour_rows[i] for i in shown["hours"]])
        stops.set_rows(stop_rows[: shown["stops"]])
        history.set_rows(call_rows[: shown["calls"]])
        pareto.limit(shown["pareto"])
        self._titles(len(hour_rows) - len(shown["hours"]), shown, len(stop_rows), len(call_rows))

    def _fit(
        self, line: LineView, hour_rows: list[Row], stop_rows: list[Row], call_rows: list[Row]
    ) -> dict[str, Any]:
        """What of each section fits the screen's rows (:mod:`andon.board.line_budget`):
        the indices of the hours, how many stops and calls, the Pareto's rows."""
        width, height = self.app.size
        hours, stops = self.query_one("#hours", KeyedTable), self.query_one("#stops", KeyedTable)
        history = self.query_one("#history", KeyedTable)
        wide = width >= WIDER
        half = width // 2 if wide else width
        hour_heights = hours.row_heights(hour_rows, half)
        stop_heights = stops.row_heights(stop_rows, half)
        call_heights = history.row_heights(call_rows, half)
        bars = len(line.pareto)
        summary = self.query_one(LineSummary)
        head = summary.text(max(1, width - 2)).plain.count("\n") + 1
        head += 0 if height < TALL else 1  # the rule under the figures
        room = height - SCREEN_ROWS - head
        titles = {"hours": 2, "pareto": 1, "stops": 2 if stop_rows else 0, "calls": 2}
        sections = {
            "hours": Section(sum(hour_heights), hour_heights[-1] if hour_heights else 0),
            "pareto": Section(max(1, bars), 2),  # the longest bar, and the rest summed up
            "stops": Section(sum(stop_heights), stop_heights[0] if stop_heights else 0),
            "calls": Section(sum(call_heights), call_heights[0] if call_heights else 0),
        }
        if wide:  # hours on the left half, the rest on the right
            given = allot(room - titles["hours"], {"hours": sections["hours"]})
            side = {k: v for k, v in sections.items() if k != "hours"}
            given |= allot(room - sum(titles.values()) + titles["hours"], side)
        else:
            given = allot(room - sum(titles.values()), sections)
        unexplained = [i for i, h in enumerate(line.hours) if h.hour.unexplained]
        first = [len(hour_rows) - 1, *reversed(unexplained)] if hour_rows else []
        return {
            "hours": fit_rows(hour_heights, given["hours"], first),
            "stops": first_rows(stop_heights, given["stops"]),
            "calls": first_rows(call_heights, given["calls"]) if call_rows else 0,
            "pareto": given["pareto"],
        }

    def _titles(self, hidden: int, shown: dict[str, Any], stops: int, calls: int) -> None:
        """Each title says what of its section is left out for want of rows."""
        tr = self.board.tr
        _ = tr.gettext
        title = _("Hourly performance")
        if hidden:
            title = tr.ngettext(
                "Hourly performance ({count} hour left out)",
                "Hourly performance ({count} hours left out)",
                hidden,
            ).format(count=hidden)
        self.query_one("#hours-title", Label).update(title)
        title = _("Stops waiting for a reason")
        if shown["stops"] < stops:
            title = tr.ngettext(
                "Stops waiting for a reason (the oldest {shown} of {count})",
                "Stops waiting for a reason (the oldest {shown} of {count})",
                stops,
            ).format(shown=shown["stops"], count=stops)
        self.query_one("#stops-title", Label).update(title)
        title = _("Calls this shift")
        if shown["calls"] < calls:
            title = tr.ngettext(
                "Calls this shift (the latest {shown} of {count})",
                "Calls this shift (the latest {shown} of {count})",
                calls,
            ).format(shown=shown["calls"], count=calls)
        self.query_one("#history-title", Label).update(title)

    def on_resize(self) -> None:
        self.redraw()

    def action_previous_line(self) -> None:
        self.board.step_line(-1)

    def action_next_line(self) -> None:
        self.board.step_line(+1)

    def action_record_cause(self) -> None:
        _ = self.board.tr.gettext
        view = self.board.view
        line = self.current_line(view) if view else None
        if line is None or line.counting is None:
            self.notify(_("No counting station on this line yet."), severity="warning")
            return
        key = self.query_one("#hours", KeyedTable).selected_key
        hour = next((h for h in line.hours if format_instant(h.hour.start) == key), None)
        if hour is None:
            self.notify(_("Pick an hour first."), severity="warning")
            return
        station = line.counting.path
        zone = self.board.catalogue.zone
        title = _("Cause of {start}–{end} on {line}").format(
            start=clock(hour.hour.start, zone), end=clock(hour.hour.end, zone), line=line.name
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
            ReasonPicker(title, self.board.catalogue.reasons, self.board.tr, allow_none=False),
            chosen,
        )

    def action_record_stop_reason(self) -> None:
        """Give the stop under the cursor (the oldest at first) its reason."""
        _ = self.board.tr.gettext
        view = self.board.view
        line = self.current_line(view) if view else None
        waiting = line.stops_needing_reason if line else ()
        if line is None or not waiting:
            self.notify(_("No stop waits for a reason."), severity="warning")
            return
        key = self.query_one("#stops", KeyedTable).selected_key
        item = next((s for s in waiting if stop_key(s) == key), waiting[0])
        if item.pending is not None:
            self.notify(
                _("The reason of {stop} is on its way.").format(stop=item.stop_id),
                severity="warning",
            )
            return
        stop = item.stop
        zone = self.board.catalogue.zone
        title = _("Reason of the stop at {station} since {time} ({length}): {stop}, {line}").format(
            station=item.station_id,
            time=clock(stop.started_at, zone),
            length=duration(stop.duration_s),
            stop=stop_source(stop.source, self.board.tr),
            line=line.name,
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
        self.app.push_screen(ReasonPicker(title, reasons, self.board.tr, allow_none=False), chosen)
