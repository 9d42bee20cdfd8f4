"""``parse_event`` takes well-formed events quickly and refuses bad ones exactly as the
event catalogue's own ``from_dict`` does, for every event kind."""

from __future__ import annotations

import dataclasses
import json
import typing
from datetime import UTC, datetime
from typing import Any

import pytest

from andon.bus.messages import MessageError, parse_event
from andon.domain import event_decoding
from andon.domain import events as ev

T0 = datetime(2026, 11, 25, 9, 0, 0, 123000, tzinfo=UTC)
SAMPLES: dict[Any, Any] = {
    datetime: ev.format_instant(T0),
    str: "x",
    int: 3,
    float: 1.5,
    bool: True,
    tuple[str, ...]: ["a", "b"],
    dict[str, str]: {"k": "v"},
}
WRONG: list[Any] = [None, "7", 7, 7.5, True, [], {}, "2026-13-45T00:00:00Z", ["a", 1]]


def data_of(cls: type[ev.Event]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: SAMPLES[hints[f.name]] for f in dataclasses.fields(cls)}


def envelope(kind: str, data: dict[str, Any]) -> bytes:
    message = {"v": 1, "station": "p/a/l/s", "seq": 1, "id": "e1", "at": "", "kind": kind}
    return json.dumps({**message, "data": data}).encode()


def outcome(payload: bytes) -> tuple[str, Any]:
    try:
        return "event", parse_event(payload).event
    except MessageError as exc:
        return "error", str(exc)


def catalogue_outcome(kind: str, data: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "event", event_decoding.from_dict(kind, data)
    except event_decoding.EventFormatError as exc:
        return "error", f"event.data: {exc}"


KINDS = sorted(ev.EVENT_TYPES)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_parses_as_the_catalogue_does(kind: str) -> None:
    data = data_of(ev.EVENT_TYPES[kind])
    assert outcome(envelope(kind, data)) == catalogue_outcome(kind, data)
    assert outcome(envelope(kind, data))[0] == "event"


@pytest.mark.parametrize("kind", KINDS)
def test_every_wrong_field_is_refused_as_the_catalogue_does(kind: str) -> None:
    good = data_of(ev.EVENT_TYPES[kind])
    variants = [{**good, "unknown": 1}]
    for name in good:
        variants.append({k: v for k, v in good.items() if k != name})
        variants += [{**good, name: wrong} for wrong in WRONG]
    for data in variants:
        assert outcome(envelope(kind, data)) == catalogue_outcome(kind, data), data


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"seq": 0}, "event.seq"),
        ({"seq": True}, "event.seq"),
        ({"station": 5}, "event.station"),
        ({"id": None}, "event.id"),
        ({"kind": "no_such_kind"}, "unknown event kind"),
        ({"data": []}, "event.data"),
    ],
)
def test_a_bad_envelope_is_refused(change: dict[str, Any], error: str) -> None:
    message = json.loads(envelope("counted", data_of(ev.Counted)))
    kind, text = outcome(json.dumps({**message, **change}).encode())
    assert kind == "error" and error in text
