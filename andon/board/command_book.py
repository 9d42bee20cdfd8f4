"""The board's commands waiting for their station, and the notices about those that failed.

A command stays pending until the station confirms it: its reply, and then
the event (sequence number ≥ the reply's) that shows the change. A refusal, a
failed send or a missing answer becomes a notice. Not thread-safe on its own:
the model holds its lock around every call.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from andon.board.pending import (
    NO_ANSWER,
    NO_CONFIRMATION,
    NOT_SENT,
    REFUSED,
    PendingCommand,
    describe,
    matches,
    notice_fields,
)
from andon.board.station_data import ReplyData
from andon.board.views import Notice, PendingView

NOTICE_LIMIT = 20
NOTICE_SHOWN_S = 60.0


class CommandBook:
    """Pending commands by id, and the last :data:`NOTICE_LIMIT` notices."""

    def __init__(self) -> None:
        self._pending: dict[str, PendingCommand] = {}
        self._notices: deque[Notice] = deque(maxlen=NOTICE_LIMIT)
        self.version = 0
        """Moves whenever a pending command comes, changes or goes (every line shows them)."""

    def new(
        self, station: str, name: str, args: Mapping[str, Any], by: str, now: datetime
    ) -> PendingCommand:
        """Record a command about to be sent."""
        self.version += 1
        pending = PendingCommand(uuid.uuid4().hex, station, name, dict(args), by, now)
        self._pending[pending.command_id] = pending
        return pending

    def failed(self, command_id: str, reason: str, now: datetime) -> None:
        """The command could not be handed to the broker."""
        pending = self._pending.pop(command_id, None)
        if pending is None:
            return
        self.version += 1
        self._notices.append(
            Notice(
                now,
                f"{describe(pending)} not sent: {reason}",
                template=NOT_SENT,
                fields=notice_fields(pending, "", reason),
            )
        )

    def find(self, station: str, name: str, match: Mapping[str, Any]) -> PendingView | None:
        """The pending command ``name`` to ``station`` whose arguments include ``match``."""
        for pending in self._pending.values():
            if matches(pending, station, name, match):
                return pending.view()
        return None

    def replied(self, path: str, station_id: str, reply: ReplyData, now: datetime) -> bool:
        """The station ``path`` answered; True when it accepted one of this board's commands."""
        pending = self._pending.get(reply.command_id)
        if pending is None or pending.station != path:
            return False  # another board's command, or one already settled
        self.version += 1
        if not reply.accepted:
            del self._pending[reply.command_id]
            self._notices.append(
                Notice(
                    now,
                    f"{station_id} refused {describe(pending)}: {reply.reason}",
                    template=REFUSED,
                    fields=notice_fields(pending, station_id, reply.reason),
                )
            )
            return False
        pending.status = "accepted"
        pending.confirm_seq = reply.seq
        return True

    def settle(self, path: str, applied_seq: int) -> None:
        """Forget the accepted commands to ``path`` that its events up to ``applied_seq`` show."""
        if not self._pending:  # the common case: no command of this board waits
            return
        for command_id, pending in list(self._pending.items()):
            if (
                pending.station == path
                and pending.status == "accepted"
                and pending.confirm_seq <= applied_seq
            ):
                del self._pending[command_id]
                self.version += 1

    def expire(self, now: datetime, timeout_s: float) -> bool:
        """Turn the commands older than ``timeout_s`` into notices; True when any was."""
        expired = False
        for command_id, pending in list(self._pending.items()):
            if (now - pending.sent_at).total_seconds() <= timeout_s:
                continue
            del self._pending[command_id]
            self.version += 1
            expired = True
            name = pending.station.rsplit("/", 1)[-1]
            what = "no answer" if pending.status == "sent" else "no confirmation"
            self._notices.append(
                Notice(
                    now,
                    f"{what} from {name} to {describe(pending)}",
                    template=NO_ANSWER if pending.status == "sent" else NO_CONFIRMATION,
                    fields=notice_fields(pending, name, ""),
                )
            )
        return expired

    def views(self) -> list[PendingView]:
        """Every pending command as the views show it."""
        return [p.view() for p in self._pending.values()]

    def notices(self, now: datetime) -> tuple[Notice, ...]:
        """The notices of the last :data:`NOTICE_SHOWN_S` seconds."""
        return tuple(n for n in self._notices if (now - n.at).total_seconds() <= NOTICE_SHOWN_S)
