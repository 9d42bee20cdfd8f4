"""SVG snapshots of every screen at 80×24 and 200×60, on a fixed clock.

A changed screen fails with the path of the new SVG; when the change is
intended, rewrite the stored files with ``ANDON_UPDATE_SNAPSHOTS=1``.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.board.conftest import AppFactory
from tests.board.pilot import assert_snapshot, run

SIZES = {"small": (80, 24), "large": (200, 60)}
SCREENS = [
    ("overview", "board.toml", "overview"),
    ("line", "board.toml", "line"),
    ("calls", "board.toml", "calls"),
    ("maintenance", "maintenance.toml", None),
    ("store", "store.toml", None),
    ("station", "station-screen.toml", None),
    ("diagnostics", "board.toml", "diagnostics"),
    ("kiosk", "kiosk.toml", None),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "board", "mode"), SCREENS, ids=[s[0] for s in SCREENS])
def test_screen_looks_as_stored(
    make_app: AppFactory, name: str, board: str, mode: str | None, size: str
) -> None:
    app = make_app(board, start_mode=mode)

    async def check(pilot: Pilot[None]) -> None:
        assert_snapshot(app, f"{name}-{size}")

    run(app, check, size=SIZES[size])
