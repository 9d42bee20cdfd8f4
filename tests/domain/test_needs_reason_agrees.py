"""The retained state's stops waiting for a reason are those ``needs_reason`` names."""

from __future__ import annotations

from andon.domain import commands as cmd
from andon.domain.downtime import LINE_STOP, needs_reason
from andon.domain.rules import StopPolicy
from andon.domain.snapshot import snapshot
from andon.domain.station_queries import stops_needing_reason

from .harness import Line, rules, t


def test_a_short_line_stop_that_ended_without_a_reason_waits_for_one_in_the_summary() -> None:
    line = Line(rules(stop_policy=StopPolicy.AT_ONCE, no_count_takts=1000.0), t(8))
    line.until(t(8, 1))
    call_id = line.do(cmd.press, "help").events[0].call_id
    line.wait(60)  # far below the minor-stop limit
    assert line.do(cmd.cancel, call_id, "Li Wei", "board").accepted  # no reason given
    line.wait(5)

    (stop,) = line.state.stops
    assert stop.source == LINE_STOP and not stop.is_open and not stop.reason
    rules_ = line.state.rules
    assert needs_reason(rules_.calendar, stop, line.now, rules_.minor_stop_s)
    assert stops_needing_reason(line.state, line.now) == [stop]
    view = snapshot(line.state, line.now)
    assert view["stops_waiting"] == 1
    assert [s["needs_reason"] for s in view["stops"]] == [True]
    waiting = [row for row in view["downtime_by_reason"] if row["needs_reason"]]
    assert [(row["source"], row["count"]) for row in waiting] == [(LINE_STOP, 1)]
