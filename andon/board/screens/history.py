"""History of the selected line, from the history database: this shift against the same
shift last week, the 4-week downtime Pareto and the MTTR trend (:mod:`andon.board.history`).

The history is read in a worker thread when the screen is shown, when the line
changes and, while it stays shown, as plant time goes on (every minute of it, at
once when another shift runs; the four weeks every half hour of it or when another
week runs: :mod:`andon.board.history_pacing`); the live view only redraws the
status bar.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from andon.board.formatting import bar, duration, number, percent, signed, signed_duration
from andon.board.history import LineHistory, line_history
from andon.board.history_pacing import CHECK_S, reload_due, weeks_fresh
from andon.board.screens.base import BoardScreen
from andon.board.views import BoardView, ParetoBar
from andon.board.widgets.keyed_table import KeyedTable, Row
from andon.board.widgets.pareto import ParetoChart
from andon.board.widgets.steady import SteadyStatic
from andon.config.errors import ConfigError
from andon.domain.pace_time import PACE_TIME_KEYS
from andon.domain.shown_figures import plan_text
from andon.historian.errors import TEMPLATES as HISTORY_ERRORS
from andon.historian.period import PeriodError, period_at
from andon.historian.report import ReportError
from andon.historian.site import Site, load_site
from andon.historian.store import HistoryError
from andon.historian.stores import open_store
from andon.historian.words import ReportWords
from andon.i18n import N_, formats
from andon.i18n.formats import date_time, short_date
from andon.i18n.sentences import translated

log = logging.getLogger(__name__)

COMPARE_COLUMNS = [
    (N_("Figure"), 16),
    (N_("This shift"), 15),
    (N_("Last week, same time"), 20),
    (N_("Change"), None),
]
PACE_LABELS = {
    "too_fast": N_("Too fast"),
    "too_slow": N_("Too slow"),
    "normal": N_("Normal pace"),
    "not_judged": N_("Not judged"),
}
"""The rows of the planned working time by pace judgement (:mod:`andon.domain.pace_time`)."""
TREND_COLUMNS = [
    (N_("Week of"), 10),
    (N_("Calls"), 6),
    (N_("MTTA"), 8),
    (N_("MTTR"), 8),
    (N_("Shifts recorded"), 6),
    (N_("Trend"), None),
]
"""Widths for the values (``2026/12/28``, ``1:30:00``, ``21/21``); a longer label widens its
column (Chinese writes MTTA out, 平均响应时间), and the table still fits 80 columns."""


def _figures(summary: dict[str, Any] | None) -> dict[str, float | None]:
    if summary is None:
        return {}
    overall = summary["response"].get("overall") or {}
    return {
        "plan": summary["plan"],
        "actual": summary["actual"],
        "oee": summary["kpi"]["oee"],
        "downtime": summary["kpi"]["downtime_s"],
        "calls": summary["calls"],
        "mttr": (overall.get("repair") or {}).get("mean_s"),
        **{key: summary["pace"]["all"]["seconds"][key] for key in PACE_TIME_KEYS},
    }


class HistoryScreen(BoardScreen):
    """This shift against last week's, the 4-week Pareto and MTTR trend of the line."""

    DEFAULT_CSS = """
    #history-body { height: 1fr; }
    #history-compare, #history-trend { height: auto; }
    #history-head, #history-pareto { padding: 0 1; }
    /* The Pareto takes the rows the rest leaves it (its last row sums up what does not fit). */
    #history-pareto { height: 1fr; max-height: 1; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.history: LineHistory | None = None
        self.problem = ""
        self._site: Site | None = None
        self._loaded_at = 0.0
        """The wall clock (monotonic) of the last read."""
        self._loaded_line = ""
        self._read_now: datetime | None = None
        """The plant time the last read was asked at."""
        self._weeks_now: datetime | None = None
        """The plant time the four weeks kept were read at."""

    def compose_body(self) -> ComposeResult:
        _ = self.board.tr.gettext
        with Vertical(id="history-body"):
            yield SteadyStatic("", id="history-head")
            yield KeyedTable(self._columns(COMPARE_COLUMNS), id="history-compare")
            yield Label(_("Downtime by reason, last 4 weeks"), classes="panel-title")
            yield ParetoChart(self.board.tr, id="history-pareto")
            yield Label(_("MTTR trend of the line, last 4 weeks"), classes="panel-title")
            yield KeyedTable(self._columns(TREND_COLUMNS), id="history-trend")

    def _columns(self, columns: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
        return [(self.board.tr.gettext(name), width) for name, width in columns]

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(CHECK_S, self._reload_if_due)

    def _reload_if_due(self) -> None:
        """Read again when plant time says so (:func:`reload_due`)."""
        view = self.board.view
        if not self.is_current or view is None:
            return
        shown = self.history.this_shift.start if self.history is not None else None
        wall_s = time.monotonic() - self._loaded_at
        if reload_due(self._read_now, view.now, shown, self._shift_start(view.now), wall_s):
            self.load()

    def _shift_start(self, now: datetime) -> datetime | None:
        """The start of the shift running at plant time ``now`` (None before the site is read)."""
        if self._site is None:
            return None
        try:
            return period_at("shift", now, self._site.plant.domain_calendar()).start
        except PeriodError:
            return None

    def show(self, view: BoardView) -> None:
        line = self.board.line_id
        if line != self._loaded_line or not self._loaded_at:
            self.load()
        self._draw(line)

    # --- reading the history (a worker thread) ----------------------------------------

    def load(self) -> None:
        view = self.board.view
        if view is None:
            return
        self._loaded_at = time.monotonic()
        self._loaded_line = self.board.line_id
        self._read_now = view.now
        self._read(self.board.line_id, view.now)

    @work(thread=True, exclusive=True, group="history")
    def _read(self, line: str, now: datetime) -> None:
        result, problem = self._history(line, now)
        self.app.call_from_thread(self._loaded, line, result, problem)

    def _history(self, line: str, now: datetime) -> tuple[LineHistory | None, str]:
        _ = self.board.tr.gettext
        catalogue = self.board.catalogue
        if not catalogue.history or catalogue.plant_file is None:
            return None, _(
                'This board keeps no history: set history = "sqlite:///…" in its board file.'
            )
        try:
            if self._site is None:
                self._site = load_site(catalogue.plant_file)
            calendar = self._site.plant.domain_calendar()
            kept = self.history
            week_then = kept.weeks[-1].start if kept is not None and kept.weeks else None
            week_now = period_at("week", now, calendar).start
            fresh = weeks_fresh(self._weeks_now, now, week_then, week_now)
            keep = kept if fresh else None
            with open_store(catalogue.history) as store:
                result = line_history(store, self._site, line, now, weeks_of=keep)
            if result.weeks is not (keep.weeks if keep else None):
                self._weeks_now = now
            return result, ""
        except (HistoryError, ReportError, ConfigError, PeriodError) as error:
            log.warning("history screen: %s", error)
            shown = translated(str(error), HISTORY_ERRORS, self.board.tr)
            return None, _("The history cannot be read: {error}").format(error=shown)

    def _loaded(self, line: str, result: LineHistory | None, problem: str) -> None:
        self.history, self.problem = result, problem
        if self.is_current:
            self._draw(self.board.line_id)

    # --- drawing ---------------------------------------------------------------------

    def _draw(self, line: str) -> None:
        _ = self.board.tr.gettext
        head = self.query_one("#history-head", SteadyStatic)
        history = self.history if self.history and self.history.line == line else None
        info = self.board.catalogue.line(line)
        name = info.name if info else line
        if history is None:
            text = self.problem or _("Reading the history of {line}…").format(line=name)
            head.show(Text(text, "bold yellow" if self.problem else "dim"))
            return
        zone = self.board.catalogue.zone
        this, before = history.this_shift, history.last_week
        if this.start is None:
            text = Text(_("History of {line}").format(line=name), "bold")
        else:
            start = date_time(this.start.astimezone(zone), self.board.catalogue.language)
            text = Text(
                _("History of {line}: shift {shift} from {start}").format(
                    line=name, shift=self.board.catalogue.shift_name(this.name), start=start
                ),
                "bold",
            )
        for shift in (this, before):
            if shift.missing:
                missing = translated(shift.missing, HISTORY_ERRORS, self.board.tr)
                text.append(f"\n{missing}", "yellow")
            elif shift.no_events and shift.start is not None:
                start = date_time(shift.start.astimezone(zone), self.board.catalogue.language)
                sentence = _("No events of {line} in the shift from {start}.")
                text.append("\n" + sentence.format(line=name, start=start), "yellow")
        head.show(text)
        self.query_one("#history-compare", KeyedTable).set_rows(self._compare_rows(history))
        plant = self._site.plant if self._site is not None else None
        words = ReportWords(self.board.catalogue.language, plant)
        self.query_one("#history-pareto", ParetoChart).bars = tuple(
            ParetoBar(
                words.reason(row["reason"], row.get("label")),
                float(row["seconds"]),
                int(row["stops"]),
                unexplained=not row["reason"] or row["reason"].endswith(": reason missing"),
            )
            for row in history.pareto
        )
        self.query_one("#history-trend", KeyedTable).set_rows(self._trend_rows(history))

    def _compare_rows(self, history: LineHistory) -> list[Row]:
        _ = self.board.tr.gettext
        this, before = history.this_shift.summary, history.last_week.summary
        now, then = _figures(this), _figures(before)
        shown: list[tuple[str, str, Callable[[float], str]]] = [
            ("plan", _("Plan"), lambda v: plan_text(v, self.board.tr.language)),
            ("actual", _("Actual"), lambda v: number(v, self.board.tr, 0)),
            ("oee", _("OEE"), lambda v: percent(v, self.board.tr)),
            ("downtime", _("Downtime"), duration),
            ("calls", _("Calls"), lambda v: number(v, self.board.tr, 0)),
            ("mttr", _("MTTR"), duration),
        ]
        rows: list[Row] = []
        for key, label, show in shown:
            a, b = now.get(key), then.get(key)
            cells = [show(a) if a is not None else "–", show(b) if b is not None else "–"]
            rows.append((key, [label, *cells, self._change(key, a, b)]))
        for key, label in PACE_LABELS.items():
            a, b = now.get(key), then.get(key)
            cells = [self._pace_cell(key, this), self._pace_cell(key, before)]
            rows.append((key, [_(label), *cells, self._change(key, a, b)]))
        return rows

    def _change(self, key: str, a: float | None, b: float | None) -> str:
        """This shift's figure less last week's, written as the figure is."""
        if a is None or b is None:
            return "–"
        if key == "oee":
            points = signed((a - b) * 100, self.board.tr, 1)
            return self.board.tr.gettext("{points} pts").format(points=points)
        if key in ("downtime", "mttr", *PACE_TIME_KEYS):
            return signed_duration(a - b, self.board.tr)
        return signed(a - b, self.board.tr, 0 if key in ("actual", "calls") else 1)

    def _pace_cell(self, key: str, summary: dict[str, Any] | None) -> str:
        """A judgement's working time and its share of the planned working time, as
        ``andon report`` rounds the share (one decimal)."""
        if summary is None:
            return "–"
        pace = summary["pace"]["all"]
        seconds, share = pace["seconds"][key], pace["share"][key]
        if share is None:
            return duration(seconds)
        shown = formats.percent(share, self.board.catalogue.language, digits=1)
        # TRANSLATORS: a working time (4:05) and its share of the shift's (12.5%)
        return self.board.tr.gettext("{time} {share}").format(time=duration(seconds), share=shown)

    def _trend_rows(self, history: LineHistory) -> list[Row]:
        zone = self.board.catalogue.zone
        tr = self.board.tr
        longest = max((w.mttr_s or 0.0 for w in history.weeks), default=0.0) or 1.0
        rows: list[Row] = []
        for week in history.weeks:
            rows.append(
                (
                    week.start.isoformat(),
                    [
                        short_date(week.start.astimezone(zone), tr.language),
                        number(week.calls, tr, 0),
                        duration(week.mtta_s),
                        duration(week.mttr_s),
                        tr.gettext("{recorded} of {total}").format(
                            recorded=number(week.recorded, tr, 0),
                            total=number(week.shifts, tr, 0),
                        )
                        if week.shifts
                        else "–",
                        bar((week.mttr_s or 0.0) / longest, 12),
                    ],
                )
            )
        return rows
