"""The persistent alert queue: one SQLite row per (station, call, level, channel, recipient).

The key makes de-duplication a property of the file: an escalation seen twice
(a QoS 1 redelivery, a replay, the retained state after a restart) inserts
nothing the second time. The key holds while the call is live; once the call
is over (:meth:`AlertQueue.close_call`) its id may be used again by a station
that started a new journal. A row moves

    pending ──claim──► sending ──► sent
       ▲                  │
       └──── retry ───────┤
                          └──────► failed          pending ──► cancelled

``claim`` commits ``sending`` *before* the channel is asked to deliver, and
``sent`` is committed the moment the channel said yes. A crash can only fall
between those two commits; :meth:`AlertQueue.recover` then either sends the row
again (``resend``: the alert is never lost, and a duplicate needs the crash to hit
the few milliseconds the service takes to answer) or reports it failed
(``report``: never twice, possibly never). Rows still ``pending`` are untouched
by a crash, so each of them is sent exactly once after the restart.

Every finished row (sent, failed, cancelled) waits with ``reported = 0`` until
its outcome is published on the bus, so a broker outage loses no outcome.

Durability: WAL with ``synchronous=FULL``; the file is safe against a killed
process and a power cut once a call returned. Thread-safe: one connection, one lock.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from andon.domain.events import format_instant
from andon.notify import queue_errors as E
from andon.notify.alerts import FINISHED, Alert, AlertSpec, Status, alert_from_row
from andon.notify.outcomes import INTERRUPTED, INTERRUPTED_REPORTED
from andon.notify.queue_errors import QueueError

__all__ = ["FINISHED", "Alert", "AlertQueue", "AlertSpec", "QueueError", "Status"]

FORMAT = "andon-notify-queue/1"
CODE_DIGITS = 6

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    station TEXT NOT NULL,
    call_id TEXT NOT NULL,
    level INTEGER NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    spec TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    detail TEXT NOT NULL DEFAULT '',
    reported INTEGER NOT NULL DEFAULT 1,
    token TEXT NOT NULL UNIQUE,
    code TEXT,
    live INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_live_key
    ON alerts (station, call_id, level, channel, recipient) WHERE live = 1;
CREATE UNIQUE INDEX IF NOT EXISTS alerts_live_code ON alerts (code)
    WHERE live = 1 AND code IS NOT NULL;
CREATE INDEX IF NOT EXISTS alerts_due ON alerts (channel, status, next_at);
CREATE INDEX IF NOT EXISTS alerts_call ON alerts (station, call_id);
CREATE INDEX IF NOT EXISTS alerts_unreported ON alerts (reported) WHERE reported = 0;
"""


def _row(conn: sqlite3.Connection, alert_id: int) -> Alert:
    return alert_from_row(conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone())


class AlertQueue:
    """The queue file; every method is one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise QueueError(E.A_DIRECTORY.format(path=self.path))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=5.0, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise QueueError(E.CANNOT_OPEN.format(path=self.path, error=exc)) from exc
        conn.row_factory = sqlite3.Row
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if tables and "meta" not in tables:
                raise QueueError(E.NOT_A_QUEUE.format(path=self.path))
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.executescript("BEGIN IMMEDIATE;" + SCHEMA + "COMMIT;")
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?)", (FORMAT,))
            found = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()[0]
        except sqlite3.Error as exc:
            conn.close()
            raise QueueError(E.CANNOT_OPEN.format(path=self.path, error=exc)) from exc
        except QueueError:
            conn.close()
            raise
        if found != FORMAT:
            conn.close()
            why = E.OTHER_FORMAT.format(path=self.path, found=repr(found), expected=FORMAT)
            raise QueueError(why)
        return conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise QueueError(E.FAILED.format(path=self.path, error=exc)) from exc

    def _select(self, sql: str, args: tuple[Any, ...] = ()) -> list[Alert]:
        with self._lock:
            try:
                return [alert_from_row(r) for r in self._conn.execute(sql, args).fetchall()]
            except sqlite3.Error as exc:
                raise QueueError(E.FAILED.format(path=self.path, error=exc)) from exc

    # --- adding ---------------------------------------------------------------

    def add(
        self,
        spec: AlertSpec,
        now: datetime,
        *,
        status: Status = Status.PENDING,
        detail: str = "",
        acknowledged_by: str = "",
    ) -> Alert | None:
        """Queue an alert; None when one with the same key exists (a duplicate).

        ``acknowledged_by`` names who already took the call (a level that waits
        for its resolution).

        ``status=FAILED`` records an alert that cannot be sent at all (nobody to
        reach); its outcome is reported like any other.
        """
        created = format_instant(now)
        finished = created if status in FINISHED else None
        reported = 0 if status in FINISHED else 1
        for _ in range(20):
            uid, token = uuid.uuid4().hex, secrets.token_urlsafe(16)
            code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
            with self._transaction() as conn:
                exists = conn.execute(
                    "SELECT 1 FROM alerts WHERE station = ? AND call_id = ? AND level = ? "
                    "AND channel = ? AND recipient = ? AND live = 1",
                    (spec.station, spec.call_id, spec.level, spec.channel, spec.recipient),
                ).fetchone()
                if exists:
                    return None
                clash = conn.execute(
                    "SELECT 1 FROM alerts WHERE code = ? AND live = 1", (code,)
                ).fetchone()
                if clash:
                    continue
                cursor = conn.execute(
                    "INSERT INTO alerts (uid, station, call_id, level, channel, recipient, spec, "
                    "status, next_at, created_at, finished_at, detail, reported, token, code, "
                    "acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        uid,
                        spec.station,
                        spec.call_id,
                        spec.level,
                        spec.channel,
                        spec.recipient,
                        spec.to_json(),
                        status.value,
                        now.timestamp(),
                        created,
                        finished,
                        detail,
                        reported,
                        token,
                        code,
                        acknowledged_by,
                    ),
                )
                assert cursor.lastrowid is not None
                return _row(conn, cursor.lastrowid)
        raise QueueError(E.NO_FREE_CODE)

    # --- delivering -----------------------------------------------------------

    def next_due(self, channel: str) -> float | None:
        """When the earliest pending alert of ``channel`` is due (epoch seconds), if any."""
        with self._lock:
            row = self._conn.execute(
                "SELECT MIN(next_at) FROM alerts WHERE channel = ? AND status = 'pending'",
                (channel,),
            ).fetchone()
        return None if row[0] is None else float(row[0])

    def claim(self, channel: str, now: datetime) -> Alert | None:
        """Take the earliest due pending alert of ``channel``: it is ``sending`` from now on."""
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT id FROM alerts WHERE channel = ? AND status = 'pending' AND next_at <= ? "
                "ORDER BY next_at, id LIMIT 1",
                (channel, now.timestamp()),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE alerts SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
                (row["id"],),
            )
            return _row(conn, row["id"])

    def mark_sent(self, alert_id: int, now: datetime, detail: str = "") -> Alert:
        """The channel accepted the alert."""
        return self._finish(alert_id, Status.SENT, now, detail)

    def mark_failed(self, alert_id: int, now: datetime, detail: str) -> Alert:
        """The last try failed: the alert is given up."""
        return self._finish(alert_id, Status.FAILED, now, detail)

    def _finish(self, alert_id: int, status: Status, now: datetime, detail: str) -> Alert:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE alerts SET status = ?, finished_at = ?, detail = ?, reported = 0 "
                "WHERE id = ?",
                (status.value, format_instant(now), detail, alert_id),
            )
            return _row(conn, alert_id)

    def mark_retry(self, alert_id: int, next_at: datetime, detail: str) -> Alert:
        """The try failed; try again at ``next_at``."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE alerts SET status = 'pending', next_at = ?, detail = ? WHERE id = ?",
                (next_at.timestamp(), detail, alert_id),
            )
            return _row(conn, alert_id)

    def recover(self, policies: Mapping[str, str], now: datetime) -> list[Alert]:
        """After a restart: alerts a crash left ``sending`` are sent again or reported failed.

        ``policies`` maps a channel id to ``"resend"`` or ``"report"`` (default
        ``resend``). Returns the rows changed.
        """
        changed: list[Alert] = []
        with self._transaction() as conn:
            rows = conn.execute("SELECT * FROM alerts WHERE status = 'sending'").fetchall()
            for row in rows:
                if policies.get(row["channel"], "resend") == "report":
                    conn.execute(
                        "UPDATE alerts SET status = 'failed', finished_at = ?, reported = 0, "
                        "detail = ? WHERE id = ?",
                        (
                            format_instant(now),
                            INTERRUPTED_REPORTED,
                            row["id"],
                        ),
                    )
                else:
                    # It keeps its place: it was due when it was claimed.
                    conn.execute(
                        "UPDATE alerts SET status = 'pending', detail = ? WHERE id = ?",
                        (INTERRUPTED, row["id"]),
                    )
                changed.append(_row(conn, row["id"]))
        return changed

    # --- the calls' fate ------------------------------------------------------

    def cancel(
        self, station: str, call_id: str, now: datetime, detail: str, condition: str | None = None
    ) -> list[Alert]:
        """Cancel the call's alerts not yet sent (only those of ``condition`` when given)."""
        sql = "SELECT id FROM alerts WHERE station = ? AND call_id = ? AND status = 'pending'"
        args: tuple[Any, ...] = (station, call_id)
        if condition is not None:
            sql += " AND json_extract(spec, '$.condition') = ?"
            args += (condition,)
        with self._transaction() as conn:
            ids = [r["id"] for r in conn.execute(sql, args).fetchall()]
            for alert_id in ids:
                conn.execute(
                    "UPDATE alerts SET status = 'cancelled', finished_at = ?, detail = ?, "
                    "reported = 0 WHERE id = ?",
                    (format_instant(now), detail, alert_id),
                )
            return [_row(conn, i) for i in ids]

    def note_acknowledged(self, station: str, call_id: str, by: str) -> None:
        """Remember who acknowledged the call (later alerts of it say so)."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE alerts SET acknowledged_by = ? WHERE station = ? AND call_id = ?",
                (by, station, call_id),
            )

    def close_call(self, station: str, call_id: str) -> None:
        """The call is over: its reply codes stop working, and a later call that reuses
        its id (a station that started a new journal) gets alerts of its own."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE alerts SET live = 0 WHERE station = ? AND call_id = ?",
                (station, call_id),
            )

    def live_calls(self, station: str) -> set[str]:
        """Calls of ``station`` not known to be over."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT DISTINCT call_id FROM alerts WHERE station = ? AND live = 1", (station,)
            ).fetchall()
        return {r[0] for r in rows}

    def waiting_calls(self, station: str) -> set[str]:
        """Calls of ``station`` with alerts still pending or being sent."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT DISTINCT call_id FROM alerts WHERE station = ? "
                "AND status IN ('pending', 'sending')",
                (station,),
            ).fetchall()
        return {r[0] for r in rows}

    def waiting_stations(self) -> set[str]:
        """Stations with alerts still pending or being sent."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT DISTINCT station FROM alerts WHERE status IN ('pending', 'sending')"
            ).fetchall()
        return {r[0] for r in rows}

    # --- outcomes -------------------------------------------------------------

    def unreported(self, limit: int = 500) -> list[Alert]:
        """Finished alerts whose outcome is not yet on the bus, oldest first."""
        return self._select(
            "SELECT * FROM alerts WHERE reported = 0 ORDER BY finished_at, id LIMIT ?", (limit,)
        )

    def mark_reported(self, alert_id: int) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE alerts SET reported = 1 WHERE id = ?", (alert_id,))

    # --- look-ups -------------------------------------------------------------

    def get(self, alert_id: int) -> Alert | None:
        found = self._select("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return found[0] if found else None

    def by_token(self, token: str) -> Alert | None:
        """The alert an acknowledge link belongs to."""
        found = self._select("SELECT * FROM alerts WHERE token = ?", (token,))
        return found[0] if found else None

    def by_code(self, code: str) -> Alert | None:
        """The alert a reply code belongs to, while its call is open."""
        found = self._select("SELECT * FROM alerts WHERE code = ? AND live = 1", (code,))
        return found[0] if found else None

    def alerts(self, status: Status | None = None) -> list[Alert]:
        """Every alert (of one status), in the order they were queued."""
        if status is None:
            return self._select("SELECT * FROM alerts ORDER BY id")
        return self._select("SELECT * FROM alerts WHERE status = ? ORDER BY id", (status.value,))

    def counts(self) -> dict[str, int]:
        """How many alerts are in each status."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT status, COUNT(*) FROM alerts GROUP BY status"
            ).fetchall()
        return {r[0]: r[1] for r in rows}
