"""When the History screen reads again: by plant time (the board's clock), not the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from andon.board.history_pacing import MIN_WALL_S, RELOAD, WEEKS_RELOAD, reload_due, weeks_fresh

T = datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
EARLY = datetime(2026, 3, 4, 5, 0, tzinfo=UTC)
LATE = datetime(2026, 3, 4, 13, 0, tzinfo=UTC)
WALL = MIN_WALL_S + 1


def test_the_first_read_is_due_at_once() -> None:
    assert reload_due(None, T, None, EARLY, 0.0)


def test_a_minute_of_plant_time_makes_a_read_due_whatever_the_wall_clock_says() -> None:
    assert not reload_due(T, T + RELOAD - timedelta(seconds=1), EARLY, EARLY, 3600.0)
    assert reload_due(T, T + RELOAD, EARLY, EARLY, WALL)
    # at --speed 30 a minute of plant time is two wall seconds: not read that often
    assert not reload_due(T, T + RELOAD * 10, EARLY, EARLY, MIN_WALL_S - 0.5)


def test_another_shift_running_makes_a_read_due_before_the_minute() -> None:
    assert reload_due(T, T + timedelta(seconds=5), EARLY, LATE, WALL)
    assert not reload_due(T, T + timedelta(seconds=5), EARLY, LATE, MIN_WALL_S / 2)


def test_a_clock_set_back_makes_a_read_due() -> None:
    assert reload_due(T, T - timedelta(seconds=1), EARLY, EARLY, WALL)


def test_the_four_weeks_hold_for_half_an_hour_of_plant_time_in_the_same_week() -> None:
    monday = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    assert weeks_fresh(T, T + WEEKS_RELOAD - timedelta(seconds=1), monday, monday)
    assert not weeks_fresh(T, T + WEEKS_RELOAD, monday, monday)
    assert not weeks_fresh(T, T + timedelta(minutes=1), monday, monday + timedelta(days=7))
    assert not weeks_fresh(T, T - timedelta(seconds=1), monday, monday)
    assert not weeks_fresh(None, T, monday, monday)
