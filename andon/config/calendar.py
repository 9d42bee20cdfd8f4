"""The shift calendar (``[calendar]``): working days, holidays, shifts and their planned stops."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time, tzinfo
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import Problems, describe_value
from andon.config.fields import Identifier, Text
from andon.config.language import Translations, in_language

if TYPE_CHECKING:
    from andon.domain.calendar import Calendar

DAY_S = 86_400
WEEK_S = 7 * DAY_S
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names in ISO order: ``mon`` is ISO weekday 1."""

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
StopKindName = Literal["break", "meeting", "cleaning", "planned"]

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _parse_clock(value: Any) -> time:
    """Accept ``"HH:MM"``, ``"HH:MM:SS"`` or a TOML local time (``06:00:00``)."""
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise PydanticCustomError(
                "clock_time",
                W.LOCAL_TIME.format(got=value.isoformat()),
            )
        return value
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match:
            hour, minute, second = (int(g) if g else 0 for g in match.groups())
            if hour < 24 and minute < 60 and second < 60:
                return time(hour, minute, second)
    raise PydanticCustomError("clock_time", W.CLOCK_TIME, {"got": describe_value(value)})


ClockTime = Annotated[time, BeforeValidator(_parse_clock)]
"""A local time of day."""


def seconds_of_day(moment: time) -> int:
    """Seconds since midnight."""
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def clock(moment: time) -> str:
    """``06:00`` (or ``06:00:30`` when there are seconds)."""
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


class _TimedStop(Protocol):
    @property
    def start(self) -> time: ...
    @property
    def end(self) -> time: ...


class _TimedShift(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def start(self) -> time: ...
    @property
    def end(self) -> time: ...
    @property
    def stops(self) -> Sequence[_TimedStop]: ...


def shift_length_s(start: time, end: time) -> int:
    """Length of a shift in seconds; ``end <= start`` crosses midnight (equal means 24 h)."""
    length = (seconds_of_day(end) - seconds_of_day(start)) % DAY_S
    return length or DAY_S


def shift_working_seconds(shift: _TimedShift) -> int:
    """Planned working seconds of one shift: its length minus its planned stops.

    Works for a :class:`ShiftConfig` and for a domain ``Shift`` alike.
    """
    stopped = sum((seconds_of_day(s.end) - seconds_of_day(s.start)) % DAY_S for s in shift.stops)
    return shift_length_s(shift.start, shift.end) - stopped


class StopConfig(ConfigModel):
    """A planned stop inside a shift (``[[calendar.shifts.stops]]``): never downtime."""

    name: Text
    kind: StopKindName = "break"
    start: ClockTime
    end: ClockTime


class ShiftConfig(ConfigModel):
    """One shift (``[[calendar.shifts]]``); ``end`` at or before ``start`` crosses midnight."""

    name: Identifier
    names: Translations = Field(default_factory=dict)
    """The name people read in other languages, e.g. ``names = { zh_CN = "早班" }``
    (``name`` stays the shift's key in the journals, the history and the reports' data)."""
    start: ClockTime
    end: ClockTime
    days: list[Weekday] | None = Field(default=None, min_length=1)
    """Weekdays the shift starts on; default: the calendar's ``working_days``."""
    stops: list[StopConfig] = Field(default_factory=list)

    @property
    def length_s(self) -> int:
        """Length in seconds including planned stops."""
        return shift_length_s(self.start, self.end)

    @property
    def working_s(self) -> int:
        """Planned working seconds: the length minus the planned stops."""
        return shift_working_seconds(self)

    def offset_s(self, moment: time) -> int:
        """Seconds from the shift's start to ``moment`` (on the shift's own clock)."""
        return (seconds_of_day(moment) - seconds_of_day(self.start)) % DAY_S

    def name_in(self, language: str) -> str:
        """The shift's name in ``language`` (its ``names``, else as written)."""
        return in_language(self.name, self.names, language)

    def span(self) -> str:
        return f"{clock(self.start)}–{clock(self.end)}"

    @model_validator(mode="after")
    def _stops_inside_and_apart(self) -> ShiftConfig:
        problems = Problems()
        if self.days is not None:
            _check_unique_days(self.days, ("days",), problems)
        placed: list[tuple[int, int, int]] = []
        for index, stop in enumerate(self.stops):
            begin = self.offset_s(stop.start)
            duration = (seconds_of_day(stop.end) - seconds_of_day(stop.start)) % DAY_S
            if begin >= self.length_s:
                problems.add(
                    ("stops", index, "start"),
                    W.STOP_START_WITHIN.format(
                        shift=self.name, span=self.span(), got=clock(stop.start)
                    ),
                )
            elif duration == 0:
                problems.add(
                    ("stops", index, "end"),
                    W.STOP_END_AFTER.format(start=clock(stop.start), got=clock(stop.end)),
                )
            elif begin + duration > self.length_s:
                problems.add(
                    ("stops", index, "end"),
                    W.STOP_END_WITHIN.format(
                        shift=self.name, span=self.span(), got=clock(stop.end)
                    ),
                )
            else:
                for other, other_begin, other_end in placed:
                    if begin < other_end and other_begin < begin + duration:
                        problems.add(
                            ("stops", index, "start"),
                            W.STOPS_OVERLAP.format(
                                other=describe_value(self.stops[other].name),
                                other_start=clock(self.stops[other].start),
                                other_end=clock(self.stops[other].end),
                                start=clock(stop.start),
                                end=clock(stop.end),
                            ),
                        )
                        break
                placed.append((index, begin, begin + duration))
        problems.raise_if_any()
        return self


def _check_unique_days(days: Sequence[str], path: tuple[str, ...], problems: Problems) -> None:
    repeated = sorted({d for d in days if days.count(d) > 1}, key=WEEKDAYS.index)
    if repeated:
        problems.add(path, W.WEEKDAY_ONCE.format(days=", ".join(repeated)))


def _default_working_days() -> list[Weekday]:
    return ["mon", "tue", "wed", "thu", "fri"]


class CalendarConfig(ConfigModel):
    """The plant's shift calendar (``[calendar]``)."""

    working_days: list[Weekday] = Field(default_factory=_default_working_days, min_length=1)
    """Weekdays on which shifts start unless a shift names its own ``days``."""
    holidays: list[date] = Field(default_factory=list)
    """Dates on which no shift starts."""
    shifts: list[ShiftConfig] = Field(min_length=1)

    def shift(self, name: str) -> ShiftConfig:
        """The shift called ``name`` (``KeyError`` if there is none)."""
        for shift in self.shifts:
            if shift.name == name:
                return shift
        raise KeyError(name)

    def shift_name(self, name: str, language: str) -> str:
        """The shift ``name`` as people read it in ``language`` (an unknown one as it is)."""
        try:
            return self.shift(name).name_in(language)
        except KeyError:
            return name

    def days_of(self, shift: ShiftConfig) -> frozenset[int]:
        """ISO weekdays (1 = Monday) the shift starts on."""
        names = shift.days if shift.days is not None else self.working_days
        return frozenset(WEEKDAYS.index(name) + 1 for name in names)

    def to_domain(self, tz: tzinfo | str) -> Calendar:
        """The domain calendar in the plant's time zone (a ``tzinfo`` or an IANA name)."""
        from andon.domain.calendar import Calendar, PlannedStop, Shift, StopKind

        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        shifts = tuple(
            Shift(
                name=shift.name,
                start=shift.start,
                end=shift.end,
                stops=tuple(
                    PlannedStop(name=s.name, start=s.start, end=s.end, kind=StopKind(s.kind))
                    for s in shift.stops
                ),
                days=self.days_of(shift),
            )
            for shift in self.shifts
        )
        return Calendar(shifts=shifts, tz=zone, holidays=frozenset(self.holidays))

    @model_validator(mode="after")
    def _shifts_distinct(self) -> CalendarConfig:
        problems = Problems()
        _check_unique_days(self.working_days, ("working_days",), problems)
        seen: dict[str, int] = {}
        for index, shift in enumerate(self.shifts):
            if shift.name in seen:
                problems.add(
                    ("shifts", index, "name"),
                    W.SHIFT_NAME_UNIQUE.format(
                        got=describe_value(shift.name), first=seen[shift.name]
                    ),
                )
            seen.setdefault(shift.name, index)
        for later, shift in enumerate(self.shifts):
            for earlier in range(later):
                day = self._first_overlap(self.shifts[earlier], shift)
                if day is not None:
                    other = self.shifts[earlier]
                    problems.add(
                        ("shifts", later),
                        W.SHIFTS_OVERLAP.format(
                            shift=shift.name,
                            span=shift.span(),
                            other=other.name,
                            other_span=other.span(),
                            day=day,
                        ),
                    )
        problems.raise_if_any()
        return self

    def _first_overlap(self, first: ShiftConfig, second: ShiftConfig) -> str | None:
        """The weekday on which ``second`` overlaps ``first``, if any (a week is a circle)."""
        for day_a in sorted(self.days_of(first)):
            start_a = (day_a - 1) * DAY_S + seconds_of_day(first.start)
            for day_b in sorted(self.days_of(second)):
                start_b = (day_b - 1) * DAY_S + seconds_of_day(second.start)
                if (start_b - start_a) % WEEK_S < first.length_s or (
                    start_a - start_b
                ) % WEEK_S < second.length_s:
                    return WEEKDAYS[day_b - 1]
        return None
