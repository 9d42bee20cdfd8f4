"""The retained state's closed calls: worked out once per call, shown as if worked out anew."""

from __future__ import annotations

from andon.domain import commands as cmd
from andon.domain import snapshot as snap
from andon.domain.snapshot import call_view, snapshot

from .harness import Line, rules, t


def _shift_with_closed_calls() -> Line:
    line = Line(rules(no_count_takts=1000.0), t(8))
    line.until(t(8, 20))
    help_id = line.do(cmd.press, "help").events[0].call_id
    line.wait(40)
    line.do(cmd.scanned, "main", "BD:1042")  # acknowledged
    line.until(t(8, 23))
    line.do(cmd.scanned, "main", "RC:R")  # resolved with a reason
    quality_id = line.do(cmd.press, "quality").events[0].call_id
    line.wait(5)
    line.do(cmd.cancel, quality_id, "Li Wei", "board")
    line.do(cmd.press, "equipment")  # still open
    line.wait(30)
    assert not line.state.calls[help_id].is_open and not line.state.calls[quality_id].is_open
    return line


def test_closed_calls_read_the_same_from_memory_as_worked_out_anew():
    line = _shift_with_closed_calls()
    snap._CLOSED_VIEWS.clear()
    first = snapshot(line.state, line.now)
    line.wait(600)  # later, and with the views remembered
    again = snapshot(line.state, line.now)
    assert again["closed_calls"] == first["closed_calls"]
    fresh = sorted(
        (c for c in line.state.calls.values() if not c.is_open), key=lambda c: c.raised_at
    )
    assert again["closed_calls"] == [call_view(line.state, c, line.now) for c in fresh]
    assert [c["status"] for c in again["closed_calls"]] == ["resolved", "cancelled"]
    assert [c["type"] for c in again["open_calls"]] == ["equipment"]


def test_a_shown_view_changed_by_its_reader_does_not_change_the_next_state():
    line = _shift_with_closed_calls()
    shown = snapshot(line.state, line.now)
    shown["closed_calls"][0]["reason"] = "edited by a reader"
    assert snapshot(line.state, line.now)["closed_calls"][0]["reason"] == "R"


def test_only_the_views_of_the_calls_shown_last_are_kept():
    line = _shift_with_closed_calls()
    for _ in range(100):  # other shifts' or stations' calls come and go
        other = _shift_with_closed_calls()
        snapshot(other.state, other.now)
    snapshot(line.state, line.now)
    assert len(snap._CLOSED_VIEWS) <= 2 * 2 + 64
