"""A WAN link that can be cut: a TCP relay on loopback between a site and the enterprise.

While cut, the relay resets every open connection and refuses new ones, the way a
site's router answers when its uplink is down. Restored, it relays again.

As a process (``python -m andon.bench.wan_link TARGET_PORT COUNT``) it relays COUNT
links to one target, prints their ports as JSON, and cuts them all on SIGUSR1 and
restores them on SIGUSR2, so the relaying costs none of the measuring process's CPU.
"""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import sys
import threading

HOST = "127.0.0.1"


class WanLink:
    """Relays ``HOST:port`` to ``HOST:target``; :meth:`cut` and :meth:`restore` it."""

    def __init__(self, target: int) -> None:
        self.target = target
        self._server = socket.create_server((HOST, 0))
        self.port = int(self._server.getsockname()[1])
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._up = True
        self._closed = False
        self.connections = 0
        """Connections relayed so far (a bridge that reconnected made a new one)."""
        self._thread = threading.Thread(target=self._accept, name="wan-link", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                inside, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                if self._closed:
                    inside.close()
                    return
                up = self._up
            if not up:
                _reset(inside)
                continue
            try:
                outside = socket.create_connection((HOST, self.target), timeout=5)
            except OSError:
                _reset(inside)
                continue
            outside.settimeout(None)
            with self._lock:
                self._open += [inside, outside]
                self.connections += 1
            for source, sink in ((inside, outside), (outside, inside)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def cut(self) -> None:
        """Drop every connection across the link; refuse new ones until :meth:`restore`."""
        with self._lock:
            self._up = False
            sockets, self._open = self._open, []
        for sock in sockets:
            _reset(sock)

    def restore(self) -> None:
        with self._lock:
            self._up = True

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.cut()
        self._server.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    for sock in (source, sink):
        _reset(sock)


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def main(argv: list[str]) -> int:
    target, count = int(argv[0]), int(argv[1])
    links = [WanLink(target) for _ in range(count)]
    signal.signal(signal.SIGUSR1, lambda *_: [link.cut() for link in links])
    signal.signal(signal.SIGUSR2, lambda *_: [link.restore() for link in links])
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print(json.dumps({"ports": [link.port for link in links]}), flush=True)
    while not done.wait(1):
        pass
    for link in links:
        link.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
