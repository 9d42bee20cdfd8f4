"""Putting one station together from its configuration file.

``--sim`` changes only where the pins and scanner ports come from (gpiozero's
mock pins and ptys); everything else is the production path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from andon.bus.credentials import BrokerSettings
from andon.bus.settings import broker_settings
from andon.bus.topics import StationAddress
from andon.config.hardware import GpioTower, PnsTower
from andon.config.station import StationFile
from andon.journal.store import Journal, JournalError
from andon.station import sim_refusals as S
from andon.station.agent import StationAgent
from andon.station.build import station_rules
from andon.station.clock import StationClock
from andon.station.core import Clock, StationCore
from andon.station.hardware import StationHardware
from andon.station.inputs import command_for
from hal import events as hal
from hal.lamp_rules import LampRules
from hal.real_pins import on_real_pins
from hal.station import StationDevices

if TYPE_CHECKING:
    from hal.sim import SimController

log = logging.getLogger(__name__)


@dataclass
class StationRuntime:
    """A built station: the agent, and the simulation controller under ``--sim``."""

    agent: StationAgent
    sim: SimController | None = None


def station_address(config: StationFile) -> StationAddress:
    """Where the station lives in the topic namespace."""
    site = config.plant_config.site
    return StationAddress(site.topic_prefix, site.id, site.area, config.line, config.id)


def tower_colours(config: StationFile) -> tuple[str, ...]:
    """The colours of the station's tower, top first (none without a tower)."""
    tower = config.hardware.tower
    if isinstance(tower, GpioTower):
        return tuple(t.colour for t in tower.tiers)
    if isinstance(tower, PnsTower):
        return tuple(tower.colours)
    return ()


def build_station(
    config: StationFile,
    *,
    sim: bool = False,
    broker: str | None = None,
    connect: bool = True,
    journal_path: Path | None = None,
    clock: Clock | None = None,
    hal_clock: Any = None,
    tick_s: float = 0.02,
    decide_every_s: float = 0.1,
    settings: BrokerSettings | None = None,
) -> StationRuntime:
    """A ready-to-start station (call ``runtime.agent.start()``).

    ``broker`` (``HOST:PORT``) overrides the plant's broker; ``connect=False``
    runs without a broker at all (simulations); ``settings`` replaces the
    broker settings outright. ``clock`` is the station's timeline, ``hal_clock``
    the monotonic clock of the devices.
    """
    address = station_address(config)
    plant = config.plant_config
    rules = station_rules(config)
    path = journal_path or config.journal_path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only mount: the station still starts, lamps on, alarm
        log.error("journal folder %s cannot be made: %s", path.parent, exc)
    # A full or read-only disk does not keep the station from starting: it holds its
    # events in memory (alarm lit) until the journal can be written.
    journal = Journal(path, owner=address.path, wait_for_disk=True)
    if journal.unavailable:
        log.error("journal unavailable at start, events held in memory: %s", journal.unavailable)
    try:
        last = journal.row(journal.last_seq()) if journal.last_seq() else None
    except JournalError as exc:
        log.error("journal cannot be read at start: %s", exc)
        last = None
    not_before = None
    if last is not None:
        from andon.domain.events import parse_instant

        try:
            not_before = parse_instant(last.at)
        except (ValueError, TypeError):  # an unreadable last row: replay names it
            log.error("journal row %s holds no readable instant: %.40r", last.seq, last.at)
    timeline = clock or StationClock(not_before=not_before)
    core = StationCore(rules, journal, timeline)
    colours = tower_colours(config)
    lamps = LampRules.from_config(plant.lamps, colours, plant.call_types) if colours else None
    button_bins = frozenset(b.part for b in config.hardware.bins if b.button)

    agent_box: list[StationAgent] = []

    def sink(event: Any) -> None:
        if agent_box:
            agent_box[0].on_hal_event(event)

    controller: SimController | None = None
    hal_clock = hal_clock or timeline.monotonic
    try:
        if sim:
            from hal.sim import SimStation  # the simulation layer loads only when simulating

            simulation = SimStation(config.hardware, sink=sink, clock=hal_clock)
            hardware = StationHardware(simulation.devices, lamps, on_close=simulation.close)
            controller = simulation.controller
        else:
            with on_real_pins():  # a machine without GPIO is said so
                devices = StationDevices.from_config(config.hardware, sink=sink, clock=hal_clock)
            hardware = StationHardware(devices, lamps)
    except BaseException:
        journal.close()
        raise
    if connect and settings is None:
        settings = broker_settings(
            plant.broker,
            client_id=plant.broker.client_id
            or f"andon-station-{address.site}-{address.line}-{address.station}",
            clean_session=False,
            override=broker,
        )
    agent = StationAgent(
        address,
        core,
        journal,
        hardware,
        settings if connect else None,
        hal_command=lambda event: command_for(event, button_bins),
        sim_handler=(lambda args: run_sim_action(controller, args)) if controller else None,
        sim_concerns=sim_input_concerns,
        tick_s=tick_s,
        decide_every_s=decide_every_s,
    )
    agent_box.append(agent)
    return StationRuntime(agent=agent, sim=controller)


SIM_ACTIONS = (
    "press",
    "hold",
    "acknowledge",
    "bin",
    "count",
    "scrap",
    "fault",
    "downstream_full",
    "scan",
)
SIM_MAX_HOLD_S = 60.0
SIM_MAX_PULSES = 1000
"""A simulated gesture takes real time on the simulation's worker: keep each one bounded."""


def run_sim_action(controller: SimController | None, args: dict[str, Any]) -> str:
    """Poke a simulated input by name (the ``sim`` command); ``ValueError`` when malformed."""
    if controller is None:
        raise ValueError(S.NOT_SIMULATED)
    action = args.get("action")
    if action not in SIM_ACTIONS:
        raise ValueError(
            S.UNKNOWN_ACTION.format(actions=", ".join(SIM_ACTIONS), action=repr(action))
        )

    def arg(name: str, kind: type | tuple[type, ...]) -> Any:
        value = args.get(name)
        if isinstance(value, bool) and kind is not bool:
            raise ValueError(S.BOOLEAN.format(action=action, name=name))
        if not isinstance(value, kind):
            raise ValueError(S.expected(kind).format(action=action, name=name))
        return value

    if action == "press":
        controller.press(arg("call_type", str))
    elif action == "hold":
        call_type = arg("call_type", str)
        seconds = float(arg("seconds", (int, float)))
        if not 0 < seconds <= SIM_MAX_HOLD_S:
            raise ValueError(S.HOLD_RANGE.format(most=f"{SIM_MAX_HOLD_S:g}"))
        controller.hold(call_type, seconds)
        controller.release(call_type)
    elif action == "acknowledge":
        controller.acknowledge()
    elif action == "bin":
        controller.set_bin(arg("part", str), arg("empty", bool))
    elif action in ("count", "scrap"):
        n = arg("n", int)
        if not 1 <= n <= SIM_MAX_PULSES:
            raise ValueError(S.PULSES_RANGE.format(action=action, most=SIM_MAX_PULSES))
        (controller.pulse_counter if action == "count" else controller.scrap)(n)
    elif action == "fault":
        controller.set_fault(arg("active", bool))
    elif action == "downstream_full":
        controller.set_downstream_full(arg("full", bool))
    elif action == "scan":
        controller.scan(arg("scanner", str), arg("text", str))
    return f"{action} done"


def sim_input_concerns(args: dict[str, Any], event: Any) -> bool:
    """Whether hardware ``event`` may come from the simulated input ``args`` (same device)."""
    action = args.get("action")
    if action in ("press", "hold"):
        return isinstance(
            event, hal.ButtonPressed | hal.ButtonLongPressed
        ) and event.call_type == args.get("call_type")
    if action == "acknowledge":
        return isinstance(event, hal.AcknowledgePressed | hal.AcknowledgeLongPressed)
    if action == "bin":
        return isinstance(event, hal.BinChanged) and event.part == args.get("part")
    if action in ("count", "scrap"):
        return isinstance(event, hal.CountPulse) and event.good == (action == "count")
    if action == "fault":
        return isinstance(event, hal.FaultChanged)
    if action == "downstream_full":
        return isinstance(event, hal.DownstreamFullChanged)
    if action == "scan":
        if isinstance(event, hal.Scanned):
            return event.scanner == args.get("scanner") and event.text == args.get("text")
        return isinstance(event, hal.ScanRejected) and event.scanner == args.get("scanner")
    return True
