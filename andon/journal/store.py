"""The station's journal: an append-only, hash-chained SQLite file with an outbox.

Every event a station decides is appended here before it is published. Rows
are numbered ``seq`` 1, 2, 3 … without gaps and chained: ``hash`` is
``sha256(prev_hash + canonical JSON of {seq, id, kind, at, payload})`` and the
first row's ``prev_hash`` is derived from the owner, so rows cannot be edited,
removed, reordered or moved to another station's file without
:func:`andon.journal.verify.verify` noticing. Triggers refuse UPDATE and DELETE.

The outbox remembers which rows the broker acknowledged: a watermark ("all
rows up to N") plus the acknowledged rows above it, because acknowledgements
may arrive out of order. :meth:`Journal.unpublished` is what to (re)publish.

Durability: WAL mode. Appends commit with ``synchronous=FULL`` (the WAL is
fsynced at every commit; ≈0.5 ms here, a few ms on an SD card, far below the
event rate of a line), so an event survives a power cut once ``append``
returned. Outbox acknowledgements commit with ``NORMAL``: they reach the disk
with the next append or checkpoint; losing the last ones to a power cut only
republishes those events, which consumers de-duplicate.

Checkpoints: see :mod:`andon.journal.checkpoints`; the file itself:
:mod:`andon.journal.connection`; what rows are: :mod:`andon.journal.records`.

Storage failures (disk full, read-only file, corrupt file) raise
:class:`JournalError`; nothing half-written remains and the journal keeps
working once the cause is gone. Bad input (a payload that is not JSON, an
instant without UTC offset) raises :class:`ValueError` instead.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from andon.journal.checkpoints import CheckpointedFile
from andon.journal.records import (
    ROW_COLUMNS,
    Checkpoint,
    CommandOutcome,
    DuplicateEventIdError,
    JournalError,
    JournalOwnerError,
    JournalRow,
    JournalUnavailable,
    NewEvent,
    canonical_json,
    chain_hash,
    checked_outcome,
    genesis_hash,
    normalize_at,
    text_hash,
    valid_text,
)
from andon.journal.schema import (
    COMMANDS_SCHEMA,
    FORMAT,
    KEPT_CHECKPOINTS,
    KEPT_COMMANDS,
    META_FORMAT,
    META_OWNER,
    PAGE,
    RESERVED_META_PREFIX,
    TRIGGERS,
)

__all__ = [
    "FORMAT",
    "KEPT_CHECKPOINTS",
    "META_FORMAT",
    "META_OWNER",
    "TRIGGERS",
    "Checkpoint",
    "CommandOutcome",
    "DuplicateEventIdError",
    "Journal",
    "JournalError",
    "JournalOwnerError",
    "JournalRow",
    "JournalUnavailable",
    "NewEvent",
    "chain_hash",
    "genesis_hash",
    "text_hash",
    "valid_text",
]


class Journal(CheckpointedFile):
    """One station's journal file; thread-safe (one connection, one lock).

    ``owner`` is the station's ``site/area/line/station``: a new file is
    stamped with it, an existing file of another owner is refused with
    :class:`JournalOwnerError`.
    """

    # --- writing --------------------------------------------------------------

    def append(
        self, kind: str, payload: dict[str, Any], at: str | datetime, id: str | None = None
    ) -> JournalRow:
        """Append one event; assigns ``seq`` and ``hash`` atomically and durably.

        ``id`` defaults to a new UUID. Raises :class:`ValueError` for bad input
        (:class:`DuplicateEventIdError` for an id already journaled) and
        :class:`JournalError` when the file cannot be written.
        """
        return self.append_many([NewEvent(kind, payload, at, id)])[0]

    def append_many(
        self, events: Iterable[NewEvent], outcomes: Iterable[CommandOutcome] = ()
    ) -> list[JournalRow]:
        """Append events in order, in one durable transaction: all of them or none.

        One command's events (a press raises a call and escalates it) cost one
        fsync instead of one each. ``outcomes`` (the answers to the commands that
        produced them) are kept in the same transaction, so a command is known as
        done exactly when its events are journaled; the first outcome of an id is
        kept. Errors as for :meth:`append`.
        """
        prepared = [self._prepare_event(event) for event in events]
        answered = [checked_outcome(outcome) for outcome in outcomes]
        if not prepared and not answered:
            return []
        rows: list[JournalRow] = []
        with self._lock:
            try:
                if answered and not self._has_commands:
                    self._conn.execute(COMMANDS_SCHEMA)
                    self._has_commands = True
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    # As bytes: a last row another tool wrote with a hash that is not
                    # UTF-8 must not stop the appends after it (verify names that row).
                    last = self._conn.execute(
                        "SELECT seq, CAST(hash AS BLOB) FROM events ORDER BY seq DESC LIMIT 1"
                    ).fetchone()
                    seq, prev_hash = (
                        (last[0], bytes(last[1] or b"").decode("utf-8", "replace"))
                        if last
                        else (0, genesis_hash(self.owner))
                    )
                    for event_id, kind, at_text, payload_text, stored in prepared:
                        seq += 1
                        row_hash = chain_hash(prev_hash, seq, event_id, kind, at_text, stored)
                        self._conn.execute(
                            "INSERT INTO events (seq, id, kind, at, payload, prev_hash, hash)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (seq, event_id, kind, at_text, payload_text, prev_hash, row_hash),
                        )
                        rows.append(
                            JournalRow(seq, event_id, kind, at_text, stored, prev_hash, row_hash)
                        )
                        prev_hash = row_hash
                    if answered:
                        self._keep_outcomes(answered, seq)
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
            except sqlite3.IntegrityError as exc:
                if "events.id" in str(exc):
                    repeated = self._repeated_id([event[0] for event in prepared])
                    raise DuplicateEventIdError(
                        f"event id {repeated!r} is already journaled"
                    ) from None
                raise JournalError(f"cannot append to journal {self.path}: {exc}") from exc
            except sqlite3.Error as exc:
                self._after_failure(exc)
                raise JournalError(f"cannot append to journal {self.path}: {exc}") from exc
        return rows

    def _keep_outcomes(self, outcomes: list[CommandOutcome], seq: int) -> None:
        """Insert command outcomes (inside the running transaction) and forget the oldest."""
        self._conn.executemany(
            "INSERT OR IGNORE INTO commands (id, command, accepted, reason, seq)"
            " VALUES (?, ?, ?, ?, ?)",
            [(o.command_id, o.command, int(o.accepted), o.reason, seq) for o in outcomes],
        )
        self._conn.execute(
            "DELETE FROM commands WHERE rowid <= (SELECT MAX(rowid) FROM commands) - ?",
            (KEPT_COMMANDS,),
        )

    def remember_commands(self, outcomes: Iterable[CommandOutcome]) -> None:
        """Keep command outcomes that produced no event of their own (durably)."""
        self.append_many([], outcomes)

    def command_outcome(self, command_id: str) -> CommandOutcome | None:
        """The first outcome kept for ``command_id``, if it is still kept."""
        if not self._has_commands:
            return None
        row = self._query_one(
            "SELECT command, accepted, reason FROM commands WHERE id = ?",
            (command_id,),
            allow_none=True,
        )
        if row is None:
            return None
        return CommandOutcome(command_id, str(row[0]), bool(row[1]), str(row[2]))

    def _repeated_id(self, ids: list[str]) -> str:
        """Which id of a refused batch was there already (SQLite names only the column)."""
        seen: set[str] = set()
        for event_id in ids:
            if event_id in seen:
                return event_id
            seen.add(event_id)
        for event_id in ids:
            if self._conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
                return event_id
        return ", ".join(ids)

    @staticmethod
    def check_event(event: NewEvent) -> None:
        """Raise :class:`ValueError` when ``event`` could not be appended as it is."""
        Journal._prepare_event(event)

    @staticmethod
    def _prepare_event(event: NewEvent) -> tuple[str, str, str, str, dict[str, Any]]:
        """Check one event and render it: (id, kind, at, payload JSON, payload as stored)."""
        kind, payload = event.kind, event.payload
        if not kind or not isinstance(kind, str):
            raise ValueError("kind: expected a non-empty string")
        if not isinstance(payload, dict):
            raise ValueError(f"payload: expected a dict, got {type(payload).__name__}")
        at_text = normalize_at(event.at)
        event_id = str(uuid.uuid4()) if event.id is None else event.id
        if not event_id or not isinstance(event_id, str):
            raise ValueError("id: expected a non-empty string")
        try:
            payload_text = canonical_json(payload)
        except (TypeError, ValueError, RecursionError) as exc:
            raise ValueError(f"payload: not representable as JSON: {exc}") from None
        if not (valid_text(payload_text) and valid_text(event_id) and valid_text(kind)):
            raise ValueError("event: text that is not valid Unicode (a lone surrogate)")
        return event_id, kind, at_text, payload_text, json.loads(payload_text)

    # --- outbox ---------------------------------------------------------------

    def mark_published(self, seq: int) -> None:
        """The broker acknowledged row ``seq`` (in any order; repeating is harmless)."""
        self.mark_published_many([seq])

    def mark_published_many(self, seqs: Iterable[int]) -> None:
        """Acknowledge many rows in one transaction."""
        wanted = sorted(set(seqs))
        if not wanted:
            return
        last = self.last_seq()
        bad = [
            s for s in wanted if isinstance(s, bool) or not isinstance(s, int) or not 1 <= s <= last
        ]
        if bad:
            raise ValueError(f"seq: expected journaled rows 1..{last}, got {bad[:5]}")
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT OR IGNORE INTO outbox_acked (seq) SELECT ? "
                "WHERE ? > (SELECT acked_through FROM outbox WHERE id = 1)",
                (s, s),
            )
            for s in wanted
        ]
        # Advance the watermark to just before the first row still unacknowledged.
        statements.append(
            (
                "UPDATE outbox SET acked_through = COALESCE("
                " (SELECT e.seq - 1 FROM events e WHERE e.seq > acked_through"
                "  AND NOT EXISTS (SELECT 1 FROM outbox_acked a WHERE a.seq = e.seq)"
                "  ORDER BY e.seq LIMIT 1),"
                " (SELECT MAX(seq) FROM events)) WHERE id = 1",
                (),
            )
        )
        statements.append(
            (
                "DELETE FROM outbox_acked"
                " WHERE seq <= (SELECT acked_through FROM outbox WHERE id = 1)",
                (),
            )
        )
        self._write("record acknowledgements", statements, durable=False)

    def published_through(self) -> int:
        """Every row up to this seq is acknowledged."""
        return int(self._query_one("SELECT acked_through FROM outbox WHERE id = 1")[0])

    def unpublished(self, limit: int | None = None) -> list[JournalRow]:
        """Rows not yet acknowledged by the broker, in seq order."""
        sql = (
            f"SELECT {ROW_COLUMNS} FROM events"
            " WHERE seq > (SELECT acked_through FROM outbox WHERE id = 1)"
            " AND seq NOT IN (SELECT seq FROM outbox_acked) ORDER BY seq"
        )
        return self._query_rows(sql, (), limit)

    def unpublished_count(self) -> int:
        """How many rows wait for the broker's acknowledgement."""
        sql = (
            "SELECT COUNT(*) FROM events"
            " WHERE seq > (SELECT acked_through FROM outbox WHERE id = 1)"
            " AND seq NOT IN (SELECT seq FROM outbox_acked)"
        )
        return int(self._query_one(sql)[0])

    # --- reading --------------------------------------------------------------

    def last_seq(self) -> int:
        """The seq of the last row (0 when empty)."""
        return int(self._query_one("SELECT COALESCE(MAX(seq), 0) FROM events")[0])

    def row(self, seq: int) -> JournalRow | None:
        """One row by seq."""
        rows = self._query_rows(
            f"SELECT {ROW_COLUMNS} FROM events WHERE seq = ?",
            (seq,),
            1,
        )
        return rows[0] if rows else None

    def rows(self, from_seq: int = 1, limit: int | None = None) -> Iterator[JournalRow]:
        """Rows from ``from_seq`` on, in order; read page by page."""
        remaining = limit
        next_seq = from_seq
        while remaining is None or remaining > 0:
            size = PAGE if remaining is None else min(PAGE, remaining)
            page = self._query_rows(
                f"SELECT {ROW_COLUMNS} FROM events WHERE seq >= ? ORDER BY seq",
                (next_seq,),
                size,
            )
            yield from page
            if len(page) < size:
                return
            next_seq = page[-1].seq + 1
            if remaining is not None:
                remaining -= len(page)

    # --- meta -----------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A small piece of state kept with the journal (identity, clock anchors …)."""
        row = self._query_one("SELECT value FROM meta WHERE key = ?", (key,), allow_none=True)
        return default if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store a value (durably); keys starting with ``journal.`` are reserved."""
        if not key or key.startswith(RESERVED_META_PREFIX):
            raise ValueError(f"meta key {key!r} is empty or reserved")
        if not isinstance(value, str):
            raise ValueError(f"meta value: expected a string, got {type(value).__name__}")
        self._write(
            "store meta",
            [
                (
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            ],
            durable=True,
        )
