"""The open material calls of the store's lines, as the stations' retained states tell them.

Every station publishes its open calls in its retained ``state`` message; the
station is the authority. :class:`MaterialCallBook` keeps, per station, the
material calls of its latest state, and lists them **oldest first** (the store
serves them in that order; DOMAIN.md section 4). Express calls keep their place
in that order and are flagged (``express``), so the board can show them in red.

A call the store has just booked with a kanban (the station accepted it) is
*served*: it is left out of the list at once, before the station's next state
confirms it closed, so a second scan of the same part goes to the next call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from andon.domain.events import format_instant, parse_instant

MATERIAL = "material"


class CallFormatError(ValueError):
    """A call in a state message that lacks what the store needs."""


@dataclass(frozen=True)
class MaterialCall:
    """One open material call of one station."""

    station: str
    """``site/area/line/station``: where to send the kanban."""
    line: str
    call_id: str
    part: str
    raised_at: datetime
    express: bool = False
    status: str = "raised"

    @property
    def station_id(self) -> str:
        return self.station.rsplit("/", 1)[-1]

    def sort_key(self) -> tuple[datetime, str, str]:
        """Oldest first; ties broken by station and call id so the order is stable."""
        return (self.raised_at, self.station, self.call_id)

    def to_dict(self) -> dict[str, Any]:
        """The form listed in the store's status message."""
        return {
            "station": self.station,
            "line": self.line,
            "call_id": self.call_id,
            "part": self.part,
            "raised_at": format_instant(self.raised_at),
            "express": self.express,
            "status": self.status,
        }


def material_calls(station: str, line: str, state: Mapping[str, Any]) -> list[MaterialCall]:
    """The open material calls of a parsed state message; :class:`CallFormatError` if malformed.

    Calls of other types are skipped.
    """
    calls = []
    for index, raw in enumerate(state.get("open_calls", [])):
        if not isinstance(raw, Mapping) or raw.get("type") != MATERIAL:
            continue
        where = f"open_calls[{index}]"
        call_id, part = raw.get("call_id"), raw.get("part")
        raised_at, express, status = (
            raw.get("raised_at"),
            raw.get("express", False),
            raw.get("status", "raised"),
        )
        if not isinstance(call_id, str) or not call_id:
            raise CallFormatError(f"{where}.call_id: expected a string")
        if not isinstance(part, str) or not part:
            raise CallFormatError(f"{where}.part: expected a part number")
        if not isinstance(express, bool):
            raise CallFormatError(f"{where}.express: expected true or false")
        if not isinstance(status, str):
            raise CallFormatError(f"{where}.status: expected a string")
        if not isinstance(raised_at, str):
            raise CallFormatError(f"{where}.raised_at: expected an instant")
        try:
            instant = parse_instant(raised_at)
        except ValueError as exc:
            raise CallFormatError(f"{where}.raised_at: {exc}") from None
        calls.append(MaterialCall(station, line, call_id, part, instant, express, status))
    return calls


class MaterialCallBook:
    """Open material calls per station; not thread-safe (the store guards it with a lock)."""

    def __init__(self) -> None:
        self._by_station: dict[str, dict[str, MaterialCall]] = {}
        self._served: dict[str, str] = {}
        """call id -> station of calls booked by kanban, until the station drops them."""

    def update(self, station: str, calls: Iterable[MaterialCall]) -> list[MaterialCall]:
        """Replace one station's open calls; returns the calls that are new.

        The first state seen of a station only tells what was already open: none
        of its calls count as new.
        """
        incoming = {call.call_id: call for call in calls}
        before = self._by_station.get(station)
        self._by_station[station] = incoming
        for call_id, where in list(self._served.items()):
            if where == station and call_id not in incoming:
                del self._served[call_id]
        if before is None:
            return []
        return sorted(
            (c for i, c in incoming.items() if i not in before and i not in self._served),
            key=MaterialCall.sort_key,
        )

    def open_calls(self) -> list[MaterialCall]:
        """Every open material call not yet served, oldest first."""
        calls = [
            call
            for station_calls in self._by_station.values()
            for call in station_calls.values()
            if call.call_id not in self._served
        ]
        return sorted(calls, key=MaterialCall.sort_key)

    def oldest_for(self, part: str) -> MaterialCall | None:
        """The call a kanban for ``part`` serves: the oldest open one for that part."""
        return next((c for c in self.open_calls() if c.part == part), None)

    def mark_served(self, call: MaterialCall) -> None:
        """The station accepted the kanban for ``call``: leave it out from now on."""
        self._served[call.call_id] = call.station

    def stations(self) -> list[str]:
        """The stations whose state has been seen."""
        return sorted(self._by_station)
