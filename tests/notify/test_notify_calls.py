"""The call book: events and state snapshots become escalations, acknowledgements, closings."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from andon.config.notify import NotifyFile
from andon.domain import events as ev
from andon.notify.calls import Acknowledged, CallBook, Closed, Escalation

from .conftest import STATION, at

BODY = """\
[[channels]]
id = "mail"
urls_file = "mail.url"

[[routes]]
channels = ["mail"]
"""


@pytest.fixture
def book(load: Callable[..., NotifyFile]) -> CallBook:
    return CallBook(load(BODY).plant_config)


def test_events_yield_escalations_acknowledgements_and_closings(book: CallBook) -> None:
    raised = ev.CallRaised(at=at(8), call_id="c1", call_type="equipment", source="button")
    assert book.apply(STATION, raised) == []
    escalated = ev.CallEscalated(
        at=at(8), call_id="c1", level=1, roles=("maintenance",), condition="unacknowledged"
    )
    (change,) = book.apply(STATION, escalated)
    assert isinstance(change, Escalation)
    assert (change.call.call_type, change.call.line, change.level) == ("equipment", "line-a", 1)
    acknowledged = ev.CallAcknowledged(at=at(8, 2), call_id="c1", by="Lena Fischer", source="badge")
    assert book.apply(STATION, acknowledged) == [Acknowledged(STATION, "c1", "Lena Fischer")]
    level2 = ev.CallEscalated(
        at=at(8, 5), call_id="c1", level=2, roles=("supervisor",), condition="unresolved"
    )
    (second,) = book.apply(STATION, level2)
    assert isinstance(second, Escalation) and second.call.acknowledged_by == "Lena Fischer"
    resolved = ev.CallResolved(at=at(8, 9), call_id="c1", by="Lena Fischer", source="badge")
    assert book.apply(STATION, resolved) == [Closed(STATION, "c1", "resolved")]
    assert book.open_calls() == []
    assert book.apply(STATION, ev.Counted(at=at(8, 10))) == []


def test_a_snapshot_brings_missed_escalations_at_the_current_level_only(book: CallBook) -> None:
    stale = ev.CallRaised(at=at(7), call_id="gone", call_type="help", source="button")
    book.apply(STATION, stale)
    state = {
        "open_calls": [
            {
                "call_id": "c1",
                "type": "equipment",
                "status": "acknowledged",
                "level": 2,
                "raised_at": "2025-03-04T08:00:00.000Z",
                "acknowledged_by": "Anna Becker",
            },
            {
                "call_id": "c2",
                "type": "material",
                "status": "raised",
                "level": 1,
                "raised_at": "2025-03-04T08:10:00.000Z",
                "acknowledged_by": None,
            },
            {
                "call_id": "c3",
                "type": "help",
                "status": "acknowledged",
                "level": 1,
                "raised_at": "2025-03-04T08:11:00.000Z",
                "acknowledged_by": "Jonas Weber",
            },
            {
                "call_id": "c4",
                "type": "help",
                "status": "raised",
                "level": 0,
                "raised_at": "2025-03-04T08:12:00.000Z",
            },
            {"call_id": 5, "type": "help"},
        ]
    }
    changes = book.reconcile(STATION, state)
    escalations = [
        (c.call.call_id, c.level, c.roles, c.at) for c in changes if isinstance(c, Escalation)
    ]
    assert escalations == [
        ("c1", 2, ("supervisor",), at(8, 5)),  # the plant's ladder: level 2 after 300 s
        ("c2", 1, ("material_handler",), at(8, 10)),
    ]  # c3's level 1 waited for an acknowledgement it got; c4 has no level yet
    assert Acknowledged(STATION, "c1", "Anna Becker") in changes
    assert Closed(STATION, "gone", "closed") in changes
    assert {c.call_id for c in book.open_calls(STATION)} == {"c1", "c2", "c3", "c4"}
