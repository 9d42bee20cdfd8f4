"""What a station publishes retained: its ``status`` and its ``state``.

The state follows a change at most every :data:`STATE_MIN_INTERVAL_S` and is
published again every :data:`STATE_HEARTBEAT_S` without one, so a board that
subscribes late, or a broker that lost it, has it soon.
"""

from __future__ import annotations

import time
from typing import Any

from andon import __version__
from andon.bus.client import BusClient
from andon.bus.messages import encode, state_message, status_message
from andon.bus.topics import StationAddress
from andon.domain.events import format_instant
from andon.domain.snapshot import snapshot
from andon.station.core import StationCore
from andon.station.health import AgentHealth
from andon.station.outbox import Outbox

STATE_HEARTBEAT_S = 5.0
STATE_MIN_INTERVAL_S = 0.25
EVENTS_HEAD_START_S = 0.001
"""After sending events the loop pauses this long, so the network thread sends them
before the loop works out the retained state (which would hold the interpreter)."""


class StatePublishing:
    """The station agent's retained messages (mixed into :class:`StationAgent`)."""

    address: StationAddress
    core: StationCore
    bus: BusClient | None
    outbox: Outbox | None
    health: AgentHealth
    _last_state_at: float
    _last_state_seq: int

    def _own_signals(self) -> frozenset[str]:
        raise NotImplementedError

    def _publish_status(self, online: bool, detail: str = "") -> None:
        if self.bus is None:
            return
        message = status_message(
            self.address.path, online, format_instant(self.core.clock.now()), __version__, detail
        )
        self.bus.publish(self.address.status(), encode(message), qos=1, retain=True)

    def state_payload(self) -> dict[str, Any]:
        """The retained state message as it would be published now."""
        health = {
            "journal_error": self.core.journal_error,
            "unjournaled": self.core.unjournaled,
            "broker": bool(self.bus and self.bus.connected),
            "in_flight": self.outbox.in_flight if self.outbox else 0,
            "bad_commands": self.health.bad_commands,
            "refused_events": self.core.refused_events,
            "unreadable_rows": len(self.core.unreadable),
            "scanners": self.health.scanners.as_dict(),
        }
        view = snapshot(self.core.state, self.core.clock.now())
        own = self._own_signals()
        if own:  # the lamps show them: so does the state
            view["signals"] = sorted({*view["signals"], *own})
        return state_message(self.address.path, view, health)

    def _maybe_publish_state(self, after_events: bool = False) -> None:
        if self.bus is None or not self.bus.connected:
            return
        mono = time.monotonic()
        changed = self.core.state.last_seq != self._last_state_seq
        since = mono - self._last_state_at
        due = changed and since >= STATE_MIN_INTERVAL_S
        if due or since >= STATE_HEARTBEAT_S:
            if after_events:
                # Let the network thread take the interpreter and send the events now,
                # before this thread works out the state that follows them.
                time.sleep(EVENTS_HEAD_START_S)
            self._last_state_seq = self.core.state.last_seq
            self._last_state_at = mono
            self.bus.publish(self.address.state(), encode(self.state_payload()), qos=1, retain=True)
