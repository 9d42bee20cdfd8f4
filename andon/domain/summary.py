"""The bounded part of the retained state: this shift's figures summed, not listed.

The retained ``state`` holds what is open now and a summary of the shift whose
size does not grow with the shift: call totals per type, downtime per reason,
and at most :data:`MAX_LISTED_STOPS` stops (those that are open or still wait
for a reason first). The shift's closed calls and stops themselves are in the
event stream; ``history_seq`` says from where a consumer replays it.

Nor does the cost of working it out grow with the shift: the closed calls and
stops are summed as they close (:mod:`andon.domain.shift_tally`), and each
publish adds only what is open now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from andon.domain.downtime import DowntimeSplit, Interval
from andon.domain.events import format_instant
from andon.domain.instants import merge_intervals
from andon.domain.shift_tally import (
    MAX_LISTED_STOPS,
    ReasonKey,
    ShiftTally,
    StopFact,
    reason_key,
    stop_fact,
    working_within,
)
from andon.domain.station_state import StationState
from andon.domain.working_time import WorkingTime

__all__ = ["MAX_LISTED_STOPS", "StopFact", "call_totals", "material_lead_times"]


def open_stop_facts(state: StationState, now: datetime) -> list[tuple[int, StopFact]]:
    """The open stops at ``now`` with their positions in the shift's stops."""
    rules = state.rules
    return [
        (p, stop_fact(rules.calendar, state.stops[p], now, rules.minor_stop_s))
        for p in state.summed.open_stops
    ]


def stop_view(one: StopFact) -> dict[str, Any]:
    """One stop as shown on boards; its duration counts working time only."""
    stop = one.stop
    return {
        "stop_id": stop.stop_id,
        "source": stop.source,
        "started_at": format_instant(stop.started_at),
        "ended_at": None if stop.ended_at is None else format_instant(stop.ended_at),
        "duration_s": round(one.working_s, 1),
        "reason": stop.reason,
        "reason_by": stop.by,
        "started_by": stop.started_by,
        "note": stop.note,
        "needs_reason": one.needs_reason,
    }


def listed_stops(
    state: StationState, now: datetime, opened: list[tuple[int, StopFact]]
) -> tuple[list[dict[str, Any]], int]:
    """At most :data:`MAX_LISTED_STOPS` of the shift's stops, and how many wait for a reason.

    Those a board must act on (open, or waiting for a reason) come first, the
    newest of them; the places left go to the newest others. Listed oldest first.
    """
    tally, rules = state.summed, state.rules
    urgent = sorted((*tally.waiting[-MAX_LISTED_STOPS:], *(p for p, _ in opened)))
    chosen = sorted((urgent[::-1] + list(tally.others[::-1]))[:MAX_LISTED_STOPS])
    facts = dict(opened)
    views = [
        stop_view(
            facts.get(p) or stop_fact(rules.calendar, state.stops[p], now, rules.minor_stop_s)
        )
        for p in chosen
    ]
    return views, len(tally.waiting) + sum(1 for _, f in opened if f.needs_reason)


def downtime_by_reason(
    tally: ShiftTally, opened: list[tuple[int, StopFact]]
) -> list[dict[str, Any]]:
    """The shift's stops summed per reason: the Pareto of the shift, one row per key.

    A stop with a reason counts under it; one without, under its source while it
    needs a reason, else with the minor stops (``reason`` and ``source`` empty).
    Bounded by the plant's reasons and the stop sources.
    """
    totals: dict[ReasonKey, tuple[float, int]] = dict(tally.by_reason)
    for _, one in opened:
        seconds, count = totals.get(reason_key(one), (0.0, 0))
        totals[reason_key(one)] = (seconds + one.working_s, count + 1)
    return [
        {
            "reason": reason,
            "source": source,
            "needs_reason": waiting,
            "seconds": round(seconds, 1),
            "count": int(count),
        }
        for (reason, source, waiting), (seconds, count) in sorted(totals.items())
    ]


def shift_downtime(
    state: StationState, window: Interval, now: datetime, opened: list[tuple[int, StopFact]]
) -> DowntimeSplit:
    """Downtime and minor-stop seconds within ``window``, as
    :func:`andon.domain.downtime.split_downtime` counts the shift's stops."""
    calendar, tally = state.rules.calendar, state.summed
    lo, hi = window
    spans = [(f.stop.interval(now), f.minor) for _, f in opened]
    clipped = [((max(a, lo), min(b, hi)), minor) for (a, b), minor in spans]
    downtime = _union_within(
        calendar, tally.downtime, tally.downtime_s, window, [s for s, minor in clipped if not minor]
    )
    stopped = _union_within(
        calendar, tally.stopped, tally.stopped_s, window, [s for s, _ in clipped]
    )
    return DowntimeSplit(downtime_s=downtime, minor_s=max(0.0, stopped - downtime))


def _union_within(
    calendar: WorkingTime,
    union: tuple[Interval, ...],
    union_s: float,
    window: Interval,
    extra: list[Interval],
) -> float:
    """Working seconds of ``union`` (``union_s`` in all) joined with ``extra``, in ``window``."""
    lo, hi = window
    total = union_s
    if union and union[0][0] < lo:
        total -= working_within(calendar, union, union[0][0], lo)
    if union and union[-1][1] > hi:
        total -= working_within(calendar, union, max(hi, union[0][0]), union[-1][1])
    for start, end in merge_intervals(extra):
        total += calendar.working_seconds(start, end) - working_within(calendar, union, start, end)
    return max(0.0, total)


def call_totals(state: StationState) -> dict[str, dict[str, int]]:
    """Per call type, this shift's calls: how many are open, resolved and cancelled."""
    totals = {
        kind: {"open": 0, "resolved": resolved, "cancelled": cancelled}
        for kind, (resolved, cancelled) in state.summed.closed_calls.items()
    }
    for call_id in state.open_call_ids:
        kind = state.calls[call_id].call_type
        totals.setdefault(kind, {"open": 0, "resolved": 0, "cancelled": 0})["open"] += 1
    return dict(sorted(totals.items()))


def material_lead_times(state: StationState) -> dict[str, dict[str, Any]]:
    """Per part, this shift's served material calls: how many, mean and longest lead time."""
    return {
        part: {
            "count": count,
            "mean_s": round(total.total_seconds() / count, 1),
            "max_s": round(longest.total_seconds(), 1),
        }
        for part, (count, total, longest) in sorted(state.summed.material.items())
    }
