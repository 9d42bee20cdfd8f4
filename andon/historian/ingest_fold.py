"""The historian folds what it stores: each station's state kept at every shift end.

A report folds a station from its latest checkpoint at or before its period
(:mod:`andon.historian.checkpoints`). So that no report ever folds from the
beginning of time, the historian keeps those checkpoints itself, right after
each committed batch: it holds every station's state folded with the domain's
``apply`` (a :class:`Cursor`) and, as an event at or after a shift's end is
folded, writes the state before it, exactly as a report's fold keeps it (same
instant, seq, codec and rules fingerprint), so the two never disagree.

- **In step**: a batch that continues a station's stream where its cursor
  stands is folded from the messages in hand; nothing is read back.
- **New**: a station the history held no event of when this process started
  (nor since) holds just the batch's events: it is folded from them, in step.
- **Behind**: a station first seen by this process, or whose history changed
  under its cursor, starts from its latest checkpoint (or its first event) and
  catches up from the database, at most ``budget`` events per batch, so a first
  start over a long history does not hold the ingest up.
- **Never over a gap**: a missing seq stops the station's fold until an event of
  that seq is stored; an event new to the history below the cursor (a back-fill
  at the head of a stream, which also deleted the checkpoints past it) sends the
  cursor back to the checkpoints left.

Stations without rules (no station file beside the plant file, or an enterprise
historian) are stored but not folded; their reports keep checkpoints lazily.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from andon.bus.messages import EventMessage
from andon.domain import events as ev
from andon.domain.calendar import Calendar
from andon.domain.rules import StationRules
from andon.domain.state import apply
from andon.domain.state_codec import encode_state, rules_fingerprint
from andon.domain.station_state import StationState
from andon.historian import checkpoints
from andon.historian.site import Site
from andon.historian.store import HistoryError, HistoryStore, Stored
from andon.station.build import station_rules

log = logging.getLogger(__name__)

BUDGET = 5000
"""Events folded from the database per batch while stations catch up."""
HORIZON = timedelta(days=14)
"""How far ahead a shift end is looked for (a calendar may have days off)."""


@dataclass(frozen=True)
class FoldRules:
    """What the historian folds with: each station's rules and the plant's calendar."""

    stations: dict[str, StationRules]
    calendar: Calendar


def fold_rules(site: Site) -> FoldRules:
    """The rules of every station file of a site, as its reports fold them."""
    rules = {path: station_rules(file) for path, file in site.stations.items()}
    return FoldRules(rules, site.plant.domain_calendar())


Row = tuple[str, datetime, int, StationState]
"""A checkpoint to keep: station, shift end, the seq of the first event at or after it,
and the state before that event."""


@dataclass
class Cursor:
    """A station's fold: the state before ``next_seq`` (None: before its first stored
    event), the next shift end to keep it at, and whether the database holds events
    past it not folded yet (``behind``) or lacks ``next_seq`` (``blocked``)."""

    state: StationState
    next_seq: int | None
    mark: datetime | None
    behind: bool = True
    blocked: bool = False


class IngestFold:
    """Keeps the checkpoints of the stations ``rules`` names as their events are stored."""

    def __init__(self, rules: FoldRules, budget: int = BUDGET) -> None:
        self.rules = rules
        self.budget = budget
        self.prints = {path: rules_fingerprint(r) for path, r in rules.stations.items()}
        self.cursors: dict[str, Cursor] = {}
        self.folded = 0
        """Events folded so far (from batches in hand and read back)."""
        self.kept = 0
        self.known: set[str] | None = None
        """Stations the history held events of, as far as this fold knows (None: not
        known, before :meth:`start`); a station outside it is new to the history."""
        self._origin: list[datetime | None] = []
        """The first shift end after the history's oldest event, once asked in a round."""

    def after(self, store: HistoryStore, batch: Sequence[EventMessage], stored: Stored) -> None:
        """Fold a committed batch, catch up what is behind, and keep the checkpoints passed."""
        rows: list[Row] = []
        self._origin = []
        try:
            self._take(store, batch, stored, rows)
            self._catch_up(store, rows)
            self._keep(store, rows)
        except HistoryError as exc:
            # the fold goes on from the database's checkpoints when it answers again
            log.warning("checkpoints not kept: %s", exc)
            self.cursors.clear()

    def start(self, store: HistoryStore) -> None:
        """Follow every station with rules the history already holds (from its latest
        checkpoint, or its first event): :meth:`catch_up` folds what they have."""
        try:
            held = store.last_seqs()
            self.known = set(held)
            for station in sorted(self.prints):
                if station in held and station not in self.cursors:
                    self.cursors[station] = self._start(store, station)
        except HistoryError as exc:
            log.warning("checkpoints not kept: %s", exc)
            self.cursors.clear()

    def in_step(self) -> bool:
        """Whether every station seen is folded up to what the history holds (or a gap)."""
        return all(not c.behind or c.blocked for c in self.cursors.values())

    def _take(
        self,
        store: HistoryStore,
        batch: Sequence[EventMessage],
        stored: Stored,
        rows: list[Row],
    ) -> None:
        by_station: dict[str, dict[int, ev.Event]] = {}
        for m in batch:
            if m.station in self.prints and m.station in stored.lowest_new:
                by_station.setdefault(m.station, {})[m.seq] = m.event
        known = self.known
        fresh = set() if known is None else by_station.keys() - known
        if known is not None:
            known.update(by_station)  # stored: known from now on, whatever follows
        for station, events in by_station.items():
            low = stored.lowest_new[station]
            cursor = self.cursors.get(station)
            if cursor is not None and cursor.next_seq is not None and low < cursor.next_seq:
                cursor = None  # a back-fill below the fold: start again from what is left
            if cursor is None and station in fresh:
                # new to the history: it holds just these events, folded from the batch
                cursor = self._fresh(store, station)
                self.cursors[station] = cursor
            if cursor is None:
                self.cursors[station] = self._start(store, station)
                continue
            if cursor.behind:
                cursor.blocked = cursor.blocked and low != cursor.next_seq
                continue
            seq = cursor.next_seq if cursor.next_seq is not None else min(events)
            while seq in events:
                self._fold(station, cursor, seq, events[seq], rows)
                seq += 1
            if any(n >= seq for n in events):
                cursor.behind = cursor.blocked = True  # a gap: held until it is stored

    def catch_up(self, store: HistoryStore) -> None:
        """Fold what the stations behind have in the database (up to ``budget`` events)."""
        rows: list[tuple[str, datetime, int, StationState]] = []
        self._origin = []
        try:
            self._catch_up(store, rows)
            self._keep(store, rows)
        except HistoryError as exc:
            log.warning("checkpoints not kept: %s", exc)
            self.cursors.clear()

    def _catch_up(self, store: HistoryStore, rows: list[Row]) -> None:
        left = self.budget
        for station, cursor in self.cursors.items():
            if left <= 0:
                return
            if not cursor.behind or cursor.blocked:
                continue
            limit = left
            read = list(store.events_after(station, cursor.next_seq or 0, limit))
            left -= len(read)
            for item in read:
                if cursor.next_seq is not None and item.seq != cursor.next_seq:
                    cursor.blocked = True  # a gap: held until its event is stored
                    break
                self._fold(station, cursor, item.seq, item.event, rows)
            else:
                cursor.behind = len(read) >= limit

    def _keep(self, store: HistoryStore, rows: list[Row]) -> None:
        if rows:
            store.save_station_checkpoints(
                [(s, self.prints[s], at, seq, encode_state(state)) for s, at, seq, state in rows]
            )
            self.kept += len(rows)

    def _start(self, store: HistoryStore, station: str) -> Cursor:
        rules = self.rules.stations[station]
        found = store.latest_checkpoint(station, self.prints[station])
        if found is not None:
            resume = checkpoints.decode(station, rules, found)
            if resume is not None:
                return Cursor(resume.state, resume.seq, self._next_end(resume.at))
        return Cursor(StationState(rules=rules), None, self._origin_mark(store))

    def _fresh(self, store: HistoryStore, station: str) -> Cursor:
        """The fold of a station new to the history, in step with the batch in hand."""
        state = StationState(rules=self.rules.stations[station])
        return Cursor(state, None, self._origin_mark(store), behind=False)

    def _origin_mark(self, store: HistoryStore) -> datetime | None:
        """The first shift end after the history's oldest event (asked once a round)."""
        if not self._origin:
            bounds = store.bounds()
            self._origin.append(self._next_end(bounds[0]) if bounds is not None else None)
        return self._origin[0]

    def _fold(
        self,
        station: str,
        cursor: Cursor,
        seq: int,
        event: ev.Event,
        rows: list[Row],
    ) -> None:
        while cursor.mark is not None and event.at >= cursor.mark:
            rows.append((station, cursor.mark, seq, cursor.state))
            cursor.mark = self._next_end(cursor.mark)
        if cursor.mark is None:
            cursor.mark = self._next_end(event.at)
        cursor.state = apply(cursor.state, event)
        cursor.next_seq = seq + 1
        self.folded += 1

    def _next_end(self, after: datetime) -> datetime | None:
        """The first shift end after ``after`` (None: none within :data:`HORIZON`)."""
        windows = self.rules.calendar.windows(after, after + HORIZON)
        ends: Iterable[datetime] = (w.end for w in windows)
        return min((e for e in ends if e > after), default=None)
