"""Commands to a station and its replies, as JSON on the bus.

A command is checked for its form here (a known name, an id, values within
bounds); its meaning is checked by the station. Every malformed command raises
:class:`CommandError`, carrying its id when it had a usable one so that the
refusal can be matched.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from andon.bus.messages import MAX_PAYLOAD, VERSION, MessageError, brief, decode

COMMANDS = frozenset(
    {
        "raise",
        "acknowledge",
        "resolve",
        "note",
        "cancel",
        "hour_cause",
        "stop_reason",
        "kanban",
        "downstream",
        "changeover",
        "start_order",
        "replay",
        "sim",
    }
)


@dataclass(frozen=True)
class CommandMessage:
    """A command sent to a station by a board, a notifier or the store."""

    name: str
    command_id: str
    by: str
    args: dict[str, Any]


MAX_INTEGER = 2**63 - 1
"""The largest integer a command may carry (SQLite's and most consumers' limit)."""
MAX_TEXT = 4096
"""The longest string a command may carry (a command's own fields allow less)."""
MAX_DEPTH = 8
"""How deep arrays and objects may nest in a command."""
MAX_KEY = 64
"""The longest key of an object in a command."""


class CommandError(MessageError):
    """A malformed command; ``command_id`` is its id when it had a usable one."""

    def __init__(self, reason: str, command_id: str = "") -> None:
        super().__init__(reason)
        self.command_id = command_id


def parse_command(name: str, payload: bytes | str) -> CommandMessage:
    """A command of a known name with an id, its values within bounds.

    Raises :class:`CommandError` (carrying the id when there was a usable one, so
    that the refusal can be matched): for an unknown name, a payload that is not
    a message, an integer beyond ±(2^63 - 1), a non-finite number, a string longer
    than :data:`MAX_TEXT` or that is not valid Unicode, nesting deeper than
    :data:`MAX_DEPTH`. The arguments' meaning is checked by the station.
    """
    try:
        data = decode(payload)
    except MessageError as exc:
        raise CommandError(str(exc), _salvaged_id(payload)) from None
    raw_id = data.get("id")
    usable = raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= 128 else ""
    if name not in COMMANDS:
        raise CommandError(f"unknown command {name!r}", usable)
    if not usable:
        if not isinstance(raw_id, str):
            raise CommandError(f"command.id: expected str, got {brief(raw_id)}")
        raise CommandError("command.id: expected 1 to 128 characters")
    problem = _out_of_bounds(data, "command", 0)
    if problem:
        raise CommandError(problem, usable)
    by = data.get("by", "")
    if not isinstance(by, str) or len(by) > 128:
        raise CommandError("command.by: expected a string of at most 128 characters", usable)
    args = {k: v for k, v in data.items() if k not in ("v", "id", "by")}
    return CommandMessage(name=name, command_id=usable, by=by, args=args)


_ID_TEXT = re.compile(rb'"id"\s*:\s*"([A-Za-z0-9._:-]{1,128})"')


def _salvaged_id(payload: bytes | str) -> str:
    """The id of a payload that is no message, when it plainly has one (to match a refusal)."""
    raw = payload.encode("utf-8", "replace") if isinstance(payload, str) else bytes(payload)
    found = _ID_TEXT.findall(raw[:MAX_PAYLOAD])
    return found[0].decode("ascii") if len(found) == 1 else ""


def _out_of_bounds(value: Any, where: str, depth: int) -> str:
    """Why a decoded command value is out of bounds ("" when it is within them)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return "" if -MAX_INTEGER <= value <= MAX_INTEGER else f"{where}: integer out of range"
    if isinstance(value, float):
        return "" if math.isfinite(value) else f"{where}: expected a finite number"
    if isinstance(value, str):
        return "" if len(value) <= MAX_TEXT else f"{where}: longer than {MAX_TEXT} characters"
    if depth >= MAX_DEPTH:
        return f"{where}: nested deeper than {MAX_DEPTH} levels"
    if isinstance(value, list):
        items: Any = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    else:
        if any(len(key) > MAX_KEY for key in value):
            return f"{where}: a key longer than {MAX_KEY} characters"
        items = ((f"{where}.{k}", v) for k, v in value.items())
    for inner, item in items:
        problem = _out_of_bounds(item, inner, depth + 1)
        if problem:
            return problem
    return ""


def command_message(command_id: str, by: str = "", **args: Any) -> dict[str, Any]:
    """The JSON form of a command."""
    return {"v": VERSION, "id": command_id, "by": by, **args}


def reply_message(
    station: str, command: str, command_id: str, accepted: bool, reason: str = "", seq: int = 0
) -> dict[str, Any]:
    """The answer to one command, on the station's ``…/reply`` topic."""
    return {
        "v": VERSION,
        "station": station,
        "command": command,
        "command_id": command_id,
        "accepted": accepted,
        "reason": reason,
        "seq": seq,
    }
