"""Realistic station messages for the board tests, made by the real station core.

Each :class:`SimStation` runs the station's pure core (``StationCore``, no
journal) on a simulated clock and records what the agent would publish:
events, the retained state and the status. :func:`demo_morning` plays a
morning on the three lines of the test plant and returns the messages in the
order a board would receive them, each with the instant it arrives.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.bus.messages import encode, event_dict, state_message, status_message
from andon.bus.topics import StationAddress
from andon.config.loader import load_board, load_station
from andon.domain import commands as cmd
from andon.domain.events import format_instant
from andon.domain.snapshot import snapshot
from andon.station.build import station_rules
from andon.station.clock import StationClock
from andon.station.core import Recorded, StationCore
from andon.station.scanner_health import ScannerHealth
from hal.events import Scanned, ScanRejected

CONFIG = Path(__file__).parent / "config"
BOARD_NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
"""10:30 in Berlin: the early shift's fourth hour (the board's fixed clock)."""
SHIFT_START = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)


def catalogue(name: str = "board.toml", language: str | None = None) -> BoardCatalogue:
    """The catalogue of one of the test board files (in ``language``: default the board's)."""
    return BoardCatalogue.from_board(load_board(CONFIG / name), language)


@dataclass(frozen=True)
class Sent:
    """One message as it reaches the board."""

    at: datetime
    topic: str
    payload: bytes


class SimTime:
    """A settable clock shared by simulated stations."""

    def __init__(self, start: datetime) -> None:
        self.t = start.timestamp()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.t, UTC)

    def set(self, t: datetime) -> None:
        self.t = max(self.t, t.timestamp())


@dataclass
class SimStation:
    """A station core on simulated time; ``outbox`` collects what it publishes."""

    name: str
    time: SimTime
    outbox: list[Sent] = field(default_factory=list)
    scanners: ScannerHealth = field(default_factory=ScannerHealth)

    def __post_init__(self) -> None:
        config = load_station(CONFIG / f"station-{self.name}.toml")
        site = config.plant_config.site
        self.address = StationAddress(site.topic_prefix, site.id, site.area, config.line, config.id)
        clock = StationClock(wall=lambda: self.time.t, monotonic=lambda: self.time.t)
        self.core = StationCore(station_rules(config), None, clock, on_recorded=self._recorded)

    def _recorded(self, recorded: Recorded) -> None:
        event = recorded.event
        message = event_dict(
            self.address.path,
            recorded.seq,
            recorded.event_id,
            format_instant(event.at),
            event.KIND,
            event.to_dict(),
        )
        self.outbox.append(Sent(self.time.now(), self.address.events(), encode(message)))

    def start(self) -> SimStation:
        self.core.start()
        self.publish_status(True)
        return self

    def do(self, command: Callable[..., cmd.Outcome], **kwargs: Any) -> cmd.Outcome:
        outcome = self.core.execute(command, **kwargs)
        assert outcome.accepted, outcome.rejection
        return outcome

    def tick(self) -> None:
        self.core.tick()

    def state_payload(self) -> dict[str, Any]:
        health = {
            "journal_error": "",
            "unjournaled": 0,
            "broker": True,
            "in_flight": 0,
            "scanners": self.scanners.as_dict(),
        }
        view = snapshot(self.core.state, self.time.now())
        return state_message(self.address.path, view, health)

    def publish_state(self) -> None:
        self.outbox.append(
            Sent(self.time.now(), self.address.state(), encode(self.state_payload()))
        )

    def publish_status(self, online: bool, detail: str = "") -> None:
        at = format_instant(self.time.now()) if online else ""
        message = status_message(self.address.path, online, at, "0.1.0", detail)
        self.outbox.append(Sent(self.time.now(), self.address.status(), encode(message)))

    def open_call(self, call_type: str, part: str = "") -> str:
        call = self.core.state.open_call(call_type, part)
        assert call is not None
        return call.call_id


def _local(hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """An instant of 2026-11-25 in Berlin (UTC+1 in November)."""
    return datetime(2026, 11, 25, hh - 1, mm, ss, tzinfo=UTC)


NOISE = "control character 0x01 in the line"


def scan(station: SimStation, event: Scanned | ScanRejected) -> None:
    """What the station's scanner health sees of a scanner read (the core is told apart)."""
    station.scanners.observe(event, station.time.now())


def demo_morning(until: datetime = BOARD_NOW) -> tuple[dict[str, SimStation], list[Sent]]:
    """Three lines from 06:00 to 10:30: A too slow with calls, B too fast, C on plan."""
    time = SimTime(SHIFT_START)
    stations = {name: SimStation(name, time).start() for name in ("a1", "a3", "b1", "b2", "c2")}
    # Counting plans: seconds between units per quarter hour of the morning.
    cadence = {
        "a3": lambda t: 400 if t < _local(7) else 175,  # a slow first hour, then nearly takt
        "b2": lambda t: 50,  # faster than the 60 s takt
        "c2": lambda t: 45,  # on the 45 s takt
    }
    next_count = {name: SHIFT_START + timedelta(seconds=60) for name in cadence}
    script: list[tuple[datetime, Callable[[], object]]] = [
        (_local(7, 20), lambda: stations["b2"].do(cmd.press, call_type="quality")),
        (
            _local(7, 24),
            lambda: stations["b2"].do(
                cmd.acknowledge,
                call_id=stations["b2"].open_call("quality"),
                by="Sofia Rossi",
                source="badge",
            ),
        ),
        (
            _local(7, 40),
            lambda: stations["b2"].do(
                cmd.resolve,
                call_id=stations["b2"].open_call("quality"),
                by="Sofia Rossi",
                source="reason_card",
                reason="DEF-ASSY",
            ),
        ),
        (
            _local(8, 5),
            lambda: stations["b2"].do(
                cmd.record_hour_cause,
                hour_start=_local(7),
                reason="TRAINING",
                by="Jonas Weber",
                note="new operator on b2",
            ),
        ),
        (_local(10, 10), lambda: stations["a1"].do(cmd.fault, active=True)),
        (
            _local(10, 11),
            lambda: scan(stations["a1"], ScanRejected(scanner="badge", reason=NOISE, at=0.0)),
        ),
        (
            _local(10, 12),
            lambda: scan(stations["a1"], Scanned(scanner="badge", text="BD:7", at=0.0)),
        ),
        (
            _local(10, 12),
            lambda: stations["a1"].do(
                cmd.acknowledge,
                call_id=stations["a1"].open_call("equipment"),
                by="Lena Fischer",
                source="badge",
            ),
        ),
        (
            _local(10, 20),
            lambda: stations["a1"].do(cmd.bin_changed, part="P-1001", empty=True),
        ),
        (_local(10, 26), lambda: stations["a3"].do(cmd.press, call_type="help")),
        (_local(10, 25), lambda: stations["b1"].publish_status(False, "connection lost")),
    ]
    script.sort(key=lambda item: item[0])
    t = SHIFT_START
    step = timedelta(seconds=30)
    while t <= until:
        time.set(t)
        for name, due in list(next_count.items()):
            while due <= t:
                time.set(due)
                if stations[name].core.rules.calendar.is_working(due):
                    stations[name].do(cmd.count, good=1)
                due += timedelta(seconds=cadence[name](due))
            next_count[name] = due
        time.set(t)
        while script and script[0][0] <= t:
            _, action = script.pop(0)
            action()
        recent = (until - t) <= timedelta(minutes=30)
        if recent or (t.minute % 5 == 0 and t.second == 0):
            for station in stations.values():
                station.tick()
        if t.second == 0 and recent:
            for name, station in stations.items():
                if name != "b1" or t < _local(10, 25):
                    station.publish_state()
        t += step
    messages = sorted((m for s in stations.values() for m in s.outbox), key=lambda m: m.at)
    return stations, messages


@functools.cache
def morning_messages(until: datetime = BOARD_NOW) -> tuple[Sent, ...]:
    """The messages of :func:`demo_morning` (computed once per test session)."""
    return tuple(demo_morning(until)[1])


def fed_model(catalogue: BoardCatalogue, until: datetime = BOARD_NOW) -> BoardModel:
    """A board model that received the whole morning."""
    model = BoardModel(catalogue)
    messages = morning_messages(until)
    for message in messages:
        model.ingest(message.topic, message.payload, message.at)
    return model
