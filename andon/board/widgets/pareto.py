"""A Pareto chart of the shift's downtime by reason: bars, minutes, cumulative share."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from andon.board.formatting import bar, duration, percent
from andon.board.views import ParetoBar
from andon.i18n import Translator
from andon.i18n.width import fit, pad

SHARE_CELLS = 6
"""The cumulative share, right-aligned: ``100%`` (en, zh), ``100 %`` (de)."""


class ParetoChart(Widget):
    """Longest downtime first; reasons still missing are marked ⚠."""

    bars: reactive[tuple[ParetoBar, ...]] = reactive((), layout=True)

    def __init__(self, tr: Translator, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tr = tr

    def render(self) -> Text:
        text = Text()
        if not self.bars:
            return Text(self.tr.gettext("No downtime this shift."), "dim")
        total = sum(b.seconds for b in self.bars) or 1.0
        longest = self.bars[0].seconds or 1.0
        labels = [("⚠ " if b.unexplained else "") + b.label for b in self.bars]
        label_width = min(26, max(cell_len(label) for label in labels) + 1)
        width = max(4, self.content_size.width - label_width - 20)
        cumulative = 0.0
        for index, (item, label) in enumerate(zip(self.bars, labels, strict=True)):
            cumulative += item.seconds
            if index:
                text.append("\n")
            text.append(
                pad(fit(label, label_width - 1), label_width),
                "bold red" if item.unexplained else "",
            )
            text.append(bar(item.seconds / longest, width), "red" if item.unexplained else "cyan")
            text.append(f" {duration(item.seconds):>8}")
            share = percent(cumulative / total, self.tr)
            text.append(" " + pad(share, SHARE_CELLS, right=True), "dim")
            text.append(f" ×{item.stops}", "dim")
        return text
