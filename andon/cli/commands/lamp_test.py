"""``andon lamp-test``: walk every output so an electrician can check the wiring."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.catalog import Translator
from andon.i18n.markers import N_

STEP_S = N_("lamp-test: --step-s must be >= 0")
NO_OUTPUTS = N_("{file}: the pin map has no outputs")
SIM_ON = N_("[sim: on: {outputs}]")
SIM_NOTHING_ON = N_("[sim: on: nothing]")
DONE = N_("done: every output is off")
FAILED = N_("lamp-test: {error}")
NO_ACK = N_("the tower did not acknowledge: {problem}")
TIER = N_("tower tier {position} ({colour}): {pattern}")
TOWER_BUZZER = N_("tower buzzer: {tune}")
TOWER_OFF = N_("tower: all off")
RELAY_STOP = N_("line-stop relay: STOP (energised)")
RELAY_RELEASED = N_("line-stop relay: released")
PLATE_ON = N_("plate {part}: on")
BEACON = N_("beacon: {pattern}")
STORE_BUZZER = N_("store buzzer: {tune}")
STORE_OFF = N_("store board: all off")

NAME = "lamp-test"
LOG_LEVEL = "ERROR"
"""A tower that does not answer is said by the command itself, in the terminal's language."""
HELP = N_(
    "Walk every output in turn (each tower tier steady, slow and fast, each buzzer tune, "
    "the line-stop relay, the store's plates and beacon) to check the wiring."
)


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--config", required=True, metavar="FILE", help=_("station or store TOML file")
    )
    parser.add_argument(
        "--sim", action="store_true", help=_("simulated pins: print which outputs each step lit")
    )
    parser.add_argument(
        "--step-s",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help=_("length of each step (default {seconds})").format(seconds=2),
    )


def run(args: argparse.Namespace) -> int:
    from hal.errors import HalError
    from hal.hardware_file import load_hardware
    from hal.open_devices import open_devices

    tr = speech.terminal()
    if args.step_s < 0:
        print(say(STEP_S), file=sys.stderr)
        return 2
    try:
        hardware = load_hardware(args.config)
        with open_devices(hardware, sim=args.sim) as (devices, controller):
            devices.start()
            steps = list(_steps(devices, tr))
            if not steps:
                print(say(NO_OUTPUTS, tr, file=args.config))
            for number, (label, action) in enumerate(steps, start=1):
                action()
                _wait_for_tower(devices)
                seen = ""
                if controller is not None:
                    on = ", ".join(controller.outputs_on())
                    seen = "  " + (say(SIM_ON, tr, outputs=on) if on else say(SIM_NOTHING_ON, tr))
                print(f"{number:3d}. {label}{seen}", flush=True)
                time.sleep(args.step_s)
            print(say(DONE, tr))
    except HalError as exc:
        print(say(FAILED, error=speech.hardware(exc)), file=sys.stderr)
        return 2
    return 0


def _wait_for_tower(devices: Any) -> None:
    """A LAN tower answers asynchronously: wait for its ACK (GPIO switches at once)."""
    from hal.pns_tower import PnsLampTower

    tower = getattr(devices, "tower", None)
    if isinstance(tower, PnsLampTower) and not tower.wait_sent(2 * tower.config.timeout_s + 1):
        print("     " + say(NO_ACK, problem=speech.hardware(tower.problem)), file=sys.stderr)


def _steps(devices: Any, tr: Translator) -> Iterator[tuple[str, Callable[[], None]]]:
    from hal.patterns import BuzzerPattern, Pattern, TowerState
    from hal.store_board import StoreBoardState

    def show(target: Any, state: Any) -> Callable[[], None]:
        return lambda: target.show(state)

    patterns = (Pattern.ON, Pattern.SLOW, Pattern.FAST)
    tunes = [tune for tune in BuzzerPattern if tune != BuzzerPattern.OFF]
    tower = getattr(devices, "tower", None)
    if tower is not None:
        for position, colour in enumerate(tower.colours, start=1):
            for pattern in patterns:
                state = TowerState(lamps={colour: pattern})
                step = say(TIER, tr, position=position, colour=colour, pattern=pattern)
                yield step, show(tower, state)
        if getattr(tower, "buzzer", True) is not None:  # a PNS tower always has one
            for tune in tunes:
                yield say(TOWER_BUZZER, tr, tune=tune), show(tower, TowerState(buzzer=tune))
        yield say(TOWER_OFF, tr), show(tower, TowerState())
    line_stop = getattr(devices, "line_stop", None)
    if line_stop is not None:
        yield say(RELAY_STOP, tr), line_stop.stop
        yield say(RELAY_RELEASED, tr), line_stop.release
    board = getattr(devices, "board", None)
    if board is not None:
        for part in board.parts:
            plate = StoreBoardState(plates={part: Pattern.ON})
            yield say(PLATE_ON, tr, part=part), show(board, plate)
        if board.beacon is not None:
            for pattern in patterns:
                yield say(BEACON, tr, pattern=pattern), show(board, StoreBoardState(beacon=pattern))
        if board.buzzer is not None:
            for tune in tunes:
                yield say(STORE_BUZZER, tr, tune=tune), show(board, StoreBoardState(buzzer=tune))
        yield say(STORE_OFF, tr), show(board, StoreBoardState())
