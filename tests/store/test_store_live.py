"""The store board against a real Mosquitto with simulated stations of line-a."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

from andon.domain.events import parse_instant
from andon.domain.snapshot import call_view
from andon.store.picture import NEW_CALL
from hal.patterns import LAMP_CADENCES, BuzzerPattern, Pattern

from .conftest import station_address, station_settings, wait_for

A1 = "demo-plant/assembly/line-a/a1"
A2 = "demo-plant/assembly/line-a/a2"
STORE_STATUS = "andon/demo-plant/_stores/store/status"


def closed_call(runtime, call_id):
    """The station's own view of a call once it is closed (None while open)."""
    agent = runtime.agent

    def view():
        call = agent.core.state.calls.get(call_id)
        if call is None or call.is_open:
            return None
        return call_view(agent.core.state, call, agent.clock.now())

    return agent.run_on_loop(view)


def open_call_ids(runtime):
    state = runtime.agent.run_on_loop(runtime.agent.state_payload)
    return [c["call_id"] for c in state["open_calls"]]


def start_line(mosquitto, station_factory, store_factory, *names):
    stations = {
        name: station_factory(station_settings(mosquitto, name), name=f"station-{name}.toml")
        for name in names
    }
    store = store_factory(mosquitto.settings(client_id="test-store"))
    paths = {f"demo-plant/assembly/line-a/{name}" for name in names}
    wait_for(lambda: store.board.online and paths <= set(store.board.known_stations))
    return stations, store


def test_an_empty_bin_lights_its_plate_and_the_kanban_closes_the_call_at_the_station(
    mosquitto, station_factory, store_factory, collector_factory
):
    states = collector_factory(mosquitto.settings(client_id="watcher"), f"andon/{A1}/#")
    stations, store = start_line(mosquitto, station_factory, store_factory, "a1")
    a1, sim = stations["a1"], store.sim
    assert not sim.plate_lit("P-1001") and not sim.beacon_lit()

    a1.sim.set_bin("P-1001", True)  # the bin sensor settles, the station raises the call

    wait_for(lambda: sim.plate_lit("P-1001"))
    assert sim.beacon_lit()
    assert not any(sim.plate_lit(part) for part in ("P-1002", "P-2001", "P-3001"))
    [call] = store.board.open_calls
    assert (call.station, call.part, call.express) == (A1, "P-1001", False)
    # a new call sounds a short chirp, then the buzzer is quiet again
    assert store.board.picture.buzzer is BuzzerPattern.CHIRP
    store.advance(NEW_CALL.seconds + sim.step_s)
    assert store.board.picture.buzzer is BuzzerPattern.OFF
    assert not sim.store_buzzer_on()

    store.scan("KB:P-1001:0007")

    outcome = store.board.last_scan
    assert outcome.booked, outcome.message
    assert (outcome.station, outcome.part, outcome.card) == (A1, "P-1001", "0007")
    assert not sim.plate_lit("P-1001") and not sim.beacon_lit()
    assert store.board.picture.buzzer is BuzzerPattern.PULSE
    # the station closed the call by the kanban; its lead time is raised → resolved
    closed = wait_for(lambda: closed_call(a1, call.call_id))
    assert closed["status"] == "resolved"
    assert closed["note"] == "kanban 0007"
    assert closed["closed_by"] == "Central store"
    lead = parse_instant(closed["closed_at"]) - parse_instant(closed["raised_at"])
    assert lead > timedelta(0)
    assert closed["elapsed_s"] == round(lead.total_seconds(), 1)
    # ... and says so on the bus: the event, and the shift's totals in its retained state
    wait_for(
        lambda: any(
            e["kind"] == "call_resolved" and e["data"]["call_id"] == call.call_id
            for e in states.json("/events")
        )
    )
    wait_for(
        lambda: any(
            s["call_totals"].get("material", {}).get("resolved") == 1 and not s["open_calls"]
            for s in states.json("/state")
        )
    )
    wait_for(lambda: not store.board.open_calls)


def test_wrong_kanbans_are_refused_and_change_nothing(
    mosquitto, station_factory, store_factory, collector_factory, commander
):
    status = collector_factory(mosquitto.settings(client_id="watcher"), STORE_STATUS)
    stations, store = start_line(mosquitto, station_factory, store_factory, "a1")
    a1, sim = stations["a1"], store.sim
    raised = commander.send(
        station_address("line-a", "a1"), "raise", call_type="material", part="P-1001"
    )
    assert raised.accepted, raised.reason
    wait_for(lambda: sim.plate_lit("P-1001"))
    calls_before = open_call_ids(a1)
    seq_before = a1.agent.run_on_loop(lambda: a1.agent.core.state.last_seq)
    terminator = sim.hardware.scanners[0].terminator.encode()

    refusals = {
        "KB:P-9999:0001": "no kanban, no withdrawal: unknown part 'P-9999'",
        "KB:P-2001:0003": "no kanban, no withdrawal: no open material call for P-2001",
        "BD:1001": "not a kanban",
        "KB:P-1001": "not a kanban",
        "hello": "not a kanban",
        b"\xff\xfe\x00\x01" + terminator: "not a kanban",
    }
    for text, message in refusals.items():
        store.scan(text)
        outcome = store.board.last_scan
        assert not outcome.booked
        assert outcome.message.startswith(message), outcome.message
        assert store.board.picture.buzzer is BuzzerPattern.RAPID
        assert sim.plate_lit("P-1001") and sim.beacon_lit()

    assert store.board.refused == len(refusals)
    # the station saw nothing of it
    assert a1.agent.run_on_loop(lambda: a1.agent.core.state.last_seq) == seq_before
    assert open_call_ids(a1) == calls_before
    # every refusal was published on the store's status topic, with its reason

    def published_refusals():
        scans = [s["last_scan"] for s in status.json("/status") if s["last_scan"]]
        return scans if len(scans) >= len(refusals) else None

    messages = [scan["message"] for scan in wait_for(published_refusals)]
    assert not any(scan["booked"] for scan in published_refusals())
    assert any(m.startswith("no kanban, no withdrawal: unknown part") for m in messages)
    assert any("no open material call for P-2001" in m for m in messages)
    latest = status.json("/status")[-1]
    assert latest["online"] is True
    assert latest["station"] == "demo-plant/_stores/store"
    assert [c["part"] for c in latest["open_calls"]] == ["P-1001"]


def test_two_calls_for_one_part_are_served_oldest_first_and_express_flashes(
    mosquitto, station_factory, store_factory, commander
):
    stations, store = start_line(mosquitto, station_factory, store_factory, "a1", "a2")
    sim = store.sim
    older = commander.send(
        station_address("line-a", "a2"), "raise", call_type="material", part="P-1001"
    )
    assert older.accepted, older.reason
    wait_for(lambda: len(store.board.open_calls) == 1)
    newer = commander.send(
        station_address("line-a", "a1"),
        "raise",
        call_type="material",
        part="P-1001",
        express=True,
    )
    assert newer.accepted, newer.reason
    wait_for(lambda: len(store.board.open_calls) == 2)

    # oldest first; the express call keeps its place but makes the plate flash fast
    assert [(c.station, c.express) for c in store.board.open_calls] == [(A2, False), (A1, True)]
    assert store.board.picture.plates == {"P-1001": Pattern.FAST}
    plate = store.board.devices.board.plate("P-1001")
    assert plate.cadence == LAMP_CADENCES[Pattern.FAST]
    samples = sim.sample(lambda: sim.plate_lit("P-1001"), 1.0, 0.05)
    assert set(samples) == {True, False}
    assert sim.beacon_lit()

    a2_call, a1_call = store.board.open_calls
    store.scan("KB:P-1001:0001")
    assert store.board.last_scan.call_id == a2_call.call_id
    store.scan("KX:P-1001:0002")
    assert store.board.last_scan.call_id == a1_call.call_id

    served_first = wait_for(lambda: closed_call(stations["a2"], a2_call.call_id))
    assert served_first["note"] == "kanban 0001"
    served_second = wait_for(lambda: closed_call(stations["a1"], a1_call.call_id))
    assert served_second["note"] == "kanban 0002 (express)"
    assert store.board.last_scan.booked
    wait_for(lambda: not store.board.open_calls)
    assert not sim.plate_lit("P-1001") and not sim.beacon_lit()


def test_without_the_broker_the_board_keeps_its_calls_says_offline_and_books_nothing(
    mosquitto, station_factory, store_factory, commander, caplog
):
    caplog.set_level(logging.INFO, logger="andon.store")
    stations, store = start_line(mosquitto, station_factory, store_factory, "a1")
    sim = store.sim
    raised = commander.send(
        station_address("line-a", "a1"), "raise", call_type="material", part="P-1001"
    )
    assert raised.accepted
    wait_for(lambda: sim.plate_lit("P-1001"))

    mosquitto.kill()

    wait_for(lambda: not store.board.online)
    wait_for(lambda: "offline" in caplog.text)
    assert sim.plate_lit("P-1001") and sim.beacon_lit()
    store.scan("KB:P-1001:0001")
    assert not store.board.last_scan.booked
    assert store.board.last_scan.message.startswith("offline")
    assert sim.plate_lit("P-1001")

    mosquitto.start()

    wait_for(lambda: store.board.online and stations["a1"].agent.bus.connected)
    store.scan("KB:P-1001:0002")
    assert store.board.last_scan.booked, store.board.last_scan.message
    wait_for(lambda: not sim.plate_lit("P-1001"))


def test_the_status_topic_announces_the_store_and_its_goodbye(
    mosquitto, store_factory, collector_factory
):
    status = collector_factory(mosquitto.settings(client_id="watcher"), STORE_STATUS)
    store = store_factory(mosquitto.settings(client_id="test-store"))
    online = wait_for(lambda: [s for s in status.json("/status") if s["online"]])
    assert online[-1]["open_calls"] == [] and online[-1]["last_scan"] is None
    store.board.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("store-")]
    assert store.board.devices.board.closed
    goodbye = wait_for(lambda: [s for s in status.json("/status") if not s["online"]])
    assert goodbye[-1]["detail"] == "stopped"
    assert json.dumps(goodbye[-1])  # a plain JSON document
