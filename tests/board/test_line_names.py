"""The Calls and Store screens name each call's line as the plant file does (pilot, no broker)."""

from __future__ import annotations

from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.domain import events as ev
from tests.board.conftest import AppFactory
from tests.board.pilot import redraw, run, screen_text
from tests.board.test_screens import event, station_seq

B1 = "demo-plant/assembly/line-b/b1"
LINE_IDS = ("line-a", "line-b", "line-c")


async def _call_on_line_b(pilot: Pilot[None]) -> BoardApp:
    """The morning's calls are all on line A: one more, a material call at b1."""
    app = pilot.app
    assert isinstance(app, BoardApp)
    raised = ev.CallRaised(
        at=app.clock(), call_id="line-b.b1.C9", call_type="material", source="board", part="P-1001"
    )
    event(app, B1, station_seq(app, B1) + 1, raised)
    await redraw(pilot)
    return app


def _rows(text: str, marker: str) -> list[str]:
    return [line for line in text.splitlines() if marker in line]


def test_calls_screen_rows_show_the_configured_line_names(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = await _call_on_line_b(pilot)
        text = screen_text(app)
        assert "Open calls: 4" in text
        assert not any(line_id in text for line_id in LINE_IDS)
        rows = {row.split()[1]: row for row in _rows(text, " L")}
        for kind in ("Equipment", "Help"):
            assert "Assembly line A" in rows[kind]
        material = _rows(text, "Material")
        assert len(material) == 2
        assert sorted("PCB line B" in row for row in material) == [False, True]

    run(make_app(start_mode="calls"), check, size=(120, 24))


def test_a_narrow_calls_screen_wraps_a_long_line_name(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = await _call_on_line_b(pilot)
        lines = screen_text(app).splitlines()
        assert not any(line_id in line for line in lines for line_id in LINE_IDS)
        help_row = next(i for i, line in enumerate(lines) if "Help" in line)
        assert "Assembly" in lines[help_row] and "line A" in lines[help_row + 1]
        material = [i for i, line in enumerate(lines) if "PCB" in line.split()]
        assert len(material) == 1 and "Material" in lines[material[0]]
        assert lines[material[0] + 1].split()[:2] == ["line", "B"]  # the letter with its word

    run(make_app(start_mode="calls"), check, size=(80, 24))


def test_store_screen_rows_show_the_configured_line_names(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = await _call_on_line_b(pilot)
        text = screen_text(app)
        assert not any(line_id in text for line_id in LINE_IDS)
        rows = _rows(text, "P-1001")
        assert len(rows) == 2
        assert "Assembly line A" in rows[0] and "a1" in rows[0]
        assert "PCB line B" in rows[1] and "b1" in rows[1]

    run(make_app("store.toml"), check, size=(120, 24))
