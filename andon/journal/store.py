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

Checkpoints: a station may save its folded state after row ``seq`` so that
start-up replays only the rows after it. A checkpoint is a cache, not part of
the record: it is stored with the hash of row ``seq`` (it is only handed out
while that row still has that hash) and the hash of its own text, the latest
:data:`KEPT_CHECKPOINTS` are kept, and they commit with ``NORMAL`` like the
outbox marks (losing the newest to a power cut only means a longer replay).
Files made before checkpoints existed get the table when opened.

Storage failures (disk full, read-only file, corrupt file) raise
:class:`JournalError`; nothing half-written remains and the journal keeps
working once the cause is gone. Bad input (a payload that is not JSON, an
instant without UTC offset) raises :class:`ValueError` instead.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

FORMAT = "andon-journal/1"
META_FORMAT = "journal.format"
META_OWNER = "journal.owner"
META_CREATED = "journal.created_at"
RESERVED_META_PREFIX = "journal."
PAGE = 500
REOPEN_EVERY_S = 1.0
"""How often a journal the storage refused is tried again."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'journal events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'journal events are append-only: DELETE refused'); END;
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    acked_through INTEGER NOT NULL
);
INSERT OR IGNORE INTO outbox (id, acked_through) VALUES (1, 0);
CREATE TABLE IF NOT EXISTS outbox_acked (
    seq INTEGER PRIMARY KEY
);
"""
COMMANDS_SCHEMA = """
CREATE TABLE IF NOT EXISTS commands (
    id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    accepted INTEGER NOT NULL,
    reason TEXT NOT NULL,
    seq INTEGER NOT NULL
);
"""
KEPT_COMMANDS = 10000
"""Command outcomes kept (the oldest are forgotten): far more than a broker redelivers."""
CHECKPOINTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS checkpoints (
    seq INTEGER PRIMARY KEY,
    event_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    state_hash TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
"""
TRIGGERS = ("events_no_update", "events_no_delete")
KEPT_CHECKPOINTS = 2
CACHE_KIB = 256
"""SQLite's page cache for the journal, in KiB (SQLite's default is 2 MiB).

Appends touch the last pages of the table and of its indexes, replay reads the file
in order once, and a backlog is read a page at a time: a small cache serves them all.
With the default, a station's memory grew by up to 2 MiB over a shift as the journal
grew; this bounds it."""


class JournalError(Exception):
    """The journal file cannot be used (disk full, read-only, corrupt, not a journal)."""


@dataclass(frozen=True)
class Checkpoint:
    """A station state saved after row ``seq``; ``event_hash`` is that row's hash then."""

    seq: int
    event_hash: str
    fingerprint: str
    """What the state depends on besides the events (the station's rules), hashed."""
    state: str
    saved_at: str


def text_hash(text: str) -> str:
    """The SHA-256 hex digest of a text (a checkpoint's state)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class JournalUnavailable(JournalError):
    """The journal's storage refuses it now (disk full, read-only, I/O error); it may later."""


class JournalOwnerError(JournalError):
    """The journal belongs to another station."""


class DuplicateEventIdError(ValueError):
    """An event with this id is already in the journal."""


@dataclass(frozen=True)
class CommandOutcome:
    """What the station answered to one command id, kept so that a repeat is not redone."""

    command_id: str
    command: str
    accepted: bool
    reason: str = ""


@dataclass(frozen=True)
class NewEvent:
    """An event to append: ``id`` None gets a new UUID."""

    kind: str
    payload: dict[str, Any]
    at: str | datetime
    id: str | None = None


@dataclass(frozen=True)
class JournalRow:
    """One journaled event."""

    seq: int
    id: str
    kind: str
    at: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


def _checked_outcome(outcome: CommandOutcome) -> CommandOutcome:
    """A command outcome that can be stored, or :class:`ValueError`."""
    for name in ("command_id", "command", "reason"):
        value = getattr(outcome, name)
        if not isinstance(value, str) or not valid_text(value):
            raise ValueError(f"command outcome {name}: expected UTF-8 text")
    if not outcome.command_id:
        raise ValueError("command outcome command_id: expected a non-empty string")
    return outcome


def valid_text(text: str) -> bool:
    """True when ``text`` can be written as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept; NaN and infinities refused."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def genesis_hash(owner: str) -> str:
    """The ``prev_hash`` of row 1: ties the chain to its station."""
    return hashlib.sha256(f"andon-journal:{owner}".encode()).hexdigest()


def chain_hash(
    prev_hash: str, seq: int, id: str, kind: str, at: str, payload: dict[str, Any]
) -> str:
    """The hash of one row, given the hash of the row before."""
    body = canonical_json({"seq": seq, "id": id, "kind": kind, "at": at, "payload": payload})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def normalize_at(at: str | datetime) -> str:
    """A UTC ISO 8601 instant: an aware datetime is converted, a string checked."""
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError("at: expected a timezone-aware datetime")
        return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if not isinstance(at, str):
        raise ValueError(f"at: expected an ISO 8601 string, got {type(at).__name__}")
    try:
        parsed = datetime.fromisoformat(at)
    except ValueError:
        raise ValueError(f"at: expected an ISO 8601 instant, got {at!r}") from None
    if parsed.utcoffset() != timedelta(0):
        raise ValueError(f"at: expected a UTC instant ('Z' or '+00:00'), got {at!r}")
    return at


class Journal:
    """One station's journal file; thread-safe (one connection, one lock).

    ``owner`` is the station's ``site/area/line/station``: a new file is
    stamped with it, an existing file of another owner is refused with
    :class:`JournalOwnerError`.
    """

    def __init__(self, path: str | Path, owner: str, *, wait_for_disk: bool = False) -> None:
        """Open (or create) the file.

        With ``wait_for_disk``, a file the storage refuses now (disk full, read-only
        mount) does not raise :class:`JournalUnavailable`: the journal opens it at
        the first use that finds the storage willing (tried at most every
        :data:`REOPEN_EVERY_S`), and until then answers reads from a read-only
        view of the file as it is on disk, if there is one.
        """
        if not owner or not isinstance(owner, str):
            raise ValueError("owner: expected the station's 'site/area/line/station'")
        self.path = Path(path)
        self.owner = owner
        self._lock = threading.Lock()
        self._has_checkpoints = False
        self._has_commands = False
        self._connection: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._next_open = 0.0
        self.unavailable = ""
        """Why the file cannot be opened for writing now ("" once it is open)."""
        try:
            self._connection = self._open()
        except JournalUnavailable as exc:
            if not wait_for_disk:
                raise
            self._unavailable(exc)

    @property
    def _conn(self) -> sqlite3.Connection:
        """The writable connection, opened again when the storage lets it."""
        if self._connection is None:
            if time.monotonic() < self._next_open:
                raise JournalUnavailable(self.unavailable)
            try:
                self._connection = self._open()
            except JournalUnavailable as exc:
                self._unavailable(exc)
                raise
            self.unavailable = ""
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        return self._connection

    @property
    def _read_conn(self) -> sqlite3.Connection:
        """The writable connection, or else a read-only view of the file on disk."""
        try:
            return self._conn
        except JournalUnavailable:
            if self._reader is None:
                self._reader = self._open_view()
            return self._reader

    def _unavailable(self, exc: Exception) -> None:
        self.unavailable = str(exc)
        self._next_open = time.monotonic() + REOPEN_EVERY_S

    def retry_now(self) -> None:
        """Let the next use try the storage again at once (not after the usual pause)."""
        if self._connection is None and self._next_open != float("inf"):
            self._next_open = 0.0

    def _drop_connection(self) -> None:
        """Forget a connection the storage turned read-only, so that it is opened again."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._next_open = 0.0

    def _open_view(self) -> sqlite3.Connection:
        """The file as it is on disk, read-only (immutable: no -wal or -shm file needed).

        Rows still only in the write-ahead log of a process that crashed are not seen.
        """
        if not self.path.is_file():
            raise JournalUnavailable(self.unavailable or f"journal {self.path} does not exist")
        try:
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1"
            view = sqlite3.connect(uri, uri=True, check_same_thread=False)
            owner = view.execute("SELECT value FROM meta WHERE key = ?", (META_OWNER,)).fetchone()
        except sqlite3.Error as exc:
            raise JournalUnavailable(f"cannot read journal {self.path}: {exc}") from exc
        if owner is None or owner[0] != self.owner:
            view.close()
            raise JournalOwnerError(f"journal {self.path} belongs to station {owner!r}")
        return view

    # --- opening --------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise JournalError(f"journal {self.path} is a directory")
        try:
            conn = sqlite3.connect(
                self.path, timeout=5.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise JournalUnavailable(f"cannot open journal {self.path}: {exc}") from exc
        try:
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if tables and "meta" not in tables:
                raise JournalError(f"{self.path} is an SQLite file but not an andon journal")
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalError(f"journal {self.path}: cannot use WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            if not tables:
                self._create(conn)
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:  # full, read-only, locked, I/O: may pass
            raise JournalUnavailable(f"cannot open journal {self.path}: {exc}") from exc
        except sqlite3.Error as exc:  # not a database, corrupt
            raise JournalError(f"cannot open journal {self.path}: {exc}") from exc
        if meta.get(META_FORMAT) != FORMAT:
            raise JournalError(
                f"{self.path} is not an andon journal of format {FORMAT} "
                f"(found {meta.get(META_FORMAT)!r})"
            )
        found = meta.get(META_OWNER)
        if found != self.owner:
            raise JournalOwnerError(
                f"journal {self.path} belongs to station {found!r}, not {self.owner!r}"
            )
        self._has_commands = not tables or "commands" in tables
        if not self._has_commands:
            try:  # a file from before command outcomes were kept (not when read-only)
                conn.execute(COMMANDS_SCHEMA)
                self._has_commands = True
            except sqlite3.Error:
                pass
        self._has_checkpoints = not tables or "checkpoints" in tables
        if not self._has_checkpoints:
            # A file from before checkpoints: add the table (not on a read-only file,
            # which still opens; it then has no checkpoints until it can be written).
            try:
                conn.execute(CHECKPOINTS_SCHEMA)
                self._has_checkpoints = True
            except sqlite3.Error:
                pass

    def _create(self, conn: sqlite3.Connection) -> None:
        created = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        meta = "".join(
            f"INSERT INTO meta (key, value) VALUES ({_literal(k)}, {_literal(v)});"
            for k, v in ((META_FORMAT, FORMAT), (META_OWNER, self.owner), (META_CREATED, created))
        )
        # One script, one transaction: a file is a complete journal or none.
        try:
            tables = SCHEMA + CHECKPOINTS_SCHEMA + COMMANDS_SCHEMA
            conn.executescript("BEGIN IMMEDIATE;" + tables + meta + "COMMIT;")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

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
        answered = [_checked_outcome(outcome) for outcome in outcomes]
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
                    last = self._conn.execute(
                        "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
                    ).fetchone()
                    seq, prev_hash = (last[0], last[1]) if last else (0, genesis_hash(self.owner))
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

    def _after_failure(self, exc: sqlite3.Error) -> None:
        """A connection that found the file read-only stays so: open it again next time."""
        if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
            self._drop_connection()

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

    def _rollback(self) -> None:
        conn = self._connection
        try:
            if conn is not None and conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the original error is the one worth reporting

    def _write(
        self, what: str, statements: Iterable[tuple[str, tuple[Any, ...]]], durable: bool
    ) -> None:
        """Run statements in one transaction; ``durable=False`` commits with synchronous=NORMAL."""
        with self._lock:
            try:
                if not durable:
                    self._conn.execute("PRAGMA synchronous=NORMAL")
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    for sql, params in statements:
                        self._conn.execute(sql, params)
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
                finally:
                    if not durable:
                        self._conn.execute("PRAGMA synchronous=FULL")
            except sqlite3.Error as exc:
                self._after_failure(exc)
                raise JournalError(f"cannot {what} in journal {self.path}: {exc}") from exc

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
            "SELECT seq, id, kind, at, payload, prev_hash, hash FROM events"
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

    # --- checkpoints ----------------------------------------------------------

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

    # --- reading --------------------------------------------------------------

    def last_seq(self) -> int:
        """The seq of the last row (0 when empty)."""
        return int(self._query_one("SELECT COALESCE(MAX(seq), 0) FROM events")[0])

    def row(self, seq: int) -> JournalRow | None:
        """One row by seq."""
        rows = self._query_rows(
            "SELECT seq, id, kind, at, payload, prev_hash, hash FROM events WHERE seq = ?",
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
                "SELECT seq, id, kind, at, payload, prev_hash, hash FROM events"
                " WHERE seq >= ? ORDER BY seq",
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

    # --- plumbing -------------------------------------------------------------

    def _query_one(self, sql: str, params: tuple[Any, ...] = (), allow_none: bool = False) -> Any:
        with self._lock:
            try:
                row = self._read_conn.execute(sql, params).fetchone()
            except sqlite3.Error as exc:
                raise JournalError(f"cannot read journal {self.path}: {exc}") from exc
        if row is None and not allow_none:
            raise JournalError(f"journal {self.path} is missing its outbox or meta tables")
        return row

    def _query_rows(self, sql: str, params: tuple[Any, ...], limit: int | None) -> list[JournalRow]:
        if limit is not None:
            sql += " LIMIT ?"
            params = (*params, limit)
        with self._lock:
            try:
                fetched = self._read_conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise JournalError(f"cannot read journal {self.path}: {exc}") from exc
        rows = []
        for seq, id_, kind, at, payload, prev_hash, row_hash in fetched:
            try:
                data = json.loads(payload)
            except ValueError as exc:
                raise JournalError(f"journal {self.path}: row {seq} holds invalid JSON") from exc
            rows.append(JournalRow(seq, id_, kind, at, data, prev_hash, row_hash))
        return rows

    def close(self) -> None:
        """Close the file (idempotent)."""
        with self._lock:
            for conn in (self._connection, self._reader):
                if conn is not None:
                    conn.close()
            self._connection = self._reader = None
            self._next_open = float("inf")  # closed for good
            self.unavailable = f"journal {self.path} is closed"

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r}, owner={self.owner!r})"
