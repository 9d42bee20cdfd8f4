"""A socket that reads the network in blocks and hands paho its small reads from memory.

paho reads each MQTT packet with at least three ``recv`` calls (the command
byte, the remaining length byte by byte, then the body), each one a system
call. A board taking thousands of messages a second spends much of its time
there. :class:`BufferedSocket` reads up to :data:`BLOCK` bytes at once and
serves those reads from what it already holds; :meth:`BufferedSocket.pending`
tells paho's loop that bytes are waiting, so it does not sleep in ``select``
while a packet is still in memory (paho asks this of TLS sockets already).
Everything else (sending, the descriptor) goes to the real socket.

Closing is graceful: closing a TCP socket that still holds unread bytes (a late
SUBACK, say) makes the kernel reset the connection, and the peer then throws
away what it had not read yet — the PUBACKs and the DISCONNECT just sent. The
broker would send those messages again, and publish the client's Last Will as
after a crash. :meth:`BufferedSocket.close` first half-closes the connection
(what was sent goes before the FIN), then reads and drops what still arrives
until the broker closes its side or :data:`LINGER_S` passed.
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from typing import Any

BLOCK = 65536
"""Bytes asked of the network per read: many packets of a busy stream at once."""

LINGER_S = 0.5
"""At most this long, closing waits for the broker to close its side."""


class BufferedSocket:
    """A connected (plain or TLS) socket whose reads go through an in-memory buffer."""

    def __init__(self, inner: socket.socket | ssl.SSLSocket) -> None:
        self._inner = inner
        self._buffer = bytearray()
        self._inner_pending = getattr(inner, "pending", None)
        """A TLS socket's own count of decrypted bytes not read yet (None for plain TCP)."""

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes: from memory if any are held, else one read of the network.

        The network's own exceptions (``BlockingIOError``, TLS want-read, a lost
        connection) and its end of stream (``b""``) come through unchanged.
        """
        if not self._buffer:
            block = self._inner.recv(max(size, BLOCK))
            if len(block) <= size:
                return block
            self._buffer += block
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def pending(self) -> int:
        """Bytes already read from the network that paho has not taken yet."""
        inner_pending = self._inner_pending
        return len(self._buffer) + (inner_pending() if inner_pending is not None else 0)

    @property
    def plain(self) -> bool:
        """True for plain TCP, where one thread may send while another receives.

        A TLS connection is one OpenSSL object, which two threads must not use at once.
        """
        return self._inner_pending is None

    def send(self, data: bytes | bytearray | memoryview) -> int:
        return self._inner.send(data)

    def fileno(self) -> int:
        return self._inner.fileno()

    def setblocking(self, flag: bool) -> None:
        self._inner.setblocking(flag)

    def close(self) -> None:
        """Half-close, drop what still arrives until the peer's end (at most LINGER_S), close."""
        self._buffer.clear()
        try:
            self._drain_until_peer_closes()
        finally:
            self._inner.close()

    def _drain_until_peer_closes(self) -> None:
        sock = self._inner
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            return  # not connected any more: nothing can be lost
        deadline = time.monotonic() + LINGER_S
        while (left := deadline - time.monotonic()) > 0:
            try:
                readable, _, _ = select.select([sock], [], [], left)
                if not readable or not sock.recv(BLOCK):
                    return
            except (OSError, ValueError):
                return

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
