"""What a station knows at one instant: :class:`StationState`.

It is immutable; :func:`andon.domain.state.apply` folds an event into a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import MappingProxyType
from typing import Any

from andon.domain.calls import Call
from andon.domain.downtime import Stop
from andon.domain.hourly import HourCause
from andon.domain.pace import Pace
from andon.domain.rules import StationRules
from andon.domain.shift_tally import (
    ShiftTally,
    tally_of,
)

MAX_REMEMBERED_SERIALS = 50_000
CHANGEOVER = "changeover"
"""The source of a changeover stop (SMED: its reason and duration are recorded like any stop)."""

EMPTY: Mapping[str, Call] = MappingProxyType({})


@dataclass(frozen=True)
class StationState:
    """Everything a station knows; per-shift figures restart with each shift."""

    rules: StationRules
    last_at: datetime | None = None
    shift_start: datetime | None = None
    good: int = 0
    scrap: int = 0
    off_shift_good: int = 0
    counts_by_row: Mapping[datetime, int] = field(default_factory=dict)
    hour_causes: Mapping[datetime, HourCause] = field(default_factory=dict)
    calls: Mapping[str, Call] = field(default_factory=dict)
    """Open calls, and this shift's closed calls, by id."""
    open_call_ids: tuple[str, ...] = ()
    """The ids of the open calls in ``calls``, in the order they were raised (kept by
    ``apply``: asked many times a second)."""
    stops: tuple[Stop, ...] = ()
    """This shift's stop periods, and any still open."""
    pace: Pace = Pace.NORMAL
    last_count_at: datetime | None = None
    fault: bool = False
    line_stop_causes: frozenset[str] = frozenset()
    bins_empty: frozenset[str] = frozenset()
    downstream_quantity: int = 0
    downstream_full: bool = False
    serials: tuple[str, ...] = ()
    order_index: int = 0
    """The order the line is making (0 from each shift start; set by ``OrderStarted``)."""
    order_good: int = 0
    """Good units of that order in this shift."""
    changeover_good: int = 0
    """Good units counted during the open changeover: they go to the order it leads to."""
    call_counter: int = 0
    stop_counter: int = 0
    rejected_scans: int = 0
    rejected_counts: int = 0
    clock_jumps: int = 0
    last_seq: int = 0
    history_seq: int = field(default=0, compare=False)
    """Every event of this shift's calls and stops comes after this seq: a consumer that
    replays from ``history_seq + 1`` sees them all. A lower bound (set from ``last_seq``
    when the shift rolls, which may lag the events being folded), so not compared."""
    tally: ShiftTally | None = field(default=None, compare=False, repr=False)
    """The shift's closed calls and stops summed as they close (kept by ``apply``; None
    on a state made by hand or read from a checkpoint: :attr:`summed` works it out)."""

    def evolve(self, **changes: Any) -> StationState:
        """A copy with ``changes``: ``dataclasses.replace`` without re-running ``__init__``.

        ``apply`` copies the state a few times per event (and start-up replays
        thousands of events); ``replace`` passes all of its fields through
        ``__init__`` each time. The state has no ``__post_init__`` and no field
        outside ``__init__``, so copying the fields and overriding some gives the
        same object, several times faster. Unknown names are refused like
        ``replace`` refuses them.
        """
        unknown = changes.keys() - _FIELD_NAMES
        if unknown:
            raise TypeError(f"StationState has no field(s) {sorted(unknown)}")
        copy = object.__new__(StationState)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    # --- questions ------------------------------------------------------------

    @property
    def open_calls(self) -> list[Call]:
        """Open calls, oldest first."""
        return sorted((self.calls[i] for i in self.open_call_ids), key=lambda c: c.raised_at)

    def open_call(self, call_type: str, part: str = "") -> Call | None:
        """The open call of a slot (type, part), if any."""
        for call_id in self.open_call_ids:
            call = self.calls[call_id]
            if call.slot == (call_type, part):
                return call
        return None

    @property
    def summed(self) -> ShiftTally:
        """The shift's closed calls and stops summed (:mod:`andon.domain.shift_tally`)."""
        if self.tally is not None:
            return self.tally
        rules = self.rules
        return tally_of(rules.calendar, self.calls.values(), self.stops, rules.minor_stop_s)

    @property
    def open_stops(self) -> list[Stop]:
        """Stops that still last."""
        if self.tally is not None:
            return [self.stops[p] for p in self.tally.open_stops]
        return [s for s in self.stops if s.is_open]

    def open_stop(self, source: str) -> Stop | None:
        """The open stop of a source, if any."""
        for stop in self.open_stops:
            if stop.source == source:
                return stop
        return None

    @property
    def line_stopped(self) -> bool:
        """True while any cause holds the line-stop output."""
        return bool(self.line_stop_causes)


_FIELD_NAMES = frozenset(f.name for f in fields(StationState))
