"""Bus commands: acknowledged to the broker once done, and done once however often delivered."""

from __future__ import annotations

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.messages import encode
from tests.support.stations import wait_for

BASE = "andon/demo-plant/assembly/line-a/a3"


def test_a_command_delivered_twice_is_done_once_and_answered_twice(
    mosquitto, station_factory, collector_factory
):
    replies = collector_factory(mosquitto.settings(client_id="watcher"), f"{BASE}/reply")
    runtime = station_factory(mosquitto.settings(client_id="station", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    sender = BusClient(mosquitto.settings(client_id="sender"))
    sender.start()
    try:
        assert sender.wait_connected(10)
        raise_help = encode(command_message("cmd-1", "supervisor", call_type="help"))
        for _ in range(2):
            assert sender.publish(f"{BASE}/cmd/raise", raise_help).wait(10)

        answers = wait_for(lambda: len(replies.json("/reply")) == 2 and replies.json("/reply"))
    finally:
        sender.close()
    assert [(r["command_id"], r["accepted"]) for r in answers] == [("cmd-1", True)] * 2
    journal = runtime.agent.journal
    raised = [row for row in journal.rows() if row.kind == "call_raised"]
    assert len(raised) == 1
