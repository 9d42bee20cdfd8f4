"""A PNS tower on loopback: the simulator's LAN tower, and the test double the
PNS driver is checked against. It parses the frame layout documented in
:mod:`hal.pns` on its own (it does not reuse the driver's encoder), keeps the
tower's state, answers ACK or NAK, and can be told to refuse or drop frames.
"""

from __future__ import annotations

import selectors
import socket
import threading
from collections.abc import Callable

_LAMP_CODES = {0x00, 0x01, 0x02, 0x03}
_BUZZER_CODES = {0x00, 0x01, 0x02, 0x03, 0x04}
_KEEP = 0x09
_ACK, _NAK = b"\x06", b"\x15"


class LoopbackPnsTower:
    """A five-tier PNS tower listening on ``127.0.0.1:port`` (port 0 picks a free one)."""

    def __init__(self, port: int = 0) -> None:
        self.lamps = [0x00] * 5
        """The LED units' codes, top first: 0 off, 1 on, 2 flash 1, 3 flash 2."""
        self.buzzer = 0x00
        self.frames: list[bytes] = []
        """Every complete frame received, in order."""
        self.replies: list[bytes] = []
        self._nak_next = 0
        self._drop_next = 0
        self._changed = threading.Condition()
        self._listener = socket.create_server(("127.0.0.1", port))
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, self._accept)
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._buffers: dict[socket.socket, bytearray] = {}
        self._pending: list[Callable[[], None]] = []
        self._running = True
        self._thread = threading.Thread(target=self._serve, name="pns-loopback", daemon=True)
        self._thread.start()

    # --- fault injection -------------------------------------------------
    def nak_next(self, count: int = 1) -> None:
        """Refuse (NAK) the next ``count`` frames."""
        with self._changed:
            self._nak_next += count

    def drop_next(self, count: int = 1) -> None:
        """Close the connection on each of the next ``count`` frames, without answering."""
        with self._changed:
            self._drop_next += count

    def drop_connections(self) -> None:
        """Close every open client connection, as a tower restart would (returns when done)."""
        self._call_soon(self._close_clients).wait(5.0)

    # --- observation -----------------------------------------------------
    def wait_for_frames(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until ``count`` frames have been received in total."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.frames) >= count, timeout)

    @property
    def connections(self) -> int:
        return len(self._buffers)

    # --- server ------------------------------------------------------------
    def _call_soon(self, action: Callable[[], None]) -> threading.Event:
        done = threading.Event()

        def run() -> None:
            action()
            done.set()

        with self._changed:
            self._pending.append(run)
        self._wake_w.send(b"!")
        return done

    def _serve(self) -> None:
        while self._running:
            for key, _ in self._selector.select(timeout=1.0):
                if key.data is None:
                    self._wake_r.recv(64)
                    with self._changed:
                        pending, self._pending = self._pending, []
                    for action in pending:
                        action()
                else:
                    key.data(key.fileobj)

    def _accept(self, listener: socket.socket) -> None:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return
        conn.setblocking(False)
        self._buffers[conn] = bytearray()
        self._selector.register(conn, selectors.EVENT_READ, self._read)

    def _read(self, conn: socket.socket) -> None:
        try:
            data = conn.recv(4096)
        except OSError:
            data = b""
        if not data:
            self._close(conn)
            return
        buffer = self._buffers[conn]
        buffer.extend(data)
        while len(buffer) >= 6:
            size = int.from_bytes(buffer[4:6], "big")
            if buffer[0:2] != b"XX" or buffer[3] != 0 or size > 64:
                buffer.clear()
                self._answer(conn, _NAK)
                return
            if len(buffer) < 6 + size:
                return
            received = bytes(buffer[: 6 + size])
            del buffer[: 6 + size]
            if not self._handle(conn, received):
                return

    def _handle(self, conn: socket.socket, received: bytes) -> bool:
        with self._changed:
            self.frames.append(received)
            drop = self._drop_next > 0
            nak = not drop and self._nak_next > 0
            self._drop_next -= 1 if drop else 0
            self._nak_next -= 1 if nak else 0
            self._changed.notify_all()
        if drop:
            self._close(conn)
            return False
        reply = _NAK if nak else self._apply(received[2:3], received[6:])
        self._answer(conn, reply)
        return True

    def _apply(self, identifier: bytes, data: bytes) -> bytes:
        if identifier == b"S" and len(data) == 6:
            lamps, buzzer = data[:5], data[5]
            if any(c not in _LAMP_CODES | {_KEEP} for c in lamps):
                return _NAK
            if buzzer not in _BUZZER_CODES | {_KEEP}:
                return _NAK
            with self._changed:
                self.lamps = [
                    old if new == _KEEP else new for old, new in zip(self.lamps, lamps, strict=True)
                ]
                self.buzzer = self.buzzer if buzzer == _KEEP else buzzer
            return _ACK
        if identifier == b"C" and not data:
            with self._changed:
                self.lamps, self.buzzer = [0x00] * 5, 0x00
            return _ACK
        if identifier == b"G" and not data:
            return bytes([*self.lamps, self.buzzer])
        return _NAK

    def _answer(self, conn: socket.socket, reply: bytes) -> None:
        with self._changed:
            self.replies.append(reply)
            self._changed.notify_all()
        try:
            conn.sendall(reply)
        except OSError:
            self._close(conn)

    def _close(self, conn: socket.socket) -> None:
        if conn in self._buffers:
            self._selector.unregister(conn)
            del self._buffers[conn]
        conn.close()

    def _close_clients(self) -> None:
        for conn in list(self._buffers):
            self._close(conn)

    def close(self) -> None:
        """Stop serving and close every socket; safe to call twice."""
        if not self._running:
            return

        def stop() -> None:
            self._running = False

        self._call_soon(stop)
        self._thread.join()
        self._close_clients()
        self._selector.close()
        for sock in (self._listener, self._wake_r, self._wake_w):
            sock.close()

    def __enter__(self) -> LoopbackPnsTower:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
