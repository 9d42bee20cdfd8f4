"""A report as one self-contained HTML file: inline CSS and SVG charts, no script, no network.

The charts are drawn here as plain SVG (bars for the Pareto and the hourly table):
a chart library would have to be inlined into every file, and these two chart
kinds need a few lines each. The file prints as it shows.
"""

from __future__ import annotations

from html import escape
from typing import Any

from andon.historian.render import (
    HOUR_HEADERS,
    PARETO_HEADERS,
    RESPONSE_HEADERS,
    hour_rows,
    pareto_rows,
    response_rows,
    summary_rows,
)

STYLE = """
body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #bbb;padding:.2em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}
svg text{font-size:11px;font-family:sans-serif}
"""


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def bar_chart(labels: list[str], values: list[float], title: str, unit: str) -> str:
    """Horizontal bars, one per label, with the value written beside each."""
    if not values:
        return ""
    top = max(values) or 1.0
    row_h, label_w, bar_w = 20, 260, 360
    height = row_h * len(values) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 80}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">'
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * row_h
        width = bar_w * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(label[:40])}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{width:.1f}" height="{row_h - 6}" '
            'fill="#c0392b"/>'
        )
        parts.append(
            f'<text x="{label_w + width + 4:.1f}" y="{y + 13}">{value:.1f} {escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def hour_chart(shift: dict[str, Any]) -> str:
    """Plan (outline) and actual (filled) per hour of a shift."""
    hours = shift["hours"]
    if not hours:
        return ""
    top = max(max(h["plan"], h["actual"]) for h in hours) or 1.0
    col_w, chart_h = 48, 140
    width = col_w * len(hours) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{chart_h + 30}" '
        'role="img" aria-label="plan and actual per hour">'
    ]
    for i, h in enumerate(hours):
        x = 10 + i * col_w
        plan_h = chart_h * h["plan"] / top
        actual_h = chart_h * h["actual"] / top
        colour = "#c0392b" if h["unexplained"] else "#27ae60"
        parts.append(
            f'<rect x="{x + 6}" y="{chart_h - actual_h:.1f}" width="{col_w - 16}" '
            f'height="{actual_h:.1f}" fill="{colour}"/>'
        )
        parts.append(
            f'<rect x="{x + 2}" y="{chart_h - plan_h:.1f}" width="{col_w - 8}" '
            f'height="{plan_h:.1f}" fill="none" stroke="#222" stroke-dasharray="3,2"/>'
        )
        parts.append(
            f'<text x="{x + col_w / 2 - 4}" y="{chart_h + 14}" text-anchor="middle">'
            f"{escape(h['start'][11:16])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: dict[str, Any]) -> str:
    p, scope, summary = report["period"], report["scope"], report["summary"]
    title = f"andon report: {scope['kind']} {scope['id']}, {p['kind']} {p['start']} to {p['end']}"
    body = [f"<h1>{escape(title)}</h1>"]
    headers = ["figure", "this period"]
    rows = summary_rows(summary)
    if "previous" in report:
        headers.append("previous period")
        prior = summary_rows(report["previous"]["summary"])
        rows = [[*r, q[1]] for r, q in zip(rows, prior, strict=True)]
    body.append(_table(headers, rows))
    body.append("<h2>Downtime by reason (Pareto)</h2>")
    pareto = summary["downtime_pareto"]
    body.append(
        bar_chart(
            [r["label"] or r["reason"] for r in pareto],
            [r["seconds"] / 60 for r in pareto],
            "downtime Pareto",
            "min",
        )
    )
    body.append(_table(PARETO_HEADERS, pareto_rows(summary)))
    body.append("<h2>Response and repair times (minutes)</h2>")
    body.append(_table(RESPONSE_HEADERS, response_rows(summary)))
    for line in report["lines"]:
        for shift in line["shifts"]:
            if shift["hours"]:
                heading = f"Hourly table: {line['line']}, {shift['shift']} {shift['start'][:10]}"
                body.append(f"<h2>{escape(heading)}</h2>")
                body.append(hour_chart(shift))
                body.append(_table(HOUR_HEADERS, hour_rows(shift)))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
