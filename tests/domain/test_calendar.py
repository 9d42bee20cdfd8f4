"""Shift calendar: shifts, planned stops, working days, holidays and daylight saving time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from andon.domain.calendar import (
    Calendar,
    PlannedStop,
    Shift,
    ShiftWindow,
    StopKind,
)
from andon.domain.instants import local_instant

BERLIN = ZoneInfo("Europe/Berlin")

# 08:00-17:00 minus 75 min of planned stops = 465 min = 27 900 s (the seed's available time).
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
# 22:00-06:00 with a break across midnight and a meal at 02:00: 480 - 60 = 420 min.
NIGHT = Shift(
    "night",
    time(22),
    time(6),
    stops=(
        PlannedStop("break", time(23, 45), time(0, 15)),
        PlannedStop("meal", time(2), time(2, 30)),
    ),
)
CALENDAR = Calendar(shifts=(DAY, NIGHT), tz=BERLIN)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


# 2024-06-10 is a Monday.
MONDAY = date(2024, 6, 10)


def on(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=BERLIN)


class TestDayShift:
    def test_working_time_is_the_shift_minus_its_planned_stops(self) -> None:
        assert CALENDAR.working_seconds(on(MONDAY, 0), on(MONDAY, 20)) == 27_900

    def test_working_intervals_skip_the_meeting_breaks_and_lunch(self) -> None:
        intervals = CALENDAR.working_intervals(on(MONDAY, 7), on(MONDAY, 18))
        assert intervals == [
            (on(MONDAY, 8, 10), on(MONDAY, 10)),
            (on(MONDAY, 10, 10), on(MONDAY, 12)),
            (on(MONDAY, 12, 45), on(MONDAY, 15)),
            (on(MONDAY, 15, 10), on(MONDAY, 17)),
        ]

    def test_working_intervals_are_clipped_to_the_range(self) -> None:
        assert CALENDAR.working_seconds(on(MONDAY, 10, 5), on(MONDAY, 12, 30)) == 110 * 60
        assert CALENDAR.working_intervals(on(MONDAY, 11), on(MONDAY, 11, 30)) == [
            (on(MONDAY, 11), on(MONDAY, 11, 30))
        ]

    def test_empty_or_reversed_range_has_no_working_time(self) -> None:
        assert CALENDAR.working_seconds(on(MONDAY, 11), on(MONDAY, 11)) == 0
        assert CALENDAR.working_seconds(on(MONDAY, 12), on(MONDAY, 11)) == 0

    @pytest.mark.parametrize(
        ("hour", "minute", "stop_name"),
        [(8, 0, "morning meeting"), (8, 9, "morning meeting"), (12, 44, "lunch"), (15, 0, "break")],
    )
    def test_planned_stop_at(self, hour: int, minute: int, stop_name: str) -> None:
        stop = CALENDAR.planned_stop_at(on(MONDAY, hour, minute))
        assert stop is not None
        assert stop.name == stop_name
        assert not CALENDAR.is_working(on(MONDAY, hour, minute))

    def test_meeting_has_its_kind(self) -> None:
        stop = CALENDAR.planned_stop_at(on(MONDAY, 8, 5))
        assert stop is not None
        assert stop.kind is StopKind.MEETING

    @pytest.mark.parametrize(("hour", "minute"), [(8, 10), (12, 45), (16, 59)])
    def test_working_between_stops(self, hour: int, minute: int) -> None:
        assert CALENDAR.is_working(on(MONDAY, hour, minute))
        assert CALENDAR.planned_stop_at(on(MONDAY, hour, minute)) is None

    def test_shift_at_covers_start_but_not_end(self) -> None:
        window = CALENDAR.shift_at(on(MONDAY, 8))
        assert window is not None
        assert window.shift is DAY
        assert (window.start, window.end) == (on(MONDAY, 8), on(MONDAY, 17))
        assert CALENDAR.shift_at(on(MONDAY, 17)) is None
        assert CALENDAR.shift_at(on(MONDAY, 7, 59)) is None
        assert not CALENDAR.is_working(on(MONDAY, 17))

    def test_windows_are_in_utc(self) -> None:
        window = CALENDAR.shift_at(on(MONDAY, 9))
        assert window is not None
        assert window.start.tzinfo is UTC
        assert window.start == datetime(2024, 6, 10, 6, tzinfo=UTC)
        assert window.tz is BERLIN

    def test_stop_windows_in_order(self) -> None:
        window = CALENDAR.shift_at(on(MONDAY, 9))
        assert window is not None
        names = [(start, stop.name) for start, _, stop in window.stop_windows()]
        assert names == [
            (on(MONDAY, 8), "morning meeting"),
            (on(MONDAY, 10), "break"),
            (on(MONDAY, 12), "lunch"),
            (on(MONDAY, 15), "break"),
        ]

    def test_instants_in_any_zone_give_the_same_answer(self) -> None:
        utc_start = on(MONDAY, 0).astimezone(UTC)
        utc_end = on(MONDAY, 20).astimezone(UTC)
        assert CALENDAR.working_seconds(utc_start, utc_end) == 27_900
        assert CALENDAR.is_working(on(MONDAY, 9).astimezone(UTC))

    def test_instant_after_walks_working_time_only(self) -> None:
        # 08:00 + 1600 working seconds: the meeting first, so 08:10 + 26:40.
        assert CALENDAR.instant_after(on(MONDAY, 8), 1600, on(MONDAY, 17)) == on(MONDAY, 8, 36, 40)
        # 09:55 + 10 min crosses the 10:00 break.
        assert CALENDAR.instant_after(on(MONDAY, 9, 55), 600, on(MONDAY, 17)) == on(MONDAY, 10, 15)
        assert CALENDAR.instant_after(on(MONDAY, 16), 27_900, on(MONDAY, 17)) is None
        assert CALENDAR.instant_after(on(MONDAY, 9), 0, on(MONDAY, 17)) == on(MONDAY, 9)


class TestNightShift:
    TUESDAY = MONDAY + timedelta(days=1)
    WEDNESDAY = MONDAY + timedelta(days=2)

    def test_break_across_midnight(self) -> None:
        window = CALENDAR.shift_at(on(self.TUESDAY, 23))
        assert window is not None
        assert window.shift is NIGHT
        (break_start, break_end, stop), (meal_start, _, _) = window.stop_windows()
        assert (break_start, break_end) == (on(self.TUESDAY, 23, 45), on(self.WEDNESDAY, 0, 15))
        assert stop.name == "break"
        assert meal_start == on(self.WEDNESDAY, 2)
        assert CALENDAR.planned_stop_at(on(self.WEDNESDAY, 0, 5)) == stop
        assert CALENDAR.planned_stop_at(on(self.TUESDAY, 23, 50)) == stop

    def test_working_time_of_one_night(self) -> None:
        window = CALENDAR.shift_at(on(self.WEDNESDAY, 5, 59))
        assert window is not None
        assert (window.start, window.end) == (on(self.TUESDAY, 22), on(self.WEDNESDAY, 6))
        assert CALENDAR.working_seconds(window.start, window.end) == 420 * 60

    def test_working_time_split_at_midnight(self) -> None:
        before = CALENDAR.working_seconds(on(self.TUESDAY, 20), on(self.WEDNESDAY, 0))
        after = CALENDAR.working_seconds(on(self.WEDNESDAY, 0), on(self.WEDNESDAY, 7))
        assert before == 105 * 60
        assert after == 315 * 60

    def test_stops_ending_and_starting_at_midnight(self) -> None:
        night = Shift(
            "night",
            time(22),
            time(6),
            stops=(
                PlannedStop("before midnight", time(23, 30), time(0)),
                PlannedStop("after midnight", time(0), time(0, 30)),
            ),
        )
        window = Calendar(shifts=(night,), tz=BERLIN).shift_at(on(self.TUESDAY, 23))
        assert window is not None
        assert [(start, end) for start, end, _ in window.stop_windows()] == [
            (on(self.TUESDAY, 23, 30), on(self.WEDNESDAY, 0)),
            (on(self.WEDNESDAY, 0), on(self.WEDNESDAY, 0, 30)),
        ]
        assert window.working_intervals() == [
            (on(self.TUESDAY, 22), on(self.TUESDAY, 23, 30)),
            (on(self.WEDNESDAY, 0, 30), on(self.WEDNESDAY, 6)),
        ]

    def test_friday_night_runs_into_saturday_but_sunday_has_none(self) -> None:
        friday = MONDAY + timedelta(days=4)
        saturday, sunday = friday + timedelta(days=1), friday + timedelta(days=2)
        window = CALENDAR.shift_at(on(saturday, 3))
        assert window is not None
        assert window.start == on(friday, 22)
        assert CALENDAR.shift_at(on(saturday, 9)) is None
        assert CALENDAR.shift_at(on(saturday, 23)) is None
        assert CALENDAR.shift_at(on(sunday, 23)) is None


class TestWorkingDaysAndHolidays:
    def test_a_week_has_five_day_and_five_night_shifts(self) -> None:
        sunday = MONDAY + timedelta(days=6)
        windows = CALENDAR.windows(on(MONDAY, 0), on(sunday, 23, 59))
        assert [w.shift.name for w in windows] == ["day", "night"] * 5
        assert [w.start for w in windows] == sorted(w.start for w in windows)
        week = CALENDAR.working_seconds(on(MONDAY, 0), on(MONDAY + timedelta(days=7), 0))
        assert week == 5 * (27_900 + 420 * 60)

    def test_windows_overlapping_the_range_edges_are_included(self) -> None:
        windows = CALENDAR.windows(on(MONDAY, 16), on(MONDAY, 22, 30))
        assert [w.shift.name for w in windows] == ["day", "night"]
        assert CALENDAR.windows(on(MONDAY, 17), on(MONDAY, 22)) == []

    def test_holiday_applies_to_the_date_the_shift_starts_on(self) -> None:
        tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
        calendar = Calendar(shifts=(DAY, NIGHT), tz=BERLIN, holidays=frozenset({wednesday}))
        assert calendar.shift_at(on(wednesday, 9)) is None
        assert calendar.shift_at(on(wednesday, 23)) is None
        tuesday_night = calendar.shift_at(on(wednesday, 3))
        assert tuesday_night is not None
        assert tuesday_night.start == on(tuesday, 22)
        assert calendar.working_seconds(on(wednesday, 0), on(wednesday + timedelta(days=1), 0)) == (
            315 * 60
        )

    def test_custom_working_days(self) -> None:
        saturday_only = Shift("saturday", time(8), time(12), days=frozenset({6}))
        calendar = Calendar(shifts=(saturday_only,), tz=BERLIN)
        saturday = MONDAY + timedelta(days=5)
        assert calendar.is_working(on(saturday, 9))
        assert not calendar.is_working(on(MONDAY, 9))

    def test_calendar_without_shifts_never_works(self) -> None:
        calendar = Calendar(shifts=(), tz=BERLIN)
        assert calendar.working_seconds(on(MONDAY, 0), on(MONDAY, 23)) == 0
        assert calendar.shift_at(on(MONDAY, 9)) is None

    def test_three_adjacent_shifts_cover_the_day_exactly(self) -> None:
        every_day = frozenset(range(1, 8))
        calendar = Calendar(
            shifts=(
                Shift("early", time(6), time(14), days=every_day),
                Shift("late", time(14), time(22), days=every_day),
                Shift("night", time(22), time(6), days=every_day),
            ),
            tz=BERLIN,
        )
        assert calendar.working_seconds(on(MONDAY, 0), on(MONDAY, 23)) == 23 * 3600
        late = calendar.shift_at(on(MONDAY, 14))
        assert late is not None
        assert late.shift.name == "late"

    def test_a_24_hour_shift_with_a_stop_at_its_end(self) -> None:
        continuous = Shift(
            "continuous",
            time(6),
            time(6),
            stops=(PlannedStop("handover", time(5, 30), time(6)),),
            days=frozenset({1}),
        )
        calendar = Calendar(shifts=(continuous,), tz=BERLIN)
        window = calendar.shift_at(on(MONDAY, 6))
        assert window is not None
        tuesday = MONDAY + timedelta(days=1)
        assert window.end == on(tuesday, 6)
        ((start, end, _),) = window.stop_windows()
        assert (start, end) == (on(tuesday, 5, 30), on(tuesday, 6))
        assert calendar.working_seconds(window.start, window.end) == 23.5 * 3600


class TestDaylightSavingTime:
    """Europe/Berlin: 2024-03-31 02:00 -> 03:00 and 2024-10-27 03:00 -> 02:00."""

    NIGHTS = Calendar(shifts=(replace(NIGHT, days=frozenset(range(1, 8))),), tz=BERLIN)

    def test_spring_forward_night_is_one_hour_shorter(self) -> None:
        window = self.NIGHTS.shift_at(at(2024, 3, 31, 1))
        assert window is not None
        assert window.start == datetime(2024, 3, 30, 21, tzinfo=UTC)
        assert window.end == datetime(2024, 3, 31, 4, tzinfo=UTC)
        assert window.end - window.start == timedelta(hours=7)

    def test_a_stop_in_the_skipped_hour_does_not_happen(self) -> None:
        window = self.NIGHTS.shift_at(at(2024, 3, 31, 1))
        assert window is not None
        assert [stop.name for _, _, stop in window.stop_windows()] == ["break"]
        # 7 h minus the 30 min break across midnight; the 02:00-02:30 meal never comes.
        assert self.NIGHTS.working_seconds(window.start, window.end) == 390 * 60
        assert self.NIGHTS.is_working(at(2024, 3, 31, 3))

    def test_fall_back_night_is_one_hour_longer(self) -> None:
        window = self.NIGHTS.shift_at(at(2024, 10, 27, 1))
        assert window is not None
        assert window.end - window.start == timedelta(hours=9)
        # The meal is taken at the first 02:00 (summer time).
        meal_start, meal_end, meal = window.stop_windows()[1]
        assert meal.name == "meal"
        assert meal_start == datetime(2024, 10, 27, 0, tzinfo=UTC)
        assert meal_end - meal_start == timedelta(minutes=30)
        assert self.NIGHTS.working_seconds(window.start, window.end) == 480 * 60

    def test_normal_nights_around_the_change_are_eight_hours(self) -> None:
        for day in (date(2024, 3, 29), date(2024, 3, 31)):
            window = self.NIGHTS.occurrence(self.NIGHTS.shifts[0], day)
            assert window is not None
            assert window.end - window.start == timedelta(hours=8)

    def test_skipped_wall_time_means_the_first_instant_after_the_gap(self) -> None:
        instant = local_instant(date(2024, 3, 31), time(2, 30), BERLIN)
        assert instant == datetime(2024, 3, 31, 1, tzinfo=UTC)
        assert instant.astimezone(BERLIN).time() == time(3)

    def test_repeated_wall_time_means_its_first_occurrence(self) -> None:
        instant = local_instant(date(2024, 10, 27), time(2, 30), BERLIN)
        assert instant == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)

    def test_a_shift_swallowed_by_the_gap_does_not_run(self) -> None:
        ghost = Shift("ghost", time(2), time(2, 45), days=frozenset({7}))
        calendar = Calendar(shifts=(ghost,), tz=BERLIN)
        assert calendar.occurrence(ghost, date(2024, 3, 31)) is None
        assert calendar.occurrence(ghost, date(2024, 4, 7)) is not None


class TestValidation:
    def test_a_stop_outside_its_shift_is_rejected(self) -> None:
        with pytest.raises(ValueError, match=r"stop 'lunch' \(18:00-18:30\) does not lie within"):
            Shift("day", time(8), time(17), stops=(PlannedStop("lunch", time(18), time(18, 30)),))

    def test_a_stop_crossing_the_shift_end_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="does not lie within shift 'day'"):
            Shift(
                "day", time(8), time(17), stops=(PlannedStop("late", time(16, 45), time(17, 15)),)
            )

    def test_a_stop_before_a_night_shift_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="does not lie within shift 'night'"):
            Shift("night", time(22), time(6), stops=(PlannedStop("b", time(21), time(21, 30)),))
        with pytest.raises(ValueError, match="does not lie within shift 'night'"):
            Shift("night", time(22), time(6), stops=(PlannedStop("b", time(5, 45), time(6, 15)),))

    def test_overlapping_stops_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="overlap"):
            Shift(
                "day",
                time(8),
                time(17),
                stops=(
                    PlannedStop("lunch", time(12), time(12, 45)),
                    PlannedStop("meeting", time(12, 30), time(13)),
                ),
            )

    def test_a_stop_without_length_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="no length"):
            PlannedStop("nothing", time(12), time(12))

    def test_wall_times_must_not_carry_a_zone(self) -> None:
        with pytest.raises(ValueError, match="without a time zone"):
            Shift("day", time(8, tzinfo=UTC), time(17))

    @pytest.mark.parametrize("days", [frozenset(), frozenset({0, 1}), frozenset({8})])
    def test_days_must_be_iso_weekdays(self, days: frozenset[int]) -> None:
        with pytest.raises(ValueError, match="day"):
            Shift("day", time(8), time(17), days=days)

    def test_overlapping_shifts_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="shifts 'early' and 'late' overlap"):
            Calendar(
                shifts=(Shift("early", time(6), time(14, 30)), Shift("late", time(14), time(22))),
                tz=BERLIN,
            )

    def test_overlap_across_the_end_of_the_week_is_rejected(self) -> None:
        sunday_night = Shift("sunday night", time(22), time(6), days=frozenset({7}))
        monday_early = Shift("monday early", time(5), time(13), days=frozenset({1}))
        with pytest.raises(ValueError, match="overlap"):
            Calendar(shifts=(sunday_night, monday_early), tz=BERLIN)

    def test_shifts_on_different_days_may_share_hours(self) -> None:
        weekday = Shift("weekday", time(6), time(14))
        weekend = Shift("weekend", time(6), time(18), days=frozenset({6, 7}))
        Calendar(shifts=(weekday, weekend), tz=BERLIN)

    def test_shift_names_must_be_unique(self) -> None:
        with pytest.raises(ValueError, match="unique"):
            Calendar(
                shifts=(Shift("a", time(6), time(8)), Shift("a", time(9), time(10))), tz=BERLIN
            )

    def test_zone_and_holidays_must_have_the_right_types(self) -> None:
        with pytest.raises(ValueError, match="tzinfo"):
            Calendar(shifts=(DAY,), tz="Europe/Berlin")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="holidays must be dates"):
            Calendar(shifts=(DAY,), tz=BERLIN, holidays=frozenset({on(MONDAY, 0)}))

    def test_lists_from_configuration_are_frozen(self) -> None:
        shift = Shift("day", time(8), time(17), stops=[DAY.stops[0]], days={1, 2})  # type: ignore[arg-type]
        assert shift.stops == (DAY.stops[0],)
        assert shift.days == frozenset({1, 2})
        calendar = Calendar(shifts=[shift], tz=BERLIN, holidays={MONDAY})  # type: ignore[arg-type]
        assert calendar.shifts == (shift,)
        assert hash(calendar) == hash(Calendar((shift,), BERLIN, frozenset({MONDAY})))

    def test_naive_instants_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            CALENDAR.working_seconds(datetime(2024, 6, 10, 8), on(MONDAY, 9))
        with pytest.raises(ValueError, match="timezone-aware"):
            CALENDAR.shift_at(datetime(2024, 6, 10, 8))

    def test_a_window_must_end_after_it_starts(self) -> None:
        with pytest.raises(ValueError, match="must end after it starts"):
            ShiftWindow(DAY, on(MONDAY, 17), on(MONDAY, 8))

    def test_a_hand_made_window_reads_stops_in_the_zone_of_its_start(self) -> None:
        window = ShiftWindow(DAY, on(MONDAY, 8), on(MONDAY, 17))
        assert window.tz is BERLIN
        assert window.start.tzinfo is UTC
        assert window.stop_windows()[2][0] == on(MONDAY, 12)
