"""The period of a report: a shift, a day, a week, a month or a range, and the one before.

Days, weeks (Monday to Monday) and months are plant-local. A shift period is one
occurrence of a shift of the calendar; the previous one is the occurrence before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from andon.domain.calendar import Calendar, ShiftWindow
from andon.domain.instants import local_instant
from andon.historian import errors as E

KINDS = ("shift", "day", "week", "month", "range")


class PeriodError(ValueError):
    """The period asked for does not exist (e.g. no shift ran before that instant)."""


@dataclass(frozen=True)
class Period:
    """``[start, end)``, of a kind; ``shift`` is set for a shift period."""

    kind: str
    start: datetime
    end: datetime
    shift: ShiftWindow | None = None


def _day_start(day: date, zone: tzinfo) -> datetime:
    return local_instant(day, time(0), zone)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_at(kind: str, at: datetime, calendar: Calendar) -> Period:
    """The period of ``kind`` containing ``at`` (a shift: the last one started by ``at``)."""
    zone = calendar.tz
    local = at.astimezone(zone).date()
    if kind == "shift":
        started = [
            w
            for w in calendar.windows(at - timedelta(days=8), at + timedelta(seconds=1))
            if w.start <= at
        ]
        if not started:
            raise PeriodError(E.NO_SHIFT_STARTED.format(at=at))
        window = started[-1]
        return Period("shift", window.start, window.end, window)
    if kind == "day":
        return Period("day", _day_start(local, zone), _day_start(local + timedelta(days=1), zone))
    if kind == "week":
        monday = local - timedelta(days=local.weekday())
        return Period("week", _day_start(monday, zone), _day_start(monday + timedelta(7), zone))
    if kind == "month":
        first = _month_start(local)
        return Period("month", _day_start(first, zone), _day_start(_add_months(first, 1), zone))
    raise PeriodError(E.PERIOD_KIND.format(kinds=", ".join(KINDS[:-1]), got=repr(kind)))


def previous(period: Period, calendar: Calendar) -> Period:
    """The period just before, of the same kind (a range: of the same length)."""
    if period.kind == "range":
        length = period.end - period.start
        return Period("range", period.start - length, period.start)
    if period.kind == "month":
        local = period.start.astimezone(calendar.tz).date()
        return period_at("month", _day_start(_add_months(local, -1), calendar.tz), calendar)
    return period_at(period.kind, period.start - timedelta(seconds=1), calendar)
