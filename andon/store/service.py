"""The store board, wired: stations' states → call book → plate lamps; scanner → kanban → station.

Threads and what they do:

* the bus's network thread folds each station's retained ``state`` into the
  call book and sets the lamps at once (both are quick);
* the worker thread takes the scans one at a time, sends each kanban to its
  station, waits for the reply, and publishes the store's status;
* the hardware loop (``tick``) reads the scanners, renders the flash patterns
  and ends buzzer cues. Tests leave it off and tick by hand on a manual clock.

The station is authoritative: a kanban closes a call only when the station
accepts it. Without a broker the board keeps showing the last known calls,
says it is offline (log, and the Last Will on its status topic) and refuses
kanbans, since none can reach a station.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from andon import __version__
from andon.bus.client import BusClient, Delivery, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import MessageError, encode, parse_state, status_message
from andon.bus.request import CommandRequester
from andon.bus.topics import ConsumerAddress, StationAddress, StationFilter, parse
from andon.config.store import StoreFile
from andon.domain.events import format_instant
from andon.i18n.catalog import Translator, translator
from andon.i18n.device_problems import devices_detail
from andon.store import words as W
from andon.store.calls import MaterialCall, MaterialCallBook, material_calls
from andon.store.kanban import KanbanRoute, Refusal, route_kanban, shown
from andon.store.picture import BOOKED, NEW_CALL, REFUSED, BuzzerCues, board_picture
from andon.store.status import ScanOutcome, store_status
from hal import events as hal
from hal.clock import Clock
from hal.loop import HardwareLoop
from hal.patterns import BuzzerPattern
from hal.store import StoreDevices
from hal.store_board import StoreBoardState

log = logging.getLogger(__name__)

REPLY_TIMEOUT_S = 5.0
CONNECT_GRACE_S = 3.0
"""How long a starting store may take to connect before it reports being offline."""
WORKER_WAKE_S = 0.2


class StoreBoard:
    """One store's material-call board (``andon store``)."""

    def __init__(
        self,
        config: StoreFile,
        devices: StoreDevices | None,
        broker: BrokerSettings | None,
        *,
        clock: Clock = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        reply_timeout_s: float = REPLY_TIMEOUT_S,
        on_close: Callable[[], None] | None = None,
        tr: Translator | None = None,
    ) -> None:
        plant = config.plant_config
        site = plant.site
        self.config = config
        self.devices = devices
        self.clock = clock
        self.wall = wall
        self.reply_timeout_s = reply_timeout_s
        self.tr = tr or translator()
        """The language of the log lines a handler reads (a scan booked or refused)."""
        self.prefix = site.topic_prefix
        self.me = ConsumerAddress(self.prefix, site.id, "store", config.id)
        self.lines = tuple(config.line_ids())
        self.parts = frozenset(part.number for part in plant.parts)
        self.plates = frozenset(plate.part for plate in config.hardware.plates)
        self.who = config.name or config.id
        self.book = MaterialCallBook()
        self.cues = BuzzerCues()
        self.rejected_states = 0
        self.scans = 0
        self.refused = 0
        self._last_scan: ScanOutcome | None = None
        self._device_problems: dict[str, str] = {}
        self._unplated_warned: set[str] = set()
        self._shown_buzzer = BuzzerPattern.OFF
        self._lock = threading.RLock()
        self._jobs: queue.Queue[Callable[[], object]] = queue.Queue()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._loop: HardwareLoop | None = None
        self._on_close = on_close
        self._online: bool | None = None
        self._connects_seen = 0
        self._started_at = 0.0
        self.bus: BusClient | None = None
        self.requester: CommandRequester | None = None
        if broker is not None:
            offline = status_message(self.status_path, False, "", __version__, "connection lost")
            self.bus = BusClient(
                broker, will=Will(self.me.status(), encode(offline), qos=1, retain=True)
            )
            filters = [StationFilter(self.prefix, site.id, site.area, line) for line in self.lines]
            for stations in filters:
                self.bus.subscribe(stations.state(), self._on_state, qos=1)
            self.requester = CommandRequester(self.bus, [f.reply() for f in filters], self.who)

    @property
    def status_path(self) -> str:
        """``<site>/_stores/<id>``: the ``station`` field of the store's status message."""
        return self.me.base.split("/", 1)[1]

    # --- life -------------------------------------------------------------------

    def start(self, *, run_loop: bool = True) -> StoreBoard:
        """Show the board, connect, start the worker and (``run_loop``) the hardware loop."""
        self._started_at = time.monotonic()
        with self._lock:
            self._refresh(self.clock())
        if self.bus is not None:
            self.bus.start()
        self._worker = threading.Thread(target=self._run, name="store-worker", daemon=True)
        self._worker.start()
        if run_loop and self.devices is not None:
            self._loop = HardwareLoop(self.tick, clock=self.clock, name="store-loop").start()
        return self

    def stop(self) -> None:
        """Stop the loop and the worker, say goodbye on the bus, switch every lamp off (once)."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._loop is not None:
            self._loop.stop()
        if self._worker is not None:
            self._worker.join(timeout=self.reply_timeout_s + 5)
        if self.bus is not None:
            goodbye = self._publish_status(online=False, detail="stopped")
            if goodbye is not None:
                goodbye.wait(2.0)
            self.bus.close(announce_will=False)
        if self._on_close is not None:
            self._on_close()
        elif self.devices is not None:
            self.devices.close()

    def __enter__(self) -> StoreBoard:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def alive(self) -> bool:
        """The worker and the hardware loop are running (for the systemd watchdog)."""
        worker = self._worker is not None and self._worker.is_alive()
        return worker and (self._loop is None or self._loop.running)

    @property
    def online(self) -> bool:
        """Connected to the broker."""
        return self.bus is not None and self.bus.connected

    @property
    def open_calls(self) -> list[MaterialCall]:
        """The open material calls, oldest first, as last known."""
        with self._lock:
            return self.book.open_calls()

    @property
    def known_stations(self) -> list[str]:
        """The stations whose state the store has seen."""
        with self._lock:
            return self.book.stations()

    @property
    def last_scan(self) -> ScanOutcome | None:
        """The outcome of the latest scan."""
        with self._lock:
            return self._last_scan

    @property
    def picture(self) -> StoreBoardState:
        """What the board should show now."""
        with self._lock:
            return self._picture(self.clock())

    # --- hardware -----------------------------------------------------------------

    def tick(self, now: float) -> None:
        """Read the scanners, render the flashing lamps, end a buzzer cue whose time is up."""
        if self.devices is not None:
            self.devices.tick(now)
        with self._lock:
            if self.cues.current(now) != self._shown_buzzer:
                self._refresh(now)

    def on_hal_event(self, event: Any) -> None:
        """A scanner event (called during ``tick``): the work goes to the worker thread."""
        if isinstance(event, hal.Scanned):
            self.scan(event.text)
        elif isinstance(event, hal.ScanRejected):
            message = W.UNREADABLE.format(scanner=event.scanner)
            self._jobs.put(lambda: self._finish(ScanOutcome(self._now(), "", False, message)))
            log.debug("scanner %s: %s", event.scanner, event.reason)
        elif isinstance(event, hal.DeviceStatus):
            self._on_device_status(event)

    def scan(self, text: str) -> None:
        """Handle ``text`` as if the store's scanner had read it (queued, never raises)."""
        self._jobs.put(lambda: self._handle_scan(text))

    def _on_device_status(self, event: hal.DeviceStatus) -> None:
        with self._lock:
            if event.ok:
                self._device_problems.pop(event.device, None)
            else:
                self._device_problems[event.device] = event.detail
        if event.ok:
            log.info("%s: %s", event.device, event.detail)
        else:
            log.warning("%s: %s", event.device, event.detail)
        self._jobs.put(self._publish_status)

    def _picture(self, now: float) -> StoreBoardState:
        return board_picture(self.book.open_calls(), self.plates, self.cues.current(now))

    def _refresh(self, now: float) -> None:
        """Set the lamps and buzzer from the book and the cue (lock held)."""
        picture = self._picture(now)
        self._shown_buzzer = picture.buzzer
        if self.devices is not None and self.devices.board is not None:
            self.devices.board.show(picture)

    # --- stations' states ------------------------------------------------------------

    def _on_state(self, message: Message) -> None:
        """Network thread: fold one station's retained state into the book."""
        try:
            address, _ = parse(message.topic, self.prefix)
        except ValueError as exc:
            self._reject_state(message.topic, str(exc))
            return
        if address.line not in self.lines:
            return
        if not message.payload:  # the retained state was cleared: the station is gone
            calls: list[MaterialCall] = []
        else:
            try:
                state = parse_state(message.payload)
                if state["line"] != address.line:
                    raise MessageError(f"state.line {state['line']!r} is not the topic's")
                calls = material_calls(address.path, address.line, state)
            except ValueError as exc:  # MessageError and CallFormatError are ValueErrors
                self._reject_state(message.topic, str(exc))
                return
        with self._lock:
            before = self.book.open_calls()
            new = self.book.update(address.path, calls)
            after = self.book.open_calls()
            now = self.clock()
            if new:
                self.cues.sound(NEW_CALL, now)
            self._warn_unplated(after)
            self._refresh(now)
        for call in new:
            log.info(
                "material call: %s at %s/%s%s",
                call.part,
                call.line,
                call.station_id,
                " (EXPRESS)" if call.express else "",
            )
        if after != before:
            self._jobs.put(self._publish_status)

    def _reject_state(self, topic: str, reason: str) -> None:
        self.rejected_states += 1
        log.warning("ignored the state on %s: %s", topic, reason)

    def _warn_unplated(self, calls: list[MaterialCall]) -> None:
        for call in calls:
            if call.part not in self.plates and call.part not in self._unplated_warned:
                self._unplated_warned.add(call.part)
                log.warning(
                    "material call for %s at %s/%s: this store has no plate for that part",
                    call.part,
                    call.line,
                    call.station_id,
                )

    # --- scans --------------------------------------------------------------------

    def _now(self) -> str:
        return format_instant(self.wall())

    def _handle_scan(self, text: str) -> None:
        """Worker thread: route a kanban to its call's station and wait for the answer."""
        with self._lock:
            decision = route_kanban(text, self.parts, self.book)
        if isinstance(decision, Refusal):
            self._finish(ScanOutcome(self._now(), shown(text), False, decision.message))
            return
        self._finish(self._book(decision, shown(text)))

    def _book(self, route: KanbanRoute, text: str) -> ScanOutcome:
        call = route.call
        where = f"{call.line}/{call.station_id}"

        def outcome(booked: bool, message: str) -> ScanOutcome:
            return ScanOutcome(
                self._now(),
                text,
                booked,
                message,
                station=call.station,
                part=call.part,
                card=route.card,
                express=route.express,
                call_id=call.call_id,
            )

        if self.bus is None or self.requester is None or not self.bus.connected:
            return outcome(False, W.OFFLINE.format(where=where))
        reply = self.requester.send(
            StationAddress.from_path(call.station, self.prefix),
            "kanban",
            timeout_s=self.reply_timeout_s,
            part=call.part,
            card=route.card,
            express=route.express,
        )
        if reply is None:
            seconds = f"{self.reply_timeout_s:g}"
            return outcome(False, W.NO_ANSWER.format(where=where, seconds=seconds, part=call.part))
        if not reply.accepted:
            return outcome(False, W.STATION_REFUSED.format(where=where, reason=reply.reason))
        with self._lock:
            self.book.mark_served(call)
        booked = W.BOOKED_EXPRESS if route.express else W.BOOKED
        return outcome(True, booked.format(card=route.card, part=call.part, where=where))

    def _finish(self, outcome: ScanOutcome) -> None:
        """Record, sound, show and publish the outcome of one scan."""
        with self._lock:
            self.scans += 1
            if not outcome.booked:
                self.refused += 1
            self._last_scan = outcome
            now = self.clock()
            self.cues.sound(BOOKED if outcome.booked else REFUSED, now)
            self._refresh(now)
        said = W.shown(outcome.message, self.tr)  # the handler reads it in the log
        if outcome.booked:
            log.info("%s", said)
        else:
            log.warning("%s", W.said(W.SCAN_REFUSED, self.tr, text=repr(outcome.text), reason=said))
        self._publish_status()

    # --- the worker and the broker link -------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                job = self._jobs.get(timeout=WORKER_WAKE_S)
            except queue.Empty:
                job = None
            try:
                self._check_link()
                if job is not None:
                    job()
            except Exception:
                log.exception("store worker: a job failed; carrying on")

    def _check_link(self) -> None:
        """Log when the broker link comes and goes; announce the store after each connect."""
        if self.bus is None:
            return
        connected = self.bus.connected
        if connected and self.bus.connects != self._connects_seen:
            self._connects_seen = self.bus.connects
            log.info("store %s online at %s", self.config.id, self.bus.settings.endpoint)
            self._online = True
            self._publish_status()
            return
        if connected or self._online is False:
            return
        if self._online or time.monotonic() - self._started_at > CONNECT_GRACE_S:
            self._online = False
            log.warning(
                "store %s offline (%s): showing the last known material calls; "
                "kanbans cannot be booked until the broker is back",
                self.config.id,
                self.bus.last_error or "no broker",
            )

    def _publish_status(self, online: bool = True, detail: str = "") -> Delivery | None:
        if self.bus is None or not self.bus.connected:
            return None
        with self._lock:
            calls = self.book.open_calls()
            last = self._last_scan
            problems = devices_detail(self._device_problems)
            scans, refused = self.scans, self.refused
        message = store_status(
            self.status_path,
            online,
            self._now(),
            __version__,
            detail=detail or problems,
            calls=calls,
            last_scan=last,
            scans=scans,
            refused=refused,
        )
        return self.bus.publish(self.me.status(), encode(message), qos=1, retain=True)
