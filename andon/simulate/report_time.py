"""How a report writes time: instants in plant local time with their offset, durations
in seconds to the millisecond."""

from __future__ import annotations

from datetime import datetime, tzinfo


def instant(t: datetime | None, zone: tzinfo) -> str | None:
    """``t`` in plant time with its offset, milliseconds only when there are any."""
    if t is None:
        return None
    local = t.astimezone(zone)
    return local.isoformat(timespec="milliseconds" if local.microsecond else "seconds")


def seconds(a: datetime | None, b: datetime | None) -> float | None:
    """Seconds from ``a`` to ``b`` (None when either is missing)."""
    if a is None or b is None:
        return None
    return round((b - a).total_seconds(), 3)
