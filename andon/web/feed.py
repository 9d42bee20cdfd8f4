"""The web server's MQTT side: the board's subscriptions, read in the server's own loop.

:class:`WebFeed` does for the web server what :class:`~andon.board.feed.BoardFeed`
does for the board (the same subscriptions, status, commands and replay requests
into the same :class:`~andon.board.model.BoardModel`), but its broker connection
is driven by the server's asyncio loop (:class:`~andon.bus.network.LoopNetwork`)
instead of a network thread and an ingest thread. The loop reads everything the
socket holds, ingests it as one batch and asks the hub for one new generation;
reading, ingesting, rendering and writing to the viewers share one thread, so
none of them waits for the interpreter to be handed over by another. Start it
from within the running loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from andon import __version__
from andon.board.feed import line_filters
from andon.board.feed_commands import FeedCommands
from andon.board.model import BoardModel, ReplayRequest
from andon.bus.client import BusClient, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import encode, status_message
from andon.bus.network import LoopNetwork
from andon.bus.topics import ConsumerAddress
from andon.web.coalesce import coalesce

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class WebFeed(FeedCommands):
    """Connects a :class:`BoardModel` to the broker from the running asyncio loop."""

    def __init__(
        self,
        model: BoardModel,
        settings: BrokerSettings,
        clock: Clock,
        *,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.model = model
        self.settings = settings
        self.clock = clock
        self.on_change = on_change
        catalogue = model.catalogue
        self.address = ConsumerAddress(
            catalogue.prefix, catalogue.site, "board", catalogue.board_id
        )
        offline = status_message(self.address.name, False, "", __version__, "connection lost")
        self.bus = self._make_bus(Will(self.address.status(), encode(offline), qos=1, retain=True))
        self._batch: list[tuple[str, bytes]] = []
        """Read from the socket in this turn of the loop, not ingested yet."""
        self._signalled = False
        self._started = False
        self.coalesced = 0
        """States dropped because a later one of the same station came in the same batch."""

    def _make_bus(self, will: Will) -> BusClient:
        return BusClient(
            self.settings,
            will=will,
            on_connect=self._on_connect,
            on_disconnect=self._on_disconnect,
        )

    def _filters(self) -> list[str]:
        """The board's subscriptions: every channel of every station of its lines."""
        return [f.any_channel() for f in line_filters(self.model.catalogue)]

    def _services_filter(self) -> str:
        """The historians' statuses."""
        catalogue = self.model.catalogue
        return ConsumerAddress.status_filter(catalogue.prefix, catalogue.site, "historian")

    # --- life ------------------------------------------------------------------------

    def start(self) -> WebFeed:
        """Subscribe and begin connecting in the running loop; returns at once."""
        if self._started:
            return self
        self._started = True
        for pattern in self._filters():
            self.bus.subscribe(pattern, self._on_message, qos=1)
        self.bus.subscribe(self._services_filter(), self._on_service_status, qos=1)
        self.model.broker_state(
            False, f"connecting to {self.settings.endpoint}", self.clock(), self.settings.endpoint
        )
        network = LoopNetwork(
            asyncio.get_running_loop(),
            self.settings.reconnect_min_s,
            self.settings.reconnect_max_s,
            after_read=self._ingest,
        )
        self.bus.start(network)
        return self

    def close(self) -> None:
        """Say goodbye and disconnect (from a thread other than the loop's, which runs on)."""
        if self.bus.connected:
            self._publish_status(False, "stopped").wait(1.0)
        self.bus.close(timeout=1.0, announce_will=False)

    @property
    def backlog(self) -> int:
        """Messages read and not ingested yet."""
        return len(self._batch)

    # --- from the loop -----------------------------------------------------------------

    def _on_connect(self, session_present: bool) -> None:
        self.model.broker_state(True, "", self.clock(), self.settings.endpoint)
        self._publish_status(True)
        self._changed()

    def _on_disconnect(self, reason: str) -> None:
        self.model.broker_state(False, f"broker lost: {reason}", self.clock())
        self._changed()

    def _on_message(self, message: Message) -> None:
        self._batch.append((message.topic, message.payload))

    def _on_service_status(self, message: Message) -> None:
        self.model.service_status(message.topic, message.payload, self.clock())
        self._changed()

    def _ingest(self) -> None:
        """What one turn read, into the model as one batch; then one signal.

        A state a later one of the same station replaces within the batch is not
        ingested (:func:`~andon.web.coalesce.coalesce`).

        The batch is received at one instant, read once: a turn reads the socket in
        a few milliseconds, and the plant clock asked once per message was about a
        twentieth of the server's CPU during a burst.
        """
        batch, self._batch = self._batch, []
        if not batch:
            return
        batch, dropped = coalesce(batch, self.model.knows_state)
        self.coalesced += dropped
        ingest = self.model.ingest
        at = self.clock()
        replays: list[ReplayRequest] = []
        for topic, payload in batch:
            try:
                replays.extend(ingest(topic, payload, at))
            except Exception:  # the model refuses bad input itself; this is a bug, not input
                log.exception("ingesting a message on %s failed", topic)
        if replays:
            self._request(replays)
        self._changed()

    def _changed(self) -> None:
        """Tell the hub once; it calls :meth:`acknowledge_change` before reading the model."""
        if self._signalled:
            return
        self._signalled = True
        if self.on_change is not None:
            self.on_change()

    def acknowledge_change(self) -> None:
        """The hub is about to read the model: the next change signals again."""
        self._signalled = False
