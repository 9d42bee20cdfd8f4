"""Real receivers on loopback: an SMTP server (aiosmtpd) and an HTTP endpoint for webhooks."""

from __future__ import annotations

import asyncio
import email
import json
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Mail:
    """One message the SMTP server accepted."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def alert_id(self) -> str:
        return str(self.message["X-Andon-Alert"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())


class MailBox:
    """The SMTP handler: keeps accepted mail; can hold one message and then refuse it.

    ``hold_number(n)`` makes the n-th DATA wait (the client is mid-delivery) until
    ``release()``, then answer ``451`` (not accepted), as a server would that never
    committed the message.
    """

    def __init__(self) -> None:
        self.accepted: list[Mail] = []
        self.data_seen = 0
        self._cond = threading.Condition()
        self._hold_number: int | None = None
        self.holding = threading.Event()
        self._released = threading.Event()

    def hold_number(self, number: int) -> None:
        self._hold_number = number

    def release(self) -> None:
        self._released.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._cond:
            self.data_seen += 1
            number = self.data_seen
        if number == self._hold_number:
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 not stored, try again later"
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        mail = Mail(envelope.mail_from, tuple(envelope.rcpt_tos), message)
        with self._cond:
            self.accepted.append(mail)
            self._cond.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Mail]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.accepted) >= count, timeout)
            return list(self.accepted)


class SmtpServer:
    def __init__(self) -> None:
        self.box = MailBox()
        self.port = free_port()
        self._controller = Controller(self.box, hostname=HOST, port=self.port)

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self.box.release()
        self._controller.stop()

    def url(self, to: str = "{to}") -> str:
        """An Apprise URL for this server (no TLS, no login: a loopback test server)."""
        return f"mailto://{HOST}:{self.port}?from=andon@example.com&to={to}"


@dataclass(frozen=True)
class Post:
    """One request the webhook endpoint received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class WebhookServer:
    """Receives Apprise ``json://`` posts and keeps them."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self._cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with outer._cond:
                    outer.posts.append(Post(self.path, dict(self.headers), body))
                    outer._cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._httpd = ThreadingHTTPServer((HOST, 0), Handler)
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> WebhookServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._thread.join(5)
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return f"json://{HOST}:{self.port}{path}"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Post]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.posts) >= count, timeout)
            return list(self.posts)


def wait_until(predicate: Any, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
