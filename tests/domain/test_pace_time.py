"""Planned working time by pace judgement (andon/domain/pace_time.py), worked out by hand.

The day shift of the harness runs 08:00-17:00 with a 10:00-10:15 meeting and a
12:00-12:45 lunch; takt 160 s, the pace judged after 600 s of working time once the
plan has reached ``min_planned`` units.
"""

from __future__ import annotations

from andon.domain.pace import PaceRule
from andon.domain.pace_time import PaceTime, judged_from, pace_time
from tests.domain.harness import rules, t


def test_each_judgement_counts_its_working_time() -> None:
    # 5 units take 800 s of work: judged from 08:13:20 (later than 600 s, 08:10)
    station = rules(pace=PaceRule(min_elapsed_s=600, min_planned=5))
    window = station.calendar.shift_at(t(9))
    assert window is not None
    assert judged_from(station, window, t(14)) == t(8, 13, 20)
    changes = [(t(9), "too_slow"), (t(10, 30), "normal"), (t(13), "too_fast")]
    time = pace_time(station, window, t(14), changes)
    # normal 08:13:20-09:00 (2 800 s) and 10:30-13:00 less lunch (6 300 s);
    # too slow 09:00-10:30 less the meeting (4 500 s); too fast 13:00-14:00
    assert time == PaceTime(
        too_fast_s=3_600.0, too_slow_s=4_500.0, normal_s=9_100.0, not_judged_s=800.0
    )
    assert time.total_s == station.calendar.working_seconds(t(8), t(14)) == 18_000
    assert time.shares()["too_slow"] == 0.25


def test_a_shift_never_judged_is_all_not_judged() -> None:
    station = rules(pace=PaceRule(min_elapsed_s=600, min_planned=1_000))
    window = station.calendar.shift_at(t(9))
    assert window is not None
    assert judged_from(station, window, t(14)) is None
    time = pace_time(station, window, t(14), [])
    assert time == PaceTime(not_judged_s=18_000.0)
    assert PaceTime().shares() == dict.fromkeys(time.shares(), None)
