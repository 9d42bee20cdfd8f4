"""Sites bridged to an enterprise broker, on real Mosquitto processes over cuttable WAN links.

Real simulated stations journal their events at two sites; each site's broker
bridges them up (TLS, its own account) to the enterprise broker. With the WAN
cut the sites go on as before; once it is back, the enterprise historian's
subscription ends with exactly the stations' journals: every (station, seq) once
after de-dup, with the journal's event id. Only the listed commands come down,
and no site can read or write another's subtree at the enterprise.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.bus.client import BusClient, Message
from andon.bus.commands import command_message
from andon.bus.messages import encode
from andon.config.loader import load_station
from andon.station.assemble import StationRuntime, build_station
from tests.support.stations import wait_for

from .conftest import ENTERPRISE_ID, SITES, Enterprise, Site

STATIONS = (("line-a", "a1", "station-a1.toml"), ("line-b", "b1", "station-b1.toml"))
WAIT_S = 30.0


class Subscriber:
    """Every message of one pattern, on a connected BusClient."""

    def __init__(self, client: BusClient, pattern: str) -> None:
        self.client = client
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        client.subscribe(pattern, self._on)
        client.start()
        assert client.wait_subscribed(10), client.last_error  # events from now on arrive

    def _on(self, message: Message) -> None:
        with self._lock:
            self.messages.append(message)

    def snapshot(self) -> list[Message]:
        with self._lock:
            return list(self.messages)

    def events(self) -> list[tuple[str, int, str]]:
        """(station, seq, id) of every event message received, duplicates included."""
        out = []
        for message in self.snapshot():
            if message.topic.endswith("/events"):
                data = json.loads(message.payload)
                out.append((data["station"], data["seq"], data["id"]))
        return out

    def latest(self, topic: str) -> bytes | None:
        found = [m.payload for m in self.snapshot() if m.topic == topic]
        return found[-1] if found else None


@pytest.fixture(scope="module")
def stations(
    enterprise: Enterprise, historian: Subscriber, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[StationRuntime, Path]]]:
    """Two simulated stations per site, each on its own provisioned account."""
    folder = tmp_path_factory.mktemp("journals")
    started: dict[str, tuple[StationRuntime, Path]] = {}
    try:
        for site in enterprise.sites.values():
            for line, station, file in STATIONS:
                username = f"station.{line}.{station}"
                config = load_station(site.bundle(username) / file)
                secret_id = config.plant_config.broker.client_id
                settings = site.settings(username, client_id=secret_id, clean_session=False)
                journal = folder / f"{site.id}-{station}.sqlite"
                runtime = build_station(config, sim=True, settings=settings, journal_path=journal)
                runtime.agent.start()
                started[f"{site.id}/assembly/{line}/{station}"] = (runtime, journal)
        yield started
    finally:
        for runtime, _ in started.values():
            runtime.agent.stop()


@pytest.fixture(scope="module")
def historian(enterprise: Enterprise) -> Iterator[Subscriber]:
    """The enterprise historian's subscription, there before any station starts."""
    client = BusClient(enterprise.historian(client_id="historian-test"))
    subscriber = Subscriber(client, f"{ENTERPRISE_ID}/#")
    yield subscriber
    client.close(timeout=1)


def journal_events(journals: dict[str, tuple[StationRuntime, Path]]) -> set[tuple[str, int, str]]:
    rows: set[tuple[str, int, str]] = set()
    for path, (_, journal) in journals.items():
        with sqlite3.connect(journal) as db:
            rows |= {
                (path, seq, event_id) for seq, event_id in db.execute("SELECT seq, id FROM events")
            }
    return rows


def work(stations: dict[str, tuple[StationRuntime, Path]]) -> None:
    """Every station makes parts and one calls for help."""
    for index, (runtime, _) in enumerate(stations.values()):
        sim = runtime.sim
        assert sim is not None
        sim.pulse_counter(2)
        if index % 2 == 0:
            sim.press("help")


def bridge_status(historian: Subscriber, site: str) -> bytes | None:
    return historian.latest(f"{ENTERPRISE_ID}/{site}/_bridges/enterprise/status")


def test_sites_work_through_wan_cuts_and_the_enterprise_ends_with_every_event(
    enterprise: Enterprise, stations: dict[str, tuple[StationRuntime, Path]], historian: Subscriber
) -> None:
    sites = list(enterprise.sites.values())
    for site in sites:
        wait_for(lambda site=site: bridge_status(historian, site.id) == b"1", WAIT_S)
    local = {
        site.id: Subscriber(BusClient(site.settings("monitor")), f"andon/{site.id}/+/+/+/events")
        for site in sites
    }
    before = journal_events(stations)  # the site's subscribers start here
    try:
        work(stations)
        for _round in range(2):
            for site in sites:
                site.wan.cut()
            for site in sites:  # the enterprise sees the bridge's will
                wait_for(lambda site=site: bridge_status(historian, site.id) == b"0", WAIT_S)
            seen_above = len(historian.events())
            work(stations)
            # The site goes on: its own subscribers get every event live, calls are open.
            for site in sites:
                wait_for(
                    lambda site=site: (
                        _site_journal(stations, site.id) - before <= set(local[site.id].events())
                    ),
                    WAIT_S,
                )
            for runtime, _ in stations.values():
                state = runtime.agent.core.state
                assert state.good + state.off_shift_good > 0
            assert len(historian.events()) == seen_above, "events crossed a cut WAN"
            for site in sites:
                site.wan.restore()
            for site in sites:
                wait_for(lambda site=site: bridge_status(historian, site.id) == b"1", WAIT_S)
        work(stations)

        journals = journal_events(stations)
        wait_for(lambda: journals <= set(historian.events()), WAIT_S)
        received = historian.events()
        assert set(received) == journals  # nothing lost, nothing foreign, ids as journaled
        assert {(s, q) for s, q, _ in received} == {(s, q) for s, q, _ in journals}
        assert len(journals) > 8 * len(stations)
        assert all(site.wan.connections >= 3 for site in sites)  # reconnected after each cut
    finally:
        for subscriber in local.values():
            subscriber.client.close(timeout=1)


def _site_journal(
    stations: dict[str, tuple[StationRuntime, Path]], site: str
) -> set[tuple[str, int, str]]:
    return {row for row in journal_events(stations) if row[0].startswith(f"{site}/")}


def test_only_the_listed_commands_come_down(
    enterprise: Enterprise, stations: dict[str, tuple[StationRuntime, Path]], historian: Subscriber
) -> None:
    site = SITES[0]
    base = f"{ENTERPRISE_ID}/{site}/assembly/line-a/a1"
    wait_for(lambda: bridge_status(historian, site) == b"1", WAIT_S)
    sender = BusClient(enterprise.historian(client_id="historian-commands"))
    sender.start()
    try:
        assert sender.wait_connected(10)
        forbidden = encode(command_message("ack-from-afar", "someone", person="LF"))
        assert sender.publish(f"{base}/cmd/acknowledge", forbidden, qos=1).wait(10)
        replay = encode(command_message("replay-1", "historian", from_seq=1))
        assert sender.publish(f"{base}/cmd/replay", replay, qos=1).wait(10)

        def replies() -> list[dict[str, object]]:
            return [
                json.loads(m.payload) for m in historian.snapshot() if m.topic == f"{base}/reply"
            ]

        wait_for(lambda: any(r["command_id"] == "replay-1" for r in replies()), WAIT_S)
        answer = next(r for r in replies() if r["command_id"] == "replay-1")
        assert answer["accepted"] is True
        assert re.fullmatch(r"replayed 1\.\.\d+", str(answer["reason"]))
        # Commands reach a station in order: the acknowledge sent first never came down.
        assert not any(r["command_id"] == "ack-from-afar" for r in replies())
    finally:
        sender.close(timeout=1)


def test_a_site_account_cannot_touch_another_site(
    enterprise: Enterprise, historian: Subscriber
) -> None:
    north, south = (enterprise.sites[s] for s in SITES)
    password = _bridge_password(north)
    secret = north.provisioned.out / "north-bridge.password"
    secret.write_text(password + "\n")
    secret.chmod(0o600)
    settings = enterprise.historian(
        client_id="not-the-bridge", username=north.bridge.bridge.username, password_file=secret
    )
    spy_inbox: list[Message] = []
    intruder = BusClient(settings)
    intruder.subscribe(f"{ENTERPRISE_ID}/{south.id}/#", spy_inbox.append)
    intruder.start()
    try:
        assert intruder.wait_connected(10), intruder.last_error
        forged = f"{ENTERPRISE_ID}/{south.id}/assembly/line-a/a1/state"
        marker = f"{ENTERPRISE_ID}/{north.id}/assembly/line-a/a1/state"
        assert intruder.publish(forged, b'{"forged": true}', qos=1).wait(10)
        assert intruder.publish(marker, b'{"marker": true}', qos=1).wait(10)
        wait_for(
            lambda: any(m.payload == b'{"marker": true}' for m in historian.snapshot()), WAIT_S
        )
        assert not any(m.payload == b'{"forged": true}' for m in historian.snapshot())
        assert spy_inbox == []  # south's subtree (retained state included) stays unreadable
    finally:
        intruder.close(timeout=1)


def _bridge_password(site: Site) -> str:
    match = re.search(r"^remote_password (\S+)$", site.bridge.bridge_conf.read_text(), re.M)
    assert match is not None
    return match.group(1)
