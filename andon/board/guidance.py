"""What the operator at a station should do next, in one sentence."""

from __future__ import annotations

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import clock, seconds_text
from andon.board.views import Link, StationView
from andon.domain.shown_figures import plan_text, shown_difference
from andon.i18n import Translator
from andon.i18n.formats import listing


def next_step(station: StationView, catalogue: BoardCatalogue, tr: Translator) -> str:
    """The most urgent thing to do at ``station``, from what it published, in ``tr``'s words."""
    _ = tr.gettext
    if station.link is Link.OFFLINE:
        return _("The board cannot reach this station: call maintenance.")
    snap = station.snapshot
    if snap is None:
        return _("Waiting for the station's data.")
    for call in snap.open_calls:
        if call.status == "acknowledged" and call.reason_required:
            return _("Scan the reason card to close the call.")
    waiting = [c for c in snap.open_calls if c.status == "raised"]
    if waiting:
        call = waiting[0]
        label = catalogue.call_label(call.call_type)
        info = catalogue.call_types.get(call.call_type)
        roles = info.roles_by_level.get(max(call.level, 1), ()) if info else ()
        names = [catalogue.roles.get(r, r) for r in roles]
        if call.call_type == "material":
            if call.part:
                return _("Material {part} called: the material handler is on the way.").format(
                    part=call.part
                )
            return _("Material called: the material handler is on the way.")
        if not names:
            return _(
                "{call} call raised: help is coming. Scan your badge when you take the call."
            ).format(call=label)
        return _(
            "{call} call raised: {who} is coming. Scan your badge when you take the call."
        ).format(call=label, who=listing(names, tr.language))
    taken = [c for c in snap.open_calls if c.status == "acknowledged"]
    if taken:
        return _("Solve the problem, then scan the reason card.")
    if snap.fault:
        return _("The machine stopped itself: call maintenance.")
    if snap.line_stopped:
        return _("The line is stopped.")
    if snap.blocked:
        return _("Downstream is full: stop and wait (full-work).")
    open_hours = [h for h in snap.hours if h.unexplained]
    if open_hours:
        return _("Scan the reason card for the hour from {time}.").format(
            time=clock(open_hours[0].start, catalogue.zone)
        )
    if not snap.in_shift:
        return _("No shift now.")
    if snap.pace == "too_slow":
        return _("Behind plan by {count}: call help if something holds you up.").format(
            count=plan_text(-shown_difference(snap.good, snap.planned), tr.language)
        )
    if snap.pace == "too_fast":
        return _("Ahead of plan: do not overproduce, keep to the takt.")
    if snap.takt_s:
        return _("On plan: one unit every {takt}.").format(takt=seconds_text(snap.takt_s, tr))
    return _("All well.")
