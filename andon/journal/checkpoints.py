"""State checkpoints kept in the journal file: a cache, not part of the record.

A station may save its folded state after row ``seq`` so that start-up replays
only the rows after it. A checkpoint is stored with the hash of row ``seq`` (it
is only handed out while that row still has that hash) and the hash of its own
text, the latest :data:`KEPT_CHECKPOINTS` are kept, and they commit with
``NORMAL`` like the outbox marks (losing the newest to a power cut only means a
longer replay). Files made before checkpoints existed get the table when opened.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from andon.journal.connection import JournalFile
from andon.journal.records import Checkpoint, JournalError, text_hash
from andon.journal.schema import CHECKPOINTS_SCHEMA, KEPT_CHECKPOINTS


class CheckpointedFile(JournalFile):
    """A journal file with its state checkpoints."""

    def save_checkpoint(self, seq: int, fingerprint: str, state_json: str) -> None:
        """Keep ``state_json``, the state after row ``seq``, tied to that row's hash.

        Replaces a checkpoint of the same ``seq`` and keeps only the latest
        :data:`KEPT_CHECKPOINTS`. Commits with synchronous=NORMAL. Raises
        :class:`ValueError` for bad input (no row ``seq``) and :class:`JournalError`
        when the file cannot be written.
        """
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise ValueError(f"seq: expected a journaled row number, got {seq!r}")
        if not fingerprint or not isinstance(fingerprint, str):
            raise ValueError("fingerprint: expected a non-empty string")
        if not isinstance(state_json, str):
            raise ValueError(f"state: expected JSON text, got {type(state_json).__name__}")
        row = self._query_one("SELECT hash FROM events WHERE seq = ?", (seq,), allow_none=True)
        if row is None:
            raise ValueError(f"seq: no journaled row {seq} to tie a checkpoint to")
        saved_at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        statements: list[tuple[str, tuple[Any, ...]]] = []
        if not self._has_checkpoints:
            statements.append((CHECKPOINTS_SCHEMA, ()))
        statements += [
            (
                "INSERT OR REPLACE INTO checkpoints"
                " (seq, event_hash, fingerprint, state, state_hash, saved_at)"
                " SELECT seq, hash, ?, ?, ?, ? FROM events WHERE seq = ?",
                (fingerprint, state_json, text_hash(state_json), saved_at, seq),
            ),
            (
                "DELETE FROM checkpoints WHERE seq NOT IN"
                " (SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT ?)",
                (KEPT_CHECKPOINTS,),
            ),
        ]
        self._write("save a checkpoint", statements, durable=False)
        self._has_checkpoints = True

    def checkpoints(self) -> list[Checkpoint]:
        """The usable checkpoints, newest first.

        Left out: one whose row no longer has the hash it was saved with (it no longer
        belongs to this chain) and one whose text does not match its own hash.
        """
        if not self._has_checkpoints:
            return []
        with self._lock:
            try:
                fetched = self._read_conn.execute(
                    "SELECT c.seq, c.event_hash, c.fingerprint, c.state, c.state_hash,"
                    " c.saved_at, e.hash FROM checkpoints c LEFT JOIN events e ON e.seq = c.seq"
                    " ORDER BY c.seq DESC"
                ).fetchall()
            except sqlite3.Error as exc:
                raise JournalError(f"cannot read journal {self.path}: {exc}") from exc
        return [
            Checkpoint(seq, event_hash, fingerprint, state, saved_at)
            for seq, event_hash, fingerprint, state, state_hash, saved_at, row_hash in fetched
            if row_hash == event_hash and isinstance(state, str) and text_hash(state) == state_hash
        ]

    def latest_checkpoint(self) -> Checkpoint | None:
        """The newest usable checkpoint (see :meth:`checkpoints`), if any."""
        found = self.checkpoints()
        return found[0] if found else None
