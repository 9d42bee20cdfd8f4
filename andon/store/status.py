"""The store board's retained status message: online or not, the open calls, the last scan.

Published on ``<prefix>/<site>/_stores/<store id>/status`` (QoS 1, retained; the
Last Will says offline). It is the store's diagnostics topic too: every scan's
outcome, booked or refused with its reason, is published in ``last_scan`` as it
happens, so boards and technicians see "no kanban, no withdrawal" refusals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from andon.bus.messages import status_message
from andon.store.calls import MaterialCall


@dataclass(frozen=True)
class ScanOutcome:
    """What became of one scan at the store."""

    at: str
    text: str
    booked: bool
    message: str
    station: str = ""
    part: str = ""
    card: str = ""
    express: bool = False
    call_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "text": self.text,
            "booked": self.booked,
            "message": self.message,
            "station": self.station,
            "part": self.part,
            "card": self.card,
            "express": self.express,
            "call_id": self.call_id,
        }


def store_status(
    path: str,
    online: bool,
    at: str,
    version: str,
    *,
    detail: str = "",
    calls: Iterable[MaterialCall] = (),
    last_scan: ScanOutcome | None = None,
    scans: int = 0,
    refused: int = 0,
) -> dict[str, Any]:
    """The status message: :func:`~andon.bus.messages.status_message` plus the store's view.

    ``path`` is ``<site>/_stores/<id>``; ``open_calls`` are oldest first.
    """
    message = status_message(path, online, at, version, detail)
    message.update(
        open_calls=[call.to_dict() for call in calls],
        last_scan=None if last_scan is None else last_scan.to_dict(),
        scans=scans,
        refused=refused,
    )
    return message
