"""A published message until the broker acknowledged it: :class:`Delivery`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Delivery:
    """One published message, until the broker acknowledged it (or it failed).

    Light on memory: a station may have thousands in flight during a burst, so
    the event to wait on is only made when somebody waits.
    """

    __slots__ = (
        "_callbacks",
        "_error",
        "_finished",
        "_lock",
        "_waiter",
        "mid",
        "qos",
        "retain",
        "topic",
    )

    def __init__(self, topic: str, qos: int, retain: bool) -> None:
        self.topic = topic
        self.qos = qos
        self.retain = retain
        self.mid: int | None = None
        self._error: str | None = None
        self._finished = False
        self._waiter: threading.Event | None = None
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[Delivery], None]] | None = None

    @property
    def done(self) -> bool:
        """Acknowledged or failed."""
        return self._finished

    @property
    def acknowledged(self) -> bool:
        """The broker took responsibility for the message."""
        return self._finished and self._error is None

    @property
    def error(self) -> str | None:
        """Why the message was not delivered (``None`` while pending or when acknowledged)."""
        return self._error

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until done; True when acknowledged, False on failure or timeout."""
        with self._lock:
            if self._finished:
                return self._error is None
            if self._waiter is None:
                self._waiter = threading.Event()
            waiter = self._waiter
        waiter.wait(timeout)
        return self.acknowledged

    def add_done_callback(self, callback: Callable[[Delivery], None]) -> None:
        """Call ``callback(delivery)`` once done (at once when already done).

        Callbacks run on the network thread; exceptions are logged.
        """
        with self._lock:
            if not self._finished:
                if self._callbacks is None:
                    self._callbacks = []
                self._callbacks.append(callback)
                return
        call_safely(callback, self)

    def finish(self, error: str | None) -> None:
        """Complete it: acknowledged (``error`` ``None``) or failed, for a publisher that
        learns the outcome from elsewhere (the web server's intake process)."""
        self._finish(error)

    def _finish(self, error: str | None) -> None:
        with self._lock:
            if self._finished:
                return
            self._error = error
            self._finished = True
            callbacks, self._callbacks = self._callbacks or [], None
            waiter = self._waiter
        if waiter is not None:
            waiter.set()
        for callback in callbacks:
            call_safely(callback, self)

    def __repr__(self) -> str:
        state = "pending" if not self.done else ("acked" if self.acknowledged else self._error)
        return f"<Delivery mid={self.mid} {self.topic!r} qos={self.qos} {state}>"


def call_safely(callback: Callable[..., Any], *args: Any) -> None:
    try:
        callback(*args)
    except Exception:
        log.exception("callback %r failed", callback)
