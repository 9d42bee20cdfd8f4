"""The hourly performance table: plan, actual, difference and variance per hour of a shift.

Rows are real hours counted from the shift start, not clock hours: a shift starting at
07:30 has rows 07:30, 08:30, ... so every row but the last is a full hour; the last row
ends at the shift end (shorter when the shift is not a whole number of hours). On a DST
night the rows stay one real hour long, so the night shift has one row fewer or more.

A complete hour whose |variance| reaches the threshold (default 10 %, exactly 10 %
included) needs a recorded cause; until then it is *unexplained*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from andon.domain.calendar import Calendar, ShiftWindow
from andon.domain.instants import overlap_seconds, require_aware
from andon.domain.plan import PlanSegment, planned_count_segments

ROW_LENGTH = timedelta(hours=1)
_EPSILON = 1e-9


@dataclass(frozen=True)
class HourCause:
    """The influencing factor recorded for an hour: a reason code and a note."""

    reason: str
    note: str = ""
    by: str = ""
    at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("an hour's cause needs a reason code")
        if self.at is not None:
            require_aware(self.at, "time the cause was recorded")


@dataclass(frozen=True)
class HourRow:
    """One row of the hourly table.

    ``planned`` is the plan of the row up to ``min(now, end)``; ``actual`` the good count.
    """

    start: datetime
    end: datetime
    planned: float
    actual: int
    complete: bool
    cause: HourCause | None
    threshold: float = 0.10

    @property
    def difference(self) -> float:
        """Actual minus planned (negative when behind)."""
        return self.actual - self.planned

    @property
    def variance(self) -> float | None:
        """Relative variance ``(actual - planned) / planned``; None without a plan."""
        if self.planned <= 0:
            return None
        return (self.actual - self.planned) / self.planned

    @property
    def needs_cause(self) -> bool:
        """A complete hour whose |variance| reaches the threshold (exactly on it included)."""
        variance = self.variance
        return self.complete and variance is not None and abs(variance) >= self.threshold - _EPSILON

    @property
    def unexplained(self) -> bool:
        """Needs a cause and none is recorded yet."""
        return self.needs_cause and self.cause is None


def hour_starts(window: ShiftWindow) -> list[datetime]:
    """Row starts: the shift start and every real hour after it before the shift end (UTC)."""
    starts: list[datetime] = []
    t = window.start.astimezone(UTC)
    while t < window.end:
        starts.append(t)
        t += ROW_LENGTH
    return starts


def row_end(window: ShiftWindow, start: datetime) -> datetime:
    """End of the row starting at ``start``: one hour later, or the shift end."""
    return min(start.astimezone(UTC) + ROW_LENGTH, window.end)


def row_start_for(window: ShiftWindow, t: datetime) -> datetime:
    """The start (UTC) of the row that contains ``t``; ValueError outside the window."""
    if not window.contains(t):
        raise ValueError(
            f"{t.isoformat()} lies outside shift {window.shift.name!r} "
            f"({window.start.isoformat()} - {window.end.isoformat()})"
        )
    rows = (t - window.start) // ROW_LENGTH
    return window.start + rows * ROW_LENGTH


def hourly_table(
    calendar: Calendar,
    window: ShiftWindow,
    takt_s: float,
    counts: Mapping[datetime, int],
    causes: Mapping[datetime, HourCause],
    now: datetime,
    threshold: float = 0.10,
    *,
    segments: Sequence[PlanSegment] = (),
) -> list[HourRow]:
    """The rows from the shift start up to and including the one containing ``now``.

    ``counts`` and ``causes`` are keyed by row start (any zone). A row is complete once
    ``now >= row end``; its ``planned`` covers the row up to ``now``. With ``segments`` the
    plan follows the orders (see ``plan.segment_spans``) and ``takt_s`` is not used.
    """
    require_aware(now, "now")
    if not segments and takt_s <= 0:
        raise ValueError(f"takt must be greater than 0, got {takt_s}")
    if not 0 < threshold < 1:
        raise ValueError(f"variance threshold must be between 0 and 1, got {threshold}")
    counts_at = {start.astimezone(UTC): count for start, count in counts.items()}
    causes_at = {start.astimezone(UTC): cause for start, cause in causes.items()}
    working = calendar.working_intervals(window.start, window.end)
    rows: list[HourRow] = []
    for start in hour_starts(window):
        if start > now:
            break
        end = row_end(window, start)
        until = min(end, now)
        if segments:
            planned = max(
                0.0,
                planned_count_segments(calendar, window, segments, until)
                - planned_count_segments(calendar, window, segments, start),
            )
        else:
            planned = overlap_seconds(working, start, until) / takt_s
        rows.append(
            HourRow(
                start=start,
                end=end,
                planned=planned,
                actual=counts_at.get(start, 0),
                complete=now >= end,
                cause=causes_at.get(start),
                threshold=threshold,
            )
        )
    return rows
