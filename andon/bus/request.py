"""Send a command to a station and wait for its answer on ``…/reply``.

A station answers every command on its ``reply`` topic with the command's id
(:func:`andon.bus.commands.reply_message`). :class:`CommandRequester` sends a
command with a fresh id and waits for the reply carrying that id; replies to
other programs' commands are ignored. Subscribe before the first command is
sent (the constructor does), so no answer can overtake its subscription.

Example::

    requester = CommandRequester(bus, address.reply(), who="store")
    reply = requester.send(address, "kanban", timeout_s=5, part="P-1001", card="0007")
    if reply is None: ...            # no answer in time
    elif reply.accepted: ...
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from andon.bus.client import BusClient, Message
from andon.bus.commands import command_message
from andon.bus.messages import MessageError, encode
from andon.bus.reply import Reply, parse_reply
from andon.bus.topics import StationAddress

__all__ = ["CommandRequester", "Reply", "parse_reply"]

log = logging.getLogger(__name__)


@dataclass
class _Waiter:
    station: str
    command: str
    done: threading.Event
    reply: Reply | None = None


class CommandRequester:
    """Commands out, matching replies back, over one :class:`BusClient`.

    ``replies`` are the reply topics (or filters such as
    ``StationFilter(...).reply()``) of the stations commands will be sent to;
    ``who`` goes into each command's ``by``.
    """

    def __init__(self, bus: BusClient, replies: str | Iterable[str], who: str) -> None:
        self.bus = bus
        self.who = who
        self.bad_replies = 0
        self._lock = threading.Lock()
        self._waiting: dict[str, _Waiter] = {}
        for pattern in [replies] if isinstance(replies, str) else list(replies):
            bus.subscribe(pattern, self._on_reply, qos=1)

    def send(
        self, address: StationAddress, name: str, *, timeout_s: float, **args: Any
    ) -> Reply | None:
        """Send command ``name`` with ``args``; the reply, or ``None`` without one in time."""
        command_id = uuid.uuid4().hex
        waiter = _Waiter(address.path, name, threading.Event())
        with self._lock:
            self._waiting[command_id] = waiter
        try:
            message = command_message(command_id, self.who, **args)
            delivery = self.bus.publish(address.cmd(name), encode(message), qos=1)
            if delivery.done and not delivery.acknowledged:
                log.warning("command %s to %s not sent: %s", name, address.path, delivery.error)
                return None
            waiter.done.wait(timeout_s)
        finally:
            with self._lock:
                self._waiting.pop(command_id, None)
        return waiter.reply

    def _on_reply(self, message: Message) -> None:
        """Network thread: wake the sender waiting for this reply."""
        try:
            reply = parse_reply(message.payload)
        except MessageError as exc:
            self.bad_replies += 1
            log.debug("ignored a malformed reply on %s: %s", message.topic, exc)
            return
        with self._lock:
            waiter = self._waiting.get(reply.command_id)
        if waiter is None or waiter.station != reply.station or waiter.command != reply.command:
            return
        waiter.reply = reply
        waiter.done.set()
