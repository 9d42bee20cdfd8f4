"""Downtime by cause (the Pareto): every lost second of a line booked to exactly one stop.

The stops of all stations of a line overlap: a quality call at one station stops
the line (a ``line_stop`` stop there), and the counting station then sees no
count (a ``no_count`` stop) for the same minutes. The rules, in order:

1. A second only minor stops cover is a minor stop (performance loss); a minor
   stop's seconds under a real stop are that stop's. A stop a call caused (the
   line stop it holds, a fault with its reason) is a real stop whatever its
   length (:func:`andon.domain.downtime.caused_by_call`).
2. A *symptom* — a ``no_count`` stop nobody gave a reason — is *explained by*
   the real stop of another kind that covers the largest part of it, when that
   part is at least half the symptom's length: all its seconds are booked under
   that stop's cause, and it needs no reason of its own.
3. Where real stops overlap, the second goes to the stop that is a cause (not a
   symptom), then to the one that started first (then by station and stop id).

So the downtime entries add up to the line's downtime (the union of its real
stops, :func:`andon.domain.downtime.split_downtime`) and the minor entry to its
minor-stop time; nothing is counted twice. docs/figures.md gives examples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from andon.domain.downtime import Stop, stop_class
from andon.domain.kpi import StopClass
from andon.domain.working_time import WorkingTime

MINOR = "minor stops"
"""The key under which minor stops (performance loss, no reason needed) are summed."""
NO_COUNT = "no_count"
"""The source of the stop a counting station records when no unit comes."""


@dataclass(frozen=True)
class StationStop:
    """One stop of one station of the line."""

    station: str
    stop: Stop


@dataclass(frozen=True)
class Loss:
    """One bar of the Pareto: the working seconds booked under one cause."""

    key: str
    """The reason code, :data:`MINOR`, or ``"<source>: reason missing"``."""
    seconds: float
    stops: int
    """How many stops (not counting explained symptoms) are booked here."""
    reason: str = ""
    source: str = ""
    """The source of the stops booked here when they have no reason ("" otherwise)."""

    @property
    def minor(self) -> bool:
        """Minor stops: performance loss, not downtime."""
        return self.key == MINOR

    @property
    def missing(self) -> bool:
        """Downtime whose cause nobody gave yet."""
        return not self.reason and not self.minor


@dataclass(frozen=True)
class _Span:
    item: StationStop
    lo: datetime
    hi: datetime
    minor: bool
    symptom: bool
    key: str
    reason: str
    source: str

    @property
    def rank(self) -> tuple[bool, bool, datetime, str, str]:
        stop = self.item.stop
        return (self.minor, self.symptom, stop.started_at, self.item.station, stop.stop_id)


def missing_key(source: str) -> str:
    """The Pareto key of a real stop of ``source`` without a reason."""
    return f"{source.replace('_', ' ')}: reason missing"


def stop_key(calendar: WorkingTime, stop: Stop, now: datetime, minor_stop_s: float) -> str:
    """What a stop counts as on its own: a minor stop, its reason, or a missing reason."""
    if stop_class(calendar, stop, now, minor_stop_s) is StopClass.MINOR:
        return MINOR
    return stop.reason or missing_key(stop.source)


def _spans(
    calendar: WorkingTime,
    stops: Iterable[StationStop],
    start: datetime,
    end: datetime,
    minor_stop_s: float,
) -> list[_Span]:
    spans = []
    for item in stops:
        stop = item.stop
        lo, hi = stop.interval(end)
        lo, hi = max(lo, start), min(hi, end)
        if hi <= lo:
            continue
        minor = stop_class(calendar, stop, end, minor_stop_s) is StopClass.MINOR
        key = MINOR if minor else (stop.reason or missing_key(stop.source))  # as stop_key
        symptom = stop.source == NO_COUNT and not stop.reason
        spans.append(_Span(item, lo, hi, minor, symptom, key, stop.reason, stop.source))
    return spans


def _explained(calendar: WorkingTime, spans: list[_Span]) -> dict[int, _Span]:
    """The cause that explains each symptom (by index), per rule 2."""
    causes = [s for s in spans if not s.minor and not s.symptom]
    out: dict[int, _Span] = {}
    for index, span in enumerate(spans):
        if not span.symptom:
            continue
        length = calendar.working_seconds(span.lo, span.hi)
        best: tuple[float, _Span] | None = None
        for cause in causes:
            if cause.item.stop.source == span.source and cause.item.station == span.item.station:
                continue
            lo, hi = max(span.lo, cause.lo), min(span.hi, cause.hi)
            if hi <= lo:
                continue
            part = calendar.working_seconds(lo, hi)
            if best is None or part > best[0] or (part == best[0] and cause.rank < best[1].rank):
                best = (part, cause)
        if best is not None and length > 0 and 2 * best[0] >= length:
            out[index] = best[1]
    return out


def explained_stops(
    calendar: WorkingTime,
    stops: Iterable[StationStop],
    start: datetime,
    end: datetime,
    minor_stop_s: float,
) -> dict[tuple[str, str], StationStop]:
    """The symptoms explained by another stop: (station, stop id) → the explaining stop."""
    spans = _spans(calendar, stops, start, end, minor_stop_s)
    return {
        (spans[i].item.station, spans[i].item.stop.stop_id): cause.item
        for i, cause in _explained(calendar, spans).items()
    }


def attribute(
    calendar: WorkingTime,
    stops: Iterable[StationStop],
    start: datetime,
    end: datetime,
    minor_stop_s: float,
) -> tuple[Loss, ...]:
    """Working seconds lost in ``[start, end)`` by cause, longest first; see the module."""
    return analyse(calendar, stops, start, end, minor_stop_s)[0]


def analyse(
    calendar: WorkingTime,
    stops: Iterable[StationStop],
    start: datetime,
    end: datetime,
    minor_stop_s: float,
) -> tuple[tuple[Loss, ...], dict[tuple[str, str], StationStop]]:
    """:func:`attribute` and :func:`explained_stops` at once (the stops looked at once)."""
    spans = _spans(calendar, stops, start, end, minor_stop_s)
    explained = _explained(calendar, spans)
    booked: list[tuple[_Span, str, str, str]] = []
    for index, span in enumerate(spans):
        cause = explained.get(index)
        if cause is not None:
            booked.append((span, cause.key, cause.reason, cause.source))
        else:
            booked.append((span, span.key, span.reason, span.source))
    seconds: dict[str, float] = {}
    owners: dict[str, set[int]] = {}
    cuts = sorted({t for s in spans for t in (s.lo, s.hi)})
    for lo, hi in pairwise(cuts):
        covering = [i for i, s in enumerate(spans) if s.lo <= lo and s.hi >= hi]
        if not covering:
            continue
        owner = min(covering, key=lambda i: spans[i].rank)
        lost = calendar.working_seconds(lo, hi)
        if lost <= 0:
            continue
        key = MINOR if spans[owner].minor else booked[owner][1]
        seconds[key] = seconds.get(key, 0.0) + lost
        if owner not in explained:
            owners.setdefault(key, set()).add(owner)
    meta = {b[1]: b for b in booked}
    losses = []
    for key, total in seconds.items():
        _, _, reason, source = meta.get(key, (None, key, "", ""))
        if key == MINOR:
            reason, source = "", ""
        elif reason:
            source = ""  # stops of several sources may share a reason
        losses.append(Loss(key, total, max(1, len(owners.get(key, ()))), reason, source))
    ordered = tuple(sorted(losses, key=lambda loss: (-loss.seconds, loss.key)))
    symptoms = {
        (spans[i].item.station, spans[i].item.stop.stop_id): c.item for i, c in explained.items()
    }
    return ordered, symptoms


def booked_keys(
    calendar: WorkingTime,
    stops: Iterable[StationStop],
    start: datetime,
    end: datetime,
    minor_stop_s: float,
) -> dict[tuple[str, str], str]:
    """The Pareto key each stop is booked under, by (station, stop id): its own
    (:func:`stop_key`), or, for an explained symptom, its cause's."""
    items = list(stops)
    explained = explained_stops(calendar, items, start, end, minor_stop_s)
    out = {}
    for item in items:
        cause = explained.get((item.station, item.stop.stop_id), item)
        out[(item.station, item.stop.stop_id)] = stop_key(calendar, cause.stop, end, minor_stop_s)
    return out
