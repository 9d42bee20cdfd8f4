"""Check a journal file: seq continuity, the hash chain, and the append-only triggers.

The file is opened read-only; verifying never changes it and may run while the
station writes. A row whose content was edited fails its own hash; a row that
was removed or re-inserted breaks the seq sequence or the next row's link.
State checkpoints are a cache beside the record: each must still match the hash
of its row and of its own text (a station ignores one that does not).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from andon.i18n.markers import N_
from andon.journal.records import ROW_COLUMNS, decode_row
from andon.journal.store import (
    FORMAT,
    META_FORMAT,
    META_OWNER,
    TRIGGERS,
    JournalError,
    chain_hash,
    genesis_hash,
    text_hash,
)

NOT_READABLE = N_("{path} is not a readable andon journal: {error}")
NO_FILE = N_("no journal file at {path}")
CANNOT_OPEN = N_("cannot open {path}: {error}")
NOT_A_JOURNAL = N_("{path} is not an andon journal (tables: {tables})")
WRONG_FORMAT = N_("{path} is not an andon journal of format {format}")
NO_OWNER = N_("the journal names no owner station")
TRIGGER_MISSING = N_("append-only trigger {name} is missing")
SEQ_GAP = N_("seq gap: expected {expected}, {missing} missing")
NOT_GENESIS = N_("prev_hash does not match the owner's genesis")
NOT_CHAINED = N_("prev_hash does not match the hash of the row before")
UNREADABLE = N_("cannot be read: {problem}")
EDITED = N_("content does not match its hash (edited)")
CHECKPOINT_ROW_MISSING = N_("a checkpoint refers to this row, which is missing")
CHECKPOINT_MISMATCH = N_("checkpoint does not match the hash of its row")
CHECKPOINT_EDITED = N_("checkpoint state does not match its hash (edited)")
TEMPLATES = (
    NOT_READABLE,
    NO_FILE,
    CANNOT_OPEN,
    NOT_A_JOURNAL,
    WRONG_FORMAT,
    NO_OWNER,
    TRIGGER_MISSING,
    SEQ_GAP,
    NOT_GENESIS,
    NOT_CHAINED,
    UNREADABLE,
    EDITED,
    CHECKPOINT_ROW_MISSING,
    CHECKPOINT_MISMATCH,
    CHECKPOINT_EDITED,
)
"""The sentences of a verification, found again by ``andon verify-journal``."""


@dataclass(frozen=True)
class Problem:
    """One finding; ``seq`` is the row concerned (``None`` for the file as a whole)."""

    seq: int | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.seq}" if self.seq is not None else "journal"
        return f"{where}: {self.message}"


def count(path: str | Path) -> tuple[int, int]:
    """(rows, highest seq) of the journal at ``path``, read-only: what a copy must hold."""
    conn = _open(Path(path))
    try:
        rows, top = conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM events").fetchone()
    except sqlite3.Error as exc:
        raise JournalError(NOT_READABLE.format(path=path, error=exc)) from exc
    finally:
        conn.close()
    return int(rows), int(top)


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise JournalError(NO_FILE.format(path=path))
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise JournalError(CANNOT_OPEN.format(path=path, error=exc)) from exc


def verify(path: str | Path) -> list[Problem]:
    """Every problem of the journal at ``path`` (rows in seq order, then checkpoints).

    Empty when intact. Raises :class:`JournalError` when the file is missing or not a journal.
    """
    path = Path(path)
    conn = _open(path)
    try:
        return _verify(conn, path)
    except sqlite3.Error as exc:
        raise JournalError(NOT_READABLE.format(path=path, error=exc)) from exc
    finally:
        conn.close()


def _verify(conn: sqlite3.Connection, path: Path) -> list[Problem]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"meta", "events"} <= tables:
        raise JournalError(NOT_A_JOURNAL.format(path=path, tables=sorted(tables)))
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get(META_FORMAT) != FORMAT:
        raise JournalError(WRONG_FORMAT.format(path=path, format=FORMAT))
    problems: list[Problem] = []
    owner = meta.get(META_OWNER)
    if not owner:
        problems.append(Problem(None, NO_OWNER))
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for name in TRIGGERS:
        if name not in triggers:
            problems.append(Problem(None, TRIGGER_MISSING.format(name=name)))

    expected_seq = 1
    prev_hash = genesis_hash(owner or "")
    for raw in conn.execute(f"SELECT {ROW_COLUMNS} FROM events ORDER BY seq"):
        row = decode_row(*raw)
        seq = row.seq
        if seq != expected_seq:
            missing = f"rows {expected_seq}..{seq - 1}" if seq > expected_seq + 1 else "a row"
            problems.append(Problem(seq, SEQ_GAP.format(expected=expected_seq, missing=missing)))
        if row.prev_hash != prev_hash:
            problems.append(Problem(seq, NOT_GENESIS if seq == 1 else NOT_CHAINED))
        if row.problem:
            problems.append(Problem(seq, UNREADABLE.format(problem=row.problem)))
        else:
            digest = chain_hash(row.prev_hash, seq, row.id, row.kind, row.at, row.payload)
            if digest != row.hash:
                problems.append(Problem(seq, EDITED))
        prev_hash = row.hash
        expected_seq = seq + 1
    if "checkpoints" in tables:
        problems.extend(_checkpoint_problems(conn))
    return problems


def _checkpoint_problems(conn: sqlite3.Connection) -> list[Problem]:
    """Checkpoints that no longer match their row or their own text."""
    problems: list[Problem] = []
    cursor = conn.execute(
        "SELECT c.seq, c.event_hash, c.state, c.state_hash, e.hash"
        " FROM checkpoints c LEFT JOIN events e ON e.seq = c.seq ORDER BY c.seq"
    )
    for seq, event_hash, state, state_hash, row_hash in cursor:
        if row_hash is None:
            problems.append(Problem(seq, CHECKPOINT_ROW_MISSING))
        elif row_hash != event_hash:
            problems.append(Problem(seq, CHECKPOINT_MISMATCH))
        if not isinstance(state, str) or text_hash(state) != state_hash:
            problems.append(Problem(seq, CHECKPOINT_EDITED))
    return problems
