"""The station's heart, without threads or I/O of its own: decide, journal, fold.

Every input becomes a domain command; its events are written to the journal
first, then folded into the state, then handed to ``on_recorded`` (which
publishes them). ``tick`` lets time do its work (escalations, stops, pace).
When the journal cannot be written (disk full, read-only), events are kept in
memory and retried in order, the state still follows them (so the lamps stay
right) and ``journal_error`` says why.
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
from andon.journal.store import Journal, JournalError

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
    ) -> None:
        self.rules = rules
        self.journal = journal
        self.clock = clock
        self.state = StationState(rules=rules)
        self.on_recorded = on_recorded
        self.journal_error = ""
        self._unjournaled: list[tuple[str, ev.Event]] = []
        self.replayed = 0

    # --- start-up -------------------------------------------------------------

    def restore(self) -> int:
        """Rebuild the state from the journal; return how many events were replayed."""
        if self.journal is None:
            return 0
        count = 0
        for row in self.journal.rows():
            try:
                event = ev.from_dict(row.kind, row.payload)
            except ev.EventFormatError as exc:
                log.error("journal row %s cannot be read back: %s", row.seq, exc)
                continue
            self.state = replace(apply(self.state, event), last_seq=row.seq)
            count += 1
        self.replayed = count
        return count

    def start(self) -> None:
        """Restore, record that the station started, and let time catch up."""
        replayed = self.restore()
        started = ev.StationStarted(at=self.clock.now(), version=__version__, replayed=replayed)
        self.record([started])
        self.settle()

    # --- inputs ---------------------------------------------------------------

    def execute(self, command: Command, *args: Any, **kwargs: Any) -> Outcome:
        """Run a domain command at the current instant and record what it decided."""
        now = self.clock.now()
        outcome = command(self.state, now, *args, **kwargs)
        self.record(list(outcome.events))
        self.settle(now)
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
        now = now or self.clock.now()
        for _ in range(MAX_SETTLE_ROUNDS):
            due = decide(self.state, now)
            if not due:
                return
            self.record(due)
        log.error("decisions did not settle after %d rounds", MAX_SETTLE_ROUNDS)

    # --- recording ------------------------------------------------------------

    def record(self, events: list[ev.Event]) -> None:
        """Journal, fold and announce each event, in order."""
        for event in events:
            event_id = str(uuid.uuid4())
            seq = 0 if self._unjournaled else self._append(event_id, event)
            if not seq:
                self._unjournaled.append((event_id, event))
            self.state = apply(self.state, event)
            if seq:
                self.state = replace(self.state, last_seq=seq)
                self._announce(Recorded(seq, event_id, event))

    def _append(self, event_id: str, event: ev.Event) -> int:
        """Write one event to the journal; its seq, or 0 when the journal failed."""
        if self.journal is None:
            return self.state.last_seq + 1 + len(self._unjournaled)
        try:
            row = self.journal.append(
                event.KIND, event.to_dict(), at=ev.format_instant(event.at), id=event_id
            )
        except JournalError as exc:
            if not self.journal_error:
                log.error("journal write failed, keeping events in memory: %s", exc)
            self.journal_error = str(exc) or type(exc).__name__
            return 0
        self.journal_error = ""
        return int(row.seq)

    def _retry_journal(self) -> None:
        while self._unjournaled:
            event_id, event = self._unjournaled[0]
            seq = self._append(event_id, event)
            if not seq:
                return
            self._unjournaled.pop(0)
            self.state = replace(self.state, last_seq=max(self.state.last_seq, seq))
            self._announce(Recorded(seq, event_id, event))

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
