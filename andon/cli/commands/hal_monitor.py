"""``andon hal-monitor``: print every input change live, to check the wiring."""

from __future__ import annotations

import argparse
import queue
import sys
import time
from typing import Any

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.catalog import Translator
from andon.i18n.device_problems import shown
from andon.i18n.markers import N_

PRESSED = N_("button {button}: pressed")
HELD = N_("button {button}: held (long press = cancel)")
ACK_PRESSED = N_("acknowledge: pressed")
ACK_HELD = N_("acknowledge: held (long press)")
BIN_EMPTY = N_("bin {part}: EMPTY (call material)")
BIN_FULL = N_("bin {part}: full again")
GOOD = N_("counter: good part +{n}")
SCRAP = N_("scrap +{n}")
FAULT_ACTIVE = N_("machine fault: ACTIVE")
FAULT_CLEARED = N_("machine fault: cleared")
DOWNSTREAM_FULL = N_("downstream buffer: FULL")
DOWNSTREAM_BELOW = N_("downstream buffer: below standard")
SCANNED = N_("scanner {scanner}: {text}")
SCAN_REJECTED = N_("scanner {scanner}: rejected, {reason}")
DEVICE_OK = N_("{device}: ok: {detail}")
DEVICE_PROBLEM = N_("{device}: PROBLEM: {detail}")
RAW_ACTIVE = N_("{device}: raw active")
RAW_INACTIVE = N_("{device}: raw inactive")
SECONDS = N_("hal-monitor: --seconds must be >= 0")
WALK_DONE = N_("simulated walk done")
FAILED = N_("hal-monitor: {error}")
WATCHING_PULL_UP = N_("watching {device} on GPIO{pin} (pull-up, active low)")
WATCHING_PULL_DOWN = N_("watching {device} on GPIO{pin} (pull-down, active high)")
WATCHING_SCANNER = N_("watching scanner {scanner} on {where}")
NO_INPUTS = N_("the pin map has no inputs")

NAME = "hal-monitor"
LOG_LEVEL = "ERROR"
"""A device's problem is one of the lines the command prints, in the terminal's language."""
HELP = N_(
    "Print every input change live (andon buttons, acknowledge, counters, fault, bins, "
    "downstream sensor, scanners); with --sim, walk every simulated input once."
)


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--config", required=True, metavar="FILE", help=_("station or store TOML file")
    )
    parser.add_argument(
        "--sim",
        action="store_true",
        help=_("simulated pins: press, pulse and scan every input once on a simulated clock"),
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        metavar="S",
        help=_("stop after S seconds (default: run until Ctrl-C)"),
    )
    parser.add_argument(
        "--raw", action="store_true", help=_("also print every raw pin edge, before debouncing")
    )


def describe(event: Any, tr: Translator | None = None) -> str:
    """One line for one HAL event, in ``tr``'s language (English without one)."""
    from hal import events as ev

    def line(message: str, **fields: object) -> str:
        return (message if tr is None else tr.gettext(message)).format(**fields)

    def problem(text: str) -> str:
        return text if tr is None else shown(text, tr)

    match event:
        case ev.ButtonPressed(call_type=call_type):
            return line(PRESSED, button=call_type)
        case ev.ButtonLongPressed(call_type=call_type):
            return line(HELD, button=call_type)
        case ev.AcknowledgePressed():
            return line(ACK_PRESSED)
        case ev.AcknowledgeLongPressed():
            return line(ACK_HELD)
        case ev.BinChanged(part=part, empty=empty):
            return line(BIN_EMPTY if empty else BIN_FULL, part=part)
        case ev.CountPulse(good=good, n=n):
            return line(GOOD if good else SCRAP, n=n)
        case ev.FaultChanged(active=active):
            return line(FAULT_ACTIVE if active else FAULT_CLEARED)
        case ev.DownstreamFullChanged(full=full):
            return line(DOWNSTREAM_FULL if full else DOWNSTREAM_BELOW)
        case ev.Scanned(scanner=scanner, text=text):
            return line(SCANNED, scanner=scanner, text=repr(text))
        case ev.ScanRejected(scanner=scanner, reason=reason):
            return line(SCAN_REJECTED, scanner=scanner, reason=problem(reason))
        case ev.DeviceStatus(device=device, ok=ok, detail=detail):
            shown_detail = problem(detail)
            return line(DEVICE_OK if ok else DEVICE_PROBLEM, device=device, detail=shown_detail)
        case ev.RawInput(device=device, active=active):
            return line(RAW_ACTIVE if active else RAW_INACTIVE, device=device)
    return repr(event)


def run(args: argparse.Namespace) -> int:
    from hal.clock import ManualClock
    from hal.errors import HalError
    from hal.hardware_file import load_hardware
    from hal.open_devices import open_devices

    tr = speech.terminal()
    if args.seconds is not None and args.seconds < 0:
        print(say(SECONDS, tr), file=sys.stderr)
        return 2
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()
    clock = ManualClock() if args.sim else time.monotonic
    started = clock()

    def show(event: Any) -> None:
        print(f"{event.at - started:9.3f}  {describe(event, tr)}", flush=True)

    try:
        hardware = load_hardware(args.config)
        sink = show if args.sim else events.put
        with open_devices(
            hardware, sim=args.sim, sink=sink, raw_events=args.raw, sim_clock=clock
        ) as (devices, controller):
            _print_inputs(devices, tr)
            if controller is not None:
                _walk_inputs(controller)
                print(say(WALK_DONE, tr))
            else:
                devices.start()
            _watch(events, show, args.seconds)
    except HalError as exc:
        print(say(FAILED, tr, error=speech.hardware(exc, tr)), file=sys.stderr)
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


def _print_inputs(devices: Any, tr: Translator) -> None:
    from hal.input_pin import EdgeInput

    inputs = [d for d in devices.all() if isinstance(d, EdgeInput)]
    for device in inputs:
        watching = WATCHING_PULL_UP if device.config.pull_up else WATCHING_PULL_DOWN
        print(say(watching, tr, device=device.name, pin=device.pin))
    for scanner in getattr(devices, "scanners", {}).values():
        where = getattr(scanner.config, "port", None) or getattr(scanner.config, "device", "")
        print(say(WATCHING_SCANNER, tr, scanner=scanner.name, where=where))
    if not inputs and not getattr(devices, "scanners", None):
        print(say(NO_INPUTS, tr))


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
