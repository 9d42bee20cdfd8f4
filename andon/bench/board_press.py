"""Press → board model updated → board repainted, through a real broker.

A production station on simulated pins publishes to the bench's Mosquitto; a
real board (:class:`~andon.board.feed.BoardFeed` into a
:class:`~andon.board.model.BoardModel`, shown by the Textual
:class:`~andon.board.app.BoardApp` under ``run_test()``) watches the demo
plant. Three instants are stamped per press: the model has ingested the
``call_raised`` event, the app's view shows the call, and the screen was
composed again (Textual's ``post_display_hook``; headless, so the final
encoding for a terminal is not included).

Every press starts with the board at rest, as a press at a line does: the
previous press's messages (its call cancelled, the station's state after it)
arrived at least :data:`REST_S` ago. A change hard on the heels of others is
part of a burst, which the board folds into a few redraws a second
(:mod:`andon.board.throttle`); that is not what this figure measures.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from andon.bench.presses import (
    BENCH_STATION,
    CALL_TYPE,
    LAMP,
    PinWatch,
    press,
    quick_buttons,
    tier_pin,
    wait_until,
)
from andon.board import app as board_app
from andon.board.app import BoardApp, utc_now
from andon.board.catalogue import BoardCatalogue
from andon.board.feed import BoardFeed
from andon.board.model import BoardModel, ReplayRequest
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_board, load_station
from andon.demo.run import DEMO_DIR
from andon.domain import commands as cmd
from andon.station.assemble import build_station

SCREEN = (160, 48)
REST_S = 0.3
"""Quiet before each press: longer than the board's redraw interval during a burst."""


class _Stamps:
    """The instants of one press, written by the network and UI threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.armed = False
        self.model_at: float | None = None
        self.view_at: float | None = None
        self.paint_at: float | None = None
        self.message_at = 0.0
        """When the board last took a message."""

    def arm(self) -> None:
        with self.lock:
            self.armed = True
            self.model_at = self.view_at = self.paint_at = None


class TimedBoardApp(BoardApp):
    """The board app, stamping when its view first shows a call and when it repaints."""

    CSS_PATH = str(Path(board_app.__file__).parent / str(BoardApp.CSS_PATH))
    stamps: _Stamps
    bench_station: str

    def refresh_view(self) -> None:
        super().refresh_view()
        stamps, view = self.stamps, self.view
        if view is None or not stamps.armed or stamps.view_at is not None:
            return
        if any(
            c.station_path == self.bench_station for line in view.lines for c in line.open_calls
        ):
            with stamps.lock:
                stamps.view_at = time.monotonic()

    def post_display_hook(self) -> None:
        stamps = self.stamps
        if stamps.view_at is not None and stamps.paint_at is None:
            with stamps.lock:
                stamps.paint_at = time.monotonic()

    def open_calls_of_bench_station(self) -> int:
        view = self.view
        if view is None:
            return 0
        return sum(
            1
            for line in view.lines
            for c in line.open_calls
            if c.station_path == self.bench_station
        )


@dataclass
class BoardTimes:
    """Seconds from the release edge, one entry per press."""

    model: list[float] = field(default_factory=list)
    view: list[float] = field(default_factory=list)
    paint: list[float] = field(default_factory=list)


def measure_board(count: int, broker_port: int, budget_s: float) -> BoardTimes:
    """``count`` presses on a station, seen by a board app through the broker."""
    return asyncio.run(_measure(count, broker_port, budget_s))


async def _measure(count: int, port: int, budget_s: float) -> BoardTimes:
    board = load_board(DEMO_DIR / "board.toml")
    catalogue = BoardCatalogue.from_board(board)
    model = BoardModel(catalogue)
    stamps = _Stamps()
    ingest = model.ingest

    def stamped_ingest(topic: str, payload: bytes | str, now: datetime) -> list[ReplayRequest]:
        replays = ingest(topic, payload, now)
        stamps.message_at = time.monotonic()
        raw = payload.encode() if isinstance(payload, str) else payload
        if (
            stamps.armed
            and stamps.model_at is None
            and b'"call_raised"' in raw
            and json.loads(raw).get("data", {}).get("call_type") == CALL_TYPE
        ):
            with stamps.lock:
                stamps.model_at = time.monotonic()
        return replays

    model.ingest = stamped_ingest  # type: ignore[method-assign]
    settings = BrokerSettings(host="127.0.0.1", port=port, client_id="bench-board")
    feed = BoardFeed(model, settings, utc_now)
    app = TimedBoardApp(catalogue, model=model, feed=feed, clock=utc_now)
    app.stamps = stamps
    times = BoardTimes()
    config = quick_buttons(load_station(BENCH_STATION))
    with tempfile.TemporaryDirectory(prefix="andon-bench-") as workdir:
        station = build_station(
            config,
            sim=True,
            settings=BrokerSettings(
                host="127.0.0.1", port=port, client_id="bench-board-station", clean_session=False
            ),
            journal_path=Path(workdir) / "journal.sqlite",
        )
        agent, controller = station.agent, station.sim
        assert controller is not None
        app.bench_station = agent.address.path
        agent.start()
        try:
            async with app.run_test(size=SCREEN) as pilot:
                await pilot.pause()

                def heard() -> bool:
                    view = app.view
                    return view is not None and any(
                        s.path == agent.address.path and s.snapshot is not None
                        for line in view.lines
                        for s in line.stations
                    )

                await asyncio.to_thread(wait_until, heard, 15.0)

                def presses() -> None:
                    watch = PinWatch(tier_pin(controller, LAMP))
                    deadline = time.monotonic() + budget_s
                    for _ in range(count):
                        if time.monotonic() > deadline:
                            return
                        wait_until(lambda: time.monotonic() - stamps.message_at >= REST_S)
                        stamps.arm()
                        edge = press(controller, watch).edge
                        wait_until(lambda: stamps.paint_at is not None)
                        with stamps.lock:
                            stamps.armed = False
                            model_at, view_at, paint_at = (
                                stamps.model_at,
                                stamps.view_at,
                                stamps.paint_at,
                            )
                        assert model_at is not None and view_at is not None
                        assert paint_at is not None
                        times.model.append(model_at - edge)
                        times.view.append(view_at - edge)
                        times.paint.append(paint_at - edge)
                        call = agent.core.state.open_call(CALL_TYPE)
                        if call is not None:
                            agent.run_on_loop(
                                partial(
                                    agent.core.execute,
                                    cmd.cancel,
                                    call_id=call.call_id,
                                    by="bench",
                                    source="bench",
                                )
                            )
                        wait_until(lambda: app.open_calls_of_bench_station() == 0)
                        wait_until(lambda: not watch.pin.state)

                await asyncio.to_thread(presses)
        finally:
            agent.stop()
    return times
