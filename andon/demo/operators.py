"""Simulated people at a simulated station: they produce, call for help, and answer calls.

Everything goes through the simulated hardware (mock pins and the scanner's
pty), exactly as a real operator's press or scan would. Rates are in plant
time; with a time-acceleration factor the same shift passes faster.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from andon.domain.station_state import StationState
from andon.station.agent import StationAgent
from hal.sim_controller import SimController

log = logging.getLogger(__name__)

RAISE_SETTLE_S = 30.0
"""Plant seconds a raised call may take to show in the station's state."""


@dataclass(frozen=True)
class Behaviour:
    """How one station's people behave, in plant seconds."""

    pace: float = 1.0
    """Cycle time as a multiple of takt: below 1 overproduces (too fast), above 1 lags."""
    call_every_s: float = 2700.0
    """Mean time between andon calls (help or quality)."""
    fault_every_s: float = 3600.0
    """Mean time between machine faults."""
    bin_every_s: float = 1800.0
    """Mean time between bins running empty."""
    respond_s: tuple[float, float] = (20.0, 90.0)
    """How long the team leader takes to arrive (badge scan)."""
    solve_s: tuple[float, float] = (60.0, 300.0)
    """How long solving takes after arriving (reason card scan)."""
    refill_s: tuple[float, float] = (240.0, 900.0)
    """How long until a called bin is full again (when no store board delivers)."""


class Operators:
    """A thread that plays the people of one station on its simulated hardware.

    ``reasons`` maps each call type to the reason cards that may close it.
    With ``store_delivers`` the bins are refilled only when the store's material
    handler brings a box (:meth:`deliver`); otherwise the operators refill them
    themselves after ``refill_s``. ``first_call_s`` sets when the first call comes
    (plant seconds after the start), so a demo shows one at once at any speed.
    ``line`` holds every station of the line (this one included, more may be
    added later): no unit is made while any of them holds the line stop or has
    a machine fault, as on a real flow line, so the line's figures (whose
    downtime is the union of every station's stops) stay true.
    """

    def __init__(
        self,
        agent: StationAgent,
        sim: SimController,
        behaviour: Behaviour,
        *,
        speed: float,
        badges: list[str],
        maintenance: list[str],
        reasons: Mapping[str, list[str]],
        seed: int,
        store_delivers: bool = False,
        first_call_s: float | None = None,
        line: Sequence[StationAgent] = (),
    ) -> None:
        self.agent = agent
        self.line = line
        self.sim = sim
        self.behaviour = behaviour
        self.speed = speed
        self.badges = badges or ["0"]
        self.maintenance = maintenance or self.badges
        self.reasons = dict(reasons)
        self.store_delivers = store_delivers
        self._deliveries: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.random = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"operators-{agent.address.station}", daemon=True
        )
        self._cycle_s = 0.0
        self._worked_s = 0.0
        self._last_act: float | None = None
        self._next_call = (
            first_call_s if first_call_s is not None else self._draw(behaviour.call_every_s)
        )
        self._next_fault = self._draw(behaviour.fault_every_s)
        self._next_bin = self._draw(behaviour.bin_every_s)
        self._pending: list[tuple[float, str, str]] = []
        self._answered: set[str] = set()
        """Open calls someone is already on their way to (whoever raised them)."""
        self._raising_until = 0.0
        """Until then a call this thread raised may not have reached the state yet."""

    def start(self) -> Operators:
        """Start acting."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop acting (wait for the thread)."""
        self._stop.set()
        self._thread.join(timeout=5)

    def deliver(self, part: str) -> None:
        """The material handler put a full box of ``part`` at the line (any thread)."""
        self._deliveries.put(part)

    def _draw(self, mean_s: float) -> float:
        return self.random.expovariate(1.0 / mean_s) if mean_s > 0 else float("inf")

    def _plant_now(self) -> float:
        return self.agent.clock.monotonic()

    def _run(self) -> None:
        rules = self.agent.core.rules
        start = self._plant_now()
        self._cycle_s = rules.takt_s * self.behaviour.pace
        self._next_call += start
        self._next_fault += start
        self._next_bin += start
        while not self._stop.wait(0.05):
            try:
                self._act(self._plant_now())
            except Exception:
                log.exception("simulated operators of %s stumbled", self.agent.address.path)

    def _act(self, now: float) -> None:
        rules = self.agent.core.rules
        state = self.agent.core.state
        if rules.counts:
            # A unit takes a cycle of work; the work waits while the line is halted
            # and during the shift calendar's breaks.
            working = rules.calendar.is_working(self.agent.clock.now())
            if self._last_act is not None and working and not self._line_halted(state):
                self._worked_s += now - self._last_act
            self._last_act = now
            if self._worked_s >= self._cycle_s:
                self.sim.pulse_counter(1)
                self._worked_s -= self._cycle_s
                jitter = self.random.uniform(0.9, 1.1)
                self._cycle_s = rules.takt_s * self.behaviour.pace * jitter
        if now >= self._next_call:
            self._next_call = now + self._draw(self.behaviour.call_every_s)
            call_type = self.random.choice(["help", "help", "quality"])
            if call_type in self.sim.devices.buttons and not self._busy_with_call(state, now):
                self.sim.press(call_type)
                self._raising_until = now + RAISE_SETTLE_S
        if now >= self._next_fault and self.sim.devices.fault is not None:
            self._next_fault = now + self._draw(self.behaviour.fault_every_s)
            if not state.fault and not self._busy_with_call(state, now):
                self.sim.set_fault(True)
                self._raising_until = now + RAISE_SETTLE_S
        if now >= self._next_bin and self.sim.devices.bins:
            self._next_bin = now + self._draw(self.behaviour.bin_every_s)
            part = self.random.choice(sorted(self.sim.devices.bins))
            if part not in state.bins_empty and not self._busy_with_call(state, now):
                self.sim.set_bin(part, True)
                if not self.store_delivers:
                    refill = self.random.uniform(*self.behaviour.refill_s)
                    self._pending.append((now + refill, "refill", part))
        while True:
            try:
                delivered = self._deliveries.get_nowait()
            except queue.Empty:
                break
            self._do("refill", delivered)
        self._answer_open_calls(now, state)
        due = [p for p in self._pending if p[0] <= now]
        self._pending = [p for p in self._pending if p[0] > now]
        for _, what, arg in sorted(due):
            self._do(what, arg)

    def _line_halted(self, state: StationState) -> bool:
        """True while this station or any other of its line stops the flow."""
        states = [state, *(other.core.state for other in self.line if other is not self.agent)]
        return any(s.line_stopped or s.fault for s in states)

    def _busy_with_call(self, state: StationState, now: float) -> bool:
        """One problem at a time at a station.

        A badge acknowledges the oldest call waiting and a reason card resolves the
        oldest acknowledged one, whatever their type: with one call open at a time,
        each scan lands on the call it was meant for.
        """
        pending_scans = any(what == "scan" for _, what, _ in self._pending)
        return pending_scans or bool(state.open_calls) or now < self._raising_until

    def _answer_open_calls(self, now: float, state: StationState) -> None:
        """Send someone to every open call, whoever raised it (a visitor's press included).

        Material calls are the store's (or the operators' own refill). For a machine
        fault, maintenance repairs the machine (the fault input clears) before the
        reason card closes the call.
        """
        open_calls = state.open_calls
        self._answered &= {call.call_id for call in open_calls}
        for call in open_calls:
            if call.call_id in self._answered or call.call_type == "material":
                continue
            self._answered.add(call.call_id)
            self._raising_until = 0.0
            if call.call_type == "equipment":
                repair = self.random.uniform(*self.behaviour.solve_s)
                if state.fault:
                    self._pending.append((now + repair, "fault", "off"))
                self._answer(now, call.call_type, self.maintenance, solve_after=repair + 30)
            else:
                self._answer(now, call.call_type, self.badges)

    def _answer(
        self, now: float, call_type: str, people: list[str], solve_after: float | None = None
    ) -> None:
        arrive = now + self.random.uniform(*self.behaviour.respond_s)
        solve = arrive + (solve_after or self.random.uniform(*self.behaviour.solve_s))
        self._pending.append((arrive, "scan", f"BD:{self.random.choice(people)}"))
        reasons = self.reasons.get(call_type, [])
        if reasons:
            self._pending.append((solve, "scan", f"RC:{self.random.choice(reasons)}"))

    def _do(self, what: str, arg: str) -> None:
        if what == "scan" and self.sim.ports:
            self.sim.scan(sorted(self.sim.ports)[0], arg)
        elif what == "fault":
            self.sim.set_fault(False)
        elif what == "refill" and arg in self.sim.devices.bins:
            self.sim.set_bin(arg, False)  # a push-button bin has no sensor: nothing to do
