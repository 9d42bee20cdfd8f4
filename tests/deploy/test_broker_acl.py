"""The production broker configuration, on a real Mosquitto: who may log in, read and write.

With MQTT 3.1.1 a publish the ACL refuses is still acknowledged and then dropped.
A refusal is shown by order: the refused message is published (and acknowledged)
first, an allowed marker after it; Mosquitto handles messages one at a time and
delivers them to a subscriber in order, so once the marker has arrived, the
refused message would have arrived before it. The tests check that it did not.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings
from andon.doctor.broker import check_broker
from andon.doctor.result import Status

from .conftest import HOST, Connect, Inbox, Plant

SITE = "andon/demo-plant"
A1 = f"{SITE}/assembly/line-a/a1"
A2 = f"{SITE}/assembly/line-a/a2"
B1 = f"{SITE}/assembly/line-b/b1"
STATION_A1 = "station.line-a.a1"
STATION_A2 = "station.line-a.a2"
SUPERVISOR = "board.supervisor"


def publish(client: BusClient, topic: str, payload: bytes, retain: bool = False) -> None:
    """Publish at QoS 1 and wait for the broker's acknowledgement."""
    delivery = client.publish(topic, payload, qos=1, retain=retain)
    assert delivery.wait(5), delivery.error


def test_anonymous_clients_are_refused(plain_plant: Plant) -> None:
    port = plain_plant.result.layout.plain.port
    result = check_broker(BrokerSettings(host=HOST, port=port))
    assert result.status is Status.FAIL
    assert "refused user (anonymous)" in result.detail


def test_a_wrong_password_is_refused(plain_plant: Plant, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.password"
    wrong.write_text("not-the-password\n")
    wrong.chmod(0o600)
    doctor = plain_plant.doctor_settings(SUPERVISOR)  # the board's own account: its id only
    result = check_broker(replace(doctor, password_file=wrong))
    assert result.status is Status.FAIL
    assert f"refused user {doctor.username}" in result.detail
    assert check_broker(doctor).status is Status.OK


def test_every_bundle_logs_in_with_its_own_credentials(plain_plant: Plant) -> None:
    bundles = sorted(p.name for p in (plain_plant.result.out / "clients").iterdir())
    # 7 stations, 2 boards, store, web, notifier, historian, monitor, watchdog
    assert len(bundles) == 15
    for username in bundles:
        result = check_broker(plain_plant.doctor_settings(username))
        assert result.status is Status.OK, (username, result.detail)


def test_a_station_publishes_its_own_topics_only(plain_plant: Plant, connect: Connect) -> None:
    seen = Inbox()
    connect(plain_plant.settings("monitor"), subscribe={"andon/#": seen})
    station = connect(plain_plant.settings(STATION_A1))

    publish(station, f"{A2}/events", b"forged event")
    publish(station, f"{A2}/state", b"forged state", retain=True)
    publish(station, f"{A2}/cmd/acknowledge", b"forged command")
    publish(station, f"{SITE}/_boards/supervisor/status", b"forged board")
    publish(station, f"{A1}/events", b"own event")
    publish(station, f"{A1}/state", b"own state", retain=True)

    received = seen.wait_for(f"{A1}/state", b"own state")
    assert [(m.topic, m.payload) for m in received] == [
        (f"{A1}/events", b"own event"),
        (f"{A1}/state", b"own state"),
    ]


def test_a_station_reads_only_its_own_commands(plain_plant: Plant, connect: Connect) -> None:
    inbox = Inbox()
    connect(plain_plant.settings(STATION_A1), subscribe={f"{SITE}/#": inbox})
    board = connect(plain_plant.settings(SUPERVISOR))
    other = connect(plain_plant.settings(STATION_A2))

    publish(other, f"{A2}/events", b"a2 event")
    publish(board, f"{A2}/cmd/acknowledge", b"for a2")
    publish(board, f"{A1}/cmd/acknowledge", b"for a1")

    received = inbox.wait_for(f"{A1}/cmd/acknowledge", b"for a1")
    assert [m.topic for m in received] == [f"{A1}/cmd/acknowledge"]


def test_a_board_sends_commands_but_cannot_forge_station_messages(
    plain_plant: Plant, connect: Connect
) -> None:
    commands = Inbox()
    connect(plain_plant.settings(STATION_A1), subscribe={f"{A1}/cmd/+": commands})
    seen = Inbox()
    connect(plain_plant.settings("monitor"), subscribe={"andon/#": seen})
    board = connect(plain_plant.settings(SUPERVISOR))

    publish(board, f"{A1}/cmd/acknowledge", b'{"call":"C1"}')
    assert commands.wait_for(f"{A1}/cmd/acknowledge", b'{"call":"C1"}')

    for channel in ("events", "state", "status", "reply"):
        publish(board, f"{A1}/{channel}", b"forged by a board")
    publish(board, f"{SITE}/_boards/maintenance/status", b"forged other board")
    publish(board, f"{SITE}/_boards/supervisor/status", b"online")
    received = seen.wait_for(f"{SITE}/_boards/supervisor/status", b"online")
    assert [m.payload for m in received] == [b'{"call":"C1"}', b"online"]


def test_the_web_server_sends_only_acknowledge_note_resolve_and_replay(
    plain_plant: Plant, connect: Connect
) -> None:
    commands = Inbox()
    connect(plain_plant.settings(STATION_A1), subscribe={f"{A1}/cmd/+": commands})
    web = connect(plain_plant.settings("web.web"))
    for name in ("cancel", "raise", "hour_cause", "stop_reason", "kanban", "sim"):
        publish(web, f"{A1}/cmd/{name}", b"refused by the broker")
    publish(web, f"{A1}/state", b"forged by the web server", retain=True)
    for name in ("acknowledge", "note", "resolve", "replay"):
        publish(web, f"{A1}/cmd/{name}", name.encode())
    received = commands.wait_for(f"{A1}/cmd/replay", b"replay")
    assert [m.topic for m in received] == [
        f"{A1}/cmd/acknowledge",
        f"{A1}/cmd/note",
        f"{A1}/cmd/resolve",
        f"{A1}/cmd/replay",
    ]


def test_a_board_cannot_send_simulated_inputs_to_a_production_station(
    plain_plant: Plant, connect: Connect
) -> None:
    commands = Inbox()
    connect(plain_plant.settings(STATION_A1), subscribe={f"{A1}/cmd/+": commands})
    board = connect(plain_plant.settings(SUPERVISOR))
    publish(board, f"{A1}/cmd/sim", b'{"action":"press"}')
    publish(board, f"{A1}/cmd/raise", b"marker")
    received = commands.wait_for(f"{A1}/cmd/raise", b"marker")
    assert [m.topic for m in received] == [f"{A1}/cmd/raise"]


def test_a_board_reads_everything_of_the_site(plain_plant: Plant, connect: Connect) -> None:
    inbox = Inbox()
    connect(plain_plant.settings(SUPERVISOR), subscribe={f"{SITE}/#": inbox})
    station = connect(plain_plant.settings("station.line-b.b1"))
    publish(station, f"{B1}/events", b"b1 event")
    assert inbox.wait_for(f"{B1}/events", b"b1 event")


def test_the_store_writes_only_kanban_commands(plain_plant: Plant, connect: Connect) -> None:
    commands = Inbox()
    connect(plain_plant.settings(STATION_A1), subscribe={f"{A1}/cmd/+": commands})
    store = connect(plain_plant.settings("store.store"))

    publish(store, f"{A1}/cmd/acknowledge", b"not the store's")
    publish(store, f"{A1}/cmd/resolve", b"not the store's")
    publish(store, f"{A1}/events", b"forged by the store")
    publish(store, f"{A1}/cmd/replay", b"replay")
    publish(store, f"{A1}/cmd/kanban", b"P-1001")
    received = commands.wait_for(f"{A1}/cmd/kanban", b"P-1001")
    assert [m.topic for m in received] == [f"{A1}/cmd/replay", f"{A1}/cmd/kanban"]


def test_the_notifier_acknowledges_and_writes_its_own_tree(
    plain_plant: Plant, connect: Connect
) -> None:
    seen = Inbox()
    connect(plain_plant.settings("monitor"), subscribe={"andon/#": seen})
    notifier = connect(plain_plant.settings("notifier.maintenance"))

    publish(notifier, f"{A1}/cmd/resolve", b"not allowed")
    publish(notifier, f"{A1}/events", b"forged by the notifier")
    publish(notifier, f"{SITE}/_notifiers/other/deliveries", b"not its tree")
    publish(notifier, f"{SITE}/_boards/supervisor/status", b"not its status")
    publish(notifier, f"{A1}/cmd/acknowledge", b"ack")
    publish(notifier, f"{A1}/cmd/replay", b"replay")
    publish(notifier, f"{SITE}/_notifiers/maintenance/deliveries", b"sent")
    received = seen.wait_for(f"{SITE}/_notifiers/maintenance/deliveries", b"sent")
    assert [(m.topic, m.payload) for m in received] == [
        (f"{A1}/cmd/acknowledge", b"ack"),
        (f"{A1}/cmd/replay", b"replay"),
        (f"{SITE}/_notifiers/maintenance/deliveries", b"sent"),
    ]


def test_the_historian_reads_asks_for_replays_and_writes_its_status(
    plain_plant: Plant, connect: Connect
) -> None:
    seen = Inbox()
    connect(plain_plant.settings("monitor"), subscribe={"andon/#": seen})
    historian = connect(plain_plant.settings("historian.history"))

    publish(historian, f"{A1}/cmd/acknowledge", b"not allowed")
    publish(historian, f"{A1}/events", b"forged by the historian")
    publish(historian, f"{SITE}/_historians/other/status", b"not its status")
    publish(historian, f"{A1}/cmd/replay", b"replay")
    publish(historian, f"{SITE}/_historians/history/status", b"online")
    received = seen.wait_for(f"{SITE}/_historians/history/status", b"online")
    assert [(m.topic, m.payload) for m in received] == [
        (f"{A1}/cmd/replay", b"replay"),
        (f"{SITE}/_historians/history/status", b"online"),
    ]


def test_the_monitor_account_only_reads(plain_plant: Plant, connect: Connect) -> None:
    commands = Inbox()
    connect(plain_plant.settings(STATION_A1), subscribe={f"{A1}/cmd/+": commands})
    monitor = connect(plain_plant.settings("monitor"))
    board = connect(plain_plant.settings(SUPERVISOR))

    publish(monitor, f"{A1}/cmd/acknowledge", b"from the monitor")
    # Acknowledged above, so already handled by the broker before the board's command.
    publish(board, f"{A1}/cmd/acknowledge", b"from the board")
    received = commands.wait_for(f"{A1}/cmd/acknowledge", b"from the board")
    assert [m.payload for m in received] == [b"from the board"]


def test_the_broker_logs_no_configuration_warning(plain_plant: Plant) -> None:
    log = plain_plant.broker.log()
    assert "Loading config file" in log and "andon.conf" in log
    assert "Error" not in log
    assert "Warning" not in log.replace("Warning: Mosquitto should not be run as root", "")
