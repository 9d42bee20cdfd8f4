"""Which shift-end reports went out: one row per report, shift, channel and recipient.

A SQLite file beside the alert queue. A row ``sent`` is never sent again (a
restart, a second look at the same shift); a ``failed`` row counts its tries
so a dead channel is given up after the channel's ``attempts``.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS shift_reports (
    report TEXT NOT NULL,
    shift_start TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    detail TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report, shift_start, channel, recipient)
)
"""


@dataclass(frozen=True)
class ReportKey:
    """One message of one report: ``report`` names the report and its scope."""

    report: str
    shift_start: str
    channel: str
    recipient: str
    """A contact's badge, or ``""`` for a group channel."""


@dataclass(frozen=True)
class ReportRow:
    status: str
    attempts: int
    detail: str


class ReportLog:
    """The sent and failed shift-report messages."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(SCHEMA)
        self._lock = threading.Lock()

    def get(self, key: ReportKey) -> ReportRow | None:
        with self._lock:
            row = self._db.execute(
                "SELECT status, attempts, detail FROM shift_reports WHERE report = ? AND "
                "shift_start = ? AND channel = ? AND recipient = ?",
                (key.report, key.shift_start, key.channel, key.recipient),
            ).fetchone()
        return None if row is None else ReportRow(str(row[0]), int(row[1]), str(row[2]))

    def record(self, key: ReportKey, ok: bool, detail: str, now: datetime) -> ReportRow:
        """One try's outcome; the row as it stands now."""
        old = self.get(key)
        row = ReportRow("sent" if ok else "failed", (old.attempts if old else 0) + 1, detail)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO shift_reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key.report,
                    key.shift_start,
                    key.channel,
                    key.recipient,
                    row.status,
                    row.attempts,
                    detail,
                    now.isoformat(),
                ),
            )
        return row

    def rows(self) -> list[tuple[ReportKey, ReportRow]]:
        with self._lock:
            found = self._db.execute(
                "SELECT report, shift_start, channel, recipient, status, attempts, detail "
                "FROM shift_reports ORDER BY shift_start, report, channel, recipient"
            ).fetchall()
        return [(ReportKey(*r[:4]), ReportRow(r[4], int(r[5]), r[6])) for r in found]

    def close(self) -> None:
        with self._lock:
            self._db.close()
