"""The acknowledge endpoint: turns an alert's link or reply code into an acknowledge command.

``GET /a/<token>``    a small page about the call with an "Acknowledge" button
                      (a GET never acknowledges: mail scanners and link previews
                      open links on their own)
``POST /a/<token>``   acknowledge (form field ``badge`` optional: who is acting)
``POST /reply``       a reply text holding a reply code, e.g. ``ACK 123456``; plain
                      text, a form (``text``, ``message``, ``body`` or ``Body``) or
                      JSON with one of those keys, as SMS gateways and chat bots post
``GET /health``       ``ok``

The server listens on loopback unless the notifier file allows otherwise; put a
TLS reverse proxy in front of it to reach it from phones.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from andon.i18n import N_, translator
from andon.i18n.fonts import font_stack, html_lang
from andon.notify.queue import Alert, AlertQueue
from andon.notify.text import ACK_PATH

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024
MAX_DRAINED = 1024 * 1024
REPLY_FIELDS = ("text", "message", "body", "Body")
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
NO_CALL_FOR_CODE = N_("no open call has this reply code")
NO_CODE_FOUND = N_("no reply code found")
"""What a reply without an open call's code gets back, in the plant's language."""


@dataclass(frozen=True)
class AckAnswer:
    """What the station said: accepted, refused (with its reason), or nothing in time."""

    accepted: bool | None
    message: str
    language: str = "en"


Acknowledge = Callable[[Alert, str], AckAnswer]
"""``acknowledge(alert, badge) -> answer``: send the command and wait for the reply."""
Describe = Callable[[Alert], tuple[str, str]]
"""``describe(alert) -> (title, body)``: the alert's words for the page."""
LanguageOf = Callable[[Alert], str]
"""``language_of(alert)``: the language its recipient reads (the page speaks it too)."""


def reply_code(text: str) -> str | None:
    """The first six-digit code in a reply text."""
    match = _CODE.search(text)
    return match.group(1) if match else None


class AckServer:
    """A small threaded HTTP server; ``port=0`` picks a free port."""

    def __init__(
        self,
        host: str,
        port: int,
        queue: AlertQueue,
        acknowledge: Acknowledge,
        describe: Describe,
        language_of: LanguageOf | None = None,
        default_language: str = "en",
    ) -> None:
        self.queue = queue
        self.acknowledge = acknowledge
        self.describe = describe
        self.language_of = language_of or (lambda alert: default_language)
        self.default_language = default_language
        handler = type("Handler", (_Handler,), {"server_app": self})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    def start(self) -> AckServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.1,), name="notify-ack-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_app: AckServer
    server_version = "andon-notify"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("ack endpoint: " + format, *args)

    # --- routing --------------------------------------------------------------

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self._send_text(HTTPStatus.OK, "ok\n")
        elif path.startswith(ACK_PATH):
            self._page(path[len(ACK_PATH) :])
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "not found\n")

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self._body()
        if body is None:
            return
        if path == "/reply":
            self._reply(body)
        elif path.startswith(ACK_PATH):
            fields = parse_qs(body.decode("utf-8", "replace"))
            badge = (fields.get("badge") or [""])[0].strip()
            self._acknowledge(path[len(ACK_PATH) :], badge)
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "not found\n")

    # --- handlers -------------------------------------------------------------

    def _unknown(self) -> None:
        language = self.server_app.default_language
        _ = translator(language).gettext
        invalid = html.escape(_("This link is not valid."))
        self._send_html(HTTPStatus.NOT_FOUND, _("Unknown alert"), f"<p>{invalid}</p>", language)

    def _page(self, token: str) -> None:
        alert = self.server_app.queue.by_token(token)
        if alert is None:
            self._unknown()
            return
        language = self.server_app.language_of(alert)
        _ = translator(language).gettext
        title, body = self.server_app.describe(alert)
        text = "<br>".join(html.escape(line) for line in body.splitlines())
        badge = html.escape(_("Your badge (optional)"))
        button = html.escape(_("Acknowledge"))
        form = (
            f'<form method="post"><label>{badge} '
            '<input name="badge" inputmode="numeric" size="10"></label> '
            f'<button type="submit">{button}</button></form>'
        )
        self._send_html(HTTPStatus.OK, title, f"<p>{text}</p>{form}", language)

    def _acknowledge(self, token: str, badge: str) -> None:
        alert = self.server_app.queue.by_token(token)
        if alert is None:
            self._unknown()
            return
        answer = self.server_app.acknowledge(alert, badge)
        status = HTTPStatus.OK if answer.accepted is not False else HTTPStatus.CONFLICT
        _ = translator(answer.language).gettext
        headings = {True: N_("Acknowledged"), False: N_("Not acknowledged"), None: N_("Sent")}
        heading = _(headings[answer.accepted])
        paragraph = f"<p>{html.escape(answer.message)}</p>"
        self._send_html(status, heading, paragraph, answer.language)

    def _reply(self, body: bytes) -> None:
        text = _reply_text(body, self.headers.get("Content-Type", ""))
        code = reply_code(text)
        alert = self.server_app.queue.by_code(code) if code else None
        if alert is None:
            _ = translator(self.server_app.default_language).gettext
            why = _(NO_CALL_FOR_CODE) if code else _(NO_CODE_FOUND)
            self._send_text(HTTPStatus.NOT_FOUND, why + "\n")
            return
        answer = self.server_app.acknowledge(alert, "")
        status = HTTPStatus.OK if answer.accepted is not False else HTTPStatus.CONFLICT
        self._send_text(status, answer.message + "\n")

    # --- plumbing -------------------------------------------------------------

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            if MAX_BODY < length <= MAX_DRAINED:  # read it, so the answer is not lost in a reset
                self.rfile.read(length)
            self.close_connection = True
            self._send_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large\n")
            return None
        return self.rfile.read(length)

    def _send_text(self, status: HTTPStatus, text: str) -> None:
        self._send(status, text.encode(), "text/plain; charset=utf-8")

    def _send_html(
        self, status: HTTPStatus, title: str, content: str, language: str = "en"
    ) -> None:
        page = (
            f"<!doctype html><html lang='{html_lang(language)}'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<style>body{{font-family:{font_stack(language)}}}</style>"
            f"<title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{content}</body></html>"
        )
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _send(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def _reply_text(body: bytes, content_type: str) -> str:
    """The text of a reply, whichever way the gateway posts it."""
    text = body.decode("utf-8", "replace")
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return text
        if isinstance(data, dict):
            return " ".join(str(data[f]) for f in REPLY_FIELDS if isinstance(data.get(f), str))
        return text
    if kind == "application/x-www-form-urlencoded":
        fields = parse_qs(text)
        return " ".join(v for f in REPLY_FIELDS for v in fields.get(f, []))
    return text
