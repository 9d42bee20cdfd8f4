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
from andon.bus.messages import EventMessage, command_message, encode
from andon.domain import commands as cmd
from andon.domain import events as ev
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
    line.do(cmd.scanned, "main", "BD:1042")
    line.until(t(8, 23))
    line.do(cmd.scanned, "main", "RC:R")
    line.do(cmd.count, good=3, scrap=1, serial="")
    line.do(cmd.scanned, "main", "SN:U-1")
    line.do(cmd.scanned, "main", "SN:U-1")
    line.do(cmd.scanned, "main", "garbage")
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
    wait_for(lambda: runtime.agent.bus.connected)
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
    ],
)
def test_commands_as_sent_validate(document, name, args):
    title = "".join(p.capitalize() for p in name.split("_"))
    validator(document, f"{title}Command").validate(command_message("id-1", "me", **args))
