"""The station agent: HAL → domain → lamps → journal → MQTT, on one thread of its own.

Everything that changes the state runs on the agent's loop thread: hardware
events (delivered by the devices' ``tick``), commands from the bus (queued by
the network thread) and time (``core.tick``). The loop turns every ``tick_s``
and at once when an input pin changes or a command arrives, so a press does
not wait for the next turn. The lamps and the line-stop relay follow the state
as soon as it changed (before the events are journaled), with or without a
broker.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from andon import __version__
from andon.bus.client import BusClient, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import encode, event_dict, status_message
from andon.bus.topics import StationAddress
from andon.domain.commands import Outcome
from andon.domain.events import format_instant
from andon.domain.snapshot import signals
from andon.journal.store import Journal
from andon.station.command_memory import CommandMemory
from andon.station.core import Clock, Recorded, StationCore
from andon.station.health import AgentHealth
from andon.station.held_file import clear_held, load_held, save_held
from andon.station.outbox import Outbox
from andon.station.remote_commands import RemoteCommands
from andon.station.state_publishing import StatePublishing

log = logging.getLogger(__name__)

PUMP_RETRY_S = 1.0
HELD_RETRY_S = 1.0
"""How often a stopping station whose held events can be written nowhere tries again."""
REMEMBERED_REFUSALS = 100
"""Refused hardware inputs kept, to answer a simulated input with what the station did."""
JOBS_PER_TURN = 32
"""Commands one turn takes (one transaction): a flood is journaled and answered in slices."""
MIN_TURN_GAP_S = 0.001
"""Woken turns are at least this far apart, so a chattering input cannot spin the loop."""


class Devices(Protocol):
    """What the agent needs of the station's hardware (real or simulated)."""

    def tick(self, now: float) -> None: ...

    def on_input(self, wake: Callable[[], None]) -> None: ...

    def show(self, active: frozenset[str]) -> None: ...

    def set_line_stop(self, stopped: bool) -> None: ...

    def close(self) -> None: ...


class StationAgent(RemoteCommands, StatePublishing):
    """One station, wired: devices, core, journal, bus."""

    def __init__(
        self,
        address: StationAddress,
        core: StationCore,
        journal: Journal | None,
        devices: Devices | None,
        broker: BrokerSettings | None,
        *,
        hal_command: Callable[[Any], Callable[..., Outcome] | None] | None = None,
        sim_handler: Callable[[dict[str, Any]], str] | None = None,
        sim_concerns: Callable[[dict[str, Any], Any], bool] | None = None,
        tick_s: float = 0.02,
        decide_every_s: float = 0.1,
    ) -> None:
        self.address = address
        self.core = core
        self.journal = journal
        self.devices = devices
        self.hal_command = hal_command
        self.sim_handler = sim_handler
        self.sim_concerns = sim_concerns
        """Whether a hardware event came from a simulated input (its arguments), when known."""
        self.tick_s = tick_s
        self.decide_every_s = decide_every_s
        """How often time-driven decisions run (inputs are decided at once)."""
        self.health = AgentHealth()
        self.last_step = time.monotonic()
        self._last_decided = float("-inf")
        self._last_pumped = float("-inf")
        self._pumped_seq = -1
        self._outputs_change = -1
        self._wake = threading.Event()
        self._inbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._sim_jobs: queue.Queue[Any] = queue.Queue()
        self._inputs_lock = threading.Lock()
        self._inputs_done = 0
        self._input_refusals: deque[tuple[int, Any, str]] = deque(maxlen=REMEMBERED_REFUSALS)
        """The latest refused hardware inputs (numbered), for the answer to a simulated input."""
        self._sim_thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown: frozenset[str] | None = None
        self._relay: bool | None = None
        self._last_state_at = 0.0
        self._last_state_seq = -1
        self._reconnected = threading.Event()
        self._held_file = False
        """A held file of an earlier run was read (removed once its events are journaled)."""
        self.commands = CommandMemory(journal)
        """What each command id was answered, so a command delivered twice runs once."""
        self._held_replies: list[tuple[str, str, bool, str]] | None = None
        self.bus: BusClient | None = None
        self.outbox: Outbox | None = None
        if broker is not None:
            offline = status_message(address.path, False, "", __version__, "connection lost")
            self.bus = BusClient(
                broker,
                will=Will(address.status(), encode(offline), qos=1, retain=True),
                on_connect=self._on_connect,
            )
            if journal is not None:
                self.outbox = Outbox(journal, self.bus, address.events(), address.path)
                self.outbox.unreadable = core.unreadable  # filled by start-up's replay
        core.on_recorded = self._on_recorded
        core.on_changed = self._update_outputs
        if devices is not None:
            devices.on_input(self.wake)

    @property
    def clock(self) -> Clock:
        """The station's timeline."""
        return self.core.clock

    # --- life -----------------------------------------------------------------

    def start(self) -> StationAgent:
        """Rebuild from the journal, set the outputs, connect, and start the loop thread.

        Events an earlier run held in a held file (its journal could not be
        written) are folded after the journal's rows and journaled first.
        """
        held = load_held(self.journal.path) if self.journal is not None else None
        self._held_file = bool(held and (held[0] or held[1]))
        self.core.start(held)
        self._update_outputs()
        # What exists now (modules, configuration, the restored state) lives as long as
        # the process: keep it out of the collector's way, so a full collection does
        # not pause the loop for tens of milliseconds while a press waits.
        gc.freeze()
        if self.bus is not None:
            self.bus.subscribe(self.address.cmd("+"), self._on_command, qos=1)
            self.bus.start()
        self._thread = threading.Thread(target=self._run, name="station-loop", daemon=True)
        self._thread.start()
        if self.sim_handler is not None:
            self._sim_thread = threading.Thread(
                target=self._run_sim_jobs, name="station-sim", daemon=True
            )
            self._sim_thread.start()
        return self

    def stop(self) -> None:
        """Stop the loop, keep what is held, say goodbye, close the devices and the journal.

        Events held in memory (the journal cannot be written) are journaled if the
        storage now takes them, else written to a held file (see
        :mod:`andon.station.held_file`); when neither can be written, this keeps
        retrying every :data:`HELD_RETRY_S` and does not return before one works:
        nothing is dropped silently (the service manager's stop timeout decides).
        """
        self._stop.set()
        self._wake.set()
        for thread in (self._thread, self._sim_thread):
            if thread is not None:
                thread.join(timeout=5)
        if self.journal is not None:
            self._keep_held()
        if self.bus is not None:
            if self.bus.connected:
                self._publish_status(True, "stopping")
                self._publish_status(False, "stopped")
            self.bus.close(announce_will=False)
        if self.devices is not None:
            self.devices.close()
        if self.journal is not None:
            self.journal.close()

    def _keep_held(self) -> None:
        assert self.journal is not None
        warned = False
        while not self.core.retry_journal():
            held = self.core.held()
            where = save_held(self.journal.path, held)
            if where is not None:
                log.warning("%d events the journal could not take kept in %s", len(held[0]), where)
                return
            if not warned:
                log.critical(
                    "%d events cannot be journaled nor kept in a held file: not stopping"
                    " until one can be written (%s)",
                    len(held[0]),
                    self.core.journal_error,
                )
                warned = True
            time.sleep(HELD_RETRY_S)
        if self._held_file:
            clear_held(self.journal.path)
            self._held_file = False

    def __enter__(self) -> StationAgent:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the loop thread (the only thread that changes the state)."""
        self._inbox.put(fn)
        self._wake.set()

    def wake(self) -> None:
        """Turn the loop now rather than at its next tick (any thread; an input changed)."""
        self._wake.set()

    def run_on_loop(self, fn: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Run ``fn`` on the loop thread and return its result (for tools and tests).

        What ``fn`` recorded is journaled (or held, when the journal fails) before
        this returns, as if it had been the turn's last job.
        """
        done = threading.Event()
        box: dict[str, Any] = {}

        def call() -> None:
            try:
                box["result"] = fn()
            except Exception as exc:  # handed back to the caller
                box["error"] = exc
            finally:
                self.core.flush()
                done.set()

        self.call_soon(call)
        if not done.wait(timeout):
            raise TimeoutError("the station loop did not answer")
        if "error" in box:
            raise box["error"]
        return box.get("result")

    # --- the loop ---------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            self._wake.clear()
            try:
                self.step()
            except Exception:
                log.exception("station loop step failed; carrying on")
            rest = self.tick_s - (time.monotonic() - started)
            if rest > 0 and self._wake.wait(rest):
                gap = MIN_TURN_GAP_S - (time.monotonic() - started)
                if gap > 0:
                    time.sleep(gap)

    def alive_within(self, seconds: float) -> bool:
        """True when the loop turned in the last ``seconds`` (for the systemd watchdog)."""
        return time.monotonic() - self.last_step < seconds

    def step(self) -> None:
        """One turn of the loop: inputs, time, outputs, publishing.

        Whatever the turn decides is journaled in one transaction at its end;
        the replies to its commands follow (they name the journal's last seq).
        """
        self.last_step = time.monotonic()
        self._held_replies = []
        try:
            with self.core.batch():
                self._handle_inputs()
        except Exception:
            log.exception("station loop turn failed; carrying on")
        finally:
            held, self._held_replies = self._held_replies, None
        mono = self.clock.monotonic()
        if self._reconnected.is_set():
            self._reconnected.clear()
            if self.outbox is not None:
                self.outbox.reset()
                self._pumped_seq = -1
            self._publish_status(True)
            self._last_state_seq = -1
        sent = self._pump(mono)
        for reply in held:
            self._reply(*reply)
        self.core.check_read_back()
        if self._held_file and not self.core.holding and self.journal is not None:
            clear_held(self.journal.path)  # its events are journaled now
            self._held_file = False
        self._maybe_publish_state(after_events=sent > 0)

    def _handle_inputs(self) -> None:
        """Commands handed to the loop, the devices' inputs and time."""
        for _ in range(JOBS_PER_TURN):
            try:
                job = self._inbox.get_nowait()
            except queue.Empty:
                break
            job()
        else:
            self._wake.set()  # more are waiting: turn again at once
        mono = self.clock.monotonic()
        if self.devices is not None:
            self.devices.tick(mono)
        # Time-driven decisions and the lamps need no more than 10 Hz; inputs are
        # decided at once by ``execute`` (and the devices keep their own timing).
        # A change of state from a job or an input updates the outputs at once.
        if mono - self._last_decided >= self.decide_every_s or mono < self._last_decided:
            self._last_decided = mono
            self.core.tick()
            self._update_outputs()
        elif self.core.changes != self._outputs_change:
            self._update_outputs()

    def _pump(self, mono: float) -> int:
        """Publish the journal when there is news: new events, acknowledgements, or a retry.

        Returns how many events were sent.
        """
        if self.outbox is None:
            return 0
        news = self.core.state.last_seq != self._pumped_seq or self.outbox.acks_waiting > 0
        if news or mono - self._last_pumped >= PUMP_RETRY_S or mono < self._last_pumped:
            self._pumped_seq = self.core.state.last_seq
            self._last_pumped = mono
            return self.outbox.pump()
        return 0

    # --- hardware -------------------------------------------------------------------

    def on_hal_event(self, event: Any) -> None:
        """A hardware event (called by the devices during ``tick``, on the loop thread)."""
        self.health.hal_events += 1
        self.health.scanners.observe(event, self.core.clock.now())
        if self.hal_command is None:
            return
        command = self.hal_command(event)
        if command is None:
            return
        outcome = self.core.execute(command)
        with self._inputs_lock:
            self._inputs_done += 1
            if outcome.rejection:
                self._input_refusals.append((self._inputs_done, event, outcome.rejection))
        if outcome.rejection:
            log.info("input %s refused: %s", type(event).__name__, outcome.rejection)

    def active_signals(self) -> frozenset[str]:
        """The lamp signals now, including the broker link and the journal's alarm."""
        return signals(self.core.state, self.clock.now()) | self._own_signals()

    def _own_signals(self) -> frozenset[str]:
        """The station's own signals: ``offline`` (no broker), ``alarm`` (the journal).

        The alarm stays lit while the journal cannot be written, an event could not
        be journaled, or start-up found rows it could not read (until a restart).
        """
        own: set[str] = set()
        if self.bus is not None and not self.bus.connected:
            own.add("offline")
        core = self.core
        if core.journal_error or core.event_error or core.holding or core.unreadable:
            own.add("alarm")
        return frozenset(own)

    def _update_outputs(self) -> None:
        self._outputs_change = self.core.changes
        if self.devices is None:
            return
        active = self.active_signals()
        if active != self._shown:
            self.devices.show(active)
            self._shown = active
        stopped = self.core.state.line_stopped
        if stopped != self._relay:
            self.devices.set_line_stop(stopped)
            self._relay = stopped

    # --- bus ------------------------------------------------------------------------

    def _on_connect(self, session_present: bool) -> None:
        self._reconnected.set()

    def _on_recorded(self, recorded: Recorded) -> None:
        if self.outbox is not None:
            if recorded.row is not None:
                self.outbox.add(recorded.row)
            return
        if self.bus is None:
            return
        message = event_dict(
            self.address.path,
            recorded.seq,
            recorded.event_id,
            format_instant(recorded.event.at),
            recorded.event.KIND,
            recorded.event.to_dict(),
        )
        self.bus.publish(self.address.events(), encode(message), qos=1)
