"""Superseded states dropped from a batch: fewer states parsed, the same board."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime

from andon.bench.payloads import catalogue, plant, state, state_template, stream
from andon.board.model import BoardModel
from andon.web.coalesce import coalesce, minute_of
from andon.web.intake_pipe import Outbox, Pipe

NOW = datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC)


def _batch(per_station: int = 40) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    retained, messages = stream(plant(2, 2), per_station, NOW)
    return [(m.topic, m.payload) for m in retained], [(m.topic, m.payload) for m in messages]


def _states(batch: list[tuple[str, bytes]]) -> int:
    return sum(1 for topic, _ in batch if topic.endswith("/state"))


def _fed(*batches: list[tuple[str, bytes]]) -> BoardModel:
    model = BoardModel(catalogue(plant(2, 2)))
    for batch in batches:
        for topic, payload in batch:
            model.ingest(topic, payload, NOW)
    return model


def test_a_batch_keeps_each_stations_last_state_every_event_and_the_same_board() -> None:
    retained, batch = _batch()
    model = _fed(retained)
    kept, dropped = coalesce(batch, model.knows_state)
    assert dropped > 0 and dropped == len(batch) - len(kept)
    assert _states(kept) == 4  # one a station: the last
    events = [m for m in batch if m[0].endswith("/events")]
    assert [m for m in kept if m[0].endswith("/events")] == events  # all, in order
    last = {t: p for t, p in batch if t.endswith("/state")}
    assert {t: p for t, p in kept if t.endswith("/state")} == last
    # the same board either way: every station, line, figure and call
    whole, coalesced = _fed(retained, batch), _fed(retained, kept)
    assert coalesced.view(NOW).lines == whole.view(NOW).lines


def test_a_stations_first_state_and_the_last_state_of_a_minute_are_kept() -> None:
    _, batch = _batch()
    kept, _ = coalesce(batch, lambda topic: False)  # a receiver that holds no state yet
    assert _states(kept) == 8  # each station's first and last
    station = plant(1, 1)[0]
    template = state_template(NOW)
    early = state(station, template, seq=1)
    later = state(station, {**template, "at": "2026-03-02T09:31:00.000Z"}, seq=2)
    pair = [(early.topic, early.payload), (later.topic, later.payload)]
    assert minute_of(early.payload) != minute_of(later.payload)
    assert coalesce(pair, lambda topic: True) == (pair, 0)  # the last of its minute
    headless = [(early.topic, b'{"v":2,"seq":1}'), (early.topic, early.payload)]
    assert coalesce(headless, lambda topic: True) == (headless, 0)  # no instant: kept


def test_the_intake_holds_what_a_busy_server_has_not_read_and_sends_it_coalesced() -> None:
    retained, batch = _batch(per_station=400)

    async def scenario() -> tuple[list[tuple[str, bytes]], int]:
        ours, theirs = socket.socketpair()
        outbox = Outbox(asyncio.get_running_loop(), theirs)
        outbox.batch(list(retained))
        for start in range(0, len(batch), 50):  # read by read; the server reads nothing
            outbox.batch(batch[start : start + 50])
        assert outbox.watching  # the socket was full: the rest waits in the child
        pipe, got = Pipe(ours), []
        ours.setblocking(False)
        while len([m for m in got if m[0].endswith("/events")]) < len(batch) - _states(batch):
            await asyncio.sleep(0.01)
            for message in pipe.received():
                assert message[0] == "batch"
                got.extend(message[1])
        ours.close()
        theirs.close()
        return got, outbox.coalesced

    got, coalesced = asyncio.run(scenario())
    assert coalesced > 0 and len(got) == len(retained) + len(batch) - coalesced
    assert [m for m in got if m[0].endswith("/events")] == [
        m for m in batch if m[0].endswith("/events")
    ]
    assert _fed(got).view(NOW).lines == _fed(retained, batch).view(NOW).lines
