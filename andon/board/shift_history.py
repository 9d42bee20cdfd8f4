"""This shift's calls and stops of one station, as its events tell them.

The retained state lists only the open calls and a few stops (its size must not
grow with the shift), so the board keeps the closed calls and every stop itself:
from the events it receives, and after a start or a missed stretch from the
station's ``cmd/replay`` of the events after the state's ``history_seq``.
:func:`apply_call_event` is the one place a call event changes a call, for this
history and for the overlay of events on a snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from andon.board.station_data import CallData, NoteData, StopData
from andon.board.stop_history import apply_stop_event, forget_before, shift_stops
from andon.bus.messages import EventMessage
from andon.bus.replay_pacing import ReplayPacer
from andon.domain import events as ev


def apply_call_event(calls: dict[str, CallData], event: ev.Event) -> bool:
    """Change ``calls`` (by id) by one call event; True when it changed them."""
    if isinstance(event, ev.CallRaised):
        if event.call_id in calls:
            return False
        calls[event.call_id] = CallData(
            call_id=event.call_id,
            call_type=event.call_type,
            status="raised",
            raised_at=event.at,
            source=event.source,
            raised_by=event.by,
            part=event.part,
            express=event.express,
        )
        return True
    call = calls.get(getattr(event, "call_id", ""))
    if call is None or not call.is_open:
        return False
    if isinstance(event, ev.CallAcknowledged):
        if call.status != "raised":
            return False
        calls[call.call_id] = replace(
            call, status="acknowledged", acknowledged_at=event.at, acknowledged_by=event.by
        )
    elif isinstance(event, ev.CallResolved):
        calls[call.call_id] = replace(
            call,
            status="resolved",
            closed_at=event.at,
            closed_by=event.by,
            reason=event.reason,
            note=event.note,
            acknowledged_at=call.acknowledged_at or event.at,
            acknowledged_by=call.acknowledged_by or event.by,
            reason_required=False,
        )
    elif isinstance(event, ev.CallCancelled):
        calls[call.call_id] = replace(
            call,
            status="cancelled",
            closed_at=event.at,
            closed_by=event.by,
            reason="",
            note="",
            reason_required=False,
        )
    elif isinstance(event, ev.CallNoted):
        note = NoteData(at=event.at, by=event.by, text=event.text)
        if note in call.notes:  # the snapshot already carried it
            return False
        calls[call.call_id] = replace(call, notes=(*call.notes, note))
    elif isinstance(event, ev.CallEscalated):
        if event.level <= call.level:
            return False
        calls[call.call_id] = replace(call, level=event.level)
    else:
        return False
    return True


@dataclass
class ShiftHistory:
    """One station's calls and stops of the shift, and the replay that completes them."""

    calls: dict[str, CallData] = field(default_factory=dict)
    stops: dict[str, StopData] = field(default_factory=dict)
    """The shift's stops by id, as their events (and the states listing them) tell them."""
    open_ids: set[str] = field(default_factory=set)
    """The ids of the calls in :attr:`calls` still open (a state is compared with them)."""
    version: int = 0
    """Counts the changes (a cached view compares it)."""
    wanted: tuple[int, int] | None = None
    """The replay still awaited: (next seq, last seq); ``None`` when nothing is missing."""
    asked_at: float | None = None
    """When that replay was last asked for (``timestamp()``), ``None``: not yet."""
    pruned_for: datetime | None = None
    """The shift start the history was last pruned for."""
    _closed: tuple[int, datetime | None, tuple[CallData, ...]] | None = None

    def apply(self, message: EventMessage) -> None:
        """A live event (delivered in order)."""
        event = message.event
        if apply_stop_event(self.stops, event):
            self.version += 1
        elif apply_call_event(self.calls, event):
            self.version += 1
            call_id: str = getattr(event, "call_id", "")
            if self.calls[call_id].is_open:
                self.open_ids.add(call_id)
            else:
                self.open_ids.discard(call_id)

    def replayed(self, message: EventMessage) -> bool:
        """An event older than what the board holds: a replay's, or a redelivery.

        True when it was one the history waited for (not a duplicate, then).
        """
        wanted = self.wanted
        # In order from the first wanted; once asked, a row the station skipped is passed.
        asked = self.asked_at is not None
        awaited = wanted is not None and (
            message.seq == wanted[0] or (asked and wanted[0] < message.seq <= wanted[1])
        )
        if wanted is not None and awaited:
            self.wanted = None if message.seq >= wanted[1] else (message.seq + 1, wanted[1])
        self.apply(message)
        return awaited

    def adopt(
        self,
        open_calls: tuple[CallData, ...],
        raised_before: datetime,
        *,
        complete: bool,
        stops: tuple[StopData, ...] = (),
    ) -> None:
        """The open calls and listed stops of a new state: known from now on.

        When the board has every event up to the state (``complete``), calls it no
        longer lists as open and no event closed here are forgotten (their end was
        missed); otherwise the replay asked for brings their end.
        """
        listed = {c.call_id for c in open_calls}
        for call_id in self.open_ids - listed if complete else ():
            if self.calls[call_id].raised_at <= raised_before:
                del self.calls[call_id]
                self.open_ids.discard(call_id)
                self.version += 1
        for stop in stops:
            if stop.stop_id not in self.stops:
                self.stops[stop.stop_id] = stop
                self.version += 1
        for call in open_calls:
            if call.call_id not in self.calls:
                self.calls[call.call_id] = call
                self.open_ids.add(call.call_id)
                self.version += 1

    def want(self, first: int, last: int, asked_at: float | None = None) -> None:
        """Events ``first``..``last`` are missing: ask for them (again after a while).

        ``asked_at``: count the replay as asked then (events in flight may still come);
        ``None``: ask at once.
        """
        if first > last:
            return
        if self.wanted is None or first < self.wanted[0]:
            self.wanted = (first, max(last, self.wanted[1] if self.wanted else last))
            self.asked_at = asked_at
        elif last > self.wanted[1]:
            self.wanted = (self.wanted[0], last)

    def gap(self, now: float, pacer: ReplayPacer, station: str) -> int | None:
        """The first seq still wanted, when a replay of it may be asked now.

        ``pacer`` (one for all the board's stations) then says whether to ask: only
        when nothing of the missing events arrived meanwhile, with a back-off, and a
        bounded number of replays awaited at once. A replay counted as asked by
        :meth:`want` (the events may still be on their way) waits ``pacer.retry_s``
        first. With nothing wanted, the station's place in the pacer ends.
        """
        if self.wanted is None:
            pacer.closed(station)
            return None
        if (
            station not in pacer
            and self.asked_at is not None
            and now - self.asked_at < pacer.retry_s
        ):
            return None
        return self.wanted[0]

    def asked(self, now: float) -> None:
        """The replay of :meth:`gap` was asked for now."""
        self.asked_at = now

    def closed(self, since: datetime | None) -> tuple[CallData, ...]:
        """The calls closed at or after ``since`` (the shift's start), oldest first."""
        cached = self._closed
        if cached is not None and cached[0] == self.version and cached[1] == since:
            return cached[2]
        closed = tuple(
            sorted(
                (
                    c
                    for c in self.calls.values()
                    if c.closed_at is not None and (since is None or c.closed_at >= since)
                ),
                key=lambda c: (c.raised_at, c.call_id),
            )
        )
        self._closed = (self.version, since, closed)
        return closed

    def prune(self, since: datetime | None) -> None:
        """Forget the calls closed before ``since`` (an earlier shift's), once per shift."""
        if since is None or since == self.pruned_for:
            return
        self.pruned_for = since
        old = [k for k, c in self.calls.items() if c.closed_at is not None and c.closed_at < since]
        for call_id in old:
            del self.calls[call_id]
        if forget_before(self.stops, since) or old:
            self.version += 1

    def shift_stops(
        self, listed: tuple[StopData, ...], since: datetime | None
    ) -> tuple[StopData, ...]:
        """The shift's stops, as the state lists them where it does (see
        :mod:`andon.board.stop_history`)."""
        return shift_stops(self.stops, listed, since)


def paced_replays(
    histories: Mapping[str, ShiftHistory], pacer: ReplayPacer, now: float
) -> dict[str, int]:
    """Station → the seq to replay from now, for the histories whose replay ``pacer`` says
    is due (the longest waiting first); each is marked asked."""
    gaps = {}
    for station, history in histories.items():
        first = history.gap(now, pacer, station)
        if first is not None:
            gaps[station] = first
    due = pacer.due(gaps, now)
    for station in due:
        histories[station].asked(now)
    return due
