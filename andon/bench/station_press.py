"""Press → lamp and press → event at a plain subscriber, on one running station.

The station is the production one (``build_station(..., sim=True)``: its own
loop thread, journal, outbox and MQTT client); only its pins are simulated.
For every press the bench records the release edge, the moment the station
got the debounced press from the HAL, the moment the yellow tier's pin came
on, how long the station's durable journal append of the press's events took,
and the moment a plain paho subscriber received the ``call_raised`` event.
The call is then cancelled and the next press waits for the lamp to go out.

The reference for the lamp is the simulated HAL alone: the same devices and
lamp rules, ticked at once from the pin's edge (as the station's loop is
woken), switching the tower straight from the button event (no domain, no
journal, no thread hand-over).
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from andon.bench.presses import (
    BENCH_STATION,
    CALL_TYPE,
    LAMP,
    PinWatch,
    press,
    quick_buttons,
    tier_pin,
    wait_until,
)
from andon.bench.raw_mqtt import RawClient
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_station
from andon.domain import commands as cmd
from andon.journal.store import Journal
from andon.station.assemble import build_station, tower_colours
from hal import events as hal
from hal.lamp_rules import LampRules
from hal.loop import HardwareLoop
from hal.sim import SimStation


@dataclass
class PressTimes:
    """Seconds from the release edge, one entry per press."""

    lamp: list[float] = field(default_factory=list)
    hal_to_lamp: list[float] = field(default_factory=list)
    """From the station receiving the debounced press to the lamp (the station's own work)."""
    append: list[float] = field(default_factory=list)
    """How long the station's durable journal append of the press's events took."""
    event: list[float] = field(default_factory=list)
    """To a plain subscriber's receipt of ``call_raised`` (empty without a broker)."""


def measure_station(count: int, broker_port: int | None, budget_s: float) -> PressTimes:
    """``count`` presses on a station (connected to the broker on ``broker_port`` if given)."""
    config = quick_buttons(load_station(BENCH_STATION))
    times = PressTimes()
    received: dict[str, float] = {}
    arrived = threading.Condition()

    def on_message(topic: str, payload: bytes, at: float) -> None:
        message = json.loads(payload)
        if message.get("kind") == "call_raised":
            with arrived:
                received[message["data"]["call_id"]] = at
                arrived.notify_all()

    with tempfile.TemporaryDirectory(prefix="andon-bench-") as workdir:
        settings = None
        if broker_port is not None:
            settings = BrokerSettings(
                host="127.0.0.1", port=broker_port, client_id="bench-station", clean_session=False
            )
        runtime = build_station(
            config,
            sim=True,
            connect=settings is not None,
            settings=settings,
            journal_path=Path(workdir) / "journal.sqlite",
        )
        agent, controller = runtime.agent, runtime.sim
        assert controller is not None
        got_press: list[float] = []
        deliver = agent.on_hal_event

        def stamped(event: Any) -> None:
            if isinstance(event, hal.ButtonPressed):
                got_press.append(time.monotonic())
            deliver(event)

        agent.on_hal_event = stamped  # type: ignore[method-assign]
        appends = _time_appends(agent.core.journal)
        subscriber = None
        agent.start()
        try:
            if broker_port is not None:
                subscriber = RawClient(
                    broker_port, on_message=on_message, subscriptions=[agent.address.events()]
                ).start()
                wait_until(lambda: agent.bus is not None and agent.bus.connected, 10.0)
            watch = PinWatch(tier_pin(controller, LAMP))
            wait_until(lambda: not watch.pin.state)
            deadline = time.monotonic() + budget_s
            for _ in range(count):
                if time.monotonic() > deadline:
                    break
                got_press.clear()
                appends.clear()
                one = press(controller, watch)
                call = agent.core.state.open_call(CALL_TYPE)
                if call is None or not got_press:
                    raise RuntimeError("the press raised no call")
                times.lamp.append(one.lamp - one.edge)
                times.hal_to_lamp.append(one.lamp - got_press[0])
                if subscriber is not None:
                    call_id = call.call_id
                    with arrived:
                        if not arrived.wait_for(lambda: call_id in received, 5.0):  # noqa: B023
                            raise RuntimeError("the call_raised event never reached the subscriber")
                    times.event.append(received[call_id] - one.edge)
                append_s = partial(_first_append_s, appends, got_press[0])
                wait_until(lambda: append_s() is not None)  # noqa: B023
                times.append.append(append_s())
                agent.run_on_loop(
                    partial(
                        agent.core.execute,
                        cmd.cancel,
                        call_id=call.call_id,
                        by="bench",
                        source="bench",
                    )
                )
                wait_until(lambda: agent.core.state.open_call(CALL_TYPE) is None)
                wait_until(lambda: not watch.pin.state)
        finally:
            if subscriber is not None:
                subscriber.stop()
            agent.stop()
    return times


def _time_appends(journal: Journal | None) -> list[tuple[float, float]]:
    """From now on, (start, end) of every durable append of ``journal``, on the monotonic clock."""
    appends: list[tuple[float, float]] = []
    if journal is None:
        return appends
    append_many = journal.append_many

    def timed(events: Any) -> Any:
        started = time.monotonic()
        try:
            return append_many(events)
        finally:
            appends.append((started, time.monotonic()))

    journal.append_many = timed  # type: ignore[method-assign]
    return appends


def _first_append_s(appends: list[tuple[float, float]], after: float) -> float | None:
    """How long the first append that started at ``after`` or later took (None: none yet)."""
    return next((end - start for start, end in appends if start >= after), None)


def measure_hal_alone(count: int, budget_s: float) -> list[float]:
    """Seconds from release edge to lamp with only the simulated HAL and the lamp rules.

    The devices are ticked from the edge itself (and by their 50 Hz loop for time).
    """
    config = quick_buttons(load_station(BENCH_STATION))
    plant = config.plant_config
    rules = LampRules.from_config(plant.lamps, tower_colours(config), plant.call_types)
    idle = rules.evaluate(set())
    calling = rules.evaluate({f"call.{CALL_TYPE}"})
    samples: list[float] = []
    box: list[SimStation] = []

    def sink(event: Any) -> None:
        if isinstance(event, hal.ButtonPressed) and box:
            tower = box[0].devices.tower
            assert tower is not None
            tower.show(calling)

    simulation = SimStation(config.hardware, sink=sink, clock=time.monotonic)
    box.append(simulation)
    simulation.devices.wake_on_edges(lambda: simulation.devices.tick(time.monotonic()))
    loop = HardwareLoop(simulation.devices.tick).start()
    try:
        tower = simulation.devices.tower
        assert tower is not None
        tower.show(idle)
        watch = PinWatch(tier_pin(simulation.controller, LAMP))
        deadline = time.monotonic() + budget_s
        for _ in range(count):
            if time.monotonic() > deadline:
                break
            one = press(simulation.controller, watch)
            samples.append(one.lamp - one.edge)
            tower.show(idle)
            wait_until(lambda: not watch.pin.state)
            time.sleep(0.005)  # the release's debounce window closes
    finally:
        loop.stop()
        simulation.close()
    return samples
