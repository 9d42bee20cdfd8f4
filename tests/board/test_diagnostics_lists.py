"""The Diagnostics screen lists the stations waiting for replays as the language lists."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.domain import events as ev
from tests.board.conftest import AppFactory
from tests.board.pilot import redraw, run, screen_text
from tests.board.test_screens import A1, A3, event, station_seq

EXPECTED = {
    "en": "waiting for replays: a1 from {a1} and a3 from {a3}",
    "de": "warte auf Wiederholung: a1 ab {a1} und a3 ab {a3}",
    "zh_CN": "等待重发：a1 自 {a1}和a3 自 {a3}",
}


@pytest.mark.parametrize("language", EXPECTED)
def test_the_stations_waiting_for_replays_are_one_list_of_the_language(
    make_app: AppFactory, language: str
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        missing = {}
        for name, path in (("a1", A1), ("a3", A3)):
            missing[name] = station_seq(app, path) + 1
            raised = ev.CallRaised(
                at=app.clock(), call_id=f"{name}.C9", call_type="help", source="board"
            )
            event(app, path, missing[name] + 1, raised)  # one event is missing before it
        await redraw(pilot)
        await pilot.press("d")
        text = " ".join(screen_text(app).split())
        assert EXPECTED[language].format(**missing) in text

    run(make_app(language=language), check, size=(120, 30))
