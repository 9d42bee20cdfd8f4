"""The pin map: which physical device sits on which pin (the ``[hardware]`` table).

Pins are BCM GPIO numbers (``GPIO17`` is ``17``). Every model here only
describes hardware; ``hal/`` builds the devices from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag, model_validator

from andon.config import wording as W
from andon.config.base import ConfigModel

Pin = Annotated[int, Field(ge=0, le=27, description="BCM GPIO number")]
Colour = Literal["red", "yellow", "green", "blue", "white"]
_PNS_COLOURS: tuple[Colour, ...] = ("red", "yellow", "green", "blue", "white")


class InputPin(ConfigModel):
    """A digital input: a button, a sensor contact or a machine signal."""

    pin: Pin
    pull_up: bool = True
    """True: the contact pulls the pin to ground when active (the usual button wiring)."""
    debounce_s: float = Field(default=0.05, ge=0, le=5)


class ButtonPin(InputPin):
    """An andon button; holding it for ``long_press_s`` means "cancel"."""

    long_press_s: float = Field(default=2.0, gt=0, le=30)


class BinSensor(InputPin):
    """A bin-empty sensor or button for one part."""

    part: str = Field(min_length=1)
    settle_s: float = Field(default=2.0, ge=0, le=120)
    """The input must hold its new level this long before it counts (a wobbling bin)."""
    button: bool = False
    """True for a push button ("call material") rather than a level sensor."""


class OutputPin(ConfigModel):
    """A digital output driving a relay or a lamp."""

    pin: Pin
    active_high: bool = True


class TowerTier(OutputPin):
    """One tier of a GPIO-driven lamp tower, top tier first in the list."""

    colour: Colour


class GpioTower(ConfigModel):
    """A stack light wired through relays to GPIO outputs, plus an optional buzzer."""

    backend: Literal["gpio"] = "gpio"
    tiers: list[TowerTier] = Field(min_length=1, max_length=5)
    buzzer: OutputPin | None = None

    @model_validator(mode="after")
    def _one_tier_per_colour(self) -> GpioTower:
        colours = [tier.colour for tier in self.tiers]
        duplicates = sorted({c for c in colours if colours.count(c) > 1})
        if duplicates:
            raise ValueError(W.COLOUR_ONE_TIER.format(colours=duplicates))
        return self


class PnsTower(ConfigModel):
    """A Patlite-compatible LAN signal tower spoken to in the PNS protocol over TCP."""

    backend: Literal["pns"]
    host: str = Field(min_length=1)
    port: int = Field(default=10000, ge=1, le=65535)
    colours: list[Colour] = Field(
        default_factory=lambda: list(_PNS_COLOURS),
        min_length=1,
        max_length=5,
    )
    """The colour of each of the tower's tiers, top first (PNS addresses tiers by position)."""
    timeout_s: float = Field(default=2.0, gt=0, le=30)
    retry_s: float = Field(default=5.0, gt=0, le=300)
    """How long to wait before trying again after the tower did not answer."""


class SerialScanner(ConfigModel):
    """A barcode scanner on a serial port (RS-232, or USB in serial/CDC mode)."""

    kind: Literal["serial"] = "serial"
    name: str = Field(default="scanner", min_length=1)
    port: str = Field(min_length=1, description="e.g. /dev/andon-scanner (a udev name)")
    baud: int = Field(default=9600, gt=0)
    terminator: Annotated[
        str, StringConstraints(strip_whitespace=False, min_length=1, max_length=2)
    ] = "\r"
    """The end of each code, e.g. "\\r" or "\\r\\n" (kept as written, never stripped)."""
    reopen_s: float = Field(default=1.0, gt=0, le=60)
    max_length: int = Field(default=256, ge=8, le=4096)


class HidScanner(ConfigModel):
    """A USB keyboard-wedge scanner read through the Linux input layer."""

    kind: Literal["hid"]
    name: str = Field(default="scanner", min_length=1)
    device: str = Field(min_length=1, description="e.g. /dev/input/by-id/usb-...-event-kbd")
    grab: bool = True
    max_length: int = Field(default=256, ge=8, le=4096)
    reopen_s: float = Field(default=1.0, gt=0, le=60)
    """How often to try again to open the device after it vanished (unplugged)."""


def _tag_or(key: str, default: str) -> Callable[[Any], Any]:
    """A union discriminator that falls back to ``default`` when the key is left out."""

    def tag(value: Any) -> Any:
        if isinstance(value, dict):
            return value.get(key, default)
        return getattr(value, key, default)

    return tag


Scanner = Annotated[
    Annotated[SerialScanner, Tag("serial")] | Annotated[HidScanner, Tag("hid")],
    Discriminator(_tag_or("kind", "serial")),
]
"""A scanner; ``kind`` may be left out for a serial scanner (its default)."""
Tower = Annotated[
    Annotated[GpioTower, Tag("gpio")] | Annotated[PnsTower, Tag("pns")],
    Discriminator(_tag_or("backend", "gpio")),
]
"""A lamp tower; ``backend`` may be left out for a GPIO tower (its default)."""


def _pins_in(model: ConfigModel, path: str) -> Iterator[tuple[str, int]]:
    """Yield ``(key path, pin)`` for every pin in a model, recursively."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if name == "pin" and isinstance(value, int):
            yield here, value
        elif isinstance(value, ConfigModel):
            yield from _pins_in(value, here)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, ConfigModel):
                    yield from _pins_in(item, f"{here}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, ConfigModel):
                    yield from _pins_in(item, f"{here}[{index}]")


def check_unique_pins(model: ConfigModel) -> None:
    """Raise ``ValueError`` naming both devices when two of them share a pin."""
    seen: dict[int, str] = {}
    clashes = []
    for path, pin in _pins_in(model, ""):
        if pin in seen:
            clashes.append(W.PIN_CLASH.format(pin=pin, first=seen[pin], second=path))
        else:
            seen[pin] = path
    if clashes:
        raise ValueError("; ".join(clashes))


class StationHardware(ConfigModel):
    """Everything wired to one station's Raspberry Pi."""

    buttons: dict[str, ButtonPin] = Field(default_factory=dict)
    """Andon buttons keyed by call type (``help``, ``quality``, ``equipment`` ...)."""
    acknowledge: ButtonPin | None = None
    """The team leader's acknowledge button at the station."""
    counter: InputPin | None = None
    """The cycle / good-part sensor."""
    scrap: InputPin | None = None
    fault: InputPin | None = None
    """The machine's own stop signal (jidoka): active raises an equipment call."""
    bins: list[BinSensor] = Field(default_factory=list)
    tower: Tower | None = None
    line_stop: OutputPin | None = None
    """The relay that stops the conveyor."""
    scanners: list[Scanner] = Field(default_factory=list)
    downstream_full: InputPin | None = None
    """Optional full-work sensor: the downstream buffer holds its standard quantity."""

    @model_validator(mode="after")
    def _pins_unique(self) -> StationHardware:
        check_unique_pins(self)
        return self

    @model_validator(mode="after")
    def _one_bin_per_part(self) -> StationHardware:
        parts = [b.part for b in self.bins]
        repeated = sorted({p for p in parts if parts.count(p) > 1})
        if repeated:
            raise ValueError(W.BIN_PER_PART.format(parts=repeated))
        return self


class PlateLamp(OutputPin):
    """The lamp under one part's plate on the store's material-call board."""

    part: str = Field(min_length=1)


class StoreHardware(ConfigModel):
    """The material-call board at the store: one lamp per part plate and a beacon."""

    plates: list[PlateLamp] = Field(default_factory=list)
    beacon: OutputPin | None = None
    """The store's big red lamp: on while any material call is open."""
    buzzer: OutputPin | None = None
    scanners: list[Scanner] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pins_unique(self) -> StoreHardware:
        check_unique_pins(self)
        return self
