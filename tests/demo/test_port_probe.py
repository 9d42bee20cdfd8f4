"""Whether a port is free is asked by binding it, not by connecting to whoever listens:
a running demo's broker logged an error for every probe of a second demo."""

from __future__ import annotations

import socket

from andon.demo.run import port_free


def test_a_port_in_use_is_taken_without_a_connection_to_its_listener():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        assert not port_free("127.0.0.1", port)
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            connection = None
        assert connection is None, "the probe connected to the listener"


def test_a_port_nobody_holds_is_free():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
    assert port_free("127.0.0.1", port)
