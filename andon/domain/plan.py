"""The plan curve: how many units should be done by an instant of a shift.

Planned count at ``t`` = planned working seconds since the shift start (planned stops
excluded) / takt. The curve starts at 0, rises during working time, stays flat during
planned stops and after the shift ends, and never decreases.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from andon.domain.calendar import Calendar, ShiftWindow
from andon.domain.instants import Interval, instant_after, overlap_seconds, require_aware


@dataclass(frozen=True)
class PlanSegment:
    """One order of the plan: from ``start`` on, one unit every ``takt_s`` seconds.

    ``quantity`` caps the order (None: no cap, the order runs until the next segment's start).
    """

    start: datetime
    takt_s: float
    quantity: int | None = None
    product: str = ""

    def __post_init__(self) -> None:
        require_aware(self.start, "start of a plan segment")
        if not math.isfinite(self.takt_s) or self.takt_s <= 0:
            raise ValueError(f"takt of plan segment must be greater than 0, got {self.takt_s}")
        if self.quantity is not None and self.quantity < 0:
            raise ValueError(f"quantity of plan segment must not be negative, got {self.quantity}")


@dataclass(frozen=True)
class SegmentSpan:
    """When one segment counts within a shift window.

    It counts planned working time from ``start`` (its first planned working instant) to
    ``end`` (UTC instants); ``finished`` means its quantity is planned to be reached at ``end``.
    """

    segment: PlanSegment
    start: datetime
    end: datetime
    finished: bool


def _first_working_instant(intervals: list[Interval], t: datetime) -> datetime:
    """The first planned working instant at or after ``t`` (``t`` itself if none follows)."""
    for start, end in intervals:
        if end > t:
            return max(start, t.astimezone(UTC))
    return t.astimezone(UTC)


def _require_takt(takt_s: float) -> None:
    if not math.isfinite(takt_s) or takt_s <= 0:
        raise ValueError(f"takt must be greater than 0, got {takt_s}")


def planned_count(calendar: Calendar, window: ShiftWindow, takt_s: float, t: datetime) -> float:
    """Planned units by ``t``: working seconds from the window start to ``min(t, end)`` / takt.

    0 before the start; flat during planned stops and after the end.
    """
    _require_takt(takt_s)
    require_aware(t, "t")
    until = min(t, window.end)
    if until <= window.start:
        return 0.0
    return calendar.working_seconds(window.start, until) / takt_s


def segment_spans(
    calendar: Calendar, window: ShiftWindow, segments: Sequence[PlanSegment]
) -> list[SegmentSpan]:
    """When each segment counts within ``window``, in the order they are worked.

    Segments are worked one after another, sorted by ``start`` (segments with the same start
    keep their given order). A segment begins at the latest of its own start, the window
    start and the end of the segment before it. It ends:

    - with a quantity: at the instant its planned count reaches the quantity (its planned
      finish), or at the window end if that comes first; the next segment begins there at
      the earliest, even when its own start is earlier;
    - without a quantity: at the next segment's start (the window end for the last one).

    Between the planned finish of an order and a later start of the next one the plan is
    flat. Quantities are what this window is planned to make of the order.
    """
    return _spans(calendar.working_intervals(window.start, window.end), window, segments)


def _spans(
    intervals: list[Interval], window: ShiftWindow, segments: Sequence[PlanSegment]
) -> list[SegmentSpan]:
    ordered = sorted(segments, key=lambda segment: segment.start)
    spans: list[SegmentSpan] = []
    previous_end = window.start
    for index, segment in enumerate(ordered):
        begin = _first_working_instant(
            intervals, min(max(segment.start, previous_end, window.start), window.end)
        )
        finished = False
        if segment.quantity is not None:
            finish = instant_after(intervals, begin, segment.quantity * segment.takt_s)
            finished = finish is not None
            end = window.end if finish is None else finish
        elif index + 1 < len(ordered):
            end = min(max(ordered[index + 1].start.astimezone(UTC), begin), window.end)
        else:
            end = window.end
        spans.append(SegmentSpan(segment=segment, start=begin, end=end, finished=finished))
        previous_end = end
    return spans


def planned_count_segments(
    calendar: Calendar, window: ShiftWindow, segments: Sequence[PlanSegment], t: datetime
) -> float:
    """Planned units by ``t`` for a sequence of orders, each with its own takt and quantity.

    Each segment contributes its planned working seconds between its span's start and
    ``min(t, span end)`` divided by its takt, capped at its quantity (see ``segment_spans``).
    No segments: 0.
    """
    require_aware(t, "t")
    if not segments:
        return 0.0
    intervals = calendar.working_intervals(window.start, window.end)
    total = 0.0
    for span in _spans(intervals, window, segments):
        quantity = span.segment.quantity
        if span.finished and quantity is not None and t >= span.end:
            total += quantity
            continue
        until = min(t, span.end)
        if until <= span.start:
            continue
        count = overlap_seconds(intervals, span.start, until) / span.segment.takt_s
        total += count if quantity is None else min(float(quantity), count)
    return total
