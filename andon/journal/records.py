"""What a journal holds and hands out, and how its rows are chained.

A row's ``hash`` is ``sha256(prev_hash + canonical JSON of {seq, id, kind, at,
payload})`` and the first row's ``prev_hash`` is derived from the owner (see
:mod:`andon.journal.store`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


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
    problem: str = ""
    """Why the row cannot be read ("" for a readable row; its payload is then empty)."""


ROW_COLUMNS = (
    "seq, CAST(id AS BLOB), CAST(kind AS BLOB), CAST(at AS BLOB), CAST(payload AS BLOB),"
    " CAST(prev_hash AS BLOB), CAST(hash AS BLOB)"
)
"""A row as bytes: a column that is not UTF-8 is then one row's problem, not the page's."""


def decode_row(seq: int, *raw: Any) -> JournalRow:
    """A row from :data:`ROW_COLUMNS`; one that cannot be read carries its ``problem``."""
    texts: list[str] = []
    problem = ""
    for name, value in zip(("id", "kind", "at", "payload"), raw[:4], strict=True):
        try:
            texts.append(value.decode("utf-8") if isinstance(value, bytes) else str(value))
        except UnicodeDecodeError:
            texts.append("")
            problem = problem or f"{name} holds bytes that are not UTF-8"
    event_id, kind, at, payload_text = texts
    # Hashes are compared, not read: bytes that are not UTF-8 simply do not match.
    prev_hash, row_hash = (
        value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        for value in raw[4:]
    )
    payload: dict[str, Any] = {}
    if not problem:
        try:
            payload = read_payload(payload_text)
        except ValueError as exc:
            problem = str(exc)
    return JournalRow(seq, event_id, kind, at, payload, prev_hash, row_hash, problem)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_payload(text: str) -> dict[str, Any]:
    """A row's payload: a JSON object of valid Unicode, or :class:`ValueError` saying why not.

    Refused: malformed or truncated JSON, NaN and infinities, integers of more than
    4 300 digits, nesting deeper than the interpreter takes, and a ``\\ud800``
    escape without its pair (none of which the journal itself ever writes).
    """
    try:
        payload = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("payload is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"payload is not valid JSON: {str(exc)[:80]}") from None
    if not isinstance(payload, dict):
        raise ValueError("payload is not a JSON object")
    if "\\u" in text and not valid_text(canonical_json(payload)):
        raise ValueError("payload holds text that is not valid Unicode (a lone surrogate)")
    return payload


def checked_outcome(outcome: CommandOutcome) -> CommandOutcome:
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
