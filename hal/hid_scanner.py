"""A USB keyboard-wedge barcode scanner read through the Linux input layer (evdev).

The scanner "types" each code and presses Enter. We grab the device
exclusively (so the codes do not also land in a console), translate key
presses to text with a US keyboard layout (what scanners emulate by default)
and hand each line to the same checks as a serial scanner.

``evdev`` is an optional extra (``pip install 'andon[hid]'``; it needs a
compiler). It is imported only when a HID scanner is built.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import string
from types import ModuleType
from typing import Any, NamedTuple

from andon.config.hardware import HidScanner
from hal import errors as errs
from hal import problems as P
from hal.clock import Clock
from hal.errors import HalError
from hal.events import DeviceStatus, EventSink, Scanned, ScanRejected
from hal.scan_lines import ScanLineAssembler

log = logging.getLogger(__name__)

_PLAIN: dict[str, str] = {f"KEY_{c.upper()}": c for c in string.ascii_lowercase}
_PLAIN.update({f"KEY_{d}": d for d in string.digits})
_PLAIN.update({f"KEY_KP{d}": d for d in string.digits})
_PLAIN.update(
    {
        "KEY_SPACE": " ",
        "KEY_MINUS": "-",
        "KEY_EQUAL": "=",
        "KEY_LEFTBRACE": "[",
        "KEY_RIGHTBRACE": "]",
        "KEY_SEMICOLON": ";",
        "KEY_APOSTROPHE": "'",
        "KEY_GRAVE": "`",
        "KEY_BACKSLASH": "\\",
        "KEY_COMMA": ",",
        "KEY_DOT": ".",
        "KEY_SLASH": "/",
        "KEY_TAB": "\t",
        "KEY_KPMINUS": "-",
        "KEY_KPPLUS": "+",
        "KEY_KPASTERISK": "*",
        "KEY_KPSLASH": "/",
        "KEY_KPDOT": ".",
    }
)
_SHIFTED: dict[str, str] = {f"KEY_{c.upper()}": c.upper() for c in string.ascii_lowercase}
_SHIFTED.update(dict(zip([f"KEY_{d}" for d in "1234567890"], "!@#$%^&*()", strict=True)))
_SHIFTED.update(
    {
        "KEY_SPACE": " ",
        "KEY_MINUS": "_",
        "KEY_EQUAL": "+",
        "KEY_LEFTBRACE": "{",
        "KEY_RIGHTBRACE": "}",
        "KEY_SEMICOLON": ":",
        "KEY_APOSTROPHE": '"',
        "KEY_GRAVE": "~",
        "KEY_BACKSLASH": "|",
        "KEY_COMMA": "<",
        "KEY_DOT": ">",
        "KEY_SLASH": "?",
        "KEY_TAB": "\t",
    }
)
_SHIFT_KEYS = {"KEY_LEFTSHIFT", "KEY_RIGHTSHIFT"}
_ENTER_KEYS = {"KEY_ENTER", "KEY_KPENTER"}
_IGNORED_KEYS = {"KEY_LEFTCTRL", "KEY_RIGHTCTRL", "KEY_LEFTALT", "KEY_RIGHTALT", "KEY_NUMLOCK"}
KEY_UP, KEY_DOWN = 0, 1


class DecodedLine(NamedTuple):
    """One line typed by the scanner, and any keys we could not translate."""

    text: str
    unknown_keys: tuple[str, ...]


class KeyWedgeDecoder:
    """Key events in (``KEY_*`` names; value 1 down, 0 up, 2 repeat), lines out."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._unknown: list[str] = []
        self._shift = False
        self._caps = False

    def key(self, name: str, value: int) -> DecodedLine | None:
        """Feed one key event; returns the line when Enter goes down."""
        if name in _SHIFT_KEYS:
            self._shift = value != KEY_UP
            return None
        if value != KEY_DOWN or name in _IGNORED_KEYS:
            return None
        if name == "KEY_CAPSLOCK":
            self._caps = not self._caps
            return None
        if name in _ENTER_KEYS:
            line = DecodedLine("".join(self._chars), tuple(dict.fromkeys(self._unknown)))
            self._chars, self._unknown = [], []
            return line
        is_letter = name in _SHIFTED and _SHIFTED[name].isalpha()
        shifted = self._shift != (self._caps and is_letter)
        char = (_SHIFTED.get(name) if shifted else None) or _PLAIN.get(name)
        if char is None:
            self._unknown.append(name)
        else:
            self._chars.append(char)
        return None


def import_evdev() -> ModuleType:
    """The ``evdev`` module, or a :class:`HalError` saying how to get it."""
    try:
        return importlib.import_module("evdev")
    except ImportError as exc:
        raise HalError(errs.NEEDS_EVDEV) from exc


class HidScannerDevice:
    """Reads codes from ``config.device`` (an evdev node), grabbing it if ``config.grab``."""

    def __init__(
        self,
        config: HidScanner,
        *,
        clock: Clock,
        sink: EventSink,
        evdev: ModuleType | None = None,
    ) -> None:
        self._evdev = evdev if evdev is not None else import_evdev()
        self.config = config
        self.name = config.name
        self._clock = clock
        self._sink = sink
        self._reopen_s = config.reopen_s
        self._device: Any = None
        self._next_open_at = clock()
        self._problem: str | None = None
        self._closed = False
        self._decoder = KeyWedgeDecoder()
        self._lines = ScanLineAssembler(config.name, terminator=b"\n", max_length=config.max_length)

    @property
    def device_name(self) -> str:
        return f"scanner.{self.name}"

    @property
    def connected(self) -> bool:
        return self._device is not None

    def tick(self, now: float) -> None:
        """Open the device if due, then decode every waiting key event."""
        if self._closed:
            return
        if self._device is None and now >= self._next_open_at:
            self._open(now)
        if self._device is None:
            return
        try:
            events = list(self._device.read())
        except BlockingIOError:
            return
        except OSError as exc:
            self._lost(P.READ_FAILED.format(device=self.config.device, error=exc), now)
            return
        ecodes = self._evdev.ecodes
        for event in events:
            if event.type != ecodes.EV_KEY:
                continue
            name = ecodes.KEY.get(event.code, f"KEY_{event.code}")
            if isinstance(name, list | tuple):
                name = name[0]
            line = self._decoder.key(str(name), int(event.value))
            if line is not None:
                self._sink(self._judge(line, now))

    def _judge(self, line: DecodedLine, now: float) -> Scanned | ScanRejected:
        if line.unknown_keys:
            keys = ", ".join(line.unknown_keys)
            return ScanRejected(scanner=self.name, reason=P.UNMAPPED_KEYS.format(keys=keys), at=now)
        judged = self._lines.line(line.text.encode("utf-8"), now)
        if judged is None:
            return ScanRejected(scanner=self.name, reason=P.EMPTY_CODE, at=now)
        return judged

    def _open(self, now: float) -> None:
        try:
            device = self._evdev.InputDevice(self.config.device)
            if self.config.grab:
                device.grab()
        except OSError as exc:
            self._fail(P.CANNOT_OPEN.format(device=self.config.device, error=exc), now)
            return
        self._device = device
        self._decoder = KeyWedgeDecoder()
        if self._problem is not None:
            self._problem = None
            self._sink(
                DeviceStatus(
                    device=self.device_name,
                    ok=True,
                    detail=P.OPEN_AGAIN.format(device=self.config.device),
                    at=now,
                )
            )

    def _lost(self, reason: str, now: float) -> None:
        self._close_device()
        self._fail(reason, now)

    def _fail(self, reason: str, now: float) -> None:
        self._next_open_at = now + self._reopen_s
        if self._problem is None:
            log.warning("scanner %s: %s", self.name, reason)
            self._problem = reason
            self._sink(
                DeviceStatus(
                    device=self.device_name,
                    ok=False,
                    detail=P.RETRYING.format(problem=reason, seconds=f"{self._reopen_s:g}"),
                    at=now,
                )
            )

    def _close_device(self) -> None:
        if self._device is not None:
            device, self._device = self._device, None
            with contextlib.suppress(OSError):
                if self.config.grab:
                    device.ungrab()
            with contextlib.suppress(OSError):
                device.close()

    def close(self) -> None:
        """Release and close the device; safe to call twice."""
        self._closed = True
        self._close_device()

    @property
    def closed(self) -> bool:
        return self._closed
