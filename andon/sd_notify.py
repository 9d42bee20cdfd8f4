"""Tell systemd how the service is doing: the ``sd_notify`` protocol, without dependencies.

A unit with ``Type=notify`` waits for ``READY=1`` before it counts as started;
with ``WatchdogSec=`` it restarts the service when no ``WATCHDOG=1`` arrives in
time. systemd passes the socket in ``$NOTIFY_SOCKET`` (a path, or ``@name`` for
the abstract namespace); outside systemd the variable is unset and every call
is a no-op that returns False.

>>> sd_notify(READY)                                # doctest: +SKIP
True
>>> interval = watchdog_interval_s()                # e.g. 20.0 with WatchdogSec=20
>>> # ping with sd_notify(WATCHDOG) at least every interval / 2 seconds
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

READY = "READY=1"
"""Start-up finished: the unit counts as active."""
WATCHDOG = "WATCHDOG=1"
"""Still alive: resets the watchdog timer."""
STOPPING = "STOPPING=1"
"""Shutting down."""
RELOADING = "RELOADING=1"


def status(text: str) -> str:
    """A ``STATUS=`` line, shown by ``systemctl status`` (one line of text)."""
    return "STATUS=" + " ".join(text.split())


def _socket_address(value: str) -> str | None:
    if value.startswith("@"):
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    return None


def sd_notify(state: str, environ: Mapping[str, str] | None = None) -> bool:
    """Send ``state`` (e.g. ``"READY=1"``, or several lines) to systemd.

    Returns True when the datagram was sent, False when there is no
    ``$NOTIFY_SOCKET`` (not started by systemd) or it could not be reached.
    Never raises for a missing or broken socket: a service must not die
    because its supervisor is gone.
    """
    env = os.environ if environ is None else environ
    value = env.get("NOTIFY_SOCKET", "")
    if not value:
        return False
    address = _socket_address(value)
    if address is None:
        log.debug("unsupported NOTIFY_SOCKET %r", value)
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(state.encode("utf-8"))
    except OSError as exc:
        log.debug("cannot notify systemd at %r: %s", value, exc)
        return False
    return True


def watchdog_interval_s(environ: Mapping[str, str] | None = None) -> float | None:
    """The watchdog timeout systemd set for this process (``WatchdogSec=``), in seconds.

    ``None`` when no watchdog is armed, or it is meant for another process
    (``$WATCHDOG_PID`` names a different pid). Ping at half this interval.
    """
    env = os.environ if environ is None else environ
    usec = env.get("WATCHDOG_USEC", "")
    pid = env.get("WATCHDOG_PID", "")
    try:
        if pid and int(pid) != os.getpid():
            return None
        value = int(usec)
    except ValueError:
        return None
    return value / 1_000_000 if value > 0 else None
