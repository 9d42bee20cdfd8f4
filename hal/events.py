"""What the hardware layer reports: small, typed, immutable events.

Every event carries ``at``, the injected monotonic clock's reading (seconds)
when the change counted. All events are delivered by ``tick()``, so they
arrive on the thread that drives the devices (the :class:`~hal.loop.HardwareLoop`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ButtonPressed:
    """An andon button was pressed and released before the long-press time."""

    call_type: str
    at: float


@dataclass(frozen=True, kw_only=True)
class ButtonLongPressed:
    """An andon button was held for its long-press time: cancel the call."""

    call_type: str
    at: float


@dataclass(frozen=True, kw_only=True)
class AcknowledgePressed:
    """The team leader's acknowledge button was pressed (short press)."""

    at: float


@dataclass(frozen=True, kw_only=True)
class AcknowledgeLongPressed:
    """The acknowledge button was held for its long-press time."""

    at: float


@dataclass(frozen=True, kw_only=True)
class BinChanged:
    """A bin sensor settled: ``empty`` True calls material, False means refilled.

    A push-button bin ("call material") only ever reports ``empty=True``.
    """

    part: str
    empty: bool
    at: float


@dataclass(frozen=True, kw_only=True)
class CountPulse:
    """``n`` parts counted: good parts from the cycle sensor, or scrap."""

    good: bool
    n: int = 1
    at: float


@dataclass(frozen=True, kw_only=True)
class FaultChanged:
    """The machine's own stop signal (jidoka) became active or cleared."""

    active: bool
    at: float


@dataclass(frozen=True, kw_only=True)
class DownstreamFullChanged:
    """The downstream buffer reached (True) or left (False) its standard quantity."""

    full: bool
    at: float


@dataclass(frozen=True, kw_only=True)
class Scanned:
    """A barcode scanner read one code."""

    scanner: str
    text: str
    at: float


@dataclass(frozen=True, kw_only=True)
class ScanRejected:
    """A scanner sent something that is not a code (binary data, an overlong line)."""

    scanner: str
    reason: str
    at: float


@dataclass(frozen=True, kw_only=True)
class DeviceStatus:
    """A device was lost (``ok`` False) or is working again (``ok`` True)."""

    device: str
    ok: bool
    detail: str
    at: float


@dataclass(frozen=True, kw_only=True)
class RawInput:
    """An input pin changed level, before any debouncing (only when asked for)."""

    device: str
    active: bool
    at: float


HalEvent = (
    ButtonPressed
    | ButtonLongPressed
    | AcknowledgePressed
    | AcknowledgeLongPressed
    | BinChanged
    | CountPulse
    | FaultChanged
    | DownstreamFullChanged
    | Scanned
    | ScanRejected
    | DeviceStatus
    | RawInput
)

EventSink = Callable[[HalEvent], None]
"""Where devices deliver events, e.g. ``queue.put`` or a station's handler."""
