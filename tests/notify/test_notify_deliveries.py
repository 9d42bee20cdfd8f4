"""Delivery outcomes on the bus: the message boards receive, checked against the contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.bus.messages import MessageError
from andon.notify.deliveries import (
    deliveries_filter,
    deliveries_topic,
    delivery_message,
    parse_delivery,
)
from andon.notify.queue import AlertQueue, Status

from .conftest import at
from .specs import alert_spec


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[AlertQueue]:
    opened = AlertQueue(tmp_path / "queue.sqlite")
    yield opened
    opened.close()


def test_outcomes_have_their_own_topic_beside_the_notifier_status() -> None:
    assert deliveries_topic("andon", "p1", "maint") == "andon/p1/_notifiers/maint/deliveries"
    assert deliveries_filter("andon") == "andon/+/_notifiers/+/deliveries"


def test_delivery_outcomes_follow_the_contract(queue: AlertQueue) -> None:
    alert = queue.add(alert_spec(), at(8))
    assert alert is not None
    sent = queue.mark_sent(alert.id, at(8, 0, 1))
    message = delivery_message("maint", sent)
    assert message == {
        "v": 1,
        "notifier": "maint",
        "at": "2025-03-04T08:00:01.000Z",
        "call_id": "c1",
        "level": 1,
        "channel": "mail",
        "outcome": "sent",
        "detail": "to Lena Fischer",
        "code": "sent_to",
        "params": {"recipient": "Lena Fischer"},
        "reason": "",
        "reason_params": {},
    }
    parsed = parse_delivery(json_bytes(message))
    assert parsed.notifier == "maint" and parsed.delivery.outcome == "sent"
    other = queue.add(alert_spec("c2"), at(8))
    assert other is not None
    queue.claim("mail", at(8))
    queue.claim("mail", at(8))
    failed = queue.mark_failed(other.id, at(8, 1), "connection refused")
    assert failed.status is Status.FAILED
    failed_message = delivery_message("maint", failed)
    assert failed_message["detail"] == "to Lena Fischer: connection refused"
    assert failed_message["code"] == "failed_to" and failed_message["reason"] == "other"
    assert failed_message["reason_params"] == {"text": "connection refused"}
    old_reader = {k: v for k, v in message.items() if k not in ("code", "params", "reason")}
    assert parse_delivery(json_bytes(old_reader)).delivery.code == ""  # an older notifier's
    with pytest.raises(MessageError):
        parse_delivery(json_bytes({**message, "params": {"tries": 3}}))
    with pytest.raises(MessageError):
        parse_delivery(json_bytes({**message, "reason_params": ["x"]}))
    with pytest.raises(MessageError):
        parse_delivery(json_bytes({**message, "outcome": "lost"}))
    with pytest.raises(MessageError):
        parse_delivery(json_bytes({**message, "level": "one"}))


def json_bytes(data: dict[str, object]) -> bytes:
    return json.dumps(data).encode()
