"""Keyboard-wedge scanners: the key decoding, the missing-evdev error, and the
read/grab/reopen loop against a stand-in for the ``evdev`` module (the real
one needs a compiler and /dev/uinput, which test machines lack)."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import ClassVar

import pytest

from andon.config.hardware import HidScanner
from hal.errors import HalError
from hal.events import DeviceStatus, Scanned, ScanRejected
from hal.hid_scanner import DecodedLine, HidScannerDevice, KeyWedgeDecoder, import_evdev

DOWN, UP = 1, 0


def type_keys(decoder: KeyWedgeDecoder, keys: list[str]) -> DecodedLine | None:
    line = None
    for key in keys:
        shifted = key.startswith("+")
        name = key.lstrip("+")
        if shifted:
            decoder.key("KEY_LEFTSHIFT", DOWN)
        line = decoder.key(name, DOWN) or line
        decoder.key(name, UP)
        if shifted:
            decoder.key("KEY_LEFTSHIFT", UP)
    return line


def test_keys_become_text_with_shift() -> None:
    keys = ["+KEY_K", "+KEY_B", "+KEY_MINUS", "KEY_0", "KEY_4", "KEY_2", "KEY_DOT", "KEY_A"]
    line = type_keys(KeyWedgeDecoder(), [*keys, "KEY_ENTER"])
    assert line == DecodedLine("KB_042.a", ())


def test_caps_lock_shifts_letters_only() -> None:
    line = type_keys(KeyWedgeDecoder(), ["KEY_CAPSLOCK", "KEY_A", "KEY_1", "+KEY_B", "KEY_ENTER"])
    assert line == DecodedLine("A1b", ())


def test_keypad_and_repeats() -> None:
    decoder = KeyWedgeDecoder()
    decoder.key("KEY_KP7", DOWN)
    decoder.key("KEY_KP7", 2)  # auto-repeat is not a new character
    decoder.key("KEY_KP7", UP)
    assert type_keys(decoder, ["KEY_KPMINUS", "KEY_KPENTER"]) == DecodedLine("7-", ())


def test_shift_leaves_keypad_digits_alone() -> None:
    assert type_keys(KeyWedgeDecoder(), ["+KEY_KP5", "+KEY_5", "KEY_ENTER"]) == DecodedLine(
        "5%", ()
    )


def test_unmapped_keys_are_named() -> None:
    line = type_keys(KeyWedgeDecoder(), ["KEY_A", "KEY_F5", "KEY_F5", "KEY_ENTER"])
    assert line == DecodedLine("a", ("KEY_F5",))


def test_without_evdev_the_error_says_how_to_get_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "evdev", None)
    with pytest.raises(HalError, match=r"andon\[hid\]"):
        import_evdev()
    config = HidScanner(kind="hid", device="/dev/input/event7")
    with pytest.raises(HalError, match="evdev"):
        HidScannerDevice(config, clock=lambda: 0.0, sink=lambda event: None)


class StandInInputDevice:
    """Plays back key events like ``evdev.InputDevice`` in non-blocking mode."""

    plugged = True
    opened: ClassVar[list[StandInInputDevice]] = []

    def __init__(self, path: str) -> None:
        if not StandInInputDevice.plugged:
            raise FileNotFoundError(2, "No such file or directory", path)
        self.path, self.grabbed, self.closed = path, False, False
        self.queue: list[SimpleNamespace] = []
        StandInInputDevice.opened.append(self)

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def close(self) -> None:
        self.closed = True

    def read(self):
        if not StandInInputDevice.plugged:
            raise OSError(19, "No such device")
        if not self.queue:
            raise BlockingIOError
        events, self.queue = self.queue, []
        return iter(events)

    def type(self, codes: list[int]) -> None:
        for code in codes:
            self.queue.append(SimpleNamespace(type=1, code=code, value=DOWN))
            self.queue.append(SimpleNamespace(type=1, code=code, value=UP))
        self.queue.append(SimpleNamespace(type=4, code=4, value=458756))  # EV_MSC noise


KEYS = {30: "KEY_A", 2: "KEY_1", 28: "KEY_ENTER", 59: "KEY_F1"}
STAND_IN_EVDEV = SimpleNamespace(
    InputDevice=StandInInputDevice, ecodes=SimpleNamespace(EV_KEY=1, KEY=KEYS)
)


def test_the_device_grabs_reads_and_reopens(clock, events) -> None:
    StandInInputDevice.plugged, StandInInputDevice.opened = True, []
    config = HidScanner(kind="hid", name="wedge", device="/dev/input/event7", reopen_s=0.5)
    device = HidScannerDevice(config, clock=clock, sink=events.append, evdev=STAND_IN_EVDEV)
    device.tick(clock())
    first = StandInInputDevice.opened[0]
    assert first.grabbed and device.connected
    first.type([30, 2, 28, 30, 59, 28])
    device.tick(clock())
    assert events[0] == Scanned(scanner="wedge", text="a1", at=clock())
    assert isinstance(events[1], ScanRejected) and "KEY_F1" in events[1].reason

    StandInInputDevice.plugged = False
    clock.advance(0.1)
    device.tick(clock())
    assert not device.connected and first.closed
    assert isinstance(events[2], DeviceStatus) and not events[2].ok

    StandInInputDevice.plugged = True
    clock.advance(0.5)
    device.tick(clock())
    second = StandInInputDevice.opened[1]
    second.type([2, 28])
    device.tick(clock())
    device.close()
    assert second.closed and not second.grabbed
    assert [getattr(e, "text", None) for e in events[3:]] == [None, "1"]
    assert events[3] == DeviceStatus(
        device="scanner.wedge", ok=True, detail="/dev/input/event7 open again", at=clock()
    )
