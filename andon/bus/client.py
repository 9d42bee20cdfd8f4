"""A small MQTT client for stations and consumers, on paho-mqtt 2.x (MQTT 3.1.1).

* Starting never blocks and never fails because the broker is down: the
  network thread connects in the background and reconnects with exponential
  backoff (``reconnect_min_s`` doubling up to ``reconnect_max_s``).
* :meth:`BusClient.publish` returns a :class:`Delivery` that completes when
  the broker acknowledged the message (PUBACK for QoS 1; for QoS 0 when it was
  written to the socket). A station's outbox marks an event published only then.
* Subscriptions are remembered and made again after a reconnect, except those a
  persistent session still holds (:mod:`andon.bus.session_subs`: subscribing
  again has the broker resend every retained message); each message goes to
  the handlers whose pattern matches its topic. A handler that
  raises is logged and never stops the network thread. Handlers run on that
  thread: keep them short (hand work over to a queue).
* QoS 1 messages published while disconnected wait in paho (in memory) and
  go out after the reconnect; a station also republishes from its outbox, so
  consumers de-duplicate (by station and sequence number). An outbox had
  better publish only while :attr:`BusClient.connected` and re-drive itself
  from ``on_connect``, so a long outage does not pile up in memory.

Example::

    with BusClient(BrokerSettings(port=1883)) as bus:
        bus.subscribe("andon/+/+/+/+/events", lambda m: print(m.topic, m.json()))
        bus.publish("andon/p1/a1/l1/s1/events", {"seq": 1}).wait(5)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from andon.bus.credentials import BrokerSettings, CredentialsError
from andon.bus.delivery import Delivery, call_safely
from andon.bus.message import Message, Payload, Will, encode_payload
from andon.bus.network import Network
from andon.bus.paho_client import paho_client
from andon.bus.routing import Handler, Routes, Subscription, check_filter, check_topic
from andon.bus.session_subs import SAVED_S, SessionSubscriptions, Subscriptions

__all__ = ["BusClient", "Delivery", "Handler", "Message", "Payload", "Will", "encode_payload"]

log = logging.getLogger(__name__)


class BusClient:
    """One MQTT connection with reconnect, acknowledged publishing and lasting subscriptions.

    ``on_connect(session_present)`` and ``on_disconnect(reason)`` are called on
    the network thread after each (re)connection and loss of connection.
    """

    def __init__(
        self,
        settings: BrokerSettings,
        *,
        will: Will | None = None,
        on_connect: Callable[[bool], None] | None = None,
        on_disconnect: Callable[[str], None] | None = None,
        session_saved_s: float = SAVED_S,
    ) -> None:
        self.settings = settings
        self.will = will
        self.on_connect = on_connect
        self.on_disconnect = on_disconnect
        self.connects = 0
        """Successful connections so far (the first one and every reconnect)."""
        self._state = threading.Condition()
        self._connected = False
        self._last_error: str | None = None
        self._started = False
        self._closed = False
        self._drained = False
        self._lock = threading.Lock()
        self._pending: dict[int, Delivery] = {}
        self._early_acks: dict[int, str | None] = {}
        self._ready = False
        """Connected, and the connection's own subscribe sent (see wait_subscribed)."""
        self._unacked_subs: set[int] = set()
        self._early_subacks: set[int] = set()
        self._routes = Routes()
        self.session = SessionSubscriptions(session_saved_s)
        """What the broker holds of the persistent session: not subscribed again."""
        self._subs = self._routes.subscriptions
        self._network: Network | None = None
        self._mqtt = self._build()

    # --- set-up ---------------------------------------------------------------

    def _build(self) -> mqtt.Client:
        client = paho_client(self.settings, self.will)
        client.on_pre_connect = self._handle_pre_connect
        client.on_connect = self._handle_connect
        client.on_disconnect = self._handle_disconnect
        client.on_connect_fail = self._handle_connect_fail
        client.on_publish = self._handle_publish
        client.on_subscribe = self._handle_subscribe
        client.on_message = self._handle_message
        return client

    def start(self, network: Network | None = None) -> BusClient:
        """Begin connecting in the background; returns at once.

        The network is paho's own thread, or ``network`` (an asyncio loop's:
        :class:`andon.bus.network.LoopNetwork`). Raises :class:`CredentialsError`
        when the password file cannot be read.
        """
        if self._closed:
            raise RuntimeError("client is closed")
        if self._started:
            return self
        if self.settings.username:
            self._mqtt.username_pw_set(self.settings.username, self.settings.password())
        self._mqtt.connect_async(
            self.settings.host, self.settings.port, keepalive=self.settings.keepalive_s
        )
        self._started = True
        self._network = network
        if network is None:
            self._mqtt.loop_start()
        else:
            network.start(self._mqtt)
        return self

    def __enter__(self) -> BusClient:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- state ----------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Connected and accepted by the broker."""
        return self._connected

    @property
    def last_error(self) -> str | None:
        """Why the last connection attempt failed or the connection was lost."""
        return self._last_error

    def wait_connected(self, timeout: float | None = None) -> bool:
        """Wait until connected; False on timeout."""
        with self._state:
            return self._state.wait_for(lambda: self._connected, timeout)

    def wait_subscribed(self, timeout: float | None = None) -> bool:
        """Wait until connected and the broker has acknowledged every subscription sent
        (SUBACK), so a message published from now on reaches the handlers; False on timeout."""
        with self._state:
            return self._state.wait_for(
                lambda: self._ready and self._connected and not self._unacked_subs, timeout
            )

    def _note_subscribe(self, sent: tuple[Any, int | None], subs: Subscriptions) -> None:
        """Remember a subscribe's message id until its SUBACK comes (it may come first)."""
        mid = sent[1]
        if mid is None:
            return
        self.session.sent(mid, subs)
        with self._state:
            if mid in self._early_subacks:
                self._early_subacks.discard(mid)
            else:
                self._unacked_subs.add(mid)

    def wait_disconnected(self, timeout: float | None = None) -> bool:
        """Wait until the connection is lost or refused; False on timeout."""
        with self._state:
            return self._state.wait_for(lambda: not self._connected, timeout)

    # --- publishing -----------------------------------------------------------

    def publish(
        self,
        topic: str,
        payload: Payload,
        qos: int = 1,
        retain: bool = False,
        on_acked: Callable[[Delivery], None] | None = None,
    ) -> Delivery:
        """Publish; the returned :class:`Delivery` completes on the broker's acknowledgement.

        ``on_acked(delivery)`` is called once it completes (check
        ``delivery.acknowledged``). A QoS 0 message published while disconnected
        fails at once; a QoS 1 message waits for the reconnect.
        """
        if self._closed:
            raise RuntimeError("client is closed")
        check_topic(topic)
        if qos not in (0, 1, 2):
            raise ValueError(f"qos: expected 0, 1 or 2, got {qos!r}")
        data = encode_payload(payload)
        delivery = Delivery(topic, qos, retain)
        if on_acked is not None:
            delivery.add_done_callback(on_acked)
        info = self._mqtt.publish(topic, data, qos=qos, retain=retain)
        delivery.mid = info.mid
        queued = info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS or (
            qos > 0 and info.rc == MQTTErrorCode.MQTT_ERR_NO_CONN
        )
        if not queued:
            delivery._finish(f"not sent: {mqtt.error_string(info.rc)}")
            return delivery
        with self._lock:
            early = info.mid in self._early_acks
            error = self._early_acks.pop(info.mid, None)
            if self._drained:  # close() ran meanwhile: nobody will acknowledge it
                early, error = True, "client closed before the broker acknowledged"
            elif not early:
                self._pending[info.mid] = delivery
        if early:
            delivery._finish(error)
        return delivery

    def _handle_publish(
        self,
        client: mqtt.Client,
        userdata: Any,
        mid: int,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        error = f"refused by broker: {reason_code}" if reason_code.is_failure else None
        with self._lock:
            delivery = self._pending.pop(mid, None)
            if delivery is None:
                # The acknowledgement overtook publish() returning the message id.
                self._early_acks[mid] = error
                return
        delivery._finish(error)

    # --- subscribing ----------------------------------------------------------

    def subscribe(self, pattern: str, handler: Handler, qos: int = 1) -> None:
        """Call ``handler(message)`` for every message matching ``pattern``, across reconnects."""
        if self._closed:
            raise RuntimeError("client is closed")
        if qos not in (0, 1, 2):
            raise ValueError(f"qos: expected 0, 1 or 2, got {qos!r}")
        check_filter(pattern)
        with self._lock:
            sub = self._subs.get(pattern)
            new = sub is None or qos > sub.qos
            if sub is None:
                sub = self._subs[pattern] = Subscription(qos)
            sub.qos = max(sub.qos, qos)
            sub.handlers.append(handler)
            self._routes.changed()
            # While disconnected, the next connection subscribes; never both, because
            # subscribing twice makes the broker send retained messages twice.
            send_now = new and self._connected
            qos = sub.qos
        if send_now:
            self._note_subscribe(self._mqtt.subscribe(pattern, qos), [(pattern, qos)])

    def unsubscribe(self, pattern: str, handler: Handler | None = None) -> None:
        """Stop calling ``handler`` (all handlers when ``None``) for ``pattern``."""
        with self._lock:
            sub = self._subs.get(pattern)
            if sub is None:
                return
            self._routes.changed()
            if handler is not None and handler in sub.handlers:
                sub.handlers.remove(handler)
            if handler is None or not sub.handlers:
                del self._subs[pattern]
                self.session.dropped(pattern)
                gone = True
            else:
                gone = False
        if gone and self._connected and not self._closed:
            self._mqtt.unsubscribe(pattern)

    def _handle_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            topic = msg.topic
        except UnicodeDecodeError:
            log.warning("dropped a message whose topic is not UTF-8")
            return
        message = Message(topic, bytes(msg.payload), msg.qos, bool(msg.retain))
        with self._lock:
            handlers = self._routes.handlers(topic)
        if not handlers:
            log.debug("no handler for %s", topic)
        for handler in handlers:
            try:
                handler(message)
            except Exception:
                log.exception("handler %r failed on %s", handler, topic)

    def _handle_subscribe(
        self,
        client: mqtt.Client,
        userdata: Any,
        mid: int,
        reason_codes: list[ReasonCode],
        properties: Properties | None,
    ) -> None:
        self.session.acked(mid, reason_codes)
        with self._state:
            if mid in self._unacked_subs:
                self._unacked_subs.discard(mid)
            else:
                self._early_subacks.add(mid)
            self._state.notify_all()
        for code in reason_codes:
            if code.is_failure:
                log.error("broker %s refused a subscription: %s", self.settings.endpoint, code)

    # --- connection -----------------------------------------------------------

    def _handle_pre_connect(self, client: mqtt.Client, userdata: Any) -> None:
        if not self.settings.username:
            return
        try:
            client.username_pw_set(self.settings.username, self.settings.password())
        except CredentialsError as exc:
            log.error("%s; trying with the password read before", exc)

    def _handle_connect(
        self,
        client: mqtt.Client,
        userdata: Any,
        flags: mqtt.ConnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if reason_code.is_failure:
            self._set_state(False, f"connection refused: {reason_code}")
            log.warning("broker %s refused the connection: %s", self.settings.endpoint, reason_code)
            return
        with self._state:
            self._ready = False
            self._unacked_subs.clear()  # those of a lost connection are never acknowledged
            self._early_subacks.clear()
        with self._lock:
            subs = [(pattern, sub.qos) for pattern, sub in self._subs.items()]
            self._connected = True
        # Back in a persistent session, what it still holds is not subscribed again:
        # each SUBSCRIBE has the broker resend every retained message under it.
        subs = self.session.to_send(subs, bool(flags.session_present))
        if subs:
            self._note_subscribe(client.subscribe(subs), subs)
        self.connects += 1
        log.info("connected to %s", self.settings.endpoint)
        self._set_state(True, None)
        if self.on_connect is not None:
            call_safely(self.on_connect, bool(flags.session_present))

    def _handle_disconnect(
        self,
        client: mqtt.Client,
        userdata: Any,
        flags: mqtt.DisconnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        was_connected = self._connected
        reason = str(reason_code)
        if not was_connected:
            # A refused or failed attempt: keep the reason already recorded.
            self._set_state(False, None)
            return
        self.session.lost()
        self._set_state(False, None if self._closed else f"disconnected: {reason}")
        if not self._closed:
            log.warning("lost connection to %s: %s", self.settings.endpoint, reason)
        if self.on_disconnect is not None:
            call_safely(self.on_disconnect, reason)

    def _handle_connect_fail(self, client: mqtt.Client, userdata: Any) -> None:
        self._set_state(False, f"cannot connect to {self.settings.endpoint}")
        log.debug("cannot connect to %s; retrying", self.settings.endpoint)

    def _set_state(self, connected: bool, error: str | None) -> None:
        with self._lock:
            self._connected = connected
        with self._state:
            self._ready = connected
            if error is not None or connected:
                self._last_error = error
            self._state.notify_all()

    # --- shutdown -------------------------------------------------------------

    def close(self, timeout: float = 2.0, announce_will: bool = True) -> None:
        """Disconnect and stop the network thread; pending deliveries fail.

        With ``announce_will`` the Last Will is published first (a clean
        disconnect suppresses it), so consumers see "offline" either way.
        """
        if self._closed:
            return
        if self._started and announce_will and self.will is not None and self._connected:
            will = self.will
            self.publish(will.topic, will.payload, qos=will.qos, retain=will.retain).wait(timeout)
        self._closed = True
        if self._started:
            self._mqtt.disconnect()
            if self._network is None:
                self._mqtt.loop_stop()
            else:
                self._network.stop(timeout)
        with self._lock:
            pending, self._pending = self._pending, {}
            self._early_acks.clear()
            self._drained = True
        for delivery in pending.values():
            delivery._finish("client closed before the broker acknowledged")
        self._set_state(False, None)
