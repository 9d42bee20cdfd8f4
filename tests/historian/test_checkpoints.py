"""Checkpoints of the folded state at shift ends, on a real SQLite file and a real PostgreSQL.

The history is the benchmark's (:mod:`andon.bench.history_data`, 2 lines × 2
stations over 3 days) with an equipment call, a line stop and a stop held
open across the end of a shift. A report folded from checkpoints must equal
the same report folded from the raw events alone; a back-fill below a
checkpoint removes it and the report then equals one from the complete
history; a database of schema version 1 is migrated and reported on.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from andon.bench.history_data import START, bench_site, station_events, station_paths
from andon.bus.messages import EventMessage
from andon.domain import events as ev
from andon.domain.state_codec import rules_fingerprint
from andon.domain.summary import call_totals
from andon.historian import checkpoints
from andon.historian.derive import fold_shifts
from andon.historian.period import Period
from andon.historian.report import Scope, build_report
from andon.historian.site import Site, load_site
from andon.historian.stores import open_store
from andon.simulate.figures import shift_state
from andon.station.build import station_rules

DAYS = 3
NOW = START + timedelta(days=DAYS)
LONG = "bench-01.s01.LONG"


def journal(path: str) -> list[EventMessage]:
    """The station's benchmark journal; the line's counting station also holds a call,
    a line stop and a stop open across 14:00 Berlin (13:00 UTC) of the second day."""
    events = [m.event for m in station_events(path, DAYS)]
    if path.endswith("bench-01/s01"):
        t = START + timedelta(days=1, hours=12, minutes=50)
        events += [
            ev.CallRaised(at=t, call_id=LONG, call_type="equipment", source="button"),
            ev.LineStopped(at=t + timedelta(seconds=1), cause="call", call_id=LONG),
            ev.StopStarted(
                at=t + timedelta(seconds=2),
                stop_id="S-LONG",
                source="line_stop",
                since=t + timedelta(seconds=1),
            ),
            ev.CallAcknowledged(
                at=t + timedelta(minutes=5), call_id=LONG, by="Tom", source="badge"
            ),
            ev.LineReleased(at=t + timedelta(minutes=25), cause="call", call_id=LONG),
            ev.StopEnded(at=t + timedelta(minutes=25, seconds=1), stop_id="S-LONG"),
            ev.CallResolved(
                at=t + timedelta(minutes=30),
                call_id=LONG,
                by="Tom",
                source="reason_card",
                reason="BRK-MECH",
            ),
        ]
        events.sort(key=lambda e: e.at)
    return [EventMessage(path, n, f"{path}#{n}", e) for n, e in enumerate(events, start=1)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(bench_site(tmp_path_factory.mktemp("bench-site"), 2, 2))


@pytest.fixture(scope="module")
def journals() -> dict[str, list[EventMessage]]:
    return {p: journal(p) for p in station_paths(2, 2)}


def fill(url: str, messages: list[EventMessage]) -> None:
    with open_store(url) as store:
        for n in range(0, len(messages), 5000):
            store.insert(messages[n : n + 5000])


def everything(journals: dict[str, list[EventMessage]]) -> list[EventMessage]:
    return [m for ms in journals.values() for m in ms]


def report(url: str, site: Site, period: Period, scope: str = "site") -> str:
    which = Scope("site", site.plant.site.id) if scope == "site" else Scope("line", scope)
    with open_store(url) as store:
        data = build_report(store, site, which, period, now=NOW, compare=True)
    return json.dumps(data, sort_keys=True)


def last_day() -> Period:
    return Period("range", START + timedelta(days=2), NOW)


def whole_range() -> Period:
    return Period("range", START, NOW)


def second_day() -> Period:
    return Period("range", START + timedelta(days=1), START + timedelta(days=2))


def execute(url: str, *statements: str) -> None:
    """Run SQL on the history database directly (as an operator would)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            for sql in statements:
                db.execute(sql)
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            for sql in statements:
                db.execute(sql)


def wipe_checkpoints(url: str) -> None:
    """Forget the checkpoints and the shift sections: the next report folds raw events."""
    execute(url, "DELETE FROM checkpoints", "DELETE FROM shift_sections")


def test_a_report_from_checkpoints_equals_one_from_raw_events(history_url, site, journals):
    fill(history_url, everything(journals))
    raw = report(history_url, site, second_day())  # no checkpoints yet: folded from the start
    with open_store(history_url) as store:
        held = store.checkpoints("demo-plant/assembly/bench-01/s01")
        assert len(held) >= 3 * (DAYS - 1)  # every shift end passed, up to the day's end
        path = "demo-plant/assembly/bench-01/s01"
        rules = station_rules(site.stations[path])
        start = checkpoints.resume(
            store, path, rules, rules_fingerprint(rules), START + timedelta(days=2)
        )
        assert start is not None and start.at > START + timedelta(days=1, hours=20)
    # later periods now start from checkpoints; the raw fold (checkpoints wiped) agrees
    for period, scope in ((last_day(), "site"), (second_day(), "site"), (last_day(), "bench-01")):
        from_checkpoints = report(history_url, site, period, scope)
        wipe_checkpoints(history_url)
        assert report(history_url, site, period, scope) == from_checkpoints
    assert report(history_url, site, second_day()) == raw


def test_a_checkpoint_holds_a_call_and_a_stop_open_across_a_shift_end(sqlite_url, site, journals):
    fill(sqlite_url, everything(journals))
    late = Period("range", START + timedelta(days=1, hours=13), START + timedelta(days=1, hours=21))
    report(sqlite_url, site, Period("range", START, START + timedelta(days=1, hours=14)))
    path = "demo-plant/assembly/bench-01/s01"
    rules = station_rules(site.stations[path])
    with open_store(sqlite_url) as store:
        start = checkpoints.resume(store, path, rules, rules_fingerprint(rules), late.start)
    assert start is not None and start.at == START + timedelta(days=1, hours=13)
    assert start.state.calls[LONG].is_open and start.state.line_stopped
    from_checkpoint = report(sqlite_url, site, late, "bench-01")
    wipe_checkpoints(sqlite_url)
    assert report(sqlite_url, site, late, "bench-01") == from_checkpoint
    assert '"BRK-MECH"' in from_checkpoint


@pytest.mark.parametrize("gap", ["head", "middle"])
def test_a_back_fill_below_a_checkpoint_rebuilds_it(history_url, site, journals, gap):
    path = "demo-plant/assembly/bench-01/s01"
    whole = journals[path]
    cut = range(0, 1500) if gap == "head" else range(2000, 2100)
    missing = [whole[i] for i in cut]
    partial = [m for ps, ms in journals.items() for m in ms if not (ps == path and m in missing)]
    fill(history_url, partial)
    before = report(history_url, site, whole_range(), "bench-01")
    with open_store(history_url) as store:
        held = store.checkpoints(path)
        assert held
        if gap == "middle":  # nothing is checkpointed over a gap
            assert max(seq for _, seq in held) <= missing[0].seq
        else:
            assert min(seq for _, seq in held) > missing[-1].seq
        store.insert(missing)  # the gap replayed
        left = store.checkpoints(path)
        assert all(seq <= missing[0].seq for _, seq in left)
    after = report(history_url, site, whole_range(), "bench-01")
    assert after != before
    with open_store(history_url) as store:
        assert max(seq for _, seq in store.checkpoints(path)) > missing[-1].seq
    wipe_checkpoints(history_url)
    assert report(history_url, site, whole_range(), "bench-01") == after


def test_a_version_1_database_is_migrated(history_url, site, journals):
    fill(history_url, everything(journals))
    expected = report(history_url, site, last_day(), "bench-01")
    execute(
        history_url,
        "DROP TABLE shift_sections",
        "DROP TABLE checkpoints",
        "DELETE FROM schema_migrations WHERE version >= 2",
    )
    with open_store(history_url) as store:
        assert store.schema_version() == 3
        assert store.checkpoints("demo-plant/assembly/bench-01/s01") == []
    assert report(history_url, site, last_day(), "bench-01") == expected


def test_calls_per_shift_are_the_boards_call_totals(sqlite_url, site, journals):
    """A call open across the shift change counts in both shifts, as on the board."""
    fill(sqlite_url, everything(journals))
    day = second_day()
    data = json.loads(report(sqlite_url, site, day, "bench-01"))
    got = {(r["start"], r["calls"]) for r in data["summary"]["calls_per_shift"]}
    calendar = site.plant.domain_calendar()
    windows = [w for w in calendar.windows(day.start, day.end) if w.start >= day.start]
    board = dict.fromkeys((w.start for w in windows), 0)
    with open_store(sqlite_url) as store:
        for path in site.line_stations("bench-01"):
            rules = station_rules(site.stations[path])
            fold = fold_shifts(path, rules, store.events_from(path, 0, day.end), windows, day.end)
            for shift in fold.shifts:
                totals = call_totals(shift_state(shift.state, shift.window))
                board[shift.window.start] += sum(sum(t.values()) for t in totals.values())
    zone = site.plant.site.zone
    assert got == {
        (w.isoformat(), n) for w, n in ((w.astimezone(zone), n) for w, n in board.items())
    }
    long_in = [
        s for s in data["lines"][0]["shifts"] if any(c["call_id"] == LONG for c in s["calls"])
    ]
    assert [s["shift"] for s in long_in] == ["early", "late"]
