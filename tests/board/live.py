"""Running the board against a real broker in a test: the app with its feed, and waiting."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from andon.board.app import BoardApp, utc_now
from andon.board.catalogue import BoardCatalogue
from andon.board.feed import BoardFeed
from andon.board.model import BoardModel
from andon.bus.credentials import BrokerSettings
from tests.board.pilot import screen_text

WAIT_S = 15.0


def live_app(catalogue: BoardCatalogue, settings: BrokerSettings, **options: Any) -> BoardApp:
    """A board app that connects to ``settings``' broker when it starts."""
    model = BoardModel(catalogue, command_timeout_s=WAIT_S)
    feed = BoardFeed(model, settings, utc_now)
    return BoardApp(catalogue, model=model, feed=feed, operator="Lena Fischer", **options)


async def until(pilot: Pilot[None], predicate: Callable[[], Any], timeout: float = WAIT_S) -> Any:
    """Redraw and wait until ``predicate()`` is truthy (fails after ``timeout`` seconds)."""
    app = pilot.app
    assert isinstance(app, BoardApp)
    deadline = time.monotonic() + timeout
    while True:
        app.refresh_view()
        await pilot.pause(0.05)
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out waiting for {predicate}; the screen shows:\n{screen_text(app)}"
            )


async def until_text(
    pilot: Pilot[None], *texts: str, absent: tuple[str, ...] = (), timeout: float = WAIT_S
) -> str:
    """Wait until the screen shows every one of ``texts`` and none of ``absent``."""
    app = pilot.app
    assert isinstance(app, BoardApp)

    def shown() -> str | None:
        text = screen_text(app)
        ok = all(t in text for t in texts) and not any(t in text for t in absent)
        return text if ok else None

    return str(await until(pilot, shown, timeout))
