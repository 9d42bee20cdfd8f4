"""The load test's view of the site bridges, from the enterprise broker.

Each site broker's bridge publishes ``1`` on ``<enterprise>/<site>/_bridges/enterprise/status``
while it is up and ``0`` (its will) when it drops; :meth:`BridgeWatch.wait` waits for
every site's to be in a state, allowing for the watchdogs' restarts of hung brokers.
It also follows the enterprise historians' retained status.
"""

from __future__ import annotations

import json
import time

from andon.bench import sites_topology
from andon.bus.client import BusClient, Message
from andon.bus.credentials import BrokerSettings

HISTORIANS = f"{sites_topology.ENTERPRISE}/_enterprise/_historians/+/status"

MAX_RESTARTS_PER_WAIT = 3
"""Restarts of one site broker during one wait for its bridge, beyond which it fails."""


class BridgeWatch:
    """The enterprise's view of each site's bridge (``…/_bridges/enterprise/status``)."""

    def __init__(self, topology: sites_topology.Topology) -> None:
        self.topology = topology
        self.states: dict[str, bytes] = {}
        self.historians: dict[str, bool] = {}
        """Historian name → online, from its retained status."""
        settings = BrokerSettings(
            host="localhost",
            port=topology.enterprise_port,
            tls=True,
            ca_file=topology.ca_file,
            username=sites_topology.HISTORIAN,
            password_file=topology.historian_password,
            client_id="bench-bridge-watch",
        )
        self.client = BusClient(settings)
        self.client.subscribe(f"{sites_topology.ENTERPRISE}/+/_bridges/enterprise/status", self._on)
        self.client.subscribe(HISTORIANS, self._on_historian)
        self.client.start()
        if not self.client.wait_connected(30):
            raise RuntimeError(
                f"the enterprise broker refused the watcher: {self.client.last_error}"
            )

    def _on(self, message: Message) -> None:
        self.states[message.topic.split("/")[1]] = message.payload

    def _on_historian(self, message: Message) -> None:
        try:
            online = json.loads(message.payload).get("online") is True
        except (ValueError, AttributeError):
            online = False
        self.historians[message.topic.split("/")[3]] = online

    def wait_historian(self, name: str, timeout: float, alive: object) -> None:
        """Until the historian ``name`` says it is online (``alive()`` raises if it died)."""
        deadline = time.monotonic() + timeout
        while not self.historians.get(name):
            alive()  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise TimeoutError(f"historian {name} not online after {timeout:g} s")
            time.sleep(0.05)

    def wait(self, sites: list[str], state: bytes, timeout: float) -> None:
        """Until every site's bridge is in ``state``: ``timeout`` from now or from its
        broker's last restart, whichever is later, through at most
        :data:`MAX_RESTARTS_PER_WAIT` restarts of one broker."""
        began = time.monotonic()
        restarts = {s: self._restarts(s) for s in sites}
        while lagging := [s for s in sites if self.states.get(s) != state]:
            now = time.monotonic()
            over = [s for s in lagging if self._restarts(s) - restarts[s] > MAX_RESTARTS_PER_WAIT]
            late = [s for s in lagging if now > max(began, self._restarted_at(s)) + timeout]
            if over or late:
                raise TimeoutError(
                    f"bridges not {state!r} after {now - began:.0f} s "
                    f"({timeout:g} s after a restart): {self.states}"
                )
            time.sleep(0.05)

    def _restarts(self, site: str) -> int:
        watchdog = self.topology.watchdogs.get(site)
        return 0 if watchdog is None else watchdog.stats.restarts

    def _restarted_at(self, site: str) -> float:
        watchdog = self.topology.watchdogs.get(site)
        at = None if watchdog is None else watchdog.stats.last_restart_at
        return -1e9 if at is None else at
