"""The web server's MQTT intake in a process of its own: the broker read beside the viewers.

:class:`IntakeFeed` is a :class:`~andon.web.feed.WebFeed` whose broker connection
lives in a child process (``python -m andon.web.intake``): the child subscribes as the feed
would, reads the broker in its own loop and acknowledges each message there, and
hands what it read to the server through a socket pair, one batch per read of the socket.
The server's loop takes each batch into the board's model as one batch and asks
for one generation, as before; what it sends (its status, people's commands,
replay requests) goes down the same socket and the child publishes it, reporting
each delivery's outcome back. The MQTT protocol (reading packets, acknowledging
them) then costs the server nothing, and the broker's queue to the web view
drains at the child's pace, not at the pace of a loop that also serves the viewers.
While the server is behind, what the child read waits in the child, and the states a
later one of the same station replaces are dropped before they are sent
(:class:`Outbox`).

Messages on the socket pair are pickled tuples, from the child: ``("batch", [(topic,
payload), …])``, ``("service", topic, payload, retain)``, ``("up",)``, ``("down",
reason)``, ``("acked", token, error)``; to the child: ``("publish", token, topic,
payload, qos, retain)`` and ``("close",)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from andon.bus.client import BusClient, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.delivery import Delivery
from andon.bus.network import LoopNetwork
from andon.web.feed import WebFeed
from andon.web.intake_pipe import Outbox, Pipe

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 3.0


# --- the child process --------------------------------------------------------------


def main(argv: list[str]) -> int:
    """``python -m andon.web.intake FD``: the child, its settings pickled on standard input.

    Ctrl-C at the terminal and a service manager's stop reach the whole process group:
    the child leaves its end to the server, which says goodbye through it and then
    closes it (or is gone, which the child sees on its socket).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    settings, will, filters, services = pickle.loads(sys.stdin.buffer.read())
    sock = socket.socket(fileno=int(argv[0]))
    asyncio.run(_intake(Pipe(sock), settings, will, filters, services))
    return 0


async def _intake(
    pipe: Pipe, settings: BrokerSettings, will: Will, filters: list[str], services: str
) -> None:
    loop = asyncio.get_running_loop()
    batch: list[tuple[str, bytes]] = []
    closing = asyncio.Event()
    told = False  # the server said goodbye (else it is gone: the Last Will is announced)
    outbox = Outbox(loop, pipe.socket)

    def up(message: tuple[Any, ...]) -> None:
        outbox.send(message)
        if outbox.gone:  # the server is gone: so is the reason to read the broker
            closing.set()

    def flush() -> None:
        nonlocal batch
        if batch:
            taken, batch = batch, []
            outbox.batch(taken)
            if outbox.gone:
                closing.set()

    def service(message: Message) -> None:
        flush()
        up(("service", message.topic, message.payload, message.retain))

    bus = BusClient(
        settings,
        will=will,
        on_connect=lambda _session: up(("up",)),
        on_disconnect=lambda reason: up(("down", reason)),
    )
    for pattern in filters:
        bus.subscribe(pattern, lambda m: batch.append((m.topic, m.payload)), qos=1)
    bus.subscribe(services, service, qos=1)
    network = LoopNetwork(
        loop, settings.reconnect_min_s, settings.reconnect_max_s, after_read=flush
    )
    bus.start(network)

    def outcome(token: int) -> Callable[[Delivery], None]:
        return lambda delivery: up(("acked", token, delivery.error))

    def readable() -> None:
        nonlocal told
        for message in pipe.received():
            if message[0] == "close":
                told = pipe.closed = True
                break
            _, token, topic, payload, qos, retain = message
            try:
                bus.publish(topic, payload, qos, retain, on_acked=outcome(token))
            except (RuntimeError, ValueError) as exc:
                up(("acked", token, str(exc)))
        if pipe.closed:  # told to, or the server is gone
            closing.set()

    loop.add_reader(pipe.fileno(), readable)
    await closing.wait()
    loop.remove_reader(pipe.fileno())
    if outbox.watching:
        loop.remove_writer(pipe.fileno())
    await asyncio.to_thread(bus.close, 1.0, not told)


# --- the server's side --------------------------------------------------------------


class _PipeBus:
    """What the feed publishes through: the child's connection, seen from the server."""

    def __init__(self) -> None:
        self.pipe: Pipe | None = None
        self.connected = False
        self._deliveries: dict[int, Delivery] = {}
        self._tokens = 0
        self._lock = threading.Lock()

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int = 1,
        retain: bool = False,
        on_acked: Callable[[Delivery], None] | None = None,
    ) -> Delivery:
        delivery = Delivery(topic, qos, retain)
        if on_acked is not None:
            delivery.add_done_callback(on_acked)
        if self.pipe is None:
            raise RuntimeError("the intake process is not running")
        with self._lock:
            self._tokens += 1
            token = self._tokens
            self._deliveries[token] = delivery
        try:
            self.pipe.send(("publish", token, topic, payload, qos, retain))
        except OSError as exc:
            with self._lock:
                self._deliveries.pop(token, None)
            raise RuntimeError(f"the intake process is gone: {exc}") from exc
        return delivery

    def finished(self, token: int, error: str | None) -> None:
        with self._lock:
            delivery = self._deliveries.pop(token, None)
        if delivery is not None:
            delivery.finish(error)

    def fail_all(self, error: str) -> None:
        with self._lock:
            pending, self._deliveries = list(self._deliveries.values()), {}
        for delivery in pending:
            delivery.finish(error)


class IntakeFeed(WebFeed):
    """A :class:`WebFeed` whose broker connection runs in a child process."""

    def _make_bus(self, will: Will) -> Any:
        self._will = will
        self._pipe_bus = _PipeBus()
        self._process: subprocess.Popen[bytes] | None = None
        self._closing = False
        return self._pipe_bus

    def start(self) -> IntakeFeed:
        """Start the child and read its socket in the running loop; returns at once."""
        if self._started:
            return self
        self._started = True
        ours, theirs = socket.socketpair()
        self.model.broker_state(
            False, f"connecting to {self.settings.endpoint}", self.clock(), self.settings.endpoint
        )
        self._process = subprocess.Popen(
            [sys.executable, "-m", "andon.web.intake", str(theirs.fileno())],
            stdin=subprocess.PIPE,
            pass_fds=(theirs.fileno(),),
        )
        theirs.close()
        assert self._process.stdin is not None
        setup = (self.settings, self._will, self._filters(), self._services_filter())
        self._process.stdin.write(pickle.dumps(setup))
        self._process.stdin.close()
        self._pipe_bus.pipe = Pipe(ours)
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(ours.fileno(), self._readable)
        return self

    @property
    def intake_pid(self) -> int | None:
        """The child's process id (once started)."""
        return self._process.pid if self._process is not None else None

    def _readable(self) -> None:
        """What the child sent since the last turn: every batch into the model at once."""
        pipe = self._pipe_bus.pipe
        assert pipe is not None
        for message in pipe.received():
            kind = message[0]
            if kind == "batch":
                self._batch.extend(message[1])
            elif kind == "service":
                self._ingest()
                self._on_service_status(Message(message[1], message[2], 1, message[3]))
            elif kind == "up":
                self._pipe_bus.connected = True
                self._on_connect(False)
            elif kind == "down":
                self._pipe_bus.connected = False
                self._on_disconnect(str(message[1]))
            elif kind == "acked":
                self._pipe_bus.finished(message[1], message[2])
        self._ingest()
        if pipe.closed:
            self._lost_child(pipe)

    def _lost_child(self, pipe: Pipe) -> None:
        if not self._closing:
            log.error("the web server's intake process stopped")
        self._loop.remove_reader(pipe.fileno())
        self._pipe_bus.pipe = None
        pipe.socket.close()
        self._pipe_bus.connected = False
        self._pipe_bus.fail_all("the intake process stopped")
        self._on_disconnect("the intake process stopped")

    def close(self) -> None:
        """Say goodbye through the child, then stop it (from a thread other than the loop's)."""
        self._closing = True
        if self._pipe_bus.connected:
            with contextlib.suppress(RuntimeError):
                self._publish_status(False, "stopped").wait(1.0)
        pipe = self._pipe_bus.pipe
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.send(("close",))
        process = self._process
        if process is not None:
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()  # it leaves SIGTERM to the server
                process.wait(STOP_TIMEOUT_S)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
