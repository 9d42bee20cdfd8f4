"""A view built step by step, keeping what did not change, equals one built from scratch.

Random message sequences (events in and out of order, duplicates, gaps, states,
statuses, malformed payloads, long waits that turn links stale and stops into downtime)
go into one model that builds a view at random moments, and at each of them into a fresh
model; both are asked for the view at the same instant. Views at seconds with no message
between them take only the clock's part again (links, ages, timers, figures).
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.domain import events as ev
from tests.board import factory as f
from tests.board.test_model import make_catalogue

STATIONS = (("line-a", "a3"), ("line-a", "a1"), ("line-b", "b1"))
CALLS = 3
MINOR_STOP_S = 20.0
"""Short enough for a drawn wait to turn a stop into downtime."""


def _catalogue() -> BoardCatalogue:
    return make_catalogue(minor_stop_s=MINOR_STOP_S)


Step = tuple[str, int, int, int]
"""(what, station index, a number, a second number): drawn, then made into a message."""

steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["count", "raise", "ack", "resolve", "stop", "stop_end", "state", "status",
             "again", "skip", "bad", "view", "view", "tick", "wait"]
        ),
        st.integers(0, len(STATIONS) - 1),
        st.integers(0, CALLS - 1),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=40,
)  # fmt: skip


def _event(what: str, line: str, station: str, number: int, when: float) -> ev.Event | None:
    at = f.at(when)
    call_id = f"{line}.{station}.C{number}"
    if what == "count":
        return ev.Counted(at=at, good=1)
    if what == "raise":
        return ev.CallRaised(at=at, call_id=call_id, call_type="help", source="button")
    if what == "ack":
        return ev.CallAcknowledged(at=at, call_id=call_id, by="Anna", source="board")
    if what == "resolve":
        return ev.CallResolved(at=at, call_id=call_id, by="Anna", source="board")
    stop_id = f"{line}.{station}.S{number}"
    if what == "stop":
        source = "no_count" if number == CALLS - 1 else "fault"  # no count: a symptom
        return ev.StopStarted(at=at, stop_id=stop_id, source=source, since=at)
    if what == "stop_end":
        return ev.StopEnded(at=at, stop_id=stop_id)
    return None


class Plant:
    """Turns drawn steps into the messages stations would publish (and some they would not)."""

    def __init__(self) -> None:
        self.seq = dict.fromkeys(STATIONS, 0)
        self.sent: dict[tuple[str, str], list[tuple[str, bytes]]] = {s: [] for s in STATIONS}
        self.when = 0.0

    def message(self, step: Step) -> tuple[str, bytes] | None:
        what, index, number, extra = step
        line, station = key = STATIONS[index]
        self.when += 0.3 + extra * 0.4
        if what == "state":
            return f.topic("state", line, station), f.state(
                self.seq[key], line, station, now=f.at(self.when), good=self.seq[key] + extra
            )
        if what == "status":
            return f.topic("status", line, station), f.status(extra != 0, line, station)
        if what == "bad":
            return f.topic("events", line, station), b"{not json"
        if what == "again":  # a duplicate of one already sent (a QoS 1 redelivery)
            sent = self.sent[key]
            return sent[number % len(sent)] if sent else None
        if what == "wait":  # quiet for a while: links go stale, stops pass the minor limit
            self.when += 10 + extra * 15
            return None
        if what == "skip":  # a gap: one seq never arrives (the board asks for a replay)
            self.seq[key] += 1
            return None
        event = _event(what, line, station, number, self.when)
        if event is None:
            return None
        self.seq[key] += 1
        message = f.topic("events", line, station), f.event(self.seq[key], event, line, station)
        self.sent[key].append(message)
        return message


def _fresh(messages: list[tuple[str, bytes | None, Any]]) -> BoardModel:
    """A new model given the same messages and the same clock ticks (ticks ask for replays)."""
    model = BoardModel(_catalogue())
    for topic, payload, now in messages:
        if payload is None:
            model.tick(now)
        else:
            model.ingest(topic, payload, now)
    return model


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
@example(  # a gap asked again at a tick: both models must have asked as often
    steps=[("state", 0, 0, 0), ("skip", 0, 0, 0), ("count", 0, 0, 0), ("bad", 0, 0, 2),
           ("bad", 0, 0, 2), ("tick", 0, 0, 0)]
)  # fmt: skip
@example(  # a closed call's link goes stale with its station while nothing is published
    steps=[("state", 0, 0, 0), ("raise", 0, 0, 0), ("resolve", 0, 0, 0), ("view", 0, 0, 1),
           ("wait", 0, 0, 2), ("view", 0, 0, 1)]
)  # fmt: skip
@example(  # a fault outgrows the minor limit while nothing is published: it explains the
    # other station's stop for want of counts from then on
    steps=[("state", 0, 0, 0), ("state", 1, 0, 0), ("stop", 0, 0, 0), ("stop", 1, 2, 0),
           ("view", 0, 0, 1), ("wait", 0, 0, 1), ("view", 0, 0, 1)]
)  # fmt: skip
def test_a_view_kept_up_to_date_equals_a_view_built_from_scratch(steps: list[Step]) -> None:
    plant, model = Plant(), BoardModel(_catalogue())
    messages: list[tuple[str, bytes | None, Any]] = []
    checked, view_at = 0, 0
    for step in [*steps, ("view", 0, 0, 1)]:
        now = f.at(plant.when)
        if step[0] == "tick":
            model.tick(now)
            messages.append(("tick", None, now))
            continue
        if step[0] == "view":
            # Views come at whole seconds or again at the instant of the last one: within
            # one second a line or station kept shows its timers as of its first view.
            if step[3]:
                view_at = max(view_at + step[3], math.ceil(plant.when))
                plant.when = view_at
            now = f.at(view_at)
            assert model.view(now) == _fresh(messages).view(now)
            checked += 1
            continue
        message = plant.message(step)
        if message is not None:
            messages.append((*message, now))
            model.ingest(*message, now)
    assert checked >= 1


def test_a_station_without_news_keeps_its_view_and_its_facts() -> None:
    model = BoardModel(make_catalogue())
    for line, station in STATIONS:
        model.ingest(f.topic("state", line, station), f.state(2, line, station), f.at(0))
    first = model.view(f.at(1.1))
    model.ingest(f.topic("events"), f.counted(3, when=1.2), f.at(1.2))
    after = model.view(f.at(1.4))
    line = after.line("line-a")
    before = first.line("line-a")
    assert line is not None and before is not None and line is not before
    by_id = {s.station_id: s for s in line.stations}
    was = {s.station_id: s for s in before.stations}
    assert by_id["a1"] is was["a1"]  # no message of its own: the same station view
    assert by_id["a3"] is not was["a3"]
    assert by_id["a3"].snapshot is not None and by_id["a3"].snapshot.seq == 3
    later = model.view(f.at(1.4) + timedelta(seconds=1)).line("line-a")
    assert later is not None
    a1 = next(s for s in later.stations if s.station_id == "a1")
    assert a1 is not by_id["a1"] and a1.snapshot is by_id["a1"].snapshot  # a new second


def test_the_diagnostics_count_duplicates_and_health_as_messages_come_in() -> None:
    model = BoardModel(make_catalogue())
    model.ingest(f.topic("state"), f.state(2), f.at(0))
    model.ingest(f.topic("events"), f.counted(3), f.at(1))
    first = model.view(f.at(2)).diagnostics
    assert first.duplicates == 0
    model.ingest(f.topic("events"), f.counted(3), f.at(2))
    model.ingest(f.topic("events"), f.counted(2), f.at(2))
    again = model.view(f.at(2.5)).diagnostics
    assert again.duplicates == 2
    assert again.station_health is first.station_health  # no new state: the same copy
    model.ingest(f.topic("state"), f.state(3, health={"broker": False}), f.at(3))
    after = model.view(f.at(3.5)).diagnostics
    assert after.station_health[f.path()] == {"broker": False}
    assert first.station_health[f.path()]["broker"] is True  # what was handed out stays
