"""Every board screen as text at 80×24, 120×40 and 200×60, on a fixed clock, compared
with ``snapshots/text/``.

The board is fed with the scripted morning of :mod:`tests.board.scenario` and its
clock stands at 10:30, so the screens are the same on every run. A changed screen
fails with a diff; when the change is intended, rewrite the stored files with
``ANDON_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/board/test_text_snapshots.py``
and review the diff of ``tests/board/snapshots/text/`` before committing it.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.board.conftest import AppFactory
from tests.board.pilot import assert_text_snapshot, run, scrolled, settle

SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x60": (200, 60)}
SCREENS = [
    # name, board file, start mode, keys pressed before the snapshot
    ("overview", "board.toml", "overview", ()),
    ("line", "board.toml", "line", ()),
    ("reason-picker", "board.toml", "line", ("e",)),
    ("calls", "board.toml", "calls", ()),
    ("maintenance", "maintenance.toml", None, ()),
    ("store", "store.toml", None, ()),
    ("station", "station-screen.toml", None, ()),
    ("call-picker", "station-screen.toml", None, ("n",)),
    ("diagnostics", "board.toml", "diagnostics", ()),
    ("kiosk", "kiosk.toml", None, ()),
]


def snapshot_test(
    make_app: AppFactory,
    board: str,
    mode: str | None,
    keys: tuple[str, ...],
    size: tuple[int, int],
    name: str,
    language: str = "en",
) -> None:
    """Open ``board`` in ``language``, press ``keys``, compare the screen with ``name``."""
    app = make_app(board, start_mode=mode, language=language)

    async def check(pilot: Pilot[None]) -> None:
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        assert_text_snapshot(app, name)

    run(app, check, size=size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("name", "board", "mode", "keys"), SCREENS, ids=[screen[0] for screen in SCREENS]
)
def test_every_screen_reads_as_stored(
    make_app: AppFactory,
    name: str,
    board: str,
    mode: str | None,
    keys: tuple[str, ...],
    size: str,
) -> None:
    snapshot_test(make_app, board, mode, keys, SIZES[size], f"en/{name}-{size}")


LANGUAGES = ["zh_CN", "zh_TW", "de"]
LANGUAGE_SIZES = {"80x24": (80, 24), "200x60": (200, 60)}


@pytest.mark.parametrize("size", LANGUAGE_SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("name", "board", "mode", "keys"), SCREENS, ids=[screen[0] for screen in SCREENS]
)
def test_every_screen_reads_as_stored_in_every_language(
    make_app: AppFactory,
    name: str,
    board: str,
    mode: str | None,
    keys: tuple[str, ...],
    language: str,
    size: str,
) -> None:
    """The same screens in Chinese (double-width glyphs) and German (long words)."""
    snapshot_test(
        make_app, board, mode, keys, LANGUAGE_SIZES[size], f"{language}/{name}-{size}", language
    )


SCROLLING = {"reason-picker", "diagnostics"}
"""Screens that scroll at 80×24 by design: the list of reasons to pick from, the
diagnostics tables. The line screen shares its rows out (andon/board/line_budget.py)."""
FITTING = [screen for screen in SCREENS if screen[0] not in SCROLLING]


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
@pytest.mark.parametrize(
    ("name", "board", "mode", "keys"), FITTING, ids=[screen[0] for screen in FITTING]
)
def test_every_screen_fits_80_by_24_in_every_language(
    make_app: AppFactory,
    name: str,
    board: str,
    mode: str | None,
    keys: tuple[str, ...],
    language: str,
) -> None:
    """Nothing of the scripted morning scrolls away or is cut off at 80×24, in any language."""
    app = make_app(board, start_mode=mode, language=language)

    async def check(pilot: Pilot[None]) -> None:
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        assert scrolled(app) == []

    run(app, check, size=(80, 24))
