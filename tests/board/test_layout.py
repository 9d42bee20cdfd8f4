"""The board's layout at 80×24 up to 200×60: every key reachable, nothing cut that has room,
every hour of a night shift, scanner health in diagnostics, and no import circle."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.health_rows import scanner_rows
from andon.board.widgets.key_bar import Key, fit_keys
from andon.board.widgets.keyed_table import KeyedTable
from andon.i18n import translator
from tests.board.conftest import AppFactory
from tests.board.night import NIGHT_NOW, night_model
from tests.board.pilot import RecordingSender, SetClock, run, screen_text
from tests.board.scenario import catalogue

EN = translator("en")
BOARD = Path(__file__).resolve().parents[2] / "andon" / "board"
MODES = ["overview", "line", "calls", "store", "station", "diagnostics"]


@pytest.mark.parametrize("mode", MODES)
def test_at_80_by_24_the_footer_keeps_quit_and_diagnostics(make_app: AppFactory, mode: str):
    app = make_app(start_mode=mode)

    async def check(pilot: Pilot[None]) -> None:
        footer = screen_text(app).splitlines()[-1]
        assert "q Quit" in footer
        assert "d Diagnostics" in footer

    run(app, check, size=(80, 24))


def test_the_footer_drops_screen_switches_before_the_screens_own_keys():
    keys = [
        Key("e", "Record cause", "record_cause", None, 1),  # type: ignore[arg-type]
        Key("o", "Overview", "switch_mode('overview')", None, 3),  # type: ignore[arg-type]
        Key("d", "Diagnostics", "switch_mode('diagnostics')", None, 2),  # type: ignore[arg-type]
        Key("q", "Quit", "quit", None, 0),  # type: ignore[arg-type]
    ]
    assert [k.display for k in fit_keys(keys, 200)] == ["e", "o", "d", "q"]
    assert [k.display for k in fit_keys(keys, 40)] == ["e", "d", "q"]
    assert [k.display for k in fit_keys(keys, 25)] == ["e", "q"]
    assert [k.display for k in fit_keys(keys, 3)] == ["q"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 48), (200, 60)])
def test_the_line_screen_shows_details_whole_at_every_size(make_app: AppFactory, size):
    """The cause and reason columns take the room left and wrap; nothing scrolls sideways."""
    app = make_app(start_mode="line")
    app.line_id = "line-b"

    async def check(pilot: Pilot[None]) -> None:
        lines = screen_text(app).splitlines()
        assert "Downtime 19:00" in " ".join(" ".join(lines).split())
        hours = app.screen.query_one("#hours", KeyedTable).region
        inside = [line[hours.x : hours.right] for line in lines[hours.y : hours.bottom]]
        assert "Operator in training (Jonas Weber)" in " ".join(" ".join(inside).split())
        for table in app.screen.query(KeyedTable):
            if table.region.area == 0:
                continue  # hidden: line B's stops all have their reasons, none waits
            assert table.virtual_size.width <= table.size.width, table.id

    run(app, check, size=size)


@pytest.mark.parametrize("size", [(160, 48), (200, 60)])
def test_on_wide_screens_the_flexible_columns_grow(make_app: AppFactory, size):
    app = make_app(start_mode="line")

    async def check(pilot: Pilot[None]) -> None:
        hours = app.screen.query_one("#hours", KeyedTable)
        assert hours.widths()[-1] >= size[0] // 2 - 60

    run(app, check, size=size)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_a_night_shift_shows_every_hour_since_22(size):
    cat = catalogue("board.toml")
    model, sender, clock = night_model(cat), RecordingSender(), SetClock(NIGHT_NOW)
    app = BoardApp(cat, model=model, sender=sender, clock=clock, start_mode="line")
    app.line_id = "line-c"

    async def check(pilot: Pilot[None]) -> None:
        hours = app.screen.query_one("#hours", KeyedTable)
        assert hours.row_count == 8
        text = screen_text(app)
        for start in range(22, 30):
            span = f"{start % 24:02d}:00–{(start + 1) % 24:02d}:00"
            assert span in text

    run(app, check, size=size)


def test_diagnostics_show_each_scanner_of_a_station(make_app: AppFactory):
    health = {
        "scanners": {
            "badge": {
                "connected": False,
                "last_scan_at": "2026-11-25T09:28:00Z",
                "scans": 12,
                "rejected": 3,
                "errors": 1,
                "last_error": "port vanished",
            },
            "odd": "not an object",
        }
    }
    rows = scanner_rows("line-a/a1", health, datetime(2026, 11, 25, 9, 30, tzinfo=UTC), EN)
    cells = {key: [str(c) for c in row] for key, row in rows}
    assert cells["line-a/a1#badge"] == [
        "line-a/a1", "badge", "✕ LOST", "2 min", "12", "3", "1", "port vanished",
    ]  # fmt: skip
    assert cells["line-a/a1#odd"][2:] == ["–", "never", "–", "–", "–", ""]
    assert scanner_rows("x", {"scanners": [1, 2]}, datetime.now(UTC), EN) == []


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_screen_or_widget_imports_the_app():
    """The app imports its screens; a screen reaching back (even for typing) is a circle."""
    for folder in ("screens", "widgets"):
        for path in (BOARD / folder).glob("*.py"):
            assert "andon.board.app" not in _imports(path), path
    assert "andon.board.app" not in _imports(BOARD / "host.py")


@pytest.mark.parametrize("language", ["en", "zh_CN", "zh_TW", "de"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
def test_no_diagnostics_table_is_wider_than_the_screen(
    make_app: AppFactory, language: str, size: tuple[int, int]
):
    """Below 120 columns the scanners table puts station and scanner in one cell and
    leaves out the count of scans, so its last error still has room at 80 columns."""
    app = make_app(start_mode="diagnostics", language=language)
    tr = translator(language)

    async def check(pilot: Pilot[None]) -> None:
        for table in app.screen.query(KeyedTable):
            assert table.max_scroll_x == 0, (table.id, table.virtual_size, table.size)
        scanners = app.screen.query_one("#scanners", KeyedTable)
        labels = [str(column.label) for column in scanners.columns.values()]
        assert labels[-1] == tr.gettext("Last error")
        assert (tr.gettext("Scans") in labels) == (size[0] >= 120)
        assert "control" in screen_text(app)  # the badge scanner's last error

    run(app, check, size=size)


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW", "de", "en"])
@pytest.mark.parametrize("mode", ["overview", "line"])
def test_oee_never_starts_a_row_of_figures_on_its_own(
    make_app: AppFactory, language: str, mode: str
):
    """Rows of figures write OEE short (设备综合效率 is twelve cells): it stays beside
    the figure before it instead of wrapping onto a row of its own at 80 columns."""
    app = make_app(start_mode=mode, language=language)
    tr = translator(language)
    words = {tr.pgettext("short", "OEE"), tr.gettext("OEE")}

    async def check(pilot: Pilot[None]) -> None:
        for row in screen_text(app).splitlines():
            first = row.strip(" ┃│").split(" ")[0]
            assert first not in words, row

    run(app, check, size=(80, 24))


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "taken by Lena Fischer, raised 10:10"),
        ("zh_CN", "Lena Fischer 已接收，10:10 呼叫"),
        ("zh_TW", "Lena Fischer 已接收，10:10 呼叫"),
        ("de", "übernommen von Lena Fischer, gerufen 10:10"),
    ],
)
def test_who_took_a_call_and_when_it_was_raised_is_one_sentence(
    make_app: AppFactory, language: str, sentence: str
):
    """The Calls screen's details say it as the language orders it, not from pieces."""
    app = make_app(start_mode="calls", language=language)

    async def check(pilot: Pilot[None]) -> None:
        assert sentence in screen_text(app)

    run(app, check, size=(200, 60))
