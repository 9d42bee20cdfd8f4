"""Only what changed is repainted, and a burst of feed changes is folded (Textual pilot).

The board's clock and the throttle's clock are set by the tests, so nothing
here depends on how fast the machine is.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.throttle import RefreshThrottle
from andon.board.widgets.line_card import LineCard
from andon.board.widgets.status_bar import StatusBar
from andon.bus.messages import EventMessage, encode
from andon.domain import events as ev
from tests.board.conftest import AppFactory
from tests.board.pilot import redraw, run, screen_text, settle

A3 = "demo-plant/assembly/line-a/a3"


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def raise_call(app: BoardApp, call_id: str) -> None:
    view = app.model.view(app.clock())
    station = view.station(A3)
    assert station is not None and station.snapshot is not None
    seq = station.snapshot.seq + 1
    event = ev.CallRaised(at=app.clock(), call_id=call_id, call_type="help", source="button")
    payload = encode(EventMessage(A3, seq, f"id-{seq}", event).to_dict())
    app.model.ingest(f"andon/{A3}/events", payload, app.clock())


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each line card and the status bar drew themselves."""
    counts: Counter[str] = Counter()
    card_render, bar_render = LineCard.render, StatusBar.render

    def card(self: LineCard) -> Any:
        counts[self.line_id] += 1
        return card_render(self)

    def bar(self: StatusBar) -> Any:
        counts["status-bar"] += 1
        return bar_render(self)

    monkeypatch.setattr(LineCard, "render", card)
    monkeypatch.setattr(StatusBar, "render", bar)
    return counts


def test_a_view_without_changes_repaints_nothing(
    make_app: AppFactory, renders: Counter[str]
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        renders.clear()
        await redraw(pilot)
        await redraw(pilot)
        assert renders == Counter()

    run(make_app(), check, size=(160, 48))


def test_a_call_raised_repaints_its_line_card_only(
    make_app: AppFactory, renders: Counter[str]
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        renders.clear()
        raise_call(app, "line-a.a3.C9")
        await redraw(pilot)
        assert set(renders) == {"line-a"}
        assert "HELP" in screen_text(app)
        assert app.view is not None and any(
            c.call_id == "line-a.a3.C9" for c in app.view.open_calls
        )

    run(make_app(), check, size=(160, 48))


def test_a_burst_of_feed_changes_redraws_at_once_then_once_more(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FrozenClock()  # the burst takes no time at all on the throttle's clock
    app = make_app(throttle=RefreshThrottle(interval_s=0.25, quiet_s=0.02, clock=clock))
    refreshes = 0
    refresh_view = BoardApp.refresh_view

    def counted(self: BoardApp) -> None:
        nonlocal refreshes
        refreshes += 1
        refresh_view(self)

    monkeypatch.setattr(BoardApp, "refresh_view", counted)
    # The once-a-second redraw of the timers is another clock: on a slow machine it
    # would land inside the burst and count as one of its redraws.
    monkeypatch.setattr(BoardApp, "tick", lambda self: None)

    async def check(pilot: Pilot[None]) -> None:
        assert app.view is not None
        before = len(app.view.open_calls)
        clock.now += 10.0  # quiet for a while
        app.throttle.change()  # one isolated change: at once
        assert not app.throttle.scheduled
        clock.now += 10.0
        nonlocal refreshes
        refreshes = 0
        for index in range(20):
            raise_call(app, f"line-a.a3.B{index}")
            app.post_message(BoardApp.FeedChanged())
        await settle(pilot)
        # The first change redraws at once; the 19 after it wait for one more redraw
        # (which its timer may have done already).
        assert (refreshes, app.throttle.scheduled) in ((1, True), (2, False))
        if app.throttle.scheduled:
            app._trailing_refresh()
        assert refreshes == 2
        assert len(app.view.open_calls) == before + 20

    run(app, check, size=(160, 48))
