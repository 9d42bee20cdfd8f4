"""The enterprise overview's MQTT side: the enterprise broker's view of every site.

One :class:`~andon.bus.client.BusClient` on the enterprise broker subscribes to
every station's retained ``state`` and ``status`` under the enterprise prefix and
to every site's bridge status, and hands each message to :class:`SitesModel`.
It only reads: nothing is ever sent to a site from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from andon.board.sites import SitesModel
from andon.bus.client import BusClient, Message
from andon.bus.credentials import BrokerSettings
from andon.bus.topics import StationFilter

Clock = Callable[[], datetime]


class SitesFeed:
    """Feeds a :class:`SitesModel` from the enterprise broker."""

    def __init__(self, model: SitesModel, settings: BrokerSettings, clock: Clock) -> None:
        self.model = model
        self.clock = clock
        self.on_change: Callable[[], None] | None = None
        self.bus = BusClient(settings)
        every = StationFilter(model.prefix)
        for topic in (every.state(), every.status(), f"{model.prefix}/+/_bridges/+/status"):
            self.bus.subscribe(topic, self._on_message, qos=1)

    def start(self) -> SitesFeed:
        self.bus.start()
        return self

    def _on_message(self, message: Message) -> None:
        if self.model.ingest(message.topic, message.payload, self.clock()) and self.on_change:
            self.on_change()

    @property
    def connected(self) -> bool:
        return self.bus.connected

    def close(self) -> None:
        self.bus.close(timeout=1.0)
