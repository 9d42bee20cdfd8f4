"""The journal's SQLite file: opening it, reopening it when the storage lets it, plumbing.

Durability: WAL mode. Appends commit with ``synchronous=FULL``; other writes
(outbox marks, checkpoints) may commit with ``NORMAL`` (see :meth:`JournalFile._write`).
A file the storage refuses now (disk full, read-only mount) is opened again at
the first use that finds it willing, at most every :data:`REOPEN_EVERY_S`; until
then reads come from a read-only view of the file as it is on disk.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from andon.journal import errors as E
from andon.journal.records import (
    JournalError,
    JournalOwnerError,
    JournalRow,
    JournalUnavailable,
    decode_row,
)
from andon.journal.schema import (
    CACHE_KIB,
    CHECKPOINTS_SCHEMA,
    COMMANDS_SCHEMA,
    FORMAT,
    META_CREATED,
    META_FORMAT,
    META_OWNER,
    REOPEN_EVERY_S,
    SCHEMA,
    sql_literal,
)


class JournalFile:
    """One station's journal file, opened and guarded (one connection, one lock).

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
            raise JournalUnavailable(self.unavailable or E.NO_JOURNAL.format(path=self.path))
        try:
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1"
            view = sqlite3.connect(uri, uri=True, check_same_thread=False)
            owner = view.execute("SELECT value FROM meta WHERE key = ?", (META_OWNER,)).fetchone()
        except sqlite3.Error as exc:
            raise JournalUnavailable(E.CANNOT_READ.format(path=self.path, error=exc)) from exc
        if owner is None or owner[0] != self.owner:
            view.close()
            raise JournalOwnerError(E.OWNER.format(path=self.path, owner=repr(owner)))
        return view

    # --- opening --------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise JournalError(E.A_DIRECTORY.format(path=self.path))
        try:
            conn = sqlite3.connect(
                self.path, timeout=5.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise JournalUnavailable(E.CANNOT_OPEN.format(path=self.path, error=exc)) from exc
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
                raise JournalError(E.NOT_A_JOURNAL.format(path=self.path))
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalError(E.NO_WAL.format(path=self.path, mode=mode))
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            if not tables:
                self._create(conn)
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:  # full, read-only, locked, I/O: may pass
            raise JournalUnavailable(E.CANNOT_OPEN.format(path=self.path, error=exc)) from exc
        except sqlite3.Error as exc:  # not a database, corrupt
            raise JournalError(E.CANNOT_OPEN.format(path=self.path, error=exc)) from exc
        if meta.get(META_FORMAT) != FORMAT:
            found = repr(meta.get(META_FORMAT))
            raise JournalError(E.OTHER_FORMAT.format(path=self.path, expected=FORMAT, found=found))
        found = meta.get(META_OWNER)
        if found != self.owner:
            raise JournalOwnerError(
                E.OTHER_OWNER.format(path=self.path, owner=repr(found), expected=repr(self.owner))
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
            f"INSERT INTO meta (key, value) VALUES ({sql_literal(k)}, {sql_literal(v)});"
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

    def _after_failure(self, exc: sqlite3.Error) -> None:
        """A connection that found the file read-only stays so: open it again next time."""
        if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
            self._drop_connection()

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
        return [decode_row(*row) for row in fetched]

    def close(self) -> None:
        """Close the file (idempotent)."""
        with self._lock:
            for conn in (self._connection, self._reader):
                if conn is not None:
                    conn.close()
            self._connection = self._reader = None
            self._next_open = float("inf")  # closed for good
            self.unavailable = f"journal {self.path} is closed"

    def __enter__(self) -> JournalFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r}, owner={self.owner!r})"
