"""The head of the line screen: figures, pace and the shift's KPIs."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from andon.board.formatting import clock, duration, pace_style, percent
from andon.board.views import LineView
from andon.board.widgets.line_card import figures, item, pack, stations_line
from andon.i18n.vocabulary import NO_DATA, NOT_JUDGED


class LineSummary(Widget):
    """Figures, pace word and symbol, availability / performance / quality / OEE."""

    line: reactive[LineView | None] = reactive(None, repaint=False)
    """Repaints only when the text changes, with a layout only when its rows do."""

    def __init__(self, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self._shown = Text()

    def watch_line(self) -> None:
        text = self.render()
        if text != self._shown:
            rows = self._shown.plain.count("\n"), text.plain.count("\n")
            self._shown = text
            self.refresh(layout=rows[0] != rows[1])

    def render(self) -> Text:
        line = self.line
        if line is None:
            return Text("No such line.")
        snap = line.snapshot
        out = Text()
        style = pace_style(snap.pace if snap else None)
        out.append(f"{line.name}  ", "bold")
        out.append(f"{style.symbol} {style.word}", "bold")
        if snap is not None and snap.shift is not None:
            out.append(
                f"  ·  shift {snap.shift.name} {clock(snap.shift.start, self.zone)}"
                f"–{clock(snap.shift.end, self.zone)}",
                "dim",
            )
        out.append("\n")
        out.append_text(figures(line, self.content_size.width or 1000))
        kpi = line.kpi
        out.append("\n")
        if kpi is None and snap is None:
            out.append(f"? {NO_DATA}", "italic")  # the counting station sent no state yet
        elif kpi is None and snap is not None and snap.in_shift:
            # too early in the shift to judge (docs/figures.md): dashes, never 0 %
            names = ("Availability", "Performance", "Quality", "OEE")
            items = [item(name, percent(None)) for name in names]
            items.append(Text(f"○ {NOT_JUDGED}", "dim"))
            out.append_text(pack(items, self.content_size.width or 1000))
        elif kpi is None:
            out.append("KPIs: not in a shift", "dim")
        else:
            items = [
                item(label, value)
                for label, value in (
                    ("Availability", percent(kpi.availability)),
                    ("Performance", percent(kpi.performance)),
                    ("Quality", percent(kpi.quality)),
                    ("OEE", percent(kpi.oee)),
                    ("Downtime", duration(kpi.downtime_s)),
                    ("Minor stops", duration(kpi.minor_stop_s)),
                )
            ]
            if snap is not None and snap.scrap:
                items.append(item("Scrap", str(snap.scrap)))
            out.append_text(pack(items, self.content_size.width or 1000))
        out.append("\n")
        out.append_text(stations_line(line, self.content_size.width or 1000))
        return out
