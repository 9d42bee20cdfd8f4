"""Hand-made station messages for the model tests (the payloads stations publish)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from andon.bus.commands import reply_message
from andon.bus.messages import STATE_VERSION, EventMessage, encode, status_message
from andon.domain import events as ev
from andon.domain.events import format_instant

PREFIX = "andon"
SITE = "demo-plant"
AREA = "assembly"
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def path(line: str = "line-a", station: str = "a3") -> str:
    return f"{SITE}/{AREA}/{line}/{station}"


def topic(channel: str, line: str = "line-a", station: str = "a3") -> str:
    return f"{PREFIX}/{path(line, station)}/{channel}"


def at(seconds: float) -> datetime:
    """``T0`` plus some seconds."""
    return T0 + timedelta(seconds=seconds)


def call(call_id: str = "line-a.a3.C1", call_type: str = "help", **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "call_id": call_id,
        "type": call_type,
        "status": "raised",
        "raised_at": format_instant(T0),
        "source": "button",
        "raised_by": "",
        "part": "",
        "express": False,
        "acknowledged_at": None,
        "acknowledged_by": "",
        "closed_at": None,
        "closed_by": "",
        "reason": "",
        "note": "",
        "level": 1,
        "elapsed_s": 0.0,
        "reason_required": False,
        "stopped_line": False,
    }
    body.update(over)
    return body


def state(
    seq: int = 0,
    line: str = "line-a",
    station: str = "a3",
    *,
    now: datetime = T0,
    **over: Any,
) -> bytes:
    body: dict[str, Any] = {
        "v": STATE_VERSION,
        "station": path(line, station),
        "at": format_instant(now),
        "line": line,
        "counts": True,
        "takt_s": 160.0,
        "in_shift": True,
        "working": True,
        "shift": {
            "name": "early",
            "start": format_instant(T0 - timedelta(hours=4)),
            "end": format_instant(T0 + timedelta(hours=4)),
        },
        "good": 80,
        "scrap": 0,
        "planned": 90.0,
        "difference": -10.0,
        "achievement": 0.8889,
        "pace": "too_slow",
        "line_stopped": False,
        "line_stop_causes": [],
        "fault": False,
        "blocked": False,
        "downstream_quantity": 0,
        "bins_empty": [],
        "open_calls": [],
        "hours": [],
        "stops": [],
        "stops_waiting": 0,
        "downtime_by_reason": [],
        "history_seq": seq,  # the shift began here: nothing earlier to replay
        "kpi": {
            "planned_production_s": 14400.0,
            "downtime_s": 600.0,
            "minor_stop_s": 60.0,
            "run_s": 13800.0,
            "availability": 0.9583,
            "performance": 0.9,
            "quality": 1.0,
            "oee": 0.8625,
        },
        "signals": ["running", "too_slow"],
        "rejected_scans": 0,
        "rejected_counts": 0,
        "clock_jumps": 0,
        "seq": seq,
        "health": {"journal_error": "", "unjournaled": 0, "broker": True, "in_flight": 0},
    }
    body.update(over)
    return encode(body)


def status(online: bool, line: str = "line-a", station: str = "a3", when: str = "") -> bytes:
    return encode(status_message(path(line, station), online, when, "0.1.0", ""))


def event(
    seq: int, event: ev.Event, line: str = "line-a", station: str = "a3", event_id: str = ""
) -> bytes:
    message = EventMessage(path(line, station), seq, event_id or f"e{seq}", event)
    return encode(message.to_dict())


def raised(seq: int, call_id: str = "line-a.a3.C1", when: float = 0, **kw: Any) -> bytes:
    return event(
        seq,
        ev.CallRaised(
            at=at(when),
            call_id=call_id,
            call_type=kw.pop("call_type", "help"),
            source="button",
            **kw,
        ),
    )


def acknowledged(
    seq: int, call_id: str = "line-a.a3.C1", when: float = 10, by: str = "Anna"
) -> bytes:
    return event(seq, ev.CallAcknowledged(at=at(when), call_id=call_id, by=by, source="board"))


def counted(seq: int, when: float = 5) -> bytes:
    return event(seq, ev.Counted(at=at(when)))


def reply(
    command_id: str, accepted: bool, seq: int = 0, reason: str = "", command: str = "acknowledge"
) -> bytes:
    return encode(reply_message(path(), command, command_id, accepted, reason, seq))
