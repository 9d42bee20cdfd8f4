"""Decisions that time alone brings: escalations, the fixed-position stop, stops, pace.

``decide(state, now)`` returns the events due at ``now``; the station calls it
on every tick and after every input. ``next_deadline(state, now)`` tells when
something will next fall due, so a simulation can jump straight to it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from andon.domain import events as ev
from andon.domain.calendar import Calendar, ShiftWindow
from andon.domain.calls import Call, CallStatus
from andon.domain.orders import next_takt_change, planned_now, takt_clock, takt_now
from andon.domain.pace import judge
from andon.domain.rules import EscalateWhile, StationRules, StopPolicy
from andon.domain.state import line_stop_key, roll_shift
from andon.domain.station_state import CHANGEOVER, StationState

FULL_WORK = "full_work"
CALL = "call"


def advance(calendar: Calendar, window: ShiftWindow, start: datetime, seconds: float) -> datetime:
    """The instant when ``seconds`` of planned working time have passed after ``start``.

    Stays within the shift: past its end, the shift end is returned.
    """
    remaining = seconds
    for lo, hi in calendar.working_intervals(start, window.end):
        span = (hi - lo).total_seconds()
        if remaining <= span:
            return lo + timedelta(seconds=remaining)
        remaining -= span
    return window.end


def cycle_end(state: StationState, t: datetime) -> datetime | None:
    """The end of the takt cycle running at ``t``.

    Cycles count from the shift start at the line's takt; with orders, from the planned
    start of the order running at ``t``, at its takt (``orders.takt_clock``).
    """
    calendar = state.rules.calendar
    window = calendar.shift_at(t)
    if window is None:
        return None
    origin, takt = takt_clock(state.rules, window, t)
    elapsed = calendar.working_seconds(origin, t)
    done = int(elapsed // takt) + 1
    return advance(calendar, window, origin, done * takt)


_CYCLE_ENDS: dict[tuple[int, datetime], tuple[StationRules, datetime | None]] = {}
"""``cycle_end`` answers by (rules, instant): the same open call is asked about at every tick."""
CYCLE_ENDS_KEPT = 1024


def cycle_end_of_call(state: StationState, raised_at: datetime) -> datetime | None:
    """When the work cycle running at ``raised_at`` ends: ``cycle_end(state, raised_at)``,
    remembered (it depends only on the rules and the instant, and a call's stop deadline is
    asked at every tick while the call is open)."""
    rules = state.rules
    key = (id(rules), raised_at)
    known = _CYCLE_ENDS.get(key)
    if known is not None and known[0] is rules:
        return known[1]
    if len(_CYCLE_ENDS) >= CYCLE_ENDS_KEPT:
        _CYCLE_ENDS.clear()
    end = cycle_end(state, raised_at)
    _CYCLE_ENDS[key] = (rules, end)  # holding the rules keeps their id unique
    return end


def _stop_deadline(state: StationState, call: Call) -> datetime | None:
    """When a line-stopping call stops the line, if it is still open then."""
    rule = state.rules.call_rule(call.call_type)
    if not rule.stops_line or call.stopped_line:
        return None
    policy = state.rules.stop_policy
    if policy is StopPolicy.NEVER:
        return None
    if policy is StopPolicy.AT_ONCE:
        return call.raised_at
    return cycle_end_of_call(state, call.raised_at)


def _escalations(state: StationState, call: Call) -> list[tuple[datetime, ev.CallEscalated]]:
    due = []
    for step in state.rules.call_rule(call.call_type).escalation:
        if step.level <= call.level:
            continue
        if step.condition is EscalateWhile.UNACKNOWLEDGED and call.status is not CallStatus.RAISED:
            continue
        at = call.raised_at + timedelta(seconds=step.after_s)
        due.append(
            (
                at,
                ev.CallEscalated(
                    at=at,
                    call_id=call.call_id,
                    level=step.level,
                    roles=step.roles,
                    condition=step.condition.value,
                ),
            )
        )
    return due


def _no_count_since(state: StationState, now: datetime) -> datetime | None:
    """Where "no count for N × takt" is measured from, in the current shift.

    The last count, or the end of the last changeover when that came later.
    """
    window = state.rules.calendar.shift_at(now)
    if window is None:
        return None
    last = state.last_count_at
    since = last if last is not None and last >= window.start else window.start
    for stop in state.stops:
        if stop.source == CHANGEOVER and stop.ended_at is not None and stop.ended_at > since:
            since = stop.ended_at
    return since


def decide(state: StationState, now: datetime) -> list[ev.Event]:
    """The events due at ``now``, in the order they must be recorded."""
    state = roll_shift(state, now)
    rules = state.rules
    out: list[ev.Event] = []
    stop_offset = 0

    for call in state.open_calls:
        for at, escalation in _escalations(state, call):
            if at <= now:
                out.append(replace(escalation, at=now))
                break
        deadline = _stop_deadline(state, call)
        if deadline is not None and deadline <= now:
            out.append(ev.LineStopped(at=now, cause=CALL, call_id=call.call_id))

    for key in sorted(state.line_stop_causes):
        cause, _, call_id = key.partition(":")
        if cause == CALL:
            held_by = state.calls.get(call_id)
            if held_by is None or not held_by.is_open:
                out.append(ev.LineReleased(at=now, cause=CALL, call_id=call_id))

    if state.downstream_full and FULL_WORK not in state.line_stop_causes:
        out.append(ev.LineStopped(at=now, cause=FULL_WORK))
    elif not state.downstream_full and FULL_WORK in state.line_stop_causes:
        out.append(ev.LineReleased(at=now, cause=FULL_WORK))

    call_keys = {k for k in state.line_stop_causes if k.startswith(CALL + ":")}
    for e in out:
        if isinstance(e, ev.LineStopped) and e.cause == CALL:
            call_keys.add(line_stop_key(CALL, e.call_id))
        elif isinstance(e, ev.LineReleased) and e.cause == CALL:
            call_keys.discard(line_stop_key(CALL, e.call_id))
    relay_stop = state.open_stop("line_stop")
    if call_keys and relay_stop is None:
        out.append(
            ev.StopStarted(
                at=now,
                stop_id=_stop_id(state, stop_offset),
                source="line_stop",
                since=now,
            )
        )
        stop_offset += 1
    elif not call_keys and relay_stop is not None:
        out.append(ev.StopEnded(at=now, stop_id=relay_stop.stop_id))

    if rules.counts:
        out += _no_count_decisions(state, now, stop_offset)
        out += _pace_decisions(state, now)
    return out


def _stop_id(state: StationState, offset: int) -> str:
    return f"{state.rules.line}.{state.rules.station}.S{state.stop_counter + 1 + offset}"


def _no_count_decisions(state: StationState, now: datetime, offset: int) -> list[ev.Event]:
    rules = state.rules
    open_stop = state.open_stop("no_count")
    working = rules.calendar.is_working(now)
    if open_stop is not None:
        if not working:
            return [ev.StopEnded(at=now, stop_id=open_stop.stop_id)]
        return []
    changing_over = state.open_stop(CHANGEOVER) is not None
    if not working or state.line_stopped or state.fault or changing_over:
        return []
    window = rules.calendar.shift_at(now)
    since = _no_count_since(state, now)
    if window is None or since is None:
        return []
    limit = rules.no_count_takts * takt_now(rules, window, now)
    if rules.calendar.working_seconds(since, now) < limit:
        return []
    return [ev.StopStarted(at=now, stop_id=_stop_id(state, offset), source="no_count", since=since)]


def _pace_decisions(state: StationState, now: datetime) -> list[ev.Event]:
    rules = state.rules
    window = rules.calendar.shift_at(now)
    if window is None:
        return []
    planned = planned_now(rules, window, now)
    elapsed = rules.calendar.working_seconds(window.start, now)
    pace = judge(state.good, planned, elapsed, rules.pace, state.pace)
    if pace is state.pace:
        return []
    return [
        ev.PaceChanged(
            at=now,
            pace=pace.value,
            previous=state.pace.value,
            actual=state.good,
            planned=round(planned, 3),
        )
    ]


def next_deadline(state: StationState, now: datetime) -> datetime | None:
    """The next instant after ``now`` at which :func:`decide` has something to say, if known.

    Covers escalations, fixed-position stops and the no-count stop (and the
    instants the plan moves to another order, whose takt may bring it earlier);
    pace is judged continuously, so callers that simulate also step at a fixed rate.
    """
    state = roll_shift(state, now)
    candidates: list[datetime] = []
    for call in state.open_calls:
        candidates += [at for at, _ in _escalations(state, call) if at > now]
        deadline = _stop_deadline(state, call)
        if deadline is not None and deadline > now:
            candidates.append(deadline)
    counting = state.rules.counts and state.open_stop(CHANGEOVER) is None
    if counting and state.open_stop("no_count") is None:
        window = state.rules.calendar.shift_at(now)
        since = _no_count_since(state, now)
        if window is not None and since is not None:
            limit = state.rules.no_count_takts * takt_now(state.rules, window, now)
            due = advance(state.rules.calendar, window, since, limit)
            if due > now:
                candidates.append(due)
            change = next_takt_change(state.rules, window, now)
            if change is not None and change < due:
                candidates.append(change)
    return min(candidates) if candidates else None
