"""A station's answer to one command (its ``…/reply`` topic), parsed in one place.

:func:`andon.bus.commands.reply_message` builds it; :func:`parse_reply` reads it
back for every program that sends commands (the board, the notifier, the store
board, the command line).
"""

from __future__ import annotations

from dataclasses import dataclass

from andon.bus.fields import get_bool, get_int, get_str
from andon.bus.messages import decode


@dataclass(frozen=True)
class Reply:
    """A station's answer to one command."""

    station: str
    command: str
    command_id: str
    accepted: bool
    reason: str = ""
    seq: int = 0


def parse_reply(payload: bytes | str) -> Reply:
    """A ``reply`` payload, or :class:`~andon.bus.messages.MessageError` naming the field."""
    data = decode(payload)
    where = "reply"
    return Reply(
        station=get_str(data, "station", where),
        command=get_str(data, "command", where),
        command_id=get_str(data, "command_id", where),
        accepted=get_bool(data, "accepted", where),
        reason=get_str(data, "reason", where, ""),
        seq=get_int(data, "seq", where, 0),
    )
