"""The shift report of a simulation, per line and shift, as plain data (``--report json``).

Plan, actual, hours, KPIs and the Pareto come from the line's counting station
(the line's output, as on the progress board); calls, line stops, relay periods
and stops come from every station of the line. Instants are plant local time
with their UTC offset; durations are seconds. The keys are listed in
``docs/simulate.md``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, tzinfo
from typing import Any

from andon.domain import events as ev
from andon.domain.attribution import MINOR, StationStop
from andon.domain.calls import Call
from andon.domain.hourly import HourRow
from andon.domain.pace_time import pace_time
from andon.domain.station_state import StationState
from andon.i18n.markers import N_
from andon.simulate.figures import line_shift_figures, shift_figures, shift_state
from andon.simulate.report_stops import (
    line_stop_periods,
    line_stops,
    relay_periods,
    stop_records,
)
from andon.simulate.report_time import instant, seconds
from andon.simulate.runner import Checkpoint, SimulationRun

REPORT_FORMAT = "andon-simulation-report/1"
MINOR_LABEL = N_("Stops shorter than the minor-stop threshold (performance loss)")
"""The label of the Pareto entry of the minor stops, in English (the text report writes it
in the reader's language)."""


def build_report(run: SimulationRun) -> dict[str, Any]:
    """The whole report of a finished run."""
    scenario = run.scenario
    zone = scenario.zone
    lines: dict[str, list[str]] = defaultdict(list)
    for key, station in scenario.stations.items():
        lines[station.line].append(key)
    return {
        "report": REPORT_FORMAT,
        "scenario": {
            "name": scenario.name,
            "file": str(scenario.file),
            "description": scenario.description,
            "start": instant(scenario.start, zone),
            "end": instant(scenario.end, zone),
            "timezone": str(zone),
            "tick_s": scenario.tick_s,
            "stations": list(scenario.stations),
        },
        "run": {
            "simulated_s": run.simulated_s,
            "wall_s": round(run.wall_s, 3),
            "speed": round(run.speed, 1),
            "journal_dir": str(run.journal_dir) if run.journal_dir else None,
        },
        "production": [
            {"block": t.index, "station": t.station, "pulses": t.pulses, "paused": t.paused}
            for t in run.production
        ],
        "lines": [_line(run, line, keys) for line, keys in lines.items()],
        "refused": [
            {"at": instant(r.at, zone), "station": r.station, "input": r.what, "reason": r.reason}
            for r in run.refusals
        ],
    }


def _line(run: SimulationRun, line: str, keys: list[str]) -> dict[str, Any]:
    stations = run.scenario.stations
    plant = stations[keys[0]].config.plant_config
    config = plant.line(line)
    counting = next((k for k in keys if stations[k].config.counts), None)
    return {
        "line": line,
        "name": config.name,
        "stations": keys,
        "counting_station": counting,
        "shifts": [_shift(run, keys, counting, cp) for cp in run.checkpoints],
    }


def _shift(
    run: SimulationRun, keys: list[str], counting: str | None, checkpoint: Checkpoint
) -> dict[str, Any]:
    zone = run.scenario.zone
    window, until = checkpoint.window, min(checkpoint.until, checkpoint.window.end)
    states = {k: shift_state(checkpoint.states[k], window) for k in keys}
    out: dict[str, Any] = {
        "shift": window.shift.name,
        "start": instant(window.start, zone),
        "end": instant(window.end, zone),
        "until": instant(until, zone),
        "counting_station": counting,
    }
    in_window = _events_between(run, keys, window.start, until)
    so_far = _events_between(run, keys, run.scenario.start, until)
    if counting is not None:
        every_stop = line_stops(states, until)
        out.update(production(states[counting], checkpoint, in_window[counting], zone, every_stop))
    else:
        out.update(plan=None, actual=None, pace=None, hours=[], kpi=None, downtime_by_reason=[])
    station_calls = sorted(
        ((key, call) for key in keys for call in states[key].calls.values()),
        key=lambda kc: (kc[1].raised_at, kc[1].call_id),
    )
    calls = [call_record(k, c, states[k], so_far[k], until, zone) for k, c in station_calls]
    out["calls"] = calls
    out["material_lead_times"] = lead_times(calls)
    out["line_stops"] = line_stop_periods(keys, in_window, until, zone)
    out["relay"] = relay_periods(run.relay, keys, window.start, until, zone)
    out["stops"] = stop_records(states, window.start, until, zone)
    return out


def _events_between(
    run: SimulationRun, keys: list[str], start: datetime, until: datetime
) -> dict[str, list[ev.Event]]:
    return {
        k: [j.event for j in run.events.get(k, []) if start <= j.event.at <= until] for k in keys
    }


def production(
    state: StationState,
    checkpoint: Checkpoint,
    events: list[ev.Event],
    zone: tzinfo,
    stops: list[StationStop] | None = None,
) -> dict[str, Any]:
    """Plan, actual, pace and hours of the counting station; KPIs and the Pareto of the line.

    ``stops``: every station's stops (:func:`line_stops`); without them, the
    counting station's own.
    """
    figures = shift_figures(state, checkpoint.window, checkpoint.until)
    rules = figures.state.rules
    if stops is None:
        stops = [StationStop(rules.station, s) for s in figures.state.stops]
    line = line_shift_figures(figures, stops)
    achievement = line.achievement
    changes = [e for e in events if isinstance(e, ev.PaceChanged)]
    kpi = line.kpi
    time = pace_time(
        rules, checkpoint.window, figures.until, [(e.at, e.pace) for e in changes]
    ).seconds()
    return {
        "takt_s": rules.takt_s,
        "ideal_cycle_s": rules.ideal_cycle_s,
        "plan": round(line.planned, 2),
        "actual": line.good,
        "scrap": line.scrap,
        "total": line.total,
        "difference": round(line.good - line.planned, 2),
        "achievement": None if achievement is None else round(achievement, 4),
        "pace": {
            "final": figures.state.pace.value,
            "changes": [
                {
                    "at": instant(e.at, zone),
                    "from": e.previous,
                    "to": e.pace,
                    "actual": e.actual,
                    "planned": e.planned,
                }
                for e in changes
            ],
            "time": {f"{k}_s": round(v, 3) for k, v in time.items()},
        },
        "hours": [_hour(row, zone) for row in figures.hours if row.start < figures.until],
        "downtime_by_reason": [
            {
                "reason": loss.key,
                "label": _reason_label(rules.reasons, loss.key),
                "seconds": round(loss.seconds, 3),
                "minor": loss.minor,
            }
            for loss in line.pareto
        ],
        "kpi": {
            "planned_production_s": round(line.planned_production_s, 3),
            "downtime_s": round(line.downtime_s, 3),
            "minor_stop_s": round(line.minor_stop_s, 3),
            "run_s": round(line.run_s, 3),
            "total_count": line.total,
            "good_count": line.good,
            "availability": None if kpi is None else round(kpi.availability, 4),
            "performance": None if kpi is None else round(kpi.performance, 4),
            "quality": None if kpi is None else round(kpi.quality, 4),
            "oee": None if kpi is None else round(kpi.oee, 4),
        },
    }


def _reason_label(reasons: Any, key: str) -> str:
    """A Pareto entry's label in English: the reason's, the minor stops' or, for the stops
    still without a reason, the key itself (``line stop: reason missing``)."""
    reason = reasons.get(key)
    if reason is not None:
        return str(reason.label)
    return MINOR_LABEL if key == MINOR else key


def _hour(row: HourRow, zone: tzinfo) -> dict[str, Any]:
    variance = row.variance
    return {
        "start": instant(row.start, zone),
        "end": instant(row.end, zone),
        "plan": round(row.planned, 2),
        "actual": row.actual,
        "difference": round(row.difference, 2),
        "variance": None if variance is None else round(variance, 4),
        "complete": row.complete,
        "unexplained": row.unexplained,
        "cause": None
        if row.cause is None
        else {"reason": row.cause.reason, "note": row.cause.note, "by": row.cause.by},
    }


def call_record(
    station: str,
    call: Call,
    state: StationState,
    events: list[ev.Event],
    until: datetime,
    zone: tzinfo,
) -> dict[str, Any]:
    escalations = [
        e for e in events if isinstance(e, ev.CallEscalated) and e.call_id == call.call_id
    ]
    reason = state.rules.reasons.get(call.reason)
    return {
        "call_id": call.call_id,
        "station": station,
        "type": call.call_type,
        "part": call.part,
        "express": call.express,
        "source": call.source,
        "raised_by": call.raised_by,
        "raised_at": instant(call.raised_at, zone),
        "status": call.status.value,
        "acknowledged_at": instant(call.acknowledged_at, zone),
        "acknowledged_after_s": seconds(call.raised_at, call.acknowledged_at),
        "acknowledged_by": call.acknowledged_by,
        "closed_at": instant(call.closed_at, zone),
        "closed_after_s": seconds(call.raised_at, call.closed_at),
        "closed_by": call.closed_by,
        "open_for_s": None if call.closed_at else seconds(call.raised_at, until),
        "reason": call.reason,
        "reason_label": reason.label if reason else "",
        "note": call.note,
        "level": call.level,
        "escalations": [
            {
                "level": e.level,
                "at": instant(e.at, zone),
                "after_s": seconds(call.raised_at, e.at),
                "roles": list(e.roles),
                "while": e.condition,
            }
            for e in escalations
        ],
        "stopped_line": call.stopped_line,
    }


def lead_times(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replenishment lead time of every served material call, per part."""
    by_part: dict[str, list[float]] = defaultdict(list)
    for call in calls:
        if call["type"] == "material" and call["status"] == "resolved":
            by_part[call["part"]].append(call["closed_after_s"])
    return [
        {
            "part": part,
            "calls": len(times),
            "lead_times_s": times,
            "mean_s": round(sum(times) / len(times), 3),
            "max_s": max(times),
        }
        for part, times in sorted(by_part.items())
    ]


__all__ = [
    "REPORT_FORMAT",
    "build_report",
    "call_record",
    "lead_times",
    "production",
]
