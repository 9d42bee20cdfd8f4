"""The words of a shift-end report message: its title, and the short summary for chat.

The figures are the report's own (:func:`andon.historian.report.build_report`);
numbers, percentages and dates are written by :class:`andon.historian.words.ReportWords`.
"""

from __future__ import annotations

from typing import Any

from andon.domain.shown_figures import plan_text
from andon.historian.words import ReportWords


def scope_name(report: dict[str, Any], words: ReportWords) -> str:
    scope = report["scope"]
    return words.line(scope["id"]) if scope["kind"] == "line" else str(scope["id"])


def report_title(report: dict[str, Any], words: ReportWords) -> str:
    """``Shift report Assembly line A: early, Mar 4, 2026``."""
    period = report["period"]
    return words.tr.gettext("Shift report {scope}: {shift}, {date}").format(
        scope=scope_name(report, words),
        shift=words.shift(period["shift"]) if period.get("shift") else "",
        date=words.day(period["start"]),
    )


def report_summary(report: dict[str, Any], words: ReportWords) -> str:
    """A few sentences: plan and actual, OEE, the largest loss, the pace, calls, the previous
    shift."""
    _ = words.tr.gettext
    summary = report["summary"]
    kpi = summary["kpi"]
    lines = [
        report_title(report, words),
        _("Plan {plan}, actual {actual} ({achievement} of plan), scrap {scrap}.").format(
            plan=plan_text(summary["plan"], words.language),
            actual=words.number(summary["actual"], 0),
            achievement=words.pct(summary["achievement"]),
            scrap=words.number(summary["scrap"], 0),
        ),
        _("OEE {oee} = availability {a} × performance {p} × quality {q}.").format(
            oee=words.pct(kpi["oee"]),
            a=words.pct(kpi["availability"]),
            p=words.pct(kpi["performance"]),
            q=words.pct(kpi["quality"]),
        ),
    ]
    pareto = summary["downtime_pareto"]
    if pareto:
        top = pareto[0]
        lines.append(
            _("Downtime {minutes} min; the largest loss: {reason}, {loss} min.").format(
                minutes=words.minutes(kpi["downtime_s"]),
                reason=words.reason(top["reason"], top.get("label")),
                loss=words.minutes(top["seconds"]),
            )
        )
    pace = summary["pace"]["all"]
    lines.append(
        _("Pace: too fast {fast} min ({fast_share}), too slow {slow} min ({slow_share}).").format(
            fast=words.minutes(pace["seconds"]["too_fast"]),
            fast_share=words.pct(pace["share"]["too_fast"]),
            slow=words.minutes(pace["seconds"]["too_slow"]),
            slow_share=words.pct(pace["share"]["too_slow"]),
        )
    )
    response = summary["response"].get("overall") or {}
    lines.append(
        _("{calls} calls; MTTA {mtta} min, MTTR {mttr} min.").format(
            calls=words.number(summary["calls"], 0),
            mtta=words.minutes((response.get("acknowledge") or {}).get("mean_s")),
            mttr=words.minutes((response.get("repair") or {}).get("mean_s")),
        )
    )
    previous = report.get("previous")
    if previous:
        before = previous["summary"]
        lines.append(
            _("Shift before: actual {actual}, OEE {oee}.").format(
                actual=words.number(before["actual"], 0), oee=words.pct(before["kpi"]["oee"])
            )
        )
    return "\n".join(lines)
