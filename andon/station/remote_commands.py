"""Commands from the bus: parsed and answered on the station's loop, simulated inputs on a worker.

The network thread hands each ``cmd/<name>`` message to the loop as it came;
the loop parses it, runs it once (a command id delivered again is answered with
its first outcome), journals the outcome with the command's events, and replies.
Simulated inputs (``cmd/sim``) take real time, so they run on a worker of their
own while the loop keeps ticking the devices.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

from andon.bus.client import BusClient, Message
from andon.bus.commands import CommandError, parse_command, reply_message
from andon.bus.messages import MessageError, encode
from andon.bus.topics import StationAddress
from andon.journal.store import CommandOutcome, Journal, JournalError
from andon.station import sim_refusals as S
from andon.station.command_memory import CommandMemory
from andon.station.core import StationCore
from andon.station.health import AgentHealth
from andon.station.remote import domain_command
from andon.station.replay import BadReplay, replay, replay_range
from hal.errors import HalError

log = logging.getLogger(__name__)

MAX_REASON = 500
"""A reply's reason is cut to this many characters."""


class RemoteCommands:
    """The station agent's side of the command topics (mixed into :class:`StationAgent`)."""

    address: StationAddress
    core: StationCore
    journal: Journal | None
    bus: BusClient | None
    health: AgentHealth
    commands: CommandMemory
    sim_handler: Callable[[dict[str, Any]], str] | None
    sim_concerns: Callable[[dict[str, Any], Any], bool] | None
    _inputs_lock: threading.Lock
    _inputs_done: int
    _input_refusals: deque[tuple[int, Any, str]]
    _sim_jobs: queue.Queue[Any]
    _stop: threading.Event
    _thread: threading.Thread | None
    _held_replies: list[tuple[str, str, bool, str]] | None

    def call_soon(self, fn: Callable[[], None]) -> None:
        raise NotImplementedError

    def run_on_loop(self, fn: Callable[[], Any], timeout: float = 5.0) -> Any:
        raise NotImplementedError

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
            return False, S.NOT_SIMULATED
        with self._inputs_lock:
            inputs_before = self._inputs_done
        try:
            result = self.sim_handler(command.args)
            self._let_inputs_through()
        except (ValueError, LookupError, HalError) as exc:
            return False, str(exc)
        except Exception as exc:
            log.exception("simulated input failed")
            return False, S.FAILED.format(error=exc)
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

    def _replay(self, command: Any) -> tuple[bool, str]:
        """Publish journaled events again from ``from_seq`` on (to ``to_seq`` if given);
        (accepted, reason)."""
        try:
            start, end = replay_range(command.args)
        except BadReplay as exc:
            self.health.bad_commands += 1
            return False, str(exc)
        accepted, reason = replay(
            self.journal, self.bus, self.address, start, self.core.unreadable, end
        )
        if accepted:
            self.health.replays += 1
        return accepted, reason


def _sendable(text: str) -> str:
    """``text`` with whatever UTF-8 cannot carry replaced."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
