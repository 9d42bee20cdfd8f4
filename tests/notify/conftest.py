"""Fixtures for the notifier tests: a plant, notifier files, loopback receivers, a station."""

from __future__ import annotations

import json
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from andon.bus.client import BusClient, Message
from andon.bus.commands import reply_message
from andon.bus.messages import EventMessage, encode, state_message
from andon.bus.topics import ConsumerAddress, StationAddress
from andon.config.loader import load_notify
from andon.config.notify import NotifyFile
from andon.domain import events as ev
from andon.notify.channels import apprise_channels
from andon.notify.deliveries import deliveries_filter, parse_delivery
from andon.notify.service import Notifier

from .servers import SmtpServer, WebhookServer, wait_until

SITE = "p1"
PREFIX = "andon"
STATION = f"{SITE}/assembly/line-a/a1"
STATION_B = f"{SITE}/assembly/line-b/b1"
TUESDAY = datetime(2025, 3, 4, tzinfo=UTC)
"""Shifts (UTC): early 06-14, late 14-22; outside them no shift runs."""

PLANT = """\
kind = "plant"
schema = 1

[site]
id = "p1"
name = "Test plant"
area = "assembly"
timezone = "UTC"

[broker]
host = "127.0.0.1"
port = {port}

[calendar]
working_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

[[calendar.shifts]]
name = "early"
start = "06:00"
end = "14:00"

[[calendar.shifts]]
name = "late"
start = "14:00"
end = "22:00"

[[people]]
badge = "1001"
name = "Anna Becker"
role = "team_leader"

[[people]]
badge = "1002"
name = "Jonas Weber"
role = "team_leader"

[[people]]
badge = "3001"
name = "Lena Fischer"
role = "maintenance"

[[people]]
badge = "3002"
name = "Max Braun"
role = "maintenance"

[[people]]
badge = "2001"
name = "Mehmet Yilmaz"
role = "supervisor"

[[lines]]
id = "line-a"
name = "Assembly line A"
takt_s = 60

[[lines]]
id = "line-b"
name = "PCB line B"
takt_s = 60
"""

CONTACTS = """\
[[contacts]]
badge = "1001"
shifts = ["early"]
addresses = { mail = "anna@example.com", push = "anna" }

[[contacts]]
badge = "1002"
shifts = ["late"]
addresses = { mail = "jonas@example.com", push = "jonas" }

[[contacts]]
badge = "3001"
shifts = ["early"]
addresses = { mail = "lena@example.com", push = "lena" }

[[contacts]]
badge = "3002"
shifts = ["late", "off_shift"]
addresses = { mail = "max@example.com" }

[[contacts]]
badge = "2001"
addresses = { mail = "mehmet@example.com" }
"""


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant on the test Tuesday (UTC)."""
    return TUESDAY + timedelta(hours=hour, minutes=minute, seconds=second)


class ShiftedClock:
    """Real time moved to start at ``start``: the notifier lives on the test's day."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._mono0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._mono0)

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._mono += seconds


@pytest.fixture(scope="session", autouse=True)
def _stop_apprise_pools() -> Iterator[None]:
    """Apprise 2 runs services on process-wide thread pools made on first use: stop them
    at the end (Apprise makes new ones if it is used again)."""
    yield
    import sys

    module = sys.modules.get("apprise.apprise")
    for name in ("_shared_executor", "_coordinator_executor"):
        pool = getattr(module, name, None)
        if pool is not None:
            pool.shutdown(wait=True)
            setattr(module, name, None)


@pytest.fixture
def write_plant(tmp_path: Path) -> Callable[..., Path]:
    def _write(port: int = 1883) -> Path:
        path = tmp_path / "plant.toml"
        path.write_text(PLANT.format(port=port), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def write_notify(tmp_path: Path, write_plant: Callable[..., Path]) -> Callable[..., Path]:
    """``write_notify(body, urls={channel: url}, port=)``: a notifier file with URL files."""

    def _write(body: str, urls: dict[str, str] | None = None, port: int = 1883) -> Path:
        write_plant(port)
        for channel, url in (urls or {}).items():
            (tmp_path / f"{channel}.url").write_text(f"# {channel}\n{url}\n", encoding="utf-8")
        path = tmp_path / "notify.toml"
        head = 'kind = "notify"\nschema = 1\nplant = "plant.toml"\nid = "maint"\n'
        path.write_text(head + textwrap.dedent(body), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def load(write_notify: Callable[..., Path]) -> Callable[..., NotifyFile]:
    def _load(body: str, urls: dict[str, str] | None = None, port: int = 1883) -> NotifyFile:
        return load_notify(write_notify(body, urls, port))

    return _load


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer().start()
    try:
        yield server
    finally:
        server.stop()


class FakeStation:
    """Publishes a station's events with sequence numbers, and answers acknowledge commands."""

    def __init__(self, bus: BusClient, path: str = STATION) -> None:
        self.bus = bus
        self.address = StationAddress.from_path(path, PREFIX)
        self.seq = 0
        self.commands: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def publish(self, event: ev.Event, wait: bool = True, seq: int | None = None) -> int:
        """Publish the next event, or the one numbered ``seq`` (a replay).

        ``wait``: until the broker has it (never on the bus's own thread).
        """
        with self._lock:
            if seq is None:
                self.seq += 1
                seq = self.seq
            message = EventMessage(self.address.path, seq, str(uuid.uuid4()), event)
            delivery = self.bus.publish(self.address.events(), encode(message.to_dict()), qos=1)
        if wait:
            assert delivery.wait(10)
        return seq

    def raise_call(
        self, call_id: str, call_type: str, when: datetime, roles: tuple[str, ...]
    ) -> None:
        """A call and its first escalation level, as the station records them."""
        self.publish(ev.CallRaised(at=when, call_id=call_id, call_type=call_type, source="button"))
        self.escalate(call_id, 1, roles, "unacknowledged", when)

    def escalate(
        self, call_id: str, level: int, roles: tuple[str, ...], condition: str, when: datetime
    ) -> None:
        self.publish(
            ev.CallEscalated(
                at=when, call_id=call_id, level=level, roles=roles, condition=condition
            )
        )

    def publish_state(self, open_calls: list[dict[str, Any]], when: datetime) -> None:
        snapshot = {
            "at": ev.format_instant(when),
            "line": self.address.line,
            "seq": self.seq,
            "good": 0,
            "planned": 0.0,
            "hours": [],
            "open_calls": open_calls,
        }
        payload = state_message(self.address.path, snapshot, {})
        assert self.bus.publish(self.address.state(), encode(payload), qos=1, retain=True).wait(10)

    def answer_acknowledge(self, when: datetime) -> None:
        """Accept every acknowledge command, as the station would, and record the event."""

        def handle(message: Message) -> None:
            command = message.json()
            self.commands.append(command)
            reply = reply_message(self.address.path, "acknowledge", command["id"], True, "", 0)
            self.bus.publish(self.address.reply(), encode(reply), qos=1)
            acknowledged = ev.CallAcknowledged(
                at=when, call_id=command["call_id"], by=command["by"], source="board"
            )
            self.publish(acknowledged, wait=False)

        self.bus.subscribe(self.address.cmd("acknowledge"), handle)


class Outcomes:
    """Delivery outcomes as a board receives them."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def __call__(self, message: Message) -> None:
        parse_delivery(message.payload)  # every outcome follows the contract
        self.messages.append(json.loads(message.payload))

    def of(self, outcome: str) -> list[dict[str, Any]]:
        return [m for m in list(self.messages) if m["outcome"] == outcome]


@pytest.fixture
def bus(mosquitto: Any) -> Iterator[BusClient]:
    client = BusClient(mosquitto.settings(client_id="test-station")).start()
    assert client.wait_connected(10)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def outcomes(bus: BusClient) -> Outcomes:
    received = Outcomes()
    bus.subscribe(deliveries_filter(PREFIX, SITE), received)
    return received


@pytest.fixture
def start_notifier(
    mosquitto: Any, bus: BusClient, write_notify: Callable[..., Path]
) -> Iterator[Callable[..., Notifier]]:
    """Start a notifier and wait until it announced itself online (so it is subscribed)."""
    started: list[Notifier] = []
    clock = ShiftedClock(at(8, 0, 30))  # one timeline for every notifier of the test

    def _start(body: str | Path, urls: dict[str, str] | None = None) -> Notifier:
        """From a file body (and its channel URLs), or again from a file written before."""
        path = body if isinstance(body, Path) else write_notify(body, urls, port=mosquitto.port)
        config = load_notify(path)
        online: list[bool] = []
        status = ConsumerAddress(PREFIX, SITE, "notifier", config.id).status()
        bus.subscribe(status, lambda m: online.append(bool(m.json().get("online"))))
        notifier = Notifier(
            config,
            apprise_channels(config, path),
            broker=mosquitto.settings(client_id="notify-test"),
            clock=clock,
        ).start()
        started.append(notifier)
        assert wait_until(lambda: True in online)
        return notifier

    yield _start
    for notifier in started:
        notifier.stop()
