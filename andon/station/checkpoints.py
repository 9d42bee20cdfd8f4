"""Start-up from a state checkpoint, and when a checkpoint may be saved.

Start-up does not replay the whole journal: every ``checkpoint_every`` journaled
events the state is saved as a checkpoint, and ``restore`` starts from the latest
one made under the same rules and software, replaying only the rows after it
(everything when there is none it can use). A checkpoint must be what a replay
gives, so one is only saved while every event journaled since start-up reads back
equal to the event that was folded (instants carry milliseconds, as in the JSON
form) and none is waiting in memory.
"""

from __future__ import annotations

import logging

from andon import __version__
from andon.bus.messages import valid_unicode
from andon.domain import event_decoding
from andon.domain import events as ev
from andon.domain.rules import StationRules
from andon.domain.state import apply
from andon.domain.state_codec import decode_state, encode_state, rules_fingerprint
from andon.domain.station_state import StationState
from andon.journal.store import Journal, JournalError, JournalRow

log = logging.getLogger(__name__)


class Checkpoints:
    """The station core's checkpoints (mixed into :class:`~andon.station.core.StationCore`)."""

    rules: StationRules
    journal: Journal | None
    state: StationState
    journal_error: str
    unreadable: dict[int, str]
    replayed: int
    restored_from: int
    checkpoint_every: int
    fingerprint: str
    _replayable: bool
    _checkpointed_seq: int
    _unchecked: list[tuple[JournalRow, ev.Event]]
    _waiting: list[tuple[str, ev.Event]]

    @property
    def holding(self) -> bool:
        raise NotImplementedError

    # --- start-up -------------------------------------------------------------

    def restore(self) -> int:
        """Rebuild the state from the latest usable checkpoint and the journal rows after it.

        Return how many events were replayed.
        """
        if self.journal is None:
            return 0
        state, through = self._from_checkpoint()
        count, last_seq = 0, through
        try:
            for row in self.journal.rows(through + 1):
                last_seq = row.seq  # an unreadable row keeps its seq: it is never reissued
                event = _read_back(row)
                if event is None:  # skipped, counted, and the alarm lit; replay goes on
                    self.unreadable[row.seq] = row.problem or "not an event this station knows"
                    continue
                # The seq before the event: a shift it starts begins its history there.
                state = apply(state.evolve(last_seq=row.seq - 1), event)
                count += 1
            readable = True
        except JournalError as exc:  # nothing on disk yet, or unreadable: start from it
            log.error("journal cannot be read at start (replayed %d rows): %s", count, exc)
            self.journal_error = str(exc)
            readable = False
        self.state = state.evolve(last_seq=last_seq) if last_seq else state
        self.replayed = count
        self.restored_from = through
        self._replayable = readable
        self._checkpointed_seq = through
        return count

    def _from_checkpoint(self) -> tuple[StationState, int]:
        """The newest checkpoint made under these rules that reads back, and its row.

        Without one: the state as it is and row 0, so that everything is replayed.
        """
        assert self.journal is not None
        if not self.fingerprint:
            return self.state, 0
        try:
            saved = self.journal.checkpoints()
        except JournalError as exc:
            log.warning("state checkpoints cannot be read, replaying the journal: %s", exc)
            return self.state, 0
        for checkpoint in saved:
            if checkpoint.fingerprint != self.fingerprint:
                log.info("checkpoint after row %s is of other rules: not used", checkpoint.seq)
                continue
            try:
                state = decode_state(checkpoint.state, self.rules)
            except ValueError as exc:
                log.warning("checkpoint after row %s cannot be read: %s", checkpoint.seq, exc)
                continue
            if state.last_seq != checkpoint.seq:
                log.warning(
                    "checkpoint after row %s holds the state after row %s: not used",
                    checkpoint.seq,
                    state.last_seq,
                )
                continue
            return state, checkpoint.seq
        return self.state, 0

    # --- saving ---------------------------------------------------------------

    def check_read_back(self) -> None:
        """Stop checkpoints when a journaled event reads back other than it was folded.

        A replay folds what it reads back; a state folded from anything else is no
        checkpoint (restoring from it would differ from replaying). The check only
        matters to checkpoints, so it is not on the way from the press to the
        broker: the station's loop runs it after publishing, ``tick`` and
        :meth:`save_checkpoint` before they need it.
        """
        unchecked, self._unchecked = self._unchecked, []
        if not self._replayable:
            return
        for row, event in unchecked:
            if _read_back(row) != event:
                self._replayable = False
                log.warning(
                    "journal row %s does not read back as the event decided:"
                    " no state checkpoints until the station restarts",
                    row.seq,
                )
                return

    def _maybe_checkpoint(self) -> None:
        """Save a checkpoint once ``checkpoint_every`` events were journaled since the last."""
        if self.state.last_seq - self._checkpointed_seq >= self.checkpoint_every:
            self.save_checkpoint()

    def save_checkpoint(self) -> bool:
        """Save the state as a checkpoint now; False when it is not saved (logged if failed).

        Only while the state is what a replay of the journal gives: after ``restore``,
        with every event journaled and read back equal.
        """
        self.check_read_back()
        seq = self.state.last_seq
        if self.journal is None or not self.fingerprint or seq < 1:
            return False
        if not self._replayable or self.holding or self._waiting:
            return False
        self._checkpointed_seq = seq  # tried once per interval, saved or not
        try:
            self.journal.save_checkpoint(seq, self.fingerprint, encode_state(self.state))
        except (JournalError, ValueError, TypeError) as exc:
            log.warning("state checkpoint after row %s not saved: %s", seq, exc)
            return False
        return True


def checkpoint_fingerprint(rules: StationRules) -> str:
    """The rules and the software a checkpoint depends on ("" when the rules have no stable hash).

    ``apply`` may fold differently under other rules or another version, so a checkpoint
    made under either is not used: the journal is replayed instead.
    """
    try:
        return f"{__version__}/{rules_fingerprint(rules)}"
    except TypeError as exc:
        log.warning("station rules have no stable fingerprint, no state checkpoints: %s", exc)
        return ""


def _read_back(row: JournalRow) -> ev.Event | None:
    """The event of a journal row; None (logged) when it cannot be read back.

    A row that cannot be read (bytes that are not UTF-8, JSON that is malformed,
    truncated or holds NaN or a 5 000-digit integer, written by another tool or a
    damaged disk) or holding text that is not valid Unicode is not folded: its state
    could be neither published nor saved. ``verify-journal`` names it.
    """
    if row.problem:
        log.error("journal row %s cannot be read: %s; not replayed", row.seq, row.problem)
        return None
    if not valid_unicode(row.payload):
        log.error("journal row %s holds text that is not valid Unicode: not replayed", row.seq)
        return None
    try:
        return event_decoding.from_dict(row.kind, row.payload)
    except event_decoding.EventFormatError as exc:
        log.error("journal row %s cannot be read back: %s", row.seq, exc)
        return None
