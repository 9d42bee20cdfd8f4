"""Commands from boards, notifiers and the store, turned into domain commands.

Each command's arguments are checked here (types and presence); whether the
command makes sense (the call is open, the reason exists) is the domain's
decision. ``replay`` and ``sim`` are handled by the agent itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from andon.bus.commands import CommandMessage
from andon.bus.messages import MessageError
from andon.domain import commands as cmd
from andon.domain.commands import Outcome
from andon.domain.events import parse_instant
from andon.domain.station_state import StationState

DomainCommand = Callable[[StationState, datetime], Outcome]


@dataclass(frozen=True)
class _Arg:
    name: str
    kind: type
    required: bool = True
    max_length: int = 256


def _args(message: CommandMessage, *spec: _Arg) -> dict[str, Any]:
    out: dict[str, Any] = {}
    allowed = {a.name for a in spec}
    unknown = sorted(set(message.args) - allowed)
    if unknown:
        raise MessageError(f"{message.name}: unknown arguments {unknown}")
    for arg in spec:
        if arg.name not in message.args:
            if arg.required:
                raise MessageError(f"{message.name}: missing argument {arg.name!r}")
            continue
        value = message.args[arg.name]
        if arg.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise MessageError(f"{message.name}.{arg.name}: expected an integer")
        if not isinstance(value, arg.kind):
            raise MessageError(f"{message.name}.{arg.name}: expected {arg.kind.__name__}")
        if isinstance(value, str) and len(value) > arg.max_length:
            raise MessageError(f"{message.name}.{arg.name}: longer than {arg.max_length}")
        out[arg.name] = value
    return out


def _who(message: CommandMessage) -> str:
    if not message.by:
        raise MessageError(f"{message.name}: say who sends it ('by')")
    return message.by


def domain_command(message: CommandMessage) -> DomainCommand:
    """The domain command a message asks for; :class:`MessageError` when malformed."""
    name = message.name
    if name == "raise":
        a = _args(
            message, _Arg("call_type", str), _Arg("part", str, False), _Arg("express", bool, False)
        )
        return partial(
            cmd.raise_call,
            call_type=a["call_type"],
            source="board",
            by=message.by,
            part=a.get("part", ""),
            express=a.get("express", False),
        )
    if name in ("acknowledge", "cancel"):
        a = _args(message, _Arg("call_id", str))
        fn = cmd.acknowledge if name == "acknowledge" else cmd.cancel
        return partial(fn, call_id=a["call_id"], by=_who(message), source="board")
    if name == "resolve":
        a = _args(
            message, _Arg("call_id", str), _Arg("reason", str, False), _Arg("note", str, False, 500)
        )
        return partial(
            cmd.resolve,
            call_id=a["call_id"],
            by=_who(message),
            source="board",
            reason=a.get("reason", ""),
            note=a.get("note", ""),
        )
    if name == "note":
        a = _args(message, _Arg("call_id", str), _Arg("text", str, True, 500))
        return partial(
            cmd.add_note, call_id=a["call_id"], by=_who(message), source="board", text=a["text"]
        )
    if name == "hour_cause":
        a = _args(
            message, _Arg("hour_start", str), _Arg("reason", str), _Arg("note", str, False, 500)
        )
        try:
            hour_start = parse_instant(a["hour_start"])
        except ValueError as exc:
            raise MessageError(f"hour_cause.hour_start: {exc}") from None
        return partial(
            cmd.record_hour_cause,
            hour_start=hour_start,
            reason=a["reason"],
            by=_who(message),
            note=a.get("note", ""),
        )
    if name == "stop_reason":
        a = _args(message, _Arg("stop_id", str), _Arg("reason", str), _Arg("note", str, False, 500))
        return partial(
            cmd.record_stop_reason,
            stop_id=a["stop_id"],
            reason=a["reason"],
            by=_who(message),
            note=a.get("note", ""),
        )
    if name == "kanban":
        a = _args(message, _Arg("part", str), _Arg("card", str), _Arg("express", bool, False))
        return partial(
            cmd.kanban_scanned,
            part=a["part"],
            card=a["card"],
            by=_who(message),
            express=a.get("express", False),
        )
    if name == "downstream":
        a = _args(message, _Arg("quantity", int))
        if a["quantity"] < 0:
            raise MessageError("downstream.quantity: expected 0 or more")
        return partial(cmd.downstream, quantity=a["quantity"])
    if name == "changeover":
        a = _args(message, _Arg("product", str, False, 128))
        return partial(cmd.changeover, by=_who(message), product=a.get("product", ""))
    if name == "start_order":
        a = _args(message, _Arg("index", int))
        if a["index"] < 0:
            raise MessageError("start_order.index: expected 0 or more")
        return partial(cmd.start_order, index=a["index"], by=_who(message))
    raise MessageError(f"{name}: not a station command")
