"""Fixtures of the board tests: apps fed with a realistic morning, without a broker."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from andon.board.app import BoardApp
from tests.board.pilot import RecordingSender, SetClock
from tests.board.scenario import BOARD_NOW, catalogue, fed_model

AppFactory = Callable[..., BoardApp]


@pytest.fixture
def clock() -> SetClock:
    return SetClock(BOARD_NOW)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def make_app(clock: SetClock, sender: RecordingSender) -> AppFactory:
    """``make_app("maintenance.toml", start_mode=..., kiosk=..., language=...)``: an app fed
    with the morning (``language`` overrides the board file's)."""

    def factory(
        board: str = "board.toml", language: str | None = None, **options: object
    ) -> BoardApp:
        cat = catalogue(board, language)
        return BoardApp(
            cat,
            model=fed_model(cat),
            sender=sender,
            clock=clock,
            operator="Mehmet Yilmaz",
            **options,  # type: ignore[arg-type]
        )

    return factory
