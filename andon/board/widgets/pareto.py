"""A Pareto chart of the shift's downtime by reason: bars, minutes, cumulative share.

The chart takes as many rows as it has bars, or the rows its screen leaves it: when
the bars outnumber the rows, the longest are drawn and the last row sums up the rest
("… 3 more reasons"), so nothing scrolls away below the fold.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from andon.board.formatting import bar, duration, percent
from andon.board.views import ParetoBar
from andon.i18n import Translator
from andon.i18n.width import fit, pad

SHARE_CELLS = 6
"""The cumulative share, right-aligned: ``100%`` (en, zh), ``100 %`` (de)."""
FIGURE_CELLS = 1 + 8 + 1 + SHARE_CELLS + 4
"""After the bar: the downtime (``35:00``), the cumulative share and the count (``×15``)."""
MIN_BAR = 12
"""The bar keeps at least this many cells; the reason's label takes the rest it needs."""


class ParetoChart(Widget):
    """Longest downtime first; reasons still missing are marked ⚠."""

    bars: reactive[tuple[ParetoBar, ...]] = reactive((), layout=True)

    def __init__(self, tr: Translator, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tr = tr

    def watch_bars(self, bars: tuple[ParetoBar, ...]) -> None:
        # as tall as its bars at most: a screen that gives it ``height: 1fr`` (the rows left)
        # has it no taller than that, and shorter when the rows left are fewer
        self.styles.max_height = max(1, len(bars))

    def limit(self, rows: int) -> None:
        """No more than ``rows`` rows (at least one); the bars left out are summed up."""
        self.styles.max_height = max(1, min(rows, len(self.bars)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As tall as its bars (one row when there are none), ``max-height`` cutting it:
        measured from the bars, not from a rendering at the height it had before, so a
        chart cut short grows again when its screen gives it the rows."""
        return max(1, len(self.bars))

    def shown(self, rows: int) -> list[tuple[str, ParetoBar]]:
        """The bars that fit ``rows`` rows, each with its label: the longest first, the
        rest summed up in the last row when they do not all fit (one row: the longest)."""
        labels = [("⚠ " if b.unexplained else "") + b.label for b in self.bars]
        pairs = list(zip(labels, self.bars, strict=True))
        if rows <= 0 or len(pairs) <= rows:
            return pairs
        if rows == 1:  # no room for a sum beside it: the longest bar says more
            return pairs[:1]
        kept, rest = pairs[: rows - 1], [b for _, b in pairs[rows - 1 :]]
        label = self.tr.ngettext("… {count} more reason", "… {count} more reasons", len(rest))
        summed = ParetoBar(
            label.format(count=len(rest)),
            sum(b.seconds for b in rest),
            sum(b.stops for b in rest),
            any(b.unexplained for b in rest),
        )
        return [*kept, (summed.label, summed)]

    def render(self) -> Text:
        text = Text()
        if not self.bars:
            return Text(self.tr.gettext("No downtime this shift."), "dim")
        total = sum(b.seconds for b in self.bars) or 1.0
        longest = self.bars[0].seconds or 1.0
        rows = self.shown(self.content_size.height)
        room = self.content_size.width - FIGURE_CELLS - MIN_BAR
        label_width = max(4, min(max(cell_len(label) for label, _ in rows) + 1, room))
        width = max(4, self.content_size.width - label_width - FIGURE_CELLS)
        cumulative = 0.0
        for index, (label, item) in enumerate(rows):
            cumulative += item.seconds
            if index:
                text.append("\n")
            text.append(
                pad(fit(label, label_width - 1), label_width),
                "bold red" if item.unexplained else "",
            )
            fill = 0.0 if item is not self.bars[index] else item.seconds / longest
            text.append(bar(fill, width), "red" if item.unexplained else "cyan")
            text.append(f" {duration(item.seconds):>8}")
            share = percent(cumulative / total, self.tr)
            text.append(" " + pad(share, SHARE_CELLS, right=True), "dim")
            text.append(f" ×{item.stops}", "dim")
        return text
