"""What a station shows, kept up to date event by event, equals it worked out from scratch."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from andon.board.station_data import StationSnapshot, read_state
from andon.board.tracked import TrackedStation
from andon.bus.messages import EventMessage
from andon.domain import events as ev
from andon.domain.events import format_instant
from tests.board import factory as fx

CALLS = ("line-a.a3.C1", "line-a.a3.C2", "line-a.a3.C3", "line-a.a3.C4")
STOPS = ("S1", "S2", "S3")
HOURS = (fx.T0 - timedelta(hours=2), fx.T0 - timedelta(hours=1))


def _state() -> bytes:
    hours = [
        {
            "start": format_instant(h),
            "end": format_instant(h + timedelta(hours=1)),
            "planned": 22.5,
            "actual": 18,
            "difference": -4.5,
            "variance": -0.2,
            "complete": True,
            "unexplained": True,
            "cause": None,
        }
        for h in HOURS
    ]
    stop = {
        "stop_id": "S1",
        "source": "fault",
        "started_at": format_instant(fx.at(-600)),
        "ended_at": format_instant(fx.at(-300)),
        "duration_s": 300.0,
        "reason": "",
        "needs_reason": True,
    }
    calls = [fx.call(CALLS[0]), fx.call(CALLS[1], status="acknowledged")]
    # history_seq 0: the shift's events 1..5 come by replay
    return fx.state(seq=5, open_calls=calls, hours=hours, stops=[stop], history_seq=0)


def _event(kind: int, item: int, when: int) -> ev.Event:
    at = fx.at(when)
    call_id, stop_id = CALLS[item % len(CALLS)], STOPS[item % len(STOPS)]
    made: list[ev.Event] = [
        ev.Counted(at=at),
        ev.CallRaised(at=at, call_id=call_id, call_type="help", source="button"),
        ev.CallAcknowledged(at=at, call_id=call_id, by="Anna", source="board"),
        ev.CallResolved(at=at, call_id=call_id, by="Anna", source="board", reason="r1"),
        ev.CallCancelled(at=at, call_id=call_id, by="Ben", source="board"),
        ev.CallNoted(at=at, call_id=call_id, by="Ben", source="board", text=f"n{when}"),
        ev.CallEscalated(at=at, call_id=call_id, level=item, roles=("lead",), condition="t"),
        ev.StopStarted(at=at, stop_id=stop_id, source="fault", since=at),
        ev.StopEnded(at=at, stop_id=stop_id),
        ev.StopReasonRecorded(at=at, stop_id=stop_id, reason="jam", by="Anna"),
        ev.HourCauseRecorded(at=at, hour_start=HOURS[item % 2], reason="material", by="Ben"),
    ]
    return made[kind]


EVENTS = st.lists(
    st.tuples(st.integers(0, 10), st.integers(0, 11), st.integers(1, 3000)), max_size=40
)


def _station() -> tuple[TrackedStation, StationSnapshot]:
    station = TrackedStation(fx.path(), "line-a", "a3")
    read = read_state(_state())
    assert read.snapshot is not None
    station.take_state(read.head, read.snapshot)
    station.complete_history(read.head, first=True, now=fx.T0, snap=read.snapshot)
    snap = station.snapshot()
    assert snap is read.snapshot
    station.shown_snapshot(snap)
    return station, snap


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from((1, 2, 7)), st.sampled_from((2, 3))), max_size=5), EVENTS)
def test_shown_kept_up_equals_shown_from_scratch(
    replayed: list[tuple[int, int]], events: list[tuple[int, int, int]]
) -> None:
    station, snap = _station()
    # Before the state: calls it does not list (C3, C4) raised and stops started, known
    # to the history alone.
    for seq, (kind, item) in enumerate(replayed, start=1):
        station.history.replayed(EventMessage(fx.path(), seq, f"e{seq}", _event(kind, item, -seq)))
    station.shown_snapshot(snap)
    for seq, (kind, item, when) in enumerate(sorted(events, key=lambda e: e[2]), start=6):
        station.deliver(EventMessage(fx.path(), seq, f"e{seq}", _event(kind, item, when)))
        assert station.shown_snapshot(snap) == station.derive_shown(snap)


def test_events_are_applied_as_they_arrive() -> None:
    station, snap = _station()
    messages = [
        EventMessage(fx.path(), 6, "e6", _event(3, 0, 100)),  # C1 resolved
        EventMessage(fx.path(), 7, "e7", _event(1, 2, 110)),  # C3 raised
        EventMessage(fx.path(), 8, "e8", _event(0, 0, 120)),  # a count
    ]
    for message in messages:
        station.deliver(message)
        assert station.shown is not None, "kept up to date, not left to the view"
    shown = station.shown_snapshot(snap)
    assert shown is not None and shown.seq == 8
    assert [c.call_id for c in shown.open_calls] == [CALLS[1], CALLS[2]]
    assert [c.call_id for c in shown.closed_calls] == [CALLS[0]]
