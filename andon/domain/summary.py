"""The bounded part of the retained state: this shift's figures summed, not listed.

The retained ``state`` holds what is open now and a summary of the shift whose
size does not grow with the shift: call totals per type, downtime per reason,
and at most :data:`MAX_LISTED_STOPS` stops (those that are open or still wait
for a reason first). The shift's closed calls and stops themselves are in the
event stream; ``history_seq`` says from where a consumer replays it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from andon.domain.calls import CallStatus
from andon.domain.downtime import Stop
from andon.domain.events import format_instant
from andon.domain.kpi import StopClass, classify_stop
from andon.domain.state import StationState

MAX_LISTED_STOPS = 6
"""Stops listed in the state at most (open ones and those waiting for a reason first)."""


@dataclass(frozen=True)
class StopFacts:
    """One stop at an instant: its planned working seconds, and whether it waits for a reason."""

    stop: Stop
    working_s: float
    needs_reason: bool


def stop_facts(state: StationState, now: datetime) -> list[StopFacts]:
    """The shift's stops with their working time and need of a reason, worked out once.

    A stop shorter than the minor-stop threshold in planned working time is a minor
    stop; a longer one needs a reason until it has one (as
    :func:`andon.domain.downtime.needs_reason` says).
    """
    rules = state.rules
    calendar = rules.calendar
    facts = []
    for stop in state.stops:
        start, end = stop.interval(now)
        working_s = calendar.working_seconds(start, end)
        long = classify_stop(working_s, rules.minor_stop_s) is StopClass.DOWNTIME
        facts.append(StopFacts(stop, working_s, long and not stop.reason))
    return facts


def stop_view(one: StopFacts) -> dict[str, Any]:
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


def listed_stops(facts: list[StopFacts]) -> tuple[list[dict[str, Any]], int]:
    """At most :data:`MAX_LISTED_STOPS` of the shift's stops, and how many wait for a reason.

    Those a board must act on (open, or waiting for a reason) come first, the
    newest of them; the places left go to the newest others. Listed oldest first.
    """
    urgent = [i for i, f in enumerate(facts) if f.needs_reason or f.stop.is_open]
    others = [i for i, f in enumerate(facts) if not (f.needs_reason or f.stop.is_open)]
    chosen = sorted((urgent[::-1] + others[::-1])[:MAX_LISTED_STOPS])
    waiting = sum(1 for f in facts if f.needs_reason)
    return [stop_view(facts[i]) for i in chosen], waiting


def downtime_by_reason(facts: list[StopFacts]) -> list[dict[str, Any]]:
    """The shift's stops summed per reason: the Pareto of the shift, one row per key.

    A stop with a reason counts under it; one without, under its source while it
    needs a reason, else with the minor stops (``reason`` and ``source`` empty).
    Bounded by the plant's reasons and the stop sources.
    """
    totals: dict[tuple[str, str, bool], list[float]] = {}
    for one in facts:
        stop = one.stop
        if stop.reason:
            key = (stop.reason, "", False)
        else:
            key = ("", stop.source if one.needs_reason else "", one.needs_reason)
        total = totals.setdefault(key, [0.0, 0])
        total[0] += one.working_s
        total[1] += 1
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


def call_totals(state: StationState) -> dict[str, dict[str, int]]:
    """Per call type, this shift's calls: how many are open, resolved and cancelled."""
    totals: dict[str, dict[str, int]] = {}
    for call in state.calls.values():
        row = totals.setdefault(call.call_type, {"open": 0, "resolved": 0, "cancelled": 0})
        if call.is_open:
            row["open"] += 1
        elif call.status is CallStatus.RESOLVED:
            row["resolved"] += 1
        else:
            row["cancelled"] += 1
    return dict(sorted(totals.items()))
