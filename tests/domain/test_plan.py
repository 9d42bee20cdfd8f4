"""The plan curve of a shift, with one takt or a sequence of orders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from andon.domain.calendar import Calendar, PlannedStop, Shift, ShiftWindow, StopKind
from andon.domain.plan import (
    PlanSegment,
    planned_count,
    planned_count_segments,
    segment_spans,
)

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2024, 6, 10)
DAY = Shift(
    "day",
    time(8),
    time(17),
    stops=(
        PlannedStop("morning meeting", time(8), time(8, 10), StopKind.MEETING),
        PlannedStop("break", time(10), time(10, 10)),
        PlannedStop("lunch", time(12), time(12, 45)),
        PlannedStop("break", time(15), time(15, 10)),
    ),
)
CALENDAR = Calendar(shifts=(DAY,), tz=BERLIN)


def on(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute, second), tzinfo=BERLIN)


def window() -> ShiftWindow:
    found = CALENDAR.shift_at(on(9))
    assert found is not None
    return found


class TestPlannedCount:
    def test_zero_before_and_at_the_start(self) -> None:
        assert planned_count(CALENDAR, window(), 160, on(7)) == 0
        assert planned_count(CALENDAR, window(), 160, on(8)) == 0

    def test_flat_during_the_morning_meeting(self) -> None:
        assert planned_count(CALENDAR, window(), 160, on(8, 9, 59)) == 0

    def test_counts_working_time_over_takt(self) -> None:
        # 08:10-10:00 = 110 min of work.
        assert planned_count(CALENDAR, window(), 160, on(10)) == pytest.approx(110 * 60 / 160)
        assert planned_count(CALENDAR, window(), 60, on(9, 10)) == 60

    def test_flat_during_lunch(self) -> None:
        at_noon = planned_count(CALENDAR, window(), 160, on(12))
        assert planned_count(CALENDAR, window(), 160, on(12, 30)) == at_noon
        assert planned_count(CALENDAR, window(), 160, on(12, 45)) == at_noon
        assert planned_count(CALENDAR, window(), 160, on(12, 46)) > at_noon

    def test_whole_shift_meets_the_demand_of_the_seed(self) -> None:
        # 27 900 s at the computed takt 159.43 s is 175 units; at the adopted 160 s it is 174.4.
        assert planned_count(CALENDAR, window(), 27_900 / 175, on(17)) == pytest.approx(175)
        assert planned_count(CALENDAR, window(), 160, on(17)) == pytest.approx(174.375)

    def test_flat_after_the_end(self) -> None:
        assert planned_count(CALENDAR, window(), 160, on(23)) == planned_count(
            CALENDAR, window(), 160, on(17)
        )

    def test_takt_must_be_positive(self) -> None:
        with pytest.raises(ValueError, match="takt"):
            planned_count(CALENDAR, window(), 0, on(9))

    def test_naive_instant_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            planned_count(CALENDAR, window(), 160, datetime(2024, 6, 10, 9))


class TestSegments:
    def test_a_single_uncapped_segment_is_the_plain_curve(self) -> None:
        segments = [PlanSegment(on(8), 160)]
        for t in (on(8), on(9, 30), on(12, 20), on(16, 59), on(18)):
            assert planned_count_segments(CALENDAR, window(), segments, t) == pytest.approx(
                planned_count(CALENDAR, window(), 160, t)
            )

    def test_takt_change_at_a_time(self) -> None:
        segments = [PlanSegment(on(8), 60), PlanSegment(on(9, 10), 120)]
        # 08:10-09:10 at 60 s = 60 units, 09:10-10:00 at 120 s = 25 units.
        assert planned_count_segments(CALENDAR, window(), segments, on(10)) == pytest.approx(85)

    def test_next_order_starts_when_the_previous_is_planned_to_finish(self) -> None:
        segments = [
            PlanSegment(on(8), 60, quantity=30, product="A"),
            PlanSegment(on(8), 120, quantity=10, product="B"),
            PlanSegment(on(8), 30, product="C"),
        ]
        spans = segment_spans(CALENDAR, window(), segments)
        # A: 08:10 + 30 min; B: 08:40 + 20 min; C from 09:00 on.
        assert [(s.segment.product, s.start, s.end, s.finished) for s in spans] == [
            ("A", on(8, 10), on(8, 40), True),
            ("B", on(8, 40), on(9), True),
            ("C", on(9), window().end, False),
        ]
        assert planned_count_segments(CALENDAR, window(), segments, on(8, 25)) == pytest.approx(15)
        assert planned_count_segments(CALENDAR, window(), segments, on(8, 40)) == 30
        assert planned_count_segments(CALENDAR, window(), segments, on(8, 50)) == pytest.approx(35)
        assert planned_count_segments(CALENDAR, window(), segments, on(9)) == 40
        assert planned_count_segments(CALENDAR, window(), segments, on(9, 30)) == pytest.approx(100)

    def test_an_order_finishing_across_a_break_waits_for_the_break(self) -> None:
        segments = [PlanSegment(on(9, 50), 60, quantity=20), PlanSegment(on(8), 60, quantity=5)]
        spans = segment_spans(CALENDAR, window(), segments)
        # Sorted by start: the 08:00 order first (08:10-08:15), then 09:50 + 10 min + break.
        assert [(s.start, s.end) for s in spans] == [
            (on(8, 10), on(8, 15)),
            (on(9, 50), on(10, 20)),
        ]
        assert planned_count_segments(CALENDAR, window(), segments, on(9)) == 5
        assert planned_count_segments(CALENDAR, window(), segments, on(10, 5)) == pytest.approx(15)
        assert planned_count_segments(CALENDAR, window(), segments, on(16)) == 25

    def test_plan_is_flat_between_a_finished_order_and_a_later_start(self) -> None:
        segments = [PlanSegment(on(8), 60, quantity=10), PlanSegment(on(11), 60, quantity=10)]
        assert planned_count_segments(CALENDAR, window(), segments, on(8, 20)) == 10
        assert planned_count_segments(CALENDAR, window(), segments, on(10, 59)) == 10
        assert planned_count_segments(CALENDAR, window(), segments, on(11, 5)) == pytest.approx(15)

    def test_an_order_too_big_for_the_shift_is_cut_at_the_end(self) -> None:
        segments = [PlanSegment(on(8), 160, quantity=500), PlanSegment(on(8), 60, quantity=10)]
        spans = segment_spans(CALENDAR, window(), segments)
        assert not spans[0].finished
        assert spans[1].start == spans[1].end == window().end
        assert planned_count_segments(CALENDAR, window(), segments, on(20)) == pytest.approx(
            174.375
        )

    def test_a_segment_starting_before_the_window_counts_from_its_start(self) -> None:
        segments = [PlanSegment(on(8) - timedelta(days=1), 60)]
        assert planned_count_segments(CALENDAR, window(), segments, on(9, 10)) == 60

    def test_an_exact_finish_gives_the_exact_quantity(self) -> None:
        segments = [PlanSegment(on(8), 159.43, quantity=100)]
        span = segment_spans(CALENDAR, window(), segments)[0]
        assert planned_count_segments(CALENDAR, window(), segments, span.end) == 100

    def test_no_segments_plan_nothing(self) -> None:
        assert planned_count_segments(CALENDAR, window(), [], on(12)) == 0

    def test_bad_segments_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="takt"):
            PlanSegment(on(8), 0)
        with pytest.raises(ValueError, match="quantity"):
            PlanSegment(on(8), 60, quantity=-1)
        with pytest.raises(ValueError, match="timezone-aware"):
            PlanSegment(datetime(2024, 6, 10, 8), 60)
