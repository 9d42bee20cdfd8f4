"""The Pareto chart's labels and rows: a label takes the width it needs, a longer one is
cut by display width with …, never in the middle of a glyph; rows it lacks are summed up."""

from __future__ import annotations

import asyncio

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from andon.board.views import ParetoBar
from andon.board.widgets.pareto import FIGURE_CELLS, MIN_BAR, ParetoChart
from andon.i18n import translator
from tests.board.pilot import screen_text, settle

LONG = "Werkzeug gebrochen oder verschlissen, Spindel blockiert"  # 55 cells
CJK = "设备故障：主轴卡死，刀具破损或磨损，需要更换整套夹具并重新校准"  # 62 cells


class ChartApp(App[None]):
    CSS = "#box { height: auto; } #chart { height: auto; }"

    def __init__(self, bars: tuple[ParetoBar, ...], rows: int | None = None) -> None:
        super().__init__()
        self.bars, self.rows = bars, rows

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):  # as on the line screen: in a box as tall as its contents
            yield ParetoChart(translator("zh_CN"), id="chart")
            yield Label("below")

    def on_mount(self) -> None:
        chart = self.query_one(ParetoChart)
        chart.bars = self.bars
        if self.rows is not None:
            chart.limit(self.rows)


def shown(app: ChartApp, size: tuple[int, int]) -> list[str]:
    async def main() -> list[str]:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            rows = screen_text(app).splitlines()  # type: ignore[arg-type]
            return [row for row in rows if row.strip() and row.strip() != "below"]

    return asyncio.run(main())


def test_a_label_takes_the_width_it_needs_past_25_cells():
    rows = shown(ChartApp((ParetoBar(LONG, 600.0, 2), ParetoBar("Rüsten", 60.0, 1))), (120, 10))
    assert rows[0].startswith(LONG + " █"), rows


def test_a_label_longer_than_the_room_is_cut_by_display_width_with_an_ellipsis():
    width = 80
    rows = shown(ChartApp((ParetoBar(CJK, 600.0, 2),)), (width, 10))
    room = width - FIGURE_CELLS - MIN_BAR
    label = rows[0].split(" █")[0]
    assert label.endswith("…") and CJK.startswith(label[:-1]), rows
    assert room - 2 <= cell_len(label) <= room - 1  # a wide glyph that would not fit is left out
    assert all(cell_len(row) <= width for row in rows)


def test_bars_beyond_its_rows_are_summed_up_in_the_last():
    bars = tuple(ParetoBar(f"reason {i}", 60.0 * (10 - i), 1) for i in range(6))
    rows = shown(ChartApp(bars, rows=3), (80, 10))
    assert len(rows) == 3
    assert rows[0].startswith("reason 0") and rows[1].startswith("reason 1")
    more = translator("zh_CN").ngettext("… {count} more reason", "… {count} more reasons", 4)
    assert rows[2].startswith(more.format(count=4)) and "100%" in rows[2] and "×4" in rows[2]


def test_a_single_row_shows_the_longest_bar_not_a_sum():
    bars = tuple(ParetoBar(f"reason {i}", 60.0 * (10 - i), 1) for i in range(6))
    rows = shown(ChartApp(bars, rows=1), (80, 10))
    assert len(rows) == 1 and rows[0].startswith("reason 0"), rows


def test_a_chart_cut_short_grows_again_when_it_is_given_the_rows():
    few = tuple(ParetoBar(f"reason {i}", 60.0 * (10 - i), 1) for i in range(3))
    many = tuple(ParetoBar(f"reason {i}", 60.0 * (10 - i), 1) for i in range(8))
    app = ChartApp(few, rows=2)

    async def main() -> list[str]:
        async with app.run_test(size=(120, 20)) as pilot:
            await settle(pilot)
            chart = app.query_one(ParetoChart)
            chart.bars = many
            chart.limit(8)
            await settle(pilot)
            return [row for row in screen_text(app).splitlines() if row.strip()]  # type: ignore[arg-type]

    rows = asyncio.run(main())
    assert [row.split(" █")[0].strip() for row in rows] == [
        *(f"reason {i}" for i in range(8)),
        "below",
    ]
