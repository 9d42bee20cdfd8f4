"""The JSON schemas of a station's commands and its replies, for the AsyncAPI document.

They state what :mod:`andon.bus.commands` accepts; a test holds every command the
station knows to a schema here (``docs/asyncapi.yaml``).
"""

from __future__ import annotations

from typing import Any

STRING = {"type": "string"}
INSTANT = {"type": "string", "format": "date-time"}

COMMAND = {
    "type": "object",
    "description": (
        "Every command: an id to match the reply, who sends it, and its arguments."
        " Refused with a reply: text that is not valid Unicode, integers beyond"
        " ±(2^63 - 1), NaN and infinities, strings over 4096 characters, keys over 64,"
        " nesting deeper than 8. A repeated id is answered with its first outcome."
    ),
    "required": ["v", "id"],
    "properties": {
        "v": {"const": 1},
        "id": {"type": "string", "minLength": 1, "maxLength": 128},
        "by": {"type": "string", "maxLength": 128},
    },
}

COMMAND_ARGS: dict[str, dict[str, Any]] = {
    "raise": {"call_type": STRING, "part": STRING, "express": {"type": "boolean"}},
    "acknowledge": {"call_id": STRING},
    "resolve": {"call_id": STRING, "reason": STRING, "note": STRING},
    "note": {"call_id": STRING, "text": {"type": "string", "minLength": 1, "maxLength": 500}},
    "cancel": {"call_id": STRING},
    "hour_cause": {"hour_start": INSTANT, "reason": STRING, "note": STRING},
    "stop_reason": {"stop_id": STRING, "reason": STRING, "note": STRING},
    "kanban": {"part": STRING, "card": STRING, "express": {"type": "boolean"}},
    "downstream": {"quantity": {"type": "integer", "minimum": 0}},
    "changeover": {"product": STRING},
    "start_order": {"index": {"type": "integer", "minimum": 0}},
    "replay": {
        "from_seq": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
        "to_seq": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    },
    "sim": {"action": STRING},
}

REQUIRED_ARGS: dict[str, list[str]] = {
    "raise": ["call_type"],
    "acknowledge": ["call_id"],
    "resolve": ["call_id"],
    "note": ["call_id", "text"],
    "cancel": ["call_id"],
    "hour_cause": ["hour_start", "reason"],
    "stop_reason": ["stop_id", "reason"],
    "kanban": ["part", "card"],
    "downstream": ["quantity"],
    "changeover": [],
    "start_order": ["index"],
    "replay": ["from_seq"],
    "sim": ["action"],
}

REPLY = {
    "type": "object",
    "required": ["v", "station", "command", "command_id", "accepted", "reason", "seq"],
    "additionalProperties": False,
    "properties": {
        "v": {"const": 1},
        "station": STRING,
        "command": STRING,
        "command_id": STRING,
        "accepted": {"type": "boolean"},
        "reason": STRING,
        "seq": {"type": "integer", "minimum": 0},
    },
}


def command_schema(name: str) -> dict[str, Any]:
    """The schema of one command: the common part and its own arguments."""
    return {
        "allOf": [{"$ref": "#/components/schemas/Command"}],
        "required": ["v", "id", *REQUIRED_ARGS[name]],
        "properties": COMMAND_ARGS[name],
    }
