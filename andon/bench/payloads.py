"""Valid ``state`` and ``events`` payloads for many stations, without running the stations.

A lightweight publisher sends what a station would: a retained state (the
snapshot of a real, freshly started station of the demo plant, renamed) and
then its event stream with sequence numbers: counts and, every few events,
a call raised, acknowledged and resolved. Everything is encoded before any
clock starts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from andon import __version__
from andon.board.catalogue import BoardCatalogue, LineInfo
from andon.bus.messages import encode, event_dict, state_message, status_message
from andon.bus.topics import StationAddress
from andon.config.loader import load_station
from andon.demo.run import DEMO_DIR
from andon.domain import events as ev
from andon.domain.events import format_instant
from andon.domain.snapshot import snapshot
from andon.domain.station_state import StationState
from andon.station.build import station_rules

PREFIX = "andon"
SITE = "bench-plant"
AREA = "assembly"


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    retain: bool = False


@dataclass(frozen=True)
class FakeStation:
    """One station of the synthetic plant: its address and how many events it sends."""

    address: StationAddress


def plant(lines: int, per_line: int, site: str = SITE) -> list[FakeStation]:
    """``lines`` × ``per_line`` stations: ``line-000/s00`` …"""
    return [
        FakeStation(StationAddress(PREFIX, site, AREA, f"line-{line:03d}", f"s{index:02d}"))
        for line in range(lines)
        for index in range(per_line)
    ]


def catalogue(stations: list[FakeStation], board_id: str = "bench") -> BoardCatalogue:
    """A board showing every line of the synthetic plant."""
    lines = sorted({s.address.line for s in stations})
    return BoardCatalogue(
        board_id=board_id,
        title="bench board",
        prefix=PREFIX,
        site=stations[0].address.site,
        area=AREA,
        lines=tuple(LineInfo(line, line) for line in lines),
    )


def state_template(now: datetime) -> dict[str, Any]:
    config = load_station(DEMO_DIR / "station-a1.toml")
    view = snapshot(StationState(rules=station_rules(config)), now)
    health = {"journal_error": "", "unjournaled": 0, "broker": True, "in_flight": 0}
    return state_message("template", view, health)


def state(station: FakeStation, template: dict[str, Any], seq: int = 0) -> Message:
    """The station's retained state at ``seq``."""
    data = dict(template)
    data.update(station=station.address.path, line=station.address.line, seq=seq)
    return Message(station.address.state(), encode(data), retain=True)


def status(station: FakeStation, now: datetime) -> Message:
    online = status_message(station.address.path, True, format_instant(now), __version__)
    return Message(station.address.status(), encode(online), retain=True)


def event_message(address: StationAddress, seq: int, event: ev.Event) -> Message:
    data = event_dict(
        address.path, seq, str(uuid.uuid4()), format_instant(event.at), event.KIND, event.to_dict()
    )
    return Message(address.events(), encode(data))


STATE_EVERY = 10
"""A station publishes its retained state after its events (at most 4 times a second):
here after every 10th event, so a board's overlay of events stays as short as live."""


def events(
    station: FakeStation,
    count: int,
    start: datetime,
    template: dict[str, Any] | None = None,
) -> Iterator[Message]:
    """Events 1..count: counts, and a call raised, acknowledged and resolved every 8 events;
    with a state ``template``, the station's state after every :data:`STATE_EVERY` events."""
    address = station.address
    call = 0
    for seq in range(1, count + 1):
        at = start + timedelta(seconds=seq)
        phase = seq % 8
        call_id = f"{address.line}.{address.station}.C{call}"
        event: ev.Event
        if phase == 2:
            call += 1
            call_id = f"{address.line}.{address.station}.C{call}"
            event = ev.CallRaised(at=at, call_id=call_id, call_type="help", source="button")
        elif phase == 4 and call:
            event = ev.CallAcknowledged(at=at, call_id=call_id, by="Anna Becker", source="badge")
        elif phase == 6 and call:
            event = ev.CallResolved(at=at, call_id=call_id, by="Anna Becker", source="board")
        else:
            event = ev.Counted(at=at, good=1)
        yield event_message(address, seq, event)
        if template is not None and seq % STATE_EVERY == 0:
            yield state(station, template, seq)


def stream(
    stations: list[FakeStation], per_station: int, now: datetime | None = None
) -> tuple[list[Message], list[Message]]:
    """(retained states and statuses, then the stations' streams interleaved)."""
    now = now or datetime.now(UTC)
    template = state_template(now)
    retained = [m for s in stations for m in (status(s, now), state(s, template))]
    return retained, interleave([list(events(s, per_station, now, template)) for s in stations])


def interleave(streams: list[list[Message]]) -> list[Message]:
    """One message of each stream in turn, keeping each stream's order."""
    longest = max((len(s) for s in streams), default=0)
    return [s[i] for i in range(longest) for s in streams if i < len(s)]


def count_events(messages: list[Message]) -> int:
    return sum(1 for m in messages if m.topic.endswith("/events"))
