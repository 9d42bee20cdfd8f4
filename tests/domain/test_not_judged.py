"""Before the pace may be judged a counting station publishes no pace ("NOT JUDGED"),
never "normal" (docs/figures.md)."""

from __future__ import annotations

from andon.domain import commands as cmd
from andon.domain.snapshot import snapshot
from tests.domain.harness import Line, rules, t


def test_the_pace_is_not_judged_in_the_first_ten_minutes_of_the_shift() -> None:
    line = Line(rules(), t(8))  # min_elapsed_s 600, takt 160 s
    line.until(t(8, 3))
    line.do(cmd.count, good=1)
    early = snapshot(line.state, line.now)
    assert early["pace"] is None and early["good"] == 1
    for minute in (5, 8):
        line.until(t(8, minute))
        line.do(cmd.count, good=1)
    line.until(t(8, 10, 30))
    judged = snapshot(line.state, line.now)
    assert judged["pace"] == "normal"  # 3 of 3.9 planned: within the band


def test_a_station_that_does_not_count_never_judges_pace() -> None:
    line = Line(rules(counts=False, station="a1"), t(8))
    line.until(t(9))
    assert snapshot(line.state, line.now)["pace"] is None
