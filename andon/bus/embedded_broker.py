"""An MQTT broker inside the process (amqtt), for the demo and single-Pi installs.

It runs on its own thread with its own asyncio loop, listens on loopback
unless told otherwise, and supports what the andon contract needs: QoS 1,
retained messages and Last Will. Production sites use Mosquitto (``deploy/``).

Behaviour of amqtt 0.12 worth knowing (and what this module does about it):

* Its default configuration listens on ``0.0.0.0:1883``; this module always
  passes an explicit listener.
* Its anonymous-login plugin marks every session anonymous, and amqtt forgets
  anonymous sessions when they disconnect (amqtt pull request 248), so
  ``clean_session=False`` would not keep subscriptions or queue QoS 1 messages
  for an offline client. This module uses :class:`OpenAccessPlugin` instead,
  which admits every client without marking it anonymous; sessions left
  behind expire after ``session_expiry_s``.
* On every connection amqtt sends the new client the retained messages of
  every topic filter that any client subscribed to, not only its own (so a
  client receives topics it never asked for, and a subscriber receives a
  retained message twice): the loop over ``Broker._subscriptions`` that
  Yakifo/amqtt#248 (https://github.com/Yakifo/amqtt/pull/248) added to the
  connection handler. The broker here overrides one private method,
  ``_publish_retained_messages_for_subscription``, to send retained messages
  only for the client's own subscriptions;
  ``tests/bus/test_embedded_broker.py`` runs amqtt's own broker too and fails
  once upstream no longer has the bug (then the override goes).
* Older amqtt releases also sent the Last Will on a clean DISCONNECT (amqtt
  issue 199); 0.12 does not, and the tests check it against both brokers.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import threading
from dataclasses import dataclass
from typing import Any

from amqtt.plugins.base import BaseAuthPlugin  # type: ignore[import-untyped]
from amqtt.session import Session  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0


class BrokerStartError(RuntimeError):
    """The embedded broker could not start (port taken, bad address …)."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OpenAccessPlugin(BaseAuthPlugin):  # type: ignore[misc]
    """Admits every client and keeps persistent sessions (see the module notes)."""

    @dataclass
    class Config:
        """No options."""

    async def authenticate(self, *, session: Session) -> bool | None:
        return True


class EmbeddedBroker:
    """amqtt on a background thread: ``start()``, ``stop()`` or ``with``.

    ``port=0`` picks a free port; :attr:`port` tells which after ``start()``.
    A host that is not loopback is refused unless ``allow_remote`` is True.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 1883,
        *,
        allow_remote: bool = False,
        session_expiry_s: int = 3600,
        quiet: bool = True,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise ValueError(
                f"refusing to listen on {host!r}: not a loopback address "
                "(allow it explicitly to serve other machines)"
            )
        if not 0 <= port <= 65535:
            raise ValueError(f"port: expected 0..65535, got {port}")
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._session_expiry_s = session_expiry_s
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        if quiet:
            for name in ("amqtt", "transitions"):
                logger = logging.getLogger(name)
                if logger.level == logging.NOTSET:
                    logger.setLevel(logging.WARNING)

    @property
    def port(self) -> int:
        """The port it listens on (known once started)."""
        if self._port is None:
            raise RuntimeError("the broker is not started")
        return self._port

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._port is not None

    def config(self, port: int) -> dict[str, Any]:
        """The amqtt configuration: one TCP listener, open access, no $SYS topics."""
        bind = f"[{self.host}]:{port}" if ":" in self.host else f"{self.host}:{port}"
        return {
            "listeners": {"default": {"type": "tcp", "bind": bind}},
            "session_expiry_interval": self._session_expiry_s,
            "plugins": {f"{__name__}.OpenAccessPlugin": {}},
        }

    def start(self, timeout: float = START_TIMEOUT_S) -> EmbeddedBroker:
        """Start listening; returns once clients can connect."""
        if self._thread is not None:
            raise RuntimeError("the broker is already started")
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._run, name="embedded-broker", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise BrokerStartError(f"broker did not start within {timeout} s")
        if self._error is not None:
            error = self._error
            self._thread.join(timeout)
            self._thread = None
            raise BrokerStartError(
                f"cannot listen on {self.host}:{self._requested_port}: {error}"
            ) from error
        log.info("embedded broker listening on %s:%s", self.host, self._port)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Close every connection and stop the thread (idempotent)."""
        thread, loop, stop_event = self._thread, self._loop, self._stop_event
        if thread is None:
            return
        if loop is not None and stop_event is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stop_event.set)
        thread.join(timeout)
        if thread.is_alive():
            log.error("embedded broker did not stop within %s s", timeout)
        self._thread = None
        self._port = None

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the broker thread ----------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start(); the thread must end quietly
            if not self._ready.is_set():
                self._error = exc
            else:
                log.exception("embedded broker failed")
        finally:
            self._ready.set()
            loop.close()
            self._loop = None

    async def _serve(self) -> None:
        from amqtt.errors import BrokerError  # type: ignore[import-untyped]

        self._stop_event = asyncio.Event()
        attempts = 1 if self._requested_port else 3
        for attempt in range(1, attempts + 1):
            port = self._requested_port or _free_port(self.host)
            broker = _broker_class()(self.config(port))
            try:
                await broker.start()
                break
            except BrokerError:
                if attempt == attempts:
                    raise
                log.debug("port %s was taken meanwhile; trying another", port)
        self._port = port
        self._ready.set()
        try:
            await self._stop_event.wait()
        finally:
            await broker.shutdown()


_BROKER_CLASS: type[Any] | None = None


def _broker_class() -> type[Any]:
    """amqtt's broker, sending retained messages only for the client's own subscriptions."""
    global _BROKER_CLASS
    if _BROKER_CLASS is None:
        from amqtt.broker import Broker  # type: ignore[import-untyped]  # heavy: lazily

        class OwnRetainedBroker(Broker):  # type: ignore[misc]
            async def _publish_retained_messages_for_subscription(
                self, subscription: tuple[str, int], session: Session
            ) -> None:
                topic_filter = subscription[0]
                subscribers = self._subscriptions.get(topic_filter, ())
                if any(s.client_id == session.client_id for s, _ in subscribers):
                    await super()._publish_retained_messages_for_subscription(subscription, session)

        _BROKER_CLASS = OwnRetainedBroker
    return _BROKER_CLASS


def _free_port(host: str) -> int:
    """A port the OS considers free now (amqtt cannot report a port chosen by bind)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
