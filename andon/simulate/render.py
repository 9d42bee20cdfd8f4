"""The shift report as text, from the report data of :func:`andon.simulate.report.build_report`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any


def clock(text: str | None) -> str:
    """The plant wall time of a report instant (``HH:MM:SS``, with milliseconds if any)."""
    if text is None:
        return "-"
    return datetime.fromisoformat(text).time().isoformat()


def duration(value: float | None) -> str:
    """Seconds as ``40 s``, ``3 min 00 s`` or ``1 h 02 min``."""
    if value is None:
        return "-"
    if abs(value) < 60:
        return f"{value:g} s"
    whole = round(value)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], indent: str = "  ") -> list[str]:
    """Left-aligned columns (numbers right-aligned)."""
    body = [[str(cell) for cell in row] for row in rows]
    if not body:
        return [f"{indent}(none)"]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(headers)]
    numeric = [all(_numeric(r[i]) for r in body) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = [
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True)
        ]
        return (indent + "  ".join(out)).rstrip()

    return [line(headers), *(line(r) for r in body)]


def _numeric(text: str) -> bool:
    return text.replace(".", "", 1).replace("-", "", 1).replace(" %", "").isdigit()


def render_text(report: dict[str, Any]) -> str:
    """The whole report for a terminal."""
    scenario, run = report["scenario"], report["run"]
    out = [
        f"Scenario: {scenario['name']} ({scenario['file']})",
        f"Simulated {scenario['start']} to {scenario['end']} ({scenario['timezone']}): "
        f"{duration(run['simulated_s'])} in {run['wall_s']:.2f} s ({run['speed']:,.0f}x)",
    ]
    if run.get("journal_dir"):
        out.append(f"Journals: {run['journal_dir']}")
    for line in report["lines"]:
        for shift in line["shifts"]:
            out += ["", *_shift(line, shift)]
    if report["refused"]:
        out += ["", "Refused inputs"]
        out += table(
            ["at", "station", "input", "reason"],
            [(clock(r["at"]), r["station"], r["input"], r["reason"]) for r in report["refused"]],
        )
    return "\n".join(out) + "\n"


def _shift(line: dict[str, Any], shift: dict[str, Any]) -> list[str]:
    title = (
        f"== {line['line']} ({line['name']}) - shift {shift['shift']} "
        f"{clock(shift['start'])}-{clock(shift['end'])}"
    )
    if shift["until"] != shift["end"]:
        title += f", until {clock(shift['until'])}"
    out = [title + " =="]
    if shift["counting_station"] is None:
        out.append("No counting station on this line in the scenario: no plan or KPIs.")
    else:
        out += _production(shift)
    out += ["", "Calls"]
    out += table(
        [
            "call",
            "station",
            "type",
            "raised",
            "ack after",
            "by",
            "closed after",
            "by",
            "status",
            "reason",
            "levels",
        ],
        [
            (
                c["call_id"],
                c["station"],
                c["type"] + (f" {c['part']}" if c["part"] else ""),
                clock(c["raised_at"]),
                duration(c["acknowledged_after_s"]),
                c["acknowledged_by"] or "-",
                duration(c["closed_after_s"]),
                c["closed_by"] or "-",
                c["status"],
                c["reason"] or "-",
                ", ".join(f"{e['level']}@{clock(e['at'])}" for e in c["escalations"]) or "-",
            )
            for c in shift["calls"]
        ],
    )
    if shift["material_lead_times"]:
        out += ["", "Material lead times"]
        out += table(
            ["part", "calls", "mean", "max"],
            [
                (m["part"], m["calls"], duration(m["mean_s"]), duration(m["max_s"]))
                for m in shift["material_lead_times"]
            ],
        )
    out += ["", "Line stops (from the journals)"]
    out += table(
        ["station", "cause", "call", "stopped", "released", "for"],
        [
            (
                s["station"],
                s["cause"],
                s["call_id"] or "-",
                clock(s["stopped_at"]),
                clock(s["released_at"]),
                duration(s["duration_s"]),
            )
            for s in shift["line_stops"]
        ],
    )
    out += ["", "Line-stop relay (read from the simulated pins)"]
    out += table(
        ["station", "relay set", "released", "for"],
        [
            (r["station"], clock(r["set_at"]), clock(r["released_at"]), duration(r["duration_s"]))
            for r in shift["relay"]
        ],
    )
    out += ["", "Stops"]
    out += table(
        ["stop", "station", "source", "from", "to", "working time", "class", "reason"],
        [
            (
                s["stop_id"],
                s["station"],
                s["source"],
                clock(s["started_at"]),
                clock(s["ended_at"]),
                duration(s["duration_s"]),
                s["class"],
                s["reason"] or "-",
            )
            for s in shift["stops"]
        ],
    )
    return out


def _production(shift: dict[str, Any]) -> list[str]:
    kpi = shift["kpi"]
    pace = shift["pace"]
    out = [
        f"Counted at {shift['counting_station']}; takt {shift['takt_s']:g} s, "
        f"ideal cycle {shift['ideal_cycle_s']:g} s",
        f"Plan {shift['plan']:g}   Actual {shift['actual']} good + {shift['scrap']} scrap   "
        f"Difference {shift['difference']:+g}   Achievement {percent(shift['achievement'])}",
        "",
        f"Pace timeline (final: {pace['final']})",
    ]
    out += table(
        ["at", "from", "to", "actual", "planned"],
        [
            (clock(p["at"]), p["from"], p["to"], p["actual"], f"{p['planned']:g}")
            for p in pace["changes"]
        ],
    )
    out += ["", "Hourly table"]
    out += table(
        ["hour", "plan", "actual", "difference", "variance", "unexplained", "cause"],
        [
            (
                f"{clock(h['start'])[:5]}-{clock(h['end'])[:5]}",
                f"{h['plan']:.2f}",
                h["actual"],
                f"{h['difference']:+.2f}",
                percent(h["variance"]),
                "yes" if h["unexplained"] else "-",
                _cause(h["cause"]),
            )
            for h in shift["hours"]
        ],
    )
    out += ["", "Downtime by reason (Pareto; each second counted once)"]
    out += table(
        ["reason", "label", "time"],
        [(d["reason"], d["label"], duration(d["seconds"])) for d in shift["downtime_by_reason"]],
    )
    out += [
        "",
        f"Planned production time {duration(kpi['planned_production_s'])} "
        f"({kpi['planned_production_s']:g} s), downtime {kpi['downtime_s']:g} s, "
        f"minor stops {kpi['minor_stop_s']:g} s, run time {kpi['run_s']:g} s",
        f"Availability {percent(kpi['availability'])}   Performance {percent(kpi['performance'])}"
        f"   Quality {percent(kpi['quality'])}   OEE {percent(kpi['oee'])}",
    ]
    return out


def _cause(cause: dict[str, Any] | None) -> str:
    if cause is None:
        return "-"
    text = cause["reason"]
    details = ", ".join(x for x in (cause["note"], cause["by"]) if x)
    return f"{text} ({details})" if details else text
