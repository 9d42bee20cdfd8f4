"""The Starlette application: pages, their event streams, sign-in and call commands.

``GET /``, ``/line/<id>``, ``/calls``, ``/store``, ``/call/<line>/<station>/<call>``,
``/history``: pages; ``GET /events/<page path>``: the page's live part as
server-sent events; ``POST /sign-in``, ``/sign-out``, ``…/acknowledge``, ``…/note``,
``…/resolve``: forms with a CSRF token; ``GET /kiosk/<token>``: a wall screen's
view-only session; ``GET /health``; ``/static/…``: the stylesheet and script,
served by andon (nothing from the internet).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from andon.web import commands
from andon.web.routes import page_handler, stream_handler
from andon.web.site import Site

STATIC = Path(__file__).resolve().parent / "static"
PAGES = (
    ("/", "overview"),
    ("/calls", "calls"),
    ("/store", "store"),
    ("/line/{line}", "line"),
    ("/call/{line}/{station}/{call}", "call"),
)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def build_app(site: Site, secret: str | bytes, *, https: bool) -> Starlette:
    """The app for ``site``; cookies are signed with ``secret`` (``Secure`` with ``https``)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await site.hub.start()
        try:
            yield
        finally:
            await site.hub.stop()

    def bound(handler, *extra):  # type: ignore[no-untyped-def]
        async def endpoint(request: Request) -> Response:
            return await handler(site, request, *extra)

        return endpoint

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    routes: list[Route | Mount] = []
    for path, kind in PAGES:
        routes.append(Route(path, page_handler(site, kind)))  # type: ignore[arg-type]
        stream_path = "/events" + ("/overview" if path == "/" else path)
        routes.append(Route(stream_path, stream_handler(site, kind)))  # type: ignore[arg-type]
    call = "/call/{line}/{station}/{call}"
    routes += [
        Route("/sign-in", bound(commands.sign_in_page), methods=["GET"]),
        Route("/sign-in", bound(commands.sign_in), methods=["POST"]),
        Route("/sign-out", bound(commands.sign_out), methods=["POST"]),
        Route("/kiosk/{token}", bound(commands.kiosk), methods=["GET"]),
        Route(f"{call}/acknowledge", bound(commands.call_command, "acknowledge"), methods=["POST"]),
        Route(f"{call}/note", bound(commands.call_command, "note"), methods=["POST"]),
        Route(f"{call}/resolve", bound(commands.call_command, "resolve"), methods=["POST"]),
        Route("/health", health),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    if site.history is not None:
        routes.append(Route("/history", bound(site.history.page), methods=["GET"]))
        routes.append(Route("/history/report", bound(site.history.report), methods=["GET"]))
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=secret if isinstance(secret, str) else secret.hex(),
            session_cookie="andon_session",
            max_age=int(site.session_s),
            same_site="lax",
            https_only=https,
        )
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders), *middleware],
        lifespan=lifespan,
    )


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response (plain ASGI: streams pass through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
            await send(message)

        await self.app(scope, receive, with_headers)
