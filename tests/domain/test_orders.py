"""The plan as a sequence of orders, and changeovers (SMED) as recorded stops.

Hand numbers for :func:`harness.two_orders` on the day calendar (08:00-17:00, meeting
10:00-10:15, lunch 12:00-12:45): H-20 is 100 x 80 s = 8 000 working seconds, planned to
finish at 08:00 + 7 200 s (to 10:00) + 800 s after the meeting = 10:28:20; K-7 is
150 x 120 s = 18 000 s: 5 500 s to 12:00, then 12 500 s from 12:45 = 16:13:20.
"""

from __future__ import annotations

import pytest

from andon.bus.commands import command_message, parse_command
from andon.bus.messages import MessageError, encode
from andon.domain import commands as cmd
from andon.domain import event_decoding
from andon.domain import events as ev
from andon.domain.decide import cycle_end, cycle_end_of_call
from andon.domain.orders import (
    Order,
    current_order,
    order_spans,
    planned_now,
    segments_for,
    takt_now,
)
from andon.domain.snapshot import signals, snapshot
from andon.domain.state import apply
from andon.domain.station_state import StationState
from andon.station.remote import domain_command

from .harness import Line, order_rules, rules, t

H20_TAKT, K7_TAKT, LINE_TAKT = 80.0, 120.0, 160.0
SWITCH = t(10, 28, 20)
SEQUENCE_END = t(16, 13, 20)


def steady(start=None, **overrides) -> Line:
    """A line planned by the two orders that does not trip the no-count stop by itself."""
    overrides.setdefault("no_count_takts", 1000.0)
    return Line(order_rules(**overrides), start or t(8))


def window():
    return order_rules().calendar.shift_at(t(8))


# --- the plan curve -------------------------------------------------------------


def test_orders_reject_what_cannot_be_planned():
    with pytest.raises(ValueError, match="needs a product"):
        Order(" ", 1, 60.0)
    with pytest.raises(ValueError, match="at least 1"):
        Order("H-20", 0, 60.0)
    with pytest.raises(ValueError, match="greater than 0"):
        Order("H-20", 5, 0.0)
    assert Order("H-20", 5).takt(160.0) == 160.0
    assert Order("H-20", 5, 50.0).takt(160.0) == 50.0


def test_the_order_plan_switches_at_the_computed_instant():
    station = order_rules()
    spans = order_spans(station, window())
    assert [(s.start, s.end, s.finished) for s in spans] == [
        (t(8), SWITCH, True),
        (SWITCH, SEQUENCE_END, True),
    ]
    assert [s.product for s in segments_for(window(), station.orders, LINE_TAKT)] == [
        "H-20",
        "K-7",
    ]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (t(8), 0.0),
        (t(9), 3600 / H20_TAKT),
        (t(10, 10), 7200 / H20_TAKT),  # flat in the meeting
        (t(10, 28, 19), (7200 + 799) / H20_TAKT),
        (SWITCH, 100.0),
        (t(11), 100 + 1900 / K7_TAKT),
        (t(12, 30), 100 + 5500 / K7_TAKT),  # flat at lunch
        (t(14), 100 + (5500 + 4500) / K7_TAKT),
        (SEQUENCE_END, 250.0),
        (t(17), 250.0),  # flat after the sequence: more would be overproduction
    ],
)
def test_planned_count_follows_the_orders(at, expected):
    assert planned_now(order_rules(), window(), at) == pytest.approx(expected, abs=1e-9)


def test_without_orders_the_plan_is_the_single_takt():
    assert planned_now(rules(), window(), t(11)) == (3 * 3600 - 900) / LINE_TAKT
    assert current_order(rules(), window(), t(11)) is None
    assert takt_now(rules(), window(), t(11)) == LINE_TAKT


def test_the_running_order_and_its_takt():
    station, w = order_rules(), window()
    assert [current_order(station, w, x) for x in (t(8), t(10, 28, 19), SWITCH)] == [0, 0, 1]
    assert current_order(station, w, SEQUENCE_END) is None
    assert [takt_now(station, w, x) for x in (t(9), t(11), t(16, 30))] == [80.0, 120.0, 160.0]


def test_an_order_without_its_own_takt_uses_the_lines():
    station = order_rules(orders=(Order("H-20", 10), Order("K-7", 10, 60.0)))
    # 10 x 160 s = 1 600 s: 08:26:40; then 10 x 60 s.
    assert planned_now(station, window(), t(8, 26, 40)) == 10.0
    assert planned_now(station, window(), t(8, 31, 40)) == 15.0


def test_between_orders_a_planned_stop_waits_for_the_next_one():
    # A: 135 x 100 s = 13 500 s = 08:00-12:00 without the meeting; B starts after lunch.
    station = order_rules(orders=(Order("A", 135, 100.0), Order("B", 10, 90.0)))
    state = StationState(rules=station)
    w = window()
    assert current_order(station, w, t(12, 20)) == 1
    assert planned_now(station, w, t(12, 20)) == 135.0
    assert cycle_end(state, t(12, 20)) == t(12, 46, 30)  # first 90 s cycle of B
    # B is planned to finish at 12:45 + 900 s; then cycles run at the line's 160 s.
    assert cycle_end(state, t(13, 1)) == t(13, 2, 40)


# --- the plan on the line: hours, pace, fixed-position stop, no count -----------------


def test_the_hourly_table_follows_the_orders():
    line = steady()
    line.until(t(10, 30))
    assert snapshot(line.state, line.now)["hours"][2]["planned"] == round(
        800 / H20_TAKT + 100 / K7_TAKT, 2
    )
    line.until(t(17))
    view = snapshot(line.state, line.now)
    expected = [
        3600 / H20_TAKT,
        3600 / H20_TAKT,
        800 / H20_TAKT + 1900 / K7_TAKT,  # 10:15-10:28:20, then K-7
        3600 / K7_TAKT,
        900 / K7_TAKT,  # 12:45-13:00
        3600 / K7_TAKT,
        3600 / K7_TAKT,
        3600 / K7_TAKT,
        800 / K7_TAKT,  # to 16:13:20, then flat
    ]
    assert [h["planned"] for h in view["hours"]] == [round(x, 2) for x in expected]
    assert view["planned"] == 250.0


def test_unexplained_hours_are_judged_against_the_order_plan():
    line = steady()
    for hour, good in ((8, 45), (9, 45), (10, 26)):
        line.until(t(hour, 30))
        line.do(cmd.count, good=good)
    line.until(t(11, 5))
    # Against the single 160 s takt these hours would be +100 %, +100 %, +54 %.
    assert cmd.unexplained_hours(line.state, line.now) == []
    line.until(t(11, 30))
    line.do(cmd.count, good=20)  # plan 30: -33 %
    line.until(t(12, 5))
    assert cmd.unexplained_hours(line.state, line.now) == [t(11)]
    assert line.do(cmd.record_hour_cause, t(11), "MAT", "Li Wei").accepted
    assert cmd.unexplained_hours(line.state, line.now) == []


def test_pace_is_judged_against_the_order_plan():
    line = steady()
    line.until(t(8, 9))
    line.do(cmd.count, good=8)
    line.until(t(8, 10))  # plan 7.5: +6.7 % (3.75 by the line's takt would be too fast)
    assert line.state.pace.value == "normal"
    line.until(t(8, 20))  # plan 15
    line.do(cmd.count, good=7)
    line.until(t(11))  # plan 115.83
    line.do(cmd.count, good=101)
    assert line.state.pace.value == "normal"
    line.until(t(16, 30))  # plan 250, flat since 16:13:20
    line.do(cmd.count, good=134)
    assert line.state.pace.value == "normal"
    line.do(cmd.count, good=30)  # 280 against 250: +12 %
    assert line.state.pace.value == "too_fast"
    changes = [(e.at, e.pace, e.actual, e.planned) for e in line.of(ev.PaceChanged)]
    assert changes == [
        (t(8, 20), "too_slow", 8, 1200 / H20_TAKT),
        (t(8, 20), "normal", 15, 1200 / H20_TAKT),
        (SWITCH, "too_slow", 15, 100.0),  # judged on the way, at the order switch
        (t(11), "normal", 116, round(100 + 1900 / K7_TAKT, 3)),
        (SEQUENCE_END, "too_slow", 116, 250.0),
        (t(16, 30), "normal", 250, 250.0),
        (t(16, 30), "too_fast", 280, 250.0),
    ]


def test_the_fixed_position_stop_uses_the_running_orders_takt():
    line = steady()
    line.until(t(9, 1, 25))  # H-20: 3 685 s, cycle 47 ends at 3 760 s (160 s would give 3 840)
    help_id = line.do(cmd.press, "help").events[0].call_id
    line.until(t(9, 2, 39))
    assert not line.state.line_stopped
    line.until(t(9, 3))
    assert line.do(cmd.resolve, help_id, "Li Wei", "board").accepted
    line.until(t(11, 1))  # K-7 since 10:28:20: 1 960 s, cycle 17 ends at 2 040 s
    quality_id = line.do(cmd.press, "quality").events[0].call_id
    line.until(t(11, 5))
    stops = [(e.at, e.call_id) for e in line.of(ev.LineStopped)]
    assert stops == [(t(9, 2, 40), help_id), (t(11, 2, 20), quality_id)]


def test_no_count_waits_n_times_the_running_orders_takt():
    in_h20 = Line(order_rules(no_count_takts=3.0), t(9))
    in_h20.do(cmd.count)
    in_h20.until(t(9, 10))
    in_k7 = Line(order_rules(no_count_takts=3.0), t(11))
    in_k7.do(cmd.count)
    in_k7.until(t(11, 10))
    across = Line(order_rules(no_count_takts=3.0), t(10, 26))
    across.do(cmd.count)
    across.until(t(10, 40))
    first = [(x.of(ev.StopStarted)[0].at, x.of(ev.StopStarted)[0].since) for x in (in_h20, in_k7)]
    assert first == [(t(9, 4), t(9)), (t(11, 6), t(11))]
    # Counted at 10:26 under H-20 (due 10:30 at 80 s), but K-7 runs from 10:28:20:
    # 3 x 120 s of working time since the count is 10:32.
    stop = across.of(ev.StopStarted)[0]
    assert (stop.source, stop.at, stop.since) == ("no_count", t(10, 32), t(10, 26))


# --- changeover -------------------------------------------------------------------


def test_a_changeover_is_a_stop_with_its_reason_and_exact_duration():
    line = Line(order_rules(no_count_takts=3.0), t(10, 26))
    line.do(cmd.count)
    line.until(SWITCH)
    started = line.do(cmd.changeover, "Li Wei", product="K-7")
    assert started.accepted
    stop_id = started.events[0].stop_id
    assert "already running" in line.do(cmd.changeover, "Li Wei").rejection
    line.until(t(10, 30))
    assert "idle" in signals(line.state, line.now)
    view = snapshot(line.state, line.now)
    assert view["order"] == {
        "index": 0,
        "product": "H-20",
        "quantity": 100,
        "takt_s": H20_TAKT,
        "planned": 100.0,
        "done": 1,
    }
    line.until(t(10, 38))
    line.do(cmd.count, good=2)  # trial units: they count toward K-7
    line.until(t(10, 40, 20))
    assert line.do(cmd.record_stop_reason, stop_id, "CHG", "Li Wei", note="die change").accepted
    assert line.do(cmd.start_order, 1, "Li Wei").accepted
    assert [(e.index, e.product) for e in line.of(ev.OrderStarted)] == [(1, "K-7")]
    assert line.of(ev.StopEnded)[0].stop_id == stop_id

    view = snapshot(line.state, line.now)
    changeover = view["stops"][0]
    assert (changeover["source"], changeover["reason"]) == ("changeover", "CHG")
    assert changeover["duration_s"] == 12 * 60
    assert not changeover["needs_reason"]
    assert view["order"] == {
        "index": 1,
        "product": "K-7",
        "quantity": 150,
        "takt_s": K7_TAKT,
        "planned": 720 / K7_TAKT,  # planned since 10:28:20
        "done": 2,
    }
    assert "running" in signals(line.state, line.now)
    # No no-count stop during the 12 min changeover; after it, 3 x 120 s from its end.
    line.until(t(10, 47))
    no_count = [e for e in line.of(ev.StopStarted) if e.source == "no_count"]
    assert [(e.at, e.since) for e in no_count] == [(t(10, 46, 20), t(10, 40, 20))]
    assert snapshot(line.state, line.now)["kpi"]["downtime_s"] == 12 * 60 + 400


def test_a_changeover_over_the_meeting_lasts_its_working_time():
    line = steady()
    line.until(t(9, 55))
    stop_id = line.do(cmd.changeover, "Li Wei").events[0].stop_id
    line.until(t(10, 20))
    assert snapshot(line.state, line.now)["stops"][0]["needs_reason"]
    line.do(cmd.start_order, 1, "Li Wei")
    line.do(cmd.record_stop_reason, stop_id, "CHG", "Li Wei")
    view = snapshot(line.state, line.now)
    assert view["stops"][0]["duration_s"] == 5 * 60 + 5 * 60  # 09:55-10:00, 10:15-10:20
    assert view["kpi"]["downtime_s"] == 10 * 60


def test_a_changeover_ends_a_running_no_count_stop():
    line = Line(order_rules(no_count_takts=3.0), t(9))
    line.do(cmd.count)
    line.until(t(9, 10))
    no_count = line.state.open_stop("no_count")
    assert no_count is not None
    line.do(cmd.changeover, "Li Wei")
    assert line.state.stops[0].ended_at == t(9, 10)
    assert line.state.open_stop("changeover") is not None


def test_changeover_and_start_order_refusals():
    plain = Line(rules(), t(9))
    assert "no order sequence" in plain.do(cmd.start_order, 0, "Li Wei").rejection
    line = steady(t(9))
    assert "say who" in line.do(cmd.changeover, "").rejection
    assert "unknown product 'X-1'" in line.do(cmd.changeover, "Li Wei", product="X-1").rejection
    assert "no order 2" in line.do(cmd.start_order, 2, "Li Wei").rejection
    assert "say who" in line.do(cmd.start_order, 1, "").rejection
    assert "already running" in line.do(cmd.start_order, 0, "Li Wei").rejection
    assert line.of(ev.StopStarted) == [] and line.of(ev.OrderStarted) == []
    assert line.do(cmd.start_order, 1, "Li Wei").accepted  # no changeover needed
    assert line.of(ev.StopEnded) == [] and line.state.order_index == 1


def test_orders_start_again_with_the_next_shift():
    line = steady(t(10, 40))
    line.do(cmd.start_order, 1, "Li Wei")
    line.do(cmd.count, good=5)
    tomorrow = t(8, 30).replace(day=26)
    line.until(tomorrow)
    view = snapshot(line.state, line.now)
    assert (view["order"]["index"], view["order"]["done"]) == (0, 0)
    assert view["planned"] == 1800 / H20_TAKT


def test_the_whole_shift_kpi_with_orders_and_a_changeover():
    line = steady()
    for hour in range(8, 17):
        if hour == 10:
            line.until(SWITCH)
            stop_id = line.do(cmd.changeover, "Li Wei", product="K-7").events[0].stop_id
        line.until(t(hour, 30))
        line.do(cmd.count, good=19, scrap=1 if hour < 13 else 0)
        if hour == 10:
            line.until(t(10, 40, 20))
            line.do(cmd.start_order, 1, "Li Wei")
            line.do(cmd.record_stop_reason, stop_id, "CHG", "Li Wei")
    line.until(t(17))
    view = snapshot(line.state, line.now)
    kpi = view["kpi"]
    planned = 9 * 3600 - 15 * 60 - 45 * 60  # 28 800 s
    downtime = 12 * 60  # the changeover, 10:28:20-10:40:20
    run = planned - downtime
    good, total = 19 * 9, 19 * 9 + 5
    assert kpi["planned_production_s"] == planned
    assert kpi["downtime_s"] == downtime
    assert kpi["availability"] == round(run / planned, 4)
    assert kpi["performance"] == round(150 * total / run, 4)
    assert kpi["quality"] == round(good / total, 4)
    assert kpi["oee"] == round(run / planned * (150 * total / run) * (good / total), 4)
    assert view["planned"] == 250.0
    assert view["achievement"] == round(good / 250, 4)
    # K-7 made the 10:30 count (during its changeover) and six more.
    assert view["order"]["index"] == 1 and view["order"]["done"] == 19 * 7
    assert view["order"]["planned"] == 150.0


def test_replaying_orders_and_changeovers_rebuilds_the_same_state():
    line = steady()
    line.until(t(10, 20))
    stop_id = line.do(cmd.changeover, "Li Wei").events[0].stop_id
    line.do(cmd.count, good=3)
    line.until(t(10, 35))
    line.do(cmd.start_order, 1, "Li Wei")
    line.do(cmd.record_stop_reason, stop_id, "CHG", "Li Wei")
    rebuilt = StationState(rules=line.state.rules)
    for event in line.events:
        rebuilt = apply(rebuilt, event_decoding.from_dict(event.KIND, event.to_dict()))
    assert snapshot(rebuilt, line.now) == snapshot(line.state, line.now)
    assert rebuilt.order_good == 3


# --- remote commands ----------------------------------------------------------------


def _remote(name: str, by: str = "Li Wei", **args):
    return domain_command(parse_command(name, encode(command_message("c-1", by, **args))))


def test_changeover_and_start_order_from_a_board():
    line = steady(t(10, 30))
    assert line.do(_remote("changeover", product="K-7")).accepted
    assert line.state.open_stop("changeover") is not None
    assert line.do(_remote("start_order", index=1)).accepted
    assert line.state.order_index == 1 and line.state.open_stop("changeover") is None


@pytest.mark.parametrize(
    ("name", "by", "args", "message"),
    [
        ("start_order", "Li Wei", {"index": "1"}, "expected an integer"),
        ("start_order", "Li Wei", {"index": True}, "expected an integer"),
        ("start_order", "Li Wei", {"index": -1}, "0 or more"),
        ("start_order", "Li Wei", {}, "missing argument 'index'"),
        ("start_order", "", {"index": 1}, "say who"),
        ("changeover", "", {}, "say who"),
        ("changeover", "Li Wei", {"product": 7}, "expected str"),
        ("changeover", "Li Wei", {"order": 1}, "unknown arguments"),
    ],
)
def test_malformed_order_commands_are_refused(name, by, args, message):
    with pytest.raises(MessageError, match=message):
        _remote(name, by, **args)


def test_the_stop_deadline_of_a_call_is_remembered_per_rules():
    """Asked at every tick while a call is open; equal instants under other rules differ."""
    planned = StationState(rules=order_rules(orders=(Order("A", 135, 100.0), Order("B", 10, 90.0))))
    plain = StationState(rules=rules())
    for _ in range(2):  # the second time from memory
        assert cycle_end_of_call(planned, t(12, 20)) == cycle_end(planned, t(12, 20))
        assert cycle_end_of_call(planned, t(12, 20)) == t(12, 46, 30)
        assert cycle_end_of_call(plain, t(12, 20)) == cycle_end(plain, t(12, 20))
    assert cycle_end(plain, t(12, 20)) != t(12, 46, 30)
