"""The forms under a call: acknowledge, add a note, resolve with a reason and a note.

They stand outside the live part, so a note being typed survives every update.
Only the forms the signed-in person's role allows are shown; the server checks
the role again when the form is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from andon.board.views import CallView
from andon.web import texts as T
from andon.web.auth import may_handle, may_note
from andon.web.pages.calls import find_call, reason_options
from andon.web.pages.common import Words, e
from andon.web.pages.shell import Visitor

if TYPE_CHECKING:
    from andon.web.site import Site

NOTE_LIMIT = 500
"""The command contract's limit for ``note``."""


def call_actions(site: Site, request: Request, visitor: Visitor) -> str:
    """The forms for the call of this page, or a line saying why there are none."""
    w = site.words
    p = request.path_params
    call = find_call(site.view, p["line"], p["station"], p["call"])
    if call is None or call.status not in ("raised", "acknowledged"):
        return ""
    if not visitor.signed_in:
        if visitor.kiosk:
            return ""
        return (
            f'<section class="actions"><a class="button" href="/sign-in?next='
            f'{e(request.url.path)}">{w._(T.SIGN_IN_TO_ACKNOWLEDGE_OR_RESOLVE)}</a>'
            "</section>"
        )
    person = site.person(request)
    handles = person is not None and may_handle(person, call.call_type)
    if person is None or not (handles or may_note(person, call.call_type)):
        refused = w._(T.YOUR_ROLE_DOES_NOT_HANDLE_THIS)
        return f'<section class="actions"><p>{refused}</p></section>'
    base = e(request.url.path)
    csrf = f'<input type="hidden" name="csrf" value="{e(visitor.csrf)}">'
    out = ['<section class="actions">']
    if handles and call.status == "raised":
        out.append(
            f'<form method="post" action="{base}/acknowledge">{csrf}'
            f'<button type="submit" class="primary" id="acknowledge">{w._(T.ACKNOWLEDGE)}'
            "</button></form>"
        )
    out.append(
        f'<form method="post" action="{base}/note" class="note">{csrf}'
        f'<label>{w._(T.NOTE)}<textarea name="text" id="note-text" maxlength="{NOTE_LIMIT}" '
        f'rows="2" required></textarea></label>'
        f'<button type="submit" id="add-note">{w._(T.ADD_A_NOTE)}</button></form>'
    )
    if handles:
        out.append(_resolve_form(w, call, base, csrf))
    out.append("</section>")
    return "".join(out)


def _resolve_form(w: Words, call: CallView, base: str, csrf: str) -> str:
    reasons = w.catalogue.reasons_for_call(call.call_type)
    required = call.call.reason_required
    return (
        f'<form method="post" action="{base}/resolve" class="resolve">{csrf}'
        f'<label>{w._(T.REASON)}<select name="reason" id="reason"'
        f"{' required' if required else ''}>{reason_options(w, reasons, required)}</select>"
        f"</label>"
        f'<label>{w._(T.NOTE)}<textarea name="note" id="note" maxlength="{NOTE_LIMIT}" '
        f'rows="2"></textarea></label>'
        f'<button type="submit" id="resolve">{w._(T.RESOLVE)}</button></form>'
    )
