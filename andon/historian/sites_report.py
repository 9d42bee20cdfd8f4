"""``andon report`` across the sites of an enterprise history: one row per site, one total.

The enterprise historian keeps every station under ``site/area/line/station``
(docs/sites.md), so one database holds many plants. Each site is read with its
own plant and station files and its own calendar (a shift or a day is the
site's own, in its time zone), exactly as :mod:`andon.historian.report` reads a
single site. The total is :func:`andon.historian.summary.summarise` over every
selected line, never an average of the sites' percentages; lines, stations and
calls are named with their site in it so that two plants' ``line-a`` stay apart.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from andon.historian import errors as E
from andon.historian.period import Period
from andon.historian.report import ReportError, period_data
from andon.historian.site import Site
from andon.historian.store import HistoryStore
from andon.historian.summary import summarise

SITES_FORMAT = "andon-sites-report/1"


@dataclass(frozen=True)
class Selection:
    """Which part of the enterprise: a site, an area and a line (None: every one)."""

    site: str | None = None
    area: str | None = None
    line: str | None = None


def select(sites: list[Site], selection: Selection) -> list[tuple[Site, list[str]]]:
    """The sites and their lines the selection covers; ReportError names what exists."""
    ids = [s.plant.site.id for s in sites]
    chosen = [s for s in sites if selection.site in (None, s.plant.site.id)]
    if not chosen:
        raise ReportError(E.NO_SITE.format(site=repr(selection.site), sites=", ".join(ids)))
    out = []
    for site in chosen:
        if selection.area is not None and site.plant.site.area != selection.area:
            continue
        lines = [line.id for line in site.plant.lines]
        if selection.line is not None:
            if selection.line not in lines:
                continue
            lines = [selection.line]
        out.append((site, lines))
    if not out:
        areas = ", ".join(f"{s.plant.site.id}: {s.plant.site.area}" for s in chosen)
        if selection.line:
            sentence = E.NO_LINE_IN_SITE if selection.site else E.NO_LINE_ANYWHERE
        else:
            sentence = E.NO_AREA_IN_SITE if selection.site else E.NO_AREA_ANYWHERE
        raise ReportError(
            sentence.format(
                line=repr(selection.line),
                area=repr(selection.area),
                site=selection.site,
                areas=areas,
            )
        )
    return out


def qualified(line: dict[str, Any], site: str) -> dict[str, Any]:
    """A report line with its site in the names of the line, its stations and its calls."""

    def name(value: str | None) -> str | None:
        return None if value is None else f"{site}/{value}"

    out = copy.deepcopy(line)
    out["site"] = site
    out["line"] = name(line["line"])
    out["stations"] = [name(s) for s in line["stations"]]
    out["counting_station"] = name(line["counting_station"])
    for shift in out["shifts"]:
        shift["counting_station"] = name(shift["counting_station"])
        for record in (*shift["calls"], *shift["stops"]):
            record["station"] = name(record["station"])
        for call in shift["calls"]:
            call["call_id"] = name(call["call_id"])
    return out


def build_sites_report(
    store: HistoryStore,
    sites: list[Site],
    selection: Selection,
    period_of: Callable[[Site], Period],
    *,
    now: datetime,
) -> dict[str, Any]:
    """The report over several sites as plain data (keys in docs/reports.md)."""
    rows: list[dict[str, Any]] = []
    every_line: list[dict[str, Any]] = []
    events = 0
    kind = ""
    for site, lines in select(sites, selection):
        period = period_of(site)
        kind = period.kind
        current = period_data(store, site, lines, period, now)
        events += current["events"]
        site_id = site.plant.site.id
        every_line += [qualified(line, site_id) for line in current["data"]["lines"]]
        rows.append(
            {
                "site": site_id,
                "timezone": str(site.plant.site.zone),
                "lines": lines,
                "events": current["events"],
                "period": current["data"]["period"],
                "summary": current["data"]["summary"],
            }
        )
    if not events:
        raise ReportError(
            E.NO_EVENTS_SITES.format(
                periods="; ".join(
                    E.SITE_PERIOD.format(
                        site=r["site"], start=r["period"]["start"], end=r["period"]["end"]
                    )
                    for r in rows
                )
            )
        )
    return {
        "report": SITES_FORMAT,
        "selection": {"site": selection.site, "area": selection.area, "line": selection.line},
        "period": {"kind": kind},
        "sites": rows,
        "lines": every_line,
        "summary": summarise(every_line),
    }
