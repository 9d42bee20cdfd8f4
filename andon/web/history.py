"""The history page: the historian's reports, made by the report code ``andon report`` uses.

``GET /history`` asks for a period (a shift, a day, a week, a month), the plant or one
line, and a day; ``GET /history/report?period=…&line=…&at=…`` is the report itself,
written by :mod:`andon.historian.html` inside the web view's header and navigation,
with a link back to the form; ``…&file=1`` is the same report as the self-contained
file ``andon report --format html`` writes. Reports only read the database; one is made
at a time, in a worker thread, and kept for a minute.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from andon.historian.formats import render
from andon.historian.html import report_body
from andon.historian.period import PeriodError, period_at
from andon.historian.report import ReportError, Scope, build_report, history_now
from andon.historian.site import load_site
from andon.historian.store import HistoryError
from andon.historian.stores import open_store
from andon.historian.words import ReportWords
from andon.i18n import N_
from andon.web import texts as T
from andon.web.pages.common import Words, e
from andon.web.pages.shell import page as shell_page
from andon.web.site import Site

PERIODS = {
    "shift": N_("Shift"),
    "day": N_("Day"),
    "week": N_("Week"),
    "month": N_("Month"),
}
KEEP_S = 60.0
FILE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
}


class History:
    """Reports from one historian database, for the plant beside ``config``."""

    def __init__(self, url: str, config: Path, words: Words) -> None:
        self.url = url
        self.site = load_site(config)
        self.words = words
        self._lock = asyncio.Lock()
        self._kept: dict[tuple[str, str, str], tuple[float, dict[str, Any]]] = {}

    def _lines(self) -> list[tuple[str, str]]:
        w = self.words
        return [(line.id, w.line_name(line.id, line.name)) for line in self.site.plant.lines]

    async def page(self, site: Site, request: Request) -> Response:
        """A form: which period, of the plant or one line, on which day (not live)."""
        if not site.may_view(request):
            return RedirectResponse("/sign-in?next=/history", status_code=303)
        w = self.words
        today = datetime.now(self.site.plant.site.zone).date().isoformat()
        periods = "".join(f'<option value="{k}">{w._(v)}</option>' for k, v in PERIODS.items())
        lines = f'<option value="">{w._(T.WHOLE_PLANT)}</option>' + "".join(
            f'<option value="{e(i)}">{e(name)}</option>' for i, name in self._lines()
        )
        body = (
            f'<h2>{w._(T.HISTORY)}</h2><form method="get" action="/history/report" '
            f'class="sign-in"><label>{w._(T.PERIOD)}<select name="period">{periods}</select>'
            f'</label><label>{w._(T.LINE)}<select name="line">{lines}</select></label>'
            f'<label>{w._(T.DAY)}<input type="date" name="at" value="{today}"></label>'
            f'<button type="submit">{w._(T.SHOW_THE_REPORT)}</button></form>'
        )
        html = shell_page(
            w, w.t.gettext(T.HISTORY), body, "", site.visitor(request),
            lines=site.lines(), history=True,
        )  # fmt: skip
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def report(self, site: Site, request: Request) -> Response:
        """One report inside the web view's page (``file=1``: the self-contained file)."""
        if not site.may_view(request):
            return RedirectResponse("/sign-in?next=/history", status_code=303)
        query = request.query_params
        kind, line, day = query.get("period", "shift"), query.get("line", ""), query.get("at", "")
        try:
            on = date.fromisoformat(day) if day else None
        except ValueError:
            on = None
            day = "?"
        if kind not in PERIODS or (line and line not in dict(self._lines())) or day == "?":
            return PlainTextResponse(self.words.t.gettext(T.NO_SUCH_REPORT), status_code=404)
        key = (kind, line, day)
        kept = self._kept.get(key)
        if kept is not None and time.monotonic() - kept[0] < KEEP_S:
            report = kept[1]
        else:
            async with self._lock:
                try:
                    report = await asyncio.to_thread(self._make, kind, line, on)
                except (ReportError, PeriodError, HistoryError) as error:
                    return PlainTextResponse(str(error), status_code=404)
            self._kept[key] = (time.monotonic(), report)
        plant = self.site.plant
        if query.get("file") == "1":
            text = render(report, "html", self.words.t.language, plant)
            return HTMLResponse(text, headers=FILE_HEADERS)
        return HTMLResponse(
            self._page(site, request, report, {"period": kind, "line": line, "at": day}),
            headers={"Cache-Control": "no-store"},
        )

    def _page(
        self, site: Site, request: Request, report: dict[str, Any], query: dict[str, str]
    ) -> str:
        """The report in the web view's page: its header, a way back, the file's link."""
        w = self.words
        words = ReportWords(w.t.language, self.site.plant)
        name = "-".join(["andon", query["period"], query["line"] or "plant", query["at"]])
        links = (
            f'<p class="report-links"><a class="back" href="/history">← {w._(T.BACK)}</a>'
            f'<a href="/history/report?{e(urlencode({**query, "file": "1"}))}" '
            f'download="{e(name)}.html">{w._(T.SAVE_THE_REPORT)}</a></p>'
        )
        body = f'{links}<article class="report">{report_body(report, words)}</article>'
        return shell_page(
            w, words.title(report), body, "", site.visitor(request),
            lines=site.lines(), history=True,
        )  # fmt: skip

    def _make(self, kind: str, line: str, on: date | None) -> dict[str, Any]:
        plant = self.site.plant
        scope = Scope("line", line) if line else Scope("site", plant.site.id)
        with open_store(self.url) as store:
            now = history_now(store, datetime.now(UTC))
            at = now
            if on is not None:  # that day: its last shift, or the day, week, month holding it
                at = min(now, datetime.combine(on, dt_time(23, 59), plant.site.zone))
            period = period_at(kind, at, plant.domain_calendar())
            return build_report(store, self.site, scope, period, now=now)
