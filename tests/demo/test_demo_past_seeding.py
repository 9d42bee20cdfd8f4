"""The demo's past: which shifts it plays, and that a stop never leaves part of them.

Real journals and a real SQLite history in a temporary data folder, played by
``andon simulate``'s runner for line B's two stations (the whole plant plays the
same way, only longer). The shifts are the shift running now 21, 14 and 7 days
back and the shift before it, so ``andon report --compare`` (this shift against the
one before) has a previous shift. A stop while they are played leaves the data
folder as it was and the next start plays them all; a stop while they are put in
place is finished at the next start.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from andon.config.loader import load_plant, load_station
from andon.demo import past_place
from andon.demo.past_shift import People
from andon.demo.past_weeks import first_start, past_windows, seed_past_weeks
from andon.demo.run import DEMO_DIR, LINE_BEHAVIOUR, reason_cards
from andon.historian.period import period_at, previous
from andon.historian.report import Scope, build_report
from andon.historian.site import load_site
from andon.historian.stores import open_store
from andon.simulate.runner import journal_file

# 17:45 in Berlin: the late shift (14:00-22:00) runs; the early one (06:00-14:00) ran before it.
NOW = datetime(2026, 12, 7, 16, 45, tzinfo=UTC)
BERLIN_EARLY = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def line_b() -> dict[Path, object]:
    return {p: load_station(p) for p in sorted(DEMO_DIR.glob("station-b*.toml"))}


@pytest.fixture(scope="module")
def people() -> People:
    plant = load_plant(DEMO_DIR / "plant.toml")
    return People(
        leaders=[p.badge for p in plant.people if p.role in ("team_leader", "supervisor")],
        maintenance=[p.badge for p in plant.people if p.role == "maintenance"],
        reasons=reason_cards(plant),
    )


def seed(stations, data: Path, people: People, stopping=lambda: False) -> int:
    return seed_past_weeks(
        stations,
        data,
        f"sqlite:///{data / 'history.sqlite'}",
        NOW,
        LINE_BEHAVIOUR,
        people,
        7,
        stopping=stopping,
    )


def journal_rows(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("select seq, id from events order by seq").fetchall()


def history_rows(data: Path) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    with sqlite3.connect(data / "history.sqlite") as db:
        for station, seq, event_id in db.execute(
            "select station, seq, id from events order by station, seq"
        ):
            found.setdefault("-".join(station.split("/")[-2:]), []).append((seq, event_id))
    return found


def assert_complete(stations, data: Path) -> None:
    """Every station's journal holds all four shifts, and the history exactly the journals."""
    history = history_rows(data)
    for config in stations.values():
        path = journal_file(data, f"{config.line}/{config.id}")
        rows = journal_rows(path)
        assert [seq for seq, _ in rows] == list(range(1, len(rows) + 1))
        assert history[path.stem] == rows, path.stem
    assert not list(data.glob("*.part")) and not (data / past_place.MARKER).exists()
    assert not first_start(stations, data, data / "history.sqlite")


def test_the_past_is_three_weeks_of_this_shift_and_the_shift_before(line_b) -> None:
    windows = past_windows(line_b, NOW)
    starts = [(w.shift.name, w.start) for w in windows]
    late = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
    assert starts == [
        ("late", late - timedelta(days=21)),
        ("late", late - timedelta(days=14)),
        ("late", late - timedelta(days=7)),
        ("early", BERLIN_EARLY),
    ]


def test_the_default_compare_finds_the_shift_before_filled(tmp_path, line_b, people) -> None:
    data = tmp_path / "data"
    data.mkdir()
    assert seed(line_b, data, people) > 0
    assert_complete(line_b, data)
    site = load_site(DEMO_DIR)
    calendar = site.plant.domain_calendar()
    before = previous(period_at("shift", NOW, calendar), calendar)
    assert before.start == BERLIN_EARLY  # what --compare compares the shift running now with
    with open_store(f"sqlite:///{data / 'history.sqlite'}") as store:
        report = build_report(store, site, Scope("line", "line-b"), before, now=NOW)
    summary = report["summary"]
    assert summary["plan"] == 450  # 27 000 s of planned time (480 min less 30 of stops) / 60 s
    assert summary["actual"] > 0 and summary["calls"] > 0


def test_a_stop_while_playing_keeps_nothing_and_the_next_start_plays_it_all(
    tmp_path, line_b, people
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    asked = []

    def stop_after_the_first_shift() -> bool:
        asked.append(True)
        return len(asked) > 1

    assert seed(line_b, data, people, stopping=stop_after_the_first_shift) == 0
    assert not list(data.iterdir()), "the data folder is as it was"
    assert first_start(line_b, data, data / "history.sqlite")
    assert seed(line_b, data, people) > 0  # the next start
    assert_complete(line_b, data)


def test_a_stop_while_putting_the_past_in_place_is_finished_at_the_next_start(
    tmp_path, line_b, people
) -> None:
    played = tmp_path / "played"
    played.mkdir()
    seed(line_b, played, people)
    data = tmp_path / "data"
    data.mkdir()
    past_place.stage(played, data, line_b.values())
    # stopped after the first journal was renamed into place, before the history had any
    first = next(iter(sorted(data.glob("*.part"))))
    os.replace(first, first.with_suffix(""))
    url = f"sqlite:///{data / 'history.sqlite'}"
    assert past_place.finish_interrupted(line_b.values(), data, url)
    assert_complete(line_b, data)
    for path in sorted(data.glob("line-*.sqlite")):
        assert journal_rows(path) == journal_rows(played / path.name)


def test_copies_from_a_stop_before_they_were_complete_are_removed(tmp_path, line_b) -> None:
    data = tmp_path / "data"
    data.mkdir()
    part = data / "line-b-b1.sqlite.part"
    part.write_bytes(b"half a copy")
    assert not past_place.finish_interrupted(line_b.values(), data, "sqlite:///unused")
    assert not part.exists()
    assert first_start(line_b, data, data / "history.sqlite")
