"""One station in a simulation: the production station on simulated pins, driven by hand.

The station is built exactly as ``andon station --sim`` builds it (devices over
gpiozero mock pins, scanners on ptys, the core, its journal), without a broker
and without its loop thread: the runner turns the loop (:meth:`step`) at the
instants it chooses. Inputs go through the simulated pins
(:class:`~hal.sim_controller.SimController`), commands through the same parsing
as commands from the bus.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from andon.bus.messages import MessageError
from andon.domain.commands import Outcome
from andon.domain.station_state import StationState
from andon.simulate.commands import message_for
from andon.simulate.refusals import NO_OPEN_CALL, NO_STOP
from andon.simulate.scenario_plan import SimStation, TimedStep
from andon.simulate.timeline import SimTimeline, StationSimClock
from andon.station.assemble import build_station
from andon.station.remote import domain_command
from hal.clock import ManualClock
from hal.sim_controller import SimController
from hal.station import StationDevices

DomainCommand = Callable[..., Outcome]


class SimulatedStation:
    """A built station, its simulation controller and what its inputs were refused."""

    def __init__(self, spec: SimStation, timeline: SimTimeline, journal_path: Path) -> None:
        self.spec = spec
        self.key = spec.key
        self.devices_clock = ManualClock()
        self.clock = StationSimClock(timeline, self.devices_clock)
        runtime = build_station(
            spec.config,
            sim=True,
            connect=False,
            journal_path=journal_path,
            clock=self.clock,
            hal_clock=self.devices_clock,
            decide_every_s=0.0,  # a simulation steps exactly where something is due
        )
        assert runtime.sim is not None
        self.agent = runtime.agent
        self.controller: SimController = runtime.sim
        self._outcomes: list[Outcome] = []
        self._command_ids = itertools.count(1)
        inner = self.agent.hal_command
        if inner is not None:
            self.agent.hal_command = lambda event: self._observed(inner(event))

    # --- life -------------------------------------------------------------------

    def start(self) -> None:
        """Rebuild from the journal (empty), record the start, set the outputs."""
        self.agent.core.start()
        self.agent.step()

    def close(self) -> None:
        """Close the devices (outputs off, pins released) and the journal."""
        self.agent.stop()

    def let_pass(self, seconds: float) -> None:
        """The devices' clock moves with the timeline."""
        if seconds > 0:
            self.devices_clock.advance(seconds)

    def step(self) -> None:
        """One turn of the station loop: devices, time, outputs."""
        self.agent.step()

    # --- what the station knows and shows ------------------------------------------

    @property
    def state(self) -> StationState:
        return self.agent.core.state

    def relay_energised(self) -> bool | None:
        """The line-stop relay as its simulated pin says (None without a relay)."""
        if self.spec.config.hardware.line_stop is None:
            return None
        return self.controller.line_stopped()

    def fault_signal(self) -> bool:
        """The machine's fault signal as its simulated pin is driven."""
        devices = self.controller.devices
        fault = devices.fault if isinstance(devices, StationDevices) else None
        return bool(fault is not None and fault.raw_active)

    # --- inputs --------------------------------------------------------------------

    def pulse(self) -> list[str]:
        """One good part past the cycle sensor; the refusals it met."""
        return self._perform(lambda: self.controller.pulse_counter(1))

    def perform(self, timed: TimedStep) -> list[str]:
        """Carry out a scripted step at the current instant; the refusals it met."""
        step = timed.step
        if step.command is not None:
            return self._command(timed)
        return self._perform(partial(self._gesture, timed))

    def _gesture(self, timed: TimedStep) -> None:
        step, c = timed.step, self.controller
        if step.press is not None:
            c.press(step.press)
        elif step.hold is not None:
            c.hold(step.hold.call_type, step.hold.seconds)
            c.release(step.hold.call_type)
        elif step.acknowledge_button is not None:
            c.acknowledge()
        elif step.count is not None:
            c.pulse_counter(step.count)
        elif step.scrap is not None:
            c.scrap(step.scrap)
        elif step.fault is not None:
            c.set_fault(step.fault)
        elif step.downstream_full is not None:
            c.set_downstream_full(step.downstream_full)
        elif step.bin is not None:
            c.set_bin(step.bin.part, step.bin.empty)
        elif step.scan is not None:
            c.scan(step.scanner or self.spec.config.hardware.scanners[0].name, step.scan)

    def _perform(self, gesture: Callable[[], Any]) -> list[str]:
        self._outcomes.clear()
        gesture()
        self.agent.step()
        refused = [o.rejection for o in self._outcomes if o.rejection]
        self._outcomes.clear()
        return refused

    def _observed(self, command: DomainCommand | None) -> DomainCommand | None:
        """Wrap a hardware input's domain command so its outcome is seen."""
        if command is None:
            return None

        def run(*args: Any, **kwargs: Any) -> Outcome:
            outcome = command(*args, **kwargs)
            self._outcomes.append(outcome)
            return outcome

        return run

    def _command(self, timed: TimedStep) -> list[str]:
        action = timed.step.command
        assert action is not None
        args = dict(timed.args)
        if action.call is not None:
            call_id = self._open_call_id(action.call)
            if call_id is None:
                return [NO_OPEN_CALL.format(call_type=action.call, station=self.key)]
            args["call_id"] = call_id
        if action.stop is not None:
            stop_id = self._latest_stop_id(action.stop)
            if stop_id is None:
                return [NO_STOP.format(stop=action.stop, station=self.key)]
            args["stop_id"] = stop_id
        command_id = f"scenario-{timed.index}-{next(self._command_ids)}"
        try:
            command = domain_command(message_for(action, args, command_id))
        except MessageError as exc:
            return [str(exc)]
        outcome = self.agent.core.execute(command)
        self.agent.step()
        return [outcome.rejection] if outcome.rejection else []

    def _open_call_id(self, ref: str) -> str | None:
        call_type, _, part = ref.partition(":")
        call = self.state.open_call(call_type, part)
        return call.call_id if call is not None else None

    def _latest_stop_id(self, source: str) -> str | None:
        stops = [s for s in self.state.stops if s.source == source]
        return stops[-1].stop_id if stops else None
