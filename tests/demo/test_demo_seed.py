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
            assert row.kind == "counted"
            at = parse_instant(row.at)
            assert window.start < at < NOW
            counts[row_start_for(window, at)] += row.payload["good"]
    table = hourly_table(rules.calendar, window, rules.takt_s, counts, {}, NOW)

    complete = [row for row in table if row.complete]
    assert len(complete) == 3
    for row in complete:
        made_at_pace = row.planned / behaviour.pace
        assert abs(row.actual - made_at_pace) <= 1, (row.start, row.actual, made_at_pace)
