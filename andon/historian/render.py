"""A report as a terminal table, CSV or JSON (HTML: :mod:`andon.historian.html`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return render_csv(report)
    if fmt == "html":
        from andon.historian.html import render_html

        return render_html(report)
    return render_table(report)


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def summary_rows(summary: dict[str, Any]) -> list[list[str]]:
    k = summary["kpi"]
    return [
        ["plan", f"{summary['plan']:.1f}"],
        ["actual (good)", str(summary["actual"])],
        ["difference", f"{summary['difference']:+.1f}"],
        ["plan achievement", pct(summary["achievement"])],
        ["scrap", str(summary["scrap"])],
        ["availability (A)", pct(k["availability"])],
        ["performance (P)", pct(k["performance"])],
        ["quality (Q)", pct(k["quality"])],
        ["OEE = A x P x Q", pct(k["oee"])],
        ["planned production (min)", minutes(k["planned_production_s"])],
        ["downtime (min)", minutes(k["downtime_s"])],
        ["minor stops (min)", minutes(k["minor_stop_s"])],
        ["calls", str(summary["calls"])],
        ["MTTA (min)", minutes(summary["response"]["mtta_s"])],
        ["MTTR (min)", minutes(summary["response"]["mttr_s"])],
    ]


def response_rows(summary: dict[str, Any]) -> list[list[str]]:
    rows = []
    for group in ("by_type", "by_station", "by_line"):
        for entry in summary["response"][group]:
            name = entry[group.removeprefix("by_")]
            a, r = entry["acknowledge"], entry["repair"]
            rows.append(
                [
                    group.removeprefix("by_"),
                    name,
                    str(entry["calls"]),
                    minutes(a["mean_s"]),
                    minutes(a["median_s"]),
                    minutes(a["p90_s"]),
                    minutes(r["mean_s"]),
                    minutes(r["median_s"]),
                    minutes(r["p90_s"]),
                ]
            )
    return rows


RESPONSE_HEADERS = ["by", "", "calls", "MTTA mean", "median", "p90", "MTTR mean", "median", "p90"]
PARETO_HEADERS = ["reason", "min", "share", "stops", "causing calls"]
HOUR_HEADERS = ["hour", "plan", "actual", "diff", "variance", "cause"]


def pareto_rows(summary: dict[str, Any]) -> list[list[str]]:
    return [
        [
            row["label"] or row["reason"],
            minutes(row["seconds"]),
            pct(row["share"]),
            str(row["stops"]),
            ", ".join(f"{c['call_id']} ({c['type']})" for c in row["calls"]),
        ]
        for row in summary["downtime_pareto"]
    ]


def hour_rows(shift: dict[str, Any]) -> list[list[str]]:
    rows = []
    for h in shift["hours"]:
        cause = h["cause"]["reason"] if h["cause"] else ("unexplained" if h["unexplained"] else "")
        rows.append(
            [
                f"{h['start'][11:16]}-{h['end'][11:16]}",
                f"{h['plan']:.1f}",
                str(h["actual"]),
                f"{h['difference']:+.1f}",
                pct(h["variance"]),
                cause,
            ]
        )
    return rows


def render_table(report: dict[str, Any]) -> str:
    p = report["period"]
    scope = report["scope"]
    out = [
        f"andon report: {scope['kind']} {scope['id']}, {p['kind']} {p['start']} to {p['end']}",
        "",
    ]
    headers = ["figure", "this period"]
    rows = summary_rows(report["summary"])
    if "previous" in report:
        prior = summary_rows(report["previous"]["summary"])
        headers.append(f"previous ({report['previous']['period']['start'][:16]})")
        rows = [[*r, q[1]] for r, q in zip(rows, prior, strict=True)]
    out += _table(headers, rows)
    out += ["", "Downtime by reason (Pareto)"]
    out += _table(PARETO_HEADERS, pareto_rows(report["summary"])) or []
    out += ["", "Response and repair times (minutes)"]
    out += _table(RESPONSE_HEADERS, response_rows(report["summary"]))
    out += ["", "Calls per shift"]
    out += _table(
        ["line", "shift", "start", "calls"],
        [
            [c["line"], c["shift"], c["start"][:16], str(c["calls"])]
            for c in report["summary"]["calls_per_shift"]
        ],
    )
    if p["kind"] in ("shift", "day"):
        for line in report["lines"]:
            for shift in line["shifts"]:
                if shift["hours"]:
                    out += [
                        "",
                        f"Hourly table: {line['line']}, {shift['shift']} {shift['start'][:10]}",
                    ]
                    out += _table(HOUR_HEADERS, hour_rows(shift))
    if "changes" in report:
        out += ["", "Largest changes against the previous period"]
        out += _table(
            ["figure", "now", "before", "change"],
            [
                [c["figure"], _num(c["now"]), _num(c["before"]), pct(c["relative"])]
                for c in report["changes"][:5]
            ],
        )
    return "\n".join(out) + "\n"


def _num(value: float) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def render_csv(report: dict[str, Any]) -> str:
    """One row per line and shift: the figures a spreadsheet sums and charts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "line",
            "shift",
            "start",
            "end",
            "plan",
            "actual",
            "scrap",
            "achievement",
            "availability",
            "performance",
            "quality",
            "oee",
            "planned_production_s",
            "downtime_s",
            "minor_stop_s",
            "calls",
        ]
    )
    for line in report["lines"]:
        for s in line["shifts"]:
            k = s["kpi"] or {}
            writer.writerow(
                [
                    line["line"],
                    s["shift"],
                    s["start"],
                    s["end"],
                    s["plan"],
                    s["actual"],
                    s.get("scrap"),
                    s.get("achievement"),
                    k.get("availability"),
                    k.get("performance"),
                    k.get("quality"),
                    k.get("oee"),
                    k.get("planned_production_s"),
                    k.get("downtime_s"),
                    k.get("minor_stop_s"),
                    len(s["calls"]),
                ]
            )
    return buffer.getvalue()
