"""What the History screen shows of a line, read from the history database.

Every figure comes from :func:`andon.historian.report.build_report`, the same
code as ``andon report``:

* this shift so far against the same shift a week before, up to the same
  moment of that shift (so the two are comparable while the shift runs);
* the downtime Pareto of the last four weeks: the plant-local week (Monday to
  Monday) running now and the three before, up to now;
* the MTTR trend: mean repair time and calls of each of those four weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from andon.historian.period import Period, PeriodError, period_at
from andon.historian.report import NoEventsError, ReportError, Scope, build_report, scope_lines
from andon.historian.site import Site
from andon.historian.store import HistoryStore

WEEK = timedelta(days=7)
WEEKS = 4
PARETO_ROWS = 8


@dataclass(frozen=True)
class ShiftFigures:
    """One shift's summary, or why there is none (``missing``)."""

    name: str
    start: datetime | None
    summary: dict[str, Any] | None
    missing: str = ""

    @property
    def no_events(self) -> bool:
        """The history holds nothing of the line in this shift (so far)."""
        return self.start is not None and self.summary is None and not self.missing


@dataclass(frozen=True)
class WeekTrend:
    start: datetime
    calls: int
    mttr_s: float | None
    mtta_s: float | None
    shifts: int = 0
    """The week's shifts of the line so far, and those the history holds a record of."""
    recorded: int = 0


@dataclass(frozen=True)
class LineHistory:
    """The History screen's content for one line at one instant."""

    line: str
    now: datetime
    this_shift: ShiftFigures
    last_week: ShiftFigures
    pareto: tuple[dict[str, Any], ...]
    """The 4-week Pareto rows of the report (``reason``, ``label``, ``seconds``, ``stops``…)."""
    pareto_from: datetime
    weeks: tuple[WeekTrend, ...]
    """Oldest first."""


def _summary(
    store: HistoryStore, site: Site, line: str, period: Period, now: datetime
) -> tuple[dict[str, Any] | None, str]:
    try:
        report = build_report(store, site, Scope("line", line), period, now=now)
    except NoEventsError:
        return None, ""
    except ReportError as error:
        return None, str(error)
    return report["summary"], ""


def _shift(store: HistoryStore, site: Site, line: str, at: datetime, now: datetime) -> ShiftFigures:
    calendar = site.plant.domain_calendar()
    try:
        period = period_at("shift", at, calendar)
    except PeriodError as error:
        return ShiftFigures("", None, None, str(error))
    summary, missing = _summary(store, site, line, period, now)
    name = period.shift.shift.name if period.shift is not None else ""
    return ShiftFigures(name, period.start, summary, missing)


def line_history(
    store: HistoryStore,
    site: Site,
    line: str,
    now: datetime,
    weeks_of: LineHistory | None = None,
) -> LineHistory:
    """The History screen of ``line`` at ``now`` (ReportError for a line the plant lacks).

    ``weeks_of``: an earlier result of the same line whose 4-week Pareto and trend
    are kept (they fold four weeks of events; the shift comparison folds a shift).
    """
    scope_lines(site, Scope("line", line))  # the report's sentence for a line the plant lacks
    this_shift = _shift(store, site, line, now, now)
    last_week = _shift(store, site, line, now - WEEK, now - WEEK)
    if weeks_of is not None and weeks_of.line == line:
        return LineHistory(
            line, now, this_shift, last_week, weeks_of.pareto, weeks_of.pareto_from,
            weeks_of.weeks,
        )  # fmt: skip
    calendar = site.plant.domain_calendar()
    periods = [period_at("week", now - back * WEEK, calendar) for back in range(WEEKS - 1, -1, -1)]
    start = periods[0].start
    summary, _ = _summary(store, site, line, Period("range", start, now), now)
    pareto = tuple((summary or {}).get("downtime_pareto", [])[:PARETO_ROWS])
    weeks = []
    for period in periods:
        week, _ = _summary(store, site, line, period, now)
        overall = (week or {}).get("response", {}).get("overall") or {}
        weeks.append(
            WeekTrend(
                period.start,
                int((week or {}).get("calls", 0)),
                (overall.get("repair") or {}).get("mean_s"),
                (overall.get("acknowledge") or {}).get("mean_s"),
                int((week or {}).get("shifts", {}).get("total", 0)),
                int((week or {}).get("shifts", {}).get("recorded", 0)),
            )
        )
    return LineHistory(line, now, this_shift, last_week, pareto, start, tuple(weeks))
