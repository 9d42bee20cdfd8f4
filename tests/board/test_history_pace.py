"""The History screen's pace periods are ``andon report``'s, for the same line and period.

A real SQLite history (tests/support/pace_history.py): line A's late shift ran too
fast on 2026-03-04 and too slow a week before. At 16:00 the board compares the late
shift so far with the same shift last week up to 16:00; ``andon report`` is asked
for the same two ranges, and each cell of the screen must be the report's seconds
and share, written the board's way.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import duration, signed_duration
from andon.config.loader import load_board
from andon.i18n import formats, translator
from tests.board.live import until_text
from tests.board.pilot import SetClock, run, screen_text, settle
from tests.support.pace_history import pace_history
from tests.support.stations import DEMO

FOUR = datetime(2026, 3, 4, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
ROWS = {"en": ("Too fast", "Too slow", "Normal pace", "Not judged"), "de": (
    "Zu schnell", "Zu langsam", "Normales Tempo", "Nicht bewertet"
)}  # fmt: skip
KEYS = ("too_fast", "too_slow", "normal", "not_judged")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> str:
    return pace_history(tmp_path_factory.mktemp("pace-history"))


def reported(history: str, start: str, end: str) -> dict:
    """``andon report --format json``'s pace periods of line A from ``start`` to ``end``."""
    done = subprocess.run(
        [sys.executable, "-m", "andon", "report", "--config", str(DEMO), "--database", history,
         "--line", "line-a", "--from", start, "--to", end, "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["summary"]["pace"]["all"]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_history_screen_shows_the_pace_periods_of_the_report(
    history: str, language: str
) -> None:
    now = reported(history, "2026-03-04T14:00", "2026-03-04T16:00")
    before = reported(history, "2026-02-25T14:00", "2026-02-25T16:00")
    # the late shift so far: 14:05 to 16:00 is planned working time, judged from 14:15
    assert now["seconds"] == {
        "too_fast": 4_506.0, "too_slow": 0.0, "normal": 1_794.0, "not_judged": 600.0
    }  # fmt: skip
    assert before["seconds"]["too_slow"] == 5_910.0 and before["seconds"]["too_fast"] == 0.0
    board = BoardCatalogue.from_board(load_board(DEMO / "board.toml"), language)
    app = BoardApp(replace(board, history=history), clock=SetClock(FOUR))
    tr = translator(language)

    def cell(pace: dict, key: str) -> str:
        share = formats.percent(pace["share"][key], language, digits=1)
        return tr.gettext("{time} {share}").format(time=duration(pace["seconds"][key]), share=share)

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await until_text(pilot, ROWS[language][0])
        await settle(pilot)
        rows = screen_text(pilot.app).splitlines()
        for key, label in zip(KEYS, ROWS[language], strict=True):
            row = next(r for r in rows if r.strip().startswith(label))
            cells = [c.strip() for c in row.strip()[len(label) :].split("  ") if c.strip()]
            change = signed_duration(now["seconds"][key] - before["seconds"][key], tr)
            assert cells == [cell(now, key), cell(before, key), change], row

    run(app, check, size=(120, 40))
