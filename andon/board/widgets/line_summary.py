"""The head of the line screen: figures, pace and the shift's KPIs."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from andon.board.formatting import duration, pace_style, percent, shift_text
from andon.board.views import LineView
from andon.board.widgets.line_card import figures, item, pack, stations_line
from andon.i18n import Translator
from andon.i18n.vocabulary import NO_DATA, NOT_JUDGED


class LineSummary(Widget):
    """Figures, pace word and symbol, availability / performance / quality / OEE."""

    line: reactive[LineView | None] = reactive(None, repaint=False)
    """Repaints only when the text changes, with a layout only when its rows do."""

    def __init__(self, zone: tzinfo, tr: Translator, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.tr = tr
        self._shown = Text()

    def watch_line(self) -> None:
        text = self.render()
        if text != self._shown:
            rows = self._shown.plain.count("\n"), text.plain.count("\n")
            self._shown = text
            self.refresh(layout=rows[0] != rows[1])

    def render(self) -> Text:
        tr = self.tr
        _ = tr.gettext
        line = self.line
        if line is None:
            return Text(_("No such line."))
        snap = line.snapshot
        out = Text()
        style = pace_style(snap.pace if snap else None)
        out.append(f"{line.name}  ", "bold")
        out.append(style.text(tr), "bold")
        if snap is not None and snap.shift is not None:
            out.append(f"  ·  {shift_text(snap.shift, self.zone, tr)}", "dim")
        out.append("\n")
        out.append_text(figures(line, tr, self.content_size.width or 1000))
        kpi = line.kpi
        out.append("\n")
        if kpi is None and snap is None:
            out.append(f"? {_(NO_DATA)}", "italic")  # the counting station sent no state yet
        elif kpi is None and snap is not None and snap.in_shift:
            # too early in the shift to judge (docs/figures.md): dashes, never 0 %
            names = (_("Availability"), _("Performance"), _("Quality"), _("OEE"))
            items = [item(name, percent(None, tr)) for name in names]
            items.append(Text(f"○ {_(NOT_JUDGED)}", "dim"))
            out.append_text(pack(items, self.content_size.width or 1000))
        elif kpi is None:
            out.append(_("KPIs: not in a shift"), "dim")
        else:
            items = [
                item(label, value)
                for label, value in (
                    (_("Availability"), percent(kpi.availability, tr)),
                    (_("Performance"), percent(kpi.performance, tr)),
                    (_("Quality"), percent(kpi.quality, tr)),
                    (_("OEE"), percent(kpi.oee, tr)),
                    (_("Downtime"), duration(kpi.downtime_s)),
                    (_("Minor stops"), duration(kpi.minor_stop_s)),
                )
            ]
            if snap is not None and snap.scrap:
                items.append(item(_("Scrap"), str(snap.scrap)))
            out.append_text(pack(items, self.content_size.width or 1000))
        out.append("\n")
        out.append_text(stations_line(line, tr, self.content_size.width or 1000))
        return out
