"""Barcode scanners: the port or input device exists, this user may open it, and it opens."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from andon.config.hardware import HidScanner, SerialScanner
from andon.doctor import words as W
from andon.doctor.result import CheckResult, fail, ok, skip

CHECK = "scanner"
UDEV_HINT = W.UDEV_HINT


def check_scanners(scanners: Sequence[SerialScanner | HidScanner]) -> list[CheckResult]:
    """One result per scanner of the configuration."""
    if not scanners:
        return [skip(CHECK, W.NO_SCANNERS)]
    return [
        check_serial_port(s.name, Path(s.port), s.baud)
        if isinstance(s, SerialScanner)
        else check_input_device(s.name, Path(s.device))
        for s in scanners
    ]


def _label(name: str) -> str:
    return CHECK if name == CHECK else f"{CHECK} {name}"


def check_serial_port(name: str, port: Path, baud: int = 9600) -> CheckResult:
    """The serial port exists, is a character device, and opens at ``baud``."""
    label = _label(name)
    found = _device(label, port, UDEV_HINT)
    if isinstance(found, CheckResult):
        return found
    if not os.access(port, os.R_OK | os.W_OK):
        return fail(
            label,
            W.NO_PERMISSION_OPEN.format(device=port),
            W.DIALOUT_GROUP,
        )
    import serial  # type: ignore[import-untyped,unused-ignore]

    try:
        with serial.Serial(str(port), baudrate=baud, timeout=0):
            pass
    except (serial.SerialException, OSError, ValueError) as exc:
        return fail(
            label,
            W.DOES_NOT_OPEN.format(device=port, error=exc),
            W.HOLDS_THE_PORT.format(device=port),
        )
    return ok(label, W.OPENS.format(device=port, found=found, baud=baud))


def check_input_device(name: str, device: Path) -> CheckResult:
    """A keyboard-wedge scanner's input device exists and is readable."""
    label = _label(name)
    found = _device(label, device, W.LOOK_FOR_IT)
    if isinstance(found, CheckResult):
        return found
    if not os.access(device, os.R_OK):
        return fail(
            label,
            W.NO_PERMISSION_READ.format(device=device),
            W.INPUT_GROUP,
        )
    return ok(label, W.READABLE.format(device=device, found=found))


def _device(label: str, path: Path, hint: str) -> str | CheckResult:
    """The device's real path, or the failure that it is missing or no device."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return fail(label, W.NO_DEVICE_FILE.format(device=path), hint)
    except OSError as exc:
        return fail(label, W.DEVICE_ERROR.format(device=path, error=exc.strerror), hint)
    if not stat.S_ISCHR(mode):
        return fail(label, W.NOT_A_DEVICE.format(device=path), hint)
    return str(path.resolve()) if path.is_symlink() else W.CHARACTER_DEVICE
