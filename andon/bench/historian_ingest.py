"""Historian ingest rate: the board's stream, from the broker into the SQLite history.

As for the board (:mod:`andon.bench.ingest`): the historian first leaves a
persistent session with the broker, the stream is published while it is away,
and then it reconnects and stores everything as fast as it can. The rate runs
from the first event it received to the last one committed (as the board's runs
from its first message to its last event), so it includes every batch's
transaction. Afterwards the history
must hold every station's stream 1..N once: "no event lost".
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from andon.bench.ingest import _publish
from andon.bench.payloads import PREFIX, SITE, count_events, plant, stream
from andon.bus.credentials import BrokerSettings
from andon.historian.service import Historian
from andon.historian.store import open_store


@dataclass(frozen=True)
class HistorianIngest:
    stations: int
    events: int
    seconds: float
    lost: int
    bytes_per_event: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def measure_historian_ingest(
    port: int, lines: int, per_line: int, per_station: int
) -> HistorianIngest:
    """Stream ``per_station`` events of ``lines × per_line`` stations into a fresh history."""
    stations = plant(lines, per_line)
    retained, messages = stream(stations, per_station, datetime.now(UTC))
    events = count_events(messages)
    settings = BrokerSettings(
        host="127.0.0.1", port=port, client_id="bench-historian", clean_session=False
    )
    with tempfile.TemporaryDirectory(prefix="andon-bench-history-") as tmp:
        path = Path(tmp) / "history.sqlite"
        url = f"sqlite:///{path}"
        first = Historian(PREFIX, SITE, url, settings, name="bench").start()
        first.bus.wait_connected(10)  # type: ignore[union-attr]
        first.stop()  # leaves the persistent session with its subscriptions
        timeout_s = 60.0 + len(messages) / 500
        _publish(port, retained + messages, timeout_s)
        historian = Historian(PREFIX, SITE, url, settings, name="bench")
        start = time.monotonic()
        historian.start()
        deadline = start + timeout_s
        try:
            while historian.stats.stored < events and time.monotonic() < deadline:
                time.sleep(0.01)
            stats = historian.stats
            first = stats.first_event_at if stats.first_event_at is not None else start
            seconds = (stats.last_commit_at or time.monotonic()) - first
        finally:
            historian.stop()
        with open_store(url) as store:
            lost = sum(
                per_station - len(set(store.seqs(s.address.path)) & set(range(1, per_station + 1)))
                for s in stations
            )
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    return HistorianIngest(len(stations), events, seconds, lost, size / max(1, events))
