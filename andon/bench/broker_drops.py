"""What the load test's site brokers dropped: ``$SYS/broker/publish/messages/dropped``.

A broker drops a QoS 1 message it acknowledged when a client's queue (the bridge's,
while the WAN is down) is full. Each site broker publishes its count every
:data:`SYS_INTERVAL_S`; a broker started again by its watchdog counts from 0, so the
count of every process it ran as is kept. A hung broker publishes nothing, so what
it dropped in its last interval before it hung is not seen.
"""

from __future__ import annotations

import threading

from andon.bus.client import BusClient, Message
from andon.bus.credentials import BrokerSettings

SYS_INTERVAL_S = 1
"""The site brokers' ``sys_interval``."""
TOPIC = "$SYS/broker/publish/messages/dropped"


class BrokerDrops:
    """Per site: the messages its broker dropped, over every process it ran as."""

    def __init__(self, host: str, ports: dict[str, int]) -> None:
        self._lock = threading.Lock()
        self._now: dict[str, int] = {}
        self._retired: dict[str, int] = {}
        self._resets: dict[str, int] = {}
        self._clients = []
        for site, port in ports.items():
            client = BusClient(BrokerSettings(host=host, port=port, client_id=f"drops.{site}"))
            client.subscribe(TOPIC, lambda m, s=site: self._on(s, m), qos=0)
            self._clients.append(client.start())

    def _on(self, site: str, message: Message) -> None:
        try:
            value = int(message.payload)
        except ValueError:
            return
        with self._lock:
            before = self._now.get(site, 0)
            if value < before:  # a new process: it counts from 0
                self._retired[site] = self._retired.get(site, 0) + before
                self._resets[site] = self._resets.get(site, 0) + 1
            self._now[site] = value

    def by_site(self) -> dict[str, int]:
        with self._lock:
            sites = set(self._now) | set(self._retired)
            return {s: self._now.get(s, 0) + self._retired.get(s, 0) for s in sorted(sites)}

    def resets(self, site: str) -> int:
        """New processes seen by their count starting again below the last one's."""
        with self._lock:
            return self._resets.get(site, 0)

    def close(self) -> None:
        for client in self._clients:
            client.close(timeout=1)
