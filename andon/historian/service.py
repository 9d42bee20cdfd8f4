"""``andon historian``: every station's event stream of the site, written to the history.

Threads: the bus's network thread hands each event (in order, none twice:
:class:`andon.bus.consumer.EventFollower`) to an inbox; the writer thread takes
what gathered every ``GATHER_S`` (at once when ``batch_max`` wait), stores it in
one transaction, folds it into the stations' checkpoints
(:mod:`andon.historian.ingest_fold`) and asks stations for replays.

The broker has its acknowledgement when the event reaches the inbox, before
the commit (a QoS 1 subscriber acknowledges each message it is given, and
holding them back until the commit would stall the broker at its in-flight
limit). What a killed historian held uncommitted is therefore not in the
broker's queue any more: it is fetched again from the station, as below. A
stopped one (:meth:`Historian.stop`) leaves the bus first, so the broker keeps
what follows for its session, then commits everything it was handed.

Where each stream continues comes from the database: at start the follower is
set after ``streams.last_seq`` of every station. A station whose retained
``state`` (``seq``) is ahead is asked for a replay from the first missing seq;
one never seen before is fetched from seq 1.

When the database cannot be reached, events wait in memory and the write is
retried every ``retry_s``; the retained status says so (the board's alarm).

At the enterprise (:meth:`Historian.for_enterprise`) it follows every site under
the prefix; replay requests go down the sites' bridges.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from andon import __version__
from andon.bus.client import BusClient, Message, Will
from andon.bus.consumer import EventFollower
from andon.bus.credentials import BrokerSettings
from andon.bus.gate import MessageGate
from andon.bus.messages import (
    EventMessage,
    encode,
    status_message,
)
from andon.bus.topics import ConsumerAddress, StationFilter
from andon.config.plant import PlantFile
from andon.domain.events import format_instant
from andon.historian.catch_up import CatchUp
from andon.historian.ingest_fold import FoldRules, IngestFold
from andon.historian.stats import HistorianStats
from andon.historian.store import HistoryError, HistoryStore
from andon.historian.stores import open_store

if TYPE_CHECKING:
    from andon.provision.enterprise_file import EnterpriseFile

log = logging.getLogger(__name__)

BATCH_MAX = 5000
"""Events stored in one transaction at most."""
GATHER_S = 0.05
"""How long the writer lets events gather before it writes them (unless ``batch_max``
wait already): the longest an event waits for its commit, besides the commit itself."""
HOUSEKEEPING_S = 0.2
"""Between two rounds of replay requests for open gaps and stations behind."""
RETRY_S = 2.0
"""Between attempts to reach the database, and between replay requests for one gap."""
RETENTION_EVERY = timedelta(hours=6)
ENTERPRISE_LEVEL = "_enterprise"
"""The site level of an enterprise-wide consumer's status topic (no site starts with ``_``)."""


def site_client_id(plant: PlantFile, name: str) -> str:
    """A site historian's MQTT client id: the one its bundle is bound to, if provisioned."""
    return plant.broker.client_id or f"andon-historian-{name}"


class Historian:
    """One ``andon historian`` process: follows a site (or, with ``site=None``, every
    site under an enterprise prefix), writes to ``database`` (a URL)."""

    def __init__(
        self,
        prefix: str,
        site: str | None,
        database: str,
        broker: BrokerSettings,
        *,
        name: str = "historian",
        retention_days: int | None = None,
        batch_max: int = BATCH_MAX,
        retry_s: float = RETRY_S,
        folding: FoldRules | None = None,
    ) -> None:
        self.database = database
        self.prefix = prefix
        self.filter = StationFilter(prefix, site)
        self.name = name
        if site is None:
            base = f"{ENTERPRISE_LEVEL}/_historians/{name}"
            self.status_topic = f"{prefix}/{base}/status"
            self._path = base
        else:
            me = ConsumerAddress(prefix, site, "historian", name)
            self.status_topic = me.status()
            self._path = f"{site}/_historians/{name}"
        self.broker = broker
        self.retention_days = retention_days
        self.batch_max = batch_max
        self.retry_s = retry_s
        self.stats = HistorianStats()
        self.fold = IngestFold(folding) if folding is not None else None
        """Keeps the stations' checkpoints as their events are stored (those with rules)."""
        self.store: HistoryStore | None = None
        self.bus: BusClient | None = None
        self.follower: EventFollower | None = None
        self.gate = MessageGate()
        """Holds what arrives between connecting and the follower's start (:meth:`start`)."""
        self._inbox: deque[EventMessage] = deque()
        """Handed over by the bus thread (``deque.append`` and ``popleft`` are atomic)."""
        self._full = threading.Event()
        """Set by the bus thread when ``batch_max`` events wait in the inbox."""
        self._held: list[EventMessage] = []
        """Taken from the inbox, not yet committed (kept while the database is away)."""
        self._next_housekeeping = 0.0
        self._requested = threading.Event()
        """A stop was asked for: the waits for the database end."""
        self._stop = threading.Event()
        """The bus is closed: the writer commits what it holds and ends."""
        self._bus_use = threading.Lock()
        """Held by the writer while it publishes, and by :meth:`stop` as it ends that."""
        self._on_bus = True
        self._thread: threading.Thread | None = None
        self.catch_up = CatchUp(prefix, self.stats)
        """Stations whose retained state is ahead of the history, asked for replays."""
        self._next_retention = datetime.min.replace(tzinfo=UTC)
        self._published_ok: bool | None = None
        self.restarted = self.catch_up.restarted
        """Stations whose journal starts again below what the history holds."""
        self.stored_upto: dict[str, int] = {}
        """The highest seq the database holds of each station."""

    @classmethod
    def for_plant(
        cls, plant: PlantFile, database: str, broker: BrokerSettings | None = None, **options: Any
    ) -> Historian:
        """The historian of a plant's site (broker: the plant's ``[broker]``, under its
        ``client_id`` when provisioned, else ``andon-historian-<name>``)."""
        name = options.get("name", "historian")
        broker = broker or BrokerSettings.from_config(
            plant.broker, client_id=site_client_id(plant, name), clean_session=False
        )
        return cls(plant.site.topic_prefix, plant.site.id, database, broker, **options)

    @classmethod
    def for_enterprise(
        cls, enterprise: EnterpriseFile, database: str, broker: BrokerSettings, **options: Any
    ) -> Historian:
        """The enterprise historian: every site bridged to the enterprise broker."""
        return cls(enterprise.enterprise.id, None, database, broker, **options)

    # --- life -------------------------------------------------------------------------

    def start(self, wait_database_s: float | None = None) -> Historian:
        """Connect, open the database (retrying until it answers), then follow the site.

        While the database does not answer, the retained status says so (the
        board's alarm); ``wait_database_s`` bounds the wait (None: until it answers
        or :meth:`request_stop`), after which :class:`HistoryError` is raised.
        """
        offline = status_message(self._path, False, "", __version__, "connection lost")
        self.bus = BusClient(
            self.broker,
            will=Will(self.status_topic, encode(offline), qos=1, retain=True),
            on_connect=lambda _present: self._publish_status(force=True),
        )
        # Subscribed before connecting, held until the follower exists: what the broker
        # queued for the session comes at once, and none of it is dropped meanwhile.
        self.gate = MessageGate()
        self.bus.subscribe(self.filter.events(), self.gate.handler("events"))
        self.bus.subscribe(self.filter.state(), self.gate.handler("state"))
        self.bus.start()
        try:
            self._open_store(wait_database_s)
            assert self.store is not None
            last = self.store.last_seqs()
        except HistoryError as exc:
            self._database_failed(exc)
            self.stop()
            raise
        self._publish_status(force=True)
        self.follower = EventFollower(
            self.bus,
            self.filter,
            self._take,
            use_state_baseline=False,
            retry_s=self.retry_s,
            who=f"historian {self.name}",
            keep_data=True,
            subscribe=False,
        )
        for station, seq in last.items():
            self.follower.tracker.baseline(station, seq)
        self.stored_upto.update(last)
        if self.fold is not None:
            self.fold.start(self.store)
        self._thread = threading.Thread(target=self._run, name="historian-writer", daemon=True)
        self._thread.start()
        self.gate.open({"events": self.follower.on_event_message, "state": self._on_state})
        log.info("historian %s: %s, %d stations known", self.name, self.database, len(last))
        return self

    def request_stop(self) -> None:
        """Ask the historian to stop (safe from a signal handler): a wait for the database
        ends; events are still taken and written until :meth:`stop` finishes it."""
        self._requested.set()

    def stop(self) -> None:
        """Publish offline and leave the bus, then commit every event taken, and close.

        Leaving first, the broker keeps what is published from then on for this
        historian's session (its next start gets it); everything handed over before
        is committed here, unless the database does not answer (then those events
        are fetched again from the stations at the next start).
        """
        self._requested.set()
        with self._bus_use:
            self._on_bus = False
        if self.bus is not None:
            offline = status_message(self._path, False, self._now(), __version__, "stopped")
            self.bus.publish(self.status_topic, encode(offline), qos=1, retain=True).wait(2)
            self.bus.close(announce_will=False)
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        left = len(self._held) + len(self._inbox)
        if left:
            log.error("historian %s: %d events not stored at the stop", self.name, left)
        if self.store is not None:
            self.store.close()

    def wait_stored(self, positions: dict[str, int], timeout_s: float) -> bool:
        """Wait until each station's events up to its seq in ``positions`` are committed."""
        deadline = time.monotonic() + timeout_s
        while True:
            behind = {s: q for s, q in positions.items() if self.stored_upto.get(s, 0) < q}
            if not behind:
                return True
            if time.monotonic() >= deadline:
                log.warning("historian %s: not yet stored: %s", self.name, behind)
                return False
            time.sleep(0.05)

    def __enter__(self) -> Historian:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _now(self) -> str:
        return format_instant(datetime.now(UTC))

    def _open_store(self, wait_s: float | None) -> None:
        deadline = None if wait_s is None else time.monotonic() + wait_s
        while True:
            try:
                self.store = open_store(self.database)
                self.stats.database_ok = True
                return
            except HistoryError as exc:
                self._database_failed(exc)
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                if self._requested.wait(self.retry_s):
                    raise

    # --- the bus thread ---------------------------------------------------------------

    def _on_state(self, message: Message) -> None:
        assert self.follower is not None
        if not self.catch_up.offer(
            self.follower, message
        ):  # kept for the writer's next round, or read now
            self.catch_up.on_state(self.follower, message)

    def _take(self, message: EventMessage) -> None:
        if self.stats.first_event_at is None:
            self.stats.first_event_at = time.monotonic()
        self.stats.received += 1
        inbox = self._inbox
        inbox.append(message)
        if len(inbox) >= self.batch_max:
            self._full.set()

    # --- the writer thread ------------------------------------------------------------

    def _run(self) -> None:
        while True:
            stopping = self._stop.is_set()
            if not stopping:
                self._full.wait(GATHER_S)
                self._full.clear()
            self._take_inbox()
            if self._held:
                self._write()
            if stopping:
                if not (self._held or self._inbox) or not self.stats.database_ok:
                    return
                continue  # off the bus: only what is in hand is written
            now = time.monotonic()
            if now >= self._next_housekeeping:
                self._next_housekeeping = now + HOUSEKEEPING_S
                self._housekeeping()

    def _take_inbox(self) -> None:
        """Move what waits in the inbox to the batch in hand, up to ``batch_max``."""
        inbox, take = self._inbox, self._held.append
        for _ in range(min(len(inbox), self.batch_max - len(self._held))):
            take(inbox.popleft())

    def _write(self) -> None:
        batch = self._held[: self.batch_max]
        try:
            if self.store is None:
                self._open_store(0)
            assert self.store is not None
            log.debug("historian %s: storing %d events", self.name, len(batch))
            stored = self.store.store(batch)
        except HistoryError as exc:
            self._database_failed(exc)
            if self.store is not None:
                self.store.close()
                self.store = None
            self._stop.wait(self.retry_s)
            return
        del self._held[: len(batch)]
        if self.fold is not None:
            self.fold.after(self.store, batch, stored)
        added = stored.added
        self.stats.stored += added
        self.stats.duplicates += len(batch) - added
        self.stats.batches += 1
        self.stats.last_commit_at = time.monotonic()
        self.stats.pending = len(self._held) + len(self._inbox)
        self.stats.stations.update(m.station for m in batch)
        for message in batch:
            if message.seq > self.stored_upto.get(message.station, 0):
                self.stored_upto[message.station] = message.seq
        if not self.stats.database_ok:
            log.warning("history database %s reachable again", self.database)
        self.stats.database_ok = True
        self._publish_status()

    def _database_failed(self, exc: HistoryError) -> None:
        self.stats.database_errors += 1
        self.stats.pending = len(self._held) + len(self._inbox)
        if self.stats.database_ok or self.stats.last_error != str(exc):
            log.error("history database unreachable (retrying every %.0f s): %s", self.retry_s, exc)
        self.stats.last_error = str(exc)
        self.stats.database_ok = False
        self._publish_status()

    def _housekeeping(self) -> None:
        if self.follower is None:
            return
        with self._bus_use:
            if self._on_bus:
                self.follower.retry_gaps()
                self.catch_up.round(self.follower)
        if self.fold is not None and self.store is not None and not self.fold.in_step():
            self.fold.catch_up(self.store)
        if self.retention_days and self.store is not None:
            now = datetime.now(UTC)
            if now >= self._next_retention:
                self._next_retention = now + RETENTION_EVERY
                try:
                    removed = self.store.apply_retention(now - timedelta(days=self.retention_days))
                    self.stats.removed_by_retention += removed
                except HistoryError as exc:
                    self._database_failed(exc)

    def _publish_status(self, force: bool = False) -> None:
        """The retained status: online, and whether the database takes the events."""
        ok = self.stats.database_ok
        if self.bus is None or (not force and ok == self._published_ok):
            return
        if not ok and not self.stats.last_error:
            return  # not tried yet: the status follows the first attempt
        self._published_ok = ok
        detail = "" if ok else f"history database unreachable: {self.stats.last_error}"
        message = status_message(self._path, True, self._now(), __version__, detail)
        with self._bus_use:
            if self._on_bus:
                self.bus.publish(self.status_topic, encode(message), qos=1, retain=True)
