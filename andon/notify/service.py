"""The notifier, wired: bus → call book → router → queue → channel workers → bus.

Threads and what they own:

* the bus's network thread only hands messages over (and wakes acknowledge pages
  waiting for a station's reply);
* the loop thread folds events and state snapshots, queues alerts, cancels them,
  asks stations for replays and publishes delivery outcomes;
* one worker thread per channel sends alerts (:mod:`andon.notify.worker`);
* the acknowledge endpoint's threads publish acknowledge commands.

Every decision that must survive a restart is in the SQLite queue.
"""

from __future__ import annotations

import logging
import queue as queues
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from andon import __version__
from andon.bus.client import BusClient, Delivery, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import (
    encode,
    status_message,
)
from andon.bus.sequence import SequenceTracker
from andon.bus.topics import ConsumerAddress, StationFilter, parse
from andon.config.broker import account_name, bound_client_id
from andon.config.notify import NotifyFile
from andon.domain.events import format_instant
from andon.notify.ack_server import AckServer
from andon.notify.acknowledging import Acknowledging, Waiter
from andon.notify.calls import (
    UNACKNOWLEDGED,
    Acknowledged,
    CallBook,
    Change,
    Closed,
    Escalation,
)
from andon.notify.channels import Send
from andon.notify.clock import Clock, SystemClock
from andon.notify.deliveries import deliveries_topic, delivery_message
from andon.notify.outcomes import ACKNOWLEDGED_FIRST, closed_before
from andon.notify.queue import AlertQueue, AlertSpec, Status
from andon.notify.routing import Router, Target, Unreachable
from andon.notify.stream import StationStream
from andon.notify.text import AlertWriter
from andon.notify.worker import ChannelWorker

log = logging.getLogger(__name__)

LOOP_S = 1.0
"""The loop's heartbeat: replay requests and outcomes that still wait are retried."""
STOP_WAIT_S = 8.0
"""How long a stop waits for the channels to finish the alerts in hand (together)."""
STARTUP_WAIT_S = 3.0
"""At start, alerts wait this long at most for the state of their stations (see start)."""


def notifier_client_id(config: NotifyFile) -> str:
    """The notifier's MQTT client id: its bundle's; ``andon-notify-<id>`` unprovisioned.
    Raises :class:`~andon.config.errors.ConfigError` naming the plant copy and
    ``broker.client_id`` for a bundle from before the broker bound notifiers."""
    account = account_name("notifier", config.id)
    return bound_client_id(config.plant_config.broker, account, config.plant) or (
        f"andon-notify-{config.id}"
    )


class Notifier(StationStream, Acknowledging):
    """One ``andon notify`` process."""

    def __init__(
        self,
        config: NotifyFile,
        senders: Mapping[str, Send],
        *,
        broker: BrokerSettings | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.config = config
        self.plant = config.plant_config
        self.clock: Clock = clock or SystemClock()
        site = self.plant.site
        self.prefix = site.topic_prefix
        self.me = ConsumerAddress(self.prefix, site.id, "notifier", config.id)
        self.deliveries_topic = deliveries_topic(self.prefix, site.id, config.id)
        self.broker = broker or BrokerSettings.from_config(
            self.plant.broker, client_id=notifier_client_id(config)
        )
        missing = [c.id for c in config.channels if c.id not in senders]
        if missing:
            raise ValueError(f"no sender for channels {missing}")
        self.senders = dict(senders)
        self.queue = AlertQueue(config.queue_path)
        self.book = CallBook(self.plant)
        self.router = Router(config, self.plant)
        self._trackers: dict[str, SequenceTracker[Any]] = {}
        self.server: AckServer | None = None
        self.writer = AlertWriter(self.plant, None, self._language_of, config.web_url)
        self.workers: dict[str, ChannelWorker] = {}
        self.bus: BusClient | None = None
        self._seen: set[str] = set()
        """Stations whose event stream has a starting point."""
        self._synced: set[str] = set()
        """Stations whose state snapshot was read since the start."""
        self._first_ids: dict[str, str] = {}
        """The id of each station's event 1, when seen."""
        self._inbox: queues.SimpleQueue[Callable[[], None]] = queues.SimpleQueue()
        self._stop = threading.Event()
        self._stopped = False
        self._workers_started = False
        self._held_for: set[str] = set()
        self._hold_until = 0.0
        self._thread: threading.Thread | None = None
        self._in_flight: set[int] = set()
        self._waiters: dict[str, Waiter] = {}
        self._waiters_lock = threading.Lock()
        self.rejected: Counter[str] = Counter()
        """Payloads refused, per kind of message (``event``, ``state``, ``reply``)."""
        self._rejected_lock = threading.Lock()

    # --- life -------------------------------------------------------------------

    def start(self) -> Notifier:
        """Recover the queue, start the endpoint, the bus and the loop, then the channels.

        Alerts left in the queue are held until the retained state of their
        stations has been read (at most :data:`STARTUP_WAIT_S`), so an alert of a
        call closed while the notifier was down is cancelled instead of sent.
        """
        policies = {c.id: c.interrupted for c in self.config.channels}
        for alert in self.queue.recover(policies, self.clock.now()):
            log.warning(
                "alert %s (%s, call %s) was interrupted while sending: %s",
                alert.id,
                alert.spec.channel,
                alert.spec.call_id,
                "sending again" if alert.status is Status.PENDING else "reported failed",
            )
        listen = self.config.listen_address()
        if listen is not None:
            self.server = AckServer(
                listen[0],
                listen[1],
                self.queue,
                self.acknowledge,
                self._describe,
                lambda alert: self._language_of(alert.spec),
                self.plant.site.language,
            ).start()
            host, port = self.server.address
            base = self.config.ack_url or f"http://{host}:{port}"
            self.writer = AlertWriter(
                self.plant, base.rstrip("/"), self._language_of, self.config.web_url
            )
        for channel in self.config.channels:
            worker = ChannelWorker(
                channel,
                self.queue,
                self.senders[channel.id],
                self._write_for(channel.ack),
                self.clock,
                on_finished=lambda alert: self.call_soon(self._publish_outcomes),
            )
            self.workers[channel.id] = worker
        self._held_for = self.queue.waiting_stations()
        self._hold_until = self.clock.monotonic() + STARTUP_WAIT_S
        offline = status_message(self._status_path, False, "", __version__, "connection lost")
        self.bus = BusClient(
            self.broker,
            will=Will(self.me.status(), encode(offline), qos=1, retain=True),
            on_connect=lambda session_present: self.call_soon(self._on_connect),
        )
        self.bus.subscribe(
            StationFilter(self.prefix, self.plant.site.id).any_channel(), self._on_message
        )
        self.bus.start()
        self._thread = threading.Thread(target=self._run, name="notify-loop", daemon=True)
        self._thread.start()
        self.call_soon(self._publish_outcomes)
        self.call_soon(self._start_workers_when_synced)
        return self

    def _start_workers_when_synced(self) -> None:
        """Start sending once every station with waiting alerts was heard (or time is up)."""
        if self._workers_started:
            return
        unheard = self._held_for - self._synced
        if unheard and self.clock.monotonic() < self._hold_until:
            return
        if unheard:
            log.warning("no state from %s yet; sending their waiting alerts", sorted(unheard))
        self._workers_started = True
        for worker in self.workers.values():
            worker.start()

    def stop(self) -> None:
        """Stop taking input, let the alerts in hand finish, say offline, close the queue."""
        if self._stopped:
            return
        self._stopped = True
        if self.server is not None:
            self.server.stop()
        for worker in self.workers.values():
            worker.stop(timeout=0)  # all at once: each finishes the alert in hand
        deadline = self.clock.monotonic() + STOP_WAIT_S
        for worker in self.workers.values():
            worker.stop(timeout=max(0.0, deadline - self.clock.monotonic()))
        self._stop.set()
        self.call_soon(lambda: None)  # wake the loop
        if self._thread is not None:
            self._thread.join(5)
        if self.bus is not None:
            self.bus.close()
        self.queue.close()

    def __enter__(self) -> Notifier:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def ack_base_url(self) -> str | None:
        """The base of acknowledge links (None without an endpoint)."""
        return self.writer.ack_base_url

    @property
    def _status_path(self) -> str:
        return self.me.base.split("/", 1)[1]

    # --- the loop -----------------------------------------------------------------

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the loop thread."""
        self._inbox.put(fn)

    def _run(self) -> None:
        next_tick = self.clock.monotonic() + LOOP_S
        while not self._stop.is_set():
            timeout = max(0.0, next_tick - self.clock.monotonic())
            try:
                fn = self._inbox.get(timeout=min(timeout, LOOP_S))
            except queues.Empty:
                fn = None
            try:
                if fn is not None:
                    fn()
                if self.clock.monotonic() >= next_tick:
                    next_tick = self.clock.monotonic() + LOOP_S
                    self._tick()
            except Exception:
                log.exception("notifier loop error")

    def _tick(self) -> None:
        self._start_workers_when_synced()
        for tracker in self._trackers.values():
            for station, from_seq in tracker.pending(self.clock.monotonic()).items():
                self._ask_replay(station, from_seq)
        self._publish_outcomes()

    # --- input ----------------------------------------------------------------------

    def _on_message(self, message: Message) -> None:
        """Network thread: replies wake their page; events and states go to the loop."""
        try:
            address, channel = parse(message.topic, self.prefix)
        except ValueError:
            return
        if channel == "reply":
            self._on_reply(address.path, message.payload)
        elif channel == "events":
            self.call_soon(lambda: self._on_event(address.path, message.payload))
        elif channel == "state":
            self.call_soon(lambda: self._on_state(address.path, message.payload))

    # --- changes → queue ------------------------------------------------------------

    def apply(self, changes: list[Change]) -> None:
        """Queue, cancel or annotate alerts for each change (loop thread)."""
        now = self.clock.now()
        finished = False
        for change in changes:
            if isinstance(change, Escalation):
                finished |= self._queue_escalation(change, now)
            elif isinstance(change, Acknowledged):
                self.queue.note_acknowledged(change.station, change.call_id, change.by)
                finished |= bool(
                    self.queue.cancel(
                        change.station,
                        change.call_id,
                        now,
                        ACKNOWLEDGED_FIRST.format(by=change.by),
                        condition=UNACKNOWLEDGED,
                    )
                )
            elif isinstance(change, Closed):
                finished |= bool(
                    self.queue.cancel(
                        change.station, change.call_id, now, closed_before(change.how)
                    )
                )
                self.queue.close_call(change.station, change.call_id)
        if finished:
            self._publish_outcomes()

    def _queue_escalation(self, escalation: Escalation, now: datetime) -> bool:
        targets, unreachable = self.router.route(escalation)
        by = escalation.call.acknowledged_by
        for target in targets:
            if self.queue.add(self._spec(escalation, target), now, acknowledged_by=by):
                self.workers[target.channel].wake()
        failed = False
        for miss in unreachable:
            spec = self._spec(escalation, miss)
            added = self.queue.add(
                spec, now, status=Status.FAILED, detail=miss.detail, acknowledged_by=by
            )
            failed |= added is not None
        return failed

    def _spec(self, escalation: Escalation, target: Target | Unreachable) -> AlertSpec:
        call = escalation.call
        person = target.person if isinstance(target, Target) else None
        return AlertSpec(
            station=call.station,
            call_id=call.call_id,
            level=escalation.level,
            channel=target.channel,
            recipient=person.badge if person else "",
            recipient_name=person.name if person else "",
            recipient_role=person.role if person else "",
            address=target.address if isinstance(target, Target) else "",
            line=call.line,
            call_type=call.call_type,
            roles=escalation.roles,
            condition=escalation.condition,
            on_duty=target.on_duty if isinstance(target, Target) else (),
            shift=target.shift,
            raised_at=call.raised_at,
            escalated_at=escalation.at,
        )

    # --- outcomes → bus -------------------------------------------------------------

    def _on_connect(self) -> None:
        if self.bus is None:
            return
        online = status_message(
            self._status_path, True, format_instant(self.clock.now()), __version__
        )
        self.bus.publish(self.me.status(), encode(online), qos=1, retain=True)
        self._publish_outcomes()  # outcomes in flight are resent by the client itself

    def _publish_outcomes(self) -> None:
        if self.bus is None:
            return
        for alert in self.queue.unreported():
            if alert.id in self._in_flight:
                continue
            self._in_flight.add(alert.id)
            message = delivery_message(self.config.id, alert)
            self.bus.publish(
                self.deliveries_topic, encode(message), qos=1, on_acked=self._on_acked(alert.id)
            )

    def _on_acked(self, alert_id: int) -> Callable[[Delivery], None]:
        """Network thread: hand the broker's answer about one outcome to the loop."""

        def acked(delivery: Delivery) -> None:
            self.call_soon(lambda: self._outcome_acked(alert_id, delivery))

        return acked

    def _outcome_acked(self, alert_id: int, delivery: Delivery) -> None:
        self._in_flight.discard(alert_id)
        if delivery.acknowledged:
            self.queue.mark_reported(alert_id)

    def _language_of(self, spec: AlertSpec) -> str:
        return self.config.language_for(spec.recipient, spec.channel)

    def _reject(self, kind: str, station: str, problem: Exception) -> None:
        """Count and log a refused payload (from the loop or the network thread)."""
        with self._rejected_lock:
            self.rejected[kind] += 1
            total = self.rejected.total()
        log.warning("bad %s from %s: %s (%d refused so far)", kind, station, problem, total)
