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

Start-up restores from a state checkpoint and replays the rows after it
(see :mod:`andon.station.checkpoints`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from andon import __version__
from andon.domain import events as ev
from andon.domain.commands import Outcome
from andon.domain.decide import decide
from andon.domain.rules import StationRules
from andon.domain.state import apply
from andon.domain.station_state import StationState
from andon.journal.store import (
    CommandOutcome,
    Journal,
    JournalError,
    JournalRow,
    NewEvent,
    valid_text,
)
from andon.station.checkpoints import Checkpoints, checkpoint_fingerprint

log = logging.getLogger(__name__)

MAX_SETTLE_ROUNDS = 32
CHECKPOINT_EVERY = 1000
"""Journaled events between two state checkpoints: start-up replays about this many at most."""


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
    row: JournalRow | None = None
    """The journal's row (None without a journal): what a publisher sends."""


Command = Callable[..., Outcome]


class StationCore(Checkpoints):
    """Owns the state; the only place that changes it."""

    def __init__(
        self,
        rules: StationRules,
        journal: Journal | None,
        clock: Clock,
        on_recorded: Callable[[Recorded], None] | None = None,
        on_changed: Callable[[], None] | None = None,
        checkpoint_every: int = CHECKPOINT_EVERY,
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
        self.event_error = ""
        """Why an event could not be journaled at all (kept until restart: the alarm)."""
        self.unreadable: dict[int, str] = {}
        """Journal rows start-up could not read back, by seq, and why (the alarm until restart)."""
        self.refused_events = 0
        """Events decided but refused by the journal as they were (their text, their form)."""
        self._unjournaled: list[tuple[str, ev.Event]] = []
        """Events the journal refused (disk full, read-only), retried in order."""
        self._unjournaled_outcomes: list[CommandOutcome] = []
        """The outcomes of the commands that produced them, kept with them."""
        self._waiting: list[tuple[str, ev.Event]] = []
        """Events folded in the running batch, journaled when it ends."""
        self._waiting_outcomes: list[CommandOutcome] = []
        """Command outcomes of the running batch, journaled with its events."""
        self._batching = False
        self.replayed = 0
        """Events replayed at start-up (the rows after the checkpoint it started from)."""
        self.restored_from = 0
        """The row of the checkpoint start-up began from (0: the whole journal was replayed)."""
        self.checkpoint_every = checkpoint_every
        self.fingerprint = checkpoint_fingerprint(rules)
        """What a checkpoint must have been made under to be used ("" : no checkpoints)."""
        self._replayable = False
        """The state is what replaying the journal gives (restored, events read back equal)."""
        self._checkpointed_seq = 0
        self._unchecked: list[tuple[JournalRow, ev.Event]] = []
        """Rows journaled and not yet read back (see :meth:`check_read_back`)."""

    def start(
        self,
        held: tuple[list[tuple[str, ev.Event]], list[CommandOutcome]] | None = None,
    ) -> None:
        """Restore, record that the station started, and let time catch up.

        ``held`` are events (and command outcomes) an earlier run could not journal:
        folded after the journal's rows and journaled before anything new.
        """
        replayed = self.restore()
        if held is not None and (held[0] or held[1]):
            events, outcomes = held
            for _, event in events:
                self.state = apply(self.state, event)
            self._unjournaled[:0] = events
            self._unjournaled_outcomes[:0] = outcomes
            log.warning("%d events held by the last run are journaled first", len(events))
            self._retry_journal()
        started = ev.StationStarted(at=self.clock.now(), version=__version__, replayed=replayed)
        self.record([started])
        self._maybe_checkpoint()  # a long replay is not repeated at the next start

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
        self.check_read_back()

    def settle(self, now: datetime | None = None) -> None:
        """Record what is due until nothing more is."""
        self.record([], now)

    # --- recording ------------------------------------------------------------

    def record(self, events: list[ev.Event], now: datetime | None = None) -> None:
        """Fold ``events`` and what they make due at ``now``, show them, journal them, announce.

        Everything decided here is journaled in one transaction, in order (at the
        end of the running :meth:`batch`, if any).
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
        self._waiting.extend((str(uuid.uuid4()), event) for event in folded)
        if not self._batching:
            self.flush()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Journal everything recorded inside in one transaction when it ends.

        The station's loop wraps each turn in a batch: however many inputs and
        commands a turn handles, they cost one fsync. The lamps still follow
        each of them at once; only journaling (and so publishing) waits for the
        end of the turn.
        """
        if self._batching:
            yield
            return
        self._batching = True
        try:
            yield
        finally:
            self._batching = False
            self.flush()

    def remember(self, command_id: str, command: str, accepted: bool, reason: str) -> None:
        """Keep a command's outcome, journaled with the events it produced (same transaction).

        Text that cannot be stored as UTF-8 is kept with its bad characters replaced.
        """
        outcome = CommandOutcome(
            _storable(command_id), _storable(command), accepted, _storable(reason)
        )
        self._waiting_outcomes.append(outcome)
        if not self._batching:
            self.flush()

    def flush(self) -> None:
        """Journal and announce what was recorded and is not journaled yet, in one transaction."""
        if not self._waiting and not self._waiting_outcomes:
            return
        pending, self._waiting = self._waiting, []
        outcomes, self._waiting_outcomes = self._waiting_outcomes, []
        # Behind older events held in memory, new ones wait their turn (order is kept).
        if self.holding or not self._journal(pending, outcomes):
            self._unjournaled.extend(pending)
            self._unjournaled_outcomes.extend(outcomes)

    @property
    def holding(self) -> bool:
        """True while events or command outcomes wait in memory for the journal."""
        return bool(self._unjournaled or self._unjournaled_outcomes)

    def _journal(self, pending: list[tuple[str, ev.Event]], outcomes: list[CommandOutcome]) -> bool:
        """Journal ``pending`` in one transaction and announce it; False when the journal failed."""
        recorded = self._append(pending, outcomes)
        if recorded is None:
            return False
        if recorded:
            self.state = self.state.evolve(last_seq=max(self.state.last_seq, recorded[-1].seq))
        for one in recorded:
            self._announce(one)
        self._maybe_checkpoint()
        return True

    def _append(
        self, pending: list[tuple[str, ev.Event]], outcomes: list[CommandOutcome]
    ) -> list[Recorded] | None:
        """Journal events in one transaction; None when the journal failed.

        An event the journal refuses as it is (not storable: a defect upstream) is
        left out with an error and the alarm, so that it never blocks the ones after it.
        """
        if self.journal is None:
            first = self.state.last_seq + 1
            return [Recorded(first + i, eid, event) for i, (eid, event) in enumerate(pending)]
        try:
            rows = self._append_rows(pending, outcomes)
        except ValueError:
            pending = self._storable_events(pending)
            try:
                rows = self._append_rows(pending, outcomes)
            except (ValueError, JournalError) as exc:
                return self._journal_failed(exc)
        except JournalError as exc:
            return self._journal_failed(exc)
        if self.journal_error:
            log.warning("journal writable again; %d held events journaled", len(pending))
        self.journal_error = ""
        if self._replayable:
            self._unchecked.extend(zip(rows, [event for _, event in pending], strict=True))
        return [
            Recorded(row.seq, event_id, event, row)
            for row, (event_id, event) in zip(rows, pending, strict=True)
        ]

    def _append_rows(
        self, pending: list[tuple[str, ev.Event]], outcomes: list[CommandOutcome]
    ) -> list[JournalRow]:
        assert self.journal is not None
        events = [
            NewEvent(event.KIND, event.to_dict(), ev.format_instant(event.at), event_id)
            for event_id, event in pending
        ]
        if not outcomes:
            return self.journal.append_many(events)
        return self.journal.append_many(events, outcomes)

    def _journal_failed(self, exc: Exception) -> None:
        if not self.journal_error:
            log.error("journal write failed, keeping events in memory: %s", exc)
        self.journal_error = str(exc) or type(exc).__name__
        return None

    def _storable_events(self, pending: list[tuple[str, ev.Event]]) -> list[tuple[str, ev.Event]]:
        """``pending`` without the events the journal cannot store (each logged and counted)."""
        kept = []
        for event_id, event in pending:
            try:
                Journal.check_event(
                    NewEvent(event.KIND, event.to_dict(), ev.format_instant(event.at), event_id)
                )
            except (ValueError, TypeError) as exc:
                self.refused_events += 1
                self.event_error = f"a {event.KIND} event could not be journaled: {exc}"
                self._replayable = False  # the state holds an event the journal does not
                log.error("event %s (%s) left out of the journal: %s", event_id, event.KIND, exc)
                continue
            kept.append((event_id, event))
        return kept

    def _retry_journal(self) -> None:
        """Journal the events held in memory, all in one transaction, once the file takes them."""
        held, self._unjournaled = self._unjournaled, []
        outcomes, self._unjournaled_outcomes = self._unjournaled_outcomes, []
        if (held or outcomes) and not self._journal(held, outcomes):
            self._unjournaled = held
            self._unjournaled_outcomes = outcomes

    def held(self) -> tuple[list[tuple[str, ev.Event]], list[CommandOutcome]]:
        """What waits in memory for the journal (events in order, command outcomes)."""
        return [*self._unjournaled, *self._waiting], [
            *self._unjournaled_outcomes,
            *self._waiting_outcomes,
        ]

    def retry_journal(self) -> bool:
        """Journal what is held now (the storage asked again at once); True when nothing is."""
        self.flush()
        if self.journal is not None:
            self.journal.retry_now()
        self._retry_journal()
        return not self.holding

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


def _storable(text: str) -> str:
    """``text`` with whatever UTF-8 cannot hold replaced."""
    if valid_text(text):
        return text
    return text.encode("utf-8", "replace").decode("utf-8")
