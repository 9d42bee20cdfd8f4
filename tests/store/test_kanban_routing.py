"""Which call a kanban scanned at the store serves, or why it books nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from andon.store.calls import MaterialCall, MaterialCallBook
from andon.store.kanban import KanbanRoute, Refusal, route_kanban, shown

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
PARTS = frozenset({"P-1001", "P-1002", "P-2001"})
A1 = "demo-plant/assembly/line-a/a1"
B1 = "demo-plant/assembly/line-b/b1"


@pytest.fixture
def book() -> MaterialCallBook:
    book = MaterialCallBook()
    book.update(
        A1,
        [
            MaterialCall(A1, "line-a", "line-a.a1.C3", "P-1001", T0 + timedelta(minutes=4)),
            MaterialCall(A1, "line-a", "line-a.a1.C4", "P-1002", T0 + timedelta(minutes=5), True),
        ],
    )
    book.update(B1, [MaterialCall(B1, "line-b", "line-b.b1.C1", "P-1001", T0)])
    return book


def test_a_kanban_goes_to_the_oldest_call_for_its_part(book):
    route = route_kanban("KB:P-1001:0042", PARTS, book)
    assert isinstance(route, KanbanRoute)
    assert (route.call.call_id, route.part, route.card, route.express) == (
        "line-b.b1.C1",
        "P-1001",
        "0042",
        False,
    )


def test_an_express_kanban_is_routed_the_same_way_and_says_express(book):
    route = route_kanban("KX:P-1002:0001", PARTS, book)
    assert isinstance(route, KanbanRoute)
    assert route.call.call_id == "line-a.a1.C4" and route.express


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("KB:P-9999:0001", "no kanban, no withdrawal: unknown part 'P-9999' on kanban 0001"),
        ("KB:P-2001:0001", "no kanban, no withdrawal: no open material call for P-2001"),
        ("BD:1042", "not a kanban: 'BD:1042' is a badge card; scan the KB: or KX: card of the box"),
        ("SN:A3-1", "not a kanban: 'SN:A3-1' is a serial card"),
        ("KB:P-1001", "not a kanban: kanban 'KB:P-1001': expected KB:<part>:<card serial>"),
        ("", "not a kanban: empty scan"),
        ("P-1001", "not a kanban: unknown card 'P-1001'"),
        ("KB:P-1001:00\u00e9", "not a kanban: scan contains characters that no card carries"),
        ("KB:" + "9" * 200, "not a kanban: scan longer than 128 characters"),
    ],
)
def test_a_scan_that_books_nothing_says_why(book, text, message):
    refusal = route_kanban(text, PARTS, book)
    assert isinstance(refusal, Refusal)
    assert refusal.message.startswith(message)


def test_scanned_text_is_shown_as_short_ascii():
    assert shown("KB:P-1001:0001") == "KB:P-1001:0001"
    assert shown("caf\u00e9") == "caf?"
    assert len(shown("x" * 500)) == 64 and shown("x" * 500).endswith("...")
