"""What the station does with a code its scanner read: a badge, a reason card, a serial.

A badge acknowledges, a reason card resolves or explains, a serial counts; a kanban
belongs at the store. Like :mod:`andon.domain.commands`, nothing here changes state.
"""

from __future__ import annotations

from datetime import datetime

from andon.domain import events as ev
from andon.domain import refusals as r
from andon.domain.barcodes import BarcodeError, CodeKind, parse
from andon.domain.calls import REASON_CARD, CallStatus
from andon.domain.commands import acknowledge, count, record_hour_cause, record_stop_reason, resolve
from andon.domain.outcome import Outcome
from andon.domain.station_queries import stops_needing_reason, unexplained_hours
from andon.domain.station_state import StationState


def person(state: StationState, badge: str) -> str:
    """The name on a badge, or the badge id when nobody is registered under it."""
    return state.rules.people.get(badge, f"badge {badge}")


def scanned(state: StationState, now: datetime, scanner: str, text: str, by: str = "") -> Outcome:
    """A code read at the station.

    - a badge acknowledges the oldest call waiting (the team leader has arrived);
    - a reason card resolves the oldest acknowledged call, or else gives the reason
      of the oldest stop that needs one, or else explains the oldest unexplained hour;
    - a unit serial counts one good unit (twice is refused);
    - a kanban belongs at the store, and is refused here.
    """
    try:
        code = parse(text)
    except BarcodeError as exc:
        return _scan_refused(now, scanner, text, str(exc))
    if code.kind is CodeKind.BADGE:
        if code.value not in state.rules.people:
            return _scan_refused(now, scanner, text, r.sentence(r.UNKNOWN_BADGE, badge=code.value))
        waiting = [c for c in state.open_calls if c.status is CallStatus.RAISED]
        if not waiting:
            return _scan_refused(now, scanner, text, r.NOTHING_TO_ACKNOWLEDGE)
        return acknowledge(
            state, now, waiting[0].call_id, by=person(state, code.value), source="badge"
        )
    if code.kind is CodeKind.REASON:
        if code.value not in state.rules.reasons:
            return _scan_refused(
                now, scanner, text, r.sentence(r.UNKNOWN_REASON, reason=code.value)
            )
        taken = [c for c in state.open_calls if c.status is CallStatus.ACKNOWLEDGED]
        if taken:
            call = taken[0]
            who = by or call.acknowledged_by or REASON_CARD
            return resolve(
                state, now, call.call_id, by=who, source="reason_card", reason=code.value
            )
        stops = stops_needing_reason(state, now)
        if stops:
            return record_stop_reason(
                state, now, stops[0].stop_id, code.value, by=by or REASON_CARD
            )
        hours = unexplained_hours(state, now)
        if hours:
            return record_hour_cause(state, now, hours[0], code.value, by=by or REASON_CARD)
        return _scan_refused(now, scanner, text, r.NOTHING_WAITS_FOR_REASON)
    if code.kind is CodeKind.SERIAL:
        return count(state, now, good=1, serial=code.value)
    return _scan_refused(now, scanner, text, r.KANBAN_AT_STORE)


def _scan_refused(now: datetime, scanner: str, text: str, reason: str) -> Outcome:
    shown = text if len(text) <= 64 else text[:61] + "..."
    shown = shown.encode("ascii", "replace").decode("ascii")
    return Outcome(
        events=(ev.ScanRejected(at=now, scanner=scanner, text=shown, reason=reason),),
        rejection=reason,
    )


def scan_refused(
    state: StationState, now: datetime, scanner: str, text: str, reason: str
) -> Outcome:
    """A scanner line the hardware already refused (binary data, an overlong line)."""
    return _scan_refused(now, scanner, text, reason)
