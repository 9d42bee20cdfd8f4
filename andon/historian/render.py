"""A report as a terminal table or CSV (HTML: :mod:`andon.historian.html`; every format:
:mod:`andon.historian.formats`).

Table, CSV and HTML speak the report's language (:class:`ReportWords`); JSON is
for programs and stays language-free.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from typing import Any

from andon.domain.pace_time import PACE_TIME_KEYS
from andon.domain.shown_figures import plan_text
from andon.historian.words import CHANGE_FIGURES, GROUP_WORDS, ReportWords
from andon.i18n import N_, NC_
from andon.i18n.vocabulary import word
from andon.i18n.width import cells, pad


def table(headers: list[str], rows: list[list[str]], left: Collection[int] = (0,)) -> list[str]:
    """Columns aligned in terminal cells (a Chinese glyph takes two), each as wide as its
    widest cell: the columns of text (``left``, by index) to the left, figures to the right."""
    widths = [max([cells(h), *(cells(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(
            pad(c, w, right=i not in left)
            for i, (c, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


SUMMARY_LABELS = [
    N_("shifts recorded"),
    N_("plan"),
    N_("actual (good)"),
    N_("difference"),
    N_("plan achievement"),
    N_("scrap"),
    N_("availability (A)"),
    N_("performance (P)"),
    N_("quality (Q)"),
    N_("OEE = A x P x Q"),
    N_("planned production (min)"),
    N_("downtime (min)"),
    N_("minor stops (min)"),
    N_("too fast (min)"),
    N_("too slow (min)"),
    N_("calls"),
    N_("MTTA (min)"),
    N_("MTTR (min)"),
]


def summary_figures(summary: dict[str, Any], w: ReportWords) -> dict[str, str]:
    """Each figure of a report's summary, written for the reader, by its name."""
    k = summary["kpi"]
    return {
        "shifts": w.recorded(summary),
        "plan": plan_text(summary["plan"], w.language),
        "actual": w.number(summary["actual"], 0),
        "difference": w.signed(summary["difference"]),
        "achievement": w.pct(summary["achievement"]),
        "scrap": w.number(summary["scrap"], 0),
        "availability": w.pct(k["availability"]),
        "performance": w.pct(k["performance"]),
        "quality": w.pct(k["quality"]),
        "oee": w.pct(k["oee"]),
        "planned": w.minutes(k["planned_production_s"]),
        "downtime": w.minutes(k["downtime_s"]),
        "minor_stops": w.minutes(k["minor_stop_s"]),
        "too_fast": w.minutes(summary["pace"]["all"]["seconds"]["too_fast"]),
        "too_slow": w.minutes(summary["pace"]["all"]["seconds"]["too_slow"]),
        "calls": w.number(summary["calls"], 0),
        "mtta": w.minutes(summary["response"]["mtta_s"]),
        "mttr": w.minutes(summary["response"]["mttr_s"]),
    }


def summary_rows(summary: dict[str, Any], w: ReportWords) -> list[list[str]]:
    values = list(summary_figures(summary, w).values())
    labels = [w.tr.gettext(label) for label in SUMMARY_LABELS]
    return [[label, value] for label, value in zip(labels, values, strict=True)]


def response_rows(summary: dict[str, Any], w: ReportWords) -> list[list[str]]:
    rows = []
    for group in ("by_type", "by_station", "by_line"):
        key = group.removeprefix("by_")
        for entry in summary["response"][group]:
            name = entry[key]
            shown = w.call_type(name) if key == "type" else w.line(name) if key == "line" else name
            a, r = entry["acknowledge"], entry["repair"]
            rows.append(
                [
                    w.tr.gettext(GROUP_WORDS[key]),
                    shown,
                    w.number(entry["calls"], 0),
                    *(w.minutes(a[s]) for s in ("mean_s", "median_s", "p90_s")),
                    *(w.minutes(r[s]) for s in ("mean_s", "median_s", "p90_s")),
                ]
            )
    return rows


RESPONSE_HEADERS = [
    N_("by"),
    "",
    N_("calls"),
    N_("MTTA mean"),
    N_("median"),
    N_("p90"),
    N_("MTTR mean"),
    N_("median"),
    N_("p90"),
]
PARETO_HEADERS = [N_("reason"), N_("min"), N_("share"), N_("stops"), N_("causing calls")]
PARETO_TEXT = (0, 4)
"""The Pareto's columns of text: the reason and its causing calls."""
HOUR_HEADERS = [N_("hour"), N_("plan"), N_("actual"), N_("diff"), N_("variance"), N_("cause")]
CALLS_HEADERS = [N_("line"), N_("shift"), N_("start"), N_("calls")]
PACE_HEADERS = [
    N_("line"),
    N_("too fast (min)"),
    N_("share"),
    N_("too slow (min)"),
    N_("share"),
    N_("normal (min)"),
    N_("share"),
    N_("not judged (min)"),
    N_("share"),
]
PACE_TITLE = N_("Time by pace judgement (planned working time)")
ALL_LINES = N_("all lines")
CHANGE_HEADERS = [N_("figure"), N_("now"), N_("before"), N_("change")]


def headers(names: list[str], w: ReportWords) -> list[str]:
    return [w.tr.gettext(name) if name else "" for name in names]


def pareto_rows(summary: dict[str, Any], w: ReportWords) -> list[list[str]]:
    return [
        [
            w.reason(row["reason"], row["label"]),
            w.minutes(row["seconds"]),
            w.pct(row["share"]),
            w.number(row["stops"], 0),
            ", ".join(
                w._(CALL_AND_TYPE).format(call=c["call_id"], type=w.call_type(c["type"]))
                for c in row["calls"]
            ),
        ]
        for row in summary["downtime_pareto"]
    ]


def pace_rows(summary: dict[str, Any], w: ReportWords) -> list[list[str]]:
    """Per line, then for all lines when there are several: each judgement's minutes and share."""
    pace = summary["pace"]
    named = [(w.line(r["line"]), r) for r in pace["by_line"]]
    if len(named) > 1:
        named.append((w.tr.gettext(ALL_LINES), pace["all"]))
    return [
        [
            name,
            *(
                cell
                for key in PACE_TIME_KEYS
                for cell in (w.minutes(row["seconds"][key]), w.pct(row["share"][key]))
            ),
        ]
        for name, row in named
    ]


def hour_rows(shift: dict[str, Any], w: ReportWords) -> list[list[str]]:
    rows = []
    for h in shift["hours"]:
        if h["cause"]:
            cause = w.reason(h["cause"]["reason"], h["cause"].get("label"))
        else:
            cause = w.tr.gettext("unexplained") if h["unexplained"] else ""
        rows.append(
            [
                f"{w.clock(h['start'])}-{w.clock(h['end'])}",
                plan_text(h["plan"], w.language),
                w.number(h["actual"], 0),
                w.signed(h["difference"]),
                w.pct(h["variance"]),
                cause,
            ]
        )
    return rows


def comparison(report: dict[str, Any], w: ReportWords) -> tuple[list[str], list[list[str]]]:
    """The summary's headers and rows, with the previous period beside it when compared."""
    heads = [w.tr.gettext("figure"), w.tr.gettext("this period")]
    rows = summary_rows(report["summary"], w)
    if "previous" in report:
        prior = summary_rows(report["previous"]["summary"], w)
        start = w.when(report["previous"]["period"]["start"])
        heads.append(w.tr.gettext("previous ({start})").format(start=start))
        rows = [[*r, q[1]] for r, q in zip(rows, prior, strict=True)]
    return heads, rows


def unrecorded_notes(report: dict[str, Any], w: ReportWords) -> list[str]:
    """The sentences on the shifts without any record, this period's and the previous one's."""
    notes = [w.unrecorded_note(report["summary"])]
    if "previous" in report:
        notes.append(w.unrecorded_note(report["previous"]["summary"], previous=True))
    return [note for note in notes if note]


def hourly_heading(line: dict[str, Any], shift: dict[str, Any], w: ReportWords) -> str:
    return w.tr.gettext("Hourly table: {line}, {shift} {date}").format(
        line=w.line(line["line"]), shift=w.shift(shift["shift"]), date=w.day(shift["start"])
    )


def render_table(report: dict[str, Any], w: ReportWords) -> str:
    _ = w.tr.gettext
    out = [w.title(report), ""]
    out += table(*comparison(report, w))
    notes = unrecorded_notes(report, w)
    out += ["", *notes] if notes else []
    out += ["", _("Downtime by reason (Pareto)")]
    out += table(headers(PARETO_HEADERS, w), pareto_rows(report["summary"], w), PARETO_TEXT)
    out += ["", _(PACE_TITLE)]
    out += table(headers(PACE_HEADERS, w), pace_rows(report["summary"], w))
    out += ["", _("Response and repair times (minutes)")]
    out += table(headers(RESPONSE_HEADERS, w), response_rows(report["summary"], w))
    out += ["", _("Calls per shift")]
    out += table(
        headers(CALLS_HEADERS, w),
        [
            [w.line(c["line"]), w.shift(c["shift"]), w.when(c["start"]), w.number(c["calls"], 0)]
            for c in report["summary"]["calls_per_shift"]
        ],
    )
    if report["period"]["kind"] in ("shift", "day"):
        for line in report["lines"]:
            for shift in line["shifts"]:
                if shift["hours"]:
                    out += ["", hourly_heading(line, shift, w)]
                    out += table(headers(HOUR_HEADERS, w), hour_rows(shift, w))
    if "changes" in report:
        out += ["", _("Largest changes against the previous period")]
        out += table(
            headers(CHANGE_HEADERS, w),
            [
                [
                    word(CHANGE_FIGURES, c["figure"], w.tr),
                    _num(c["figure"], c["now"], w),
                    _num(c["figure"], c["before"], w),
                    w.pct(c["relative"]),
                ]
                for c in report["changes"][:5]
            ],
        )
    return "\n".join(out) + "\n"


CALL_AND_TYPE = N_("{call} ({type})")
"""A call of the Pareto's row and its call type."""
FRACTIONS = frozenset({"availability", "performance", "quality", "oee"})


def _num(figure: str, value: float, w: ReportWords) -> str:
    if figure in FRACTIONS:
        return w.pct(value)
    if figure.endswith("_s"):  # a time: in minutes, as in the summary above
        return w.number(value / 60, 1)
    return w.number(value, 1) if isinstance(value, float) else w.number(value, 0)


CSV_COLUMNS = [
    ("line", N_("line")),
    ("shift", N_("shift")),
    ("start", N_("start")),
    ("end", N_("end")),
    ("recorded", N_("recorded")),
    ("plan", N_("plan")),
    ("actual", N_("actual")),
    ("scrap", N_("scrap")),
    ("achievement", N_("achievement")),
    ("availability", N_("availability")),
    ("performance", N_("performance")),
    ("quality", NC_("OEE factor", "quality")),
    ("oee", N_("OEE")),
    ("planned_production_s", N_("planned production (s)")),
    ("downtime_s", N_("downtime (s)")),
    ("minor_stop_s", N_("minor stops (s)")),
    ("calls", N_("calls")),
    ("too_fast_s", N_("too fast (s)")),
    ("too_slow_s", N_("too slow (s)")),
    ("normal_s", N_("normal (s)")),
    ("not_judged_s", N_("not judged (s)")),
]
"""The CSV's columns: key (the header in English) and the header shown in other languages."""


def render_csv(report: dict[str, Any], w: ReportWords) -> str:
    """One row per line and shift: the figures a spreadsheet sums and charts.

    The header row speaks the report's language (English: the column keys, stable
    for scripts); the values stay as programs read them (``.`` decimals, ISO times).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    english = w.language == "en"
    writer.writerow([key if english else w.tr.gettext(name) for key, name in CSV_COLUMNS])
    for line in report["lines"]:
        for s in line["shifts"]:
            k = s["kpi"] or {}
            pace = (s["pace"] or {}).get("time") or {}
            writer.writerow(
                [
                    line["line"],
                    s["shift"],
                    s["start"],
                    s["end"],
                    str(s.get("recorded", True)).lower(),
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
                    *(pace.get(f"{key}_s") for key in PACE_TIME_KEYS),
                ]
            )
    return buffer.getvalue()
