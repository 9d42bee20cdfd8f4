"""The order sequence of a line: the plan curve, the running order and its takt.

A line's plan can be a sequence of orders (product, quantity, takt). The sequence
starts again at the start of every shift window; each order starts when the one
before it is planned to finish (``plan.segment_spans``), and once the last one is
planned to finish the plan stays flat: making more is overproduction.

Everything here follows the *plan*, not what the line actually does: the order
"running" at ``t`` is the one the plan is working on at ``t``. The takt cycles of
the fixed-position stop count from the start of that order (from the end of the
sequence, at the line's takt, once it is finished). Without orders the plan is
the line's single takt from the window start, as in ``plan.planned_count``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from andon.domain.calendar import ShiftWindow
from andon.domain.instants import require_aware
from andon.domain.order import Order
from andon.domain.plan import (
    PlanSegment,
    SegmentSpan,
    planned_count,
    planned_count_segments,
    segment_spans,
)
from andon.domain.rules import StationRules

__all__ = ["Order"]  # where it was defined before it had a module of its own


def segments_for(
    window: ShiftWindow, orders: Sequence[Order], default_takt_s: float
) -> tuple[PlanSegment, ...]:
    """The plan segments of ``orders`` in ``window``: all anchored at the window start.

    Segments with the same start are worked in their given order, so each order
    begins where the one before is planned to finish. No orders: no segments.
    """
    return tuple(
        PlanSegment(
            start=window.start,
            takt_s=order.takt(default_takt_s),
            quantity=order.quantity,
            product=order.product,
        )
        for order in orders
    )


def order_spans(rules: StationRules, window: ShiftWindow) -> list[SegmentSpan]:
    """When each order of ``rules`` is planned to run in ``window`` (empty without orders)."""
    segments = segments_for(window, rules.orders, rules.takt_s)
    return segment_spans(rules.calendar, window, segments) if segments else []


def planned_now(rules: StationRules, window: ShiftWindow, t: datetime) -> float:
    """Planned units of the window by ``t``: by the orders if any, else by the line's takt."""
    if not rules.orders:
        return planned_count(rules.calendar, window, rules.takt_s, t)
    segments = segments_for(window, rules.orders, rules.takt_s)
    return planned_count_segments(rules.calendar, window, segments, t)


def current_order(rules: StationRules, window: ShiftWindow, t: datetime) -> int | None:
    """Index of the order the plan works on at ``t``.

    That is the first order not yet planned to be finished at ``t``: during a planned
    stop between two orders, the next one. None without orders, or once the whole
    sequence is planned to be finished.
    """
    require_aware(t, "t")
    return _running(order_spans(rules, window), t)


def _running(spans: Sequence[SegmentSpan], t: datetime) -> int | None:
    for index, span in enumerate(spans):
        if t < span.end:
            return index
    return None


def takt_clock(rules: StationRules, window: ShiftWindow, t: datetime) -> tuple[datetime, float]:
    """Where the takt cycles running at ``t`` count from, and their takt.

    Without orders: the window start and the line's takt. With orders: the planned
    start of the current order and its takt; after the sequence, its planned end
    and the line's takt.
    """
    spans = order_spans(rules, window)
    if not spans:
        return window.start, rules.takt_s
    index = _running(spans, t)
    if index is None:
        return spans[-1].end, rules.takt_s
    span = spans[index]
    return span.start, span.segment.takt_s


def takt_now(rules: StationRules, window: ShiftWindow, t: datetime) -> float:
    """The takt of the order running at ``t`` (the line's takt without orders or after them)."""
    return takt_clock(rules, window, t)[1]


def next_takt_change(rules: StationRules, window: ShiftWindow, t: datetime) -> datetime | None:
    """The next instant after ``t`` when the plan moves to another order, if any."""
    for span in order_spans(rules, window):
        if span.end > t and span.end < window.end:
            return span.end
    return None


def order_planned(rules: StationRules, window: ShiftWindow, index: int, t: datetime) -> float:
    """Planned units of order ``index`` by ``t``: 0 before its start, at most its quantity."""
    spans = order_spans(rules, window)
    if not 0 <= index < len(spans):
        raise IndexError(f"no order {index}: the plan has {len(spans)} orders")
    span = spans[index]
    quantity = span.segment.quantity
    assert quantity is not None  # every order has a quantity
    if span.finished and t >= span.end:
        return float(quantity)
    working_s = rules.calendar.working_seconds(span.start, min(t, span.end))
    return min(float(quantity), working_s / span.segment.takt_s)
