"""Many viewers on one web server while the 100-line stream drains, against textual-serve.

The web server (:mod:`andon.bench.web_child`, a process of its own) shows the
synthetic plant of :mod:`andon.bench.payloads`. ``viewers`` server-sent-event
clients (plain sockets in one asyncio loop here, as browsers hold them) watch its
calls page while a publisher sends the whole stream of every line as fast as the
broker takes it. Meanwhile a marker station raises a call every
:data:`MARK_EVERY_S`; each viewer notes when the call first shows in its page:
event → viewer latency, per viewer and marker. Measured on the server: resident
memory with no viewer and with all of them, CPU seconds per second while quiet
with and without them, and during the drain.

The reference, in the same run: textual-serve (``andon board --serve``) opened
in ``tabs`` Chromium tabs; it starts one board process per tab, whose memory and
CPU are the per-viewer cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import socket
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from andon.bench import words as W
from andon.bench.machine import cpu_seconds, rss_mb, runqueue_wait_seconds
from andon.bench.payloads import (
    AREA,
    PREFIX,
    SITE,
    FakeStation,
    event_message,
    plant,
    state,
    state_template,
    status,
    stream,
)
from andon.bench.processes import Child
from andon.bench.raw_mqtt import RawClient
from andon.bus.topics import StationAddress
from andon.domain import events as ev

MARK_EVERY_S = 0.5
QUIET_MARKS = 5
QUIET_S = 3.0
SETTLE_S = 30.0
"""After the drain, how long the last markers may take to reach every viewer."""
CHROMIUM = "/usr/bin/chromium"


@dataclass
class ViewersResult:
    viewers: int
    events: int
    drain_s: float
    latencies_s: list[float] = field(default_factory=list)
    """Event → viewer of the markers raised during the drain."""
    quiet_latencies_s: list[float] = field(default_factory=list)
    """… and of those raised after it, at rest."""
    to_server_s: list[float] = field(default_factory=list)
    """Of the markers raised during the drain: published → taken by the server's model
    (the broker's queue and the feed), one sample a marker."""
    server_to_viewer_s: list[float] = field(default_factory=list)
    """… and from there to each viewer (the hub, the page, the socket)."""
    missed: int = 0
    quiet_bytes: float = 0.0
    """Bytes a second each viewer received, quiet (the live timers)."""
    drain_bytes: float = 0.0
    """Bytes a second each viewer received during the drain (the mean of the viewers)."""
    """Marker sightings that never came (a viewer that did not see a marker)."""
    rss_idle_mb: float = 0.0
    rss_viewers_mb: float = 0.0
    quiet_cpu_idle: float = 0.0
    """Server CPU seconds per second, quiet, without viewers."""
    quiet_cpu_viewers: float = 0.0
    drain_cpu: float = 0.0
    """Server CPU seconds per second during the drain, with the viewers."""
    drain_wait: float | None = None
    """Seconds per second the server's threads waited, ready to run, for a CPU (summed)."""

    @property
    def rss_per_viewer_mb(self) -> float:
        return max(0.0, self.rss_viewers_mb - self.rss_idle_mb) / max(1, self.viewers)

    @property
    def cpu_per_viewer_ms(self) -> float:
        """Milliseconds of server CPU per second per viewer, quiet (live timers)."""
        extra = max(0.0, self.quiet_cpu_viewers - self.quiet_cpu_idle)
        return 1000.0 * extra / max(1, self.viewers)


class _Viewers:
    """``count`` SSE connections to one page in an asyncio loop on its own thread."""

    def __init__(self, url: str, count: int) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "", parts.port or 80, parts.path
        self.count = count
        self.marks: dict[str, float] = {}
        """Marker text → when it was published (monotonic)."""
        self.seen: list[dict[str, float]] = [{} for _ in range(count)]
        self.connected = 0
        self.received = 0
        """Bytes received by all viewers together."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._stop: asyncio.Event | None = None
        self._main: Future[None] | None = None

    async def _run(self) -> None:
        self._stop = asyncio.Event()
        tasks = [asyncio.create_task(self._view(index)) for index in range(self.count)]
        await self._stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def start(self, timeout_s: float = 30.0) -> _Viewers:
        self._thread.start()
        self._main = asyncio.run_coroutine_threadsafe(self._run(), self._loop)
        deadline = time.monotonic() + timeout_s
        while self.connected < self.count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {self.connected} of {self.count} viewers connected")
            time.sleep(0.05)
        return self

    async def _view(self, index: int) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: text/event-stream\r\n\r\n"
        )
        writer.write(request.encode())
        await writer.drain()
        seen, tail, counted = self.seen[index], "", False
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.monotonic()
                self.received += len(chunk)
                if not counted:
                    self.connected += 1
                    counted = True
                text = tail + chunk.decode(errors="replace")
                for mark in list(self.marks):  # the markers grow on another thread
                    if mark not in seen and mark in text:
                        seen[mark] = now
                tail = text[-64:]
        finally:
            writer.close()

    def missing(self) -> int:
        """Marker sightings still to come."""
        return sum(1 for seen in self.seen for mark in list(self.marks) if mark not in seen)

    def stop(self) -> None:
        stop = self._stop
        if stop is not None:
            self._loop.call_soon_threadsafe(stop.set)
        if self._main is not None:
            with contextlib.suppress(Exception):
                self._main.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()


def publish_stream(port: int, lines: int, per_line: int, per_station: int, now: datetime) -> None:
    """Publish the stream of every station (QoS 1) and wait for the broker's answers."""
    _, messages = stream(plant(lines, per_line), per_station, now)
    with RawClient(port, "bench-web-stream") as publisher:
        infos = [publisher.publish(m.topic, m.payload) for m in messages]
        for info in infos:
            info.wait_for_publish(120)


def _marker_station() -> FakeStation:
    return FakeStation(StationAddress(PREFIX, SITE, AREA, "line-000", "mk"))


def _cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def _waited(pids: list[int]) -> float | None:
    waits = [runqueue_wait_seconds(pid) for pid in pids]
    return None if None in waits else sum(w for w in waits if w is not None)


def _cpu_rate(pids: list[int], seconds: float) -> float:
    start = _cpu(pids)
    time.sleep(seconds)
    return (_cpu(pids) - start) / seconds


def measure_web_viewers(
    port: int, viewers: int, lines: int, per_line: int, per_station: int, intake: str = "loop"
) -> ViewersResult:
    """The web server with ``viewers`` on its calls page while the stream drains; its
    broker read in its loop (``intake`` ``loop``) or in a process of its own
    (``process``), whose CPU and memory then count as the server's."""
    stations = plant(lines, per_line)
    now = datetime.now(UTC)
    retained, messages = stream(stations, per_station, now)
    marker = _marker_station()
    template = state_template(now)
    with RawClient(port, "bench-web-publisher") as publisher:
        for m in [*retained, status(marker, now), state(marker, template)]:
            publisher.publish(m.topic, m.payload, retain=m.retain).wait_for_publish(10)
        with Child.python("-m", "andon.bench.web_child", str(port), str(lines), str(per_line),
                          intake, stdin=True) as child:  # fmt: skip
            started = child.read_json(60)
            url = str(started["url"]) + "/events/calls"
            pids = [child.pid] + ([int(started["intake"])] if started.get("intake") else [])
            time.sleep(QUIET_S)  # the retained states are in
            result = ViewersResult(viewers, sum(1 for m in messages if "/events" in m.topic), 0)
            result.rss_idle_mb = sum(rss_mb(pid) for pid in pids)
            result.quiet_cpu_idle = _cpu_rate(pids, QUIET_S)
            audience = _Viewers(url, viewers).start()
            try:
                time.sleep(1.0)
                received = audience.received
                result.quiet_cpu_viewers = _cpu_rate(pids, QUIET_S)
                result.quiet_bytes = (audience.received - received) / QUIET_S / viewers
                received = audience.received
                child.start_sampling()
                cpu = _cpu(pids)
                waited = _waited(pids)
                began = time.monotonic()
                # The stream comes from a process of its own: this one's viewers and
                # markers must not slow the publisher down.
                sender = multiprocessing.get_context("spawn").Process(
                    target=publish_stream, args=(port, lines, per_line, per_station, now)
                )
                sender.start()
                seq = 0
                while sender.is_alive() or seq < 4:
                    seq += 1
                    call = ev.CallRaised(
                        at=datetime.now(UTC), call_id=f"MARK-{seq}", call_type="help",
                        source="button",
                    )  # fmt: skip
                    message = event_message(marker.address, seq, call)
                    # with its closing quote: MARK-1 is not found in MARK-10
                    audience.marks[f'MARK-{seq}"'] = time.monotonic()
                    publisher.publish(message.topic, message.payload)
                    time.sleep(MARK_EVERY_S)
                sender.join()
                deadline = time.monotonic() + SETTLE_S
                while time.monotonic() < deadline and audience.missing():
                    time.sleep(0.1)  # the last markers reach every viewer
                result.drain_s = time.monotonic() - began
                result.drain_bytes = (audience.received - received) / result.drain_s / viewers
                drained = len(audience.marks)
                for _ in range(QUIET_MARKS):  # at rest: one call raised, nothing else moving
                    seq += 1
                    call = ev.CallRaised(
                        at=datetime.now(UTC), call_id=f"MARK-{seq}", call_type="help",
                        source="button",
                    )  # fmt: skip
                    message = event_message(marker.address, seq, call)
                    audience.marks[f'MARK-{seq}"'] = time.monotonic()
                    publisher.publish(message.topic, message.payload)
                    time.sleep(MARK_EVERY_S * 2)
                deadline = time.monotonic() + SETTLE_S
                while time.monotonic() < deadline and audience.missing():
                    time.sleep(0.1)
                result.drain_cpu = (_cpu(pids) - cpu) / result.drain_s
                now_waited = _waited(pids)
                if waited is not None and now_waited is not None:
                    result.drain_wait = (now_waited - waited) / result.drain_s
                result.rss_viewers_mb = child.stop_sampling() + sum(rss_mb(p) for p in pids[1:])
                taken = child.ask("marks")["marks"]  # the same monotonic clock: one machine
                for index, (mark, at) in enumerate(audience.marks.items()):
                    received = taken.get(mark.rstrip('"'))
                    if index >= drained or received is None:
                        continue
                    result.to_server_s.append(received - at)
                    result.server_to_viewer_s.extend(
                        seen[mark] - received for seen in audience.seen if mark in seen
                    )
                for seen in audience.seen:
                    for index, (mark, at) in enumerate(audience.marks.items()):
                        if mark not in seen:
                            result.missed += 1
                        elif index < drained:
                            result.latencies_s.append(seen[mark] - at)
                        else:
                            result.quiet_latencies_s.append(seen[mark] - at)
            finally:
                audience.stop()
    return result


# --- the reference: textual-serve -----------------------------------------------------


@dataclass
class ServeResult:
    tabs: int
    processes: int
    rss_per_tab_mb: float
    cpu_per_tab: float
    """CPU seconds per second per tab, quiet."""
    skipped: str = ""


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure_textual_serve(broker_port: int, tabs: int) -> ServeResult:
    """``andon board --serve`` (the demo's board) opened in ``tabs`` Chromium tabs."""
    if not os.path.exists(CHROMIUM):
        return ServeResult(tabs, 0, 0.0, 0.0, skipped=W.NO_CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        return ServeResult(tabs, 0, 0.0, 0.0, skipped=W.NO_PLAYWRIGHT)
    from andon.demo.run import DEMO_DIR

    port = _free_port()
    board = str(DEMO_DIR / "board.toml")
    with Child.python("-m", "andon", "board", "--config", board, "--serve", "--host",
                      "127.0.0.1", "--port", str(port), "--broker",
                      f"127.0.0.1:{broker_port}") as server:  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            server.alive()
            if time.monotonic() > deadline:
                raise TimeoutError("textual-serve did not listen")
            time.sleep(0.1)
        base = set(_descendants(server.pid))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                pages = [browser.new_page(viewport={"width": 1280, "height": 800})
                         for _ in range(tabs)]  # fmt: skip
                for page in pages:
                    page.goto(f"http://127.0.0.1:{port}/")
                deadline = time.monotonic() + 60
                while len(set(_descendants(server.pid)) - base) < tabs:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                time.sleep(QUIET_S)  # each board has painted
                spawned = sorted(set(_descendants(server.pid)) - base)
                rss = sum(rss_mb(pid) for pid in spawned)
                cpu0 = sum(cpu_seconds(pid) for pid in spawned)
                time.sleep(QUIET_S)
                cpu = (sum(cpu_seconds(pid) for pid in spawned) - cpu0) / QUIET_S
            finally:
                browser.close()
    shown = max(1, tabs)
    return ServeResult(tabs, len(spawned), rss / shown, cpu / shown)
