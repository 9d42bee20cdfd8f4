"""What reaches the board's model besides the stations' own messages.

The feed's connection to the broker, the services' retained status, the
notifiers' delivery outcomes, and the commands people give on the board (kept
pending until the station confirms them). :class:`ModelSideInputs` is a part of
:class:`~andon.board.model.BoardModel`; it takes the model's lock like the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from andon.board.command_book import CommandBook
from andon.board.deliveries import DeliveryBook
from andon.board.pending import PendingCommand
from andon.board.services import ServiceView, parse_service_status
from andon.board.views import BrokerView, PendingView
from andon.bus.messages import MessageError


class ModelSideInputs:
    """The model's inputs from outside the stations: needs the model's lock, ``version``,
    its books and ``_bad`` (how the model counts a malformed message)."""

    _lock: threading.RLock
    _commands: CommandBook
    _broker: BrokerView
    _services: dict[tuple[str, str], ServiceView]
    _deliveries: DeliveryBook
    version: int

    def _bad(self, topic: str, error: str) -> None:
        raise NotImplementedError

    def broker_state(self, connected: bool, detail: str, now: datetime, endpoint: str = "") -> None:
        """The feed's connection to the broker changed."""
        with self._lock:
            self.version += 1
            if connected != self._broker.connected:
                self._broker = BrokerView(connected, detail, now, endpoint or self._broker.endpoint)
            else:
                self._broker = replace(self._broker, detail=detail)

    def service_status(self, topic: str, payload: bytes, now: datetime) -> None:
        """A service's retained status (a historian's); a malformed one is counted."""
        with self._lock:
            self.version += 1
            try:
                service = parse_service_status(topic, payload, now)
            except MessageError as exc:
                self._bad(topic, str(exc))
                return
            key = (service.kind, service.name)
            old = self._services.get(key)
            if old is not None and (old.online, old.detail) == (service.online, service.detail):
                return
            self._services[key] = service

    def delivery(self, topic: str, payload: bytes) -> None:
        """A notifier's delivery outcome (:mod:`andon.board.deliveries`); malformed: counted."""
        with self._lock:
            self.version += 1
            try:
                self._deliveries.take(payload)
            except MessageError as exc:
                self._bad(topic, str(exc))

    # --- commands (UI thread) --------------------------------------------------------

    def new_command(
        self, station: str, name: str, args: Mapping[str, Any], by: str, now: datetime
    ) -> PendingCommand:
        """Record a command about to be sent; it stays pending until confirmed."""
        with self._lock:
            self.version += 1
            return self._commands.new(station, name, args, by, now)

    def command_failed(self, command_id: str, reason: str, now: datetime) -> None:
        """The command could not be handed to the broker."""
        with self._lock:
            self.version += 1
            self._commands.failed(command_id, reason, now)

    def pending_for(self, station: str, name: str, **match: Any) -> PendingView | None:
        """The pending command ``name`` to ``station`` whose arguments include ``match``."""
        with self._lock:
            return self._commands.find(station, name, match)
