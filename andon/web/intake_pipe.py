"""The socket pair between the web server and its intake process: whole pickled messages.

Each message is its length (4 bytes) and a pickled tuple (:mod:`andon.web.intake`
lists them). :class:`Pipe` is either end's reader (and the server's writer);
:class:`Outbox` is the child's writer, which never blocks the child's loop while
the server is behind.
"""

from __future__ import annotations

import asyncio
import pickle
import socket
import struct
import threading
from typing import Any

from andon.web.coalesce import STATE_SUFFIX, coalesce

_LENGTH = struct.Struct("!I")
OUTBOX_LIMIT = 50_000
"""Messages the child holds for a server that is behind before it waits for it."""


class Pipe:
    """One end of the socket pair: whole pickled messages, each after its length.

    Sending blocks until the message is written (from any thread); :meth:`received`
    takes what the socket holds without waiting and returns the whole messages in it.
    """

    def __init__(self, sock: socket.socket) -> None:
        self.socket = sock
        self._lock = threading.Lock()
        self._buffer = bytearray()
        self.closed = False
        """The other end is gone."""

    def fileno(self) -> int:
        return self.socket.fileno()

    def send(self, message: tuple[Any, ...]) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self.socket.sendall(_LENGTH.pack(len(data)) + data)

    def received(self, limit: int = 1 << 22) -> list[tuple[Any, ...]]:
        """The whole messages the socket holds now (up to about ``limit`` bytes read)."""
        taken = 0
        while taken < limit:
            try:
                chunk = self.socket.recv(1 << 20, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                break
            self._buffer += chunk
            taken += len(chunk)
        messages = []
        start, buffer = 0, self._buffer
        while len(buffer) - start >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(buffer, start)
            end = start + _LENGTH.size + length
            if end > len(buffer):
                break
            messages.append(tuple(pickle.loads(buffer[start + _LENGTH.size : end])))
            start = end
        del buffer[:start]
        return messages


class Outbox:
    """What the child sends the server, written as fast as the server's end takes it.

    The socket does not block the child: while the server is behind, what the child
    reads waits here (the child goes on reading and acknowledging the broker), and the
    batches that wait are taken together and sent without their superseded states
    (:func:`~andon.web.coalesce.coalesce`). Past :data:`OUTBOX_LIMIT` waiting messages
    the child writes blocking again, so the broker's queue holds the rest (its
    ``max_queued_messages`` bounds it) instead of the child's memory.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, sock: socket.socket) -> None:
        self.loop = loop
        self.socket = sock
        sock.setblocking(False)
        self.queue: list[tuple[Any, ...]] = []
        self.waiting = 0
        """Messages read from the broker in :attr:`queue`."""
        self.out = bytearray()
        self.watching = False
        self.gone = False
        self.states: set[str] = set()
        """State topics already sent: the server holds a state of each."""
        self.coalesced = 0

    def batch(self, items: list[tuple[str, bytes]]) -> None:
        if self.queue and self.queue[-1][0] == "batch":
            self.queue[-1][1].extend(items)
        else:
            self.queue.append(("batch", items))
        self.waiting += len(items)
        self.pump()
        if self.waiting > OUTBOX_LIMIT and not self.gone:
            self._drain_blocking()

    def send(self, message: tuple[Any, ...]) -> None:
        self.queue.append(message)
        self.pump()

    def _frame(self) -> None:
        queue, self.queue, self.waiting = self.queue, [], 0
        for message in queue:
            if message[0] == "batch":
                items, dropped = coalesce(message[1], self.states.__contains__)
                self.coalesced += dropped
                self.states.update(t for t, _ in items if t.endswith(STATE_SUFFIX))
                message = ("batch", items)
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            self.out += _LENGTH.pack(len(data)) + data

    def pump(self) -> None:
        """Write what the socket takes now; watch it for the rest."""
        while not self.gone:
            if not self.out:
                if not self.queue:
                    break
                self._frame()
            try:
                sent = self.socket.send(self.out)
            except (BlockingIOError, InterruptedError):
                if not self.watching:
                    self.watching = True
                    self.loop.add_writer(self.socket.fileno(), self.pump)
                return
            except OSError:
                self.gone = True
                break
            del self.out[:sent]
        if self.watching:
            self.watching = False
            self.loop.remove_writer(self.socket.fileno())

    def _drain_blocking(self) -> None:
        self.socket.setblocking(True)
        try:
            self._frame()
            self.socket.sendall(self.out)
            self.out.clear()
        except OSError:
            self.gone = True
        finally:
            self.socket.setblocking(False)
