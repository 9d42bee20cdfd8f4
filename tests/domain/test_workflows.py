"""Shop-floor workflows in the pure core: calls, escalation, line stop, material, full work."""

from __future__ import annotations

import pytest

from andon.domain import commands as cmd
from andon.domain import event_decoding, scanning
from andon.domain import events as ev
from andon.domain.calls import CallStatus
from andon.domain.snapshot import signals, snapshot

from .harness import Line, rules, t


def steady_line(start=None, **overrides) -> Line:
    """A line that would not trip the no-count stop unless a test wants it."""
    overrides.setdefault("no_count_takts", 1000.0)
    return Line(rules(**overrides), start or t(8))


def test_help_call_acknowledged_after_40s_resolved_after_3min_with_reason():
    line = steady_line()
    line.until(t(8, 20))
    raised = line.do(cmd.press, "help")
    assert raised.accepted
    call_id = raised.events[0].call_id
    line.wait(40)
    assert line.do(scanning.scanned, "main", "BD:1042").accepted
    line.until(t(8, 23))
    assert line.do(scanning.scanned, "main", "RC:R").accepted

    call = line.state.calls[call_id]
    assert call.status is CallStatus.RESOLVED
    assert call.acknowledged_by == "Li Wei"
    assert call.response_s() == 40
    assert call.elapsed_s(line.now) == 180
    assert call.reason == "R"
    escalations = line.of(ev.CallEscalated)
    assert [(e.level, e.at) for e in escalations] == [(1, t(8, 20))]


def test_fixed_position_stop_sets_the_relay_at_the_end_of_the_takt_cycle():
    line = steady_line()
    line.until(t(8, 20))  # 1200 s into the shift: cycle 8 ends at 1280 s
    call_id = line.do(cmd.press, "help").events[0].call_id
    line.until(t(8, 21, 19))
    assert not line.state.line_stopped
    line.until(t(8, 21, 21))
    stopped = line.of(ev.LineStopped)
    assert [(e.at, e.cause, e.call_id) for e in stopped] == [(t(8, 21, 20), "call", call_id)]
    assert "line_stopped" in signals(line.state, line.now)
    line.until(t(8, 23))
    line.do(cmd.acknowledge, call_id, "Li Wei", "board")
    line.do(cmd.resolve, call_id, "Li Wei", "board", reason="R")
    assert not line.state.line_stopped
    assert line.of(ev.LineReleased)[0].at == t(8, 23)
    view = snapshot(line.state, line.now)
    assert view["stops"][0]["source"] == "line_stop"
    # 08:21:20 → 08:23:00: shorter than the minor-stop threshold, but the call held the
    # line: downtime under the call's reason, never a minor stop (docs/figures.md)
    assert view["stops"][0]["duration_s"] == 100
    assert view["stops"][0]["reason"] == "R"
    assert view["stops"][0]["needs_reason"] is False
    assert view["kpi"]["downtime_s"] == 100
    assert view["kpi"]["minor_stop_s"] == 0


@pytest.mark.parametrize(("policy", "stops_at"), [("at_once", t(8, 20)), ("never", None)])
def test_stop_policy_is_per_line(policy, stops_at):
    line = steady_line(stop_policy=policy)
    line.until(t(8, 20))
    line.do(cmd.press, "quality")
    line.wait(600)
    stopped = [e.at for e in line.of(ev.LineStopped)]
    assert stopped == ([stops_at] if stops_at else [])


def test_a_call_resolved_within_the_cycle_does_not_stop_the_line():
    line = steady_line()
    line.until(t(8, 20))
    call_id = line.do(cmd.press, "help").events[0].call_id
    line.wait(30)
    line.do(cmd.resolve, call_id, "Li Wei", "board")
    line.wait(600)
    assert line.of(ev.LineStopped) == []


def test_equipment_fault_raises_a_call_and_escalates_to_level_2_at_its_minute():
    line = steady_line()
    line.until(t(9))
    line.do(cmd.fault, True)
    raised = line.of(ev.CallRaised)[0]
    assert (raised.call_type, raised.source) == ("equipment", "fault")
    line.until(t(9, 2))
    line.do(cmd.acknowledge, raised.call_id, "Anna Berg", "board")
    line.until(t(9, 30))
    levels = [(e.level, e.at, e.roles) for e in line.of(ev.CallEscalated)]
    assert levels == [(1, t(9), ("maintenance",)), (2, t(9, 10), ("maintenance_manager",))]


def test_a_long_call_needs_a_reason_and_unknown_reasons_are_refused():
    line = steady_line()
    line.until(t(9))
    line.do(cmd.fault, True)
    call_id = line.of(ev.CallRaised)[0].call_id
    line.until(t(9, 12))
    line.do(cmd.fault, False)
    line.until(t(9, 15))
    refused = line.do(cmd.resolve, call_id, "Anna Berg", "board")
    assert "reason card" in refused.rejection
    assert "unknown reason" in line.do(cmd.resolve, call_id, "Anna", "board", reason="X").rejection
    assert line.do(cmd.resolve, call_id, "Anna Berg", "board", reason="BRK").accepted
    view = snapshot(line.state, line.now)
    fault_stop = next(s for s in view["stops"] if s["source"] == "fault")
    assert fault_stop["duration_s"] == 12 * 60
    # the machine stop that raised the call takes the call's resolution reason
    assert fault_stop["reason"] == "BRK" and fault_stop["reason_by"] == "Anna Berg"
    assert not fault_stop["needs_reason"]
    assert view["kpi"]["downtime_s"] == 12 * 60


def test_one_open_call_per_type_and_long_press_cancels():
    line = steady_line()
    line.until(t(8, 5))
    assert line.do(cmd.press, "help").accepted
    assert "already open" in line.do(cmd.press, "help").rejection
    assert line.do(cmd.press, "quality").accepted
    assert line.do(cmd.long_press, "help").accepted
    assert line.state.open_call("help") is None
    assert "no open help call" in line.do(cmd.long_press, "help").rejection


def test_material_call_served_by_kanban_records_its_lead_time():
    line = steady_line()
    line.until(t(9, 30))
    line.do(cmd.bin_changed, "P-1001", True)
    call = line.state.open_call("material", "P-1001")
    assert call is not None and call.source == "bin"
    assert "call.material" in signals(line.state, line.now)
    refused = line.do(cmd.kanban_scanned, "P-9999", "0001", "store")
    assert refused.rejection.startswith("no kanban, no withdrawal")
    line.until(t(9, 52))
    assert line.do(cmd.kanban_scanned, "P-1001", "0007", "Store 1").accepted
    closed = line.state.calls[call.call_id]
    assert closed.status is CallStatus.RESOLVED and closed.elapsed_s(line.now) == 22 * 60
    assert "no open material call" in line.do(cmd.kanban_scanned, "P-1001", "8", "s").rejection


def test_bin_full_again_closes_the_material_call():
    line = steady_line()
    line.until(t(9))
    line.do(cmd.bin_changed, "P-2002", True)
    line.do(cmd.bin_changed, "P-2002", True)  # a repeated level is no new call
    assert len(line.of(ev.CallRaised)) == 1
    line.until(t(9, 10))
    line.do(cmd.bin_changed, "P-2002", False)
    assert line.state.open_call("material", "P-2002") is None


def test_full_work_stops_upstream_at_the_standard_quantity_and_releases_below():
    line = steady_line()
    line.until(t(9))
    line.do(cmd.downstream, 3)
    assert not line.state.line_stopped
    line.do(cmd.downstream, 4)
    assert line.state.line_stop_causes == frozenset({"full_work"})
    assert "blocked" in signals(line.state, line.now)
    line.until(t(9, 4))
    line.do(cmd.downstream, 3)
    assert not line.state.line_stopped
    assert [e.at for e in line.of(ev.LineReleased)] == [t(9, 4)]
    assert snapshot(line.state, line.now)["kpi"]["downtime_s"] == 0


def test_no_count_for_n_takts_is_a_stop_backdated_to_the_last_count():
    line = Line(rules(no_count_takts=3.0), t(8))
    line.until(t(8, 1))
    line.do(cmd.count, good=1)
    line.until(t(8, 30))
    stop = line.of(ev.StopStarted)[0]
    assert (stop.source, stop.since, stop.at) == ("no_count", t(8, 1), t(8, 9))
    line.do(cmd.count, good=1)
    assert line.of(ev.StopEnded)[0].at == t(8, 30)
    view = snapshot(line.state, line.now)
    assert view["stops"][0]["duration_s"] == 29 * 60
    assert view["kpi"]["downtime_s"] == 29 * 60


def test_planned_breaks_are_never_downtime():
    line = steady_line()
    line.until(t(11, 50))
    line.do(cmd.fault, True)
    line.until(t(13, 5))
    line.do(cmd.fault, False)
    view = snapshot(line.state, line.now)
    # 11:50-12:00 and 12:45-13:05: lunch does not count.
    assert view["kpi"]["downtime_s"] == 30 * 60


def test_a_serial_counted_twice_is_refused():
    line = steady_line()
    line.until(t(8, 10))
    assert line.do(scanning.scanned, "main", "SN:U-1").accepted
    again = line.do(scanning.scanned, "main", "SN:U-1")
    assert "already counted" in again.rejection
    assert line.state.good == 1 and line.state.rejected_counts == 1


def test_bad_scans_are_rejected_and_counted_without_changing_anything():
    line = steady_line()
    line.until(t(8, 10))
    for text in ["garbage", "BD:9999", "RC:NOPE", "KB:P-1001:1", "\x00\x01"]:
        outcome = line.do(scanning.scanned, "main", text)
        assert outcome.rejection
    assert line.state.rejected_scans == 5
    assert line.state.good == 0 and line.state.open_calls == []


def test_pace_goes_too_fast_and_too_slow_with_events():
    line = steady_line()
    # band: 1.5 units + 10 % of the plan; released 1.5 units inside it (or on the plan)
    line.until(t(8, 10))  # 600 s: judging starts; planned 3.75, actual 0: 3.75 behind
    assert line.state.pace.value == "too_slow"
    line.until(t(8, 30))  # 1800 s: planned 11.25
    line.do(cmd.count, good=14)  # 2.75 ahead, beyond 1.5 + 1.125
    assert line.state.pace.value == "too_fast"
    line.until(t(8, 33))  # planned 12.375: 1.625 ahead, inside the band, not past hysteresis
    assert line.state.pace.value == "too_fast"
    line.until(t(8, 34))  # planned 12.75: 1.25 ahead, within 1.5 + 1.275 - 1.5: released
    assert line.state.pace.value == "normal"
    line.until(t(9, 30))  # planned 33.75, actual 14
    assert line.state.pace.value == "too_slow"
    changes = [(e.at, e.previous, e.pace) for e in line.of(ev.PaceChanged)]
    assert changes == [
        (t(8, 10), "normal", "too_slow"),
        (t(8, 30), "too_slow", "too_fast"),
        (t(8, 34), "too_fast", "normal"),
        (t(9, 30), "normal", "too_slow"),
    ]


def test_hour_cause_clears_an_unexplained_hour():
    line = steady_line()
    line.until(t(8, 59))
    line.do(cmd.count, good=18)  # plan 22.5 for the hour: -20 %
    line.until(t(9, 5))
    assert cmd.unexplained_hours(line.state, line.now) == [t(8)]
    assert "not over" in line.do(cmd.record_hour_cause, t(9), "MAT", "Li Wei").rejection
    line.do(scanning.scanned, "main", "RC:MAT")
    assert cmd.unexplained_hours(line.state, line.now) == []
    assert snapshot(line.state, line.now)["hours"][0]["cause"]["reason"] == "MAT"


def test_clock_jump_keeps_open_call_durations_true():
    line = steady_line()
    line.until(t(8, 10))
    call_id = line.do(cmd.press, "quality").events[0].call_id
    line.wait(60)
    jump = ev.ClockJumped(at=line.now + __import__("datetime").timedelta(hours=2), jump_s=7200)
    line.now = jump.at
    line._record([jump])
    assert line.state.calls[call_id].elapsed_s(line.now) == 60


def test_replaying_the_events_rebuilds_the_same_state():
    line = Line(rules(), t(8))
    line.until(t(8, 20))
    line.do(cmd.press, "help")
    line.do(cmd.count, good=3, scrap=1)
    line.until(t(9, 40))
    line.do(cmd.bin_changed, "P-1001", True)
    line.until(t(10, 30))
    from andon.domain.state import apply
    from andon.domain.station_state import StationState

    rebuilt = StationState(rules=line.state.rules)
    for event in line.events:
        rebuilt = apply(rebuilt, event_decoding.from_dict(event.KIND, event.to_dict()))
    assert snapshot(rebuilt, line.now) == snapshot(line.state, line.now)


def test_a_whole_shift_gives_hand_computed_availability_performance_quality_oee():
    line = steady_line()
    for hour in range(8, 17):
        line.until(t(hour, 30))
        line.do(cmd.count, good=19, scrap=1 if hour < 13 else 0)
        if hour == 9:
            line.until(t(9, 40))
            line.do(cmd.fault, True)
            line.until(t(9, 50))
            line.do(cmd.fault, False)
            line.until(t(10, 5))  # inside the meeting
            line.do(cmd.fault, True)
            line.until(t(10, 25))
            line.do(cmd.fault, False)
    line.until(t(17))
    view = snapshot(line.state, line.now)
    kpi = view["kpi"]
    planned = 9 * 3600 - 15 * 60 - 45 * 60  # 28 800 s
    downtime = 10 * 60 + 10 * 60  # 09:40-09:50, and 10:15-10:25 after the meeting
    good, total = 19 * 9, 19 * 9 + 5
    assert kpi["planned_production_s"] == planned
    assert kpi["downtime_s"] == downtime
    assert kpi["availability"] == round((planned - downtime) / planned, 4)
    assert kpi["performance"] == round(150 * total / (planned - downtime), 4)
    assert kpi["quality"] == round(good / total, 4)
    expected_oee = (
        (planned - downtime) / planned * 150 * total / (planned - downtime) * good / total
    )
    assert kpi["oee"] == round(expected_oee, 4)
    assert view["good"] == good and view["scrap"] == 5
    assert view["planned"] == round(planned / 160, 2)


def test_material_lead_times_are_summed_up_per_part():
    line = steady_line()
    line.until(t(9))
    line.do(cmd.bin_changed, "P-1001", True)
    line.until(t(9, 20))
    line.do(cmd.kanban_scanned, "P-1001", "0001", "Store")
    line.do(cmd.bin_changed, "P-1001", False)
    line.do(cmd.bin_changed, "P-1001", True)
    line.until(t(9, 30))
    line.do(cmd.bin_changed, "P-1001", False)
    times = snapshot(line.state, line.now)["material_lead_times"]
    assert times == {"P-1001": {"count": 2, "mean_s": 900.0, "max_s": 1200.0}}


def test_a_reason_card_goes_to_the_call_then_the_stop_then_the_hour():
    line = steady_line()
    line.until(t(8, 40))
    line.do(cmd.fault, True)  # raises an equipment call and a fault stop
    line.until(t(8, 55))
    line.do(cmd.fault, False)
    call = line.state.open_call("equipment")
    line.do(scanning.scanned, "main", "BD:1042")
    line.do(scanning.scanned, "main", "RC:BRK")  # 1: the acknowledged call
    assert line.state.calls[call.call_id].reason == "BRK"
    # the fault stop that raised the call is booked under the call's reason
    assert line.state.stops[0].reason == "BRK"
    assert cmd.stops_needing_reason(line.state, line.now) == []
    line.until(t(9, 5))
    line.do(cmd.record_stop_reason, line.state.stops[0].stop_id, "MAT", "Anna")  # corrected
    assert line.state.stops[0].reason == "MAT"
    line.until(t(9, 30))
    line.do(cmd.fault, True)  # a machine stop whose call is cancelled keeps needing a reason
    stop = line.state.stops[-1]
    line.do(cmd.cancel, line.state.open_call("equipment").call_id, "Anna", "board")
    line.until(t(9, 40))
    line.do(cmd.fault, False)
    assert [s.stop_id for s in cmd.stops_needing_reason(line.state, line.now)] == [stop.stop_id]
    line.do(scanning.scanned, "main", "RC:MAT")  # 2: the 10-minute fault stop
    assert line.state.stops[-1].reason == "MAT" and line.state.stops[-1].by == "reason card"
    assert cmd.unexplained_hours(line.state, line.now) == [t(8)]
    line.do(scanning.scanned, "main", "RC:R")  # 3: the hour that missed its plan
    assert line.state.hour_causes[t(8)].reason == "R"
    assert "nothing waits" in line.do(scanning.scanned, "main", "RC:R").rejection
