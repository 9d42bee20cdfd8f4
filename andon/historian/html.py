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
    PACE_HEADERS,
    PACE_TITLE,
    PARETO_HEADERS,
    RESPONSE_HEADERS,
    comparison,
    headers,
    hour_rows,
    hourly_heading,
    pace_rows,
    pareto_rows,
    response_rows,
    unrecorded_notes,
)
from andon.historian.words import ReportWords
from andon.i18n.fonts import font_stack, html_lang
from andon.i18n.width import fit

STYLE = """
body{{font-family:{fonts};margin:2em;color:#222}}
table{{border-collapse:collapse;margin:.5em 0 1.5em}}
td,th{{border:1px solid #bbb;padding:.2em .6em;text-align:right}}
td:first-child,th:first-child{{text-align:left}}
h1{{font-size:1.4em}}h2{{font-size:1.1em;margin-top:1.5em}}
svg text{{font-size:11px;font-family:{fonts}}}
svg{{max-width:100%;height:auto}}
.wide{{overflow-x:auto;max-width:100%}}
@media (max-width:40em){{body{{margin:.6em}}td,th{{padding:.2em .3em}}table{{font-size:.85em}}
table.cards,.cards tr,.cards td{{display:block}}.cards tr:first-child{{display:none}}
.cards tr{{border:1px solid #bbb;margin-bottom:.5em}}.cards td{{border:0}}
.cards td:first-child{{font-weight:bold;background:#eee}}
.cards td:not(:first-child)::before{{content:attr(data-label);float:left;padding-right:1em}}}}
"""
"""On a phone the margins and cells narrow and the charts scale to the screen's width; a
table of ``cards`` becomes one card per row, any other table wider than the screen
scrolls by itself (``.wide``): the page never scrolls sideways."""


def html_table(headers: list[str], rows: list[list[str]], cards: bool = False) -> str:
    """A table of escaped text: one header row, then ``rows`` (a site report uses it too).

    ``cards``: on a phone each row is a card, its first cell the heading and every other
    cell on a line of its own after its column's header (``data-label``).
    """
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    if cards:
        body = "".join(
            "<tr>"
            + "".join(
                f'<td data-label="{escape(h)}">{escape(c)}</td>'
                for h, c in zip(headers, r, strict=True)
            )
            + "</tr>"
            for r in rows
        )
        return f'<div class="wide"><table class="cards"><tr>{head}</tr>{body}</table></div>'
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<div class="wide"><table><tr>{head}</tr>{body}</table></div>'


def bar_chart(labels: list[str], values: list[float], title: str, shown: list[str]) -> str:
    """Horizontal bars, one per label, with its ``shown`` value written beside each."""
    if not values:
        return ""
    top = max(values) or 1.0
    row_h, label_w, bar_w = 20, 260, 360
    height = row_h * len(values) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 80}" '
        f'height="{height}" viewBox="0 0 {label_w + bar_w + 80} {height}" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        y = 5 + i * row_h
        width = bar_w * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
            f"{escape(fit(label, 40))}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{width:.1f}" height="{row_h - 6}" '
            'fill="#c0392b"/>'
        )
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 13}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def hour_chart(shift: dict[str, Any], label: str) -> str:
    """Plan (outline) and actual (filled) per hour of a shift."""
    hours = shift["hours"]
    if not hours:
        return ""
    top = max(max(h["plan"], h["actual"]) for h in hours) or 1.0
    col_w, chart_h = 48, 140
    width = col_w * len(hours) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{chart_h + 30}" '
        f'viewBox="0 0 {width} {chart_h + 30}" role="img" aria-label="{escape(label)}">'
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


def render_html(report: dict[str, Any], w: ReportWords | None = None) -> str:
    """The report as one HTML file in ``w``'s language (``lang`` declared, CJK fonts listed)."""
    w = w or ReportWords()
    title = w.title(report)
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(w.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE.format(fonts=font_stack(w.language))}</style></head><body>"
        + report_body(report, w)
        + "</body></html>\n"
    )


def report_body(report: dict[str, Any], w: ReportWords) -> str:
    """The report's content (its title, tables and charts) without the page around it:
    the file's body, and the web view's history page inside its own header."""
    _ = w.tr.gettext
    summary = report["summary"]
    title = w.title(report)
    body = [f"<h1>{escape(title)}</h1>"]
    body.append(html_table(*comparison(report, w)))
    body += [f'<p class="note">{escape(note)}</p>' for note in unrecorded_notes(report, w)]
    pareto_title = _("Downtime by reason (Pareto)")
    body.append(f"<h2>{escape(pareto_title)}</h2>")
    pareto = summary["downtime_pareto"]
    body.append(
        bar_chart(
            [w.reason(r["reason"], r["label"]) for r in pareto],
            [r["seconds"] / 60 for r in pareto],
            pareto_title,
            [_("{minutes} min").format(minutes=w.minutes(r["seconds"])) for r in pareto],
        )
    )
    body.append(html_table(headers(PARETO_HEADERS, w), pareto_rows(summary, w)))
    pace_title = _(PACE_TITLE)
    body.append(f"<h2>{escape(pace_title)}</h2>")
    body.append(html_table(headers(PACE_HEADERS, w), pace_rows(summary, w), cards=True))
    response_title = _("Response and repair times (minutes)")
    body.append(f"<h2>{escape(response_title)}</h2>")
    body.append(html_table(headers(RESPONSE_HEADERS, w), response_rows(summary, w)))
    for line in report["lines"]:
        for shift in line["shifts"]:
            if shift["hours"]:
                body.append(f"<h2>{escape(hourly_heading(line, shift, w))}</h2>")
                body.append(hour_chart(shift, _("plan and actual per hour")))
                body.append(html_table(headers(HOUR_HEADERS, w), hour_rows(shift, w)))
    return "".join(body)
