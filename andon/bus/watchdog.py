"""A watchdog for the plant's broker: restart it when it hangs, not when it is down.

A broker that has stopped is systemd's to restart (``Restart=on-failure``). A broker
whose process runs but no longer answers is not: it holds its port, so clients
connect and wait, and systemd sees nothing wrong. Debian 12's Mosquitto 2.0.11 does
this after a TLS bridge connection fails mid-handshake (for example when the WAN
drops while the bridge reconnects): it spins in its keep-alive check for ever and
every station, board and historian of the site loses the bus. The bug is
eclipse-mosquitto/mosquitto#2594, fixed in 2.0.15
(https://github.com/eclipse-mosquitto/mosquitto/issues/2594).

The watchdog keeps one connection to the broker under an account that may do
nothing but log in (``watchdog``, written by ``andon provision``), with a short
keep-alive. It calls the broker *hung* when that connection has been lost for
``grace_s`` while the broker's port still accepts TCP connections and the broker
never answered (a refused login is an answer: that broker is alive). Then it runs
the restart action once, and waits ``cooldown_s`` before it may do so again.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings

log = logging.getLogger(__name__)

KEEPALIVE_S = 5
"""Short, so a hang is noticed within seconds (paho drops the connection after it)."""
GRACE_S = 30.0
"""Longer than a broker takes to restart or reload, so a planned restart is left alone."""
COOLDOWN_S = 120.0
"""After a restart, time for the broker to come back before it may be restarted again."""
CHECK_S = 1.0
REFUSED = "connection refused"
"""How :attr:`BusClient.last_error` begins when the broker answered and said no."""


def port_open(host: str, port: int, timeout_s: float = 2.0) -> bool:
    """Whether something accepts TCP connections at ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


@dataclass
class WatchdogStats:
    """What the watchdog saw, for its log and its tests."""

    checks: int = 0
    hangs: int = 0
    restarts: int = 0
    restart_failures: int = 0
    down_since: float | None = None
    last_restart_at: float | None = None
    """When it last ran the restart action (the monotonic clock, as ``check``'s ``now``)."""


class BrokerWatchdog:
    """Watches one broker on a thread of its own; ``restart`` is called when it hangs.

    ``restart`` raises (any exception) when it could not restart the broker; that is
    logged and counted, and tried again after the cool-down.
    """

    def __init__(
        self,
        settings: BrokerSettings,
        restart: Callable[[], None],
        *,
        grace_s: float = GRACE_S,
        cooldown_s: float = COOLDOWN_S,
        check_s: float = CHECK_S,
    ) -> None:
        if grace_s <= 0 or cooldown_s < 0 or check_s <= 0:
            raise ValueError("grace_s and check_s: expected > 0, cooldown_s: expected >= 0")
        self.settings = dataclasses.replace(
            settings,
            keepalive_s=min(settings.keepalive_s, KEEPALIVE_S),
            clean_session=True,
            reconnect_min_s=min(settings.reconnect_min_s, 1.0),
            reconnect_max_s=min(max(settings.reconnect_max_s, settings.reconnect_min_s), 5.0),
        )
        self.restart = restart
        self.grace_s = grace_s
        self.cooldown_s = cooldown_s
        self.check_s = check_s
        self.stats = WatchdogStats()
        self._stop = threading.Event()
        self._last_restart = -1e9
        self._client = BusClient(self.settings)
        self._thread = threading.Thread(target=self._run, name="broker-watchdog", daemon=True)

    def start(self) -> BrokerWatchdog:
        self._client.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self._client.close(timeout=1, announce_will=False)

    def wait_connected(self, timeout: float) -> bool:
        """Whether the watchdog's own connection is up within ``timeout`` (for start-up)."""
        return self._client.wait_connected(timeout)

    @property
    def last_error(self) -> str | None:
        """Why the watchdog's own connection is down (``None`` while it is up)."""
        return self._client.last_error

    def _run(self) -> None:
        while not self._stop.wait(self.check_s):
            self.check(time.monotonic())

    def check(self, now: float) -> None:
        """One look at the broker; restarts it when it has hung for ``grace_s``."""
        self.stats.checks += 1
        if self._client.connected:
            if self.stats.down_since is not None:
                log.warning("broker %s answers again", self.settings.endpoint)
            self.stats.down_since = None
            return
        if self.stats.down_since is None:
            self.stats.down_since = now
            return
        if now - self.stats.down_since < self.grace_s:
            return
        if now - self._last_restart < self.cooldown_s:
            return
        if (self.last_error or "").startswith(REFUSED):
            return  # it answered: alive, only not letting this account in
        if not port_open(self.settings.host, self.settings.port):
            return  # stopped, not hung: its service manager restarts it
        self.stats.hangs += 1
        self._last_restart = now
        self.stats.last_restart_at = now
        log.error(
            "broker %s accepts connections but has not answered for %.0f s: restarting it",
            self.settings.endpoint,
            now - self.stats.down_since,
        )
        try:
            self.restart()
        except Exception as exc:
            self.stats.restart_failures += 1
            log.error("could not restart broker %s: %s", self.settings.endpoint, exc)
            return
        self.stats.restarts += 1
