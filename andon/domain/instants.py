"""Instants and intervals: local wall times placed across daylight saving time, and
working time walked over sorted intervals.

Every instant returned is in UTC, so that subtracting and comparing them is real
elapsed time. A wall time repeated at fall-back means its first occurrence; one
skipped at spring-forward means the first instant after the gap.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

Interval = tuple[datetime, datetime]
"""A span of time from its start up to (not including) its end."""


def require_aware(t: datetime, what: str = "instant") -> None:
    """Raise ValueError unless ``t`` is timezone-aware."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {t.isoformat()}")


def local_instant(day: date, wall: time, tz: tzinfo) -> datetime:
    """The UTC instant at which the clocks of ``tz`` show ``wall`` on ``day``.

    A repeated wall time means its first occurrence; a skipped one means the first instant
    after the gap. This keeps the mapping monotonic: later wall times never give earlier
    instants.
    """
    naive = datetime.combine(day, wall)
    instant = naive.replace(tzinfo=tz).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == naive:
        return instant
    return _end_of_gap(naive, tz)


def _end_of_gap(naive: datetime, tz: tzinfo) -> datetime:
    """The first instant whose local wall time is at or after ``naive`` (inside a DST gap)."""
    one = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    other = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    before, after = min(one, other), max(one, other)
    step = timedelta(seconds=1)
    while after - before > step:
        middle = before + (after - before) // 2
        if middle.astimezone(tz).replace(tzinfo=None) >= naive:
            after = middle
        else:
            before = middle
    return after


def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    """The union of intervals as sorted, disjoint, non-empty intervals."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlap_seconds(intervals: list[Interval], start: datetime, end: datetime) -> float:
    """Seconds of the intervals that fall within ``[start, end)``."""
    total = timedelta(0)
    for begin, finish in intervals:
        begin, finish = max(begin, start), min(finish, end)
        if begin < finish:
            total += finish - begin
    return total.total_seconds()


def instant_after(intervals: list[Interval], start: datetime, working_s: float) -> datetime | None:
    """Walk sorted disjoint working intervals from ``start`` until ``working_s`` seconds passed."""
    require_aware(start, "start")
    if working_s <= 0:
        return start.astimezone(UTC)
    remaining = timedelta(seconds=working_s)
    for begin, end in intervals:
        if end <= start:
            continue
        begin = max(begin, start)
        if remaining <= end - begin:
            return begin + remaining
        remaining -= end - begin
    return None
