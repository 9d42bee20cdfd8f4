"""JSON Schemas of the event payloads, derived from the event catalogue.

``docs/asyncapi.yaml`` carries these schemas; a test checks that the document
and the code agree, and that every payload the code emits validates.
Run ``python -m andon.bus.schemas`` to print them.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from datetime import datetime
from typing import Any

from andon.domain.events import EVENT_TYPES, Event


def _field_schema(hint: Any) -> dict[str, Any]:
    if hint is datetime:
        return {"type": "string", "format": "date-time"}
    if hint is str:
        return {"type": "string"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is float:
        return {"type": "number"}
    if typing.get_origin(hint) is tuple:
        return {"type": "array", "items": _field_schema(typing.get_args(hint)[0])}
    if typing.get_origin(hint) is dict:
        return {"type": "object", "additionalProperties": _field_schema(typing.get_args(hint)[1])}
    raise TypeError(f"no schema for {hint!r}")


def event_data_schema(cls: type[Event]) -> dict[str, Any]:
    """The schema of one event kind's ``data`` object."""
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    required = [
        f.name
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": {f.name: _field_schema(hints[f.name]) for f in fields},
        "required": required,
        "additionalProperties": False,
    }


def event_schemas() -> dict[str, dict[str, Any]]:
    """Schema name → schema, one per event kind (``CallRaisedData`` …)."""
    return {
        f"{cls.__name__}Data": event_data_schema(cls)
        for cls in sorted(EVENT_TYPES.values(), key=lambda c: c.__name__)
    }


def envelope_schema() -> dict[str, Any]:
    """The ``…/events`` message: the envelope with a ``kind`` and its matching ``data``."""
    variants = [
        {
            "properties": {
                "kind": {"const": cls.KIND},
                "data": {"$ref": f"#/components/schemas/{cls.__name__}Data"},
            }
        }
        for cls in sorted(EVENT_TYPES.values(), key=lambda c: c.__name__)
    ]
    return {
        "type": "object",
        "required": ["v", "station", "seq", "id", "at", "kind", "data"],
        "additionalProperties": False,
        "properties": {
            "v": {"const": 1},
            "station": {"type": "string", "description": "site/area/line/station"},
            "seq": {"type": "integer", "minimum": 1},
            "id": {"type": "string"},
            "at": {"type": "string", "format": "date-time"},
            "kind": {"enum": sorted(EVENT_TYPES)},
            "data": {"type": "object"},
        },
        "oneOf": variants,
    }


if __name__ == "__main__":
    print(json.dumps({"EventMessage": envelope_schema(), **event_schemas()}, indent=2))
