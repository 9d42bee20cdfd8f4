"""The shift so far that the demo journals before it starts reads as its lines' pace, hour by hour.

Each counting station's journal is seeded on a real SQLite journal; its counts are
put in the rows of the domain's hourly table. Every complete hour holds what the
line makes at its pace in that hour's working time (line A on plan, B ahead, C
behind), the hour before the meal break as much as the hour with it: no hour
looks off plan because its last units were booked in the next one.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from andon.config.loader import load_station
from andon.demo.run import DEMO_DIR, LINE_BEHAVIOUR
from andon.demo.shift_so_far import seed_shift_so_far
from andon.domain.events import parse_instant
from andon.domain.hourly import hourly_table, row_start_for
from andon.domain.pace_time import pace_time
from andon.journal.store import Journal
from andon.station.assemble import station_address
from andon.station.build import station_rules

# 17:45 in Berlin: the late shift (14:00-22:00) has run its start meeting and its meal break.
NOW = datetime(2026, 12, 7, 16, 45, tzinfo=UTC)


@pytest.mark.parametrize("station", ["station-a3.toml", "station-b2.toml", "station-c2.toml"])
def test_seeded_hours_hold_the_line_pace(tmp_path: Path, station: str) -> None:
    config = load_station(DEMO_DIR / station)
    behaviour = LINE_BEHAVIOUR[config.line]
    path = tmp_path / "journal.sqlite"
    seed_shift_so_far(config, path, NOW, behaviour)

    rules = station_rules(config)
    window = rules.calendar.shift_at(NOW)
    assert window is not None
    counts: Counter[datetime] = Counter()
    with Journal(path, owner=station_address(config).path) as journal:
        for row in journal.rows():
            at = parse_instant(row.at)
            if row.kind == "pace_changed":
                continue
            assert row.kind == "counted"
            assert window.start < at < NOW
            counts[row_start_for(window, at)] += row.payload["good"]
    table = hourly_table(rules.calendar, window, rules.takt_s, counts, {}, NOW)

    complete = [row for row in table if row.complete]
    assert len(complete) == 3
    for row in complete:
        made_at_pace = row.planned / behaviour.pace
        assert abs(row.actual - made_at_pace) <= 1, (row.start, row.actual, made_at_pace)


@pytest.mark.parametrize(
    ("station", "judged"),
    [("station-a3.toml", None), ("station-b2.toml", "too_fast"), ("station-c2.toml", "too_slow")],
)
def test_seeded_shift_carries_the_pace_judgement_the_station_would_have_made(
    tmp_path: Path, station: str, judged: str | None
) -> None:
    """Line A on plan is never judged off it; B ahead is too fast and C behind too slow
    from their first judged count on, so the history's time by judgement is the board's."""
    config = load_station(DEMO_DIR / station)
    path = tmp_path / "journal.sqlite"
    seed_shift_so_far(config, path, NOW, LINE_BEHAVIOUR[config.line])
    rules = station_rules(config)
    window = rules.calendar.shift_at(NOW)
    assert window is not None
    with Journal(path, owner=station_address(config).path) as journal:
        changes = [
            (parse_instant(row.at), row.payload["pace"])
            for row in journal.rows()
            if row.kind == "pace_changed"
        ]
    assert [to for _, to in changes] == ([] if judged is None else [judged])
    time = pace_time(rules, window, NOW, changes)
    if judged is None:
        assert time.too_fast_s == time.too_slow_s == 0
    else:
        off_plan = time.too_fast_s if judged == "too_fast" else time.too_slow_s
        assert off_plan >= 0.8 * (time.total_s - time.not_judged_s)
