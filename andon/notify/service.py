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
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from andon import __version__
from andon.bus.client import BusClient, Delivery, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import (
    EventMessage,
    MessageError,
    command_message,
    encode,
    parse_event,
    parse_state,
    status_message,
)
from andon.bus.request import Reply, parse_reply
from andon.bus.sequence import SequenceTracker
from andon.bus.topics import ConsumerAddress, StationAddress, StationFilter, parse
from andon.config.errors import ConfigError, ConfigIssue
from andon.config.notify import NotifyFile
from andon.domain import events as ev
from andon.domain.events import format_instant
from andon.notify.ack_server import AckAnswer, AckServer
from andon.notify.calls import (
    UNACKNOWLEDGED,
    Acknowledged,
    CallBook,
    Change,
    Closed,
    Escalation,
)
from andon.notify.channels import AppriseChannel, Send, check_url, read_url
from andon.notify.clock import Clock, SystemClock
from andon.notify.deliveries import deliveries_topic, delivery_message
from andon.notify.queue import Alert, AlertQueue, AlertSpec, Status
from andon.notify.routing import Router, Target, Unreachable
from andon.notify.text import AlertText, AlertWriter, ack_link
from andon.notify.worker import ChannelWorker

log = logging.getLogger(__name__)

LOOP_S = 1.0
"""The loop's heartbeat: replay requests and outcomes that still wait are retried."""
STOP_WAIT_S = 8.0
"""How long a stop waits for the channels to finish the alerts in hand (together)."""
STARTUP_WAIT_S = 3.0
"""At start, alerts wait this long at most for the state of their stations (see start)."""


def apprise_channels(
    config: NotifyFile, file: Path, environ: Mapping[str, str] | None = None
) -> dict[str, Send]:
    """A sender per channel from its URL file or variable; every problem in one ConfigError."""
    senders: dict[str, Send] = {}
    issues: list[ConfigIssue] = []
    for index, channel in enumerate(config.channels):
        try:
            url = read_url(channel, file, index, environ)
        except ConfigError as error:
            issues.extend(error.errors)
            continue
        problem = check_url(url)
        if problem is not None:
            key = "urls_file" if channel.urls_file is not None else "url_env"
            issues.append(ConfigIssue(file, f"channels[{index}].{key}", problem))
            continue
        senders[channel.id] = AppriseChannel(channel, url)
    if issues:
        raise ConfigError(file, issues)
    return senders


@dataclass
class _Waiter:
    """An acknowledge page waiting for the station's reply."""

    event: threading.Event
    reply: Reply | None = None


class Notifier:
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
            self.plant.broker, client_id=f"andon-notify-{config.id}"
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
        self.writer = AlertWriter(self.plant, None, self._language_of)
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
        self._waiters: dict[str, _Waiter] = {}
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
                listen[0], listen[1], self.queue, self.acknowledge, self._describe
            ).start()
            host, port = self.server.address
            base = self.config.ack_url or f"http://{host}:{port}"
            self.writer = AlertWriter(self.plant, base.rstrip("/"), self._language_of)
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

    def _on_event(self, station: str, payload: bytes) -> None:
        try:
            event = parse_event(payload)
        except MessageError as exc:
            self._reject("event", station, exc)
            return
        tracker = self._tracker(station)
        if self._starts_over(station, event):
            log.warning("%s started a new journal; following its new sequence", station)
            tracker = self._trackers[station] = SequenceTracker()
            gone = {c.call_id for c in self.book.open_calls(station)}
            gone |= self.queue.live_calls(station)
            self.book.forget(station)
            self.apply([Closed(station, call_id, "closed") for call_id in sorted(gone)])
        elif station not in self._seen:
            # The first word of a station: start its stream here (its state may follow).
            tracker.baseline(station, event.seq - 1)
        self._seen.add(station)
        offered = tracker.offer(station, event.seq, event, self.clock.monotonic())
        for _, message in offered.deliver:
            self.apply(self.book.apply(station, message.event))
        if offered.replay_from is not None:
            self._ask_replay(station, offered.replay_from)

    def _on_state(self, station: str, payload: bytes) -> None:
        try:
            state = parse_state(payload)
        except MessageError as exc:
            self._reject("state", station, exc)
            return
        seq = int(state["seq"])
        tracker = self._tracker(station)
        if station in self._synced and seq <= tracker.last(station):
            return  # nothing new: the events already told it
        # The first state of a station is always read: it tells what happened while
        # the notifier was away (calls closed or taken, levels reached).
        self._seen.add(station)
        self._synced.add(station)
        changes = self.book.reconcile(station, state)
        tracker.baseline(station, seq)
        listed = {call["call_id"] for call in state["open_calls"]}
        known = {c.call_id for c in changes if isinstance(c, Closed)}
        for call_id in sorted(self.queue.waiting_calls(station) - listed - known):
            changes.append(Closed(station, call_id, "closed"))
        self.apply(changes)
        self._start_workers_when_synced()

    def _starts_over(self, station: str, event: EventMessage) -> bool:
        """A new first event of a station: it started over with a new journal.

        A station's event 1 is its ``station_started``; one with another id than the
        event 1 seen before (or after later events) begins a new numbering.
        """
        if event.seq != 1 or not isinstance(event.event, ev.StationStarted):
            return False
        first = self._first_ids.get(station)
        self._first_ids[station] = event.event_id
        if first == event.event_id:
            return False  # the same event again (a redelivery)
        return first is not None or self._tracker(station).last(station) > 1

    def _tracker(self, station: str) -> SequenceTracker[Any]:
        """The ordering of one station's events (one per station, so it can start over)."""
        return self._trackers.setdefault(station, SequenceTracker())

    def _ask_replay(self, station: str, from_seq: int) -> None:
        if self.bus is None:
            return
        address = StationAddress.from_path(station, self.prefix)
        command = command_message(uuid.uuid4().hex, f"notifier {self.config.id}", from_seq=from_seq)
        self.bus.publish(address.cmd("replay"), encode(command), qos=1)
        log.info("asked %s to replay from %d", station, from_seq)

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
                        f"acknowledged by {change.by} before it went out",
                        condition=UNACKNOWLEDGED,
                    )
                )
            elif isinstance(change, Closed):
                finished |= bool(
                    self.queue.cancel(
                        change.station, change.call_id, now, f"call {change.how} before it went out"
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

    # --- acknowledging from an alert -----------------------------------------------

    def _write_for(self, ack: Any) -> Callable[[Alert], tuple[AlertText, str]]:
        def write(alert: Alert) -> tuple[AlertText, str]:
            text = self.writer.write(alert, self.clock.now(), ack)
            return text, ack_link(self.writer.ack_base_url, alert.token)

        return write

    def _language_of(self, spec: AlertSpec) -> str:
        return self.config.language_for(spec.recipient, spec.channel)

    def _describe(self, alert: Alert) -> tuple[str, str]:
        text = self.writer.write(alert, self.clock.now(), "none")
        return text.title, text.body

    def acknowledge(self, alert: Alert, badge: str = "") -> AckAnswer:
        """Send the acknowledge command for an alert's call and wait for the station's answer.

        ``badge`` names who acts (the alert's recipient when empty). Runs on the
        endpoint's threads.
        """
        if badge:
            person = self.plant.person(badge)
            if person is None:
                return AckAnswer(False, f"Unknown badge {badge}.")
            by = person.name
        else:
            channel = self.config.channel(alert.spec.channel)
            by = alert.spec.recipient_name or f"{channel.title} alert"
        if self.bus is None:
            return AckAnswer(None, "The notifier is not connected.")
        command_id = uuid.uuid4().hex
        waiter = _Waiter(threading.Event())
        with self._waiters_lock:
            self._waiters[command_id] = waiter
        try:
            address = StationAddress.from_path(alert.spec.station, self.prefix)
            command = command_message(command_id, by, call_id=alert.spec.call_id)
            self.bus.publish(address.cmd("acknowledge"), encode(command), qos=1)
            answered = waiter.event.wait(self.config.ack_wait_s)
        finally:
            with self._waiters_lock:
                self._waiters.pop(command_id, None)
        label = self.writer.call_label(alert.spec.call_type)
        station = alert.spec.station.rsplit("/", 1)[-1]
        if not answered or waiter.reply is None:
            return AckAnswer(
                None,
                f"The acknowledgement of the {label} call at {station} was sent, but the "
                "station has not answered yet. Check the board.",
            )
        if waiter.reply.accepted:
            return AckAnswer(True, f"{label} call at {station} acknowledged by {by}.")
        reason = waiter.reply.reason or "refused"
        return AckAnswer(False, f"The station refused: {reason}.")

    def _on_reply(self, station: str, payload: bytes) -> None:
        """Network thread: wake the page waiting for this reply (others are not ours)."""
        try:
            reply = parse_reply(payload)
        except MessageError as exc:
            self._reject("reply", station, exc)
            return
        with self._waiters_lock:
            waiter = self._waiters.get(reply.command_id)
        if waiter is not None:
            waiter.reply = reply
            waiter.event.set()

    def _reject(self, kind: str, station: str, problem: Exception) -> None:
        """Count and log a refused payload (from the loop or the network thread)."""
        with self._rejected_lock:
            self.rejected[kind] += 1
            total = self.rejected.total()
        log.warning("bad %s from %s: %s (%d refused so far)", kind, station, problem, total)
