"""The retained state stays small however busy the shift: open now, plus a bounded summary."""

from __future__ import annotations

from datetime import timedelta

from andon.bus.messages import encode, state_message
from andon.domain import commands as cmd
from andon.domain.snapshot import snapshot
from andon.domain.summary import MAX_LISTED_STOPS

from .harness import Line, rules, t

LIMIT = 8 * 1024
"""Bytes a retained state may take at any point of any shift."""
HEALTH = {
    "journal_error": "",
    "unjournaled": 0,
    "broker": True,
    "in_flight": 12,
    "bad_commands": 3,
    "refused_events": 0,
    "unreadable_rows": 0,
    "scanners": {
        "main": {
            "connected": True,
            "last_scan_at": "2026-11-25T12:59:58.120Z",
            "scans": 2400,
            "rejected": 3,
            "errors": 0,
            "last_error": "",
        }
    },
}


def _size(line: Line) -> int:
    view = snapshot(line.state, line.now)
    return len(encode(state_message("demo-plant/assembly/line-a/a3", view, HEALTH)))


def _busy_shift(calls: int, check_every: int = 25) -> tuple[Line, list[int]]:
    """A shift with ``calls`` calls of every kind, counts, line stops and stops left
    without a reason; the state's size at every ``check_every`` calls (while calls are
    open and after)."""
    line = Line(rules(no_count_takts=1000.0), t(8))
    line.until(t(8, 1))
    sizes = []
    kinds = ("help", "quality", "equipment", "material")
    for n in range(calls):
        kind = kinds[n % len(kinds)]
        part = ("P-1001", "P-2002")[n % 2] if kind == "material" else ""
        if kind == "material":
            outcome = line.do(cmd.raise_call, kind, "scanner", "Li Wei", part)
        else:
            outcome = line.do(cmd.press, kind)
        assert outcome.accepted, outcome.rejection
        call_id = outcome.events[0].call_id
        line.do(cmd.count)
        if kind == "equipment":
            line.do(cmd.fault, True)  # the machine's fault: a stop period
        held = 400 if n % 50 == 0 else 4  # now and then a stop past the minor-stop limit
        line.wait(held)
        if n % check_every == 0:
            sizes.append(_size(line))  # open calls, an open stop
        reason = "R" if held > 300 else ""
        if kind == "equipment":
            line.do(cmd.fault, False)
        if n % 7 == 3:
            closed = line.do(cmd.cancel, call_id, "Li Wei", "board")
        else:
            closed = line.do(cmd.resolve, call_id, "Anna Berg", "board", reason)
        assert closed.accepted, closed.rejection
        line.wait(3)
        if n % check_every == 0:
            sizes.append(_size(line))
    return line, sizes


def test_a_2000_call_shift_never_takes_more_than_8_kib_of_retained_state():
    line, sizes = _busy_shift(2000)
    assert line.now < t(17)  # all of it in one shift
    closed = [c for c in line.state.calls.values() if not c.is_open]
    assert len(closed) == 2000  # the station still knows them: the state does not list them
    sizes.append(_size(line))
    assert max(sizes) <= LIMIT, max(sizes)
    view = snapshot(line.state, line.now)
    assert "closed_calls" not in view
    totals = view["call_totals"]
    assert sum(row["resolved"] + row["cancelled"] for row in totals.values()) == 2000
    assert sum(row["open"] for row in totals.values()) == 0
    assert totals["help"]["cancelled"] == len([n for n in range(2000) if n % 4 == 0 and n % 7 == 3])


def test_the_downtime_summary_adds_up_every_stop_of_the_shift():
    line, _ = _busy_shift(120, check_every=1000)
    view = snapshot(line.state, line.now)
    stops = line.state.stops
    assert len(stops) > MAX_LISTED_STOPS and len(view["stops"]) == MAX_LISTED_STOPS
    rows = view["downtime_by_reason"]
    assert sum(row["count"] for row in rows) == len(stops)
    calendar = line.state.rules.calendar
    total = sum(calendar.working_seconds(s.started_at, s.ended_at or line.now) for s in stops)
    assert abs(sum(row["seconds"] for row in rows) - total) < 0.1 * len(rows)
    waiting = [r for r in rows if r["needs_reason"]]
    assert sum(r["count"] for r in waiting) == view["stops_waiting"]
    listed_waiting = [s for s in view["stops"] if s["needs_reason"]]
    assert len(listed_waiting) == min(view["stops_waiting"], MAX_LISTED_STOPS)


def test_the_stops_a_board_must_act_on_are_listed_before_older_ones():
    line = Line(rules(no_count_takts=1000.0), t(8))
    line.until(t(8, 1))
    line.do(cmd.fault, True)
    line.wait(400)  # past the minor-stop limit: its stop needs a reason
    line.do(cmd.fault, False)
    for _ in range(MAX_LISTED_STOPS + 3):  # newer stops, all minor
        line.wait(5)
        line.do(cmd.fault, True)
        line.wait(5)
        line.do(cmd.fault, False)
    view = snapshot(line.state, line.now)
    assert len(line.state.stops) == MAX_LISTED_STOPS + 4
    assert view["stops_waiting"] == 1
    assert view["stops"][0]["needs_reason"] and len(view["stops"]) == MAX_LISTED_STOPS
    assert view["stops"][-1]["stop_id"] == line.state.stops[-1].stop_id  # the newest others


def test_history_seq_marks_where_the_shifts_events_begin():
    day = timedelta(days=1)
    line = Line(rules(), t(16, 50))
    line.state = line.state.evolve(last_seq=40)
    line.do(cmd.count)
    assert snapshot(line.state, line.now)["history_seq"] == 40  # the events after 40
    line.until(t(17, 30))
    line.state = line.state.evolve(last_seq=57)
    line.until(t(8, 1) + day)
    assert snapshot(line.state, line.now)["history_seq"] == 57  # the next day's shift
    open_id = line.do(cmd.press, "equipment").events[0].call_id
    line.state = line.state.evolve(last_seq=90)
    line.until(t(8, 1) + 2 * day)
    # The call carried over began before: the history still starts where its shift did.
    view = snapshot(line.state, line.now)
    assert [c["call_id"] for c in view["open_calls"]] == [open_id]
    assert view["history_seq"] == 57
