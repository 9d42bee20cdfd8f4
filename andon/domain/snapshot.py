"""The station's state as people see it at an instant: plan, pace, calls, KPIs, hours.

``snapshot(state, now)`` is what the station publishes as its retained
``state`` message; it is computed, never stored. Its size is bounded: what is
open now and a summary of the shift (:mod:`andon.domain.summary`), never the
shift's closed calls (those are in the event stream). So is its cost: the closed
calls and stops are summed as they close, not at each publish.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from andon.domain.calendar import ShiftWindow
from andon.domain.calls import Call, CallStatus
from andon.domain.commands import reason_required
from andon.domain.events import format_instant
from andon.domain.hourly import HourRow
from andon.domain.kpi import oee, plan_achievement
from andon.domain.orders import order_planned, planned_now
from andon.domain.pace import is_judged
from andon.domain.state import roll_shift
from andon.domain.station_queries import hours_of
from andon.domain.station_state import CHANGEOVER, StationState
from andon.domain.summary import (
    call_totals,
    downtime_by_reason,
    listed_stops,
    material_lead_times,
    open_stop_facts,
    shift_downtime,
)


def signals(state: StationState, now: datetime) -> frozenset[str]:
    """The station's active lamp signals (the vocabulary of the lamp rules)."""
    state = roll_shift(state, now)
    calendar = state.rules.calendar
    out: set[str] = set()
    if state.line_stopped:
        out.add("line_stopped")
    if state.fault:
        out.add("fault")
    if state.downstream_full:
        out.add("blocked")
    for call in state.open_calls:
        if call.status is CallStatus.RAISED:
            out.add(f"call.{call.call_type}")
        else:
            out.add(f"call.{call.call_type}.acknowledged")
    if state.rules.counts and state.pace.value != "normal":
        out.add(state.pace.value)
    if calendar.shift_at(now) is None:
        out.add("no_shift")
    elif (
        not calendar.is_working(now)
        or state.open_stop("no_count") is not None
        or state.open_stop(CHANGEOVER) is not None
    ):
        out.add("idle")
    else:
        out.add("running")
    return frozenset(out)


def call_view(state: StationState, call: Call, now: datetime) -> dict[str, Any]:
    """One call as shown on boards."""
    return {
        "call_id": call.call_id,
        "type": call.call_type,
        "status": call.status.value,
        "raised_at": format_instant(call.raised_at),
        "source": call.source,
        "raised_by": call.raised_by,
        "part": call.part,
        "express": call.express,
        "acknowledged_at": _instant(call.acknowledged_at),
        "acknowledged_by": call.acknowledged_by,
        "closed_at": _instant(call.closed_at),
        "closed_by": call.closed_by,
        "reason": call.reason,
        "note": call.note,
        "level": call.level,
        "elapsed_s": round(call.elapsed_s(now), 1),
        "reason_required": call.is_open and reason_required(state, call, now),
        "stopped_line": call.stopped_line,
        "notes": [{"at": format_instant(n.at), "by": n.by, "text": n.text} for n in call.notes],
    }


def _instant(t: datetime | None) -> str | None:
    return format_instant(t) if t is not None else None


def hour_view(row: HourRow) -> dict[str, Any]:
    """One row of the hourly performance table."""
    return {
        "start": format_instant(row.start),
        "end": format_instant(row.end),
        "planned": round(row.planned, 2),
        "actual": row.actual,
        "difference": round(row.difference, 2),
        "variance": None if row.variance is None else round(row.variance, 4),
        "complete": row.complete,
        "unexplained": row.unexplained,
        "cause": None
        if row.cause is None
        else {"reason": row.cause.reason, "note": row.cause.note, "by": row.cause.by},
    }


def order_view(state: StationState, window: ShiftWindow, now: datetime) -> dict[str, Any] | None:
    """The order the line is making: its plan so far and the good units made of it."""
    rules = state.rules
    if not rules.orders or not 0 <= state.order_index < len(rules.orders):
        return None
    order = rules.orders[state.order_index]
    planned = order_planned(rules, window, state.order_index, min(now, window.end))
    return {
        "index": state.order_index,
        "product": order.product,
        "quantity": order.quantity,
        "takt_s": order.takt(rules.takt_s),
        "planned": round(planned, 2),
        "done": state.order_good,
    }


def snapshot(state: StationState, now: datetime) -> dict[str, Any]:
    """Everything a board shows about one station at ``now``."""
    state = roll_shift(state, now)
    rules = state.rules
    calendar = rules.calendar
    window = calendar.shift_at(now)
    if window is None and state.shift_start is not None:
        window = calendar.shift_at(state.shift_start)
    view: dict[str, Any] = {
        "at": format_instant(now),
        "line": rules.line,
        "station": rules.station,
        "counts": rules.counts,
        "takt_s": rules.takt_s,
        "in_shift": calendar.shift_at(now) is not None,
        "working": calendar.is_working(now),
        "shift": None,
        "good": state.good,
        "scrap": state.scrap,
        "planned": 0.0,
        "difference": 0.0,
        "achievement": None,
        "pace": state.pace.value if rules.counts else None,
        "line_stopped": state.line_stopped,
        "line_stop_causes": sorted(state.line_stop_causes),
        "fault": state.fault,
        "blocked": state.downstream_full,
        "downstream_quantity": state.downstream_quantity,
        "bins_empty": sorted(state.bins_empty),
        "open_calls": [call_view(state, c, now) for c in state.open_calls],
        "call_totals": call_totals(state),
        "history_seq": state.history_seq,
        "hours": [],
        "order": None,
        "stops": [],
        "stops_waiting": 0,
        "downtime_by_reason": [],
        "material_lead_times": material_lead_times(state),
        "kpi": None,
        "signals": sorted(signals(state, now)),
        "rejected_scans": state.rejected_scans,
        "rejected_counts": state.rejected_counts,
        "clock_jumps": state.clock_jumps,
        "seq": state.last_seq,
    }
    if window is None:
        return view
    end = min(now, window.end)
    planned = planned_now(rules, window, end)
    achievement = plan_achievement(state.good, planned)
    view.update(
        shift={
            "name": window.shift.name,
            "start": format_instant(window.start),
            "end": format_instant(window.end),
        },
        planned=round(planned, 2),
        difference=round(state.good - planned, 2),
        achievement=None if achievement is None else round(achievement, 4),
        hours=[hour_view(r) for r in hours_of(state, window, now)],
        order=order_view(state, window, now),
    )
    if not is_judged(planned, calendar.working_seconds(window.start, end), rules.pace):
        view["pace"] = None  # "NOT JUDGED", not "on plan"
    opened = open_stop_facts(state, now)
    split = shift_downtime(state, (window.start, end), now, opened)
    planned_s = calendar.working_seconds(window.start, end)
    run_s = max(0.0, planned_s - split.downtime_s)
    kpi = oee(planned_s, run_s, rules.ideal_cycle_s, state.good + state.scrap, state.good)
    view["kpi"] = {
        "planned_production_s": round(planned_s, 1),
        "downtime_s": round(split.downtime_s, 1),
        "minor_stop_s": round(split.minor_s, 1),
        "run_s": round(run_s, 1),
        "availability": round(kpi.availability, 4),
        "performance": round(kpi.performance, 4),
        "quality": round(kpi.quality, 4),
        "oee": round(kpi.oee, 4),
    }
    view["stops"], view["stops_waiting"] = listed_stops(state, now, opened)
    view["downtime_by_reason"] = downtime_by_reason(state.summed, opened)
    return view
