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
        raise JournalError(f"{path} is not a readable andon journal: {exc}") from exc
    finally:
        conn.close()
    return int(rows), int(top)


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise JournalError(f"no journal file at {path}")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise JournalError(f"cannot open {path}: {exc}") from exc


def verify(path: str | Path) -> list[Problem]:
    """Every problem of the journal at ``path`` (rows in seq order, then checkpoints).

    Empty when intact. Raises :class:`JournalError` when the file is missing or not a journal.
    """
    path = Path(path)
    conn = _open(path)
    try:
        return _verify(conn, path)
    except sqlite3.Error as exc:
        raise JournalError(f"{path} is not a readable andon journal: {exc}") from exc
    finally:
        conn.close()


def _verify(conn: sqlite3.Connection, path: Path) -> list[Problem]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"meta", "events"} <= tables:
        raise JournalError(f"{path} is not an andon journal (tables: {sorted(tables)})")
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get(META_FORMAT) != FORMAT:
        raise JournalError(f"{path} is not an andon journal of format {FORMAT}")
    problems: list[Problem] = []
    owner = meta.get(META_OWNER)
    if not owner:
        problems.append(Problem(None, "the journal names no owner station"))
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for name in TRIGGERS:
        if name not in triggers:
            problems.append(Problem(None, f"append-only trigger {name} is missing"))

    expected_seq = 1
    prev_hash = genesis_hash(owner or "")
    for raw in conn.execute(f"SELECT {ROW_COLUMNS} FROM events ORDER BY seq"):
        row = decode_row(*raw)
        seq = row.seq
        if seq != expected_seq:
            missing = f"rows {expected_seq}..{seq - 1}" if seq > expected_seq + 1 else "a row"
            problems.append(Problem(seq, f"seq gap: expected {expected_seq}, {missing} missing"))
        if row.prev_hash != prev_hash:
            link = "the owner's genesis" if seq == 1 else "the hash of the row before"
            problems.append(Problem(seq, f"prev_hash does not match {link}"))
        if row.problem:
            problems.append(Problem(seq, f"cannot be read: {row.problem}"))
        else:
            digest = chain_hash(row.prev_hash, seq, row.id, row.kind, row.at, row.payload)
            if digest != row.hash:
                problems.append(Problem(seq, "content does not match its hash (edited)"))
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
            problems.append(Problem(seq, "a checkpoint refers to this row, which is missing"))
        elif row_hash != event_hash:
            problems.append(Problem(seq, "checkpoint does not match the hash of its row"))
        if not isinstance(state, str) or text_hash(state) != state_hash:
            problems.append(Problem(seq, "checkpoint state does not match its hash (edited)"))
    return problems
