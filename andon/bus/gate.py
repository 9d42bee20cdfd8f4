"""Messages held from the first connection until their handlers can take them.

A consumer with a persistent session gets the messages queued for it at the
broker right after it connects, before its subscriptions are even sent again.
A consumer that must prepare first (the historian reads where each stream
continues from its database) subscribes through a :class:`MessageGate` before it
connects: what arrives is kept in order of arrival and handed over when
:meth:`MessageGate.open` names the handlers, instead of finding no handler and
being dropped although the broker has its acknowledgement.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from andon.bus.message import Message
from andon.bus.routing import Handler

log = logging.getLogger(__name__)


class MessageGate:
    """Handlers by name that hold every message until :meth:`open` gives the real ones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: list[tuple[str, Message]] = []
        self._handlers: Mapping[str, Handler] | None = None
        self.held_at_open = 0
        """Messages that had arrived before the gate opened (handed over by :meth:`open`)."""

    def handler(self, name: str) -> Handler:
        """A handler for :meth:`BusClient.subscribe` that passes on to the one named ``name``."""

        def hold_or_pass(message: Message) -> None:
            with self._lock:
                handlers = self._handlers
                if handlers is None:
                    self._held.append((name, message))
                    return
            handlers[name](message)

        return hold_or_pass

    @property
    def held(self) -> int:
        """Messages waiting for :meth:`open`."""
        with self._lock:
            return len(self._held)

    def open(self, handlers: Mapping[str, Handler]) -> None:
        """Hand every held message to its handler in order of arrival, then pass each new
        one straight on. Messages arriving meanwhile queue up behind the held ones (the
        network thread is never blocked while the held ones are handled)."""
        while True:
            with self._lock:
                batch, self._held = self._held, []
                if not batch:
                    self._handlers = dict(handlers)
                    return
                self.held_at_open += len(batch)
            for name, message in batch:
                try:
                    handlers[name](message)
                except Exception:
                    log.exception("handling a held message on %s failed", message.topic)
