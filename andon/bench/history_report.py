"""``andon bench --history``: reports over a month of history, on SQLite and PostgreSQL.

The history (:mod:`andon.bench.history_data`: 30 days × 100 stations, about
4 M events) is generated once into an SQLite file in a cache folder and, for
PostgreSQL, stored into a throw-away server (:mod:`andon.bench.pg_server`).
Each report is built as ``andon report`` builds it (the same
:func:`andon.historian.report.build_report`), three times, and the median
taken: the last shift of one line and of the site (the targets: < 1 s and
< 3 s), and the whole month of one line (< 1 s), once first (it keeps the
shift sections) and then from the sections. The database size per million events
and the bulk store rate into PostgreSQL are measured in the same run.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from andon.bench.figures import Figure, Reference, Report
from andon.bench.history_data import START, bench_site, cached_history, store_history
from andon.bench.machine import describe
from andon.bench.pg_server import start_postgres
from andon.historian.period import Period, period_at
from andon.historian.report import Scope, build_report
from andon.historian.site import Site, load_site
from andon.historian.store import HistoryStore
from andon.historian.stores import open_store

Progress = Callable[[str], None]
LINES, PER_LINE, DAYS = 10, 10, 30
QUICK_DAYS = 2
ROUNDS = 3
LINE_TARGET_S, SITE_TARGET_S = 1.0, 3.0
CACHE = Path.home() / ".cache" / "andon-bench"


def _median_s(build: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        build()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _reports(store: HistoryStore, site: Site, days: int) -> dict[str, float]:
    now = START + timedelta(days=days)
    calendar = site.plant.domain_calendar()
    shift = period_at("shift", now - timedelta(hours=1), calendar)
    month = Period("range", START, now)
    line, whole = Scope("line", "bench-01"), Scope("site", site.plant.site.id)
    # The first report folds every station from its first event and keeps its state at
    # every shift end (the checkpoints); the reports measured then fold from those.
    store.clear_checkpoints()
    started = time.perf_counter()
    build_report(store, site, whole, shift, now=now)
    first = time.perf_counter() - started
    times = {
        "first_site_shift": first,
        "line_shift": _median_s(lambda: build_report(store, site, line, shift, now=now)),
        "site_shift": _median_s(lambda: build_report(store, site, whole, shift, now=now)),
    }
    # The line's first month report folds its stations from the checkpoints and keeps
    # each closed shift's section; the ones measured then combine those sections.
    started = time.perf_counter()
    build_report(store, site, line, month, now=now)
    times["first_line_month"] = time.perf_counter() - started
    times["line_month"] = _median_s(lambda: build_report(store, site, line, month, now=now))
    return times


def _figures(db: str, times: dict[str, float], size_mib_per_m: float) -> list[Figure]:
    key = db.lower()
    shift = Reference(f"line shift ({db})", times["line_shift"], "s")
    return [
        Figure(f"report_first_site_shift_{key}",
               f"first report: the site's shift, checkpoints written ({db})", "s",
               value=times["first_site_shift"], samples=1, reference=shift),
        Figure(f"report_line_shift_{key}", f"report: one line's shift ({db})", "s",
               value=times["line_shift"], samples=ROUNDS, target=f"< {LINE_TARGET_S:g} s",
               passed=times["line_shift"] < LINE_TARGET_S),
        Figure(f"report_site_shift_{key}", f"report: the site's shift, 100 stations ({db})", "s",
               value=times["site_shift"], samples=ROUNDS, reference=shift,
               target=f"< {SITE_TARGET_S:g} s", passed=times["site_shift"] < SITE_TARGET_S),
        Figure(f"report_first_line_month_{key}",
               f"first report: one line's whole month, shift sections written ({db})", "s",
               value=times["first_line_month"], samples=1, reference=shift),
        Figure(f"report_line_month_{key}",
               f"report: one line's whole month, from shift sections ({db})", "s",
               value=times["line_month"], samples=ROUNDS, reference=shift,
               target=f"< {LINE_TARGET_S:g} s", passed=times["line_month"] < LINE_TARGET_S),
        Figure(f"history_size_{key}", f"history size per million events ({db})", "MiB",
               value=size_mib_per_m),
    ]  # fmt: skip


def run_history(
    quick: bool,
    progress: Progress,
    cache: Path = CACHE,
    *,
    days: int | None = None,
    lines: int | None = None,
) -> Report:
    """The report benchmark (``quick``: 2 days instead of 30; ``days`` and ``lines`` of 10
    stations choose another size)."""
    days = days or (QUICK_DAYS if quick else DAYS)
    lines = lines or LINES
    began = time.monotonic()
    report = Report(machine=describe(), quick=quick)
    with tempfile.TemporaryDirectory(prefix="andon-bench-site-") as folder:
        site = load_site(bench_site(Path(folder), lines, PER_LINE))
        progress(f"history: {days} days × {lines * PER_LINE} stations (cached in {cache})")
        path, made = cached_history(cache, days, lines, PER_LINE)
        url = f"sqlite:///{path}"
        with open_store(url) as store:
            events = store.count()
            progress(f"reports on SQLite ({events:,} events{', generated now' if made else ''})")
            times = _reports(store, site, days)
        report.figures += _figures("SQLite", times, path.stat().st_size / 2**20 / events * 1e6)
        server = start_postgres()
        if server is None:
            report.figures.append(
                Figure("report_line_shift_postgresql", "report: one line's shift (PostgreSQL)",
                       "s", skipped="PostgreSQL 15 or psycopg is not installed")
            )  # fmt: skip
        else:
            try:
                progress("storing the history into PostgreSQL")
                started = time.perf_counter()
                store_history(server.url, days, lines, PER_LINE)
                rate = events / (time.perf_counter() - started)
                with open_store(server.url) as store:
                    size = store.database_bytes()
                    progress("reports on PostgreSQL")
                    pg_times = _reports(store, site, days)
                report.figures += _figures("PostgreSQL", pg_times, size / 2**20 / events * 1e6)
                report.figures.append(
                    Figure("history_bulk_store_postgresql",
                           "bulk store into PostgreSQL (20 000 events a transaction)", "events/s",
                           value=rate, samples=events)
                )  # fmt: skip
                for name in ("line_shift", "site_shift"):
                    report.figures.append(
                        Figure(f"report_{name}_pg_vs_sqlite",
                               f"report {name.replace('_', ' ')}: PostgreSQL against SQLite", "s",
                               value=pg_times[name],
                               reference=Reference(f"SQLite {name}", times[name], "s"))
                    )  # fmt: skip
            finally:
                server.stop()
    report.seconds = time.monotonic() - began
    return report
