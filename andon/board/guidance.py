"""What the operator at a station should do next, in one sentence."""

from __future__ import annotations

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import clock, number, seconds_text
from andon.board.views import Link, StationView


def next_step(station: StationView, catalogue: BoardCatalogue) -> str:
    """The most urgent thing to do at ``station``, from what it published."""
    if station.link is Link.OFFLINE:
        return "The board cannot reach this station: call maintenance."
    snap = station.snapshot
    if snap is None:
        return "Waiting for the station's data."
    for call in snap.open_calls:
        if call.status == "acknowledged" and call.reason_required:
            return "Scan the reason card to close the call."
    waiting = [c for c in snap.open_calls if c.status == "raised"]
    if waiting:
        call = waiting[0]
        label = catalogue.call_label(call.call_type)
        info = catalogue.call_types.get(call.call_type)
        roles = info.roles_by_level.get(max(call.level, 1), ()) if info else ()
        who = ", ".join(catalogue.roles.get(r, r) for r in roles) or "help"
        if call.call_type == "material":
            part = f" {call.part}" if call.part else ""
            return f"Material{part} called: the material handler is on the way."
        return f"{label} call raised: {who} is coming. Scan your badge when you take the call."
    taken = [c for c in snap.open_calls if c.status == "acknowledged"]
    if taken:
        return "Solve the problem, then scan the reason card."
    if snap.fault:
        return "The machine stopped itself: call maintenance."
    if snap.line_stopped:
        return "The line is stopped."
    if snap.blocked:
        return "Downstream is full: stop and wait (full-work)."
    open_hours = [h for h in snap.hours if h.unexplained]
    if open_hours:
        return (
            f"Scan the reason card for the hour from {clock(open_hours[0].start, catalogue.zone)}."
        )
    if not snap.in_shift:
        return "No shift now."
    if snap.pace == "too_slow":
        return f"Behind plan by {number(-snap.difference)}: call help if something holds you up."
    if snap.pace == "too_fast":
        return "Ahead of plan: do not overproduce, keep to the takt."
    if snap.takt_s:
        return f"On plan: one unit every {seconds_text(snap.takt_s)}."
    return "All well."
