"""The station's heart, without threads or I/O of its own: decide, fold, journal.

Every input becomes a domain command. Its events, and whatever they make due
at once (a press raises a call and escalates it to level 1), are folded into
the state; ``on_changed`` then lets the lamps follow; then they are written
to the journal in one transaction and handed to ``on_recorded`` (which
publishes them). So an operator sees the lamp without waiting for the disk,
while nothing leaves the station before it is journaled. ``tick`` lets time
do its work (escalations, stops, pace). When the journal cannot be written
(disk full, read-only), events are kept in memory and retried in order, the
state still follows them (so the lamps stay right) and ``journal_error`` says
why.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from andon import __version__
from andon.domain import events as ev
from andon.domain.commands import Outcome
from andon.domain.decide import decide
from andon.domain.rules import StationRules
from andon.domain.state import StationState, apply
from andon.journal.store import Journal, JournalError, NewEvent

log = logging.getLogger(__name__)

MAX_SETTLE_ROUNDS = 32


class Clock(Protocol):
    """What the core needs of a clock (the station's timeline or a simulated one)."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    def check_jump(self) -> float: ...


@dataclass(frozen=True)
class Recorded:
    """One recorded event with its journal identity (``seq`` 0 while not yet journaled)."""

    seq: int
    event_id: str
    event: ev.Event


Command = Callable[..., Outcome]


class StationCore:
    """Owns the state; the only place that changes it."""

    def __init__(
        self,
        rules: StationRules,
        journal: Journal | None,
        clock: Clock,
        on_recorded: Callable[[Recorded], None] | None = None,
        on_changed: Callable[[], None] | None = None,
    ) -> None:
        self.rules = rules
        self.journal = journal
        self.clock = clock
        self.state = StationState(rules=rules)
        self.on_recorded = on_recorded
        self.on_changed = on_changed
        """Called after events are folded, before they are journaled (the lamps)."""
        self.changes = 0
        """How many times the state changed (outputs compare it to know they are stale)."""
        self.journal_error = ""
        self._unjournaled: list[tuple[str, ev.Event]] = []
        self.replayed = 0

    # --- start-up -------------------------------------------------------------

    def restore(self) -> int:
        """Rebuild the state from the journal; return how many events were replayed."""
        if self.journal is None:
            return 0
        count = last_seq = 0
        state = self.state
        for row in self.journal.rows():
            last_seq = row.seq
            try:
                event = ev.from_dict(row.kind, row.payload)
            except ev.EventFormatError as exc:
                log.error("journal row %s cannot be read back: %s", row.seq, exc)
                continue
            state = apply(state, event)
            count += 1
        self.state = replace(state, last_seq=last_seq) if last_seq else state
        self.replayed = count
        return count

    def start(self) -> None:
        """Restore, record that the station started, and let time catch up."""
        replayed = self.restore()
        started = ev.StationStarted(at=self.clock.now(), version=__version__, replayed=replayed)
        self.record([started])

    # --- inputs ---------------------------------------------------------------

    def execute(self, command: Command, *args: Any, **kwargs: Any) -> Outcome:
        """Run a domain command at the current instant and record what it decided."""
        now = self.clock.now()
        outcome = command(self.state, now, *args, **kwargs)
        self.record(list(outcome.events), now)
        return outcome

    def tick(self) -> None:
        """Let time act: a clock jump, due escalations and stops, pace; retry the journal."""
        jump = self.clock.check_jump()
        if jump:
            log.warning("wall clock moved by %+.1f s; timeline re-anchored", jump)
            self.record([ev.ClockJumped(at=self.clock.now(), jump_s=round(jump, 3))])
        self._retry_journal()
        self.settle()

    def settle(self, now: datetime | None = None) -> None:
        """Record what is due until nothing more is."""
        self.record([], now)

    # --- recording ------------------------------------------------------------

    def record(self, events: list[ev.Event], now: datetime | None = None) -> None:
        """Fold ``events`` and what they make due at ``now``, show them, journal them, announce.

        Everything decided here is journaled in one transaction, in order.
        """
        now = now or self.clock.now()
        folded: list[ev.Event] = []
        batch = events
        for _ in range(MAX_SETTLE_ROUNDS):
            for event in batch:
                self.state = apply(self.state, event)
            folded.extend(batch)
            batch = decide(self.state, now)
            if not batch:
                break
        else:
            log.error("decisions did not settle after %d rounds", MAX_SETTLE_ROUNDS)
        if not folded:
            return
        self.changes += 1
        if self.on_changed is not None:
            try:
                self.on_changed()
            except Exception:  # the lamps must never stop the journal
                log.exception("showing the new state failed")
        pending = [(str(uuid.uuid4()), event) for event in folded]
        if self._unjournaled:
            self._unjournaled.extend(pending)  # keep the order behind older events
            return
        recorded = self._append(pending)
        if not recorded:
            self._unjournaled.extend(pending)
            return
        self.state = replace(self.state, last_seq=recorded[-1].seq)
        for one in recorded:
            self._announce(one)

    def _append(self, pending: list[tuple[str, ev.Event]]) -> list[Recorded]:
        """Journal events in one transaction; empty when the journal failed."""
        if self.journal is None:
            first = self.state.last_seq + 1
            return [Recorded(first + i, eid, event) for i, (eid, event) in enumerate(pending)]
        try:
            rows = self.journal.append_many(
                NewEvent(event.KIND, event.to_dict(), ev.format_instant(event.at), event_id)
                for event_id, event in pending
            )
        except JournalError as exc:
            if not self.journal_error:
                log.error("journal write failed, keeping events in memory: %s", exc)
            self.journal_error = str(exc) or type(exc).__name__
            return []
        self.journal_error = ""
        return [
            Recorded(row.seq, event_id, event)
            for row, (event_id, event) in zip(rows, pending, strict=True)
        ]

    def _retry_journal(self) -> None:
        """Journal the events held in memory, all in one transaction, once the file takes them."""
        if not self._unjournaled:
            return
        recorded = self._append(self._unjournaled)
        if not recorded:
            return
        self._unjournaled.clear()
        self.state = replace(self.state, last_seq=max(self.state.last_seq, recorded[-1].seq))
        for one in recorded:
            self._announce(one)

    @property
    def unjournaled(self) -> int:
        """Events held in memory because the journal could not be written."""
        return len(self._unjournaled)

    def _announce(self, recorded: Recorded) -> None:
        if self.on_recorded is not None:
            try:
                self.on_recorded(recorded)
            except Exception:  # a publishing problem must never stop the station
                log.exception("announcing event %s failed", recorded.seq)
