"""The head of the line screen: figures, pace and the shift's KPIs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from andon.board.formatting import duration, pace_style, percent, shift_text
from andon.board.views import LineView
from andon.board.widgets.line_card import figures, item, pack, pack_tight, station_items
from andon.i18n import Translator
from andon.i18n.vocabulary import FIGURE_WORDS, NO_DATA, NOT_JUDGED


class LineSummary(Widget):
    """Pace word and symbol with the stations, figures, availability / performance /
    quality / OEE: three rows where the width allows it."""

    line: reactive[LineView | None] = reactive(None, repaint=False)
    """Repaints only when the text changes, with a layout only when its rows do."""

    def __init__(
        self,
        zone: tzinfo,
        tr: Translator,
        *,
        shifts: Mapping[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.tr = tr
        self.shifts: Mapping[str, str] = shifts or {}
        """Each shift's name in ``tr``'s language, by its key."""
        self._shown = Text()

    def watch_line(self) -> None:
        text = self.render()
        if text != self._shown:
            rows = self._shown.plain.count("\n"), text.plain.count("\n")
            self._shown = text
            self.refresh(layout=rows[0] != rows[1])

    def render(self) -> Text:
        return self.text(self.content_size.width or 1000)

    def text(self, width: int) -> Text:
        """The summary at ``width`` cells (its rows are its lines)."""
        tr = self.tr
        _ = tr.gettext
        line = self.line
        if line is None:
            return Text(_("No such line."))
        snap = line.snapshot
        out = self._head(line, width)
        out.append("\n")
        out.append_text(figures(line, tr, width, kpis=False))
        kpi = line.kpi
        out.append("\n")
        if kpi is None and snap is None:
            out.append(f"? {_(NO_DATA)}", "italic")  # the counting station sent no state yet
        elif kpi is None and snap is not None and snap.in_shift:
            # too early in the shift to judge (docs/figures.md): dashes, never 0 %
            out.append_text(
                _shortest(
                    [
                        [*(item(n, percent(None, tr)) for n in names), _not_judged(tr)]
                        for names in (self._kpi_names(short) for short in (False, True))
                    ],
                    width,
                )
            )
        elif kpi is None:
            out.append(_("KPIs: not in a shift"), "dim")
        else:
            values = (
                percent(kpi.availability, tr),
                percent(kpi.performance, tr),
                percent(kpi.quality, tr),
                percent(kpi.oee, tr),
                duration(kpi.downtime_s),
                duration(kpi.minor_stop_s),
            )
            ways = []
            for short in (False, True):
                names = (*self._kpi_names(short), *self._time_names(short))
                items = [item(name, value) for name, value in zip(names, values, strict=True)]
                if snap is not None and snap.scrap:
                    items.append(item(_("Scrap"), str(snap.scrap)))
                ways.append(items)
            out.append_text(_shortest(ways, width))
        return out

    def _head(self, line: LineView, width: int) -> Text:
        """``Assembly line A  ▼ TOO SLOW  ·  shift early 06:00–14:00  Stations a1 ✓``:
        the stations on a row of their own when they do not fit beside the shift."""
        tr = self.tr
        snap = line.snapshot
        head = Text()
        style = pace_style(snap.pace if snap else None)
        head.append(f"{line.name}  ", "bold")
        head.append(style.text(tr), "bold")
        if snap is not None and snap.shift is not None:
            name = self.shifts.get(snap.shift.name)
            head.append(f"  ·  {shift_text(snap.shift, self.zone, tr, name)}", "dim")
        stations = pack([Text(tr.gettext("Stations"), "dim"), *station_items(line, tr)], width)
        if "\n" not in stations.plain and head.cell_len + 2 + stations.cell_len <= width:
            return head + Text("  ") + stations
        return head + Text("\n") + stations

    def _kpi_names(self, short: bool) -> tuple[str, str, str, str]:
        _ = self.tr.gettext
        if short:
            # TRANSLATORS: the short forms, for a row of KPIs that has no room for the long ones
            return (_("Avail"), _("Perf"), _("Qual"), self.tr.pgettext("short", "OEE"))
        names = ("availability", "performance", "quality", "oee")
        return tuple(_(FIGURE_WORDS[name]) for name in names)  # type: ignore[return-value]

    def _time_names(self, short: bool) -> tuple[str, str]:
        if short:
            pgettext = self.tr.pgettext
            return (pgettext("short", "Downtime"), pgettext("short", "Minor stops"))
        return (self.tr.gettext("Downtime"), self.tr.gettext("Minor stops"))


def _not_judged(tr: Translator) -> Text:
    return Text(f"○ {tr.gettext(NOT_JUDGED)}", "dim")


def _shortest(ways: list[list[Text]], width: int) -> Text:
    """The first of ``ways`` (items packed at ``width``) that takes the fewest rows."""
    packed = [pack_tight(items, width) for items in ways]
    return min(packed, key=lambda text: text.plain.count("\n"))
