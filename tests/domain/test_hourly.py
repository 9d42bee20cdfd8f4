"""The hourly performance table: rows, plan per hour, variance and unexplained hours."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from andon.domain.calendar import Calendar, PlannedStop, Shift, ShiftWindow
from andon.domain.hourly import (
    HourCause,
    HourRow,
    hour_starts,
    hourly_table,
    row_start_for,
)
from andon.domain.plan import PlanSegment

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2024, 6, 10)
DAY = Shift(
    "day",
    time(8),
    time(17),
    stops=(PlannedStop("lunch", time(12), time(12, 45)),),
)
CALENDAR = Calendar(shifts=(DAY,), tz=BERLIN)
TAKT = 36.0  # 100 units in a full working hour


def on(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute), tzinfo=BERLIN)


def window(calendar: Calendar = CALENDAR, t: datetime | None = None) -> ShiftWindow:
    found = calendar.shift_at(t or on(9))
    assert found is not None
    return found


def row(
    planned: float, actual: int, complete: bool = True, cause: HourCause | None = None
) -> HourRow:
    return HourRow(on(8), on(9), planned, actual, complete, cause)


class TestRows:
    def test_rows_follow_the_hours_of_the_shift(self) -> None:
        assert hour_starts(window()) == [on(h) for h in range(8, 17)]

    def test_a_shift_starting_on_the_half_hour_keeps_its_own_hours(self) -> None:
        calendar = Calendar(shifts=(Shift("early", time(7, 30), time(16)),), tz=BERLIN)
        starts = hour_starts(window(calendar))
        assert starts[:2] == [on(7, 30), on(8, 30)]
        assert starts[-1] == on(15, 30)
        rows = hourly_table(calendar, window(calendar), TAKT, {}, {}, on(18))
        assert rows[-1].end == on(16)
        assert rows[-1].planned == pytest.approx(50)

    def test_row_start_for(self) -> None:
        assert row_start_for(window(), on(8)) == on(8)
        assert row_start_for(window(), on(8, 59)) == on(8)
        assert row_start_for(window(), on(16, 59)) == on(16)
        assert row_start_for(window(), on(9).astimezone(UTC)) == on(9)

    def test_row_start_for_outside_the_window_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="outside shift 'day'"):
            row_start_for(window(), on(17))
        with pytest.raises(ValueError, match="outside"):
            row_start_for(window(), on(7, 59))

    def test_rows_on_dst_nights_stay_one_real_hour(self) -> None:
        night = Shift("night", time(22), time(6), days=frozenset(range(1, 8)))
        calendar = Calendar(shifts=(night,), tz=BERLIN)
        spring = window(calendar, datetime(2024, 3, 31, 1, tzinfo=BERLIN))
        fall = window(calendar, datetime(2024, 10, 27, 1, tzinfo=BERLIN))
        spring_hours = [t.astimezone(BERLIN).hour for t in hour_starts(spring)]
        fall_hours = [t.astimezone(BERLIN).hour for t in hour_starts(fall)]
        assert spring_hours == [22, 23, 0, 1, 3, 4, 5]
        assert fall_hours == [22, 23, 0, 1, 2, 2, 3, 4, 5]
        last = datetime(2024, 3, 31, 5, 30, tzinfo=BERLIN)
        assert row_start_for(spring, last) == datetime(2024, 3, 31, 5, tzinfo=BERLIN)


class TestTable:
    def test_rows_up_to_the_current_hour(self) -> None:
        rows = hourly_table(CALENDAR, window(), TAKT, {}, {}, on(10, 30))
        assert [r.start for r in rows] == [on(8), on(9), on(10)]
        assert [r.complete for r in rows] == [True, True, False]
        assert rows[-1].end == on(11)

    def test_no_rows_before_the_shift_and_all_after(self) -> None:
        assert hourly_table(CALENDAR, window(), TAKT, {}, {}, on(7)) == []
        rows = hourly_table(CALENDAR, window(), TAKT, {}, {}, on(20))
        assert len(rows) == 9
        assert all(r.complete for r in rows)

    def test_planned_per_hour_excludes_planned_stops(self) -> None:
        rows = hourly_table(CALENDAR, window(), TAKT, {}, {}, on(17))
        assert [round(r.planned, 6) for r in rows] == [100, 100, 100, 100, 25, 100, 100, 100, 100]
        assert sum(r.planned for r in rows) == pytest.approx(8.25 * 3600 / TAKT)

    def test_current_hour_is_planned_up_to_now(self) -> None:
        rows = hourly_table(CALENDAR, window(), TAKT, {}, {}, on(9, 15))
        assert rows[-1].planned == pytest.approx(25)

    def test_counts_and_causes_by_row_start_in_any_zone(self) -> None:
        cause = HourCause("material", note="late delivery", by="Li", at=on(10))
        counts = {on(8).astimezone(UTC): 90, on(9): 104}
        rows = hourly_table(CALENDAR, window(), TAKT, counts, {on(8): cause}, on(10))
        assert [(r.actual, r.difference) for r in rows[:2]] == [(90, -10), (104, 4)]
        assert rows[0].cause == cause
        assert rows[1].cause is None
        assert rows[2].actual == 0

    def test_unexplained_hours(self) -> None:
        counts = {on(8): 90, on(9): 111, on(10): 95, on(11): 40}
        causes = {on(9): HourCause("overtime", note="ran ahead for the next order")}
        rows = hourly_table(CALENDAR, window(), TAKT, counts, causes, on(11, 30))
        assert [r.needs_cause for r in rows] == [True, True, False, False]
        assert [r.unexplained for r in rows] == [True, False, False, False]

    def test_threshold_is_a_setting(self) -> None:
        rows = hourly_table(CALENDAR, window(), TAKT, {on(8): 95}, {}, on(9), threshold=0.05)
        assert rows[0].threshold == 0.05
        assert rows[0].unexplained

    def test_plan_by_orders(self) -> None:
        segments = [PlanSegment(on(8), 36, quantity=150), PlanSegment(on(8), 72)]
        rows = hourly_table(CALENDAR, window(), 999, {}, {}, on(10), segments=segments)
        assert [round(r.planned, 6) for r in rows] == [100, 75, 0]

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="takt"):
            hourly_table(CALENDAR, window(), 0, {}, {}, on(10))
        with pytest.raises(ValueError, match="threshold"):
            hourly_table(CALENDAR, window(), TAKT, {}, {}, on(10), threshold=0)
        with pytest.raises(ValueError, match="timezone-aware"):
            hourly_table(CALENDAR, window(), TAKT, {}, {}, datetime(2024, 6, 10, 10))
        with pytest.raises(ValueError, match="reason"):
            HourCause(" ")


class TestHourRow:
    def test_exactly_ten_percent_needs_a_cause(self) -> None:
        assert row(100, 90).needs_cause
        assert row(100, 110).needs_cause
        # A plan computed with float noise just below 100 still gives "10 %".
        noisy = math.nextafter(100.0, 0.0)
        assert abs(row(noisy, 90).variance or 0) < 0.1
        assert row(noisy, 90).needs_cause

    def test_just_under_ten_percent_does_not(self) -> None:
        assert row(10_000, 9_001).variance == pytest.approx(-0.0999)
        assert not row(10_000, 9_001).needs_cause
        assert not row(10_000, 10_999).needs_cause
        assert row(10_000, 8_999).needs_cause

    def test_a_recorded_cause_clears_unexplained(self) -> None:
        unexplained = row(100, 80)
        assert unexplained.unexplained
        explained = replace(unexplained, cause=HourCause("breakdown", note="press 3"))
        assert explained.needs_cause
        assert not explained.unexplained

    def test_an_incomplete_hour_is_never_unexplained(self) -> None:
        running = row(100, 10, complete=False)
        assert not running.needs_cause
        assert not running.unexplained

    def test_no_plan_no_variance(self) -> None:
        idle = row(0, 5)
        assert idle.variance is None
        assert idle.difference == 5
        assert not idle.unexplained

    def test_difference_and_variance(self) -> None:
        r = row(100, 93)
        assert r.difference == -7
        assert r.variance == pytest.approx(-0.07)
        assert r.start + timedelta(hours=1) == r.end
