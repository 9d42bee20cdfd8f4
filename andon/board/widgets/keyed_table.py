"""A row-cursor table whose rows are replaced as a whole, keeping the cursor on its row.

Columns have a width in terminal cells, or ``None`` for the one flexible column that takes
the room left: it grows with the screen, and a cell longer than it wraps onto more lines
instead of being cut off. Widths count cells (a CJK glyph takes two), never characters.
A fixed column is as wide as the widest word of its cells while the flexible column can
spare the room, and its cells wrap at spaces and between CJK glyphs
(:func:`andon.i18n.width.line_spans`): ``Kabelbaumlinie C``, ``电路板`` / ``线 B``, never
``Kabelbau`` / ``mlinie C``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from andon.i18n import Translator
from andon.i18n.width import line_spans, widest_word

Cell = str | Text
Row = tuple[str, Sequence[Cell]]
Column = tuple[str, int | None]

MIN_FLEX = 12
"""The flexible column is never narrower than this, even when the table must scroll."""

ROOMY_FLEX = 2 * MIN_FLEX
"""A stretching column takes room only from a flexible column wider than this."""


def cell_width(cell: Cell) -> int:
    """The widest line of ``cell`` in terminal cells."""
    plain = cell.plain if isinstance(cell, Text) else cell
    return max((cell_len(part) for part in plain.split("\n")), default=0)


def wrapped(cell: Cell, width: int) -> Cell:
    """``cell`` in lines of at most ``width`` cells broken between words (its styles kept);
    as it is when it fits or already has its own lines."""
    plain = cell.plain if isinstance(cell, Text) else cell
    if "\n" in plain or cell_len(plain) <= width:
        return cell
    spans = line_spans(plain, width)
    if isinstance(cell, Text):
        return Text("\n").join(cell[start:end] for start, end in spans)
    return "\n".join(plain[start:end] for start, end in spans)


class Measure(NamedTuple):
    """The widest texts of a column's cells, in terminal cells."""

    word: int
    """The widest word (:func:`andon.i18n.width.widest_word`, not glued)."""
    name: int
    """The widest word with a name's short last word glued to it (``Kabelbaumlinie C``)."""
    cell: int
    """The widest cell."""


NOTHING = Measure(0, 0, 0)


def measured(rows: Sequence[Row]) -> dict[int, Measure]:
    """Column index → the widest words and cell of that column in ``rows``."""
    found: dict[int, Measure] = {}
    for _, cells in rows:
        for i, cell in enumerate(cells):
            plain = cell.plain if isinstance(cell, Text) else cell
            parts = plain.split("\n")
            word = max(widest_word(part, glued=False) for part in parts)
            name = max(widest_word(part) for part in parts)
            known = found.get(i, NOTHING)
            found[i] = Measure(
                max(known.word, word), max(known.name, name), max(known.cell, cell_width(cell))
            )
    return found


class KeyedTable(DataTable[Cell]):
    """Rows are ``(key, cells)``; :meth:`set_rows` redraws and the cursor follows its key."""

    def __init__(
        self,
        columns: Sequence[tuple[str, int | None]],
        *,
        id: str | None = None,
        stretch: tuple[str, int] | None = None,
    ) -> None:
        """``stretch``: a fixed column's label and the width it grows to when the
        flexible column has room to spare (:data:`ROOMY_FLEX`); narrower, its cells wrap."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = list(columns)
        self._stretch = stretch
        self._shown: list[Row] = []
        self._flex_width: int | None = None
        self._measured: dict[int, Measure] = {}
        """The widest word and cell of each column's shown rows (:func:`measured`)."""

    def on_mount(self) -> None:
        self._build_columns()

    def on_resize(self, _: events.Resize) -> None:
        if self.flex_width() != self._flex_width:
            self._build_columns()
            self._fill(self._shown)

    def set_columns(self, columns: Sequence[tuple[str, int | None]]) -> None:
        """Change the column labels (another language) and redraw."""
        columns = list(columns)
        if columns == self._columns:
            return
        self._columns = columns
        if self.is_mounted:
            self._build_columns()
            self._fill(self._shown)

    def widths(
        self, width: int | None = None, sizes: dict[int, Measure] | None = None
    ) -> list[int]:
        """Each fixed column wide enough for its label and for the widest word of its cells
        (``sizes``: of the shown rows by default, :func:`measured`), the room taken from the
        flexible column while it keeps :data:`MIN_FLEX`, then from what other fixed columns
        have beyond their label and widest cell; the flexible one gets the rest (of the
        table's width, or of ``width``)."""
        fixed = [max(w, cell_len(label)) if w is not None else 0 for label, w in self._columns]
        flex = self.flex_width(width)
        sizes = self._measured if sizes is None else sizes
        if flex:
            flex = self._fit_words(fixed, flex, sizes)
        for i, (label, size) in enumerate(self._columns):
            if self._stretch is not None and label == self._stretch[0] and size is not None:
                grown = min(max(0, self._stretch[1] - fixed[i]), max(0, flex - ROOMY_FLEX))
                fixed[i] += grown
                flex -= grown
        return [flex if w is None else fixed[i] for i, (_, w) in enumerate(self._columns)]

    def _fit_words(self, fixed: list[int], flex: int, sizes: dict[int, Measure]) -> int:
        """Widen ``fixed`` (in place) for the widest words, then for the names' words with
        their last letter; the flexible width left."""
        floor = MIN_FLEX
        spare = []
        for i, (label, size) in enumerate(self._columns):
            kept = max(cell_len(label), sizes.get(i, NOTHING).cell)
            if size is None:
                floor = min(MIN_FLEX, kept)
            spare.append(max(0, fixed[i] - kept) if size is not None else 0)
        for wanted in ("word", "name"):
            for i, (_, size) in enumerate(self._columns):
                want = getattr(sizes.get(i, NOTHING), wanted)
                need = max(0, want - fixed[i]) if size is not None else 0
                if not need:
                    continue
                grown = min(need, max(0, flex - floor))
                flex -= grown
                for j in range(len(fixed)):
                    taken = min(spare[j], need - grown) if j != i else 0
                    spare[j] -= taken
                    fixed[j] -= taken
                    grown += taken
                fixed[i] += grown
                spare[i] = max(0, spare[i] - grown)
        return flex

    def flex_width(self, width: int | None = None) -> int:
        """The width of the flexible column at the table's current size (or ``width``),
        before a stretching column takes its part of it."""
        padding = 2 * self.cell_padding
        used = sum(max(w, cell_len(label)) + padding for label, w in self._columns if w is not None)
        flexible = sum(1 for _, w in self._columns if w is None)
        if not flexible:
            return 0
        size = self.size.width if width is None else width
        room = size - self.styles.scrollbar_size_vertical - used - padding
        return max(MIN_FLEX, room)

    def row_heights(self, rows: Sequence[Row], width: int) -> list[int]:
        """The rows each of ``rows`` takes in a table ``width`` cells wide: one, or the
        lines a cell wider than its column wraps onto."""
        widths = self.widths(width, measured(rows))
        console = self.app.console
        heights = []
        for _, cells in rows:
            lines = 1
            for cell, column, (_, size) in zip(cells, widths, self._columns, strict=False):
                shown = wrapped(cell, column) if size is not None else cell
                if shown is not cell or cell_width(cell) > column:
                    text = shown if isinstance(shown, Text) else Text(shown)
                    lines = max(lines, len(text.wrap(console, column)))
            heights.append(lines)
        return heights

    def _build_columns(self) -> None:
        self._flex_width = self.flex_width()
        self.clear(columns=True)
        for (label, _), width in zip(self._columns, self.widths(), strict=True):
            self.add_column(label, width=width, key=label)

    def _fill(self, rows: Sequence[Row]) -> None:
        selected = self.selected_key
        self.clear()
        widths = self.widths()
        for key, cells in rows:
            shown = [
                wrapped(cell, width) if size is not None else cell
                for cell, width, (_, size) in zip(cells, widths, self._columns, strict=False)
            ]
            tall = any(
                cell_width(cell) > width or cell is not row
                for cell, row, width in zip(shown, cells, widths, strict=False)
            )
            self.add_row(*shown, key=key, height=None if tall else 1)
        keys = [key for key, _ in rows]
        if selected in keys:
            self.move_cursor(row=keys.index(selected), animate=False)

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show ``rows``; nothing happens when they did not change."""
        rows = list(rows)
        if rows == self._shown:
            return
        sizes = measured(rows)
        if sizes != self._measured:
            before = self.widths()
            self._measured = sizes
            if self.is_mounted and self.widths() != before:
                self._build_columns()
        self._fill(rows)
        self._shown = rows

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor (``None`` for an empty table)."""
        if not self._shown or self.row_count == 0:
            return None
        row = min(max(self.cursor_row, 0), len(self._shown) - 1)
        return self._shown[row][0]


def translated(columns: Sequence[tuple[str, int | None]], tr: Translator) -> list[Column]:
    """Column labels (marked for the catalogs) in ``tr``'s language, widths as given."""
    return [(tr.gettext(label), width) for label, width in columns]
