"""What a station publishes for a journal row: the row, or a stand-in when it cannot be read.

A row another tool or a damaged disk left unreadable (bytes that are not UTF-8,
malformed or truncated JSON, NaN, a 5 000-digit integer, a lone surrogate, or no
event this station knows) cannot go out as it is: consumers would refuse it and
wait for that seq for ever. A ``row_unreadable`` event goes out under its seq
instead, so every seq is published once and the streams go on past it; the row
itself stays in the journal, where ``verify-journal`` names it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from andon.bus.messages import MessageError, encode, event_dict, parse_event
from andon.domain import events as ev
from andon.journal.store import JournalRow, valid_text

log = logging.getLogger(__name__)

MAX_PROBLEM = 200
"""Characters of the reason a stand-in carries."""


def publishable(
    station: str, row: JournalRow, unreadable: Mapping[int, str], check: bool = False
) -> bytes:
    """The ``…/events`` payload for ``row``: itself, or its stand-in when it cannot be read.

    ``unreadable`` are the rows start-up could not read back as events, by seq.
    With ``check`` the payload is also read as a consumer reads it (a replay does:
    it fills a gap a consumer saw, maybe because it refused the row as it was).
    """
    problem = row.problem or unreadable.get(row.seq, "")
    if not problem:
        try:
            payload = encode(event_dict(station, row.seq, row.id, row.at, row.kind, row.payload))
            if check:
                parse_event(payload)
            return payload
        except MessageError as exc:
            problem = f"not an event consumers read: {exc}"
        except (ValueError, TypeError, UnicodeEncodeError, RecursionError) as exc:
            problem = f"cannot be published: {exc}"
    log.error("journal row %s cannot be read (%s): row_unreadable sent instead", row.seq, problem)
    return encode(stand_in(station, row, problem))


def stand_in(station: str, row: JournalRow, problem: str) -> dict[str, object]:
    """The ``row_unreadable`` message for ``row``: its id and instant when they read."""
    try:
        at = ev.parse_instant(row.at)
    except (ValueError, TypeError):
        at = datetime.now(UTC)  # the row's own instant cannot be read: when it went out
    usable = row.id and len(row.id) <= MAX_PROBLEM and valid_text(row.id)
    event_id = row.id if usable else f"unreadable-{row.seq}"
    reason = problem if valid_text(problem) else problem.encode("utf-8", "replace").decode()
    event = ev.RowUnreadable(at=at, problem=reason[:MAX_PROBLEM])
    return event_dict(
        station, row.seq, event_id, ev.format_instant(at), event.KIND, event.to_dict()
    )
