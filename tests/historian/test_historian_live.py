"""The historian against a real Mosquitto and live stations: exactly the stations' journals.

The historian runs as ``andon historian`` in its own process, so it can be killed
like on a plant: SIGKILL while events flow, offline while the stations work on,
and between receiving a batch (acknowledged to the broker) and committing it;
each time, restarted, it ends with every journal row once and nothing else.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from andon.config.loader import load_plant
from andon.historian.service import Historian
from andon.historian.stores import open_store
from andon.journal.store import Journal
from andon.journal.verify import verify
from tests.support.stations import DEMO, wait_for

pytestmark = pytest.mark.mosquitto


def start_historian(
    broker_port: int, url: str, log: Path, level: str = "WARNING"
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "andon",
            "--log-level",
            level,
            "historian",
            "--config",
            str(DEMO),
            "--database",
            url,
            "--broker",
            f"127.0.0.1:{broker_port}",
        ],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def stored_seqs(url: str, station: str) -> list[int]:
    with open_store(url) as store:
        return store.seqs(station)


def journal_seqs(runtime) -> list[int]:
    return [row.seq for row in runtime.agent.journal.rows()]


def final_journal_seqs(runtime) -> list[int]:
    """The seqs of a stopped station's journal (read from its file)."""
    with Journal(runtime.agent.journal.path, owner=runtime.agent.address.path) as journal:
        return [row.seq for row in journal.rows()]


def test_killed_and_offline_historian_ends_with_exactly_the_journals(
    history_url, mosquitto, station_factory, tmp_path
):
    settings = mosquitto.settings
    a3 = station_factory(settings(client_id="a3", clean_session=False), name="station-a3.toml")
    b2 = station_factory(settings(client_id="b2", clean_session=False), name="station-b2.toml")
    wait_for(lambda: a3.agent.bus.connected and b2.agent.bus.connected)
    a3.sim.pulse_counter(20)
    b2.sim.press("help")
    log = tmp_path / "historian.log"
    historian = start_historian(mosquitto.port, history_url, log)
    try:
        # history from seq 1 for stations it never saw: fetched by replay
        wait_for(
            lambda: stored_seqs(history_url, a3.agent.address.path) == journal_seqs(a3), timeout=30
        )
        # killed while events flow
        for _ in range(10):
            a3.sim.pulse_counter(30)
            time.sleep(0.05)
        historian.send_signal(signal.SIGKILL)
        historian.wait(10)
        # offline while the stations work on
        a3.sim.pulse_counter(50)
        b2.sim.acknowledge()
        time.sleep(0.5)
        historian = start_historian(mosquitto.port, history_url, log)
        for runtime in (a3, b2):
            path = runtime.agent.address.path
            wait_for(
                lambda r=runtime, p=path: stored_seqs(history_url, p) == journal_seqs(r), timeout=30
            )
        # and it keeps following
        b2.sim.press("quality")
        wait_for(
            lambda: stored_seqs(history_url, b2.agent.address.path) == journal_seqs(b2), timeout=30
        )
        # the stations stop, so their journals are final: a live station journals
        # time-driven events at any moment (the line stopped some takts after the
        # quality call), which a historian stopped before them cannot have
        for runtime in (a3, b2):
            runtime.agent.stop()
        for runtime in (a3, b2):
            path = runtime.agent.address.path
            wait_for(
                lambda r=runtime, p=path: stored_seqs(history_url, p) == final_journal_seqs(r),
                timeout=30,
            )
    finally:
        historian.send_signal(signal.SIGTERM)
        assert historian.wait(20) == 0, log.read_text()
    for runtime in (a3, b2):
        assert verify(runtime.agent.journal.path) == []
        assert stored_seqs(history_url, runtime.agent.address.path) == final_journal_seqs(runtime)
    with open_store(history_url) as store:
        assert store.count() == len(final_journal_seqs(a3)) + len(final_journal_seqs(b2))
    assert "Traceback" not in log.read_text()


@contextmanager
def writes_held(url: str) -> Iterator[None]:
    """No transaction of another connection can commit into the history meanwhile."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///") :], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("BEGIN")
        pg.execute("LOCK TABLE streams IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            pg.execute("ROLLBACK")


def test_historian_killed_between_receiving_and_committing_a_batch_loses_nothing(
    history_url, mosquitto, station_factory, tmp_path
):
    a3 = station_factory(
        mosquitto.settings(client_id="a3", clean_session=False), name="station-a3.toml"
    )
    assert a3.agent.bus.wait_subscribed(10)
    a3.sim.pulse_counter(10)
    path = a3.agent.address.path
    log = tmp_path / "historian.log"
    historian = start_historian(mosquitto.port, history_url, log, level="DEBUG")
    try:
        wait_for(lambda: stored_seqs(history_url, path) == journal_seqs(a3), timeout=30)
        held_from = len(journal_seqs(a3))
        with writes_held(history_url):
            mark = log.stat().st_size
            a3.sim.pulse_counter(40)
            # the historian has the events (the broker has its acknowledgements) and
            # is writing them, but cannot commit
            wait_for(lambda: b": storing " in log.read_bytes()[mark:], timeout=30)
            historian.send_signal(signal.SIGKILL)
            historian.wait(10)
        assert stored_seqs(history_url, path) == journal_seqs(a3)[:held_from]
        historian = start_historian(mosquitto.port, history_url, log)
        wait_for(lambda: stored_seqs(history_url, path) == journal_seqs(a3), timeout=30)
    finally:
        historian.send_signal(signal.SIGTERM)
        assert historian.wait(20) == 0, log.read_text()
    assert verify(a3.agent.journal.path) == []
    with open_store(history_url) as store:
        assert store.seqs(path) == journal_seqs(a3)
        assert store.count() == len(journal_seqs(a3))
    assert "Traceback" not in log.read_text()


def test_a_stop_asked_for_commits_every_event_taken_until_the_historian_has_stopped(
    history_url, mosquitto, station_factory
):
    """As on SIGTERM: the signal asks for the stop, events go on arriving until the
    stop is carried out, and each event the historian was handed is committed."""
    a3 = station_factory(mosquitto.settings(client_id="a3", clean_session=False))
    assert a3.agent.bus.wait_subscribed(10)
    plant = load_plant(DEMO / "plant.toml")
    settings = mosquitto.settings(client_id="historian", clean_session=False)
    historian = Historian.for_plant(plant, history_url, settings)
    historian.start(wait_database_s=10)
    flowing = threading.Event()
    flowing.set()

    def work() -> None:
        while flowing.is_set():
            a3.sim.pulse_counter(5)
            time.sleep(0.02)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    try:
        wait_for(lambda: historian.stats.stored > 0, timeout=30)
        historian.request_stop()
        taken = historian.stats.received
        wait_for(lambda: historian.stats.received >= taken + 20, timeout=30)
    finally:
        historian.stop()
        flowing.clear()
        worker.join(10)
    received = historian.stats.received
    assert stored_seqs(history_url, a3.agent.address.path) == list(range(1, received + 1))
