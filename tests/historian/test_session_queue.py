"""What the broker queued for the historian's persistent session is handled when it starts.

The broker sends a returning session's queued events right after it accepts the
connection, and has its acknowledgement as soon as the client takes them. They
must reach the follower then, even while the database is still being opened,
and not be thrown away to be fetched again from the stations by replays.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from andon.config.loader import load_plant
from andon.historian.service import Historian
from andon.historian.stores import open_store
from tests.support.stations import DEMO, wait_for

pytestmark = pytest.mark.mosquitto


def test_events_queued_for_the_session_are_taken_at_once_not_replayed(
    mosquitto, station_factory, tmp_path: Path
):
    plant = load_plant(DEMO / "plant.toml")
    settings = mosquitto.settings(client_id="historian", clean_session=False)
    # a first run leaves the session's subscriptions at the broker
    first = Historian.for_plant(plant, f"sqlite:///{tmp_path / 'first.sqlite'}", settings)
    first.start(wait_database_s=10)
    assert first.bus is not None and first.bus.wait_subscribed(10)
    first.stop()

    # the historian is away: the station's events wait in the broker for its session
    a3 = station_factory(mosquitto.settings(client_id="a3", clean_session=False))
    a3.sim.pulse_counter(30)
    a3.sim.press("help")
    journal = a3.agent.journal
    wait_for(lambda: journal.rows() and not journal.unpublished(), timeout=30)
    seqs = [row.seq for row in journal.rows()]

    # it comes back while its database cannot be opened yet (a file stands where its
    # directory goes): connected, handed the queue, not yet following
    blocker = tmp_path / "history"
    blocker.write_text("not a directory")
    url = f"sqlite:///{blocker / 'history.sqlite'}"
    historian = Historian.for_plant(plant, url, settings, retry_s=0.2)
    started = threading.Thread(target=historian.start, daemon=True)
    started.start()
    try:
        wait_for(lambda: historian.bus is not None and historian.bus.connected, timeout=30)
        errors = historian.stats.database_errors
        wait_for(lambda: historian.stats.database_errors >= errors + 3, timeout=30)
        blocker.unlink()
        started.join(30)
        assert historian.follower is not None
        path = a3.agent.address.path
        assert historian.wait_stored({path: seqs[-1]}, timeout_s=30)
        # every queued event was taken from the session, none fetched again
        assert historian.stats.received == len(seqs)
        assert historian.follower.replay_requests == 0
        assert historian.stats.catch_up_requests == 0
    finally:
        historian.stop()
    with open_store(url) as store:
        assert store.seqs(path) == seqs
