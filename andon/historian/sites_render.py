"""A report across sites (:mod:`andon.historian.sites_report`) as a table, CSV, HTML or JSON.

One row per site, then the total over every selected line; the Pareto, response
times and calls per shift are those of the total. Words come from the catalogs
through :class:`~andon.historian.words.ReportWords`, as in the single-site report.
"""

from __future__ import annotations

import csv
import io
from html import escape
from typing import Any

from andon.historian.formats import Writers, written
from andon.historian.html import STYLE, html_table
from andon.historian.render import (
    CALLS_HEADERS,
    CSV_COLUMNS,
    PACE_HEADERS,
    PACE_TITLE,
    PARETO_HEADERS,
    PARETO_TEXT,
    RESPONSE_HEADERS,
    headers,
    pace_rows,
    pareto_rows,
    response_rows,
    summary_figures,
    table,
)
from andon.historian.words import PERIOD_WORDS, SCOPE_WORDS, ReportWords
from andon.i18n import N_, NC_
from andon.i18n.fonts import font_stack, html_lang
from andon.i18n.vocabulary import word

TITLE = N_("andon report across sites, {period} (site {site}, area {area}, line {line})")
ALL = N_("all")
ALL_SITES = N_("all sites")
SITE_HEADERS = [
    N_("site"),
    N_("start"),
    N_("end"),
    N_("plan"),
    N_("actual"),
    N_("difference"),
    N_("achievement"),
    N_("availability"),
    N_("performance"),
    NC_("OEE factor", "quality"),
    N_("OEE"),
    N_("downtime (min)"),
    N_("calls"),
    N_("MTTA (min)"),
    N_("MTTR (min)"),
]


def render_sites(report: dict[str, Any], fmt: str, language: str = "en") -> str:
    """``report`` in ``fmt`` (``table``, ``csv``, ``html``, ``json``), written in ``language``."""
    writers = Writers(table=sites_table, csv=sites_csv, html=sites_html)
    return written(report, fmt, writers, language)


def title(report: dict[str, Any], w: ReportWords) -> str:
    chosen = report["selection"]
    every = w.tr.gettext(ALL)
    return w.tr.gettext(TITLE).format(
        period=word(PERIOD_WORDS, report["period"]["kind"], w.tr),
        site=chosen["site"] or every,
        area=chosen["area"] or every,
        line=chosen["line"] or every,
    )


SITE_FIGURES = (
    "plan",
    "actual",
    "difference",
    "achievement",
    "availability",
    "performance",
    "quality",
    "oee",
    "downtime",
    "calls",
    "mtta",
    "mttr",
)
"""The summary's figures a site's row shows, in the order of its columns."""


def _figures(summary: dict[str, Any], w: ReportWords) -> list[str]:
    figures = summary_figures(summary, w)
    return [figures[name] for name in SITE_FIGURES]


def site_rows(report: dict[str, Any], w: ReportWords) -> list[list[str]]:
    """One row per site, then the total."""
    rows = [
        [
            r["site"],
            w.when(r["period"]["start"]),
            w.when(r["period"]["end"]),
            *_figures(r["summary"], w),
        ]
        for r in report["sites"]
    ]
    rows.append([w.tr.gettext(ALL_SITES), "", "", *_figures(report["summary"], w)])
    return rows


def sites_table(report: dict[str, Any], w: ReportWords) -> str:
    _ = w.tr.gettext
    summary = report["summary"]
    out = [title(report, w), ""]
    out += table(headers(SITE_HEADERS, w), site_rows(report, w))
    out += ["", _("Downtime by reason (Pareto)")]
    out += table(headers(PARETO_HEADERS, w), pareto_rows(summary, w), PARETO_TEXT)
    out += ["", _(PACE_TITLE)]
    out += table(headers(PACE_HEADERS, w), pace_rows(summary, w))
    out += ["", _("Response and repair times (minutes)")]
    out += table(headers(RESPONSE_HEADERS, w), response_rows(summary, w))
    out += ["", _("Calls per shift")]
    out += table(
        headers(CALLS_HEADERS, w),
        [
            [c["line"], c["shift"], w.when(c["start"]), w.number(c["calls"], 0)]
            for c in summary["calls_per_shift"]
        ],
    )
    return "\n".join(out) + "\n"


def sites_csv(report: dict[str, Any], w: ReportWords) -> str:
    """One row per site and a last row ``*`` for all of them; values machine-readable."""
    columns = [("site", SCOPE_WORDS["site"]), *(c for c in CSV_COLUMNS if c[0] != "line")]
    columns = [c for c in columns if c[0] != "shift"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    english = w.language == "en"
    writer.writerow([key if english else w.tr.gettext(name) for key, name in columns])
    every = {"site": "*", "period": {"start": "", "end": ""}, "summary": report["summary"]}
    for row in (*report["sites"], every):
        s, k = row["summary"], row["summary"]["kpi"]
        pace = {f"{key}_s": v for key, v in s["pace"]["all"]["seconds"].items()}
        values = {**s, **k, **pace, "site": row["site"], **row["period"]}
        writer.writerow([values.get(key) for key, _ in columns])
    return buffer.getvalue()


def sites_html(report: dict[str, Any], w: ReportWords) -> str:
    _ = w.tr.gettext
    heading = title(report, w)
    body = [f"<h1>{escape(heading)}</h1>"]
    body.append(html_table(headers(SITE_HEADERS, w), site_rows(report, w)))
    pareto, response = _("Downtime by reason (Pareto)"), _("Response and repair times (minutes)")
    body.append(f"<h2>{escape(pareto)}</h2>")
    body.append(html_table(headers(PARETO_HEADERS, w), pareto_rows(report["summary"], w)))
    body.append(f"<h2>{escape(_(PACE_TITLE))}</h2>")
    body.append(html_table(headers(PACE_HEADERS, w), pace_rows(report["summary"], w), cards=True))
    body.append(f"<h2>{escape(response)}</h2>")
    body.append(html_table(headers(RESPONSE_HEADERS, w), response_rows(report["summary"], w)))
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(w.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(heading)}</title>"
        f"<style>{STYLE.format(fonts=font_stack(w.language))}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
