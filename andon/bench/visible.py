"""Event → visible on the board while a stream of 1 000 stations flows in.

The board's feed and model (:class:`~andon.board.feed.BoardFeed` into
:class:`~andon.board.model.BoardModel`) are connected to the broker with every
station's retained state; then a publisher in a process of its own
(:mod:`andon.bench.paced_publisher`) sends the stations' streams at a steady
rate. Beside the ingest, a viewer does what the app does on a change signal:
it asks :class:`~andon.board.throttle.RefreshThrottle` when, and builds the
board's view then (the view a repaint reads), telling the throttle what each
one cost, and freezing the heap after it as the app does
(:class:`~andon.board.heap.HeapFreezer`, when the board knows more stations).
An event is visible from the first view in which its station shows its
sequence number or a later one. Both processes read the system's
monotonic clock, so "published" and "visible" compare directly.
"""

from __future__ import annotations

import bisect
import json
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from andon.bench import figures as f
from andon.bench import words as W
from andon.bench.figures import Figure, Reference
from andon.bench.payloads import Message, catalogue, plant, stream
from andon.bench.publishing import EventCounter, publish_all
from andon.bench.stats import ms, percentile
from andon.board.feed import BoardFeed
from andon.board.heap import HeapFreezer
from andon.board.model import BoardModel, ReplayRequest
from andon.board.throttle import RefreshThrottle
from andon.bus.credentials import BrokerSettings

RATE = 5000.0
"""Messages a second the publisher sends: about 4 500 events, and each station's state
after every 10th of its events."""
SETTLE_S = 10.0
SITE = "bench-visible"
"""The stations' site, apart from the other figures'."""


@dataclass(frozen=True)
class VisibleResult:
    events: int
    rate: float
    """Messages a second the publisher sent."""
    visible_s: list[float]
    """Per event: published → in the board's view."""
    received_s: list[float]
    """Per event: published → ingested by the board's model."""
    views: int
    missing: int
    """Events never seen in a view before the time ran out."""


class _Viewer:
    """Builds the board's view when the feed signals a change, paced like the app."""

    def __init__(self, model: BoardModel, feed: BoardFeed) -> None:
        self.model, self.feed = model, feed
        self.changed = threading.Event()
        self.throttle = RefreshThrottle()
        self.heap = HeapFreezer()
        self.shown: dict[str, tuple[list[int], list[float]]] = {}
        """Per station: the sequence numbers shown, rising, and since when."""
        self.views = 0
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="bench-viewer", daemon=True)

    def _run(self) -> None:
        while not self.stopping:
            if not self.changed.wait(0.1):
                continue
            self.changed.clear()
            delay = self.throttle.change()
            if delay is None:
                continue
            if delay > 0:
                time.sleep(delay)
                self.throttle.due()
            self._view()

    def _view(self) -> None:
        self.feed.acknowledge_change()
        started = time.monotonic()
        view = self.model.view(datetime.now(UTC))
        at = time.monotonic()
        self.throttle.painted(at - started)
        self.heap.grown(self.model.stations_seen)  # as the app's refresh_view
        self.views += 1
        for line in view.lines:
            for station in line.stations:
                seq = station.snapshot.seq if station.snapshot else 0
                seqs, times = self.shown.setdefault(station.path, ([], []))
                if not seqs or seq > seqs[-1]:
                    seqs.append(seq)
                    times.append(at)

    def visible_at(self, path: str, seq: int) -> float | None:
        seqs, times = self.shown.get(path, ([], []))
        index = bisect.bisect_left(seqs, seq)
        return times[index] if index < len(seqs) else None


def measure_visible(
    port: int, lines: int, per_line: int, per_station: int, rate: float = RATE
) -> VisibleResult:
    """Stream ``per_station`` events of ``lines × per_line`` stations at ``rate`` messages/s."""
    # A site of its own: the retained states an earlier figure left on the same broker
    # (newer than these, and at their last seq) would otherwise be shown at once.
    stations = plant(lines, per_line, site=SITE)
    retained, messages = stream(stations, per_station, datetime.now(UTC))
    path_of = {s.address.events(): s.address.path for s in stations}
    model = BoardModel(catalogue(stations))
    ingest = model.ingest
    retained_seen = EventCounter(len(retained))
    received: dict[tuple[str, int], float] = {}
    counts: dict[str, int] = {}

    def stamped(topic: str, payload: bytes | str, now: datetime) -> list[ReplayRequest]:
        replays = ingest(topic, payload, now)
        at = time.monotonic()
        path = path_of.get(topic)
        if path is None:
            retained_seen.saw(topic + "/events", at)  # a state or status: counted as one
        else:
            counts[topic] = seq = counts.get(topic, 0) + 1
            received[(path, seq)] = at
        return replays

    model.ingest = stamped  # type: ignore[method-assign]
    settings = BrokerSettings(host="127.0.0.1", port=port, client_id="bench-visible-board")
    feed = BoardFeed(model, settings, lambda: datetime.now(UTC))
    viewer = _Viewer(model, feed)
    feed.on_change = viewer.changed.set
    feed.start()
    viewer.thread.start()
    try:
        if not feed.bus.wait_subscribed(10.0):
            raise RuntimeError("the board did not connect and subscribe")
        publish_all(port, retained, 60.0)
        if not retained_seen.done.wait(30.0):
            raise RuntimeError("the board did not receive every retained message")
        stamps = _publish_paced(port, messages, rate)
        published: dict[tuple[str, int], float] = {}
        seen: dict[str, int] = {}
        for message, at in zip(messages, stamps, strict=True):
            path = path_of.get(message.topic)
            if path is not None:
                seen[path] = seq = seen.get(path, 0) + 1
                published[(path, seq)] = at
        deadline = time.monotonic() + SETTLE_S
        while time.monotonic() < deadline and any(
            viewer.visible_at(path, seq) is None for path, seq in published
        ):
            time.sleep(0.05)
    finally:
        viewer.stopping = True
        feed.close()
        viewer.thread.join(2.0)
    visible: list[float] = []
    for (path, seq), at in published.items():
        shown = viewer.visible_at(path, seq)
        if shown is not None:
            visible.append(shown - at)
    return VisibleResult(
        events=len(published),
        rate=rate,
        visible_s=visible,
        received_s=[received[key] - at for key, at in published.items() if key in received],
        views=viewer.views,
        missing=len(published) - len(visible),
    )


def _publish_paced(port: int, messages: list[Message], rate: float) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="andon-bench-") as folder:
        path = Path(folder) / "messages.pickle"
        path.write_bytes(pickle.dumps([(m.topic, m.payload) for m in messages]))
        command = [sys.executable, "-m", "andon.bench.paced_publisher", "--port", str(port)]
        done = subprocess.run(
            [*command, "--rate", str(rate), str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=60.0 + len(messages) / rate,
        )
    stamps: list[float] = json.loads(done.stdout)
    return stamps


def visible_figure(
    port: int, lines: int, per_line: int, per_station: int, name: str, limit_ms: float
) -> Figure:
    """The benchmark's row: event → visible, against published → model in the same run."""
    result = measure_visible(port, lines, per_line, per_station)
    received = ms(result.received_s)
    return f.latency(
        "board_visible",
        name,
        ms(result.visible_s),
        reference=Reference(W.PUBLISHED_TO_MODEL_P99, percentile(received, 99), "ms")
        if received
        else None,
        limit_ms=limit_ms,
        target=W.P99_AT_MOST_MS.format(ms=f"{limit_ms:g}"),
        note=W.NOTE_VISIBLE.format(
            events=result.events,
            rate=f"{result.rate:,.0f}",
            views=result.views,
            missing=result.missing,
        ),
    )
