"""The shift calendar: when a line is planned to work.

Shifts and planned stops are given as local wall-clock times; the calendar turns them
into real instants with its time zone. Rules:

- A shift whose ``end <= start`` crosses midnight (22:00-06:00); ``end == start`` is a
  24-hour shift. ``Shift.days`` and ``Calendar.holidays`` apply to the date the shift
  *starts* on, so the Friday night shift runs into Saturday morning.
- Every instant the calendar returns is in UTC, so that subtracting and comparing them is
  always real elapsed time (Python compares datetimes of the *same* zone by wall clock).
  Convert with ``.astimezone(calendar.tz)`` to show them.
- Daylight saving time: wall times are placed with the zone, so a night shift over the
  spring-forward night is one hour shorter and over the fall-back night one hour longer.
  A wall time repeated at fall-back means its first occurrence. A wall time that does not
  exist (skipped at spring-forward) means the first instant after the gap, so a break
  lying wholly in the skipped hour does not happen that night.
- Shifts of one calendar must not overlap in their weekly pattern; ``Calendar`` rejects
  that. Planned working time is merged anyway, so no second is ever counted twice.

Time zones must follow PEP 495 (``zoneinfo.ZoneInfo`` or ``datetime.timezone``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import cached_property
from itertools import pairwise

from andon.domain.instants import (
    Interval,
    instant_after,
    local_instant,
    merge_intervals,
    require_aware,
)

_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
_TICK = timedelta(microseconds=1)


class StopKind(StrEnum):
    """Why the line is planned not to work."""

    BREAK = "break"
    MEETING = "meeting"
    CLEANING = "cleaning"
    PLANNED = "planned"


def _since_midnight(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _require_naive(t: time, what: str) -> None:
    if t.tzinfo is not None:
        raise ValueError(f"{what} must be a local wall time without a time zone, got {t}")


MAX_REMEMBERED_SPANS = 8192
"""Spans whose working seconds a calendar remembers (then it starts over)."""


@dataclass(frozen=True)
class PlannedStop:
    """A planned stop inside a shift, in local wall time (may cross midnight with its shift)."""

    name: str
    start: time
    end: time
    kind: StopKind = StopKind.BREAK

    def __post_init__(self) -> None:
        _require_naive(self.start, f"start of stop {self.name!r}")
        _require_naive(self.end, f"end of stop {self.name!r}")
        if self.start == self.end:
            raise ValueError(
                f"stop {self.name!r} has no length: it starts and ends at {self.start}"
            )


@dataclass(frozen=True)
class Shift:
    """A shift in local wall time, on the ISO weekdays (1 = Monday) on which it starts."""

    name: str
    start: time
    end: time
    stops: tuple[PlannedStop, ...] = ()
    days: frozenset[int] = frozenset({1, 2, 3, 4, 5})

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a shift needs a name")
        object.__setattr__(self, "stops", tuple(self.stops))
        object.__setattr__(self, "days", frozenset(self.days))
        _require_naive(self.start, f"start of shift {self.name!r}")
        _require_naive(self.end, f"end of shift {self.name!r}")
        if not self.days:
            raise ValueError(f"shift {self.name!r} runs on no day: give ISO weekdays 1-7")
        bad_days = sorted(d for d in self.days if d not in range(1, 8))
        if bad_days:
            raise ValueError(
                f"shift {self.name!r}: days must be ISO weekdays 1 (Monday) to 7 (Sunday), "
                f"got {bad_days}"
            )
        spans: list[tuple[timedelta, timedelta, PlannedStop]] = []
        for stop in self.stops:
            begin, finish = self.stop_offsets(stop)
            if not timedelta(0) <= begin < finish <= self.length:
                raise ValueError(
                    f"stop {stop.name!r} ({stop.start:%H:%M}-{stop.end:%H:%M}) does not lie "
                    f"within shift {self.name!r} ({self.start:%H:%M}-{self.end:%H:%M})"
                )
            spans.append((begin, finish, stop))
        spans.sort(key=lambda span: span[0])
        for (_, first_end, first), (second_start, _, second) in pairwise(spans):
            if second_start < first_end:
                raise ValueError(
                    f"stops {first.name!r} and {second.name!r} of shift {self.name!r} overlap"
                )

    @property
    def crosses_midnight(self) -> bool:
        """True when the shift ends on the day after it starts (``end <= start``)."""
        return self.end <= self.start

    @property
    def length(self) -> timedelta:
        """Nominal length on the wall clock (a DST night makes the real one differ)."""
        length = (_since_midnight(self.end) - _since_midnight(self.start)) % _DAY
        return length or _DAY

    def offset(self, t: time) -> timedelta:
        """How long after the shift start the wall time ``t`` comes (0 up to 24 h)."""
        return (_since_midnight(t) - _since_midnight(self.start)) % _DAY

    def stop_offsets(self, stop: PlannedStop) -> tuple[timedelta, timedelta]:
        """Start and end of a stop as offsets from the shift start on the wall clock."""
        begin = self.offset(stop.start)
        finish = self.offset(stop.end) or _DAY
        return begin, finish


@dataclass(frozen=True)
class ShiftWindow:
    """One occurrence of a shift: real instants, stored in UTC.

    ``tz`` is the zone the shift's wall times (its stops) are read in; it defaults to the
    zone of the ``start`` given.
    """

    shift: Shift
    start: datetime
    end: datetime
    tz: tzinfo | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, "start of a shift window")
        require_aware(self.end, "end of a shift window")
        if self.end <= self.start:
            raise ValueError(
                f"shift window {self.shift.name!r} must end after it starts: "
                f"{self.start.isoformat()} - {self.end.isoformat()}"
            )
        if self.tz is None:
            object.__setattr__(self, "tz", self.start.tzinfo)
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))

    @property
    def zone(self) -> tzinfo:
        """The zone of the shift's wall times."""
        return self.tz if self.tz is not None else UTC

    @property
    def day(self) -> date:
        """The local date the shift starts on."""
        return self.start.astimezone(self.zone).date()

    def contains(self, t: datetime) -> bool:
        """True when ``start <= t < end``."""
        require_aware(t)
        return self.start <= t < self.end

    def stop_windows(self) -> tuple[tuple[datetime, datetime, PlannedStop], ...]:
        """The planned stops of this occurrence as UTC instants, in order, clipped to it.

        A stop that vanishes in a DST gap is left out. Worked out once per window
        (windows are immutable, and a calendar hands out the same one each time).
        """
        return self._stop_windows

    @cached_property
    def _stop_windows(self) -> tuple[tuple[datetime, datetime, PlannedStop], ...]:
        day, shift, zone = self.day, self.shift, self.zone
        windows: list[tuple[datetime, datetime, PlannedStop]] = []
        for stop in shift.stops:
            begin, finish = shift.stop_offsets(stop)
            start_day = day + _DAY if _since_midnight(shift.start) + begin >= _DAY else day
            end_day = day + _DAY if _since_midnight(shift.start) + finish >= _DAY else day
            start = max(local_instant(start_day, stop.start, zone), self.start)
            end = min(local_instant(end_day, stop.end, zone), self.end)
            if start < end:
                windows.append((start, end, stop))
        windows.sort(key=lambda window: window[0])
        return tuple(windows)

    def working_intervals(self) -> list[Interval]:
        """The occurrence minus its planned stops."""
        return list(self._working_intervals)

    @cached_property
    def _working_intervals(self) -> tuple[Interval, ...]:
        intervals: list[Interval] = []
        cursor = self.start
        for start, end, _ in self.stop_windows():
            if start > cursor:
                intervals.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < self.end:
            intervals.append((cursor, self.end))
        return tuple(intervals)

    def planned_stop_at(self, t: datetime) -> PlannedStop | None:
        """The planned stop in progress at ``t``, if any."""
        require_aware(t)
        for start, end, stop in self.stop_windows():
            if start <= t < end:
                return stop
        return None


def _weekly_spans(shift: Shift) -> list[tuple[timedelta, timedelta]]:
    """Where a shift lies in the week (Monday 00:00 = 0), split at the week's end."""
    spans: list[tuple[timedelta, timedelta]] = []
    for weekday in shift.days:
        start = (weekday - 1) * _DAY + _since_midnight(shift.start)
        end = start + shift.length
        if end <= _WEEK:
            spans.append((start, end))
        else:
            spans.extend([(start, _WEEK), (timedelta(0), end - _WEEK)])
    return spans


@dataclass(frozen=True)
class Calendar:
    """The shifts of a line, in a time zone, with the holidays on which no shift starts.

    Shift names must be unique and shifts must not overlap on the wall clock of any week.
    """

    shifts: tuple[Shift, ...]
    tz: tzinfo
    holidays: frozenset[date] = frozenset()
    _occurrences: dict[tuple[int, date], ShiftWindow | None] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    """Occurrences already worked out (the answer depends only on shift and day)."""
    _recent: list[ShiftWindow] = field(
        default_factory=list, init=False, repr=False, compare=False, hash=False
    )
    """The window ``shift_at`` found last: most questions fall in it again."""
    _spans: dict[tuple[datetime, datetime], float] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    """Working seconds already worked out per span: a closed stop's span is asked at every
    publish of the state, and the answer depends only on the span."""

    def __post_init__(self) -> None:
        if not isinstance(self.tz, tzinfo):
            raise ValueError(
                f"calendar time zone must be a tzinfo (e.g. ZoneInfo), got {self.tz!r}"
            )
        object.__setattr__(self, "shifts", tuple(self.shifts))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        not_dates = [d for d in self.holidays if isinstance(d, datetime) or not isinstance(d, date)]
        if not_dates:
            raise ValueError(f"holidays must be dates, got {not_dates}")
        names = [shift.name for shift in self.shifts]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"shift names must be unique, repeated: {duplicates}")
        spans = sorted(
            (start, end, shift.name) for shift in self.shifts for start, end in _weekly_spans(shift)
        )
        for (_, first_end, first), (second_start, _, second) in pairwise(spans):
            if second_start < first_end:
                raise ValueError(f"shifts {first!r} and {second!r} overlap")

    def occurrence(self, shift: Shift, day: date) -> ShiftWindow | None:
        """The occurrence of ``shift`` starting on local ``day`` (None if it does not run).

        It does not run on a day outside ``shift.days``, on a holiday, or when a DST gap
        swallows it entirely. The answer depends only on its arguments, so it is cached:
        a station asks this many times a second.
        """
        key = (id(shift), day)  # the cached window holds the shift: its id stays unique
        try:
            return self._occurrences[key]
        except KeyError:
            pass
        if len(self._occurrences) > 4096:
            self._occurrences.clear()
        found = self._occurrences[key] = _occurrence(self, shift, day)
        return found

    def windows(self, start: datetime, end: datetime) -> list[ShiftWindow]:
        """The shift occurrences overlapping ``[start, end)``, in order of their start."""
        require_aware(start, "start")
        require_aware(end, "end")
        if end <= start:
            return []
        day = start.astimezone(self.tz).date() - 2 * _DAY
        last = end.astimezone(self.tz).date()
        found: list[ShiftWindow] = []
        while day <= last:
            for shift in self.shifts:
                window = self.occurrence(shift, day)
                if window is not None and window.start < end and window.end > start:
                    found.append(window)
            day += _DAY
        found.sort(key=lambda window: window.start)
        return found

    def shift_at(self, t: datetime) -> ShiftWindow | None:
        """The shift occurrence with ``start <= t < end``, if any."""
        recent = self._recent
        if recent and recent[0].contains(t):
            return recent[0]
        for window in self.windows(t, t + _TICK):
            if window.contains(t):
                recent[:] = [window]
                return window
        return None

    def working_intervals(self, start: datetime, end: datetime) -> list[Interval]:
        """Planned working time (shifts minus planned stops) within ``[start, end)``, merged."""
        require_aware(start, "start")
        require_aware(end, "end")
        lo, hi = start.astimezone(UTC), end.astimezone(UTC)
        clipped: list[Interval] = []
        recent = self._recent
        if recent and recent[0].start <= start and end <= recent[0].end:
            windows = recent[:1]  # inside the shift found last: shifts never overlap
        else:
            windows = self.windows(start, end)
        for window in windows:
            for begin, finish in window.working_intervals():
                begin, finish = max(begin, lo), min(finish, hi)
                if begin < finish:
                    clipped.append((begin, finish))
        return merge_intervals(clipped)

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """Planned working time within ``[start, end)``, exact to the microsecond."""
        total = timedelta(0)
        for begin, finish in self.working_intervals(start, end):
            total += finish - begin
        return total

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Planned working seconds within ``[start, end)``; 0 when ``end <= start``."""
        key = (start, end)
        spans = self._spans
        known = spans.get(key)
        if known is None:
            if len(spans) > MAX_REMEMBERED_SPANS:
                spans.clear()
            known = spans[key] = self.working_time(start, end).total_seconds()
        return known

    def is_working(self, t: datetime) -> bool:
        """True inside a shift and outside its planned stops."""
        window = self.shift_at(t)
        return window is not None and window.planned_stop_at(t) is None

    def planned_stop_at(self, t: datetime) -> PlannedStop | None:
        """The planned stop in progress at ``t``, if any."""
        window = self.shift_at(t)
        return None if window is None else window.planned_stop_at(t)

    def instant_after(self, start: datetime, working_s: float, limit: datetime) -> datetime | None:
        """The instant at which ``working_s`` seconds of planned working time after ``start``
        have passed, or None if that is not before ``limit``.

        Zero seconds give ``start`` itself.
        """
        if working_s < 0:
            raise ValueError(f"working seconds must not be negative, got {working_s}")
        return instant_after(self.working_intervals(start, limit), start, working_s)


def _occurrence(calendar: Calendar, shift: Shift, day: date) -> ShiftWindow | None:
    if day in calendar.holidays or day.isoweekday() not in shift.days:
        return None
    start = local_instant(day, shift.start, calendar.tz)
    end = local_instant(day + _DAY if shift.crosses_midnight else day, shift.end, calendar.tz)
    if end <= start:
        return None
    return ShiftWindow(shift=shift, start=start, end=end, tz=calendar.tz)
