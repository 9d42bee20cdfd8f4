"""``andon historian --enterprise`` on PostgreSQL against the enterprise broker of two sites.

Everything is real: two site Mosquittos bridged (TLS, per-site accounts) to an
enterprise Mosquitto, simulated stations journaling at both sites, a PostgreSQL
server, and the historian as ``andon historian`` in its own process. The sites
work through a WAN cut before the enterprise historian exists, through a stop of
the enterprise broker and through a second WAN cut while it runs. The historian
back-fills what it never saw by ``cmd/replay``, which comes down the bridges,
and ends with exactly the sites' journals: per station the count and the last
seq that ``andon verify-journal`` prints, every seq once, nothing foreign.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.bus.client import BusClient
from andon.config.loader import load_station
from andon.historian.stores import open_store
from andon.station.assemble import StationRuntime, build_station
from tests.historian.conftest import PostgresServer, postgres_server  # noqa: F401 (fixture)
from tests.support.stations import wait_for

from .conftest import ENTERPRISE_ID, HISTORIAN, Enterprise, enterprise_file
from .test_bridge import STATIONS, Subscriber, bridge_status, work

pytestmark = pytest.mark.mosquitto

WAIT_S = 60.0
NAME = "central"


@pytest.fixture
def stations(
    enterprise: Enterprise, tmp_path: Path
) -> Iterator[dict[str, tuple[StationRuntime, Path]]]:
    """Two simulated stations per site, each on its own provisioned account."""
    started: dict[str, tuple[StationRuntime, Path]] = {}
    try:
        for site in enterprise.sites.values():
            for line, station, file in STATIONS:
                username = f"station.{line}.{station}"
                config = load_station(site.bundle(username) / file)
                secret_id = config.plant_config.broker.client_id
                settings = site.settings(username, client_id=secret_id, clean_session=False)
                journal = tmp_path / f"{site.id}-{station}.sqlite"
                runtime = build_station(config, sim=True, settings=settings, journal_path=journal)
                runtime.agent.start()
                started[f"{site.id}/assembly/{line}/{station}"] = (runtime, journal)
        yield started
    finally:
        for runtime, _ in started.values():
            runtime.agent.stop()


def start_historian(description: Path, url: str, password: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "andon",
            "--log-level",
            "WARNING",
            "historian",
            "--enterprise",
            str(description),
            "--database",
            url,
            "--name",
            NAME,
            "--username",
            HISTORIAN,
            "--password-file",
            str(password),
        ],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def journal_counts(journal: Path) -> tuple[int, int]:
    """(events, last seq) as ``andon verify-journal`` prints them for an intact journal."""
    done = subprocess.run(
        [sys.executable, "-m", "andon", "verify-journal", str(journal)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    match = re.fullmatch(r".*: intact, (\d+) events \(seq 1\.\.(\d+)\)\n", done.stdout)
    assert match, done.stdout
    return int(match[1]), int(match[2])


def stored(url: str) -> dict[str, list[int]]:
    with open_store(url) as store:
        return {station: store.seqs(station) for station in store.stations()}


def journaled(stations: dict[str, tuple[StationRuntime, Path]]) -> dict[str, list[int]]:
    return {path: [r.seq for r in rt.agent.journal.rows()] for path, (rt, _) in stations.items()}


def all_bridges(monitor: Subscriber, enterprise: Enterprise, up: bytes) -> None:
    for site in enterprise.sites:
        wait_for(lambda site=site: bridge_status(monitor, site) == up, WAIT_S)


def test_the_enterprise_historian_ends_with_exactly_the_sites_journals(
    enterprise: Enterprise,
    stations: dict[str, tuple[StationRuntime, Path]],
    postgres_server: PostgresServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = postgres_server.create_database()
    description = enterprise_file(tmp_path / "central", enterprise.tls_port, enterprise.ca_file)
    monitor = Subscriber(BusClient(enterprise.historian(client_id="monitor")), f"{ENTERPRISE_ID}/#")
    down = {
        site.id: Subscriber(BusClient(site.settings("monitor")), f"andon/{site.id}/+/+/+/cmd/+")
        for site in enterprise.sites.values()
    }
    log = tmp_path / "historian.log"
    historian: subprocess.Popen | None = None
    try:
        all_bridges(monitor, enterprise, b"1")
        # Before the enterprise historian exists: work, a WAN cut, work meanwhile.
        work(stations)
        for site in enterprise.sites.values():
            site.wan.cut()
        all_bridges(monitor, enterprise, b"0")
        work(stations)
        for site in enterprise.sites.values():
            site.wan.restore()
        all_bridges(monitor, enterprise, b"1")

        historian = start_historian(description, url, enterprise.historian_password, log)
        # It never saw these events: it asks every station for them, down the bridges.
        wait_for(lambda: stored(url) == journaled(stations), WAIT_S)
        status = f"{ENTERPRISE_ID}/_enterprise/_historians/{NAME}/status"
        wait_for(lambda: monitor.latest(status) is not None, WAIT_S)
        assert json.loads(monitor.latest(status) or b"{}")["online"] is True
        for path in stations:
            site, rest = path.split("/", 1)
            replays = [
                json.loads(m.payload)
                for m in down[site].snapshot()
                if m.topic == f"andon/{path}/cmd/replay"
            ]
            assert replays, f"no replay came down to {rest} at {site}"
            assert {r["by"] for r in replays} == {f"historian {NAME}"}
            assert min(r["from_seq"] for r in replays) == 1
        # Nothing else ever came down: the bridges carry only the listed commands.
        assert {m.topic.rsplit("/", 1)[1] for s in down.values() for m in s.snapshot()} == {
            "replay"
        }

        # The enterprise broker stops; the sites work on; it starts again.
        enterprise.broker.stop()
        work(stations)
        for runtime, _ in stations.values():
            assert runtime.agent.core.state.good + runtime.agent.core.state.off_shift_good > 0
        enterprise.broker.start()
        all_bridges(monitor, enterprise, b"1")
        work(stations)
        # A WAN cut while the historian runs.
        for site in enterprise.sites.values():
            site.wan.cut()
        all_bridges(monitor, enterprise, b"0")
        work(stations)
        for site in enterprise.sites.values():
            site.wan.restore()
        all_bridges(monitor, enterprise, b"1")
        work(stations)

        wait_for(lambda: stored(url) == journaled(stations), WAIT_S)
        history = stored(url)
        assert set(history) == set(stations)  # nothing foreign
        for path, (_, journal) in stations.items():
            events, last = journal_counts(journal)
            assert history[path] == list(range(1, last + 1))  # every seq once, in order
            assert len(history[path]) == events
        with open_store(url) as store:
            assert store.count() == sum(journal_counts(j)[0] for _, j in stations.values())
        assert min(len(seqs) for seqs in history.values()) > 8
    finally:
        for subscriber in (monitor, *down.values()):
            subscriber.client.close(timeout=1)
        if historian is not None:
            historian.send_signal(signal.SIGTERM)
            assert historian.wait(30) == 0, log.read_text()
    assert "andon historian central: enterprise acme, every site into" in log.read_text()
