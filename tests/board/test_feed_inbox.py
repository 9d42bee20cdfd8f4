"""The feed keeps reading the broker while the model is busy (a view being built, say)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

from andon.bench.payloads import catalogue, count_events, plant, stream
from andon.board.feed import BoardFeed
from andon.board.model import BoardModel, ReplayRequest
from andon.bus.client import BusClient
from tests.conftest import Mosquitto

pytestmark = pytest.mark.mosquitto

WAIT_S = 15.0


class HeldModel(BoardModel):
    """A model whose ingest stands still while ``hold`` is set (as behind a long view)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.hold = threading.Event()
        self.free = threading.Event()
        self.free.set()
        self.ingested: list[str] = []

    def ingest(self, topic: str, payload: bytes | str, now: datetime) -> list[ReplayRequest]:
        if self.hold.is_set():
            self.free.wait(WAIT_S)
        replays = super().ingest(topic, payload, now)
        self.ingested.append(topic)
        return replays


def _wait(predicate: object, timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_messages_are_taken_from_the_broker_while_the_model_is_busy(mosquitto: Mosquitto) -> None:
    stations = plant(2, 3)
    retained, messages = stream(stations, 10, datetime.now(UTC))
    model = HeldModel(catalogue(stations))
    changes = threading.Event()
    feed = BoardFeed(model, mosquitto.settings(), lambda: datetime.now(UTC), on_change=changes.set)
    feed.start()
    publisher = BusClient(mosquitto.settings()).start()
    try:
        assert feed.bus.wait_connected(WAIT_S) and publisher.wait_connected(WAIT_S)
        assert all(publisher.publish(m.topic, m.payload, retain=m.retain).wait(WAIT_S)
                   for m in retained)  # fmt: skip
        assert _wait(lambda: len(model.ingested) >= len(retained))
        model.hold.set()
        model.free.clear()
        deliveries = [publisher.publish(m.topic, m.payload) for m in messages]
        assert all(d.wait(WAIT_S) for d in deliveries)
        # The model takes nothing (one message waits inside ingest); the rest is read anyway.
        assert _wait(lambda: feed.backlog >= len(messages) - 1)
        assert len(model.ingested) == len(retained)
        changes.clear()
        feed.acknowledge_change()  # as the app does before it reads the model
        model.free.set()
        assert _wait(lambda: len(model.ingested) == len(retained) + len(messages))
        assert changes.wait(WAIT_S)
        assert feed.backlog == 0
        view = model.view(datetime.now(UTC))
        assert view.diagnostics.events == count_events(messages)
        held = {s.path: s.snapshot.seq for line in view.lines for s in line.stations if s.snapshot}
        assert held == {s.address.path: 10 for s in stations}
    finally:
        publisher.close()
        feed.close()


def test_closing_ingests_what_was_already_received(mosquitto: Mosquitto) -> None:
    stations = plant(1, 2)
    retained, messages = stream(stations, 5, datetime.now(UTC))
    model = HeldModel(catalogue(stations))
    feed = BoardFeed(model, mosquitto.settings(), lambda: datetime.now(UTC))
    feed.start()
    publisher = BusClient(mosquitto.settings()).start()
    try:
        assert feed.bus.wait_connected(WAIT_S) and publisher.wait_connected(WAIT_S)
        # Connected is not yet subscribed: a message published before the broker took the
        # feed's subscription would be lost. A retained one arrives either way, exactly once.
        probe = retained[0]
        assert publisher.publish(probe.topic, probe.payload, retain=True).wait(WAIT_S)
        assert _wait(lambda: len(model.ingested) == 1)
        model.hold.set()
        model.free.clear()
        everything = retained + messages
        assert all(publisher.publish(m.topic, m.payload).wait(WAIT_S) for m in everything)
        assert _wait(lambda: feed.backlog >= len(everything) - 1)
        threading.Timer(0.2, model.free.set).start()
    finally:
        publisher.close()
        feed.close()
    assert len(model.ingested) == 1 + len(everything)


def _backlogs_told(
    mosquitto: Mosquitto, monkeypatch: pytest.MonkeyPatch, behind_s: float
) -> list[int]:
    """The backlog each time the app is told of a change, while a held-back stream drains."""
    from andon.board import feed as feed_module

    monkeypatch.setattr(feed_module, "BEHIND_S", behind_s)
    stations = plant(10, 10)
    _, messages = stream(stations, 15, datetime.now(UTC))
    assert len(messages) > 3 * feed_module.BATCH
    model = HeldModel(catalogue(stations))
    told: list[int] = []
    feed = BoardFeed(model, mosquitto.settings(), lambda: datetime.now(UTC))

    def changed() -> None:
        told.append(feed.backlog)
        feed.acknowledge_change()  # as the app does before each redraw

    feed.on_change = changed
    feed.start()
    publisher = BusClient(mosquitto.settings()).start()
    try:
        assert feed.bus.wait_subscribed(WAIT_S) and publisher.wait_connected(WAIT_S)
        model.hold.set()
        model.free.clear()
        assert all(
            d.wait(WAIT_S) for d in [publisher.publish(m.topic, m.payload) for m in messages]
        )
        assert _wait(lambda: feed.backlog >= len(messages) - 1)
        told.clear()
        model.free.set()
        assert _wait(lambda: len(model.ingested) == len(messages) and told and told[-1] == 0)
        return told
    finally:
        publisher.close()
        feed.close()


def test_while_the_ingest_is_behind_the_app_is_not_told_to_redraw(
    mosquitto: Mosquitto, monkeypatch: pytest.MonkeyPatch
) -> None:
    from andon.board.feed import BEHIND

    told = _backlogs_told(mosquitto, monkeypatch, behind_s=60.0)
    assert told and all(backlog <= BEHIND for backlog in told)


def test_a_long_backlog_still_redraws_now_and_then(
    mosquitto: Mosquitto, monkeypatch: pytest.MonkeyPatch
) -> None:
    from andon.board.feed import BEHIND

    told = _backlogs_told(mosquitto, monkeypatch, behind_s=0.0)
    assert any(backlog > BEHIND for backlog in told)
