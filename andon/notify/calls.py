"""What the notifier knows about open calls, from the stations' events and state snapshots.

:class:`CallBook` is pure: it folds call events and retained state snapshots
into a table of open calls and answers with the changes that matter for alerts:

* :class:`Escalation`: a call reached a level; its people should be alerted.
* :class:`Acknowledged`: alerts that wait for an acknowledgement are moot.
* :class:`Closed`: the call is resolved or cancelled; nothing of it is sent anymore.

A state snapshot stands for every event up to its ``seq``; after a restart it
tells which calls are open at which level, so an escalation the notifier missed
while it was down is still alerted (at the call's current level only; lower
levels it skipped are superseded).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from andon.config.plant import PlantFile
from andon.domain import events as ev

UNACKNOWLEDGED = "unacknowledged"
UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class OpenCall:
    """One open call as the notifier sees it."""

    station: str
    call_id: str
    call_type: str
    raised_at: datetime
    level: int = 0
    acknowledged_by: str = ""

    @property
    def line(self) -> str:
        return line_of(self.station)


@dataclass(frozen=True)
class Escalation:
    """A call reached ``level``: alert the ``roles`` (while ``condition`` holds)."""

    call: OpenCall
    level: int
    roles: tuple[str, ...]
    condition: str
    at: datetime


@dataclass(frozen=True)
class Acknowledged:
    station: str
    call_id: str
    by: str


@dataclass(frozen=True)
class Closed:
    station: str
    call_id: str
    how: str
    """``resolved``, ``cancelled``, or ``closed`` (learnt from a state snapshot)."""


Change = Escalation | Acknowledged | Closed


def line_of(station: str) -> str:
    """The line of a ``site/area/line/station`` path."""
    parts = station.split("/")
    return parts[2] if len(parts) == 4 else ""


class CallBook:
    """Open calls per station, and the alert-relevant changes each input brings."""

    def __init__(self, plant: PlantFile) -> None:
        self.plant = plant
        self._calls: dict[tuple[str, str], OpenCall] = {}

    def open_calls(self, station: str | None = None) -> list[OpenCall]:
        return [c for c in self._calls.values() if station is None or c.station == station]

    def get(self, station: str, call_id: str) -> OpenCall | None:
        return self._calls.get((station, call_id))

    def forget(self, station: str) -> None:
        """Drop every call of ``station`` (it started over with a new journal)."""
        for key in [k for k in self._calls if k[0] == station]:
            del self._calls[key]

    # --- events -----------------------------------------------------------------

    def apply(self, station: str, event: ev.Event) -> list[Change]:
        """Fold one event of ``station`` (in sequence order)."""
        if isinstance(event, ev.CallRaised):
            self._calls[(station, event.call_id)] = OpenCall(
                station, event.call_id, event.call_type, event.at
            )
            return []
        if isinstance(event, ev.CallEscalated):
            key = (station, event.call_id)
            call = self._calls.get(key) or OpenCall(station, event.call_id, "", event.at)
            call = replace(call, level=max(call.level, event.level))
            self._calls[key] = call
            return [Escalation(call, event.level, event.roles, event.condition, event.at)]
        if isinstance(event, ev.CallAcknowledged):
            key = (station, event.call_id)
            if key in self._calls:
                self._calls[key] = replace(self._calls[key], acknowledged_by=event.by)
            return [Acknowledged(station, event.call_id, event.by)]
        if isinstance(event, ev.CallResolved | ev.CallCancelled):
            self._calls.pop((station, event.call_id), None)
            how = "resolved" if isinstance(event, ev.CallResolved) else "cancelled"
            return [Closed(station, event.call_id, how)]
        return []

    # --- state snapshots ----------------------------------------------------------

    def reconcile(self, station: str, state: dict[str, Any]) -> list[Change]:
        """Adopt the open calls of a state snapshot (one newer than any event seen).

        Calls the book knew but the snapshot no longer lists are closed; each
        listed call at a level yields that level's escalation while its condition
        holds, and an acknowledged call yields :class:`Acknowledged`.
        """
        changes: list[Change] = []
        listed: set[str] = set()
        for view in state.get("open_calls", []):
            call = _call_from_view(station, view)
            if call is None:
                continue
            listed.add(call.call_id)
            self._calls[(station, call.call_id)] = call
            if call.acknowledged_by:
                changes.append(Acknowledged(station, call.call_id, call.acknowledged_by))
            escalation = self._current_escalation(call)
            if escalation is not None:
                changes.append(escalation)
        for key in [k for k in self._calls if k[0] == station and k[1] not in listed]:
            del self._calls[key]
            changes.append(Closed(station, key[1], "closed"))
        return changes

    def _current_escalation(self, call: OpenCall) -> Escalation | None:
        call_type = self.plant.call_types.get(call.call_type)
        if call_type is None or call.level < 1:
            return None
        step = next((s for s in call_type.escalation if s.level == call.level), None)
        if step is None:
            return None
        if step.while_ == UNACKNOWLEDGED and call.acknowledged_by:
            return None
        return Escalation(
            call,
            step.level,
            tuple(step.roles),
            step.while_,
            call.raised_at + timedelta(seconds=step.after_s),
        )


def _call_from_view(station: str, view: Any) -> OpenCall | None:
    """An open call from a snapshot's ``open_calls`` entry (None when malformed)."""
    if not isinstance(view, dict):
        return None
    call_id, call_type, raised = view.get("call_id"), view.get("type"), view.get("raised_at")
    level = view.get("level", 0)
    if not (isinstance(call_id, str) and isinstance(call_type, str) and isinstance(raised, str)):
        return None
    if isinstance(level, bool) or not isinstance(level, int):
        return None
    try:
        raised_at = ev.parse_instant(raised)
    except ValueError:
        return None
    status = view.get("status")
    by = view.get("acknowledged_by")
    by = by if isinstance(by, str) else ""
    if status == "acknowledged" and not by:
        by = "someone"
    return OpenCall(station, call_id, call_type, raised_at, level, by)
