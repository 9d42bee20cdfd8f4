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
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from andon import __version__
from andon.bus.client import BusClient, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import (
    MAX_INTEGER,
    CommandError,
    MessageError,
    encode,
    event_dict,
    parse_command,
    reply_message,
    state_message,
    status_message,
)
from andon.bus.topics import StationAddress
from andon.domain.commands import Outcome
from andon.domain.events import format_instant
from andon.domain.snapshot import signals, snapshot
from andon.journal.store import CommandOutcome, Journal, JournalError
from andon.station.command_memory import CommandMemory
from andon.station.core import Clock, Recorded, StationCore
from andon.station.held_file import clear_held, load_held, save_held
from andon.station.outbox import Outbox
from andon.station.remote import domain_command
from hal.errors import HalError

log = logging.getLogger(__name__)

REPLAY_LIMIT = 5000
STATE_HEARTBEAT_S = 5.0
STATE_MIN_INTERVAL_S = 0.25
PUMP_RETRY_S = 1.0
HELD_RETRY_S = 1.0
"""How often a stopping station whose held events can be written nowhere tries again."""
MAX_REASON = 500
"""A reply's reason is cut to this many characters."""
REMEMBERED_REFUSALS = 100
"""Refused hardware inputs kept, to answer a simulated input with what the station did."""
JOBS_PER_TURN = 32
"""Commands one turn takes (one transaction): a flood is journaled and answered in slices."""
EVENTS_HEAD_START_S = 0.001
"""After sending events the loop pauses this long, so the network thread sends them
before the loop works out the retained state (which would hold the interpreter)."""
MIN_TURN_GAP_S = 0.001
"""Woken turns are at least this far apart, so a chattering input cannot spin the loop."""


class Devices(Protocol):
    """What the agent needs of the station's hardware (real or simulated)."""

    def tick(self, now: float) -> None: ...

    def on_input(self, wake: Callable[[], None]) -> None: ...

    def show(self, active: frozenset[str]) -> None: ...

    def set_line_stop(self, stopped: bool) -> None: ...

    def close(self) -> None: ...


@dataclass
class AgentHealth:
    """Counters a board's diagnostics panel shows."""

    bad_commands: int = 0
    replays: int = 0
    hal_events: int = 0


class StationAgent:
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

    def _refusals_since(self, inputs_done: int, args: dict[str, Any]) -> list[str]:
        """Why the inputs of a simulated input (``args``) handled after the first
        ``inputs_done`` ones were refused (others' inputs, e.g. the demo's people, left out)."""
        concerns = self.sim_concerns
        with self._inputs_lock:
            return [
                reason
                for n, event, reason in self._input_refusals
                if n > inputs_done and (concerns is None or concerns(args, event))
            ]

    def active_signals(self) -> frozenset[str]:
        """The lamp signals now, including the broker link and the journal's alarm."""
        return signals(self.core.state, self.clock.now()) | self._own_signals()

    def _own_signals(self) -> frozenset[str]:
        """The station's own signals: ``offline`` (no broker), ``alarm`` (the journal)."""
        own: set[str] = set()
        if self.bus is not None and not self.bus.connected:
            own.add("offline")
        if self.core.journal_error or self.core.event_error or self.core.holding:
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

    def _publish_status(self, online: bool, detail: str = "") -> None:
        if self.bus is None:
            return
        message = status_message(
            self.address.path, online, format_instant(self.clock.now()), __version__, detail
        )
        self.bus.publish(self.address.status(), encode(message), qos=1, retain=True)

    def state_payload(self) -> dict[str, Any]:
        """The retained state message as it would be published now."""
        health = {
            "journal_error": self.core.journal_error,
            "unjournaled": self.core.unjournaled,
            "broker": bool(self.bus and self.bus.connected),
            "in_flight": self.outbox.in_flight if self.outbox else 0,
            "bad_commands": self.health.bad_commands,
            "refused_events": self.core.refused_events,
        }
        view = snapshot(self.core.state, self.clock.now())
        own = self._own_signals()
        if own:  # the lamps show them: so does the state
            view["signals"] = sorted({*view["signals"], *own})
        return state_message(self.address.path, view, health)

    def _maybe_publish_state(self, after_events: bool = False) -> None:
        if self.bus is None or not self.bus.connected:
            return
        mono = time.monotonic()
        changed = self.core.state.last_seq != self._last_state_seq
        since = mono - self._last_state_at
        due = changed and since >= STATE_MIN_INTERVAL_S
        if due or since >= STATE_HEARTBEAT_S:
            if after_events:
                # Let the network thread take the interpreter and send the events now,
                # before this thread works out the state that follows them.
                time.sleep(EVENTS_HEAD_START_S)
            self._last_state_seq = self.core.state.last_seq
            self._last_state_at = mono
            self.bus.publish(self.address.state(), encode(self.state_payload()), qos=1, retain=True)

    def _on_command(self, message: Message) -> None:
        """Network thread: hand the message to the loop thread as it came.

        It is parsed there, when its turn comes: a burst of commands waits as
        compact bytes, not as parsed objects.
        """
        name = message.topic.rsplit("/", 1)[-1]
        if name == "sim":
            # Simulated inputs take real time (debounce, long press) while the loop
            # keeps ticking the devices, so they run on a worker of their own.
            command = self._parse_command(name, message.payload)
            if command is not None:
                self._sim_jobs.put(command)
            return
        self.call_soon(partial(self._handle_command, name, message.payload))

    def _parse_command(self, name: str, payload: bytes) -> Any:
        """The command of a message; None (answered and counted) when it is malformed."""
        try:
            return parse_command(name, payload)
        except MessageError as exc:
            self.health.bad_commands += 1
            log.warning("bad command %s: %s", name[:64], exc)
            command_id = exc.command_id if isinstance(exc, CommandError) else ""
            self._reply(name, command_id, False, str(exc))
            return None

    def _handle_command(self, name: str, payload: bytes) -> None:
        command = self._parse_command(name, payload)
        if command is not None:
            self._execute_remote(command)

    def _run_sim_jobs(self) -> None:
        while not self._stop.is_set():
            try:
                command = self._sim_jobs.get(timeout=0.2)
            except queue.Empty:
                continue
            done = self.commands.recall(command.command_id)
            if done is not None:  # delivered again: answer, do not press again
                self._reply(command.name, command.command_id, *done)
                continue
            accepted, reason = self._simulate(command)
            self.commands.keep(command.command_id, accepted, reason)
            if self.journal is not None:
                outcome = CommandOutcome(command.command_id, command.name, accepted, reason)
                try:
                    self.journal.remember_commands([outcome])
                except (JournalError, ValueError) as exc:
                    log.warning("outcome of sim command not journaled: %s", exc)
            self._reply(command.name, command.command_id, accepted, reason)

    def _simulate(self, command: Any) -> tuple[bool, str]:
        """Run a simulated input; (accepted, reason or result)."""
        if self.sim_handler is None:
            return False, "not a simulated station"
        with self._inputs_lock:
            inputs_before = self._inputs_done
        try:
            result = self.sim_handler(command.args)
            self._let_inputs_through()
        except (ValueError, LookupError, HalError) as exc:
            return False, str(exc)
        except Exception as exc:
            log.exception("simulated input failed")
            return False, f"failed: {exc}"
        refusals = self._refusals_since(inputs_before, command.args)
        if refusals:  # the pins moved, but the station refused what they meant
            return False, refusals[0]
        return True, result

    def _let_inputs_through(self) -> None:
        """Wait until the loop has ticked the devices after a simulated input, and handled it.

        A job runs at the start of a turn, before that turn's device tick: after two
        round trips, a whole turn (tick included) has passed since the input ended.
        """
        try:
            for _ in range(2):
                self.run_on_loop(lambda: None)
        except TimeoutError:
            log.warning("the station loop did not turn after a simulated input")

    def _execute_remote(self, command: Any) -> None:
        done = self.commands.recall(command.command_id)
        if done is not None:  # delivered again (a reconnect, a restart): answer, do not redo
            self._reply(command.name, command.command_id, *done)
            return
        if command.name == "replay":
            accepted, reason = self._replay(command)
        else:
            try:
                domain = domain_command(command)
            except MessageError as exc:
                self.health.bad_commands += 1
                log.warning("bad command %s: %s", command.name, exc)
                self._reply(command.name, command.command_id, False, str(exc))
                return
            outcome = self.core.execute(domain)
            accepted, reason = outcome.accepted, outcome.rejection
        # Journaled in the transaction of the command's events (the turn's batch).
        self.core.remember(command.command_id, command.name, accepted, reason)
        self.commands.keep(command.command_id, accepted, reason)
        self._reply(command.name, command.command_id, accepted, reason)

    def _reply(self, name: str, command_id: str, accepted: bool, reason: str) -> None:
        if self.bus is None:
            return
        held = self._held_replies
        if held is not None and threading.current_thread() is self._thread:
            held.append((name, command_id, accepted, reason))  # sent once journaled
            return
        if len(reason) > MAX_REASON:
            reason = reason[: MAX_REASON - 3] + "..."
        message = reply_message(
            self.address.path,
            _sendable(name[:64]),
            _sendable(command_id),
            accepted,
            _sendable(reason),
            self.core.state.last_seq,
        )
        self.bus.publish(self.address.reply(), encode(message), qos=1)

    def _replay(self, command: Any) -> tuple[bool, str]:
        """Publish journaled events again from ``from_seq`` on; (accepted, reason)."""
        start = command.args.get("from_seq")
        if (
            isinstance(start, bool)
            or not isinstance(start, int)
            or not 1 <= start <= MAX_INTEGER
            or set(command.args) - {"from_seq"}
        ):
            self.health.bad_commands += 1
            log.warning("bad command replay: from_seq %.40r", start)
            return False, "from_seq: expected an integer from 1 to 2^63 - 1"
        if self.journal is None or self.bus is None:
            return False, "this station keeps no journal"
        try:
            rows = list(self.journal.rows(from_seq=start, limit=REPLAY_LIMIT))
        except JournalError as exc:
            log.warning("replay from %s failed: %s", start, exc)
            return False, "the journal cannot be read now"
        for row in rows:
            message = event_dict(self.address.path, row.seq, row.id, row.at, row.kind, row.payload)
            try:
                payload = encode(message)
            except (ValueError, UnicodeEncodeError) as exc:
                log.error("journal row %s cannot be published: %s", row.seq, exc)
                continue
            self.bus.publish(self.address.events(), payload, qos=1)
        self.health.replays += 1
        last = rows[-1].seq if rows else start - 1
        return True, f"replayed {start}..{last}"


def _sendable(text: str) -> str:
    """``text`` with whatever UTF-8 cannot carry replaced."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
