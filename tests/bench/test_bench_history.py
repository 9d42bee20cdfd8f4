"""The report benchmark's history: a plant of 100 stations and its generated journals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from andon.bench.history_data import (
    START,
    bench_site,
    station_events,
    station_paths,
    store_history,
)
from andon.domain import events as ev
from andon.historian.ingest_fold import fold_rules
from andon.historian.period import Period, period_at
from andon.historian.report import Scope, build_report
from andon.historian.site import load_site
from andon.historian.stores import open_store


def test_the_bench_plant_has_ten_lines_of_ten_stations(tmp_path: Path) -> None:
    site = load_site(bench_site(tmp_path / "site", 10, 10))
    assert len([p for p in site.stations if "/bench-" in p]) == 100
    assert len(site.line_stations("bench-07")) == 10


def test_a_generated_day_reports_what_was_generated(tmp_path: Path) -> None:
    site = load_site(bench_site(tmp_path / "site", 1, 2))
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    stored = store_history(url, 1, 1, 2)
    counting = list(station_events("demo-plant/assembly/bench-01/s01", 1))
    other = list(station_events("demo-plant/assembly/bench-01/s02", 1))
    assert stored == len(counting) + len(other) > 2 * 86_400 // 65
    assert [m.seq for m in counting] == list(range(1, len(counting) + 1))
    day = Period("range", START, START + timedelta(days=1))
    # A range holds the shifts starting in it: the night shift begun the evening before
    # (22:00 plant time, before START) is not in it, the one begun at its end is, whole.
    windows = [
        w for w in site.plant.domain_calendar().windows(day.start, day.end) if w.start >= day.start
    ]

    def inside(m) -> bool:
        return any(w.start <= m.event.at < w.end for w in windows)

    good = sum(m.event.good for m in counting if isinstance(m.event, ev.Counted) and inside(m))
    with open_store(url) as store:
        report = build_report(store, site, Scope("line", "bench-01"), day, now=day.end)
    assert report["summary"]["actual"] == good
    assert report["summary"]["calls"] >= 2 * 20, "a call an hour at each station"
    assert report["summary"]["response"]["overall"]["repair"]["mean_s"] == 360.0


def test_the_history_is_stored_with_the_historians_checkpoints(tmp_path: Path) -> None:
    site = load_site(bench_site(tmp_path / "site", 1, 2))
    folded = f"sqlite:///{tmp_path / 'folded.sqlite'}"
    bare = f"sqlite:///{tmp_path / 'bare.sqlite'}"
    assert store_history(folded, 2, 1, 2, fold_rules(site)) == store_history(bare, 2, 1, 2)
    end = START + timedelta(days=2)
    calendar = site.plant.domain_calendar()
    ends = [w.end for w in calendar.windows(START, end) if START < w.end <= end]
    shift = period_at("shift", end - timedelta(hours=1), calendar)
    with open_store(folded) as store, open_store(bare) as plain:
        for station in station_paths(1, 2):
            held = [at for at, _seq in store.checkpoints(station)]
            assert held == ends, "a checkpoint at every shift end the events passed"
            assert plain.checkpoints(station) == []
        report = build_report(store, site, Scope("line", "bench-01"), shift, now=end)
        again = build_report(plain, site, Scope("line", "bench-01"), shift, now=end)
    assert report == again
