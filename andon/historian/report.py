"""``andon report``: a line, the area or the site over a period, read from the history.

Every shift of every line is worked out as the simulation report does it
(:mod:`andon.simulate.report`: plan, actual, hours, KPIs, downtime by reason from
the line's counting station; calls, stops and line stops from every station),
from the states :func:`andon.historian.derive.fold_shifts` rebuilds with the
domain's ``apply``, starting from each station's latest checkpoint before the
period (:mod:`andon.historian.checkpoints`) and keeping the shift ends it
passes. A closed shift's figures are kept as the line's shift section
(:mod:`andon.historian.sections`) and read back instead of folded again.
:mod:`andon.historian.summary` adds the shifts up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from andon.domain.calendar import Calendar, ShiftWindow
from andon.domain.rules import StationRules
from andon.historian import checkpoints, sections
from andon.historian import errors as E
from andon.historian.derive import Resume, StationShift, fold_shifts, shift_recorded
from andon.historian.period import Period, previous
from andon.historian.site import Site
from andon.historian.store import HistoryStore
from andon.historian.summary import summarise
from andon.simulate.figures import shift_state
from andon.simulate.report import call_record, lead_times, production
from andon.simulate.report_stops import line_stop_periods, line_stops, stop_records
from andon.simulate.report_time import instant
from andon.simulate.runner import Checkpoint

REPORT_FORMAT = "andon-history-report/1"
SCOPES = ("line", "area", "site")


class ReportError(Exception):
    """The report cannot be made: unknown line or area, or nothing in the period."""


class NoEventsError(ReportError):
    """The history holds no events of the scope in the period."""


@dataclass(frozen=True)
class Scope:
    """What the report covers: ``line`` (an id), ``area`` (an id) or the whole ``site``."""

    kind: str
    id: str


def scope_lines(site: Site, scope: Scope) -> list[str]:
    """The lines of a scope, in plant order; ReportError for an unknown one."""
    plant = site.plant
    lines = [line.id for line in plant.lines]
    if scope.kind == "line":
        if scope.id not in lines:
            raise ReportError(
                E.NO_LINE.format(line=repr(scope.id), site=plant.site.id, lines=", ".join(lines))
            )
        return [scope.id]
    if scope.kind == "area" and scope.id != plant.site.area:
        raise ReportError(
            E.NO_AREA.format(area=repr(scope.id), site=plant.site.id, known=plant.site.area)
        )
    return lines


def build_report(
    store: HistoryStore,
    site: Site,
    scope: Scope,
    period: Period,
    *,
    now: datetime,
    compare: bool = False,
) -> dict[str, Any]:
    """The report as plain data (the keys are listed in docs/reports.md)."""
    lines = scope_lines(site, scope)
    current = period_data(store, site, lines, period, now)
    if not current["events"]:
        zone = site.plant.site.zone
        bounds = store.bounds()
        empty, held = E.NO_EVENTS[scope.kind]
        fields = {
            "id": scope.id,
            "start": instant(period.start, zone),
            "end": instant(period.end, zone),
        }
        if bounds is None:
            raise NoEventsError(empty.format(**fields))
        raise NoEventsError(
            held.format(**fields, first=instant(bounds[0], zone), last=instant(bounds[1], zone))
        )
    report: dict[str, Any] = {
        "report": REPORT_FORMAT,
        "plant": site.plant.site.id,
        "timezone": str(site.plant.site.zone),
        "scope": {"kind": scope.kind, "id": scope.id},
        **current["data"],
    }
    if compare:
        before = previous(period, site.plant.domain_calendar())
        prior = period_data(store, site, lines, before, now)
        report["previous"] = {k: prior["data"][k] for k in ("period", "summary")}
        report["changes"] = changes(report["summary"], report["previous"]["summary"])
    return report


def history_now(store: HistoryStore, wall: datetime) -> datetime:
    """Now for a report: the wall clock, or just after the newest event when that is later.

    Events stamped after the wall clock (a station's clock ahead, or the demo's
    plant time running faster) are then still reported.
    """
    bounds = store.bounds()
    if bounds is None or bounds[1] < wall:
        return wall
    return bounds[1] + timedelta(milliseconds=1)


def period_data(
    store: HistoryStore, site: Site, lines: list[str], period: Period, now: datetime
) -> dict[str, Any]:
    zone = site.plant.site.zone
    calendar = site.plant.domain_calendar()
    until = min(period.end, now)
    if period.shift is not None:
        windows = [period.shift]
    else:
        windows = [
            w
            for w in calendar.windows(period.start, period.end)
            if period.start <= w.start < period.end
        ]
    per_line: list[dict[str, Any]] = []
    events = 0
    streams = store.last_seqs()
    for line in lines:
        keys = site.line_stations(line)
        counting = next((k for k in keys if site.stations[k].counts), None)
        rules = {path: site.rules(path)[0] for path in keys}
        prints = {path: site.rules(path)[1] for path in keys}
        line_rules = sections.line_fingerprint(prints, counting, str(zone))
        # a station that never sent an event holds no checkpoint and blocks no section
        heard = {path: fingerprint for path, fingerprint in prints.items() if path in streams}
        started = [w for w in windows if w.start < until]
        # a shift the period cuts (it ends after the period) is folded up to the cut
        held = sections.load(store, line, line_rules, heard, [w for w in started if w.end <= until])
        missing = [w for w in started if w.start not in held]
        made: dict[datetime, dict[str, Any]] = {}
        counts = store.counts_between(keys, period.start, until)
        if missing:
            records, passed = _fold(store, rules, prints, missing, until, calendar, counts)
            for window in missing:
                if window.start in records:
                    made[window.start] = _shift(keys, counting, records[window.start], zone)
            marks = [passed[path] for path in heard]
            closed = [w for w in missing if w.start in made and sections.closed(w, until, marks)]
            sections.keep(store, line, line_rules, [(w, made[w.start]) for w in closed])
        events += sum(counts.values())
        found = {**held, **made}
        per_line.append(
            _line(site, line, keys, counting, [found[w.start] for w in windows if w.start in found])
        )
    data = {
        "period": {
            "kind": period.kind,
            "start": instant(period.start, zone),
            "end": instant(period.end, zone),
            "until": instant(until, zone),
            "shift": period.shift.shift.name if period.shift else None,
        },
        "lines": per_line,
    }
    data["summary"] = summarise(per_line)
    return {"data": data, "events": events}


def _fold(
    store: HistoryStore,
    rules: dict[str, StationRules],
    prints: dict[str, str],
    windows: list[ShiftWindow],
    until: datetime,
    calendar: Calendar,
    counts: dict[str, int],
) -> tuple[dict[datetime, dict[str, StationShift]], dict[str, set[datetime]]]:
    """Fold each station over ``windows`` from its checkpoint before the first of them,
    keeping the checkpoints it passes: each window's records by station, and by
    station the instants its fold passed over contiguous seqs.

    The stations are read together (their checkpoints in one query, their events in
    a few: :meth:`HistoryStore.stations_from`; ``counts``, the events each holds in
    the period, sizes those reads), each folded as its events come in. A station's
    events end with its next one, at or after the end: the fold passes the end over
    it, so a period ending exactly at a shift end keeps that shift's checkpoint and
    section too (the fold stops there, folding nothing of it)."""
    before = min(w.start for w in windows)
    found = store.checkpoints_at_or_before({path: prints[path] for path in rules}, before)
    starts = {
        path: checkpoints.decode(path, station, found[path]) if path in found else None
        for path, station in rules.items()
    }
    oldest: list[datetime] = []
    if any(start is None for start in starts.values()):
        bounds = store.bounds()
        oldest.append(bounds[0] if bounds else before)
    by_window: dict[datetime, dict[str, StationShift]] = defaultdict(dict)
    passed: dict[str, set[datetime]] = {}
    kept: list[tuple[str, str, Resume]] = []
    firsts = {path: start.seq if start is not None else 0 for path, start in starts.items()}
    for path, stored in store.stations_from(firsts, until, rows=counts):
        start = starts[path]
        origin = start.at if start is not None else oldest[0]
        marks = [w.end for w in calendar.windows(origin, until) if origin < w.end <= until]
        fold = fold_shifts(path, rules[path], stored, windows, until, start=start, marks=marks)
        kept += [(path, prints[path], mark) for mark in fold.marks]
        passed[path] = {m.at for m in fold.marks}
        for record in fold.shifts:
            by_window[record.window.start][path] = record
    checkpoints.keep_each(store, kept)
    return by_window, passed


def _line(
    site: Site, line: str, keys: list[str], counting: str | None, shifts: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "line": line,
        "name": site.plant.line(line).name,
        "stations": [_short(k) for k in keys],
        "counting_station": _short(counting) if counting else None,
        "shifts": shifts,
    }


def _short(path: str) -> str:
    """``line-a/a3`` for ``site/area/line-a/a3``, as the simulation report names stations."""
    return "/".join(path.split("/")[-2:])


def _shift(
    keys: list[str], counting: str | None, records: dict[str, StationShift], zone: Any
) -> dict[str, Any]:
    """One shift's section of a line: everything the summary is added up from."""
    first = next(iter(records.values()))
    window, until = first.window, first.until
    states = {k: shift_state(r.state, window) for k, r in records.items()}
    out: dict[str, Any] = {
        "shift": window.shift.name,
        "start": instant(window.start, zone),
        "end": instant(window.end, zone),
        "until": instant(until, zone),
        "counting_station": _short(counting) if counting else None,
        "recorded": shift_recorded(records.values()),
    }
    if out["recorded"] and counting is not None and counting in records:
        checkpoint = Checkpoint(window=window, until=until, states={})
        every_stop = line_stops(states, until)
        out.update(
            production(states[counting], checkpoint, records[counting].events, zone, every_stop)
        )
    else:
        out.update(plan=None, actual=None, pace=None, hours=[], kpi=None, downtime_by_reason=[])
    present = [k for k in keys if k in records]
    calls = sorted(
        ((k, c) for k in present for c in records[k].calls),
        key=lambda kc: (kc[1].raised_at, kc[1].call_id),
    )
    out["calls"] = [
        call_record(_short(k), c, states[k], records[k].events, until, zone) for k, c in calls
    ]
    out["material_lead_times"] = lead_times(out["calls"])
    out["line_stops"] = line_stop_periods(
        [_short(k) for k in present], {_short(k): records[k].events for k in present}, until, zone
    )
    out["stops"] = stop_records({k: states[k] for k in present}, window.start, until, zone, _short)
    return out


def changes(now: dict[str, Any], before: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures that moved against the previous period, largest relative change first."""
    pairs = [
        ("actual", now["actual"], before["actual"]),
        ("plan", now["plan"], before["plan"]),
        ("calls", now["calls"], before["calls"]),
        ("downtime_s", now["kpi"]["downtime_s"], before["kpi"]["downtime_s"]),
    ]
    for factor in ("availability", "performance", "quality", "oee"):
        pairs.append((factor, now["kpi"][factor], before["kpi"][factor]))
    for key in ("mtta_s", "mttr_s"):
        pairs.append((key, now["response"][key], before["response"][key]))
    for key in ("too_fast", "too_slow"):
        pace_now, pace_before = now["pace"]["all"]["seconds"], before["pace"]["all"]["seconds"]
        pairs.append((f"{key}_s", pace_now[key], pace_before[key]))
    out = []
    for name, a, b in pairs:
        if a is None or b is None:
            continue
        delta = a - b
        relative = None if b == 0 else delta / abs(b)
        out.append(
            {
                "figure": name,
                "now": a,
                "before": b,
                "change": round(delta, 4),
                "relative": None if relative is None else round(relative, 4),
            }
        )
    out.sort(key=lambda c: -(abs(c["relative"]) if c["relative"] is not None else 0))
    return out
