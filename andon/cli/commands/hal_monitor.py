"""``andon hal-monitor``: print every input change live, to check the wiring."""

from __future__ import annotations

import argparse
import queue
import sys
import time
from typing import Any

NAME = "hal-monitor"
HELP = (
    "Print every input change live (andon buttons, acknowledge, counters, fault, bins, "
    "downstream sensor, scanners); with --sim, walk every simulated input once."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", required=True, metavar="FILE", help="station or store TOML file"
    )
    parser.add_argument(
        "--sim",
        action="store_true",
        help="simulated pins: press, pulse and scan every input once on a simulated clock",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        metavar="S",
        help="stop after S seconds (default: run until Ctrl-C)",
    )
    parser.add_argument(
        "--raw", action="store_true", help="also print every raw pin edge, before debouncing"
    )


def describe(event: Any) -> str:
    """One line for one HAL event."""
    from hal import events as ev

    match event:
        case ev.ButtonPressed(call_type=call_type):
            return f"button {call_type}: pressed"
        case ev.ButtonLongPressed(call_type=call_type):
            return f"button {call_type}: held (long press = cancel)"
        case ev.AcknowledgePressed():
            return "acknowledge: pressed"
        case ev.AcknowledgeLongPressed():
            return "acknowledge: held (long press)"
        case ev.BinChanged(part=part, empty=empty):
            return f"bin {part}: {'EMPTY (call material)' if empty else 'full again'}"
        case ev.CountPulse(good=good, n=n):
            return f"{'counter: good part' if good else 'scrap'} +{n}"
        case ev.FaultChanged(active=active):
            return f"machine fault: {'ACTIVE' if active else 'cleared'}"
        case ev.DownstreamFullChanged(full=full):
            return f"downstream buffer: {'FULL' if full else 'below standard'}"
        case ev.Scanned(scanner=scanner, text=text):
            return f"scanner {scanner}: {text!r}"
        case ev.ScanRejected(scanner=scanner, reason=reason):
            return f"scanner {scanner}: rejected, {reason}"
        case ev.DeviceStatus(device=device, ok=ok, detail=detail):
            return f"{device}: {'ok' if ok else 'PROBLEM'}: {detail}"
        case ev.RawInput(device=device, active=active):
            return f"{device}: raw {'active' if active else 'inactive'}"
    return repr(event)


def run(args: argparse.Namespace) -> int:
    from hal.clock import ManualClock
    from hal.errors import HalError
    from hal.hardware_file import load_hardware
    from hal.open_devices import open_devices

    if args.seconds is not None and args.seconds < 0:
        print("hal-monitor: --seconds must be >= 0", file=sys.stderr)
        return 2
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()
    clock = ManualClock() if args.sim else time.monotonic
    started = clock()

    def show(event: Any) -> None:
        print(f"{event.at - started:9.3f}  {describe(event)}", flush=True)

    try:
        hardware = load_hardware(args.config)
        sink = show if args.sim else events.put
        with open_devices(
            hardware, sim=args.sim, sink=sink, raw_events=args.raw, sim_clock=clock
        ) as (devices, controller):
            _print_inputs(devices)
            if controller is not None:
                _walk_inputs(controller)
                print("simulated walk done")
            else:
                devices.start()
            _watch(events, show, args.seconds)
    except HalError as exc:
        print(f"hal-monitor: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def _watch(events: Any, show: Any, seconds: float | None) -> None:
    """Print queued events until ``seconds`` have passed (or forever)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    while deadline is None or time.monotonic() < deadline:
        wait = 0.5 if deadline is None else max(0.0, min(0.5, deadline - time.monotonic()))
        try:
            show(events.get(timeout=wait))
        except queue.Empty:
            continue


def _print_inputs(devices: Any) -> None:
    from hal.input_pin import EdgeInput

    inputs = [d for d in devices.all() if isinstance(d, EdgeInput)]
    for device in inputs:
        wiring = "pull-up, active low" if device.config.pull_up else "pull-down, active high"
        print(f"watching {device.name} on GPIO{device.pin} ({wiring})")
    for scanner in getattr(devices, "scanners", {}).values():
        where = getattr(scanner.config, "port", None) or getattr(scanner.config, "device", "")
        print(f"watching scanner {scanner.name} on {where}")
    if not inputs and not getattr(devices, "scanners", None):
        print("the pin map has no inputs")


def _walk_inputs(sim: Any) -> None:
    """Operate every simulated input once, so each kind of line shows up."""
    from andon.config.hardware import StationHardware

    hardware = sim.hardware
    if isinstance(hardware, StationHardware):
        for call_type, button in hardware.buttons.items():
            sim.press(call_type)
            sim.hold(call_type, button.long_press_s + sim.step_s)
            sim.release(call_type)
        if hardware.acknowledge is not None:
            sim.acknowledge()
        if hardware.counter is not None:
            sim.pulse_counter(3)
        if hardware.scrap is not None:
            sim.scrap(1)
        if hardware.fault is not None:
            sim.set_fault(True)
            sim.set_fault(False)
        if hardware.downstream_full is not None:
            sim.set_downstream_full(True)
            sim.set_downstream_full(False)
        for sensor in hardware.bins:
            sim.set_bin(sensor.part, True)
            sim.set_bin(sensor.part, False)
    for scanner in hardware.scanners:
        sim.scan(scanner.name, f"SIM-{scanner.name.upper()}-0001")
