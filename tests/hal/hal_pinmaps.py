"""The demo pin maps and a pin-driving helper shared by the hardware layer's tests."""

from __future__ import annotations

from pathlib import Path

from gpiozero.pins.mock import MockFactory, MockPWMPin

from andon.config.hardware import StationHardware, StoreHardware


def demo_station(scanner_port: str | Path = "/dev/andon-scanner") -> StationHardware:
    """The demo station's pin map (BCM numbers, as in docs/wiring.md)."""
    return StationHardware.model_validate(
        {
            "buttons": {
                "help": {"pin": 17},
                "quality": {"pin": 27},
                "equipment": {"pin": 22},
            },
            "acknowledge": {"pin": 23},
            "counter": {"pin": 5, "debounce_s": 0.02},
            "scrap": {"pin": 6},
            "fault": {"pin": 13},
            "bins": [
                {"pin": 19, "part": "A-100", "settle_s": 2.0},
                {"pin": 26, "part": "B-200", "settle_s": 1.0},
            ],
            "tower": {
                "backend": "gpio",
                "tiers": [
                    {"colour": "red", "pin": 12},
                    {"colour": "yellow", "pin": 16},
                    {"colour": "green", "pin": 20},
                    {"colour": "blue", "pin": 21},
                ],
                "buzzer": {"pin": 24},
            },
            "line_stop": {"pin": 25},
            "downstream_full": {"pin": 4},
            "scanners": [{"name": "kanban", "port": str(scanner_port), "reopen_s": 0.5}],
        }
    )


def demo_store() -> StoreHardware:
    """The demo store board's pin map."""
    return StoreHardware.model_validate(
        {
            "plates": [
                {"part": "A-100", "pin": 5},
                {"part": "B-200", "pin": 6},
                {"part": "C-300", "pin": 13},
                {"part": "D-400", "pin": 19},
            ],
            "beacon": {"pin": 26},
            "buzzer": {"pin": 24},
        }
    )


def drive(factory: MockFactory, pin: int, active: bool, *, pull_up: bool = True) -> None:
    """Put an input pin at its active (or inactive) level."""
    mock = factory.pin(pin)
    if active != pull_up:
        mock.drive_high()
    else:
        mock.drive_low()


class HeldPin(MockPWMPin):
    """A pin whose contact is already closed at power-up: the pull resistor cannot lift it.

    Plain mock pins jump to their pull level when a device configures them, so
    this is how a test gets an input that is active before its device exists.
    """

    def _set_pull(self, value: str) -> None:
        self._pull = value


def held_at_start(factory: MockFactory, pin: int) -> None:
    """Make ``pin`` (pulled up) read active (low) from the moment a device takes it."""
    factory.pin(pin, pin_class=HeldPin)
