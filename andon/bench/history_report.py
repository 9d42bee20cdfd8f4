"""``andon bench --history``: reports over a month of history, on SQLite and PostgreSQL.

The history (:mod:`andon.bench.history_data`: 30 days × 100 stations, about
4 M events) is stored as the running historian stores it, with the checkpoint of
every station at every shift end, once into an SQLite file in a cache folder and,
for PostgreSQL, into a throw-away server (:mod:`andon.bench.pg_server`). Opening
it, the historian's fold catches up as a restarted historian does (nothing to do
when the cache was folded under today's rules). Each report is built as ``andon
report`` builds it (the same :func:`andon.historian.report.build_report`), three
times, and the median taken: the last shift of one line and of the site (the
targets: < 1 s and < 3 s), and the whole month of one line (< 1 s), once first (it
keeps the shift sections) and then from the sections. The database size per
million events and the store rate (as the historian stores and folds) are measured
in the same run.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from andon.bench import words as W
from andon.bench.figures import Figure, Reference, Report, single, skipped
from andon.bench.history_data import START, bench_site, cached_history, catch_up, store_history
from andon.bench.machine import describe
from andon.bench.pg_server import start_postgres
from andon.historian.ingest_fold import FoldRules, IngestFold, fold_rules
from andon.historian.period import Period, period_at
from andon.historian.report import Scope, build_report
from andon.historian.service import BATCH_MAX
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


def _caught_up(store: HistoryStore, folding: FoldRules) -> int:
    """Start the historian's fold over the history as a restarted historian does and let
    it catch up; the events it folded (a few per station when the history was stored
    under these rules)."""
    fold = IngestFold(folding)
    fold.start(store)
    catch_up(store, fold)
    return fold.folded


def _reports(store: HistoryStore, site: Site, days: int) -> dict[str, float]:
    now = START + timedelta(days=days)
    calendar = site.plant.domain_calendar()
    shift = period_at("shift", now - timedelta(hours=1), calendar)
    month = Period("range", START, now)
    line, whole = Scope("line", "bench-01"), Scope("site", site.plant.site.id)
    # The history holds the checkpoints the historian kept as it stored: a shift report
    # folds its stations from the one at its shift's start.
    times = {
        "line_shift": _median_s(lambda: build_report(store, site, line, shift, now=now)),
        "site_shift": _median_s(lambda: build_report(store, site, whole, shift, now=now)),
    }
    # The line's first month report folds its stations from the checkpoints and keeps
    # each closed shift's section; the ones measured then combine those sections.
    store.clear_shift_sections()
    started = time.perf_counter()
    build_report(store, site, line, month, now=now)
    times["first_line_month"] = time.perf_counter() - started
    times["line_month"] = _median_s(lambda: build_report(store, site, line, month, now=now))
    return times


def _figures(db: str, times: dict[str, float], size_mib_per_m: float) -> list[Figure]:
    key = db.lower()
    shift = Reference(W.LINE_SHIFT_OF.format(db=db), times["line_shift"], "s")
    line_target = W.UNDER_S.format(seconds=f"{LINE_TARGET_S:g}")
    site_target = W.UNDER_S.format(seconds=f"{SITE_TARGET_S:g}")
    return [
        single(f"report_line_shift_{key}", W.LINE_SHIFT.format(db=db), "s",
               times["line_shift"], samples=ROUNDS, target=line_target,
               passed=times["line_shift"] < LINE_TARGET_S),
        single(f"report_site_shift_{key}", W.SITE_SHIFT.format(db=db), "s",
               times["site_shift"], samples=ROUNDS, reference=shift,
               target=site_target, passed=times["site_shift"] < SITE_TARGET_S),
        single(f"report_first_line_month_{key}", W.FIRST_LINE_MONTH.format(db=db), "s",
               times["first_line_month"], samples=1, reference=shift),
        single(f"report_line_month_{key}", W.LINE_MONTH.format(db=db), "s",
               times["line_month"], samples=ROUNDS, reference=shift,
               target=line_target, passed=times["line_month"] < LINE_TARGET_S),
        single(f"history_size_{key}", W.HISTORY_SIZE.format(db=db), "MiB",
               size_mib_per_m, samples=0),
    ]  # fmt: skip


def _store_rate(db: str, events: int, seconds: float) -> Figure:
    """The rate the history was stored at, as the historian stores and folds it."""
    label = W.STORE_FOLDED.format(db=db, batch=f"{BATCH_MAX:,}")
    return single(f"history_store_{db.lower()}", label, "events/s", events / seconds,
                  samples=events)  # fmt: skip


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
        folding = fold_rules(site)
        progress(W.MEASURE_HISTORY.format(days=days, stations=lines * PER_LINE, cache=cache))
        started = time.perf_counter()
        path, made = cached_history(cache, days, lines, PER_LINE, folding)
        made_s = time.perf_counter() - started
        url = f"sqlite:///{path}"
        with open_store(url) as store:
            events = store.count()
            folded = _caught_up(store, folding)
            fresh = W.MEASURE_REPORTS_SQLITE_NEW if made else W.MEASURE_REPORTS_SQLITE
            progress(fresh.format(events=f"{events:,}", folded=f"{folded:,}"))
            times = _reports(store, site, days)
        report.figures += _figures("SQLite", times, path.stat().st_size / 2**20 / events * 1e6)
        if made:
            report.figures.append(_store_rate("SQLite", events, made_s))
        server = start_postgres()
        if server is None:
            report.figures.append(
                skipped("report_line_shift_postgresql", W.LINE_SHIFT.format(db="PostgreSQL"),
                        "s", W.NO_POSTGRESQL_INSTALLED)
            )  # fmt: skip
        else:
            try:
                progress(W.MEASURE_PG_STORE)
                started = time.perf_counter()
                store_history(server.url, days, lines, PER_LINE, folding)
                store_s = time.perf_counter() - started
                with open_store(server.url) as store:
                    size = store.database_bytes()
                    progress(W.MEASURE_REPORTS_PG)
                    pg_times = _reports(store, site, days)
                report.figures += _figures("PostgreSQL", pg_times, size / 2**20 / events * 1e6)
                report.figures.append(_store_rate("PostgreSQL", events, store_s))
                against = (
                    ("line_shift", W.LINE_SHIFT_PG, W.SQLITE_LINE_SHIFT),
                    ("site_shift", W.SITE_SHIFT_PG, W.SQLITE_SITE_SHIFT),
                )
                for name, row, sqlite in against:
                    report.figures.append(
                        single(f"report_{name}_pg_vs_sqlite", row, "s", pg_times[name], samples=0,
                               reference=Reference(sqlite, times[name], "s"))
                    )  # fmt: skip
            finally:
                server.stop()
    report.seconds = time.monotonic() - began
    return report
