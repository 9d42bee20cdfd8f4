"""The enterprise overview: one row per site from the enterprise broker, and a picker into it.

Each row adds up the stations the enterprise broker holds for it: how many, how
many online, good parts and plan so far this shift, open calls; a site's row also
shows its WAN (the site bridge's status). Enter opens the row under the cursor
(a site shows its areas, an area its lines, a line its stations); Backspace goes
back up. The screen reads :class:`~andon.board.sites.SitesModel`, fed by
:class:`~andon.board.sites_feed.SitesFeed`; it sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable

from andon.board.screens.base import BoardScreen
from andon.board.sites import Selection, SiteRow
from andon.board.views import BoardView
from andon.board.widgets.keyed_table import KeyedTable, Row
from andon.board.widgets.steady import SteadyLabel
from andon.domain.shown_figures import plan_text
from andon.i18n import N_, Translator
from andon.i18n.formats import number
from andon.i18n.vocabulary import LINK_WORDS

LEVEL_WORDS = {"site": N_("site"), "area": N_("area"), "line": N_("line"), "station": N_("station")}
COLUMNS = [
    (N_("WAN"), 7),
    (N_("stations"), 8),
    (N_("online"), 6),
    (N_("good"), 6),
    (N_("plan"), 6),
    (N_("open calls"), 10),
]
ALL_SITES = N_("all sites")
NAME_WIDTH = 18
NO_ENTERPRISE = N_("No enterprise broker: start the board with --enterprise FILE.")
NOTHING_YET = N_("Nothing heard from the enterprise broker yet.")


def wan_cell(row: SiteRow, tr: Translator) -> Text:
    if row.wan is None:
        return Text("–" if row.key else "", "dim")
    word = tr.gettext(LINK_WORDS["ok" if row.wan else "offline"])
    return Text(word, "bold green" if row.wan else "bold white on red")


def site_row(row: SiteRow, tr: Translator, language: str) -> Row:
    calls = number(row.open_calls, language, digits=0)
    return (
        row.key,
        [
            Text(row.key, "bold"),
            wan_cell(row, tr),
            number(row.stations, language, digits=0),
            Text(
                number(row.online, language, digits=0),
                "" if row.online == row.stations else "bold red",
            ),
            number(row.good, language, digits=0),
            plan_text(row.planned, language),
            Text(calls, "bold yellow" if row.open_calls else ""),
        ],
    )


class EnterpriseScreen(BoardScreen):
    """Every site at a glance; Enter picks a site, an area, a line."""

    DEFAULT_CSS = """
    #enterprise-where { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_row", N_("Open")),
        Binding("backspace", "up", N_("Back")),
    ]

    selection: Selection = Selection()

    def compose_body(self) -> Iterable[Widget]:
        yield SteadyLabel("", id="enterprise-where")
        yield KeyedTable(self._columns(), id="enterprise-rows")

    def _columns(self) -> list[tuple[str, int | None]]:
        tr = self.board.tr
        first = (tr.gettext(LEVEL_WORDS[self.selection.level]), NAME_WIDTH)
        return [first, *((tr.gettext(label), width) for label, width in COLUMNS)]

    def show(self, view: BoardView) -> None:
        tr = self.board.tr
        where = self.query_one("#enterprise-where", SteadyLabel)
        table = self.query_one("#enterprise-rows", KeyedTable)
        sites = self.board.sites
        if sites is None:
            where.show(tr.gettext(NO_ENTERPRISE))
            table.set_rows([])
            return
        chosen = [v for v in (self.selection.site, self.selection.area, self.selection.line) if v]
        where.show(" / ".join([tr.gettext(ALL_SITES), *chosen]))
        table.set_columns(self._columns())
        rows = sites.rows(self.selection)
        if not rows and not chosen:
            where.show(tr.gettext(NOTHING_YET))
        language = self.board.catalogue.language
        table.set_rows([site_row(r, tr, language) for r in rows])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the table (it takes the key before the screen does)."""
        event.stop()
        self.action_open_row()

    def action_open_row(self) -> None:
        table = self.query_one("#enterprise-rows", KeyedTable)
        key = table.selected_key
        if key is not None and self.selection.level != "station":
            self.selection = self.selection.down(key)
            self.redraw()

    def action_up(self) -> None:
        self.selection = self.selection.up()
        self.redraw()
