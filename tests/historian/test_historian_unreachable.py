"""A history database that cannot be reached: retried, an alarm on the board, nothing lost.

Real parts: Mosquitto, a live station on simulated hardware, the historian,
the board under Textual's pilot, an SQLite path that cannot be created, and a
PostgreSQL server stopped and started again.
"""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot

from andon.board.catalogue import BoardCatalogue
from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_board, load_plant
from andon.historian.service import Historian
from andon.historian.store import HistoryError
from andon.historian.stores import open_store
from tests.board.live import live_app, until, until_text
from tests.board.pilot import run, screen_text
from tests.historian.conftest import PostgresServer
from tests.support.stations import DEMO, wait_for

pytestmark = pytest.mark.mosquitto

STATUS = "andon/demo-plant/_historians/historian/status"


def historian(url: str, settings: BrokerSettings) -> Historian:
    return Historian.for_plant(load_plant(DEMO / "plant.toml"), url, settings, retry_s=0.2)


def start_in_background(h: Historian) -> threading.Thread:
    """``start`` waits for the database: here the test goes on meanwhile."""

    def start() -> None:
        with contextlib.suppress(HistoryError):  # stopped before the database answered
            h.start()

    thread = threading.Thread(target=start, daemon=True)
    thread.start()
    return thread


def journal_seqs(runtime) -> list[int]:
    return [row.seq for row in runtime.agent.journal.rows()]


def stored(url: str, station: str) -> list[int]:
    with open_store(url) as store:
        return store.seqs(station)


def test_an_unwritable_sqlite_path_is_an_alarm_on_the_board_until_it_can_be_written(
    mosquitto, station_factory, tmp_path: Path
) -> None:
    blocker = tmp_path / "history"
    blocker.write_text("a file where the history's folder should be")
    url = f"sqlite:///{blocker / 'history.sqlite'}"
    a3 = station_factory(mosquitto.settings(client_id="a3", clean_session=False))
    assert a3.agent.bus.wait_subscribed(10)
    a3.sim.pulse_counter(5)
    h = historian(url, mosquitto.settings(client_id="historian", clean_session=False))
    starting = start_in_background(h)
    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    app = live_app(catalogue, mosquitto.settings(client_id="board"))

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "History not kept by historian historian")
        await until_text(pilot, "history database unreachable")
        a3.sim.pulse_counter(7)  # events while the database is away
        a3.sim.press("help")
        await pilot.press("d")
        await until_text(pilot, "History not kept by historian historian")
        blocker.unlink()  # the folder can be made now
        await until(pilot, lambda: "Historian historian: storing" in screen_text(pilot.app), 20)
        assert "History not kept" not in screen_text(pilot.app)

    try:
        run(app, check, size=(120, 30))
        starting.join(10)
        path = a3.agent.address.path
        wait_for(lambda: stored(url, path) == journal_seqs(a3), timeout=20)
        assert h.stats.database_errors >= 1
    finally:
        h.stop()


def test_a_stopped_postgresql_is_retried_and_nothing_is_lost(
    mosquitto, station_factory, postgres_server
) -> None:
    server = PostgresServer().start()  # its own server: this test stops it
    try:
        url = server.create_database()
        a3 = station_factory(mosquitto.settings(client_id="a3", clean_session=False))
        assert a3.agent.bus.wait_subscribed(10)
        statuses: list[dict] = []
        watcher = BusClient(mosquitto.settings(client_id="watcher"))
        watcher.subscribe(STATUS, lambda m: statuses.append(json.loads(m.payload)))
        watcher.start()
        h = historian(url, mosquitto.settings(client_id="historian", clean_session=False))
        h.start(wait_database_s=10)
        try:
            path = a3.agent.address.path
            a3.sim.pulse_counter(10)
            wait_for(lambda: stored(url, path) == journal_seqs(a3), timeout=20)
            server.pause()
            for _ in range(5):
                a3.sim.pulse_counter(3)
            a3.sim.press("help")
            wait_for(lambda: statuses and "unreachable" in statuses[-1]["detail"], timeout=20)
            assert statuses[-1]["online"] is True
            assert h.stats.pending > 0, "the events wait in memory"
            server.resume()
            wait_for(lambda: statuses[-1]["detail"] == "", timeout=30)
            wait_for(lambda: stored(url, path) == journal_seqs(a3), timeout=20)
            assert h.stats.database_errors >= 1
        finally:
            h.stop()
            watcher.close()
    finally:
        server.stop()
