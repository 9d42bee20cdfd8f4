"""The buffered socket on a real connected socket pair."""

from __future__ import annotations

import contextlib
import fcntl
import socket
import struct
import termios
import threading

import pytest

from andon.bus.buffered_socket import BLOCK, BufferedSocket
from tests.bus.conftest import wait_until


@pytest.fixture
def pair():
    left, right = socket.socketpair()
    right.setblocking(False)
    yield left, BufferedSocket(right)
    left.close()
    right.close()


def test_small_reads_are_served_from_one_read_of_the_network(pair):
    writer, reader = pair
    writer.sendall(b"\x30\x05hello\x40\x02")
    assert reader.recv(1) == b"\x30"
    assert reader.pending() == 8  # the rest was read along with the first byte
    assert reader.recv(1) == b"\x05"
    assert reader.recv(5) == b"hello"
    assert reader.recv(10) == b"\x40\x02"  # no more than it holds, not waiting for more
    assert reader.pending() == 0


def test_nothing_to_read_raises_as_the_socket_does(pair):
    _, reader = pair
    with pytest.raises(BlockingIOError):
        reader.recv(1)


def test_the_end_of_the_stream_comes_after_what_is_held(pair):
    writer, reader = pair
    writer.sendall(b"abc")
    writer.shutdown(socket.SHUT_WR)
    assert reader.recv(1) == b"a"
    assert reader.recv(2) == b"bc"
    assert reader.recv(1) == b""


def test_a_large_read_takes_what_the_network_has_beyond_one_block(pair):
    writer, reader = pair
    writer.setblocking(False)
    data = bytes(range(256)) * (3 * BLOCK // 256)
    sent = 0
    received = bytearray()
    while len(received) < len(data):
        if sent < len(data):
            with contextlib.suppress(BlockingIOError):
                sent += writer.send(data[sent:])
        try:
            received += reader.recv(len(data) - len(received))
        except BlockingIOError:
            continue
    assert bytes(received) == data
    assert reader.pending() == 0


def test_sending_and_the_descriptor_are_the_sockets_own(pair):
    writer, reader = pair
    assert reader.send(b"ping") == 4
    assert writer.recv(4) == b"ping"
    assert reader.fileno() == reader._inner.fileno()
    assert reader.getsockname() == reader._inner.getsockname()  # anything else is passed on


def test_closing_with_unread_bytes_ends_cleanly_instead_of_resetting():
    """A plain close with unread bytes resets the connection (a broker then drops the
    client's last packets and publishes its will); the buffered socket half-closes and
    waits for the peer's end, so the peer reads everything and then a clean end."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        broker, _ = server.accept()
        with broker:
            broker.sendall(b"\x90\x03\x00\x01\x01")  # a late SUBACK the client never reads
            wait_until(lambda: _unread(client) == 5)
            client.setblocking(False)
            wrapped = BufferedSocket(client)
            assert wrapped.send(b"\x40\x02\x00\x07\xe0\x00") == 6  # PUBACK, DISCONNECT
            closing = threading.Thread(target=wrapped.close)
            closing.start()
            broker.settimeout(5)
            received = b""
            while len(received) < 6:
                received += broker.recv(64)
            assert received == b"\x40\x02\x00\x07\xe0\x00"
            assert broker.recv(64) == b""  # the client's FIN, not a reset
            broker.shutdown(socket.SHUT_WR)  # as a broker does after DISCONNECT
            closing.join(5)
            assert not closing.is_alive()
        assert client.fileno() == -1


def test_closing_a_socket_whose_peer_is_gone_does_not_wait():
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        broker, _ = server.accept()
        broker.close()
        client.setblocking(False)
        BufferedSocket(client).close()
        assert client.fileno() == -1


def _unread(sock: socket.socket) -> int:
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0]
