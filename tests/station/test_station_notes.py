"""A note on a call over the bus: journaled once with who and when, shown in the state."""

from __future__ import annotations

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.messages import encode
from tests.support.stations import wait_for

BASE = "andon/demo-plant/assembly/line-a/a3"


def test_a_note_sent_twice_is_journaled_once_and_shown_on_the_call(
    mosquitto, station_factory, collector_factory
):
    replies = collector_factory(mosquitto.settings(client_id="watcher"), f"{BASE}/reply")
    states = collector_factory(mosquitto.settings(client_id="states"), f"{BASE}/state")
    runtime = station_factory(mosquitto.settings(client_id="station", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    sender = BusClient(mosquitto.settings(client_id="sender"))
    sender.start()

    def send(name: str, command_id: str, by: str, **args: object) -> dict:
        message = encode(command_message(command_id, by, **args))
        assert sender.publish(f"{BASE}/cmd/{name}", message).wait(10)
        return wait_for(
            lambda: next(
                (r for r in reversed(replies.json("/reply")) if r["command_id"] == command_id),
                None,
            )
        )

    try:
        assert sender.wait_connected(10)
        assert send("raise", "r-1", "supervisor", call_type="help")["accepted"]
        call_id = runtime.agent.core.state.open_calls[0].call_id
        for _ in range(2):
            assert send("note", "n-1", "Anna Berg", call_id=call_id, text="belt worn")["accepted"]
        wait_for(lambda: len([r for r in replies.json("/reply") if r["command_id"] == "n-1"]) == 2)
        empty = send("note", "n-2", "Anna Berg", call_id=call_id, text=" ")
        nobody = send("note", "n-3", "", call_id=call_id, text="who?")
        assert send("cancel", "c-1", "supervisor", call_id=call_id)["accepted"]
        late = send("note", "n-4", "Anna Berg", call_id=call_id, text="too late")
    finally:
        sender.close()

    assert (empty["accepted"], empty["reason"]) == (False, "a note needs some text")
    assert not nobody["accepted"] and "'by'" in nobody["reason"]
    assert (late["accepted"], late["reason"]) == (False, f"call {call_id} is already cancelled")
    noted = [row for row in runtime.agent.journal.rows() if row.kind == "call_noted"]
    assert len(noted) == 1
    data = noted[0].payload
    assert (data["call_id"], data["by"], data["text"], data["source"]) == (
        call_id,
        "Anna Berg",
        "belt worn",
        "board",
    )
    shown = wait_for(
        lambda: next(
            (
                c
                for s in states.json("/state")
                for c in s.get("open_calls", [])
                if c["call_id"] == call_id and c.get("notes")
            ),
            None,
        )
    )
    assert shown["notes"] == [{"at": data["at"], "by": "Anna Berg", "text": "belt worn"}]
