"""One line on the overview: figures, pace, trend, open calls with live timers, stations."""

from __future__ import annotations

from datetime import tzinfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.renderables.digits import Digits
from textual.widget import Widget

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import (
    LAMP_COLOURS,
    LINK_STYLES,
    MINUS,
    NO_DATA_STYLE,
    PACE_COLOURS,
    STATUS_STYLES,
    STOPPED,
    age,
    duration,
    number,
    pace_style,
    pending_text,
    percent,
    seconds_text,
    shift_text,
    signed,
    sparkline,
)
from andon.board.views import CallView, LineView, Link
from andon.board.widgets.steady import SteadyContent
from andon.domain.shown_figures import plan_text, shown_difference
from andon.i18n import Translator
from andon.i18n.width import pad

PACE_CLASSES = ("pace-normal", "pace-too-fast", "pace-too-slow", "pace-none")
LINK_CLASSES = tuple(f"link-{link.value}" for link in Link)


def pack(items: list[Text], width: int, separator: str = "  ") -> Text:
    """Items side by side, starting a new line where the next item would not fit."""
    out = Text()
    used = 0
    for item in items:
        size = item.cell_len
        if used and used + len(separator) + size > width:
            out.append("\n")
            used = 0
        elif used:
            out.append(separator)
            used += len(separator)
        out.append_text(item)
        used += size
    return out


def pack_tight(items: list[Text], width: int) -> Text:
    """:func:`pack` with two spaces between items, or one where that saves a row.

    Long words (German) and double-width glyphs (Chinese) would otherwise wrap a
    row of figures that fits with single spaces; labels are dim and values bold,
    so the items still read apart.
    """
    wide = pack(items, width)
    tight = pack(items, width, " ")
    return tight if tight.plain.count("\n") < wide.plain.count("\n") else wide


def item(label: str, value: str, style: str = "bold") -> Text:
    text = Text(f"{label} ", "dim")
    text.append(value, style)
    return text


def figure_items(line: LineView, tr: Translator, *, kpis: bool = True) -> list[Text]:
    """Plan, actual, difference, takt, achievement, availability and OEE (not with
    ``kpis=False``: a screen showing the KPIs in a row of their own), one item each."""
    _ = tr.gettext
    snap = line.snapshot
    items = []
    if line.line_stopped:
        items.append(Text(f" {STOPPED.text(tr)} ", "bold white on red"))
    if snap is None:
        items.append(Text(_("No figures yet: waiting for the counting station."), "italic"))
        return items
    colour = PACE_COLOURS[pace_style(snap.pace).css]
    kpi = line.kpi
    items += [
        item(_("Plan"), plan_text(snap.planned, tr.language)),
        item(_("Actual"), number(snap.good, tr)),
        item(_("Diff"), signed(shown_difference(snap.good, snap.planned), tr), f"bold {colour}"),
        item(_("Takt"), seconds_text(line.takt_s, tr)),
        item(_("Ach"), percent(snap.achievement, tr)),
    ]
    if kpis:
        items += [
            item(_("Avail"), percent(kpi.availability if kpi else None, tr)),
            # the short form: 设备综合效率 would wrap the row of figures onto a row of its own
            item(tr.pgettext("short", "OEE"), percent(kpi.oee if kpi else None, tr)),
        ]
    return items


def figures(line: LineView, tr: Translator, width: int = 1000, *, kpis: bool = True) -> Text:
    """``Plan 25.1  Actual 18  Diff −7.1  Takt 160 s  Ach 72 %  Avail 100 %  OEE 67 %``."""
    return pack_tight(figure_items(line, tr, kpis=kpis), width)


def call_line(call: CallView, catalogue: BoardCatalogue, tr: Translator) -> Text:
    """``! HELP  a3  2:00  L1  raised`` with the call type's colour, plus any pending command."""
    status = STATUS_STYLES.get(call.status, STATUS_STYLES["raised"])
    colour = LAMP_COLOURS.get(catalogue.call_colour(call.call_type), "yellow")
    text = Text()
    text.append(f"{status.symbol} ", f"bold {colour}")
    _ = tr.gettext
    label = catalogue.call_label(call.call_type).upper()
    text.append(pad(label, 10), f"bold {colour}")
    text.append(f" {pad(call.station_id, 6)}", "bold")
    text.append(f" {duration(call.elapsed_s):>7}", "bold")
    level = f"L{call.level}" if call.level else "L0"
    text.append(f"  {level}", "bold red" if call.level >= 2 else "")
    if call.call.acknowledged_by:
        text.append("  " + _("taken by {name}").format(name=call.call.acknowledged_by))
    else:
        text.append(f"  {_(status.word)}")
    if call.call.part:
        text.append(f"  {call.call.part}", "bold")
    if call.call.express:
        text.append(" " + _("EXPRESS"), "bold white on red")
    if call.call.stopped_line:
        text.append("  " + _("■ stopped the line"), "red")
    if call.pending is not None:
        text.append("  " + pending_text(call.pending.name, tr), "italic")
    return text


def station_items(line: LineView, tr: Translator) -> list[Text]:
    """``a1 ✓``, ``a3 ✕ OFFLINE 1 min`` … one item per station."""
    _ = tr.gettext
    if not line.stations:
        return [Text(_("no station heard yet"), "italic")]
    items = []
    for station in line.stations:
        style = LINK_STYLES[station.link]
        if station.link is Link.OK and station.snapshot is None:  # heard, but no state yet
            style = LINK_STYLES[Link.UNKNOWN]
        text = Text(f"{station.station_id} {style.symbol}", "bold")
        if station.link is Link.OFFLINE:
            text.append(f" {_(style.word)} {age(station.age_s, tr)}", "bold white on grey35")
        elif station.link is Link.STALE:
            text.append(f" {_(style.word)} {age(station.age_s, tr)}", "bold black on grey70")
        elif station.link is Link.UNKNOWN or station.snapshot is None:  # never sent a state
            text.append(f" {_(NO_DATA_STYLE.word)}", "italic")
        items.append(text)
    return items


def stations_line(line: LineView, tr: Translator, width: int = 1000) -> Text:
    """``Stations  a1 ✓  a3 ✕ OFFLINE 1 min``."""
    return pack([Text(tr.gettext("Stations"), "dim"), *station_items(line, tr)], width)


def big_figures(line: LineView, tr: Translator) -> Table:
    """Actual, plan and difference in a 3×3 digit font, with the pace word beside them."""
    snap = line.snapshot
    assert snap is not None
    style = pace_style(snap.pace)
    colour = PACE_COLOURS[style.css]
    grid = Table.grid(padding=(0, 4))
    cells = []
    for label, value, tint in (
        (tr.gettext("ACTUAL"), number(snap.good, tr), "bold"),
        (tr.gettext("PLAN"), plan_text(snap.planned, tr.language), "bold"),
        (
            tr.gettext("DIFF"),
            signed(shown_difference(snap.good, snap.planned), tr),
            f"bold {colour}",
        ),
    ):
        grid.add_column()
        digits = value.replace(MINUS, "-")
        cells.append(Group(Text(label, "dim"), Digits(digits, tint)))
    grid.add_column(vertical="middle")
    word = Text(style.text(tr), f"bold {colour}")
    if line.line_stopped:
        word.append(f"\n{STOPPED.text(tr)}", "bold red")
    cells.append(Group(Text(""), word))
    grid.add_row(*cells)
    return grid


class LineCard(Widget, can_focus=True):
    """The overview card of one line; the border colour follows pace and link.

    :meth:`show` hands it a line; it repaints only when the text it draws changed
    (call timers tick once a second, most cards stay the same) and asks for a new
    layout only when its number of rows changed.
    """

    def __init__(
        self, line_id: str, name: str, catalogue: BoardCatalogue, zone: tzinfo, tr: Translator
    ) -> None:
        super().__init__(id=f"card-{line_id}", classes="line-card")
        self.line_id = line_id
        self.catalogue = catalogue
        self.tr = tr
        self.zone = zone
        self.border_title = name
        self.line: LineView | None = None
        self.max_calls = 3
        """Rows for calls; when there are more calls, the last row says how many are hidden."""
        self.big = False
        """Large figures for a wall screen (set when the card has room for them)."""
        self._content = SteadyContent()

    def show(self, line: LineView | None, *, big: bool, max_calls: int) -> None:
        """Show ``line``; repaint only what changed.

        The model hands out a line's view again, the same object, while nothing on
        the line changed: such a card is left as it is without building its text.
        """
        shape_changed = big != self.big or max_calls != self.max_calls
        if line is not None and line is self.line and not shape_changed:
            return
        self.line, self.big, self.max_calls = line, big, max_calls
        self._style_frame(line)
        self.set_class(big, "-big")
        repaint, layout = self._build()
        if repaint or shape_changed:
            self.refresh(layout=layout or shape_changed)

    def _style_frame(self, line: LineView | None) -> None:
        snap = line.snapshot if line else None
        style = pace_style(snap.pace if snap else None)
        for css in PACE_CLASSES:
            self.set_class(css == style.css, css)
        # The border follows the counting station: the figures are only as fresh as it is.
        if line is None:
            link = Link.UNKNOWN
        elif line.counting is not None:
            link = line.counting.link
        else:
            link = line.link
        for css in LINK_CLASSES:
            self.set_class(css == f"link-{link.value}", css)
        self.set_class(bool(line and line.line_stopped), "-stopped")
        if line is None or snap is None:
            subtitle = NO_DATA_STYLE.text(self.tr)
        elif line.counting is not None and line.counting.link is not Link.OK:
            subtitle = LINK_STYLES[line.counting.link].text(self.tr)
        else:
            subtitle = style.text(self.tr)
        if subtitle != self.border_subtitle:
            self.border_subtitle = subtitle

    def _build(self) -> tuple[bool, bool]:
        """Build the content at the current width; ``(repaint, layout)``."""
        line = self.line
        width = max(20, self.content_size.width)
        if line is None:
            text = Text(self.tr.gettext("Waiting for data…"), "italic")
            return self._content.offer(text, (text, None), 1, width)
        details = self._details(line, width)
        rows = details.plain.count("\n") + 1
        if self.big and line.snapshot is not None:
            snap = line.snapshot
            figures_key = (snap.good, snap.planned, snap.difference, snap.pace, line.line_stopped)
            content = Group(big_figures(line, self.tr), Text(""), details)
            return self._content.offer(content, (details, figures_key), None, width)
        return self._content.offer(details, (details, None), rows, width)

    def render(self) -> RenderableType:
        if self._content.renderable is None or self._content.width != max(
            20, self.content_size.width
        ):
            self._build()
        assert self._content.renderable is not None
        return self._content.renderable

    def summary_rows(self, line: LineView | None, width: int) -> int:
        """Rows of the card without its calls (border, figures, trend and stations) when
        its content is ``width`` cells wide."""
        if line is None:
            return 3
        return self._summary(line, max(20, width)).plain.count("\n") + 3

    def _summary(self, line: LineView, width: int) -> Text:
        """Figures, then trend, hours without a cause and stations."""
        tr = self.tr
        snap = line.snapshot
        out = figures(line, tr, width)
        colour = PACE_COLOURS[pace_style(snap.pace if snap else None).css]
        info = [
            Text(tr.gettext("Trend") + " ", "dim")
            + Text(sparkline(line.trend, 30 if width > 100 else 16) or "–", colour)
        ]
        if line.unexplained_hours:
            count = line.unexplained_hours
            info.append(
                Text(
                    tr.ngettext(
                        "⚠ {count} hour needs a cause", "⚠ {count} hours need a cause", count
                    ).format(count=count),
                    "bold yellow",
                )
            )
        info += station_items(line, tr)
        if snap is not None and snap.shift is not None and width > 100:
            name = self.catalogue.shift_name(snap.shift.name)
            info.append(Text(shift_text(snap.shift, self.zone, tr, name), "dim"))
        out.append("\n")
        out.append_text(pack_tight(info, width))
        return out

    def _details(self, line: LineView, width: int) -> Text:
        tr = self.tr
        out = self._summary(line, width)
        calls = line.open_calls
        if not calls:
            out.append("\n" + tr.gettext("No open calls"), "dim")
        limit = max(1, self.max_calls)
        shown = calls if len(calls) <= limit else calls[: limit - 1]
        for call in shown:
            text = call_line(call, self.catalogue, tr)
            text.truncate(width, overflow="ellipsis")
            out.append("\n")
            out.append_text(text)
        if len(shown) < len(calls):
            hidden = len(calls) - len(shown)
            more = tr.ngettext(
                "… {count} more open call (c)", "… {count} more open calls (c)", hidden
            )
            out.append("\n" + more.format(count=hidden), "italic")
        return out
