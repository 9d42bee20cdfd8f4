"""sd_notify over a real unix datagram socket, as systemd listens for it."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.sd_notify import READY, WATCHDOG, sd_notify, status, watchdog_interval_s


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A datagram socket bound to a path, like systemd's notify socket."""
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    try:
        yield sock, str(path)
    finally:
        sock.close()


def test_ready_and_watchdog_reach_the_socket(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    env = {"NOTIFY_SOCKET": path}
    assert sd_notify(READY, env)
    assert sock.recv(4096) == b"READY=1"
    line = status("lamps  on,\nbroker up")
    assert sd_notify(f"{WATCHDOG}\n{line}", env)
    assert sock.recv(4096) == b"WATCHDOG=1\nSTATUS=lamps on, broker up"


def test_the_abstract_namespace_is_supported() -> None:
    name = f"andon-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(5)
        assert sd_notify(READY, {"NOTIFY_SOCKET": "@" + name})
        assert sock.recv(4096) == b"READY=1"


def test_without_systemd_it_does_nothing(tmp_path: Path) -> None:
    assert not sd_notify(READY, {})
    assert not sd_notify(READY, {"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert not sd_notify(READY, {"NOTIFY_SOCKET": "vsock:2:1234"})


def test_the_process_environment_is_the_default(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    assert sd_notify(READY)
    assert sock.recv(4096) == b"READY=1"


def test_the_watchdog_interval() -> None:
    me = str(os.getpid())
    assert watchdog_interval_s({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": me}) == 20.0
    assert watchdog_interval_s({"WATCHDOG_USEC": "500000"}) == 0.5
    assert watchdog_interval_s({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval_s({"WATCHDOG_USEC": "soon"}) is None
    assert watchdog_interval_s({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval_s({}) is None
