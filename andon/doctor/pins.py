"""GPIO: a GPIO chip this user may open, and a pin factory gpiozero can use on it.

On Raspberry Pi OS Bookworm gpiozero drives the pins through ``lgpio``, which
opens ``/dev/gpiochip*`` (group ``gpio``). Nothing here claims a pin, so the
check is safe while the station runs.
"""

from __future__ import annotations

import glob
import importlib.util
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel

from andon.doctor import words as W
from andon.doctor.result import CheckResult, fail, ok, skip

CHECK = "pins"
CHIP_PATTERN = "/dev/gpiochip*"
PIN_FACTORY_MODULE = "lgpio"


def used_pins(model: BaseModel) -> list[int]:
    """Every ``pin`` of a hardware model (buttons, sensors, tower tiers, relays …), sorted."""
    return sorted(set(_walk(model)))


def _walk(value: object) -> Iterator[int]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name)
            if name == "pin" and isinstance(item, int):
                yield item
            else:
                yield from _walk(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)


def check_pins(
    pins: Sequence[int],
    chips: Sequence[Path] | None = None,
    module: str = PIN_FACTORY_MODULE,
    environ: Mapping[str, str] | None = None,
) -> CheckResult:
    """The GPIO chip is there and usable, and the pin factory imports."""
    if not pins:
        return skip(CHECK, W.NO_PINS)
    env = os.environ if environ is None else environ
    factory = env.get("GPIOZERO_PIN_FACTORY", "")
    if factory.lower() == "mock":
        return fail(
            CHECK,
            W.MOCK_PINS,
            W.UNSET_MOCK,
        )
    found = sorted(Path(p) for p in glob.glob(CHIP_PATTERN)) if chips is None else list(chips)
    listing = ", ".join(map(str, found))
    if not found:
        return fail(
            CHECK,
            W.NO_CHIP.format(pattern=CHIP_PATTERN),
            W.ON_A_PI,
        )
    usable = [chip for chip in found if os.access(chip, os.R_OK | os.W_OK)]
    if not usable:
        return fail(
            CHECK,
            W.NO_PERMISSION_OPEN.format(device=listing),
            W.GPIO_GROUP,
        )
    if importlib.util.find_spec(module) is None:
        return fail(
            CHECK,
            W.NO_PIN_LIBRARY.format(module=module),
            W.PI_EXTRA,
        )
    pin_list = ", ".join(map(str, pins))
    found_pins = W.PINS_OK.format(count=len(pins), pins=pin_list, chips=listing, module=module)
    return ok(CHECK, found_pins)
