"""Which subscriptions the broker still holds in a client's persistent session.

Every SUBSCRIBE makes the broker send each retained message under its filter
again (MQTT 3.1.1, 3.8.4): for a consumer of a site, every station's retained
state. A client back in its persistent session (``session_present``) still has
there every subscription the broker acknowledged, so :meth:`SessionSubscriptions.to_send`
leaves those out; it keeps the ones never acknowledged, those of a session the
broker did not keep, and those acknowledged less than ``saved_s`` before the
connection was lost (a broker with persistence restores a crashed session from
its last save, which may predate them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from paho.mqtt.reasoncodes import ReasonCode

SAVED_S = 120.0
"""Twice Mosquitto's ``autosave_interval`` in the shipped ``andon.conf`` (60 s)."""

Subscriptions = list[tuple[str, int]]


class SessionSubscriptions:
    """The subscriptions acknowledged in the current session: pattern, QoS and when."""

    def __init__(
        self, saved_s: float = SAVED_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.saved_s = saved_s
        self.kept = 0
        """Subscriptions left out at reconnects so far (the session still had them)."""
        self._clock = clock
        self._lock = threading.Lock()
        self._held: dict[str, tuple[int, float]] = {}
        self._sent: dict[int, Subscriptions] = {}
        self._early: dict[int, Sequence[ReasonCode]] = {}
        self._lost_at: float | None = None

    def to_send(self, subs: Subscriptions, session_present: bool) -> Subscriptions:
        """Of the client's subscriptions, those to send on a new connection."""
        with self._lock:
            self._sent.clear()  # the acknowledgements of a lost connection never come
            self._early.clear()
            if not session_present:
                self._held.clear()
                return subs
            cutoff = (self._lost_at if self._lost_at is not None else self._clock()) - self.saved_s
            send = []
            for pattern, qos in subs:
                held = self._held.get(pattern)
                if held is None or held[0] < qos or held[1] > cutoff:
                    send.append((pattern, qos))
            self.kept += len(subs) - len(send)
            return send

    def sent(self, mid: int, subs: Subscriptions) -> None:
        """A SUBSCRIBE went out under message id ``mid``."""
        with self._lock:
            codes = self._early.pop(mid, None)
            if codes is None:
                self._sent[mid] = subs
                return
        self._hold(subs, codes)

    def acked(self, mid: int, codes: Sequence[ReasonCode]) -> None:
        """Its SUBACK came (maybe before :meth:`sent` was told)."""
        with self._lock:
            subs = self._sent.pop(mid, None)
            if subs is None:
                self._early[mid] = codes
                return
        self._hold(subs, codes)

    def _hold(self, subs: Subscriptions, codes: Sequence[ReasonCode]) -> None:
        now = self._clock()
        with self._lock:
            for (pattern, qos), code in zip(subs, codes, strict=False):
                if not code.is_failure:
                    self._held[pattern] = (qos, now)

    def dropped(self, pattern: str) -> None:
        """The client unsubscribed ``pattern``."""
        with self._lock:
            self._held.pop(pattern, None)

    def lost(self) -> None:
        """The connection was lost."""
        with self._lock:
            self._lost_at = self._clock()
