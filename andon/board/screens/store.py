"""The material-call queue at the store: oldest first, express calls in red; below it
how long the calls served this shift waited, per part."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Label

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import STATUS_STYLES, duration, pending_text
from andon.board.ordering import material_queue
from andon.board.screens.base import BoardScreen
from andon.board.screens.calls import line_stretch
from andon.board.views import BoardView, CallView, LeadTimeView
from andon.board.widgets.keyed_table import KeyedTable, Row, translated
from andon.board.widgets.steady import SteadyLabel, SteadyStatic
from andon.i18n import N_, Translator

STORE_COLUMNS = [
    ("#", 3),
    (N_("Part"), 9),
    (N_("Name"), 16),
    (N_("Line"), 8),
    (N_("Stn"), 5),
    (N_("Waiting"), 8),
    (N_("Status"), None),
]

LEAD_TIME_COLUMNS = [
    (N_("Part"), 9),
    (N_("Name"), 16),
    (N_("Line"), 8),
    (N_("Stn"), 5),
    (N_("Served"), 6),
    (N_("Mean"), 8),
    (N_("Longest"), None),
]


def store_row(index: int, call: CallView, catalogue: BoardCatalogue, tr: Translator) -> Row:
    """One material call; an express call is red and says EXPRESS."""
    _ = tr.gettext
    express = call.call.express
    style = "bold white on red" if express else ""
    status = STATUS_STYLES.get(call.status, STATUS_STYLES["raised"])
    if call.call.acknowledged_by:
        state = Text(
            _("{status} by {name}").format(status=status.text(tr), name=call.call.acknowledged_by)
        )
    else:
        state = Text(status.text(tr))
    if express:
        state = Text(_("EXPRESS") + " ", "bold white on red") + state
    if call.pending is not None:
        state.append(" " + pending_text(call.pending.name, tr), "italic")
    return (
        f"{call.station_path}#{call.call_id}",
        [
            Text(str(index), style),
            Text(call.call.part or "?", f"bold {style}".strip()),
            Text(catalogue.part_name(call.call.part), style),
            Text(catalogue.line_name(call.line_id), style),
            Text(call.station_id, style),
            Text(duration(call.elapsed_s), f"bold {style}".strip()),
            state,
        ],
    )


def lead_time_row(item: LeadTimeView, catalogue: BoardCatalogue) -> Row:
    """One part at one station: calls served this shift, mean and longest wait."""
    lead = item.lead
    return (
        f"{item.station_path}#{lead.part}",
        [
            Text(lead.part or "?", "bold"),
            catalogue.part_name(lead.part),
            catalogue.line_name(item.line_id),
            item.station_id,
            str(lead.count),
            duration(lead.mean_s),
            duration(lead.max_s),
        ],
    )


class StoreScreen(BoardScreen):
    """Serve from the top; ``a`` tells the line the handler is on the way."""

    BINDINGS: ClassVar[list[BindingType]] = [("a", "acknowledge", N_("On my way"))]

    def compose_body(self) -> ComposeResult:
        tr, catalogue = self.board.tr, self.board.catalogue
        with Vertical(id="store-body"):
            yield SteadyLabel("", id="store-title", classes="panel-title")
            stretch = line_stretch(catalogue, tr)
            yield KeyedTable(translated(STORE_COLUMNS, tr), id="store", stretch=stretch)
            yield SteadyStatic("", id="store-empty")
            with Vertical(id="lead-times-box", classes="panel"):
                title = tr.gettext("Lead times of the calls served this shift")
                yield Label(title, classes="panel-title")
                columns = translated(LEAD_TIME_COLUMNS, tr)
                yield KeyedTable(columns, id="lead-times", stretch=stretch)
                yield SteadyStatic("", id="lead-times-empty")

    def queue(self, view: BoardView) -> list[CallView]:
        return material_queue(view.open_calls)

    def show(self, view: BoardView) -> None:
        tr = self.board.tr
        _ = tr.gettext
        catalogue = self.board.catalogue
        queue = self.queue(view)
        express = sum(1 for c in queue if c.call.express)
        title = _("Material calls, oldest first: {count}").format(count=len(queue))
        if express:
            title += "  ·  " + _("{count} EXPRESS").format(count=express)
        self.query_one("#store-title", SteadyStatic).show(title)
        self.query_one("#store", KeyedTable).set_rows(
            [store_row(i, c, catalogue, tr) for i, c in enumerate(queue, start=1)]
        )
        self.query_one("#store-empty", SteadyStatic).show("" if queue else _("No material calls."))
        self._show_lead_times(view)

    def _show_lead_times(self, view: BoardView) -> None:
        """Hidden while no station publishes lead times (older stations do not)."""
        rows = view.material_lead_times
        self.query_one("#lead-times-box").display = rows is not None
        table = self.query_one("#lead-times", KeyedTable)
        table.set_rows([lead_time_row(r, self.board.catalogue) for r in rows or ()])
        table.display = bool(rows)
        empty = "" if rows else self.board.tr.gettext("No material call served yet this shift.")
        self.query_one("#lead-times-empty", SteadyStatic).show(empty)

    def action_acknowledge(self) -> None:
        view = self.board.view
        key = self.query_one("#store", KeyedTable).selected_key
        if view is None or key is None:
            return
        call = next((c for c in self.queue(view) if f"{c.station_path}#{c.call_id}" == key), None)
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
