"""Board ingest throughput against a plain paho subscriber's, on the same broker and stream.

Both subscribers first leave a persistent session (``clean_session=False``)
with the broker; a lightweight publisher then sends the whole stream (states
and events of lines × stations) while they are away, so the broker holds it
for both. Each subscriber then reconnects alone and drains its queue as fast
as it can: the rate is its own capacity, not the publisher's. The board is
the production feed and model (:class:`~andon.board.feed.BoardFeed` into
:class:`~andon.board.model.BoardModel`), without the Textual screen.

Afterwards the board must hold every station's stream up to its last event,
without a gap: "no event lost".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from andon.bench.payloads import PREFIX, catalogue, count_events, plant, stream
from andon.bench.publishing import EventCounter, publish_all
from andon.bench.raw_mqtt import RawClient
from andon.board.feed import BoardFeed
from andon.board.model import BoardModel, ReplayRequest
from andon.bus.credentials import BrokerSettings
from andon.bus.topics import StationFilter


@dataclass(frozen=True)
class Drain:
    """One subscriber emptying its queue."""

    events: int
    seconds: float
    cpu_s: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_per_event_ms(self) -> float:
        return 1000.0 * self.cpu_s / self.events if self.events else 0.0


@dataclass(frozen=True)
class IngestResult:
    stations: int
    events: int
    raw: Drain
    board: Drain
    publish_cpu_per_message_ms: float
    lost: int
    """Events the board does not hold at the end (0 when nothing was lost)."""
    duplicates_dropped: int


def _drain(counter: EventCounter, start: float, cpu: float, timeout_s: float) -> Drain:
    if not counter.done.wait(timeout_s):
        raise RuntimeError(f"only {counter.events} of {counter.expected} events arrived")
    cpu_s = time.process_time() - cpu
    first = counter.first if counter.first is not None else start
    return Drain(counter.events, max(1e-9, counter.last - first), cpu_s)


def measure_ingest(port: int, lines: int, per_line: int, per_station: int) -> IngestResult:
    """Stream ``per_station`` events from ``lines × per_line`` stations to both subscribers."""
    stations = plant(lines, per_line)
    retained, messages = stream(stations, per_station, datetime.now(UTC))
    events = count_events(messages)
    filters = [
        StationFilter(PREFIX, s.address.site, s.address.area, s.address.line).any_channel()
        for s in {s.address.line: s for s in stations}.values()
    ]
    board_id, raw_id = "bench-ingest-board", "bench-ingest-raw"
    for client_id in (raw_id, board_id):
        # A session left by an earlier round holds what was published since (the historian's
        # stream, a trailing state): start from an empty one, then leave it with the
        # subscriptions, so each queue holds this round's stream alone.
        RawClient(port, client_id, clean_session=True).start().stop()
        RawClient(port, client_id, clean_session=False, subscriptions=filters).start().stop()
    timeout_s = 60.0 + len(messages) / 500
    publish_cpu = publish_all(port, retained + messages, timeout_s)

    raw_counter = EventCounter(events)
    cpu = time.process_time()
    start = time.monotonic()
    raw = RawClient(
        port,
        raw_id,
        clean_session=False,
        on_message=lambda topic, _, at: raw_counter.saw(topic, at),
        subscriptions=filters,
    ).start()
    try:
        raw_drain = _drain(raw_counter, start, cpu, timeout_s)
    finally:
        raw.stop()

    model = BoardModel(catalogue(stations))
    board_counter = EventCounter(events)
    ingest = model.ingest

    def counted(topic: str, payload: bytes | str, now: datetime) -> list[ReplayRequest]:
        replays = ingest(topic, payload, now)
        board_counter.saw(topic, time.monotonic())
        return replays

    model.ingest = counted  # type: ignore[method-assign]
    settings = BrokerSettings(host="127.0.0.1", port=port, client_id=board_id, clean_session=False)
    feed = BoardFeed(model, settings, lambda: datetime.now(UTC))
    cpu = time.process_time()
    start = time.monotonic()
    feed.start()
    try:
        board_drain = _drain(board_counter, start, cpu, timeout_s)
    finally:
        feed.close()
    view = model.view(datetime.now(UTC))
    held = {
        s.path: (s.snapshot.seq if s.snapshot else 0) for line in view.lines for s in line.stations
    }
    lost = sum(per_station - min(per_station, held.get(s.address.path, 0)) for s in stations)
    return IngestResult(
        stations=len(stations),
        events=events,
        raw=raw_drain,
        board=board_drain,
        publish_cpu_per_message_ms=1000.0 * publish_cpu / (len(retained) + len(messages)),
        lost=lost,
        duplicates_dropped=view.diagnostics.duplicates,
    )
