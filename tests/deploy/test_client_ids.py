"""A station's client id is bound to its bundle: no other account can take its session.

``andon provision`` gives each station a secret client id (its username and a tag
derived from its password) in its bundle's plant copy. Another station's
credentials with the id a station used to have (made of its ids, predictable), or
with its username, do not kick it off the broker, on a real Mosquitto.
"""

from __future__ import annotations

import re
import time

from andon.config.loader import load_plant, load_station
from andon.station.assemble import build_station

from .conftest import HOST, Connect, Inbox, Plant
from .test_broker_acl import A1, STATION_A1, STATION_A2, SUPERVISOR, publish


def test_each_station_bundle_has_its_own_secret_client_id(plain_plant: Plant) -> None:
    ids = {}
    for username in (STATION_A1, STATION_A2):
        broker = load_plant(plain_plant.bundle(username) / "plant.toml").broker
        assert broker.client_id is not None
        assert re.fullmatch(re.escape(username) + r"\.[0-9a-f]{16}", broker.client_id)
        ids[username] = broker.client_id
    assert len(set(ids.values())) == 2
    board = load_plant(plain_plant.bundle(SUPERVISOR) / "plant.toml").broker
    assert board.client_id is None  # a board's web viewers each connect on their own


def test_a_station_runs_with_the_client_id_of_its_bundle(plain_plant: Plant, tmp_path) -> None:
    config = load_station(plain_plant.bundle(STATION_A1) / "station-a1.toml")
    runtime = build_station(
        config, sim=True, broker=f"{HOST}:{plain_plant.result.layout.plain.port}",
        journal_path=tmp_path / "a1.sqlite",
    )  # fmt: skip
    try:
        assert runtime.agent.bus is not None
        assert runtime.agent.bus.settings.client_id == config.plant_config.broker.client_id
    finally:
        runtime.agent.journal.close()  # type: ignore[union-attr]
        runtime.agent.devices.close()  # type: ignore[union-attr]


def test_other_credentials_under_a_stations_old_or_obvious_ids_do_not_kick_it_off(
    plain_plant: Plant, connect: Connect
) -> None:
    secret = load_plant(plain_plant.bundle(STATION_A1) / "plant.toml").broker.client_id
    commands = Inbox()
    station = connect(
        plain_plant.settings(STATION_A1, client_id=secret, clean_session=False),
        subscribe={f"{A1}/cmd/+": commands},
    )
    for guess in ("andon-station-demo-plant-line-a-a1", STATION_A1):
        connect(plain_plant.settings(STATION_A2, client_id=guess, clean_session=False))
    time.sleep(0.3)  # the broker would have closed the station's connection by now
    assert station.connected
    board = connect(plain_plant.settings(SUPERVISOR))
    publish(board, f"{A1}/cmd/raise", b"still here")
    assert commands.wait_for(f"{A1}/cmd/raise", b"still here")
    assert f"Client {secret} already connected" not in plain_plant.broker.log()
