"""Duration rules count planned working time, and a shift's hours can be explained after it."""

from __future__ import annotations

from datetime import timedelta

from andon.domain import commands as cmd
from andon.domain import events as ev
from andon.domain import scanning
from andon.domain.snapshot import snapshot

from .harness import Line, rules, t


def steady_line(**overrides) -> Line:  # type: ignore[no-untyped-def]
    overrides.setdefault("no_count_takts", 1000.0)
    return Line(rules(**overrides), t(8))


def _raise_help(line: Line) -> str:
    assert line.do(cmd.raise_call, "help", "board", by="Li Wei").accepted
    return line.of(ev.CallRaised)[-1].call_id


def test_a_call_raised_before_a_break_and_resolved_in_it_lasted_only_the_time_before():
    line = steady_line()
    line.until(t(11, 58))
    call_id = _raise_help(line)
    line.until(t(12, 10))  # 2 min of work, then 10 min of the lunch break
    call = line.state.calls[call_id]
    assert cmd.call_working_s(line.state, call, line.now) == 120
    assert not snapshot(line.state, line.now)["open_calls"][0]["reason_required"]
    assert line.do(cmd.resolve, call_id, "Li Wei", "board").accepted


def test_the_reason_threshold_counts_the_working_time_on_both_sides_of_a_break():
    line = steady_line()
    line.until(t(11, 58))
    call_id = _raise_help(line)
    line.until(t(12, 49))  # 2 min before lunch, 4 min after: 6 min > 5 min
    refused = line.do(cmd.resolve, call_id, "Li Wei", "board")
    assert "lasted 6.0 min of planned working time" in refused.rejection
    assert line.do(cmd.resolve, call_id, "Li Wei", "board", reason="R").accepted


def test_escalation_runs_on_through_a_break_while_the_reason_threshold_does_not():
    """Escalation is response time (DOMAIN: levels by elapsed time): a break does not pause it."""
    line = steady_line()
    line.until(t(11, 58))
    call_id = _raise_help(line)
    line.until(t(12, 2, 59))
    assert [e.level for e in line.of(ev.CallEscalated)] == [1]
    line.until(t(12, 3, 1))  # 5 min after the raise, 3 of them in the lunch break
    escalated = line.of(ev.CallEscalated)
    assert [e.level for e in escalated] == [1, 2] and escalated[-1].call_id == call_id
    assert escalated[-1].at == t(12, 3)
    assert cmd.call_working_s(line.state, line.state.calls[call_id], line.now) == 120


def _slow_last_hour(**overrides) -> Line:  # type: ignore[no-untyped-def]
    line = steady_line(**overrides)
    line.until(t(16, 59))
    line.do(cmd.count, good=3)  # far below the plan of the last hour
    return line


def test_the_last_hour_of_a_shift_can_be_explained_after_the_shift_ended():
    line = _slow_last_hour()
    line.until(t(17, 30))
    assert t(16) in cmd.unexplained_hours(line.state, line.now)
    assert line.do(cmd.record_hour_cause, t(16), "MAT", "Li Wei").accepted
    assert t(16) not in cmd.unexplained_hours(line.state, line.now)
    row = next(r for r in snapshot(line.state, line.now)["hours"] if r["cause"])
    assert row["cause"]["reason"] == "MAT"


def test_a_reason_card_scanned_after_the_shift_explains_its_last_hour():
    line = _slow_last_hour()
    line.until(t(17, 5))
    hours = cmd.unexplained_hours(line.state, line.now)
    assert line.do(scanning.scanned, "main", "RC:MAT").accepted
    assert cmd.unexplained_hours(line.state, line.now) == hours[1:]


def test_by_default_the_grace_period_lasts_until_the_next_shift_starts():
    line = _slow_last_hour()
    line.until(t(23, 59))
    assert t(16) in cmd.unexplained_hours(line.state, line.now)
    line.until(t(8) + timedelta(days=1, minutes=1))  # the next day's shift has started
    refused = line.do(cmd.record_hour_cause, t(16), "MAT", "Li Wei")
    assert "no hour starting" in refused.rejection


def test_a_configured_grace_period_ends_explanations_after_the_shift():
    line = _slow_last_hour(hour_cause_grace_s=600.0)
    line.until(t(17, 9))
    assert t(16) in cmd.unexplained_hours(line.state, line.now)
    line.until(t(17, 11))
    assert cmd.unexplained_hours(line.state, line.now) == []
    refused = line.do(cmd.record_hour_cause, t(16), "MAT", "Li Wei")
    assert "can no longer be explained" in refused.rejection
