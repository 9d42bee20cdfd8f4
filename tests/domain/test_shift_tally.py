"""The shift's figures summed as calls and stops close equal them worked out from the list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from andon.domain import commands as cmd
from andon.domain import events as ev
from andon.domain.calls import CallStatus
from andon.domain.downtime import needs_reason, split_downtime
from andon.domain.snapshot import snapshot
from andon.domain.state import apply
from andon.domain.state_codec import decode_state, encode_state
from andon.domain.station_state import StationState
from andon.domain.summary import MAX_LISTED_STOPS

from .harness import Line, rules, t


def _listed(state: StationState, now: Any) -> dict[str, Any]:
    """The summary of the shift worked out from every call and stop, as a board reads it."""
    calendar, minor_s = state.rules.calendar, state.rules.minor_stop_s
    facts = []
    for stop in state.stops:
        working = calendar.working_seconds(*stop.interval(now))
        facts.append((stop, working, needs_reason(calendar, stop, now, minor_s)))
    urgent = [i for i, (s, _, waits) in enumerate(facts) if waits or s.is_open]
    others = [i for i, (s, _, waits) in enumerate(facts) if not (waits or s.is_open)]
    chosen = sorted((urgent[::-1] + others[::-1])[:MAX_LISTED_STOPS])
    pareto: dict[tuple[str, str, bool], list[float]] = {}
    for stop, working, waits in facts:
        key = (stop.reason, "", False) if stop.reason else ("", stop.source if waits else "", waits)
        row = pareto.setdefault(key, [0.0, 0])
        row[0] += working
        row[1] += 1
    totals: dict[str, dict[str, int]] = {}
    served: dict[str, list[float]] = {}
    for call in state.calls.values():
        row = totals.setdefault(call.call_type, {"open": 0, "resolved": 0, "cancelled": 0})
        kind = "open" if call.is_open else call.status.value
        row["resolved" if kind == CallStatus.RESOLVED.value else kind] += 1
        if call.call_type == "material" and call.status is CallStatus.RESOLVED:
            served.setdefault(call.part, []).append(call.elapsed_s(now))
    window = calendar.shift_at(now) or calendar.shift_at(state.shift_start)
    split = split_downtime(
        calendar, state.stops, (window.start, min(now, window.end)), now, minor_s
    )
    return {
        "stops": [facts[i][0].stop_id for i in chosen],
        "stops_waiting": sum(1 for _, _, waits in facts if waits),
        "pareto": {k: (round(v[0], 1), v[1]) for k, v in pareto.items()},
        "call_totals": dict(sorted(totals.items())),
        "material": {p: (len(v), round(max(v), 1)) for p, v in served.items()},
        "downtime_s": round(split.downtime_s, 1),
        "minor_stop_s": round(split.minor_s, 1),
    }


def _shown(view: dict[str, Any]) -> dict[str, Any]:
    return {
        "stops": [s["stop_id"] for s in view["stops"]],
        "stops_waiting": view["stops_waiting"],
        "pareto": {
            (r["reason"], r["source"], r["needs_reason"]): (r["seconds"], r["count"])
            for r in view["downtime_by_reason"]
        },
        "call_totals": view["call_totals"],
        "material": {p: (m["count"], m["max_s"]) for p, m in view["material_lead_times"].items()},
        "downtime_s": view["kpi"]["downtime_s"],
        "minor_stop_s": view["kpi"]["minor_stop_s"],
    }


def _check(line: Line) -> None:
    expected = _listed(line.state, line.now)
    assert _shown(snapshot(line.state, line.now)) == expected
    restored = decode_state(encode_state(line.state), line.state.rules)
    assert _shown(snapshot(restored, line.now)) == expected
    by_hand = StationState(**{**line.state.__dict__, "tally": None})
    assert _shown(snapshot(by_hand, line.now)) == expected


def _busy(line: Line, calls: int) -> None:
    kinds = ("help", "quality", "equipment", "material")
    for n in range(calls):
        kind = kinds[n % len(kinds)]
        if kind == "material":
            outcome = line.do(
                cmd.raise_call, kind, "scanner", "Li Wei", ("P-1001", "P-2002")[n // 4 % 2]
            )
        else:
            outcome = line.do(cmd.press, kind)
        assert outcome.accepted, outcome.rejection
        call_id = outcome.events[0].call_id
        line.do(cmd.count)
        if kind == "equipment":
            line.do(cmd.fault, True)  # the machine's stop, beside the call's line stop
        held = 400 if n % 9 == 2 else 4 + n % 5
        line.wait(held)
        if n % 5 == 0:
            _check(line)  # open calls and stops, some overlapping
        if kind == "equipment":
            line.do(cmd.fault, False)
        reason = "R" if n % 2 or held > 300 else ""
        if n % 7 == 3:
            closed = line.do(cmd.cancel, call_id, "Li Wei", "board")
        else:
            closed = line.do(cmd.resolve, call_id, "Anna Berg", "board", reason)
        assert closed.accepted, closed.rejection
        line.wait(3)
        if n % 5 == 1:
            _check(line)


def test_a_busy_shift_sums_to_what_its_calls_and_stops_list():
    line = Line(rules(no_count_takts=1000.0), t(8))
    line.until(t(8, 1))
    _busy(line, 80)
    assert sum(1 for s in line.state.stops if s.reason) > 3  # reasons given after the end
    _check(line)
    line.wait(3600)  # past lunch and the meeting
    _check(line)


def test_a_reason_given_or_taken_back_after_a_stop_ended_moves_its_seconds():
    line = Line(rules(no_count_takts=1000.0), t(8))
    line.until(t(8, 1))
    _busy(line, 12)
    waiting = [s for s in line.state.stops if not s.is_open and not s.reason]
    assert waiting
    for stop in waiting[:3]:
        line.state = apply(
            line.state, ev.StopReasonRecorded(at=line.now, stop_id=stop.stop_id, reason="R", by="x")
        )
        _check(line)
    taken = ev.StopReasonRecorded(at=line.now, stop_id=waiting[0].stop_id, reason="", by="x")
    line.state = apply(line.state, taken)
    _check(line)


@pytest.mark.parametrize("hours", [7, 8])
def test_a_stop_carried_into_the_next_shift_counts_from_its_start(hours: int):
    line = Line(rules(no_count_takts=1000.0), t(16, 40))
    line.do(cmd.fault, True)
    line.wait(hours * 1800)  # into the night or the next day's shift
    line.until(t(8, 30) + timedelta(days=1))
    line.do(cmd.fault, False)
    line.wait(60)
    _check(line)
