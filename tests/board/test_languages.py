"""The board in the plant's language: a station's refusal reads in Chinese and German."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from tests.board.conftest import AppFactory
from tests.board.pilot import RecordingSender, redraw, run, screen_text
from tests.board.test_screens import A1, reply, station_seq

EXPECTED = {
    "en": "✕ a1 refused resolve line-a.a1.C1: call line-a.a1.C1 is already resolved",
    "zh_CN": "a1 拒绝了解决 line-a.a1.C1",
    "de": "a1 hat Erledigen line-a.a1.C1 abgelehnt",
}


@pytest.mark.parametrize("language", EXPECTED)
def test_a_refused_command_is_told_in_the_boards_language(
    make_app: AppFactory, sender: RecordingSender, language: str
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        await pilot.press("r", "enter")  # resolve the equipment call with the first reason
        (command,) = sender.sent
        reason = "call line-a.a1.C1 is already resolved"
        reply(app, A1, command.command_id, False, station_seq(app, A1), reason)
        await redraw(pilot)
        text = screen_text(app)
        assert EXPECTED[language] in text
        if language != "en":
            assert reason not in text  # the station's English refusal is translated too

    run(make_app(start_mode="calls", language=language), check, size=(160, 24))
