"""A row-cursor table whose rows are replaced as a whole, keeping the cursor on its row."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text
Row = tuple[str, Sequence[Cell]]


class KeyedTable(DataTable[Cell]):
    """Rows are ``(key, cells)``; :meth:`set_rows` redraws and the cursor follows its key."""

    def __init__(self, columns: Sequence[tuple[str, int | None]], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = columns
        self._shown: list[Row] = []

    def on_mount(self) -> None:
        for label, width in self._columns:
            self.add_column(label, width=width, key=label)

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show ``rows``; nothing happens when they did not change."""
        rows = list(rows)
        if rows == self._shown:
            return
        selected = self.selected_key
        self._shown = rows
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        keys = [key for key, _ in rows]
        if selected in keys:
            self.move_cursor(row=keys.index(selected), animate=False)

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor (``None`` for an empty table)."""
        if not self._shown or self.row_count == 0:
            return None
        row = min(max(self.cursor_row, 0), len(self._shown) - 1)
        return self._shown[row][0]
