"""Open calls for the people who answer them: acknowledge and resolve from the keyboard.

A maintenance board shows equipment calls and escalations first. Commands go
to the station; the row says "pending…" until the station confirms them. Each
row ends with what became of the call's latest alert (sent to whom, or why it
did not reach anyone), as the notifier reported it.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical

from andon.board.catalogue import BoardCatalogue
from andon.board.deliveries import alert_line, alert_style
from andon.board.formatting import (
    LAMP_COLOURS,
    LINK_STYLES,
    STATUS_STYLES,
    clock,
    duration,
    pending_text,
)
from andon.board.ordering import calls_for_board
from andon.board.screens.base import BoardScreen
from andon.board.screens.reason_picker import ReasonPicker
from andon.board.views import BoardView, CallView, Link
from andon.board.widgets.keyed_table import KeyedTable, Row, cell_width, translated
from andon.board.widgets.steady import SteadyLabel, SteadyStatic
from andon.domain.events import AlertDelivery
from andon.i18n import N_, Translator

CALL_COLUMNS = [
    (N_("Call"), 11),
    (N_("Line"), 8),
    (N_("Stn"), 5),
    (N_("Status"), 12),
    (N_("Open for"), 8),
    (N_("Lvl"), 4),
    (N_("Details"), None),
]

LINE_NAME_CELLS = 16
"""The Line column grows to the longest line name the board shows, up to this, where the
screen has room; narrower, a name wraps between its words (``PCB`` / ``line B``)."""


def line_stretch(catalogue: BoardCatalogue, tr: Translator) -> tuple[str, int]:
    """The Line column's label in ``tr``'s language and the width its names want."""
    widest = max((cell_width(line.name) for line in catalogue.lines), default=0)
    return tr.gettext("Line"), min(widest, LINE_NAME_CELLS)


def call_row(
    call: CallView,
    catalogue: BoardCatalogue,
    zone: tzinfo,
    tr: Translator,
    alert: AlertDelivery | None = None,
) -> Row:
    """One open call, its type in its lamp colour with the status symbol, its last alert."""
    status = STATUS_STYLES.get(call.status, STATUS_STYLES["raised"])
    colour = LAMP_COLOURS.get(catalogue.call_colour(call.call_type), "yellow")
    _ = tr.gettext
    details = Text()
    if call.pending is not None:
        details.append(pending_text(call.pending.name, tr) + " ", "bold italic")
    if call.call.reason_required:
        details.append(_("reason needed") + " ", "bold yellow")
    if call.call.part:
        name = catalogue.part_name(call.call.part)
        details.append(f"{call.call.part} {name} ".rstrip() + " ")
    if call.call.express:
        details.append(_("EXPRESS") + " ", "bold white on red")
    raised = clock(call.call.raised_at, zone)
    if call.call.acknowledged_by:
        # TRANSLATORS: who took the call, and when it was raised (10:26)
        when = _("taken by {name}, raised {time}").format(
            name=call.call.acknowledged_by, time=raised
        )
    else:
        when = _("raised {time}").format(time=raised)
    details.append(when, "dim")
    if call.call.notes:
        last = call.call.notes[-1]
        details.append(" · " + _("note by {name}: {text}").format(name=last.by, text=last.text))
    if alert is not None:
        details.append(" · " + alert_line(alert, tr), alert_style(alert))
    if call.link is not Link.OK:
        link = _(LINK_STYLES[call.link].word)
        details.append(" · " + _("station {link}").format(link=link), "bold red")
    level = Text(f"L{call.level}", "bold red" if call.level >= 2 else "")
    return (
        f"{call.station_path}#{call.call_id}",
        [
            Text(f"{status.symbol} {catalogue.call_label(call.call_type)}", f"bold {colour}"),
            catalogue.line_name(call.line_id),
            call.station_id,
            _(status.word),
            duration(call.elapsed_s),
            level,
            details,
        ],
    )


class CallsScreen(BoardScreen):
    """Open calls, the board's role first; ``a`` acknowledge, ``r`` resolve, ``x`` cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("a", "acknowledge", N_("Acknowledge")),
        ("r", "resolve", N_("Resolve")),
        ("x", "cancel_call", N_("Cancel call")),
        ("f", "toggle_filter", N_("All / mine")),
    ]

    show_all = False
    _cancel_armed: str | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="calls-body"):
            yield SteadyLabel("", id="calls-title", classes="panel-title")
            tr = self.board.tr
            stretch = line_stretch(self.board.catalogue, tr)
            yield KeyedTable(translated(CALL_COLUMNS, tr), id="calls", stretch=stretch)
            yield SteadyStatic("", id="calls-empty")

    def visible_calls(self, view: BoardView) -> list[CallView]:
        return calls_for_board(view.open_calls, self.board.catalogue, show_all=self.show_all)

    def show(self, view: BoardView) -> None:
        tr = self.board.tr
        _ = tr.gettext
        catalogue = self.board.catalogue
        calls = self.visible_calls(view)
        role = catalogue.focus_role
        if role is None:
            title = _("Open calls: {count}").format(count=len(calls))
        else:
            label = catalogue.roles.get(role, role)
            if self.show_all:
                title = _("Open calls (all calls, {role} first): {count}")
            else:
                title = _("Open calls (calls for {role}, {role} first): {count}")
            title = title.format(role=label, count=len(calls))
        self.query_one("#calls-title", SteadyStatic).show(title)
        alerts = view.deliveries
        rows = [call_row(c, catalogue, catalogue.zone, tr, alerts.get(c.call_id)) for c in calls]
        self.query_one(KeyedTable).set_rows(rows)
        self.query_one("#calls-empty", SteadyStatic).show("" if calls else _("No open calls."))

    def selected(self) -> CallView | None:
        view = self.board.view
        key = self.query_one(KeyedTable).selected_key
        if view is None or key is None:
            return None
        return next((c for c in view.open_calls if f"{c.station_path}#{c.call_id}" == key), None)

    def action_toggle_filter(self) -> None:
        self.show_all = not self.show_all
        self.redraw()

    def action_acknowledge(self) -> None:
        call = self.selected()
        if call is None:
            return
        if call.status != "raised":
            status = STATUS_STYLES.get(call.status, STATUS_STYLES["raised"])
            self.notify(
                self.board.tr.gettext("{call} is already {status}.").format(
                    call=call.call_id, status=self.board.tr.gettext(status.word)
                ),
                severity="warning",
            )
            return
        self.board.send_command(call.station_path, "acknowledge", {"call_id": call.call_id})

    def action_cancel_call(self) -> None:
        """Cancel a call raised by mistake: ``x`` twice on the same call, as a safeguard."""
        call = self.selected()
        if call is None:
            return
        if self._cancel_armed != call.call_id:
            self._cancel_armed = call.call_id
            self.notify(
                self.board.tr.gettext("Press x again to cancel {call}.").format(call=call.call_id),
                severity="warning",
            )
            return
        self._cancel_armed = None
        self.board.send_command(call.station_path, "cancel", {"call_id": call.call_id})

    def action_resolve(self) -> None:
        call = self.selected()
        if call is None:
            return
        catalogue = self.board.catalogue
        title = self.board.tr.gettext("Resolve {call} at {line} {station} ({length})").format(
            call=catalogue.call_label(call.call_type),
            line=catalogue.line_name(call.line_id),
            station=call.station_id,
            length=duration(call.elapsed_s),
        )
        reasons = catalogue.reasons_for_call(call.call_type)

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            reason, note = result
            args = {"call_id": call.call_id}
            if reason:
                args["reason"] = reason
            if note:
                args["note"] = note
            self.board.send_command(call.station_path, "resolve", args)

        self.app.push_screen(
            ReasonPicker(title, reasons, self.board.tr, allow_none=not call.call.reason_required),
            chosen,
        )
