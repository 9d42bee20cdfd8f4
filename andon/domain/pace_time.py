"""Planned working time by pace judgement: too fast, too slow, normal and not judged.

A shift's working time (the calendar's, breaks and planned stops excluded) is split
by the judgement in force: not judged until :func:`andon.domain.pace.is_judged`
first holds (``min_elapsed_s`` of working time passed and the plan reached
``min_planned``), then normal until the first ``pace_changed`` event, and from each
change on the judgement it names. The judgement is the station's own (its events);
nothing here judges again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from andon.domain.calendar import ShiftWindow
from andon.domain.orders import planned_now
from andon.domain.pace import Pace, is_judged
from andon.domain.rules import StationRules

_MICROSECOND = timedelta(microseconds=1)
PACE_TIME_KEYS = ("too_fast", "too_slow", "normal", "not_judged")
"""The four parts of the working time, in the order reports show them."""


@dataclass(frozen=True)
class PaceTime:
    """Working seconds spent in each judgement; added up over shifts and lines with ``+``."""

    too_fast_s: float = 0.0
    too_slow_s: float = 0.0
    normal_s: float = 0.0
    not_judged_s: float = 0.0

    def __add__(self, other: PaceTime) -> PaceTime:
        return PaceTime(
            self.too_fast_s + other.too_fast_s,
            self.too_slow_s + other.too_slow_s,
            self.normal_s + other.normal_s,
            self.not_judged_s + other.not_judged_s,
        )

    @property
    def total_s(self) -> float:
        """The planned working time the four parts cover."""
        return self.too_fast_s + self.too_slow_s + self.normal_s + self.not_judged_s

    def seconds(self) -> dict[str, float]:
        """The parts by key (:data:`PACE_TIME_KEYS`)."""
        return {key: getattr(self, f"{key}_s") for key in PACE_TIME_KEYS}

    def shares(self) -> dict[str, float | None]:
        """Each part over the working time they cover (None without working time)."""
        total = self.total_s
        return {k: (v / total if total else None) for k, v in self.seconds().items()}


def judged_from(rules: StationRules, window: ShiftWindow, until: datetime) -> datetime | None:
    """The first instant of ``[window.start, until]`` (to the microsecond) at which the
    pace may be judged (:func:`andon.domain.pace.is_judged`); None if it may not by ``until``.

    Planned working time and the plan only grow through a shift, so once judged a
    shift stays judged and the instant is found by halving the interval.
    """

    def judged(t: datetime) -> bool:
        elapsed = rules.calendar.working_seconds(window.start, t)
        return is_judged(planned_now(rules, window, t), elapsed, rules.pace)

    lo, hi = window.start, until
    if hi < lo or not judged(hi):
        return None
    if judged(lo):
        return lo
    while hi - lo > _MICROSECOND:
        mid = lo + (hi - lo) / 2
        if judged(mid):
            hi = mid
        else:
            lo = mid
    return hi


def pace_time(
    rules: StationRules,
    window: ShiftWindow,
    until: datetime,
    changes: Iterable[tuple[datetime, str]],
) -> PaceTime:
    """The working time of ``[window.start, min(until, window.end)]`` by judgement.

    ``changes``: the shift's ``pace_changed`` events as (instant, new pace).
    """
    calendar = rules.calendar
    end = min(until, window.end)
    start = judged_from(rules, window, end)
    boundary = end if start is None else start
    parts = {p: 0.0 for p in Pace}

    def working(a: datetime, b: datetime) -> float:
        return calendar.working_seconds(a, b) if b > a else 0.0

    pace, since = Pace.NORMAL, boundary
    for at, to in sorted(changes):
        at = min(max(at, boundary), end)
        parts[pace] += working(since, at)
        pace, since = Pace(to), max(since, at)
    parts[pace] += working(since, end)
    return PaceTime(
        too_fast_s=parts[Pace.TOO_FAST],
        too_slow_s=parts[Pace.TOO_SLOW],
        normal_s=parts[Pace.NORMAL],
        not_judged_s=working(window.start, boundary),
    )
