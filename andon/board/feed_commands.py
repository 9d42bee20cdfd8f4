"""What a board's feed sends: its status, the commands people give, replay requests.

The board's thread-driven feed (:mod:`andon.board.feed`) and the web server's
loop-driven one (:mod:`andon.web.feed`) read the broker differently but send the
same messages; both take this mixin so there is one way of sending them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from andon import __version__
from andon.board.model import BoardModel, PendingCommand, ReplayRequest
from andon.board.pending import NOT_DELIVERED
from andon.bus.client import BusClient, Delivery
from andon.bus.commands import command_message
from andon.bus.messages import encode, status_message
from andon.bus.topics import ConsumerAddress, StationAddress
from andon.domain.events import format_instant

log = logging.getLogger(__name__)


class FeedCommands:
    """Sending half of a feed: needs ``bus``, ``address``, ``model``, ``clock`` and
    ``_changed()`` (the feed's own way of telling its screen that the model moved)."""

    bus: BusClient
    address: ConsumerAddress
    model: BoardModel
    clock: Callable[[], datetime]

    def _changed(self) -> None:
        raise NotImplementedError

    def _publish_status(self, online: bool, detail: str = "") -> Delivery:
        message = status_message(
            self.address.name, online, format_instant(self.clock()), __version__, detail
        )
        return self.bus.publish(self.address.status(), encode(message), qos=1, retain=True)

    def _station_address(self, path: str) -> StationAddress:
        return StationAddress.from_path(path, self.model.catalogue.prefix)

    def publish_command(self, command: PendingCommand) -> None:
        """Send a command recorded with :meth:`BoardModel.new_command`."""
        topic = self._station_address(command.station).cmd(command.name)

        def delivered(delivery: Delivery) -> None:
            if not delivery.acknowledged:
                self.model.command_failed(
                    command.command_id, delivery.error or NOT_DELIVERED, self.clock()
                )
                self._changed()

        try:
            self.bus.publish(topic, encode(command.message()), qos=1, on_acked=delivered)
        except (RuntimeError, ValueError) as exc:
            self.model.command_failed(command.command_id, str(exc), self.clock())

    def tick(self) -> None:
        """Expire unanswered commands and repeat replay requests for open gaps."""
        self._request(self.model.tick(self.clock()))

    def _request(self, replays: list[ReplayRequest]) -> None:
        for replay in replays:
            topic = self._station_address(replay.station).cmd("replay")
            message = command_message(
                uuid.uuid4().hex, f"board {self.address.name}", from_seq=replay.from_seq
            )
            log.info("asking %s to replay from %d", replay.station, replay.from_seq)
            self.bus.publish(topic, encode(message), qos=1)
