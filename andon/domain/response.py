"""Response and repair times of calls: MTTA and MTTR as mean, median and 90th percentile.

MTTA (mean time to acknowledge) = raised → acknowledged; MTTR (mean time to
repair) = raised → resolved. Only calls that reached the step count (a
cancelled call has no repair time). The 90th percentile is the nearest-rank
value: the smallest time that at least 90 % of the calls did not exceed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from andon.domain.calls import Call, CallStatus


@dataclass(frozen=True)
class Spread:
    """Mean, median and 90th percentile of some durations (seconds)."""

    count: int
    mean_s: float | None
    median_s: float | None
    p90_s: float | None


def spread(durations: Sequence[float]) -> Spread:
    """The spread of ``durations`` (None figures when there are none)."""
    if not durations:
        return Spread(0, None, None, None)
    ordered = sorted(durations)
    n = len(ordered)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    rank = max(1, math.ceil(0.9 * n))
    return Spread(n, sum(ordered) / n, median, ordered[rank - 1])


@dataclass(frozen=True)
class CallTimes:
    """The times of one call: its status, and seconds to acknowledge and to close."""

    status: str
    acknowledged_after_s: float | None
    closed_after_s: float | None

    @classmethod
    def of(cls, call: Call) -> CallTimes:
        closed = None
        if call.closed_at is not None:
            closed = (call.closed_at - call.raised_at).total_seconds()
        return cls(call.status.value, call.response_s(), closed)


@dataclass(frozen=True)
class ResponseTimes:
    """MTTA and MTTR of a set of calls."""

    calls: int
    acknowledge: Spread
    repair: Spread


def response_times(calls: Iterable[CallTimes]) -> ResponseTimes:
    """MTTA over the acknowledged calls, MTTR over the resolved ones."""
    calls = list(calls)
    acknowledge = [c.acknowledged_after_s for c in calls if c.acknowledged_after_s is not None]
    repair = [
        c.closed_after_s
        for c in calls
        if c.status == CallStatus.RESOLVED.value and c.closed_after_s is not None
    ]
    return ResponseTimes(len(calls), spread(acknowledge), spread(repair))
