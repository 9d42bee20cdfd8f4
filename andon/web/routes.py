"""The pages and their event streams: one renderer per page, shared by both."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)

from andon.board.views import BoardView
from andon.web.auth import may_handle
from andon.web.pages import calls, lines, shell
from andon.web.pages.actions import call_actions
from andon.web.parts import Part
from andon.web.site import Site

STREAM_TIMEOUT_S = 5.0
"""A viewer hears something at least this often, even from an idle plant."""
RETRY_MS = 1000
TICK_EVERY_S = 1.0
"""A viewer whose page did not change hears a tick at most this often."""


@dataclass(frozen=True)
class PageSpec:
    """One page: its cache key, title, live body and event stream."""

    key: tuple[str, ...]
    title: str
    body: Callable[[BoardView], Part]
    stream: str


def spec(site: Site, kind: str, request: Request) -> PageSpec | None:
    """The page ``kind`` with the path's parameters; ``None`` when there is no such page."""
    w = site.words
    p = request.path_params
    if kind == "overview":
        return PageSpec(("overview",), w.t.gettext("Overview"), lambda v: lines.overview(w, v), "")
    if kind == "calls":
        return PageSpec(("calls",), w.t.gettext("Open calls"), lambda v: calls.calls_page(w, v), "")
    if kind == "store":
        return PageSpec(
            ("store",), w.t.gettext("Material calls"), lambda v: calls.store_page(w, v), ""
        )
    if kind == "line":
        line_id = p["line"]
        info = site.hub.catalogue.line(line_id)
        if info is None:
            return None
        return PageSpec(("line", line_id), info.name, lambda v: lines.line_page(w, v, line_id), "")
    if kind == "call":
        line_id, station, call_id = p["line"], p["station"], p["call"]
        if site.hub.catalogue.line(line_id) is None:
            return None
        return PageSpec(
            ("call", line_id, station, call_id),
            call_id,
            lambda v: calls.call_detail(w, v, line_id, station, call_id),
            "",
        )
    return None


def _stream_url(request: Request) -> str:
    path = request.url.path
    return "/events" + ("/overview" if path == "/" else quote(path))


def live_part(site: Site, page: PageSpec, view: BoardView) -> Part:
    return shell.live(site.words, view, page.body(view))


def _live(site: Site, page: PageSpec) -> str:
    return site.hub.rendered(page.key, lambda v: live_part(site, page, v))


def page_handler(site: Site, kind: str) -> Callable[[Request], object]:
    async def handle(request: Request) -> Response:
        if not site.may_view(request):
            target = quote(request.url.path)
            return RedirectResponse(f"/sign-in?next={target}", status_code=303)
        page = spec(site, kind, request)
        if page is None:
            return PlainTextResponse(site.words.t.gettext("No such page."), status_code=404)
        visitor = site.visitor(request)
        after = ""
        if kind == "call":
            after = call_actions(site, request, visitor)
        html = shell.page(
            site.words,
            page.title,
            _live(site, page),
            _stream_url(request),
            visitor,
            lines=site.lines(),
            history=site.history is not None,
            after=after,
        )
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    return handle


def stream_handler(site: Site, kind: str) -> Callable[[Request], object]:
    async def handle(request: Request) -> Response:
        if not site.may_view(request):
            return PlainTextResponse("sign in first", status_code=401)
        page = spec(site, kind, request)
        if page is None:
            return PlainTextResponse("no such page", status_code=404)
        return StreamingResponse(
            _events(site, page),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return handle


async def _events(site: Site, page: PageSpec) -> AsyncIterator[bytes]:
    """The live part at once (a reconnecting page catches up), then what changed.

    Each generation is rendered, compared with the one before and framed once for
    every viewer of the page (:meth:`Hub.frame`): a viewer that has the previous
    version gets the changed parts, one that fell behind (a slow socket skips
    generations) the whole live part, so it never holds up the others. A page that
    did not change costs nothing but a ``tick`` now and then, so the browser knows
    the stream is alive.
    """
    hub = site.hub
    hub.viewers += 1
    sent = -1
    generation = -1
    wrote = time.monotonic()
    try:
        yield f"retry: {RETRY_MS}\n\n".encode()
        while not hub.closing:
            generation = await hub.next_generation(generation, STREAM_TIMEOUT_S)
            if hub.closing:
                return
            frame = hub.frame(page.key, lambda v: live_part(site, page, v))
            if frame.version == sent:
                if time.monotonic() - wrote < TICK_EVERY_S:
                    continue
                chunk = hub.tick_frame()
            elif sent != -1 and frame.base == sent:
                chunk = frame.update
            else:
                chunk = frame.whole
            sent = frame.version
            wrote = time.monotonic()
            yield chunk
    finally:
        hub.viewers -= 1


def allowed(site: Site, request: Request, call_type: str) -> bool:
    person = site.person(request)
    return person is not None and may_handle(person, call_type)
