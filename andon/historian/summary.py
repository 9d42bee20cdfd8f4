"""The shifts of a report added up: plan vs actual, OEE, the downtime Pareto, MTTA/MTTR.

Sums are of the shift figures (:mod:`andon.simulate.report`); the factors are
recomputed from the summed times by the domain's ``oee`` (availability = Σ run /
Σ planned production time, performance = Σ ideal cycle × count / Σ run, quality =
Σ good / Σ total), never averaged. A shift without any record of the line
(``recorded`` false, :func:`andon.historian.derive.shift_recorded`) is counted in
``shifts`` and left out of every figure. Response times come from
:func:`andon.domain.response.response_times`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from andon.domain.kpi import oee, plan_achievement
from andon.domain.pace_time import PaceTime
from andon.domain.response import CallTimes, ResponseTimes, Spread, response_times


def _spread(s: Spread) -> dict[str, Any]:
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 3)

    return {"count": s.count, "mean_s": r(s.mean_s), "median_s": r(s.median_s), "p90_s": r(s.p90_s)}


def _response(group: str, key: str, times: ResponseTimes) -> dict[str, Any]:
    return {
        group: key,
        "calls": times.calls,
        "acknowledge": _spread(times.acknowledge),
        "repair": _spread(times.repair),
    }


def _times(call: dict[str, Any]) -> CallTimes:
    return CallTimes(call["status"], call["acknowledged_after_s"], call["closed_after_s"])


def _causing_call(stop: dict[str, Any], calls: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The call open when the stop began: one that stopped the line first, else the oldest."""
    start = stop["started_at"]
    open_then = [
        c
        for c in calls
        if c["raised_at"] <= start and (c["closed_at"] is None or c["closed_at"] > start)
    ]
    if not open_then:
        return None
    open_then.sort(key=lambda c: (not c["stopped_line"], c["raised_at"]))
    c = open_then[0]
    return {"call_id": c["call_id"], "type": c["type"], "station": c["station"]}


def summarise(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary of a report's lines (see docs/reports.md)."""
    plan = actual = scrap = total = good = 0.0
    planned_s = run_s = downtime_s = minor_s = net_s = 0.0
    pareto: dict[str, dict[str, Any]] = {}
    calls: dict[tuple[str, str], dict[str, Any]] = {}
    per_shift = []
    pace: dict[str, PaceTime] = {}
    shifts = recorded = 0
    for line in lines:
        for shift in line["shifts"]:
            shifts += 1
            if not shift.get("recorded", True):
                continue  # no record of the line in it: left out of every figure
            recorded += 1
            kpi = shift["kpi"]
            if kpi is not None:
                time = shift["pace"]["time"]
                pace[line["line"]] = pace.get(line["line"], PaceTime()) + PaceTime(**time)
                plan += shift["plan"]
                actual += shift["actual"]
                scrap += shift["scrap"]
                total += kpi["total_count"]
                good += kpi["good_count"]
                planned_s += kpi["planned_production_s"]
                run_s += kpi["run_s"]
                downtime_s += kpi["downtime_s"]
                minor_s += kpi["minor_stop_s"]
                net_s += shift["ideal_cycle_s"] * kpi["total_count"]
                for entry in shift["downtime_by_reason"]:
                    row = pareto.setdefault(
                        entry["reason"],
                        {
                            "reason": entry["reason"],
                            "label": entry["label"],
                            "seconds": 0.0,
                            "minor": entry["minor"],
                            "stops": 0,
                            "calls": [],
                        },
                    )
                    row["seconds"] += entry["seconds"]
                _causes(shift, line["counting_station"], pareto)
            # the board's "calls this shift" (call_totals): closed in it, or open at its end
            per_shift.append(
                {
                    "line": line["line"],
                    "shift": shift["shift"],
                    "start": shift["start"],
                    "calls": len(shift["calls"]),
                }
            )
            for call in shift["calls"]:
                calls[(call["station"], call["call_id"])] = call  # the latest view of it
    factors = oee(planned_s, run_s, net_s / total if total else 0.0, int(total), int(good))
    achievement = plan_achievement(actual, plan)
    rows = sorted(pareto.values(), key=lambda r: (-r["seconds"], r["reason"]))
    lost = sum(r["seconds"] for r in rows)
    for row in rows:
        row["seconds"] = round(row["seconds"], 3)
        row["share"] = round(row["seconds"] / lost, 4) if lost else 0.0
    every = list(calls.values())
    overall = response_times(_times(c) for c in every)
    return {
        "shifts": {"total": shifts, "recorded": recorded, "unrecorded": shifts - recorded},
        "plan": round(plan, 2),
        "actual": int(actual),
        "scrap": int(scrap),
        "difference": round(actual - plan, 2),
        "achievement": None if achievement is None else round(achievement, 4),
        "kpi": {
            "planned_production_s": round(planned_s, 3),
            "downtime_s": round(downtime_s, 3),
            "minor_stop_s": round(minor_s, 3),
            "run_s": round(run_s, 3),
            "total_count": int(total),
            "good_count": int(good),
            # without a recorded shift there is nothing to divide by: no factor at all
            **{
                name: round(getattr(factors, name), 4) if recorded else None
                for name in ("availability", "performance", "quality", "oee")
            },
        },
        "downtime_pareto": rows,
        "pace": {
            "by_line": [{"line": name, **_pace(t)} for name, t in pace.items()],
            "all": _pace(sum(pace.values(), PaceTime())),
        },
        "calls": len(every),
        "calls_per_shift": per_shift,
        "response": {
            "mtta_s": _round(overall.acknowledge.mean_s),
            "mttr_s": _round(overall.repair.mean_s),
            "overall": _response("all", "all", overall),
            "by_type": _grouped(every, "type"),
            "by_station": _grouped(every, "station"),
            "by_line": _grouped(every, "line"),
        },
    }


def _pace(time: PaceTime) -> dict[str, Any]:
    """Working seconds by pace judgement and their shares (:mod:`andon.domain.pace_time`)."""
    return {
        "seconds": {k: round(v, 3) for k, v in time.seconds().items()},
        "share": {k: None if v is None else round(v, 4) for k, v in time.shares().items()},
    }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def _grouped(calls: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        # "line-a/a1" → "line-a"; across sites "plant-north/line-a/a1" → "plant-north/line-a"
        value = call["station"].rsplit("/", 1)[0] if key == "line" else call[key]
        groups[value].append(call)
    return [
        _response(key, name, response_times(_times(c) for c in members))
        for name, members in sorted(groups.items())
    ]


def _causes(shift: dict[str, Any], counting: str | None, pareto: dict[str, dict[str, Any]]) -> None:
    """Count the line's stops per Pareto reason, with the calls that caused them (a
    symptom booked under another stop's cause is not counted again)."""
    labels = {e["reason"]: e for e in shift["downtime_by_reason"]}
    for stop in shift["stops"]:
        if stop.get("explained_by"):
            continue
        key = stop["reason_key"]
        if key not in labels:
            continue
        row = pareto[key]
        row["stops"] += 1
        cause = _causing_call(stop, shift["calls"])
        if cause is not None and cause not in row["calls"]:
            row["calls"].append(cause)
