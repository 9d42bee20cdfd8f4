"""The POSTs: sign in, sign out, acknowledge, note and resolve a call.

A call's command goes to its station on ``…/cmd/acknowledge``, ``…/cmd/note``
or ``…/cmd/resolve`` (docs/mqtt.md) with ``by`` the name the plant file gives the
person's badge, as a badge scan is journaled; the station stamps the time and
answers on ``reply``. The page shows the command pending until the station
confirms it, or the station's refusal.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from andon.i18n import N_
from andon.web.auth import csrf_ok, csrf_token, may_handle, may_note, start_session
from andon.web.pages.actions import NOTE_LIMIT
from andon.web.pages.calls import find_call
from andon.web.pages.shell import sign_in_form
from andon.web.pins import verify_pin
from andon.web.site import Site

log = logging.getLogger(__name__)


def _refused(site: Site, text: str, status: int) -> Response:
    return PlainTextResponse(site.words.t.gettext(text), status_code=status)


def _safe_next(target: object) -> str:
    """Only a path of this site (never ``//elsewhere`` or ``https://elsewhere``)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


async def sign_in_page(site: Site, request: Request) -> Response:
    target = _safe_next(request.query_params.get("next", "/"))
    html = sign_in_form(site.words, csrf_token(request.session), next_url=target)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


async def sign_in(site: Site, request: Request) -> Response:
    form = await request.form()
    if not csrf_ok(request.session, form.get("csrf")):
        return _refused(site, N_("The form has expired: reload the page and send it again."), 403)
    badge = str(form.get("badge", "")).strip()[:64]
    pin = str(form.get("pin", ""))
    target = _safe_next(form.get("next", "/"))
    address = request.client.host if request.client else "?"
    keys = (f"badge:{badge}", f"address:{address}")
    w = site.words
    if site.limiter.blocked(*keys):
        log.warning("sign-in refused for badge %r from %s: too many failures", badge, address)
        html = sign_in_form(
            w,
            csrf_token(request.session),
            w.t.gettext("Too many failed sign-ins: wait a few minutes and try again."),
            target,
        )
        return HTMLResponse(html, status_code=429)
    person = site.people.get(badge)
    if person is None or not verify_pin(pin, person.pin_hash):
        site.limiter.failed(*keys)
        log.info("sign-in failed for badge %r from %s", badge, address)
        html = sign_in_form(
            w, csrf_token(request.session), w.t.gettext("Unknown badge or wrong PIN."), target
        )
        return HTMLResponse(html, status_code=401)
    site.limiter.succeeded(keys[0])
    start_session(request.session, person)
    log.info("%s (badge %s) signed in from %s", person.name, badge, address)
    return RedirectResponse(target, status_code=303)


async def sign_out(site: Site, request: Request) -> Response:
    form = await request.form()
    if not csrf_ok(request.session, form.get("csrf")):
        return _refused(site, N_("The form has expired: reload the page and send it again."), 403)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


async def kiosk(site: Site, request: Request) -> Response:
    """A wall screen's link: a view-only session for the screen named by its token."""
    name = site.kiosk_tokens.get(request.path_params["token"])
    if name is None:
        return _refused(site, N_("Unknown kiosk link."), 403)
    request.session.clear()
    request.session["kiosk"] = name
    return RedirectResponse("/?kiosk=1", status_code=303)


async def call_command(site: Site, request: Request, name: str) -> Response:
    """``acknowledge``, ``note`` or ``resolve`` the call of the path, for the signed-in person."""
    form = await request.form()
    if not csrf_ok(request.session, form.get("csrf")):
        return _refused(site, N_("The form has expired: reload the page and send it again."), 403)
    person = site.person(request)
    if person is None:
        return _refused(site, N_("Sign in first."), 401)
    p = request.path_params
    call = find_call(site.view, p["line"], p["station"], p["call"])
    if call is None:
        return _refused(site, N_("This call is not among the calls of this shift."), 404)
    allowed = may_note if name == "note" else may_handle
    if not allowed(person, call.call_type):
        log.warning("%s may not %s %s (roles %s)", person.name, name, call.call_id, person.roles)
        return _refused(site, N_("Your role does not handle this call."), 403)
    args: dict[str, str] = {"call_id": call.call_id}
    if name == "note":
        text = str(form.get("text", "")).strip()
        if not text:
            return _refused(site, N_("Write the note first."), 400)
        if len(text) > NOTE_LIMIT:
            return _refused(site, N_("The note is too long (at most 500 characters)."), 400)
        args["text"] = text
    if name == "resolve":
        reason = str(form.get("reason", "")).strip()
        note = str(form.get("note", "")).strip()
        codes = {r.code for r in site.words.catalogue.reasons_for_call(call.call_type)}
        if reason and reason not in codes:
            return _refused(site, N_("Pick a reason from the list."), 400)
        if len(note) > NOTE_LIMIT:
            return _refused(site, N_("The note is too long (at most 500 characters)."), 400)
        if reason:
            args["reason"] = reason
        if note:
            args["note"] = note
    site.hub.send(call.station_path, name, args, person.name)
    log.info("%s sent %s for %s at %s", person.name, name, call.call_id, call.station_path)
    return RedirectResponse(request.url.path.rsplit("/", 1)[0], status_code=303)
