"""Closing a set of devices: every one is closed even if some fail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def close_all(devices: Iterable[Any]) -> list[str]:
    """Call ``close()`` on each device; returns one message per failure."""
    errors = []
    for device in list(devices):
        try:
            device.close()
        except Exception as exc:
            errors.append(f"closing {device!r}: {exc}")
    return errors
