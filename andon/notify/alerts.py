"""One alert of the notifier's queue: what it is about, whom it goes to, where it stands."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from andon.domain.events import format_instant, parse_instant


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (Status.SENT, Status.FAILED, Status.CANCELLED)


@dataclass(frozen=True)
class AlertSpec:
    """What one alert is about and whom it goes to; fixed when it is queued."""

    station: str
    """``site/area/line/station``."""
    call_id: str
    level: int
    channel: str
    recipient: str
    """The person's badge; ``""`` for a group channel (or when nobody could be reached)."""
    recipient_name: str
    recipient_role: str
    address: str
    """The person's address on the channel (``""`` for a group channel)."""
    line: str
    call_type: str
    roles: tuple[str, ...]
    condition: str
    on_duty: tuple[str, ...]
    """Names of the people on duty for the level (shown by group channels)."""
    shift: str
    raised_at: datetime
    escalated_at: datetime

    def to_json(self) -> str:
        data = {
            "recipient_name": self.recipient_name,
            "recipient_role": self.recipient_role,
            "address": self.address,
            "line": self.line,
            "call_type": self.call_type,
            "roles": list(self.roles),
            "condition": self.condition,
            "on_duty": list(self.on_duty),
            "shift": self.shift,
            "raised_at": format_instant(self.raised_at),
            "escalated_at": format_instant(self.escalated_at),
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> AlertSpec:
        data = json.loads(row["spec"])
        return cls(
            station=row["station"],
            call_id=row["call_id"],
            level=row["level"],
            channel=row["channel"],
            recipient=row["recipient"],
            recipient_name=data["recipient_name"],
            recipient_role=data["recipient_role"],
            address=data["address"],
            line=data["line"],
            call_type=data["call_type"],
            roles=tuple(data["roles"]),
            condition=data["condition"],
            on_duty=tuple(data["on_duty"]),
            shift=data["shift"],
            raised_at=parse_instant(data["raised_at"]),
            escalated_at=parse_instant(data["escalated_at"]),
        )


@dataclass(frozen=True)
class Alert:
    """One row of the queue."""

    id: int
    uid: str
    """A stable id sent along with the alert (header, text) so receivers can de-duplicate."""
    spec: AlertSpec
    status: Status
    attempts: int
    next_at: float
    created_at: str
    finished_at: str | None
    detail: str
    acknowledged_by: str
    token: str
    code: str | None
    reported: bool

    @property
    def outcome_at(self) -> str:
        """When the row finished (its creation time while it is not finished)."""
        return self.finished_at or self.created_at


def alert_from_row(row: sqlite3.Row) -> Alert:
    """The alert of one ``alerts`` row."""
    return Alert(
        id=row["id"],
        uid=row["uid"],
        spec=AlertSpec.from_row(row),
        status=Status(row["status"]),
        attempts=row["attempts"],
        next_at=row["next_at"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        detail=row["detail"],
        acknowledged_by=row["acknowledged_by"],
        token=row["token"],
        code=row["code"],
        reported=bool(row["reported"]),
    )
