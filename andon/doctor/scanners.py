"""Barcode scanners: the port or input device exists, this user may open it, and it opens."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from andon.config.hardware import HidScanner, SerialScanner
from andon.doctor.result import CheckResult, fail, ok, skip

CHECK = "scanner"
UDEV_HINT = (
    "plug the scanner in (USB serial/CDC mode) and look for it: ls -l /dev/andon-scanner*\n"
    "the udev rule /etc/udev/rules.d/99-andon-scanners.rules names it; for a scanner it does\n"
    "not know, add its vendor id (udevadm info /dev/ttyACM0 | grep ID_VENDOR_ID) and replug"
)


def check_scanners(scanners: Sequence[SerialScanner | HidScanner]) -> list[CheckResult]:
    """One result per scanner of the configuration."""
    if not scanners:
        return [skip(CHECK, "no scanners in this configuration")]
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
            f"{port}: no permission to open",
            "add the service user to the dialout group (sudo usermod -aG dialout andon; "
            "deploy/install.sh does), then restart the service",
        )
    import serial  # type: ignore[import-untyped,unused-ignore]

    try:
        with serial.Serial(str(port), baudrate=baud, timeout=0):
            pass
    except (serial.SerialException, OSError, ValueError) as exc:
        return fail(
            label,
            f"{port} does not open: {exc}",
            f"check the cable and that no other program holds the port (sudo fuser -v {port})",
        )
    return ok(label, f"{port} ({found}) opens at {baud} baud")


def check_input_device(name: str, device: Path) -> CheckResult:
    """A keyboard-wedge scanner's input device exists and is readable."""
    label = _label(name)
    found = _device(label, device, "plug the scanner in and look for it: ls -l /dev/input/by-id/")
    if isinstance(found, CheckResult):
        return found
    if not os.access(device, os.R_OK):
        return fail(
            label,
            f"{device}: no permission to read",
            "add the service user to the input group (sudo usermod -aG input andon; "
            "deploy/install.sh does), then restart the service",
        )
    return ok(label, f"{device} ({found}) is readable")


def _device(label: str, path: Path, hint: str) -> str | CheckResult:
    """The device's real path, or the failure that it is missing or no device."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return fail(label, f"{path} does not exist", hint)
    except OSError as exc:
        return fail(label, f"{path}: {exc.strerror}", hint)
    if not stat.S_ISCHR(mode):
        return fail(label, f"{path} is not a device", hint)
    return str(path.resolve()) if path.is_symlink() else "character device"
