"""The journal file's format: its identity, tables and limits."""

from __future__ import annotations

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


def sql_literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
