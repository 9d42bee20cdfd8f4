"""Scenario commands as boards send them: a ``cmd/<name>`` message, parsed as the station does."""

from __future__ import annotations

from typing import Any

from andon.bus.commands import CommandMessage, command_message, parse_command
from andon.bus.messages import MessageError, encode
from andon.config import wording as W
from andon.config.errors import ONE_OF
from andon.simulate.scenario import CommandAction

SCENARIO_COMMANDS = (
    "raise",
    "acknowledge",
    "resolve",
    "cancel",
    "hour_cause",
    "stop_reason",
    "kanban",
    "downstream",
    "changeover",
    "start_order",
)
"""The station commands a scenario may send (``replay`` and ``sim`` are not domain commands)."""

CALL_COMMANDS = frozenset({"acknowledge", "resolve", "cancel"})
"""Commands that name a call (``call_id``)."""

STOP_COMMANDS = frozenset({"stop_reason"})
"""Commands that name a stop (``stop_id``)."""


def message_for(action: CommandAction, args: dict[str, Any], command_id: str) -> CommandMessage:
    """The command as it would arrive from the bus; :class:`MessageError` when malformed."""
    if action.name not in SCENARIO_COMMANDS:
        commands = ", ".join(SCENARIO_COMMANDS)
        raise MessageError(ONE_OF.format(expected=commands, got=repr(action.name)))
    try:
        payload = encode(command_message(command_id, action.by, **args))
    except (TypeError, ValueError) as exc:
        raise MessageError(W.PLAIN_ARGS.format(error=exc)) from None
    return parse_command(action.name, payload)
