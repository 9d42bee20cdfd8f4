"""An MQTT connection driven by an asyncio event loop instead of a network thread.

paho's external-loop API (``socket()``, ``loop_read()``, ``loop_write()``,
``loop_misc()`` and the socket callbacks) lets the loop that serves a program's
other work read the broker's socket too: reading, the program's handling of
what was read and its other work then share one thread, with no hand-over of
the interpreter between threads. A server that renders pages while messages
arrive is the case: with paho's own thread beside a busy loop, the network
thread waited for the interpreter at every read and took a few thousand
messages a second instead of some twenty thousand.

:class:`LoopNetwork` reads everything the socket holds in one go (up to
:data:`READS_PER_TURN` packets) and then calls ``after_read()`` once, so the
program can take what was read as one batch. It acknowledges each message as
it reads it (the broker sends only so many unacknowledged QoS 1 messages ahead,
20 by default): waiting for the loop's next turn to write the acknowledgements
would hold the broker back for as long as that turn's other work takes. While
it reads, an acknowledgement written at once does not make the loop watch the
socket for writing (two system calls a message); only what is left unwritten
after the read does. It reconnects with the same
exponential backoff as the threaded client; the connection attempt itself (name
lookup, TCP, TLS handshake) runs in a worker thread, so an unreachable broker
never holds the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import select
import threading
from collections.abc import Callable
from typing import Any, Protocol

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

log = logging.getLogger(__name__)

READS_PER_TURN = 1000
"""Packets read from the socket before the loop gets to its other work."""
MISC_S = 1.0
"""How often keep-alive and timeouts are looked after."""


class Network(Protocol):
    """What drives a client's socket instead of paho's own thread."""

    def start(self, client: mqtt.Client) -> None: ...

    def stop(self, timeout: float) -> None: ...


class LoopNetwork:
    """Drives one paho client from an asyncio loop; start it in that loop's thread."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        reconnect_min_s: float,
        reconnect_max_s: float,
        *,
        after_read: Callable[[], None] | None = None,
    ) -> None:
        self.loop = loop
        self.reconnect_min_s = reconnect_min_s
        self.reconnect_max_s = reconnect_max_s
        self.after_read = after_read
        self._client: mqtt.Client | None = None
        self._thread = threading.get_ident()
        self._fd: int | None = None
        self._writing = False
        self._reading = False
        """In :meth:`_readable`: what is queued is written right after each read."""
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # --- life ------------------------------------------------------------------------

    def start(self, client: mqtt.Client) -> None:
        """Take over the client's network (after ``connect_async``); returns at once."""
        self._thread = threading.get_ident()
        self._client = client
        client.on_socket_open = self._socket_open
        client.on_socket_close = self._socket_close
        client.on_socket_register_write = self._register_write
        client.on_socket_unregister_write = self._unregister_write
        self._task = self.loop.create_task(self._run())

    def stop(self, timeout: float = 2.0) -> None:
        """Send what is queued (a DISCONNECT) and stop reconnecting; from any thread."""
        if self._in_loop():
            self._shutdown()
            return
        done = threading.Event()

        def shutdown() -> None:
            try:
                self._shutdown()
            finally:
                done.set()

        if not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop stopped meanwhile
                self.loop.call_soon_threadsafe(shutdown)
                done.wait(timeout)

    def _shutdown(self) -> None:
        self._stopping = True
        client = self._client
        if client is not None and client.socket() is not None and client.want_write():
            client.loop_write()
        self._forget_socket()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        """Connect, look after the connection, and reconnect with backoff when it is lost."""
        client = self._client
        assert client is not None
        delay = self.reconnect_min_s
        while not self._stopping:
            if client.socket() is None and not await self._connect(client):
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.reconnect_max_s)
                continue
            self._lost.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), MISC_S)
            if client.is_connected():
                delay = self.reconnect_min_s
            if client.socket() is not None:
                client.loop_misc()

    async def _connect(self, client: mqtt.Client) -> bool:
        try:
            await asyncio.to_thread(client.reconnect)
        except (OSError, ValueError) as exc:  # refused, unreachable, TLS refused
            log.debug("connecting failed: %s", exc)
            failed = client.on_connect_fail
            if failed is not None:
                failed(client, client.user_data_get())
            return False
        return True

    # --- the socket ------------------------------------------------------------------

    def _in_loop(self) -> bool:
        return threading.get_ident() == self._thread

    def _soon(self, call: Callable[..., None], *args: Any) -> None:
        """Run ``call`` in the loop: now from its thread, soon from another."""
        if self._in_loop():
            call(*args)
        elif not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(call, *args)

    def _socket_open(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._soon(self._watch, sock.fileno())

    def _socket_close(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._soon(self._forget_socket)

    def _register_write(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        if self._reading and self._in_loop():
            return  # written right after this read; what is left is watched after it
        self._soon(self._want_write, True)

    def _unregister_write(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._soon(self._want_write, False)

    def _watch(self, fd: int) -> None:
        self._forget_socket()
        if self._stopping:
            return
        self._fd = fd
        self.loop.add_reader(fd, self._readable)
        client = self._client
        if client is not None and client.want_write():
            self._want_write(True)

    def _forget_socket(self) -> None:
        if self._fd is not None:
            self.loop.remove_reader(self._fd)
            self.loop.remove_writer(self._fd)
            self._fd = None
            self._writing = False
        self._lost.set()

    def _want_write(self, on: bool) -> None:
        if self._fd is None or on == self._writing:
            return
        self._writing = on
        if on:
            self.loop.add_writer(self._fd, self._writable)
        else:
            self.loop.remove_writer(self._fd)

    def _writable(self) -> None:
        client = self._client
        if client is not None:
            client.loop_write()
            if not client.want_write():
                self._want_write(False)

    def _readable(self) -> None:
        """Read every packet the socket holds, then let the program take them at once."""
        client = self._client
        if client is None:
            return
        self._reading = True
        try:
            for _ in range(READS_PER_TURN):
                if client.loop_read() != MQTTErrorCode.MQTT_ERR_SUCCESS:
                    break
                if client.want_write():  # the acknowledgements at once: the broker sends
                    client.loop_write()  # only so many unacknowledged messages ahead
                sock = client.socket()
                if sock is None or not _more(sock):
                    break
        finally:
            self._reading = False
            if client.socket() is not None and client.want_write():
                self._want_write(True)
            if self.after_read is not None:
                self.after_read()


def _more(sock: Any) -> bool:
    """Whether the socket (or its TLS layer's buffer) holds more to read."""
    pending = getattr(sock, "pending", None)
    if pending is not None and pending() > 0:
        return True
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)
