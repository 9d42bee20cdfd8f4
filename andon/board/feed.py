"""The board's MQTT side: subscribe to the shown lines, feed the model, send commands.

:class:`BoardFeed` owns one :class:`~andon.bus.client.BusClient`. Its network
thread only puts each message, stamped with the board's clock, in an inbox and
goes back to the socket; the feed's own ingest thread takes the inbox in
batches into :meth:`BoardModel.ingest` and then calls ``on_change`` once per
batch (the app turns that into a Textual message, coalesced, and repaints at a
bounded rate: :mod:`andon.board.throttle`). So neither the socket nor the
model's ingest ever waits for the screen: while the app builds a view the
inbox fills, and it is emptied in one go when the model is free again. The
client reconnects by itself; the model is told about every loss and return of
the broker so the board can show a banner.

The first message after a quiet spell is ingested at once; while messages keep
coming, the ingest thread looks at the inbox every :data:`LINGER_S` instead of
being woken for each one. The app is told of a change after each batch, but
while the ingest is behind (more than :data:`BEHIND` messages still waiting
after a batch) at most every :data:`BEHIND_S`: a redraw shares the interpreter
with the ingest and would hold it back further, and what it showed would be
late anyway; the screen still moves meanwhile. Waking a thread per message, and the interpreter's
hand-over between the two threads that goes with it, cost the board twice what
the model's own work does.

The board also listens to the notifiers' delivery outcomes of its site
(:mod:`andon.board.deliveries`), so the Calls screen can say whether an alert
went out.

The board announces itself under ``<prefix>/<site>/_boards/<id>/status``
(retained, with a Last Will) so operators can see which boards are watching.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime

from andon import __version__
from andon.board.catalogue import BoardCatalogue
from andon.board.feed_commands import FeedCommands
from andon.board.model import BoardModel, ReplayRequest
from andon.bus.client import BusClient, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import encode, status_message
from andon.bus.topics import ConsumerAddress, StationFilter
from andon.notify.deliveries import deliveries_filter

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

BATCH = 500
"""Messages ingested per turn of the ingest thread before it signals the app."""
LINGER_S = 0.002
"""After emptying the inbox, the ingest thread lets this long pass before it looks again."""
STOP_S = 5.0
"""At most this long, closing waits for the inbox to be ingested."""
BEHIND = 200
"""Messages waiting in the inbox after a batch that say the ingest is behind the stream
(at 5 000 messages/s, 40 ms of it)."""
BEHIND_S = 0.25
"""While the ingest is behind, the app is told of changes at most this often."""


def line_filters(catalogue: BoardCatalogue) -> list[StationFilter]:
    """One subscription filter per line the board shows."""
    return [
        StationFilter(catalogue.prefix, catalogue.site, catalogue.area, line.id)
        for line in catalogue.lines
    ]


class BoardFeed(FeedCommands):
    """Connects a :class:`BoardModel` to the broker."""

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
        self._signal_lock = threading.Lock()
        self._signalled = False
        offline = status_message(self.address.name, False, "", __version__, "connection lost")
        self.bus = BusClient(
            settings,
            will=Will(self.address.status(), encode(offline), qos=1, retain=True),
            on_connect=self._on_connect,
            on_disconnect=self._on_disconnect,
        )
        self._started = False
        self._behind_since: float | None = None
        """Since when the ingest has not emptied the inbox (monotonic), if it has not."""
        self._inbox: deque[tuple[str, bytes, datetime]] = deque()
        """Received, not ingested yet (appended by the network thread, taken by the ingest one)."""
        self._wake = threading.Event()
        self._stopping = False
        self._ingester = threading.Thread(
            target=self._ingest_loop, name="board-ingest", daemon=True
        )

    # --- life ------------------------------------------------------------------------

    def start(self) -> BoardFeed:
        """Subscribe and begin connecting in the background; returns at once."""
        if self._started:
            return self
        self._started = True
        for station_filter in line_filters(self.model.catalogue):
            self.bus.subscribe(station_filter.any_channel(), self._on_message, qos=1)
        historians = ConsumerAddress.status_filter(
            self.model.catalogue.prefix, self.model.catalogue.site, "historian"
        )
        self.bus.subscribe(historians, self._on_service_status, qos=1)
        outcomes = deliveries_filter(self.model.catalogue.prefix, self.model.catalogue.site)
        self.bus.subscribe(outcomes, self._on_delivery, qos=1)
        self.model.broker_state(
            False, f"connecting to {self.settings.endpoint}", self.clock(), self.settings.endpoint
        )
        self._ingester.start()
        self.bus.start()
        return self

    def close(self) -> None:
        """Say goodbye, disconnect, and ingest what was already received."""
        if self.bus.connected:
            self._publish_status(False, "stopped").wait(1.0)
        self.bus.close(timeout=1.0, announce_will=False)
        if self._ingester.is_alive():
            self._stopping = True
            self._wake.set()
            self._ingester.join(STOP_S)

    @property
    def backlog(self) -> int:
        """Messages received and not ingested yet."""
        return len(self._inbox)

    # --- from the network thread -------------------------------------------------------

    def _on_connect(self, session_present: bool) -> None:
        self.model.broker_state(True, "", self.clock(), self.settings.endpoint)
        self._publish_status(True)
        self._changed()

    def _on_disconnect(self, reason: str) -> None:
        self.model.broker_state(False, f"broker lost: {reason}", self.clock())
        self._changed()

    def _on_message(self, message: Message) -> None:
        self._inbox.append((message.topic, message.payload, self.clock()))
        if not self._wake.is_set():  # set() takes a lock each time; most messages find it set
            self._wake.set()

    def _on_service_status(self, message: Message) -> None:
        self.model.service_status(message.topic, message.payload, self.clock())
        self._changed()

    def _on_delivery(self, message: Message) -> None:
        self.model.delivery(message.topic, message.payload)
        self._changed()

    # --- the ingest thread -------------------------------------------------------------

    def _ingest_loop(self) -> None:
        inbox, wake = self._inbox, self._wake
        while True:
            wake.wait()
            wake.clear()
            while inbox:
                self._ingest_batch(inbox)
                if not inbox:  # more may be on the way: take them together
                    time.sleep(LINGER_S)
            if self._stopping:
                return

    def _ingest_batch(self, inbox: deque[tuple[str, bytes, datetime]]) -> None:
        ingest = self.model.ingest
        replays: list[ReplayRequest] = []
        for _ in range(min(BATCH, len(inbox))):
            topic, payload, at = inbox.popleft()
            try:
                replays.extend(ingest(topic, payload, at))
            except Exception:  # the model refuses bad input itself; this is a bug, not input
                log.exception("ingesting a message on %s failed", topic)
        if replays:
            self._request(replays)
        if self._signalled:  # said already (read without the lock: it is set under it)
            return
        if len(inbox) > BEHIND:  # a redraw now would only hold the ingest back further
            started = self._behind_since
            now = time.monotonic()
            if started is None:
                self._behind_since = now
                return
            if now - started < BEHIND_S:
                return
        self._behind_since = None
        self._changed()

    def _changed(self) -> None:
        """Tell the app once; it calls :meth:`acknowledge_change` before redrawing."""
        with self._signal_lock:
            if self._signalled:
                return
            self._signalled = True
        if self.on_change is not None:
            self.on_change()

    def acknowledge_change(self) -> None:
        """The app is about to read the model: the next change signals again."""
        with self._signal_lock:
            self._signalled = False
