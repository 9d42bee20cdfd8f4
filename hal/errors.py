"""The errors the hardware layer raises: each says which device and what went wrong."""

from __future__ import annotations


class HalError(Exception):
    """A device could not be built, opened or driven."""


class DeviceConfigError(HalError, ValueError):
    """The pin map or lamp rules ask for something the hardware cannot do."""
