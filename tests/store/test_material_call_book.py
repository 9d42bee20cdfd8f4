"""The store's book of open material calls, folded from the stations' states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from andon.domain.events import format_instant
from andon.store.calls import CallFormatError, MaterialCall, MaterialCallBook, material_calls

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
A1 = "demo-plant/assembly/line-a/a1"
A2 = "demo-plant/assembly/line-a/a2"
B1 = "demo-plant/assembly/line-b/b1"


def raw_call(call_id: str, part: str, minute: int, *, express: bool = False, kind="material"):
    return {
        "call_id": call_id,
        "type": kind,
        "part": part,
        "raised_at": format_instant(T0 + timedelta(minutes=minute)),
        "express": express,
        "status": "raised",
    }


def call(station: str, call_id: str, part: str, minute: int, express: bool = False):
    line = station.split("/")[2]
    return MaterialCall(station, line, call_id, part, T0 + timedelta(minutes=minute), express)


def test_only_material_calls_are_taken_from_a_state():
    state = {
        "open_calls": [
            raw_call("line-a.a1.C1", "", 1, kind="help"),
            raw_call("line-a.a1.C2", "P-1001", 2, express=True),
        ]
    }
    [taken] = material_calls(A1, "line-a", state)
    assert taken == call(A1, "line-a.a1.C2", "P-1001", 2, express=True)
    assert taken.station_id == "a1"
    assert taken.to_dict()["raised_at"] == format_instant(T0 + timedelta(minutes=2))


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("call_id", 7, "call_id"),
        ("part", "", "part"),
        ("raised_at", "yesterday", "raised_at"),
        ("raised_at", None, "raised_at"),
        ("express", "yes", "express"),
    ],
)
def test_a_malformed_material_call_is_refused_with_its_field(field, value, expected):
    broken = raw_call("line-a.a1.C1", "P-1001", 1)
    broken[field] = value
    with pytest.raises(CallFormatError, match=rf"open_calls\[0\]\.{expected}"):
        material_calls(A1, "line-a", {"open_calls": [broken]})


def test_calls_are_listed_oldest_first_across_stations_and_lines():
    book = MaterialCallBook()
    book.update(A1, [call(A1, "line-a.a1.C4", "P-1001", 9)])
    book.update(B1, [call(B1, "line-b.b1.C1", "P-1001", 3), call(B1, "line-b.b1.C2", "P-2001", 5)])
    book.update(A2, [call(A2, "line-a.a2.C1", "P-1001", 7, express=True)])

    assert [c.call_id for c in book.open_calls()] == [
        "line-b.b1.C1",
        "line-b.b1.C2",
        "line-a.a2.C1",
        "line-a.a1.C4",
    ]
    oldest = book.oldest_for("P-1001")
    assert oldest is not None and oldest.call_id == "line-b.b1.C1"
    assert book.oldest_for("P-3001") is None


def test_only_calls_appearing_after_a_stations_first_state_are_new():
    book = MaterialCallBook()
    assert book.update(A1, [call(A1, "line-a.a1.C1", "P-1001", 1)]) == []
    assert book.update(A1, [call(A1, "line-a.a1.C1", "P-1001", 1)]) == []
    fresh = call(A1, "line-a.a1.C2", "P-1002", 2)
    assert book.update(A1, [call(A1, "line-a.a1.C1", "P-1001", 1), fresh]) == [fresh]
    assert book.update(A1, []) == []
    assert book.open_calls() == []


def test_a_served_call_is_left_out_until_its_station_drops_it():
    book = MaterialCallBook()
    first, second = call(A2, "line-a.a2.C1", "P-1001", 1), call(A1, "line-a.a1.C1", "P-1001", 2)
    book.update(A2, [first])
    book.update(A1, [second])

    book.mark_served(first)
    assert book.oldest_for("P-1001") == second
    # a state published before the station booked the kanban still lists the call
    assert book.update(A2, [first]) == []
    assert book.open_calls() == [second]
    # the station's next state drops it; later calls of that station show again
    book.update(A2, [])
    later = call(A2, "line-a.a2.C2", "P-1001", 5)
    assert book.update(A2, [later]) == [later]
    assert book.open_calls() == [second, later]
