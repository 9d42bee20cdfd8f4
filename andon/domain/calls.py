"""One andon call's life: raised → acknowledged → resolved, or cancelled; notes on the way."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from andon.i18n.markers import N_


class CallStatus(StrEnum):
    """Where a call is in its life."""

    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({CallStatus.RAISED, CallStatus.ACKNOWLEDGED})
BIN_SENSOR = N_("bin sensor")
"""Who raises and closes a material call a bin sensor saw (``by`` in the journal, English;
shown translated, :func:`andon.i18n.vocabulary.who`)."""
STATION_BUTTON = N_("station button")
"""Who takes a call with the station's acknowledge button (no badge scanned first)."""
REASON_CARD = N_("reason card")
"""Who gives a reason with a reason card when no badge was scanned before it."""
STATION_ITSELF = N_("station")
"""Who cancels a call with the station's call button pressed again."""


MAX_NOTES = 10
"""An open call takes at most this many notes (they travel in every state message)."""
NOTE_LENGTH = 500
"""The longest note, in characters (the command contract's limit for ``note``)."""


@dataclass(frozen=True)
class CallNote:
    """A few words on an open call: who wrote them and when."""

    at: datetime
    by: str
    text: str


@dataclass(frozen=True)
class Call:
    """A call with who and when at each step."""

    call_id: str
    call_type: str
    raised_at: datetime
    source: str
    raised_by: str = ""
    part: str = ""
    express: bool = False
    status: CallStatus = CallStatus.RAISED
    acknowledged_at: datetime | None = None
    acknowledged_by: str = ""
    closed_at: datetime | None = None
    closed_by: str = ""
    reason: str = ""
    note: str = ""
    level: int = 0
    stopped_line: bool = False
    notes: tuple[CallNote, ...] = ()

    @property
    def is_open(self) -> bool:
        """True until resolved or cancelled."""
        return self.status in OPEN_STATUSES

    @property
    def slot(self) -> tuple[str, str]:
        """One open call per slot: the call type, and the part for material calls."""
        return (self.call_type, self.part)

    def elapsed_s(self, now: datetime) -> float:
        """Seconds since the call was raised (until it closed, if it did)."""
        end = self.closed_at or now
        return max(0.0, (end - self.raised_at).total_seconds())

    def response_s(self) -> float | None:
        """Seconds from raised to acknowledged, if acknowledged."""
        if self.acknowledged_at is None:
            return None
        return (self.acknowledged_at - self.raised_at).total_seconds()

    def acknowledge(self, at: datetime, by: str) -> Call:
        """The call taken by ``by``."""
        return replace(self, status=CallStatus.ACKNOWLEDGED, acknowledged_at=at, acknowledged_by=by)

    def add_note(self, at: datetime, by: str, text: str) -> Call:
        """The call with one more note."""
        return replace(self, notes=(*self.notes, CallNote(at=at, by=by, text=text)))

    def resolve(self, at: datetime, by: str, reason: str, note: str) -> Call:
        """The call solved, with its reason."""
        acknowledged_at = self.acknowledged_at or at
        acknowledged_by = self.acknowledged_by or by
        return replace(
            self,
            status=CallStatus.RESOLVED,
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            closed_at=at,
            closed_by=by,
            reason=reason,
            note=note,
        )

    def cancel(self, at: datetime, by: str) -> Call:
        """The call withdrawn."""
        return replace(self, status=CallStatus.CANCELLED, closed_at=at, closed_by=by)

    def escalate(self, level: int) -> Call:
        """The call at a higher escalation level."""
        return replace(self, level=max(self.level, level))
