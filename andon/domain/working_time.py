"""What figures need of a calendar: the planned working seconds between two instants."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class WorkingTime(Protocol):
    """Planned working seconds within ``[start, end)`` (0 when ``end <= start``).

    :class:`andon.domain.calendar.Calendar` is one; :data:`CONTINUOUS` counts every second.
    """

    def working_seconds(self, start: datetime, end: datetime) -> float: ...


class _Continuous:
    """Every second is planned working time (no shift calendar known)."""

    def working_seconds(self, start: datetime, end: datetime) -> float:
        return max(0.0, (end - start).total_seconds())


CONTINUOUS: WorkingTime = _Continuous()
