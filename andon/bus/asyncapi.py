"""The MQTT contract as an AsyncAPI 3 document (``docs/asyncapi.yaml``).

The event schemas come from the event catalogue (:mod:`andon.bus.schemas`);
the state and status schemas are written here next to the code that produces
them, the command and reply schemas in :mod:`andon.bus.command_schemas`.
``python -m andon.bus.asyncapi > docs/asyncapi.yaml`` writes the document; a test fails
when the file and the code drift apart.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

from andon import __version__
from andon.bus.command_schemas import COMMAND, INSTANT, REPLY, STRING, command_schema
from andon.bus.commands import COMMANDS
from andon.bus.schemas import envelope_schema, event_schemas
from andon.domain.summary import MAX_LISTED_STOPS

STATION = "{prefix}/{site}/{area}/{line}/{station}"

_NULLABLE_INSTANT = {"type": ["string", "null"], "format": "date-time"}
_NUMBER = {"type": "number"}

CALL_VIEW = {
    "type": "object",
    "required": ["call_id", "type", "status", "raised_at", "level", "elapsed_s"],
    "properties": {
        "call_id": STRING,
        "type": STRING,
        "status": {"enum": ["raised", "acknowledged", "resolved", "cancelled"]},
        "raised_at": INSTANT,
        "source": STRING,
        "raised_by": STRING,
        "part": STRING,
        "express": {"type": "boolean"},
        "acknowledged_at": _NULLABLE_INSTANT,
        "acknowledged_by": STRING,
        "closed_at": _NULLABLE_INSTANT,
        "closed_by": STRING,
        "reason": STRING,
        "note": STRING,
        "level": {"type": "integer", "minimum": 0},
        "elapsed_s": _NUMBER,
        "reason_required": {"type": "boolean"},
        "stopped_line": {"type": "boolean"},
        "notes": {
            "type": "array",
            "description": "The notes written on the call while it was open, oldest first.",
            "items": {
                "type": "object",
                "required": ["at", "by", "text"],
                "properties": {"at": INSTANT, "by": STRING, "text": STRING},
            },
        },
    },
}

HOUR_VIEW = {
    "type": "object",
    "required": ["start", "end", "planned", "actual", "complete", "unexplained"],
    "properties": {
        "start": INSTANT,
        "end": INSTANT,
        "planned": _NUMBER,
        "actual": {"type": "integer"},
        "difference": _NUMBER,
        "variance": {"type": ["number", "null"]},
        "complete": {"type": "boolean"},
        "unexplained": {"type": "boolean"},
        "cause": {
            "type": ["object", "null"],
            "properties": {"reason": STRING, "note": STRING, "by": STRING},
        },
    },
}

STATE = {
    "type": "object",
    "description": (
        "The station's snapshot (retained); `seq` is the last event folded in. Version 2:"
        " what is open now and a bounded summary of the shift (at most 8 kB); the shift's"
        " closed calls and stops are in the events after `history_seq`."
    ),
    "required": [
        "v",
        "station",
        "at",
        "line",
        "counts",
        "takt_s",
        "good",
        "scrap",
        "planned",
        "difference",
        "pace",
        "line_stopped",
        "open_calls",
        "hours",
        "signals",
        "seq",
        "history_seq",
        "health",
    ],
    "properties": {
        "v": {"const": 2},
        "station": STRING,
        "at": INSTANT,
        "line": STRING,
        "counts": {"type": "boolean"},
        "takt_s": _NUMBER,
        "in_shift": {"type": "boolean"},
        "working": {"type": "boolean"},
        "shift": {"type": ["object", "null"]},
        "good": {"type": "integer"},
        "scrap": {"type": "integer"},
        "planned": _NUMBER,
        "difference": _NUMBER,
        "achievement": {"type": ["number", "null"]},
        "pace": {"enum": ["normal", "too_fast", "too_slow", None]},
        "line_stopped": {"type": "boolean"},
        "line_stop_causes": {"type": "array", "items": STRING},
        "fault": {"type": "boolean"},
        "blocked": {"type": "boolean"},
        "bins_empty": {"type": "array", "items": STRING},
        "open_calls": {"type": "array", "items": {"$ref": "#/components/schemas/CallView"}},
        "call_totals": {
            "type": "object",
            "description": "Per call type, this shift's calls: open, resolved, cancelled.",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "open": {"type": "integer"},
                    "resolved": {"type": "integer"},
                    "cancelled": {"type": "integer"},
                },
            },
        },
        "hours": {"type": "array", "items": {"$ref": "#/components/schemas/HourView"}},
        "stops": {
            "type": "array",
            "maxItems": MAX_LISTED_STOPS,
            "description": (
                f"At most {MAX_LISTED_STOPS} of the shift's stops: open ones and those"
                " waiting for a reason first (the newest), then the newest others."
            ),
            "items": {"type": "object"},
        },
        "stops_waiting": {
            "type": "integer",
            "description": "The shift's stops waiting for a reason, listed or not.",
        },
        "downtime_by_reason": {
            "type": "array",
            "description": (
                "The shift's stops summed: one row per reason, per source of the stops"
                " waiting for one (`needs_reason`), and one of the minor stops (both empty)."
            ),
            "items": {
                "type": "object",
                "required": ["reason", "source", "needs_reason", "seconds", "count"],
                "properties": {
                    "reason": STRING,
                    "source": STRING,
                    "needs_reason": {"type": "boolean"},
                    "seconds": _NUMBER,
                    "count": {"type": "integer"},
                },
            },
        },
        "kpi": {"type": ["object", "null"]},
        "order": {"type": ["object", "null"]},
        "material_lead_times": {
            "type": "object",
            "description": "Per part: material calls served this shift, mean and longest.",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "count": {"type": "integer"},
                    "mean_s": _NUMBER,
                    "max_s": _NUMBER,
                },
            },
        },
        "signals": {"type": "array", "items": STRING},
        "seq": {"type": "integer", "minimum": 0},
        "history_seq": {
            "type": "integer",
            "minimum": 0,
            "description": (
                "This shift's calls and stops are in the events after this seq:"
                " `cmd/replay` from `history_seq + 1` to rebuild the shift's history."
            ),
        },
        "health": {
            "type": "object",
            "properties": {
                "journal_error": STRING,
                "unjournaled": {"type": "integer"},
                "broker": {"type": "boolean"},
                "in_flight": {"type": "integer"},
                "bad_commands": {"type": "integer"},
                "refused_events": {"type": "integer"},
                "unreadable_rows": {
                    "type": "integer",
                    "description": "Journal rows start-up could not read (see verify-journal).",
                },
                "scanners": {
                    "type": "object",
                    "description": "Each barcode scanner heard of, by name.",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "connected": {"type": ["boolean", "null"]},
                            "last_scan_at": {"type": ["string", "null"], "format": "date-time"},
                            "scans": {"type": "integer"},
                            "rejected": {"type": "integer"},
                            "errors": {"type": "integer"},
                            "last_error": STRING,
                        },
                    },
                },
            },
        },
    },
}

STATUS = {
    "type": "object",
    "description": "Retained; the Last Will publishes `online: false`.",
    "required": ["v", "station", "online", "at"],
    "additionalProperties": False,
    "properties": {
        "v": {"const": 1},
        "station": STRING,
        "online": {"type": "boolean"},
        "at": {"type": "string"},
        "version": STRING,
        "detail": STRING,
    },
}


def _station_parameters() -> dict[str, Any]:
    return {
        name: {"description": text}
        for name, text in [
            ("prefix", "topic prefix of the plant (default `andon`)"),
            ("site", "ISA-95 site"),
            ("area", "ISA-95 area"),
            ("line", "production line id"),
            ("station", "station id"),
        ]
    }


def document() -> dict[str, Any]:
    """The whole AsyncAPI 3.0 document."""
    params = _station_parameters()
    channels: dict[str, Any] = {
        "state": {
            "address": f"{STATION}/state",
            "parameters": params,
            "description": "Retained snapshot, QoS 1; published on change and every 5 s.",
            "messages": {"state": {"$ref": "#/components/messages/State"}},
        },
        "status": {
            "address": f"{STATION}/status",
            "parameters": params,
            "description": "Retained online/offline, QoS 1; the Last Will says offline.",
            "messages": {"status": {"$ref": "#/components/messages/Status"}},
        },
        "events": {
            "address": f"{STATION}/events",
            "parameters": params,
            "description": (
                "Every event of the station's journal, QoS 1, in seq order; republished after "
                "an outage or on a replay request: consumers de-duplicate by (station, seq)."
            ),
            "messages": {"event": {"$ref": "#/components/messages/Event"}},
        },
        "reply": {
            "address": f"{STATION}/reply",
            "parameters": params,
            "description": "The answer to every command, QoS 1.",
            "messages": {"reply": {"$ref": "#/components/messages/Reply"}},
        },
    }
    operations: dict[str, Any] = {
        f"publish{name.capitalize()}": {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
        }
        for name in ("state", "status", "events", "reply")
    }
    messages: dict[str, Any] = {
        "State": {"payload": {"$ref": "#/components/schemas/State"}},
        "Status": {"payload": {"$ref": "#/components/schemas/Status"}},
        "Event": {"payload": {"$ref": "#/components/schemas/EventMessage"}},
        "Reply": {"payload": {"$ref": "#/components/schemas/Reply"}},
    }
    schemas: dict[str, Any] = {
        "State": STATE,
        "CallView": CALL_VIEW,
        "HourView": HOUR_VIEW,
        "Status": STATUS,
        "Reply": REPLY,
        "Command": COMMAND,
        "EventMessage": envelope_schema(),
        **event_schemas(),
    }
    for name in sorted(COMMANDS):
        title = "".join(part.capitalize() for part in name.split("_"))
        channels[f"cmd_{name}"] = {
            "address": f"{STATION}/cmd/{name}",
            "parameters": params,
            "description": f"The `{name}` command, QoS 1; answered on `reply`.",
            "messages": {name: {"$ref": f"#/components/messages/{title}Command"}},
        }
        operations[f"receive{title}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/cmd_{name}"},
        }
        messages[f"{title}Command"] = {"payload": {"$ref": f"#/components/schemas/{title}Command"}}
        schemas[f"{title}Command"] = command_schema(name)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "andon station MQTT contract",
            "version": __version__,
            "description": (
                "Topics follow the ISA-95 hierarchy. Payloads are JSON objects with `v` (schema "
                "version 1); instants are UTC ISO 8601. See docs/mqtt.md."
            ),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> str:
    """The document as YAML, in a stable order."""
    header = "# Generated by `python -m andon.bus.asyncapi`; edit andon/bus/asyncapi.py instead.\n"
    return header + yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    sys.stdout.write(render())
