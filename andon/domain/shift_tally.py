"""The shift's closed calls and stops, summed as they close.

The retained state shows call totals, material lead times, downtime, the stops
waiting for a reason and the Pareto of the shift. Worked out from the shift's
closed calls and stops at every publish, they cost more the busier the shift.
A :class:`ShiftTally` folds each call and stop once, when it closes (or when a
closed stop gets its reason), so a publish only adds what is open now.
``apply`` keeps it; :func:`tally_of` builds it from a state's calls and stops
(a checkpoint, a state made by hand), and the two give the same figures.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from andon.domain.calls import Call, CallStatus
from andon.domain.downtime import Interval, Stop, caused_by_call, reason_needed
from andon.domain.instants import merge_intervals
from andon.domain.kpi import StopClass, classify_stop
from andon.domain.working_time import WorkingTime

MAX_LISTED_STOPS = 6
"""Stops listed in the state at most (open ones and those waiting for a reason first)."""

ReasonKey = tuple[str, str, bool]
"""A row of the downtime Pareto: reason, source (while it waits for one), waiting."""


@dataclass(frozen=True)
class StopFact:
    """One stop at an instant: its planned working seconds, whether it waits for a reason."""

    stop: Stop
    working_s: float
    needs_reason: bool
    minor: bool
    """Counted as a minor stop (performance) rather than downtime (availability)."""


def stop_fact(calendar: WorkingTime, stop: Stop, now: datetime, minor_stop_s: float) -> StopFact:
    """The stop's working seconds up to ``now`` and how it counts.

    A stop shorter than the minor-stop threshold in planned working time is a minor
    stop unless a call caused it; whether it waits for a reason is
    :func:`andon.domain.downtime.needs_reason`.
    """
    start, end = stop.interval(now)
    working_s = calendar.working_seconds(start, end)
    long = classify_stop(working_s, minor_stop_s) is StopClass.DOWNTIME
    minor = not long and not caused_by_call(stop)
    return StopFact(stop, working_s, reason_needed(stop, working_s, minor_stop_s), minor)


def reason_key(fact: StopFact) -> ReasonKey:
    """Where a stop counts in the downtime Pareto."""
    if fact.stop.reason:
        return (fact.stop.reason, "", False)
    return ("", fact.stop.source if fact.needs_reason else "", fact.needs_reason)


@dataclass(frozen=True)
class ShiftTally:
    """What the shift's closed calls and stops add up to; positions index ``state.stops``."""

    closed_calls: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Per call type: resolved and cancelled."""
    material: Mapping[str, tuple[int, timedelta, timedelta]] = field(default_factory=dict)
    """Per part, the resolved material calls: how many, their total and longest lead time."""
    open_stops: tuple[int, ...] = ()
    waiting: tuple[int, ...] = ()
    """Closed stops that wait for a reason."""
    others: tuple[int, ...] = ()
    """The newest :data:`MAX_LISTED_STOPS` closed stops that wait for nothing."""
    downtime: tuple[Interval, ...] = ()
    """The union of the closed stops counted as downtime: sorted, disjoint."""
    stopped: tuple[Interval, ...] = ()
    """The union of all closed stops."""
    downtime_s: float = 0.0
    stopped_s: float = 0.0
    by_reason: Mapping[ReasonKey, tuple[float, int]] = field(default_factory=dict)


def call_closed(tally: ShiftTally, call: Call) -> ShiftTally:
    """The tally with one more closed call."""
    closed = dict(tally.closed_calls)
    resolved, cancelled = closed.get(call.call_type, (0, 0))
    if call.status is CallStatus.RESOLVED:
        resolved += 1
    else:
        cancelled += 1
    closed[call.call_type] = (resolved, cancelled)
    material = tally.material
    if call.call_type == "material" and call.status is CallStatus.RESOLVED:
        material = dict(material)
        count, total, longest = material.get(call.part, (0, timedelta(0), timedelta(0)))
        lead = max(timedelta(0), (call.closed_at or call.raised_at) - call.raised_at)
        material[call.part] = (count + 1, total + lead, max(longest, lead))
    return _with(tally, closed_calls=closed, material=material)


def stop_started(tally: ShiftTally, position: int) -> ShiftTally:
    """The tally with one more open stop, at ``position`` of the shift's stops."""
    return _with(tally, open_stops=(*tally.open_stops, position))


def stop_closed(
    tally: ShiftTally, calendar: WorkingTime, position: int, stop: Stop, minor_stop_s: float
) -> ShiftTally:
    """The tally with the stop at ``position`` closed (it is no longer open)."""
    fact = stop_fact(calendar, stop, stop.ended_at or stop.started_at, minor_stop_s)
    span = stop.interval(stop.started_at)
    tally = _with(tally, open_stops=tuple(p for p in tally.open_stops if p != position))
    tally = _listed(tally, position, fact.needs_reason)
    stopped = _union_with(tally.stopped, span)
    changes: dict[str, object] = {
        "stopped": stopped,
        "stopped_s": tally.stopped_s + _gain(calendar, tally.stopped, span),
        "by_reason": _counted(tally.by_reason, reason_key(fact), fact.working_s, 1),
    }
    if not fact.minor:
        changes["downtime"] = _union_with(tally.downtime, span)
        changes["downtime_s"] = tally.downtime_s + _gain(calendar, tally.downtime, span)
    return _with(tally, **changes)


def closed_stop_changed(
    tally: ShiftTally,
    calendar: WorkingTime,
    position: int,
    before: Stop,
    after: Stop,
    minor_stop_s: float,
) -> ShiftTally | None:
    """The tally once a closed stop got its reason; None when it must be built again
    (a reason taken back turns downtime into a minor stop, which a union cannot undo)."""
    old = stop_fact(calendar, before, before.ended_at or before.started_at, minor_stop_s)
    new = stop_fact(calendar, after, after.ended_at or after.started_at, minor_stop_s)
    if (new.minor and not old.minor) or (new.needs_reason and not old.needs_reason):
        return None
    by_reason = _counted(tally.by_reason, reason_key(old), -old.working_s, -1)
    changes: dict[str, object] = {
        "by_reason": _counted(by_reason, reason_key(new), new.working_s, 1)
    }
    if old.needs_reason and not new.needs_reason:
        waiting = tuple(p for p in tally.waiting if p != position)
        changes["waiting"] = waiting
        changes["others"] = _newest((*tally.others, position))
    if old.minor and not new.minor:
        span = after.interval(after.started_at)
        changes["downtime"] = _union_with(tally.downtime, span)
        changes["downtime_s"] = tally.downtime_s + _gain(calendar, tally.downtime, span)
    return _with(tally, **changes)


def tally_of(
    calendar: WorkingTime, calls: Iterable[Call], stops: Iterable[Stop], minor_stop_s: float
) -> ShiftTally:
    """The tally of a shift's calls and stops, built from scratch."""
    tally = ShiftTally()
    for call in calls:
        if not call.is_open:
            tally = call_closed(tally, call)
    for position, stop in enumerate(stops):
        tally = stop_started(tally, position)
        if not stop.is_open:
            tally = stop_closed(tally, calendar, position, stop, minor_stop_s)
    return tally


def working_within(
    calendar: WorkingTime, union: tuple[Interval, ...], lo: datetime, hi: datetime
) -> float:
    """Planned working seconds of a sorted, disjoint union within ``[lo, hi)``."""
    total = 0.0
    first = max(0, bisect.bisect_left(union, (lo, lo)) - 1)
    for start, end in union[first:]:
        if start >= hi:
            break
        start, end = max(start, lo), min(end, hi)
        if start < end:
            total += calendar.working_seconds(start, end)
    return total


def _gain(calendar: WorkingTime, union: tuple[Interval, ...], span: Interval) -> float:
    """The working seconds ``span`` adds to ``union``."""
    start, end = span
    if end <= start:
        return 0.0
    return calendar.working_seconds(start, end) - working_within(calendar, union, start, end)


def _union_with(union: tuple[Interval, ...], span: Interval) -> tuple[Interval, ...]:
    start, end = span
    if end <= start:
        return union
    lo = bisect.bisect_left(union, (start, start))
    lo = lo - 1 if lo and union[lo - 1][1] >= start else lo
    hi = lo
    while hi < len(union) and union[hi][0] <= end:
        hi += 1
    merged = merge_intervals([*union[lo:hi], span])
    return (*union[:lo], *merged, *union[hi:])


def _listed(tally: ShiftTally, position: int, waits: bool) -> ShiftTally:
    if waits:
        return _with(tally, waiting=tuple(sorted((*tally.waiting, position))))
    return _with(tally, others=_newest((*tally.others, position)))


def _newest(positions: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(set(positions))[-MAX_LISTED_STOPS:])


def _counted(
    totals: Mapping[ReasonKey, tuple[float, int]], key: ReasonKey, seconds: float, count: int
) -> dict[ReasonKey, tuple[float, int]]:
    out = dict(totals)
    old_s, old_n = out.get(key, (0.0, 0))
    if old_n + count <= 0:
        out.pop(key, None)
    else:
        out[key] = (old_s + seconds, old_n + count)
    return out


def _with(tally: ShiftTally, **changes: object) -> ShiftTally:
    copy = object.__new__(ShiftTally)
    copy.__dict__.update(tally.__dict__, **changes)
    return copy
