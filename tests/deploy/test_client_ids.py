"""A station's client id is bound to its account, and secret: no one else takes its session.

``andon provision`` gives each station a secret client id (its username and a tag
derived from its password) in its bundle's plant copy, and the broker's client id
file binds the station's account to it: on a real Mosquitto, the station's
credentials under any other id are refused, and other credentials (bound to ids of
their own) under the station's id, the id a station used to have (made of its ids,
predictable) or its username are refused and do not kick it off. ``andon doctor``
logs in with the station's doctor account meanwhile.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace

from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_plant, load_station
from andon.doctor.broker import check_broker
from andon.doctor.result import Status
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
    assert board.client_id is not None and board.client_id.startswith(f"{SUPERVISOR}.")


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


def test_other_credentials_under_a_stations_ids_are_refused_and_do_not_kick_it_off(
    plain_plant: Plant, connect: Connect
) -> None:
    secret = load_plant(plain_plant.bundle(STATION_A1) / "plant.toml").broker.client_id
    commands = Inbox()
    station = connect(
        plain_plant.settings(STATION_A1, client_id=secret, clean_session=False),
        subscribe={f"{A1}/cmd/+": commands},
    )
    for guess in ("andon-station-demo-plant-line-a-a1", STATION_A1, secret):
        assert refused(plain_plant.settings(SUPERVISOR, client_id=guess, clean_session=False))
    time.sleep(0.3)  # the broker would have closed the station's connection by now
    assert station.connected
    board = connect(plain_plant.settings(SUPERVISOR))
    publish(board, f"{A1}/cmd/raise", b"still here")
    assert commands.wait_for(f"{A1}/cmd/raise", b"still here")
    assert f"Client {secret} already connected" not in plain_plant.broker.log()


def refused(settings: BrokerSettings) -> bool:
    """The broker closes the connection at login (the client never gets connected)."""
    client = BusClient(settings)
    client.start()
    try:
        return not client.wait_connected(1.0) and "not authori" in str(client.last_error).lower()
    finally:
        client.close(timeout=1)


def test_a_stations_credentials_connect_only_under_its_own_client_id(
    plain_plant: Plant, connect: Connect
) -> None:
    own = plain_plant.settings(STATION_A1)
    other_id = load_plant(plain_plant.bundle(STATION_A2) / "plant.toml").broker.client_id
    for wrong in ("", "andon-station-demo-plant-line-a-a1", STATION_A1, other_id):
        assert refused(replace(own, client_id=wrong, clean_session=True)), wrong
    station = connect(own)
    assert station.connected
    assert not refused(plain_plant.settings(STATION_A2))  # each station under its own id


def test_the_doctor_logs_in_beside_the_running_station_and_may_do_nothing(
    plain_plant: Plant, connect: Connect
) -> None:
    commands = Inbox()
    station = connect(plain_plant.settings(STATION_A1), subscribe={f"{A1}/cmd/+": commands})
    doctor = plain_plant.doctor_settings(STATION_A1)
    assert doctor.username == "doctor.line-a.a1"
    assert doctor.password_file == plain_plant.settings(STATION_A1).password_file
    for _ in range(2):
        result = check_broker(doctor)
        assert result.status is Status.OK, result.detail
        assert "accepted user doctor.line-a.a1" in result.detail
    seen, doctor_seen = Inbox(), Inbox()
    connect(plain_plant.settings("monitor"), subscribe={"andon/#": seen})
    as_doctor = connect(replace(doctor, client_id="doctor-1"), subscribe={"andon/#": doctor_seen})
    publish(as_doctor, f"{A1}/events", b"from the doctor account")
    publish(as_doctor, f"{A1}/cmd/raise", b"from the doctor account")
    publish(station, f"{A1}/events", b"from the station")
    received = seen.wait_for(f"{A1}/events", b"from the station")
    assert [(m.topic, m.payload) for m in received] == [(f"{A1}/events", b"from the station")]
    # The broker answers the doctor's publish after anything it had sent it before.
    publish(as_doctor, f"{A1}/state", b"acknowledged after any earlier delivery")
    assert doctor_seen.messages == []  # the doctor account reads nothing either
    assert station.connected and commands.messages == []


def test_no_account_can_change_the_bindings(plain_plant: Plant, connect: Connect) -> None:
    """The plugin's control topic is granted to nobody: its commands are dropped."""
    unbind = {
        "commands": [
            {"command": "setClientId", "username": STATION_A1, "clientid": "chosen"},
            {"command": "deleteClient", "username": STATION_A1},
        ]
    }
    answers = Inbox()
    for username in (SUPERVISOR, "monitor", STATION_A2):
        client = connect(
            plain_plant.settings(username),
            subscribe={"$CONTROL/dynamic-security/#": answers},
        )
        publish(client, "$CONTROL/dynamic-security/v1", json.dumps(unbind).encode())
    assert refused(plain_plant.settings(STATION_A1, client_id="chosen"))
    assert not refused(plain_plant.settings(STATION_A1))
    assert answers.messages == []
