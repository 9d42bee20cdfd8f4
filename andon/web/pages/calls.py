"""Open calls, the store's material queue, and one call with what may be done to it."""

from __future__ import annotations

from andon.board.catalogue import ReasonInfo
from andon.board.ordering import material_queue
from andon.board.station_data import NoteData
from andon.board.views import BoardView, CallView, LeadTimeView
from andon.i18n import N_
from andon.i18n.vocabulary import who
from andon.web import texts as T
from andon.web.pages.common import Words, call_list, e, fixed
from andon.web.parts import Part, attr

NO_OPEN_CALLS = N_("No open calls.")


def body(*parts: Part) -> Part:
    """A page's own part of the live part."""
    return Part("body", (f'<div class="page-body"{attr("body")}>', *parts, "</div>"))


def calls_page(w: Words, view: BoardView) -> Part:
    """Every open call, escalated first, then the oldest."""
    calls = sorted(
        view.open_calls, key=lambda c: (-c.level, c.call.raised_at.timestamp(), c.call_id)
    )
    title = w.t.gettext("Open calls: {count}")
    return body(
        fixed("count", e(title.format(count=len(calls))), "h2"),
        call_list(w, calls, NO_OPEN_CALLS, "calls"),
    )


def _lead_row(w: Words, item: LeadTimeView) -> str:
    lead = item.lead
    return (
        f"<tr><td><b>{e(lead.part)}</b> {e(w.catalogue.part_name(lead.part))}</td>"
        f"<td>{e(w.line_label(item.line_id))} · {e(item.station_id)}</td>"
        f"<td>{lead.count}</td>"
        f"<td>{e(w.duration(lead.mean_s))}</td><td>{e(w.duration(lead.max_s))}</td></tr>"
    )


def store_page(w: Words, view: BoardView) -> Part:
    """Material calls oldest first (the order the store serves them), then lead times."""
    queue = material_queue(view.open_calls)
    title = w.t.gettext("Material calls waiting: {count}")
    return body(
        fixed("count", e(title.format(count=len(queue))), "h2"),
        call_list(w, queue, N_("No material call waiting."), "queue"),
        fixed("leads", _lead_times(w, view)),
    )


def _lead_times(w: Words, view: BoardView) -> str:
    out = ""
    leads = view.material_lead_times
    if leads:
        head = "".join(
            f'<th scope="col">{w._(t)}</th>'
            for t in (N_("Part"), N_("Where"), N_("Served"), N_("Mean wait"), N_("Longest wait"))
        )
        rows = "".join(_lead_row(w, item) for item in leads)
        out += (
            f'<h3>{w._(T.SERVED_THIS_SHIFT)}</h3><table class="leads"><thead><tr>{head}</tr>'
            f"</thead><tbody>{rows}</tbody></table>"
        )
    return out


def find_call(view: BoardView, line_id: str, station_id: str, call_id: str) -> CallView | None:
    """An open or closed call of this shift."""
    line = view.line(line_id)
    if line is None:
        return None
    for call in (*line.open_calls, *line.closed_calls):
        if call.station_id == station_id and call.call_id == call_id:
            return call
    return None


def _row(w: Words, label: str, value: str) -> str:
    return f'<tr><th scope="row">{w._(label)}</th><td>{value}</td></tr>'


def call_detail(w: Words, view: BoardView, line_id: str, station_id: str, call_id: str) -> Part:
    """The call's state (the live part of its page) and the station's refusals."""
    return body(fixed("call", _call_detail(w, view, line_id, station_id, call_id)))


def _call_detail(w: Words, view: BoardView, line_id: str, station_id: str, call_id: str) -> str:
    call = find_call(view, line_id, station_id, call_id)
    if call is None:
        return f'<p class="empty">{w._(T.THIS_CALL_IS_NOT_AMONG_THE)}</p>'
    data = call.call
    symbol, word, css = w.status_word(call.status)
    rows = [
        _row(w, N_("Where"), f"{e(w.line_label(call.line_id))} · {e(call.station_id)}"),
        _row(w, N_("Raised"), e(w.clock(data.raised_at))),
        _row(w, N_("Open for"), f'<span class="timer">{e(w.duration(call.elapsed_s))}</span>'),
        _row(w, N_("Level"), f"L{call.level}"),
    ]
    if data.part:
        rows.append(_row(w, N_("Part"), f"{e(data.part)} {e(w.catalogue.part_name(data.part))}"))
    if data.acknowledged_by:
        rows.append(
            _row(w, N_("Taken by"), f"{e(data.acknowledged_by)} {e(w.clock(data.acknowledged_at))}")
        )
    if data.closed_by:
        closed_by = who(data.closed_by, w.t)
        rows.append(_row(w, N_("Closed by"), f"{e(closed_by)} {e(w.clock(data.closed_at))}"))
    if data.reason:
        rows.append(_row(w, N_("Reason"), e(w.reason_label(data.reason))))
    if data.note:
        rows.append(_row(w, N_("Note"), e(data.note)))
    if data.notes:
        rows.append(_row(w, T.NOTES, _notes(w, data.notes)))
    pending = ""
    if call.pending is not None:
        pending = f'<p class="pending">⧗ {w._(T.COMMAND_SENT_WAITING_FOR_THE_STATION)}</p>'
    notices = "".join(
        f'<li class="notice">{e(w.clock(n.at))} {e(n.text)}</li>'
        for n in view.notices
        if station_id in n.text or call_id in n.text
    )
    if notices:
        notices = f'<ul class="notices" role="alert">{notices}</ul>'
    return (
        f'<section class="call-page lamp-{e(w.call_colour(call.call_type))} {css}" '
        f'data-status="{e(call.status)}">'
        f"<h2>{e(symbol)} {w.call_label(call.call_type)} · "
        f'<span class="call-status">{word}</span></h2>'
        f'<table class="facts">{"".join(rows)}</table>{pending}{notices}</section>'
    )


def _notes(w: Words, notes: tuple[NoteData, ...]) -> str:
    """The call's notes, oldest first, each with when and who."""
    line = w.t.gettext(T.NOTE_BY)
    items = "".join(
        f"<li>{e(line.format(time=w.clock(n.at), name=n.by, text=n.text))}</li>" for n in notes
    )
    return f'<ol class="call-notes">{items}</ol>'


def reason_options(w: Words, reasons: tuple[ReasonInfo, ...], required: bool) -> str:
    """The reason list of the call's type, as ``<option>`` elements."""
    options = [] if required else [f'<option value="">{w._(T.NO_REASON_NEEDED)}</option>']
    if required:
        options.append(f'<option value="" disabled selected>{w._(T.PICK_A_REASON)}</option>')
    options += [
        f'<option value="{e(r.code)}">{e(r.code)} · {e(w.reason_label(r.code))}</option>'
        for r in reasons
    ]
    return "".join(options)
