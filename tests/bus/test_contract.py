"""The MQTT contract: the AsyncAPI document matches the code, and every payload validates."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from andon.bus.asyncapi import render
from andon.bus.commands import command_message
from andon.bus.messages import (
    STATE_VERSION,
    EventMessage,
    MessageError,
    decode,
    encode,
    parse_state,
    state_message,
)
from andon.domain import commands as cmd
from andon.domain import events as ev
from andon.domain import scanning
from andon.domain.snapshot import snapshot
from andon.domain.summary import MAX_LISTED_STOPS
from tests.domain.harness import Line, rules, t
from tests.support.stations import wait_for

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return yaml.safe_load(DOC_PATH.read_text())


def validator(document: dict[str, Any], schema_name: str) -> jsonschema.Validator:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_document_is_what_the_code_generates():
    assert DOC_PATH.read_text() == render(), (
        "run: python -m andon.bus.asyncapi > docs/asyncapi.yaml"
    )


def test_every_event_kind_the_core_emits_validates(document):
    line = Line(rules(no_count_takts=3.0), t(8))
    line.until(t(8, 20))
    line.do(cmd.press, "help")
    line.wait(40)
    line.do(scanning.scanned, "main", "BD:1042")
    line.until(t(8, 23))
    line.do(scanning.scanned, "main", "RC:R")
    line.do(cmd.count, good=3, scrap=1, serial="")
    line.do(scanning.scanned, "main", "SN:U-1")
    line.do(scanning.scanned, "main", "SN:U-1")
    line.do(scanning.scanned, "main", "garbage")
    line.do(cmd.fault, True)
    line.until(t(9, 30))
    line.do(cmd.fault, False)
    line.do(cmd.bin_changed, "P-1001", True)
    line.do(cmd.downstream, 4)
    line.do(cmd.downstream, 1)
    line.until(t(10, 30))
    line.do(cmd.record_stop_reason, line.state.stops[0].stop_id, "BRK", "Anna")
    line.do(cmd.record_hour_cause, t(8), "MAT", "Anna")
    extra = [
        ev.ClockJumped(at=line.now, jump_s=3600.0),
        ev.StationStarted(at=line.now, version="1", replayed=3),
        ev.RowUnreadable(at=line.now, problem="payload is not valid JSON"),
        ev.AlertDelivery(at=line.now, call_id="c", level=1, channel="mail", outcome="sent"),
        ev.OrderStarted(at=line.now, index=1, product="X"),
        ev.CallCancelled(at=line.now, call_id="c", by="a", source="board"),
        ev.CallNoted(at=line.now, call_id="c", by="a", source="board", text="belt worn"),
    ]
    check = validator(document, "EventMessage")
    kinds = set()
    for seq, event in enumerate([*line.events, *extra], start=1):
        message = EventMessage("s/a/l/st", seq, str(uuid.uuid4()), event).to_dict()
        check.validate(json.loads(encode(message)))
        kinds.add(event.KIND)
    assert kinds == set(ev.EVENT_TYPES), f"not exercised: {set(ev.EVENT_TYPES) - kinds}"


def test_a_malformed_event_does_not_validate(document):
    check = validator(document, "EventMessage")
    good = EventMessage("s/a/l/st", 1, "id", ev.Counted(at=t(8), good=1)).to_dict()
    check.validate(json.loads(encode(good)))
    for broken in (
        {**good, "seq": 0},
        {**good, "kind": "nonsense"},
        {**good, "data": {**good["data"], "good": "1"}},
        {**good, "extra": 1},
    ):
        with pytest.raises(jsonschema.ValidationError):
            check.validate(broken)


def test_what_a_live_station_publishes_validates(
    document, mosquitto, station_factory, collector_factory
):
    collector = collector_factory(mosquitto.settings(client_id="watcher"), "andon/#")
    runtime = station_factory(mosquitto.settings(client_id="a3", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    runtime.sim.press("help")
    call = wait_for(lambda: [e for e in collector.json("/events") if e["kind"] == "call_raised"])
    call_id = call[0]["data"]["call_id"]
    base = "andon/demo-plant/assembly/line-a/a3/cmd/"
    sender = collector.client
    sender.publish(base + "acknowledge", encode(command_message("c1", "Li Wei", call_id=call_id)))
    sender.publish(base + "resolve", encode(command_message("c2", "Li Wei", call_id=call_id)))
    sender.publish(base + "resolve", encode(command_message("c3", "Li Wei", call_id="nope")))
    sender.publish(base + "acknowledge", b"not json")
    wait_for(lambda: len(collector.json("/reply")) >= 4)
    wait_for(lambda: [s for s in collector.json("/state") if not s["open_calls"] and s["seq"] > 2])
    checks = {
        "/events": validator(document, "EventMessage"),
        "/state": validator(document, "State"),
        "/status": validator(document, "Status"),
        "/reply": validator(document, "Reply"),
    }
    seen = dict.fromkeys(checks, 0)
    for suffix, check in checks.items():
        for payload in collector.json(suffix):
            check.validate(payload)
            seen[suffix] += 1
    assert all(seen.values()), seen
    replies = {r["command_id"]: r for r in collector.json("/reply")}
    assert replies["c1"]["accepted"] and replies["c2"]["accepted"]
    assert not replies["c3"]["accepted"] and "no call" in replies["c3"]["reason"]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("acknowledge", {"call_id": "x"}),
        ("resolve", {"call_id": "x", "reason": "R", "note": "n"}),
        ("hour_cause", {"hour_start": "2026-11-25T07:00:00.000Z", "reason": "R"}),
        ("kanban", {"part": "P-1", "card": "7"}),
        ("replay", {"from_seq": 3}),
        ("replay", {"from_seq": 3, "to_seq": 9}),
    ],
)
def test_commands_as_sent_validate(document, name, args):
    title = "".join(p.capitalize() for p in name.split("_"))
    validator(document, f"{title}Command").validate(command_message("id-1", "me", **args))


def test_the_state_of_a_busy_shift_validates_and_lists_no_closed_calls(document):
    line = Line(rules(no_count_takts=1000.0), t(8))
    line.until(t(8, 5))
    for _ in range(30):
        call_id = line.do(cmd.press, "equipment").events[0].call_id
        line.do(cmd.fault, True)
        line.wait(20)
        line.do(cmd.fault, False)
        line.do(cmd.resolve, call_id, "Anna Berg", "board")
    view = snapshot(line.state, line.now)
    message = state_message("demo-plant/assembly/line-a/a3", view, {"broker": True})
    validator(document, "State").validate(json.loads(encode(message)))
    assert message["v"] == STATE_VERSION == 2 and "closed_calls" not in message
    assert message["call_totals"]["equipment"] == {"open": 0, "resolved": 30, "cancelled": 0}
    assert len(message["stops"]) <= MAX_LISTED_STOPS < len(line.state.stops)


def test_a_state_of_another_version_is_refused_by_name():
    """An old reader refuses the bounded state, and this one an old state: never wrong figures."""
    line = Line(rules(), t(8, 30))
    current = encode(
        state_message("demo-plant/assembly/line-a/a3", snapshot(line.state, line.now), {})
    )
    with pytest.raises(MessageError, match=r"version 2 \(expected 1\)"):
        decode(current)  # what a reader of version 1 does
    old = json.loads(current) | {"v": 1, "closed_calls": []}
    with pytest.raises(MessageError, match=r"version 1 \(expected 2\)"):
        parse_state(encode(old))
    assert parse_state(current)["seq"] == 0
