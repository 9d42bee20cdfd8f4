"""``andon lamp-test``: walk every output so an electrician can check the wiring."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

NAME = "lamp-test"
HELP = (
    "Walk every output in turn (each tower tier steady, slow and fast, each buzzer tune, "
    "the line-stop relay, the store's plates and beacon) to check the wiring."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", required=True, metavar="FILE", help="station or store TOML file"
    )
    parser.add_argument(
        "--sim", action="store_true", help="simulated pins: print which outputs each step lit"
    )
    parser.add_argument(
        "--step-s", type=float, default=2.0, metavar="SECONDS", help="length of each step (2)"
    )


def run(args: argparse.Namespace) -> int:
    from hal.errors import HalError
    from hal.hardware_file import load_hardware
    from hal.open_devices import open_devices

    if args.step_s < 0:
        print("lamp-test: --step-s must be >= 0", file=sys.stderr)
        return 2
    try:
        hardware = load_hardware(args.config)
        with open_devices(hardware, sim=args.sim) as (devices, controller):
            devices.start()
            steps = list(_steps(devices))
            if not steps:
                print(f"{args.config}: the pin map has no outputs")
            for number, (label, action) in enumerate(steps, start=1):
                action()
                _wait_for_tower(devices)
                seen = ""
                if controller is not None:
                    seen = f"  [sim: on: {', '.join(controller.outputs_on()) or 'nothing'}]"
                print(f"{number:3d}. {label}{seen}", flush=True)
                time.sleep(args.step_s)
            print("done: every output is off")
    except HalError as exc:
        print(f"lamp-test: {exc}", file=sys.stderr)
        return 2
    return 0


def _wait_for_tower(devices: Any) -> None:
    """A LAN tower answers asynchronously: wait for its ACK (GPIO switches at once)."""
    from hal.pns_tower import PnsLampTower

    tower = getattr(devices, "tower", None)
    if isinstance(tower, PnsLampTower) and not tower.wait_sent(2 * tower.config.timeout_s + 1):
        print(f"     the tower did not acknowledge: {tower.problem}", file=sys.stderr)


def _steps(devices: Any) -> Iterator[tuple[str, Callable[[], None]]]:
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
                yield f"tower tier {position} ({colour}): {pattern}", show(tower, state)
        if getattr(tower, "buzzer", True) is not None:  # a PNS tower always has one
            for tune in tunes:
                yield f"tower buzzer: {tune}", show(tower, TowerState(buzzer=tune))
        yield "tower: all off", show(tower, TowerState())
    line_stop = getattr(devices, "line_stop", None)
    if line_stop is not None:
        yield "line-stop relay: STOP (energised)", line_stop.stop
        yield "line-stop relay: released", line_stop.release
    board = getattr(devices, "board", None)
    if board is not None:
        for part in board.parts:
            yield f"plate {part}: on", show(board, StoreBoardState(plates={part: Pattern.ON}))
        if board.beacon is not None:
            for pattern in patterns:
                yield f"beacon: {pattern}", show(board, StoreBoardState(beacon=pattern))
        if board.buzzer is not None:
            for tune in tunes:
                yield f"store buzzer: {tune}", show(board, StoreBoardState(buzzer=tune))
        yield "store board: all off", show(board, StoreBoardState())
